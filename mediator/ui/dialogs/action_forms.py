"""Action dialogs of handling a case: session records, transfer, level changes, extension."""
from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from PySide6.QtWidgets import QCheckBox, QComboBox, QLabel, QWidget

from mediator.domain.case_detail import CaseDetail
from mediator.domain.enums import (
    ADMINISTRATIVE_DETAILS,
    JUDICIAL_DETAILS,
    Level,
    Procedure,
    SessionKind,
    Track,
    TrackDetail,
)
from mediator.domain.errors import ValidationError
from mediator.domain.lifecycle import Action
from mediator.services.cases import lifecycle as cases
from mediator.services.cases.conflicts import AssignmentConflicts
from mediator.services.cases.handlers import assignment_conflicts
from mediator.services.cases.inputs import SessionInput
from mediator.services.places import choices as lookups
from mediator.ui.dialogs.action_base import ActionDialog, plain, required_text
from mediator.ui.dialogs.reassign import ConflictBox, MediatorPicker
from mediator.ui.env import UiEnv
from mediator.ui.ops import run_query
from mediator.ui.workspace.fields import EnumCombo


class SessionDialog(ActionDialog):
    """记录调查/调解: the investigation or mediation session and what happened."""

    title = "记录调查/调解"
    ok_text = "保存记录"

    def _build(self) -> None:
        self.setMinimumWidth(560)
        self.date_edit = self.add_date_row("日期", None, "on", maximum=self.today)
        default = SessionKind.MEDIATION if self.detail.status == "mediating" else SessionKind.INVESTIGATION
        self.kind_combo = EnumCombo(SessionKind, default)
        self.add_row("类别", self.kind_combo, "kind")
        self.place_edit = self.add_text_row("地点", "place", "如：村调解室、争议现场")
        self.participants_edit = self.add_text_row("参加人员", "participants", "当事人、调解员、记录人等")
        self.record_edit = self.add_note_row("调查/调解经过", "record", "如实记录调查或调解的经过和结果", lines=6)

    def service_call(self) -> Callable[[], int]:
        record = required_text(self.record_edit, "record", "请填写调查或调解经过")
        data = SessionInput(on=self.date_of(self.date_edit), kind=self.kind_combo.current(),
                            place=plain(self.place_edit), participants=plain(self.participants_edit),
                            record=record)
        ctx, case_id, version = self.env.ctx, self.case_id, self.version
        return lambda: cases.record_session(ctx, case_id, data, expected_version=version)


