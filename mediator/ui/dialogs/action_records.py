"""Action dialogs of an agreement and after it: conclude, performance, follow-up, judicial confirmation."""
from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QButtonGroup, QHBoxLayout, QRadioButton, QWidget

from mediator.domain.case_detail import CaseDetail, PerformanceRecord
from mediator.domain.enums import (
    AgreementForm,
    ConfirmationResult,
    FollowUpMethod,
    PerformanceResult,
    Satisfaction,
)
from mediator.services.cases import lifecycle as cases
from mediator.services.cases.drafts import DraftAgreement, draft_agreement
from mediator.services.cases.inputs import FollowUpInput
from mediator.services.cases.reviews import ReviewStanding, signing_review
from mediator.ui import errors as ui_errors
from mediator.ui.dialogs.action_base import ActionDialog, EditorDialog, plain, required_text
from mediator.ui.ops import run_query
from mediator.ui.workspace.agreement_editor import AgreementEditor
from mediator.ui.workspace.fields import EnumCombo, date_edit


class AgreementDialog(EditorDialog):
    """达成协议: the agreement is entered in the ``AgreementEditor``; the case becomes 调解成功.

    It starts from the draft agreement (拟定协议), if any. A written agreement the advisor has
    not approved is refused by the service when the office requires the review; otherwise the
    dialog asks first (the printed agreement is the same either way).
    """

    title = "达成协议"
    ok_text = "达成协议"
    expanding = True

    def _build(self) -> None:
        self.setMinimumSize(760, 620)
        self.resize(820, 700)
        received = self.detail.received_on
        self.editor = AgreementEditor(len(self.detail.parties), self.today, minimum=received)
        self.editor.facts_edit.setPlainText(self.detail.summary or "")
        self.draft_hint = self.add_hint("")
        self.draft_hint.hide()
        self.body.addWidget(self.editor, 1)
        ctx, case_id = self.env.ctx, self.case_id
        run_query(self.env, self, lambda: draft_agreement(ctx, case_id), self._show_draft)

    def _show_draft(self, draft: DraftAgreement | None) -> None:
        if draft is None or draft.signed:
            return
        self.editor.fill(draft.text)
        self.draft_hint.setText(f"已按协议草稿第{draft.revision}稿填写；签订时所作修改将记入流转记录。")
        self.draft_hint.show()

    def accept(self) -> None:
        """A written agreement without an approving review: ask (or let the service refuse)."""
        data = self.editor.value()
        if data.form is not AgreementForm.WRITTEN:
            super().accept()
            return
        ctx, case_id = self.env.ctx, self.case_id
        run_query(self.env, self, lambda: signing_review(ctx, case_id, data), self._on_standing)

    def _on_standing(self, standing: ReviewStanding) -> None:
        if not standing.ask or ui_errors.ask(self, "达成协议", standing.question):
            super().accept()  # the service signs, or says why it may not

    def service_call(self) -> Callable[[], None]:
        data = self.editor.value()
        ctx, case_id, version = self.env.ctx, self.case_id, self.version
        return lambda: cases.conclude_agreement(ctx, case_id, data, data.signed_on,
                                                expected_version=version)


class PerformanceDialog(ActionDialog):
    """记录履行: full performance closes the obligations; partial or none flag 督促履行."""

    title = "记录履行"
    ok_text = "保存"

    def _build(self) -> None:
        self.date_edit = self.add_date_row("履行日期", None, "on", maximum=self.today)
        box = QWidget()
        row = QHBoxLayout(box)
        row.setContentsMargins(0, 0, 0, 0)
        self.result_group = QButtonGroup(self)
        self.result_buttons: dict[PerformanceResult, QRadioButton] = {}
        for member in PerformanceResult:
            button = QRadioButton(member.label)
            self.result_group.addButton(button)
            self.result_buttons[member] = button
            row.addWidget(button)
        row.addStretch(1)
        self.result_buttons[PerformanceResult.FULL].setChecked(True)
        self.add_row("履行情况", box, "result")
        self.note_edit = self.add_text_row("说明（可不填）", "note", "如：已当面支付现金8000元，有收条")
        self.add_hint("部分履行或未履行的，案件保持“调解成功”状态并标记督促履行"
                      "（《人民调解法》第三十一条、第三十二条）。")

    def result(self) -> PerformanceResult:
        return next(m for m, b in self.result_buttons.items() if b.isChecked())

    def service_call(self) -> Callable[[], None]:
        result, note, on = self.result(), plain(self.note_edit), self.date_of(self.date_edit)
        ctx, case_id, version = self.env.ctx, self.case_id, self.version
        return lambda: cases.record_performance(ctx, case_id, result, note, on, expected_version=version)


