"""风险预警: the warnings the office's rules raised (所长 and 管理员: the office's; a mediator: their
cases'), 确认并记录跟进, the 已处理 list, 立即检查 and the 预警规则."""
from __future__ import annotations

from PySide6.QtGui import QColor, QShowEvent
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from mediator.domain.permissions import Permission
from mediator.services.risk.alerts import AlertRow, risk_alerts
from mediator.services.risk.evaluate import scan_risks
from mediator.services.risk.rules import office_rules
from mediator.ui.dialogs.risk_dialogs import AcknowledgeDialog, RulesDialog
from mediator.ui.env import UiEnv
from mediator.ui.ops import run_query
from mediator.ui.widgets.overview_bits import MessageLine, fill_table, grey_note, heading, read_only_table, selected_id

OPEN_HEADERS = ["案号", "预警规则", "等级", "起始日期", "详情"]
HANDLED_HEADERS = [*OPEN_HEADERS, "跟进人", "跟进情况", "确认人", "确认时间"]
LEVEL_COLORS = {"high": QColor("#c62828"), "medium": QColor("#ef6c00"), "low": None}


class RiskPage(QWidget):
    """The list (未处理 or 已处理), and the acts on the selected warning."""

    def __init__(self, env: UiEnv, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.env = env
        self.alerts: list[AlertRow] = []
        self.dialog: AcknowledgeDialog | RulesDialog | None = None
        self.filter = QComboBox()
        self.filter.addItem("未处理", False)
        self.filter.addItem("已处理", True)
        self.count = QLabel()
        self.table = read_only_table(OPEN_HEADERS, stretch=4)
        self.table.setObjectName("risk_alerts")
        self.ack_button = QPushButton("确认并记录跟进…")
        self.open_button = QPushButton("打开案件")
        self.scan_button = QPushButton("立即检查")
        self.scan_button.setToolTip("检查高风险案件是否久无进展（每日自动检查一次）")
        self.rules_button = QPushButton("预警规则…")
        self.refresh_button = QPushButton("刷新")
        self.message = MessageLine()
        self.ack_button.setVisible(env.can(Permission.CASE_HANDLE))
        supervises = env.can(Permission.CASE_SUPERVISE)
        self.scan_button.setVisible(supervises)
        self.rules_button.setVisible(supervises)
        self._layout()
        self.filter.currentIndexChanged.connect(lambda _i: self.refresh())
        self.refresh_button.clicked.connect(lambda _=False: self.refresh())
        self.ack_button.clicked.connect(lambda _=False: self.acknowledge())
        self.open_button.clicked.connect(lambda _=False: self.open_case())
        self.scan_button.clicked.connect(lambda _=False: self.scan())
        self.rules_button.clicked.connect(lambda _=False: self.edit_rules())
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.table.itemDoubleClicked.connect(lambda _item: self.open_case())
        env.signals.cases_changed.connect(self._on_cases_changed)
        self._stale = True
        self._update_buttons()

    def _layout(self) -> None:
        bar = QHBoxLayout()
        bar.addWidget(self.filter)
        bar.addWidget(self.count)
        bar.addStretch(1)
        for button in (self.ack_button, self.open_button, self.scan_button, self.rules_button, self.refresh_button):
            bar.addWidget(button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.addWidget(heading("风险预警", 14))
        layout.addWidget(grey_note("按本所的预警规则，案件登记、办理时即时检查，高风险案件久无进展每日检查。"
                                   "每条预警须确认并记录跟进情况（谁跟进、做了什么）后移入“已处理”。"))
        layout.addLayout(bar)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.message)

    # --- loading --------------------------------------------------------------------------------

    @property
    def handled(self) -> bool:
        return bool(self.filter.currentData())

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            self.refresh()

    def on_shown(self) -> None:
        if self._stale:
            self.refresh()

    def refresh(self) -> None:
        self._stale = False
        ctx, handled = self.env.ctx, self.handled
        run_query(self.env, self, lambda: risk_alerts(ctx, handled=handled), self._show)

    def _on_cases_changed(self, _ids: list) -> None:
        self._stale = True
        if self.isVisible():
            self.refresh()

    def _show(self, alerts: list[AlertRow]) -> None:
        self.alerts = alerts
        headers = HANDLED_HEADERS if self.handled else OPEN_HEADERS
        self.table.setColumnCount(len(headers))
        self.table.setHorizontalHeaderLabels(headers)
        rows = []
        for a in alerts:
            row = [a.number, a.rule_label, a.level_label, a.since.isoformat(), a.detail]
            if self.handled:
                at = a.acknowledged_at.astimezone(self.env.ctx.now().tzinfo).strftime("%Y-%m-%d %H:%M")
                row += [a.follow_up_by, a.follow_up, a.acknowledged_by, at]
            rows.append(row)
        colors = [None if a.handled else LEVEL_COLORS.get(a.level) for a in alerts]  # open ones by level
        fill_table(self.table, rows, ids=[a.id for a in alerts], colors=colors)
        self.count.setText(f"共{len(alerts)}条")
        self._update_buttons()

    # --- acts -----------------------------------------------------------------------------------

    def selected(self) -> AlertRow | None:
        alert_id = selected_id(self.table)
        return next((a for a in self.alerts if a.id == alert_id), None)

    def _update_buttons(self) -> None:
        alert = self.selected()
        self.ack_button.setEnabled(alert is not None and not alert.handled)
        self.open_button.setEnabled(alert is not None)

    def acknowledge(self) -> AcknowledgeDialog | None:
        alert = self.selected()
        if alert is None or alert.handled:
            self.message.refused("请先选择一条未处理的预警")
            return None
        self.message.clear_message()
        self.dialog = AcknowledgeDialog(self.env, alert, self)
        self.dialog.accepted.connect(lambda: self.message.done(f"已确认{alert.number}的预警，跟进情况已记录"))
        self.dialog.open()
        return self.dialog

    def open_case(self) -> None:
        alert = self.selected()
        if alert is not None:
            self.env.signals.open_case_requested.emit(alert.case_id)

    def scan(self) -> None:
        ctx = self.env.ctx
        run_query(self.env, self, lambda: scan_risks(ctx), self._scanned, label="正在检查…")

    def _scanned(self, raised: list[int]) -> None:
        self.message.done(f"检查完成，新增{len(raised)}条预警")
        self.refresh()

    def edit_rules(self) -> None:
        ctx = self.env.ctx
        run_query(self.env, self, lambda: office_rules(ctx), self._open_rules)

    def _open_rules(self, rules) -> None:
        self.dialog = RulesDialog(self.env, rules, self)
        self.dialog.accepted.connect(lambda: self.message.done("预警规则已保存"))
        self.dialog.open()
