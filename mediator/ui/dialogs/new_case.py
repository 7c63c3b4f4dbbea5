"""新建案件: register a dispute with its parties, showing earlier cases of the same people."""
from __future__ import annotations

import re
from datetime import date

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from mediator.domain.enums import (
    ADMINISTRATIVE_DETAILS,
    JUDICIAL_DETAILS,
    Category,
    Level,
    OrganizationKind,
    Procedure,
    RiskFlag,
    RiskLevel,
    Source,
    Track,
    TrackDetail,
)
from mediator.domain.errors import ValidationError, ValidationErrors
from mediator.domain.formatting import rmb_upper
from mediator.domain.validators import parse_money
from mediator.services.cases.conflicts import AssignmentConflicts
from mediator.services.cases.inputs import CaseInput, check_case_input
from mediator.services.cases.lifecycle import EarlierCase, earlier_cases_of, register_case
from mediator.services.changes import OpChangesWithId
from mediator.services.places import choices as lookups
from mediator.services.places.choices import Choice
from mediator.ui import errors as ui_errors
from mediator.ui.dialogs.party_dialog import PartiesEditor
from mediator.ui.dialogs.reassign import ConflictBox
from mediator.ui.env import UiEnv
from mediator.ui.ops import run_op, run_query
from mediator.ui.widgets.earlier_cases import EarlierCasesPanel
from mediator.ui.widgets.field_error import FieldError, FieldErrors, FieldWithError
from mediator.ui.widgets.region_picker import RegionPicker

_LEVEL_OF_KIND = {
    OrganizationKind.VILLAGE_COMMITTEE: Level.VILLAGE,
    OrganizationKind.TOWNSHIP_COMMITTEE: Level.TOWNSHIP,
    OrganizationKind.JUDICIAL_OFFICE: Level.TOWNSHIP,
}
_TRACK_OF_KIND = {OrganizationKind.COURT: Track.JUDICIAL,
                  OrganizationKind.ADMINISTRATIVE: Track.ADMINISTRATIVE}
_DETAILS = {Track.JUDICIAL: JUDICIAL_DETAILS, Track.ADMINISTRATIVE: ADMINISTRATIVE_DETAILS}
_WITH_PROCEDURE = (TrackDetail.ENTRUSTED, TrackDetail.IN_LITIGATION)
_PARTY_PATH = re.compile(r"parties\[(\d+)\]")
_CHOOSABLE_FLAGS = (RiskFlag.CRIMINAL, RiskFlag.GROUP, RiskFlag.PETITION)


def default_level(kind: str | None) -> Level:
    """Handling level that fits an organisation kind (courts, agencies, professional: 县)."""
    try:
        return _LEVEL_OF_KIND.get(OrganizationKind(kind), Level.COUNTY)
    except ValueError:
        return Level.COUNTY


def _enum_combo(members, *, placeholder: str | None = None) -> QComboBox:
    combo = QComboBox()
    for member in members:
        combo.addItem(member.label, member)
    if placeholder:
        combo.setPlaceholderText(placeholder)
        combo.setCurrentIndex(-1)
    return combo


def _member(combo: QComboBox, enum_cls):
    """The enum member chosen in a combo (Qt hands string enums back as plain str), or None."""
    value = combo.currentData()
    return None if value is None else enum_cls(value)


def _select(combo: QComboBox, value: object) -> None:
    index = combo.findData(value)
    if index >= 0:
        combo.setCurrentIndex(index)