class FollowUpDialog(ActionDialog):
    """回访: how the agreement is performed and whether the parties are satisfied."""

    title = "回访"
    ok_text = "保存回访"

    def _build(self) -> None:
        self.date_edit = self.add_date_row("回访日期", None, "on", maximum=self.today)
        self.method_combo = EnumCombo(FollowUpMethod)
        self.add_row("回访方式", self.method_combo, "method")
        last = latest_performance(self.detail)
        self.performance_combo = EnumCombo(PerformanceResult, performance_result(last),
                                           blank="（未了解）")
        self.add_row("协议履行情况", self.performance_combo, "performance")
        if last is not None and self.performance_combo.current() is not None:
            self.performance_hint = self.add_hint(
                f"已按{last.on.isoformat()}的履行记录填写，回访了解的情况不同的请更正。")
        self.satisfaction_combo = EnumCombo(Satisfaction, blank="（未了解）")
        self.add_row("当事人满意度", self.satisfaction_combo, "satisfaction")
        self.visitor_edit = self.add_text_row("回访人", "visitor")
        self.visitor_edit.setText(self.env.user.display_name)
        self.note_edit = self.add_note_row("回访情况", "note", "被回访人、回访内容、当事人意见等")

    def service_call(self) -> Callable[[], None]:
        data = FollowUpInput(on=self.date_of(self.date_edit), method=self.method_combo.current(),
                             performance=self.performance_combo.current(),
                             satisfaction=self.satisfaction_combo.current(),
                             note=plain(self.note_edit), visitor=plain(self.visitor_edit))
        ctx, case_id, version = self.env.ctx, self.case_id, self.version
        return lambda: cases.record_follow_up(ctx, case_id, data, expected_version=version)


def latest_performance(detail: CaseDetail) -> PerformanceRecord | None:
    """The latest recorded performance (of several on one day, the one recorded last)."""
    if not detail.performance:
        return None
    return max(enumerate(detail.performance), key=lambda pair: (pair[1].on, pair[0]))[1]


def performance_result(record: PerformanceRecord | None) -> PerformanceResult | None:
    """The 履行情况 choice for a performance record (None: nothing recorded, or unknown)."""
    if record is None:
        return None
    try:
        return PerformanceResult(record.result)
    except ValueError:  # a result this version does not know: leave the choice to the person
        return None


class JudicialConfirmationDialog(ActionDialog):
    """司法确认: the parties' joint application and, once known, the court's ruling."""

    title = "司法确认"
    ok_text = "保存"

    def _build(self) -> None:
        existing = self.detail.judicial_confirmation
        applied = existing.applied_on if existing else None
        self.applied_edit = self.add_date_row("申请日期", applied, "applied_on", "judicial_confirmation",
                                              maximum=self.today)
        self.court_edit = self.add_text_row("受理法院", "court", "如：示范县人民法院")
        self.court_edit.setText(existing.court if existing else "")
        current = ConfirmationResult(existing.result) if existing and existing.result else None
        self.result_combo = EnumCombo(ConfirmationResult, current)
        self.add_row("结果", self.result_combo, "result")
        ruled = existing.on if existing else None
        self.ruled_edit = date_edit(ruled or self.today, maximum=self.today)
        self.add_row("裁定日期", self.ruled_edit, "on", "ruled_on")
        self.result_combo.currentIndexChanged.connect(self._on_result_combo_current_index_changed)
        self._on_result_combo_current_index_changed()
        due = [d for d in self.detail.deadlines if d.kind == "judicial_confirmation"]
        hint = "当事人可自调解协议生效之日起三十日内共同向人民法院申请司法确认（《人民调解法》第三十三条）。"
        if due:
            hint += f"本案申请截止日：{due[-1].due}。"
        self.add_hint(hint)

    def _on_result_combo_current_index_changed(self, _index: int = 0) -> None:
        self.ruled_edit.setEnabled(self.result_combo.current() is not ConfirmationResult.PENDING)

    def service_call(self) -> Callable[[], None]:
        court = required_text(self.court_edit, "court", "请填写受理司法确认的人民法院")
        result = self.result_combo.current()
        ruled = self.date_of(self.ruled_edit) if result is not ConfirmationResult.PENDING else None
        applied = self.date_of(self.applied_edit)
        ctx, case_id, version = self.env.ctx, self.case_id, self.version
        return lambda: cases.record_judicial_confirmation(
            ctx, case_id, applied_on=applied, court=court, result=result, ruled_on=ruled,
            expected_version=version)
