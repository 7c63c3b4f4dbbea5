"""The dialogs of 矛盾纠纷排查: 计划排查, 登记排查结果, and the two findings it adds (登记为案件,
预防记录). The findings are collected on screen and written with the round in one service call."""
from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from mediator.domain.enums import Category
from mediator.domain.errors import ValidationError
from mediator.domain.screening import (
    FindingKind,
    Prevention,
    PreventionFlag,
    ScreeningKind,
    check_prevention,
    first_due,
)
from mediator.services.places import choices
from mediator.services.screening.planning import PlanInput, plan_round
from mediator.services.screening.recording import CaseFinding, FindingInput, HeldInput, record_round
from mediator.services.screening.rows import ScreeningRow
from mediator.ui.env import UiEnv
from mediator.ui.widgets.due_views import qdate
from mediator.ui.widgets.service_dialog import ServiceDialog, error_label

WHOLE_VILLAGE = "（整个村、社区）"


def _date_edit(value: date) -> QDateEdit:
    edit = QDateEdit()
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    edit.setDate(qdate(value))
    return edit


def _text(lines: int, placeholder: str) -> QPlainTextEdit:
    edit = QPlainTextEdit()
    edit.setTabChangesFocus(True)
    edit.setPlaceholderText(placeholder)
    edit.setFixedHeight(edit.fontMetrics().lineSpacing() * lines + 14)
    return edit


class PlanRoundDialog(ServiceDialog):
    """计划排查: where (a village/community or one of its grids), what kind, when it is due."""

    def __init__(self, env: UiEnv, parent: QWidget | None = None) -> None:
        super().__init__(env, "计划排查", parent)
        self.villages = choices.places(env.ctx, "village")
        self.grids = choices.places(env.ctx, "grid")
        self.village = QComboBox()
        for v in self.villages:
            self.village.addItem(v.name, v.code)
        self.grid = QComboBox()
        self.kind = QComboBox()
        for k in ScreeningKind:
            self.kind.addItem(k.label, k)
        self.risk = QLineEdit()
        self.risk.setPlaceholderText("节前排查写节日，专项排查写风险，如：土地流转纠纷")
        today = env.ctx.today()
        self.planned_on = _date_edit(today)
        self.due_on = _date_edit(first_due(today))
        self.monthly = QCheckBox("每月一次（登记结果后自动计划下月）")
        self.monthly.setChecked(True)
        self.organization = QComboBox()
        for o in choices.organizations(env.ctx):
            self.organization.addItem(o.name, o.id)
        mine = self.organization.findData(env.user.organization_id)
        self.organization.setCurrentIndex(max(0, mine))
        self.add_field("village_code", "村（社区）", self.village)
        self.add_field("grid", "网格", self.grid)
        self.add_field("kind", "排查类型", self.kind)
        self.add_field("risk", "排查重点", self.risk)
        self.add_field("planned_on", "计划日期", self.planned_on)
        self.add_field("due_on", "截止日期", self.due_on)
        self.add_field("monthly", "", self.monthly)
        self.add_field("organization", "负责组织", self.organization)
        self.village.currentIndexChanged.connect(lambda _i: self._fill_grids())
        self.kind.currentIndexChanged.connect(lambda _i: self._kind_changed())
        self.planned_on.dateChanged.connect(lambda d: self.due_on.setDate(qdate(first_due(d.toPython()))))
        self._fill_grids()

    def select_village(self, name: str) -> None:
        self.village.setCurrentIndex(self.village.findText(name))

    def _fill_grids(self) -> None:
        self.grid.clear()
        self.grid.addItem(WHOLE_VILLAGE, None)
        index = self.village.currentIndex()
        village_id = self.villages[index].id if 0 <= index < len(self.villages) else None
        for g in self.grids:
            if g.parent_id == village_id:
                self.grid.addItem(g.name, g.name)

    def _kind_changed(self) -> None:
        regular = self.kind.currentData() == ScreeningKind.REGULAR.value  # Qt keeps the code as a str
        self.monthly.setEnabled(regular)
        self.monthly.setChecked(regular)

    def task(self):
        if self.village.currentIndex() < 0:
            raise ValidationError("village_code", "请先在“区划网格”中添加村（社区）")
        data = PlanInput(village_code=self.village.currentData(), grid=self.grid.currentData(),
                         kind=ScreeningKind(self.kind.currentData()), risk=self.risk.text(),
                         planned_on=self.planned_on.date().toPython(), due_on=self.due_on.date().toPython(),
                         monthly=self.monthly.isChecked(), organization=self.organization.currentText() or None)
        ctx = self.env.ctx
        return lambda: plan_round(ctx, data)


