"""The 基本信息 tab: the editable facts of a case (with dirty tracking) beside its registration data."""
from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from mediator.domain.case_detail import CaseDetail
from mediator.domain.enums import Category, RiskFlag, RiskLevel
from mediator.domain.errors import ValidationError
from mediator.domain.validators import parse_money
from mediator.ui.workspace.fields import EnumCombo, ErrorLabel, FieldErrors, MoneyField, with_error
from mediator.ui.workspace.header import track_text


def _money_key(text: str) -> object:
    """Equal amounts compare equal however they were typed (``3600`` and ``3600.00``)."""
    try:
        return parse_money(text or "0")
    except ValidationError:
        return text


class CaseInfoTab(QWidget):
    """Edits summary, requests, amount, people, risk, category and grid; shows the rest read-only.

    Signals:
        dirty_changed(bool): whether there are unsaved edits (on a change only).
    """

    dirty_changed = Signal(bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.errors = FieldErrors()
        self.base_version: int | None = None
        self._loaded: dict[str, Any] = {}
        self._dirty = False
        self._loading = False

        self.summary_edit = self._text_edit(4, "纠纷简要情况")
        self.requests_edit = self._text_edit(3, "当事人的申请事项")
        self.amount = MoneyField("涉及金额")
        self.people_spin = QSpinBox()
        self.people_spin.setRange(1, 100000)
        self.people_spin.setSuffix(" 人")
        self.people_spin.setMaximumWidth(140)
        self.risk_combo = EnumCombo(RiskLevel)
        self.flag_checks: dict[RiskFlag, QCheckBox] = {m: QCheckBox(m.label) for m in RiskFlag}
        flags = QWidget()
        flags_layout = QHBoxLayout(flags)
        flags_layout.setContentsMargins(0, 0, 0, 0)
        flags_layout.addWidget(self.risk_combo)
        flags_layout.addSpacing(12)
        for check in self.flag_checks.values():
            flags_layout.addWidget(check)
        flags_layout.addStretch(1)
        self.category_combo = EnumCombo(Category)
        self.grid_combo = QComboBox()
        self.grid_combo.setMinimumWidth(160)
        self.category_combo.setMinimumWidth(160)
        for combo in (self.grid_combo, self.category_combo):
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)

        edit_box = QGroupBox("案件情况（可修改）")
        form = QFormLayout(edit_box)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        for title, widget, paths in [
            ("纠纷简要情况", self.summary_edit, ("summary",)), ("申请事项", self.requests_edit, ("requests",)),
            ("涉及金额", self.amount, ("amount_yuan",)), ("涉及人数", self.people_spin, ("people_involved",)),
            ("风险等级", flags, ("risk_level", "risk_flags")), ("纠纷类型", self.category_combo, ("category",)),
            ("所在网格", self.grid_combo, ("grid",)),
        ]:
            form.addRow(title, with_error(widget, self.errors.label(*paths, watch=widget)))

        self.facts: dict[str, QLabel] = {}
        facts_box = QGroupBox("登记信息")
        facts_form = QFormLayout(facts_box)
        for key, title in [("number", "案号"), ("ref", "编号"), ("source", "案件来源"),
                           ("track", "调解类型"), ("organization", "调解组织"), ("level", "处理层级"),
                           ("village", "村（社区）"), ("received_on", "收案日期"),
                           ("accepted_on", "受理日期"), ("closed_on", "结案日期"),
                           ("mediators", "调解员"), ("earlier", "既往纠纷")]:
            value = QLabel("—")
            value.setObjectName(f"fact_{key}")
            value.setWordWrap(True)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            facts_form.addRow(title, value)
            self.facts[key] = value
        # Who handles the case (更换调解员, 回避): the workspace opens their dialogs.
        self.reassign_button = QPushButton("更换调解员…")
        self.reassign_button.setObjectName("reassign_mediators")
        self.reassign_button.setToolTip("增加、减少或更换本案的调解员（须说明理由）")
        self.recuse_button = QPushButton("申请回避…")
        self.recuse_button.setObjectName("recuse_mediator")
        self.recuse_button.setToolTip("记录当事人要求调解员回避的申请，并指定接替的调解员")
        handlers = QHBoxLayout()
        handlers.addWidget(self.reassign_button)
        handlers.addWidget(self.recuse_button)
        handlers.addStretch(1)
        facts_form.addRow("", handlers)

        self.save_button = QPushButton("保存")
        self.save_button.setObjectName("save_info")
        self.save_button.setToolTip("保存基本信息的修改（Ctrl+S）")
        self.save_button.setEnabled(False)
        self.revert_button = QPushButton("撤销修改")
        self.revert_button.setEnabled(False)
        self.dirty_label = QLabel("有未保存的修改")
        self.dirty_label.setStyleSheet("color: #ef6c00;")
        self.dirty_label.hide()
        self.general_error = ErrorLabel()
        self.errors.general = self.general_error
        buttons = QHBoxLayout()
        buttons.addWidget(self.dirty_label)
        buttons.addWidget(self.general_error, 1)
        buttons.addStretch(1)
        buttons.addWidget(self.revert_button)
        buttons.addWidget(self.save_button)
        self.revert_button.clicked.connect(self._on_revert_button_clicked)

        columns = QHBoxLayout()
        columns.addWidget(edit_box, 3)
        columns.addWidget(facts_box, 2)
        inner = QWidget()
        inner_layout = QVBoxLayout(inner)
        inner_layout.addLayout(columns)
        inner_layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(inner)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scroll, 1)
        layout.addLayout(buttons)

        for signal in (self.summary_edit.textChanged, self.requests_edit.textChanged,
                       self.amount.textChanged, self.people_spin.valueChanged,
                       self.risk_combo.currentIndexChanged, self.category_combo.currentIndexChanged,
                       self.grid_combo.currentIndexChanged,
                       *(c.toggled for c in self.flag_checks.values())):
            signal.connect(self._on_field_changed)

    def _text_edit(self, lines: int, placeholder: str) -> QPlainTextEdit:
        edit = QPlainTextEdit()
        edit.setTabChangesFocus(True)
        edit.setPlaceholderText(placeholder)
        edit.setFixedHeight(edit.fontMetrics().lineSpacing() * lines + 14)
        return edit

    # --- loading ----------------------------------------------------------------------------
    def load(self, detail: CaseDetail, grids: list[str], *, keep_edits: bool = False,
             rebase: bool = False) -> None:
        """Show the case.

        Args:
            keep_edits: unsaved edits stay on screen.
            rebase: kept edits are saved against this version (only when the caller knows the
                new version did not touch the editable facts).
        """
        self._fill_facts(detail)
        if keep_edits and self._dirty:
            if rebase:
                self.base_version = detail.version
            return
        self._loading = True
        try:
            self.errors.clear()
            self.summary_edit.setPlainText(detail.summary)
            self.requests_edit.setPlainText(detail.requests or "")
            self.amount.setText(detail.amount_yuan)
            self.people_spin.setValue(detail.people_involved)
            self.risk_combo.set_current(detail.risk.level)
            for member, check in self.flag_checks.items():
                check.setChecked(member.value in detail.risk.flags)
            self.category_combo.set_current(detail.category)
            self.grid_combo.clear()
            self.grid_combo.addItem("（未指定）", None)
            for name in grids:
                self.grid_combo.addItem(name, name)
            if detail.grid and self.grid_combo.findData(detail.grid) < 0:
                self.grid_combo.addItem(detail.grid, detail.grid)
            self.grid_combo.setCurrentIndex(max(self.grid_combo.findData(detail.grid), 0))
        finally:
            self._loading = False
        self.base_version = detail.version
        self._loaded = self._values()
        self._set_dirty(False)

    def _fill_facts(self, detail: CaseDetail) -> None:
        earlier = "、".join(f"{c.number}（{c.reason}）" for c in detail.earlier_cases)
        values = {
            "number": detail.number, "ref": detail.ref, "source": detail.source_label,
            "track": track_text(detail), "organization": detail.organization,
            "level": detail.level_label, "village": f"{detail.village}（{detail.village_code}）",
            "received_on": _iso(detail.received_on), "accepted_on": _iso(detail.accepted_on),
            "closed_on": _iso(detail.closed_on), "mediators": "、".join(detail.mediators),
            "earlier": earlier,
        }
        for key, value in values.items():
            self.facts[key].setText(value or "—")

    # --- dirty tracking ---------------------------------------------------------------------
    def _values(self) -> dict[str, Any]:
        return {
            "summary": self.summary_edit.toPlainText().strip(),
            "requests": self.requests_edit.toPlainText().strip(),
            "amount_yuan": _money_key(self.amount.text()),
            "people_involved": self.people_spin.value(),
            "risk_level": self.risk_combo.current(),
            "risk_flags": tuple(m for m, c in self.flag_checks.items() if c.isChecked()),
            "category": self.category_combo.current(),
            "grid": self.grid_combo.currentData(),
        }

    def _on_field_changed(self, *_args: object) -> None:
        if not self._loading:
            self._set_dirty(self._values() != self._loaded)

    def _set_dirty(self, dirty: bool) -> None:
        changed = dirty != self._dirty
        self._dirty = dirty
        self.save_button.setEnabled(dirty)
        self.revert_button.setEnabled(dirty)
        self.dirty_label.setVisible(dirty)
        if changed:
            self.dirty_changed.emit(dirty)

    def is_dirty(self) -> bool:
        return self._dirty

    def changes(self) -> dict[str, Any]:
        """The edited fields only, as ``update_case_info`` takes them."""
        now = self._values()
        out: dict[str, Any] = {}
        for key, value in now.items():
            if value == self._loaded.get(key):
                continue
            if key == "amount_yuan":
                out[key] = self.amount.value()
            elif key == "risk_flags":
                out[key] = list(value)
            else:
                out[key] = value
        return out

    def show_errors(self, errors: list[ValidationError]) -> list[ValidationError]:
        return self.errors.show(errors)

    def _on_revert_button_clicked(self) -> None:
        self._restore(self._loaded)

    def _restore(self, values: dict[str, Any]) -> None:
        self._loading = True
        try:
            self.summary_edit.setPlainText(values["summary"])
            self.requests_edit.setPlainText(values["requests"])
            amount = values["amount_yuan"]
            self.amount.setText(f"{amount:.2f}" if isinstance(amount, Decimal) else str(amount))
            self.people_spin.setValue(values["people_involved"])
            self.risk_combo.set_current(values["risk_level"])
            for member, check in self.flag_checks.items():
                check.setChecked(member in values["risk_flags"])
            self.category_combo.set_current(values["category"])
            self.grid_combo.setCurrentIndex(max(self.grid_combo.findData(values["grid"]), 0))
        finally:
            self._loading = False
        self.errors.clear()
        self._set_dirty(False)


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None