class NewCaseDialog(QDialog):
    """Register a new case. After acceptance ``self.case_id`` is the new case's id.

    On success the registration's changes reach every view (``ui.ops.run_op``); service errors
    stay in the dialog, each next to its field.
    """

    def __init__(self, env: UiEnv, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.env = env
        self.case_id: int | None = None
        self._organizations: list[Choice] = []
        self._track_chosen = self._level_chosen = False
        self._closing_quietly = False
        self.setWindowTitle("新建案件")
        self.resize(1200, 780)
        self._build()
        self._connect()
        self._on_track_combo_current_index_changed()
        self._load_organizations()

    # --- building -------------------------------------------------------------------------
    def _build(self) -> None:
        today = self.env.ctx.today()
        self.source_combo = _enum_combo(Source)
        self.track_combo = _enum_combo(Track)
        self.detail_combo = QComboBox()
        self.procedure_combo = _enum_combo(Procedure)
        self.category_combo = _enum_combo(Category, placeholder="请选择纠纷类型")
        self.received_edit = QDateEdit(QDate(today.year, today.month, today.day))
        self.received_edit.setDisplayFormat("yyyy-MM-dd")
        self.received_edit.setCalendarPopup(True)
        self.received_edit.setMaximumDate(QDate(today.year, today.month, today.day))
        self.received_edit.setMinimumDate(QDate(2000, 1, 1))
        self.organization_combo = QComboBox()
        self.organization_combo.setObjectName("organization")
        self.level_combo = _enum_combo(Level)
        self.mediator_list = QListWidget()
        self.mediator_list.setObjectName("mediators")
        self.mediator_list.setFlow(QListWidget.Flow.LeftToRight)
        self.mediator_list.setWrapping(True)
        self.mediator_list.setSpacing(2)
        self.mediator_list.setFixedHeight(52)
        self.region_picker = RegionPicker(self.env)
        self.summary_edit = QPlainTextEdit()
        self.summary_edit.setPlaceholderText("纠纷发生的时间、地点、起因、经过和争议焦点")
        self.summary_edit.setTabChangesFocus(True)
        self.summary_edit.setMinimumHeight(84)
        self.requests_edit = QPlainTextEdit()
        self.requests_edit.setPlaceholderText("当事人请求调解解决的事项")
        self.requests_edit.setTabChangesFocus(True)
        self.requests_edit.setFixedHeight(56)
        self.amount_edit = QLineEdit()
        self.amount_edit.setObjectName("amount")
        self.amount_edit.setPlaceholderText("0.00")
        self.amount_edit.setMaximumWidth(140)
        self.amount_upper = QLabel()
        self.amount_upper.setObjectName("amount_upper")
        self.amount_upper.setStyleSheet("color: #555;")
        self.people_spin = QSpinBox()
        self.people_spin.setRange(1, 100000)
        self.people_spin.setSuffix(" 人")
        self.risk_combo = _enum_combo(RiskLevel)
        self.flag_boxes = {flag: QCheckBox(flag.label) for flag in _CHOOSABLE_FLAGS}
        self.repeat_box = QCheckBox(f"{RiskFlag.REPEAT.label}（自动）")
        self.repeat_box.setEnabled(False)
        self.repeat_box.setToolTip("当事人有既往纠纷，保存时自动标记为重复纠纷")
        self.repeat_box.hide()
        flags = QWidget()
        flags_row = QHBoxLayout(flags)
        flags_row.setContentsMargins(0, 0, 0, 0)
        for box in [*self.flag_boxes.values(), self.repeat_box]:
            flags_row.addWidget(box)
        flags_row.addStretch(1)
        amount_beside = QWidget()
        beside_row = QHBoxLayout(amount_beside)
        beside_row.setContentsMargins(4, 0, 0, 0)
        beside_row.addWidget(QLabel("元"))
        beside_row.addWidget(self.amount_upper, 1)

        f = self.fields = {
            "source": FieldWithError(self.source_combo),
            "received_on": FieldWithError(self.received_edit),
            "track": FieldWithError(self.track_combo),
            "track_detail": FieldWithError(self.detail_combo),
            "procedure": FieldWithError(self.procedure_combo),
            "category": FieldWithError(self.category_combo),
            "organization": FieldWithError(self.organization_combo),
            "level": FieldWithError(self.level_combo),
            "mediators": FieldWithError(self.mediator_list),
            "village_code": FieldWithError(self.region_picker),
            "summary": FieldWithError(self.summary_edit),
            "requests": FieldWithError(self.requests_edit),
            "amount_yuan": FieldWithError(self.amount_edit, beside=amount_beside),
            "people_involved": FieldWithError(self.people_spin),
            "risk_level": FieldWithError(self.risk_combo),
            "risk_flags": FieldWithError(flags),
        }
        basics = self._grid("案件信息", [
            [("纠纷来源", f["source"]), ("收案日期", f["received_on"])],
            [("调解类型", f["track"]), ("类别", f["track_detail"])],
            [("纠纷类型", f["category"]), ("程序", f["procedure"])],
        ])
        where = self._grid("调解组织与发生地", [
            [("调解组织", f["organization"]), ("处理层级", f["level"])],
            [("调解员", f["mediators"])],
            [("村（社区）/网格", f["village_code"])],
        ])
        facts = self._grid("纠纷情况", [
            [("纠纷简要情况", f["summary"])],
            [("申请事项", f["requests"])],
            [("涉及金额", f["amount_yuan"])],
            [("涉及人数", f["people_involved"]), ("风险等级", f["risk_level"])],
            [("风险标识", f["risk_flags"])],
        ])
        self.parties_editor = PartiesEditor(self.env)
        parties_box = QGroupBox("当事人")
        QVBoxLayout(parties_box).addWidget(self.parties_editor)
        self.earlier_panel = EarlierCasesPanel(self.env)

        self.general_error = FieldError()
        self.errors = FieldErrors(self.general_error)
        for path, field in f.items():
            self.errors.add(path, field)
        self.errors.add("grid", f["village_code"])
        self.errors.add("parties", self._show_party_error, clear=self.parties_editor.clear_marks)

        self.buttons = QDialogButtonBox()
        self.save_button = self.buttons.addButton("保存(&S)", QDialogButtonBox.ButtonRole.AcceptRole)
        self.save_button.setDefault(True)
        self.save_button.setToolTip("保存并登记案件（Ctrl+S）")
        cancel = self.buttons.addButton("取消", QDialogButtonBox.ButtonRole.RejectRole)
        cancel.setAutoDefault(False)

        left = QVBoxLayout()
        for box in (basics, where, facts):
            left.addWidget(box)
        left.addStretch(1)
        right = QVBoxLayout()
        right.addWidget(parties_box, 3)
        right.addWidget(self.earlier_panel, 2)
        columns = QHBoxLayout()
        columns.addLayout(left, 11)
        columns.addLayout(right, 9)
        layout = QVBoxLayout(self)
        layout.addLayout(columns, 1)
        self.conflict_box = ConflictBox()  # a mediator who may have to withdraw (回避)
        layout.addWidget(self.conflict_box)
        bottom = QHBoxLayout()
        bottom.addWidget(self.general_error, 1)
        bottom.addWidget(self.buttons)
        layout.addLayout(bottom)

    @staticmethod
    def _grid(title: str, rows: list[list[tuple[str, QWidget]]]) -> QGroupBox:
        box = QGroupBox(title)
        grid = QGridLayout(box)
        grid.setHorizontalSpacing(10)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(3, 1)
        # The same label widths in every group keep the fields of the groups aligned.
        grid.setColumnMinimumWidth(0, 104)
        grid.setColumnMinimumWidth(2, 72)
        for r, row in enumerate(rows):
            for c, (label, widget) in enumerate(row):
                text = QLabel(f"{label}：")
                text.setBuddy(widget.field if isinstance(widget, FieldWithError) else widget)
                align = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop
                grid.addWidget(text, r, c * 2, align)
                span = 3 if len(row) == 1 else 1
                grid.addWidget(widget, r, c * 2 + 1, 1, span)
        return box

    def _connect(self) -> None:
        self.track_combo.currentIndexChanged.connect(self._on_track_combo_current_index_changed)
        self.track_combo.activated.connect(self._on_track_combo_activated)
        self.detail_combo.currentIndexChanged.connect(self._on_detail_combo_current_index_changed)
        self.organization_combo.currentIndexChanged.connect(
            self._on_organization_combo_current_index_changed)
        self.level_combo.activated.connect(self._on_level_combo_activated)
        self.amount_edit.textChanged.connect(self._on_amount_edit_text_changed)
        self.parties_editor.parties_changed.connect(self._on_parties_editor_parties_changed)
        # A message goes away as soon as its field is changed.
        f = self.fields
        self.summary_edit.textChanged.connect(lambda: f["summary"].set_error(None))
        self.requests_edit.textChanged.connect(lambda: f["requests"].set_error(None))
        self.category_combo.currentIndexChanged.connect(lambda: f["category"].set_error(None))
        self.region_picker.village_changed.connect(lambda: f["village_code"].set_error(None))
        self.received_edit.dateChanged.connect(lambda: f["received_on"].set_error(None))
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        QShortcut(QKeySequence.StandardKey.Save, self, activated=self.save)

    # --- organisation and mediators -------------------------------------------------------
    def _load_organizations(self) -> None:
        run_query(self.env, self, lambda: lookups.organizations(self.env.ctx), self._fill_organizations)

    def _fill_organizations(self, organizations: list[Choice]) -> None:
        self._organizations = organizations
        self.organization_combo.blockSignals(True)
        self.organization_combo.clear()
        for org in organizations:
            self.organization_combo.addItem(org.name, org.id)
        self.organization_combo.setCurrentIndex(-1)
        self.organization_combo.blockSignals(False)
        index = self.organization_combo.findData(self.env.user.organization_id)
        self.organization_combo.setCurrentIndex(max(index, 0) if organizations else -1)

    def organization(self) -> Choice | None:
        org_id = self.organization_combo.currentData()
        return next((o for o in self._organizations if o.id == org_id), None)

    def _on_organization_combo_current_index_changed(self, _index: int) -> None:
        org = self.organization()
        if org is None:
            return
        if not self._level_chosen:
            _select(self.level_combo, default_level(org.kind))
        if not self._track_chosen:
            try:
                track = _TRACK_OF_KIND.get(OrganizationKind(org.kind), Track.PEOPLE)
            except ValueError:
                track = Track.PEOPLE
            _select(self.track_combo, track)
        run_query(self.env, self, lambda: lookups.mediators(self.env.ctx, org.id), self._fill_mediators)

    def _fill_mediators(self, mediators: list[Choice]) -> None:
        self.mediator_list.clear()
        for mediator in mediators:
            item = QListWidgetItem(mediator.name)
            item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.mediator_list.addItem(item)
        if not mediators:
            item = QListWidgetItem("该组织暂无调解员")
            item.setFlags(Qt.ItemFlag.NoItemFlags)
            self.mediator_list.addItem(item)

    def checked_mediators(self) -> list[str]:
        items = (self.mediator_list.item(i) for i in range(self.mediator_list.count()))
        return [it.text() for it in items if it.flags() & Qt.ItemFlag.ItemIsUserCheckable
                and it.checkState() == Qt.CheckState.Checked]

    def set_mediators_checked(self, names: list[str]) -> None:
        for i in range(self.mediator_list.count()):
            item = self.mediator_list.item(i)
            if item.flags() & Qt.ItemFlag.ItemIsUserCheckable:
                checked = item.text() in names
                item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)

    # --- track, detail, procedure ---------------------------------------------------------
    def _on_track_combo_activated(self, _index: int) -> None:
        self._track_chosen = True

    def _on_level_combo_activated(self, _index: int) -> None:
        self._level_chosen = True

    def _on_track_combo_current_index_changed(self, *_args: object) -> None:
        track = _member(self.track_combo, Track)
        details = [d for d in TrackDetail if d in _DETAILS.get(track, ())]
        self.detail_combo.blockSignals(True)
        self.detail_combo.clear()
        if details:
            self.detail_combo.addItem("（未细分）", None)
            for detail in details:
                self.detail_combo.addItem(detail.label, detail)
        self.detail_combo.blockSignals(False)
        self.detail_combo.setEnabled(bool(details))
        self._on_detail_combo_current_index_changed()

    def _on_detail_combo_current_index_changed(self, *_args: object) -> None:
        self.procedure_combo.setEnabled(_member(self.detail_combo, TrackDetail) in _WITH_PROCEDURE)

    # --- amount ------------------------------------------------------------------------------
    def _on_amount_edit_text_changed(self, text: str) -> None:
        field = self.fields["amount_yuan"]
        if not text.strip():
            field.set_error(None)
            self.amount_upper.clear()
            return
        try:
            amount = parse_money(text, path="amount_yuan", field="涉及金额")
        except ValidationError as error:
            field.set_error(error.message)
            self.amount_upper.clear()
        else:
            field.set_error(None)
            self.amount_upper.setText(rmb_upper(amount))

    # --- parties and earlier cases --------------------------------------------------------
    def _on_parties_editor_parties_changed(self) -> None:
        parties = self.parties_editor.parties()
        self.parties_editor.show_message(None)
        self.people_spin.setValue(max(self.people_spin.value(), len(parties), 1))
        run_query(self.env, self, lambda: earlier_cases_of(self.env.ctx, parties), self._show_earlier_cases)

    def _show_earlier_cases(self, cases: list[EarlierCase]) -> None:
        self.earlier_panel.set_cases(cases)
        self.repeat_box.setChecked(bool(cases))
        self.repeat_box.setVisible(bool(cases))

    def _show_party_error(self, path: str, message: str) -> None:
        match = _PARTY_PATH.match(path)
        if match:
            self.parties_editor.mark_row(int(match[1]), message)
        else:
            self.parties_editor.show_message(message)

    # --- saving --------------------------------------------------------------------------------
    def collect(self) -> CaseInput:
        """The case as entered; missing choices get placeholders (their absence is reported)."""
        org = self.organization()
        track = _member(self.track_combo, Track)
        detail = _member(self.detail_combo, TrackDetail) if self.detail_combo.isEnabled() else None
        procedure = (_member(self.procedure_combo, Procedure)
                     if self.procedure_combo.isEnabled() else None)
        received = self.received_edit.date()
        return CaseInput(
            track=track, source=_member(self.source_combo, Source),
            category=_member(self.category_combo, Category) or Category.OTHER,
            organization=org.name if org else "",
            village_code=self.region_picker.village_code() or "",
            grid=self.region_picker.grid_name(), level=_member(self.level_combo, Level),
            received_on=date(received.year(), received.month(), received.day()),
            summary=self.summary_edit.toPlainText().strip(),
            requests=self.requests_edit.toPlainText().strip(),
            amount_yuan=self.amount_edit.text().strip() or "0",
            people_involved=self.people_spin.value(),
            risk_level=_member(self.risk_combo, RiskLevel),
            risk_flags=[flag for flag, box in self.flag_boxes.items() if box.isChecked()],
            mediators=self.checked_mediators(), parties=self.parties_editor.parties(),
            track_detail=detail, procedure=procedure,
        )

    def problems(self) -> list[ValidationError]:
        """Required fields and the statute checks, before asking the service."""
        data = self.collect()
        errors: list[ValidationError] = []
        if self.category_combo.currentData() is None:
            errors.append(ValidationError("category", "请选择纠纷类型"))
        if self.organization() is None:
            errors.append(ValidationError("organization", "请选择调解组织"))
        if not data.village_code:
            errors.append(ValidationError("village_code", "请选择纠纷发生的村（社区）"))
        errors += check_case_input(data, self.env.ctx.today())
        unique = {(e.path, e.message): e for e in errors}
        return list(unique.values())

    def show_errors(self, errors: list[ValidationError]) -> None:
        self.errors.show(errors)
        focus = self.errors.first_invalid()
        if focus is not None:
            focus.setFocus(Qt.FocusReason.OtherFocusReason)

    def save(self) -> None:
        """Check, then register the case through the service; stays open on any error."""
        if not self.save_button.isEnabled():
            return
        problems = self.problems()
        if problems:
            self.show_errors(problems)
            return
        self.errors.clear()
        data = self.collect()
        ctx = self.env.ctx
        self.save_button.setEnabled(False)
        acknowledged = self.conflict_box.acknowledged()
        run_op(self.env, self, lambda: register_case(ctx, data, acknowledge_conflicts=acknowledged),
               on_success=self._on_registered,
               on_failure=self._on_register_failed, label="正在保存案件…")

    def _on_registered(self, registered: OpChangesWithId) -> None:
        self.save_button.setEnabled(True)
        self.case_id = registered.id
        super().accept()

    def _on_register_failed(self, exc: BaseException) -> None:
        self.save_button.setEnabled(True)
        if isinstance(exc, AssignmentConflicts):
            self.conflict_box.show_conflicts(exc.conflicts)
        if isinstance(exc, ValidationErrors):
            self.show_errors(exc.errors)
        elif isinstance(exc, ValidationError):
            self.show_errors([exc])
        else:
            ui_errors.show_error(self, exc)

    def accept(self) -> None:
        self.save()

    def reject(self) -> None:
        """Ask before throwing away what was typed (Esc, 取消, the window's close button)."""
        dirty = (self.summary_edit.toPlainText().strip() or self.requests_edit.toPlainText().strip()
                 or self.parties_editor.parties())
        if (dirty and not self._closing_quietly
                and not ui_errors.ask(self, "放弃新建案件", "已填写的内容尚未保存，确定放弃吗？")):
            return
        super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:
        # A close() from code (application shutdown, tests) must not block on a question.
        self._closing_quietly = not event.spontaneous()
        try:
            super().closeEvent(event)
        finally:
            self._closing_quietly = False