class TransferDialog(ActionDialog):
    """移送: to another track (三调联动) or organisation; the case gets a new number there."""

    title = "移送"
    ok_text = "移送"

    def _build(self) -> None:
        self.setMinimumWidth(560)
        current = f"{self.detail.organization}（{self.detail.track_label}）"
        self.form.addRow("当前", QLabel(current))
        self.date_edit = self.add_date_row("移送日期", None, "on", maximum=self.today)
        self.track_combo = EnumCombo(Track, Track(self.detail.track))
        self.add_row("接收调解类型", self.track_combo, "to_track", "track")
        self.detail_combo = EnumCombo([])
        self.add_row("类别", self.detail_combo, "track_detail", "to_track_detail")
        self.procedure_combo = EnumCombo(Procedure, blank="（未指定）")
        self.add_row("程序", self.procedure_combo, "procedure")
        self.organization_combo = QComboBox()
        self.organization_combo.setMinimumWidth(280)
        self.add_row("接收组织", self.organization_combo, "to_organization")
        self.mediator_picker = MediatorPicker()
        self.add_row("接收调解员", self.mediator_picker, "mediators")
        self.level_combo = EnumCombo(Level, blank=f"（不变：{self.detail.level_label}）")
        self.add_row("处理层级", self.level_combo, "level")
        self.reason_edit = self.add_text_row("移送理由", "reason", "如：涉及林权确权，移交行政调处")
        self.conflict_box = ConflictBox()
        self.add_row("", self.conflict_box, "acknowledge_conflicts")
        self.add_hint("移送后案件在接收组织重新登记、编号，由勾选的接收组织调解员承办，原有办理记录全部保留。")
        self._organization_ids: dict[str, int] = {}
        self.organization_combo.currentIndexChanged.connect(self._on_organization_combo_current_index_changed)
        self.mediator_picker.itemChanged.connect(self._on_mediator_picker_item_changed)
        self.track_combo.currentIndexChanged.connect(self._on_track_combo_current_index_changed)
        self.detail_combo.currentIndexChanged.connect(self._on_detail_combo_current_index_changed)
        self._on_track_combo_current_index_changed()
        run_query(self.env, self, lambda: lookups.organizations(self.env.ctx), self._on_organizations_loaded)

    def _on_organizations_loaded(self, choices: list[lookups.Choice]) -> None:
        self._organization_ids = {c.name: c.id for c in choices}
        self.organization_combo.blockSignals(True)
        self.organization_combo.clear()
        for choice in choices:
            self.organization_combo.addItem(choice.name, choice.name)
        others = [c.name for c in choices if c.name != self.detail.organization]
        if others:
            self.organization_combo.setCurrentIndex(self.organization_combo.findData(others[0]))
        self.organization_combo.blockSignals(False)
        self._on_organization_combo_current_index_changed()

    def _on_organization_combo_current_index_changed(self, _index: int = 0) -> None:
        """The receiving organisation's mediators (none ticked: someone there must take it)."""
        org_id = self._organization_ids.get(self.organization_combo.currentData())
        if org_id is None:
            self.mediator_picker.set_mediators([])
            return
        ctx = self.env.ctx
        run_query(self.env, self, lambda: lookups.mediators(ctx, org_id), self._on_mediators_loaded)

    def _on_mediators_loaded(self, choices: list[lookups.Choice]) -> None:
        self.mediator_picker.set_mediators([(c.id, c.name, False) for c in choices])
        self._on_mediator_picker_item_changed()

    def _on_mediator_picker_item_changed(self, _item: object = None) -> None:
        self.errors.labels["mediators"].set_error("")
        ids = self.mediator_picker.chosen()
        if not ids:
            self.conflict_box.show_conflicts([])
            return
        ctx, case_id = self.env.ctx, self.case_id
        run_query(self.env, self, lambda: assignment_conflicts(ctx, case_id, ids),
                  self.conflict_box.show_conflicts)

    def show_validation(self, errors: list[ValidationError]) -> None:
        for error in errors:
            if isinstance(error, AssignmentConflicts):
                self.conflict_box.show_conflicts(error.conflicts)
        super().show_validation(errors)

    def _on_track_combo_current_index_changed(self, _index: int = 0) -> None:
        track = self.track_combo.current()
        if track is Track.PEOPLE:
            self.detail_combo.set_members([], blank="（人民调解不细分）")
            self.detail_combo.setEnabled(False)
        else:
            details = JUDICIAL_DETAILS if track is Track.JUDICIAL else ADMINISTRATIVE_DETAILS
            self.detail_combo.set_members([m for m in TrackDetail if m in details], blank="（未细分）")
            self.detail_combo.setEnabled(True)
        self._on_detail_combo_current_index_changed()

    def _on_detail_combo_current_index_changed(self, _index: int = 0) -> None:
        has_procedure = self.detail_combo.current() in (TrackDetail.ENTRUSTED, TrackDetail.IN_LITIGATION)
        self.procedure_combo.setEnabled(has_procedure)
        if not has_procedure:
            self.procedure_combo.setCurrentIndex(0)

    def service_call(self) -> Callable[[], None]:
        reason = required_text(self.reason_edit, "reason", "请填写移送理由")
        organization = self.organization_combo.currentData()
        if not organization:
            raise ValidationError("to_organization", "请选择接收组织")
        mediators = self.mediator_picker.chosen()
        if organization != self.detail.organization and not mediators:
            raise ValidationError("mediators", f"请勾选{organization}接手本案的调解员（至少一名）")
        kwargs: dict[str, Any] = dict(
            mediators=mediators or None, acknowledge_conflicts=self.conflict_box.acknowledged(),
            to_track=self.track_combo.current(), to_organization=organization, reason=reason,
            to_track_detail=self.detail_combo.current(), procedure=self.procedure_combo.current(),
            level=self.level_combo.current(), on=self.date_of(self.date_edit),
            expected_version=self.version)
        ctx, case_id = self.env.ctx, self.case_id
        return lambda: cases.transfer_case(ctx, case_id, **kwargs)


