"""统计报表: counts for a period — received by source, category and track; outcomes; success rate."""
from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QDateEdit,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from mediator.domain.errors import ValidationError
from mediator.services.overview import PeriodReport, period_report
from mediator.ui.env import UiEnv
from mediator.ui.errors import show_error
from mediator.ui.widgets.overview_bits import fill_table, grey_note, heading, read_only_table


def _qdate(d: date) -> QDate:
    return QDate(d.year, d.month, d.day)


def _quarter_start(d: date) -> date:
    return date(d.year, 3 * ((d.month - 1) // 3) + 1, 1)


class ReportsPage(QWidget):
    """Pick a period, press 统计 (Enter), read the counts."""

    def __init__(self, env: UiEnv) -> None:
        super().__init__()
        self.env = env
        self.report: PeriodReport | None = None
        today = env.ctx.today()
        self.date_from = self._date_edit(date(today.year, today.month, 1))
        self.date_to = self._date_edit(today)
        self.month_button = QPushButton("本月")
        self.quarter_button = QPushButton("本季度")
        self.year_button = QPushButton("本年")
        self.run_button = QPushButton("统计")
        self.run_button.setDefault(True)
        self.error = QLabel()
        self.error.setStyleSheet("color: #c62828;")
        self.headline = QLabel()
        font = self.headline.font()
        font.setPointSize(11)
        self.headline.setFont(font)

        self.outcome_table = read_only_table(["项目", "数量"], stretch=0)
        self.track_table = read_only_table(["调解类型", "受理数"], stretch=0)
        self.source_table = read_only_table(["来源", "受理数"], stretch=0)
        self.category_table = read_only_table(["纠纷类型", "受理数"], stretch=0)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.addWidget(heading("统计报表", 14))
        bar = QHBoxLayout()
        bar.addWidget(QLabel("统计期间"))
        bar.addWidget(self.date_from)
        bar.addWidget(QLabel("至"))
        bar.addWidget(self.date_to)
        bar.addSpacing(8)
        for button in (self.month_button, self.quarter_button, self.year_button):
            bar.addWidget(button)
        bar.addSpacing(8)
        bar.addWidget(self.run_button)
        bar.addWidget(self.error)
        bar.addStretch(1)
        layout.addLayout(bar)
        layout.addWidget(self.headline)
        grid = QGridLayout()
        grid.setHorizontalSpacing(16)
        grid.addWidget(heading("调解结果"), 0, 0)
        grid.addWidget(self.outcome_table, 1, 0)
        grid.addWidget(heading("按调解类型"), 2, 0)
        grid.addWidget(self.track_table, 3, 0)
        grid.addWidget(heading("按来源"), 0, 1)
        grid.addWidget(self.source_table, 1, 1, 3, 1)
        grid.addWidget(heading("按纠纷类型"), 0, 2)
        grid.addWidget(self.category_table, 1, 2, 3, 1)
        grid.setRowStretch(1, 1)
        grid.setRowStretch(3, 1)
        layout.addLayout(grid, 1)
        layout.addWidget(grey_note(
            "受理数按登记（收到）日期统计；调解结果按期间内“达成协议”“调解不成（终止）”“撤回”的记录统计，"
            "调解成功率 = 调解成功 ÷（调解成功 + 调解终止 + 撤回）。"
            "正式的月报、季报、年报格式及 Excel 导出将在后续版本提供。"))

        self.month_button.clicked.connect(self._on_month_button_clicked)
        self.quarter_button.clicked.connect(self._on_quarter_button_clicked)
        self.year_button.clicked.connect(self._on_year_button_clicked)
        self.run_button.clicked.connect(self.refresh)
        self.refresh()

    @staticmethod
    def _date_edit(d: date) -> QDateEdit:
        edit = QDateEdit(_qdate(d))
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("yyyy-MM-dd")
        return edit

    def set_period(self, date_from: date, date_to: date) -> None:
        self.date_from.setDate(_qdate(date_from))
        self.date_to.setDate(_qdate(date_to))
        self.refresh()

    def refresh(self) -> None:
        ctx = self.env.ctx
        start, end = self.date_from.date().toPython(), self.date_to.date().toPython()
        self.error.clear()
        self.env.runner.run(lambda: period_report(ctx, start, end), on_done=self._show,
                            on_error=self._on_report_error, parent=self, label="正在统计…")

    def _on_report_error(self, exc: BaseException) -> None:
        if isinstance(exc, ValidationError):
            self.error.setText(exc.message)
        else:
            show_error(self, exc)

    def _show(self, report: PeriodReport) -> None:
        self.report = report
        self.headline.setText(f"{report.date_from.isoformat()} 至 {report.date_to.isoformat()}："
                              f"受理 {report.received} 件，调解成功 {report.agreed} 件，"
                              f"调解成功率 {report.success_rate_text}")
        fill_table(self.outcome_table, [
            ("受理纠纷数", report.received),
            ("调解成功（达成协议）", report.agreed),
            ("调解终止", report.failed),
            ("撤回", report.withdrawn),
            ("调解成功率", report.success_rate_text),
        ], bold=[False, False, False, False, True])
        self._right_align(self.outcome_table, 4)
        fill_table(self.track_table, report.by_track)
        fill_table(self.source_table, report.by_source)
        fill_table(self.category_table, report.by_category)

    @staticmethod
    def _right_align(table: QTableWidget, row: int) -> None:
        item = table.item(row, 1)
        if item is not None:
            item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)

    def _on_month_button_clicked(self) -> None:
        today = self.env.ctx.today()
        self.set_period(date(today.year, today.month, 1), today)

    def _on_quarter_button_clicked(self) -> None:
        today = self.env.ctx.today()
        self.set_period(_quarter_start(today), today)

    def _on_year_button_clicked(self) -> None:
        today = self.env.ctx.today()
        self.set_period(date(today.year, 1, 1), today)