class _FindingDialog(QDialog):
    """A form collecting one finding; 确定 checks it and keeps it in ``value``."""

    def __init__(self, title: str, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(420)
        self.value: FindingInput | None = None
        self.form = QFormLayout()
        self.error = error_label()
        self.error.hide()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("确定")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        buttons.accepted.connect(self._ok)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def finding(self) -> tuple[FindingInput, list[ValidationError]]:
        raise NotImplementedError

    def _ok(self) -> None:
        value, errors = self.finding()
        if errors:
            self.error.setText("；".join(e.message for e in errors))
            self.error.show()
            return
        self.value = value
        self.accept()


class CaseFindingDialog(_FindingDialog):
    """登记为案件: the compact registration (source 排查发现); the case is registered with the round."""

    def __init__(self, env: UiEnv, organization_id: int | None, parent: QWidget | None = None) -> None:
        super().__init__("登记为案件", parent)
        self.parties = QLineEdit()
        self.parties.setPlaceholderText("姓名，多人用顿号分隔；第一位为申请人")
        self.summary = _text(3, "纠纷简要情况：起因、争执的事情、现在的情况")
        self.category = QComboBox()
        for c in Category:
            self.category.addItem(c.label, c)
        self.mediator = QComboBox()
        self.mediator.addItem("（暂不指派）", None)
        for m in choices.mediators(env.ctx, organization_id):
            self.mediator.addItem(m.name, m.name)
        if self.mediator.count() > 1:
            self.mediator.setCurrentIndex(1)
        self.form.addRow("当事人", self.parties)
        self.form.addRow("纠纷简要情况", self.summary)
        self.form.addRow("纠纷类型", self.category)
        self.form.addRow("调解员", self.mediator)

    def finding(self) -> tuple[FindingInput, list[ValidationError]]:
        errors = []
        if not self.parties.text().strip():
            errors.append(ValidationError("parties", "当事人不能为空"))
        if not self.summary.toPlainText().strip():
            errors.append(ValidationError("summary", "纠纷简要情况不能为空"))
        mediator = self.mediator.currentData()
        return FindingInput(FindingKind.CASE, case=CaseFinding(
            parties=self.parties.text(), summary=self.summary.toPlainText(),
            category=Category(self.category.currentData()), mediators=[mediator] if mediator else [])), errors


class PreventionDialog(_FindingDialog):
    """预防记录: a dispute headed off — what, who (how many), how, and what it prevented."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("预防记录", parent)
        self.summary = _text(2, "什么纠纷，如：两户因宅基地边界争吵")
        self.parties = QLineEdit()
        self.parties.setPlaceholderText("涉及人员，多人用顿号分隔")
        self.people = QSpinBox()
        self.people.setRange(1, 100000)
        self.people.setSuffix(" 人")
        self.how = _text(2, "如何化解，如：调解员上门疏导，双方当场和解")
        self.flags = {f: QCheckBox(f.label) for f in PreventionFlag}
        flag_box = QWidget()
        flag_layout = QVBoxLayout(flag_box)
        flag_layout.setContentsMargins(0, 0, 0, 0)
        for box in self.flags.values():
            flag_layout.addWidget(box)
        self.form.addRow("纠纷情况", self.summary)
        self.form.addRow("涉及人员", self.parties)
        self.form.addRow("涉及人数", self.people)
        self.form.addRow("化解措施", self.how)
        self.form.addRow("预防成效", flag_box)

    def finding(self) -> tuple[FindingInput, list[ValidationError]]:
        p = Prevention(summary=self.summary.toPlainText(), parties=self.parties.text(),
                       how=self.how.toPlainText(), people=self.people.value(),
                       flags=[f for f, box in self.flags.items() if box.isChecked()])
        return FindingInput(FindingKind.PREVENTED, prevention=p), check_prevention(p, "prevention")


def finding_text(f: FindingInput) -> str:
    if f.kind is FindingKind.CASE:
        return f"登记为案件：{f.case.parties}（{f.case.summary.strip()[:30]}）"
    if f.kind is FindingKind.PREVENTED:
        p = f.prevention
        flags = "、".join(x.label for x in p.flags)
        return f"预防：{p.summary.strip()[:30]}（{p.parties}，{p.people}人）" + (f"，{flags}" if flags else "")
    return "未发现矛盾纠纷"


class RecordRoundDialog(ServiceDialog):
    """登记排查结果: when, who, where, and the findings; 确定 writes them all or nothing."""

    def __init__(self, env: UiEnv, row: ScreeningRow, parent: QWidget | None = None) -> None:
        super().__init__(env, "登记排查结果", parent)
        self.setMinimumWidth(520)
        self.row = row
        self.findings: list[FindingInput] = []
        self.finding_dialog: _FindingDialog | None = None
        self.add_info("排查计划", f"{row.place} {row.kind_label}，截止{row.due_on.isoformat()}")
        today = env.ctx.today()
        self.held_on = _date_edit(today)
        self.held_on.setMaximumDate(qdate(today))
        self.held_by = QLineEdit(env.user.display_name)
        self.held_by.setPlaceholderText("排查人员，多人用顿号分隔")
        self.places = QLineEdit()
        self.places.setPlaceholderText("走访的组、户、场所，如：一组、二组、村小学")
        self.notes = _text(2, "排查情况（可不填）")
        self.finding_list = QListWidget()
        self.finding_list.setFixedHeight(self.finding_list.fontMetrics().lineSpacing() * 5 + 12)
        self.case_button = QPushButton("登记为案件…")
        self.prevention_button = QPushButton("预防记录…")
        self.nothing_button = QPushButton("未发现")
        self.remove_button = QPushButton("移除")
        buttons = QHBoxLayout()
        for b in (self.case_button, self.prevention_button, self.nothing_button, self.remove_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        findings = QWidget()
        box = QVBoxLayout(findings)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(self.finding_list)
        box.addLayout(buttons)
        self.add_field("held_on", "排查日期", self.held_on)
        self.add_field("held_by", "排查人员", self.held_by)
        self.add_field("places_visited", "走访地点", self.places)
        self.add_field("notes", "排查情况", self.notes)
        self.add_field("findings", "排查发现", findings)
        self.case_button.clicked.connect(lambda _=False: self._open(CaseFindingDialog(env, row.organization_id, self)))
        self.prevention_button.clicked.connect(lambda _=False: self._open(PreventionDialog(self)))
        self.nothing_button.clicked.connect(lambda _=False: self.add_finding(FindingInput(FindingKind.NOTHING)))
        self.remove_button.clicked.connect(lambda _=False: self._remove())

    def _open(self, dialog: _FindingDialog) -> None:
        self.finding_dialog = dialog
        dialog.accepted.connect(lambda: self.add_finding(dialog.value))
        dialog.open()

    def add_finding(self, finding: FindingInput | None) -> None:
        if finding is None:
            return
        self.findings.append(finding)
        self.finding_list.addItem(finding_text(finding))

    def _remove(self) -> None:
        row = self.finding_list.currentRow()
        if 0 <= row < len(self.findings):
            del self.findings[row]
            self.finding_list.takeItem(row)

    def show_validation(self, error: ValidationError) -> None:
        if error.path.startswith("findings["):  # a finding's own field: say which finding
            index = int(error.path[len("findings["):].split("]")[0])
            error = ValidationError("findings", f"第{index + 1}项发现：{error.message}")
        super().show_validation(error)

    def task(self):
        data = HeldInput(held_on=self.held_on.date().toPython(), held_by=self.held_by.text(),
                         places_visited=self.places.text(), notes=self.notes.toPlainText(),
                         findings=list(self.findings))
        ctx, round_id, version = self.env.ctx, self.row.id, self.row.version
        return lambda: record_round(ctx, round_id, data, expected_version=version)