class LevelDialog(ActionDialog):
    """上报 to a higher handling level, or 下交 to a lower one."""

    def __init__(self, env: UiEnv, detail: CaseDetail, action: Action,
                 parent: QWidget | None = None, on_reload: Callable[[], None] | None = None) -> None:
        self.action = action
        self.title = action.label
        self.ok_text = action.label
        super().__init__(env, detail, parent, on_reload)

    def _build(self) -> None:
        current = Level(self.detail.level)
        self.form.addRow("当前层级", QLabel(current.label))
        if self.action is Action.ESCALATE:
            targets = [lv for lv in Level if lv.rank > current.rank]
        else:
            targets = [lv for lv in Level if lv.rank < current.rank]
        if self.action is Action.HAND_DOWN:
            targets.reverse()  # the next level down comes first
        self.level_combo = EnumCombo(targets)
        self.add_row("上报至" if self.action is Action.ESCALATE else "下交至", self.level_combo, "level")
        self.date_edit = self.add_date_row("日期", None, "on", maximum=self.today)
        self.reason_edit = self.add_text_row("理由", "reason",
                                             "如：矛盾有激化苗头，需镇级调委会介入" if self.action is Action.ESCALATE
                                             else "如：纠纷情节简单，交村调委会就地化解")
        if not targets:
            self.add_hint(f"案件已在{current.label}层级，无法{self.action.label}。")
            self.ok_button.setEnabled(False)

    def service_call(self) -> Callable[[], None]:
        reason = required_text(self.reason_edit, "reason", "请填写上报或下交的理由")
        level, on = self.level_combo.current(), self.date_of(self.date_edit)
        call = cases.escalate_case if self.action is Action.ESCALATE else cases.hand_down_case
        ctx, case_id, version = self.env.ctx, self.case_id, self.version
        return lambda: call(ctx, case_id, level, reason, on, expected_version=version)


def current_handling_due(detail: CaseDetail) -> date | None:
    """The due date of the handling clock still running, if any."""
    dues = [d.due for d in detail.running_deadlines() if d.kind == "handling"]
    return max(dues) if dues else None


class ExtendDialog(ActionDialog):
    """延期: the parties consent, a reason, and the new date of the handling clock."""

    title = "延期"
    ok_text = "延期"

    def _build(self) -> None:
        due = current_handling_due(self.detail)
        self.form.addRow("当前调解期限", QLabel(due.isoformat() if due else "（无计算中的调解期限）"))
        self.until_edit = self.add_date_row("延期至", (due or self.today) + timedelta(days=15), "until")
        self.reason_edit = self.add_text_row("延期理由", "reason", "如：需等待评估报告")
        self.consent_check = QCheckBox("当事人同意延期")
        self.add_row("", self.consent_check, "consent")
        self.date_edit = self.add_date_row("办理日期", None, "on", maximum=self.today)
        self.add_hint("调解期限可在规则允许的范围内延期，原期限保留在流转记录中。")

    def service_call(self) -> Callable[[], None]:
        until, reason = self.date_of(self.until_edit), plain(self.reason_edit)
        consent, on = self.consent_check.isChecked(), self.date_of(self.date_edit)
        ctx, case_id, version = self.env.ctx, self.case_id, self.version
        return lambda: cases.extend_handling(ctx, case_id, until, reason, consent, on,
                                             expected_version=version)
