"""风险预警 dialogs: 确认并记录跟进 (who followed the warning up, what was done) and 预警规则
(the office's rules: on or off, level, N, the words)."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from PySide6.QtWidgets import QCheckBox, QComboBox, QHBoxLayout, QLineEdit, QPlainTextEdit, QSpinBox, QWidget

from mediator.domain.enums import RiskLevel
from mediator.domain.risk_rules import NUMBER_LABELS, NUMBER_RANGES, RiskRule, RuleKind, split_words
from mediator.services.risk.alerts import AlertRow, acknowledge_alert
from mediator.services.risk.rules import save_rules
from mediator.ui.env import UiEnv
from mediator.ui.widgets.overview_bits import grey_note
from mediator.ui.widgets.service_dialog import ServiceDialog


def _text_box(lines: int) -> QPlainTextEdit:
    box = QPlainTextEdit()
    box.setTabChangesFocus(True)
    box.setFixedHeight(box.fontMetrics().lineSpacing() * lines + 14)
    return box


class AcknowledgeDialog(ServiceDialog):
    """确认并记录跟进: the warning, then 跟进人 and 跟进情况; 确定 takes it off the open list."""

    def __init__(self, env: UiEnv, alert: AlertRow, parent: QWidget | None = None) -> None:
        super().__init__(env, "确认预警并记录跟进", parent)
        self.alert = alert
        self.add_info("案号", alert.number)
        self.add_info("预警规则", f"{alert.rule_label}（{alert.level_label}）  自{alert.since.isoformat()}")
        self.add_info("详情", alert.detail)
        self.who = self.add_field("follow_up_by", "跟进人", QLineEdit(env.user.display_name))
        self.note = self.add_field("follow_up", "跟进情况", _text_box(4))
        self.note.setPlaceholderText("采取了哪些措施，如：已约谈当事人、通报村委会和派出所稳控")

    def task(self) -> Callable[[], Any]:
        ctx, alert_id = self.env.ctx, self.alert.id
        who, note = self.who.text(), self.note.toPlainText()
        return lambda: acknowledge_alert(ctx, alert_id, who, note)


class _RuleRow:
    """The widgets of one rule: 启用, 等级, and its N or its words."""

    def __init__(self, rule: RiskRule) -> None:
        self.rule = rule
        self.enabled = QCheckBox("启用")
        self.enabled.setChecked(rule.enabled)
        self.level = QComboBox()
        for code, label in RiskLevel.choices():
            self.level.addItem(f"{label}风险", code)
        self.level.setCurrentIndex(self.level.findData(rule.level.value))
        self.number: QSpinBox | None = None
        self.words: QPlainTextEdit | None = None
        self.line = QWidget()
        layout = QHBoxLayout(self.line)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.enabled)
        layout.addWidget(self.level)
        if rule.kind in NUMBER_LABELS:
            self.number = QSpinBox()
            low, high = NUMBER_RANGES[rule.kind]
            self.number.setRange(low, high)
            self.number.setValue(rule.number or low)
            self.number.setPrefix(NUMBER_LABELS[rule.kind] + " ")
            layout.addWidget(self.number)
        layout.addStretch(1)
        if rule.kind is RuleKind.WORDS:
            self.words = _text_box(2)
            self.words.setPlainText("、".join(rule.words))

    def value(self) -> RiskRule:
        return replace(self.rule, enabled=self.enabled.isChecked(), level=RiskLevel(self.level.currentData()),
                       number=self.number.value() if self.number is not None else None,
                       words=split_words(self.words.toPlainText()) if self.words is not None else ())


class RulesDialog(ServiceDialog):
    """预警规则 of the office: each rule on or off, its level, and its N or words."""

    def __init__(self, env: UiEnv, rules: tuple[RiskRule, ...], parent: QWidget | None = None) -> None:
        super().__init__(env, "风险预警规则", parent)
        self.setMinimumWidth(560)
        self.rows: dict[RuleKind, _RuleRow] = {}
        for rule in rules:
            row = self.rows[rule.kind] = _RuleRow(rule)
            key = f"{rule.kind.value}.number" if row.number is not None else f"{rule.kind.value}.level"
            self.add_field(key, rule.label, row.line)
            if row.words is not None:
                self.add_field(f"{rule.kind.value}.words", "预警词语", row.words)
        self.form.addRow("", grey_note("词语用顿号或空格分隔；案情（纠纷简要情况、申请事项）或调解笔录中"
                                       "出现任一词语即预警。“高风险”指案件的风险等级为高。"
                                       "修改后对此后登记和办理的案件生效。"))

    def task(self) -> Callable[[], Any]:
        ctx = self.env.ctx
        rules = [row.value() for row in self.rows.values()]
        return lambda: save_rules(ctx, rules)
