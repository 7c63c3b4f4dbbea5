"""日程提醒: the case deadlines open on a day, as 逾期 / 今天 / 本周 / 以后, filtered by kind."""
from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTabBar,
    QVBoxLayout,
    QWidget,
)

from mediator.domain.enums import DeadlineKind
from mediator.services.overview import BUCKETS, DeadlineRow, deadline_rows
from mediator.ui.env import UiEnv
from mediator.ui.errors import show_error
from mediator.ui.widgets.deadline_table import DeadlineTable
from mediator.ui.widgets.overview_bits import RED, grey_note, heading

# Deadlines kept on cases (advisor visits and appointment ends are not case deadlines).
CASE_KINDS = [DeadlineKind.HANDLING, DeadlineKind.ESCALATION, DeadlineKind.JUDICIAL_CONFIRMATION,
              DeadlineKind.PERFORMANCE, DeadlineKind.FOLLOW_UP, DeadlineKind.REVIEW]


def to_qdate(d: date) -> QDate:
    return QDate(d.year, d.month, d.day)


class RemindersPage(QWidget):
    """Open deadlines on the chosen date; double-click a row to open its case."""

    def __init__(self, env: UiEnv) -> None:
        super().__init__()
        self.env = env
        self.rows: list[DeadlineRow] = []
        self.buckets = list(BUCKETS)  # overdue, today, week, later

        self.on_date = QDateEdit()
        self.on_date.setCalendarPopup(True)
        self.on_date.setDisplayFormat("yyyy-MM-dd")
        self.on_date.setDate(to_qdate(env.ctx.today()))
        self.today_button = QPushButton("今天")
        self.kind = QComboBox()
        self.kind.addItem("全部事项", None)
        for kind in CASE_KINDS:
            self.kind.addItem(kind.label, kind.value)
        self.count = QLabel()
        self.tabs = QTabBar()
        self.tabs.setExpanding(False)
        self.tabs.setDrawBase(False)
        for key in self.buckets:
            self.tabs.addTab(BUCKETS[key])
        self.tabs.setTabTextColor(0, RED)
        self.table = DeadlineTable()
        self.empty = grey_note("")
        self.empty.hide()

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.addWidget(heading("日程提醒", 14))
        bar = QHBoxLayout()
        bar.addWidget(QLabel("日期"))
        bar.addWidget(self.on_date)
        bar.addWidget(self.today_button)
        bar.addSpacing(16)
        bar.addWidget(QLabel("事项"))
        bar.addWidget(self.kind)
        bar.addStretch(1)
        bar.addWidget(self.count)
        layout.addLayout(bar)
        layout.addWidget(self.tabs)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty)
        layout.addWidget(grey_note("逾期：到期日已过仍未办结；本周：本周日以前到期；以后：下周及以后到期。"
                                   "双击一行（或选中后按回车）打开案件。"))

        self.on_date.dateChanged.connect(self._on_on_date_date_changed)
        self.today_button.clicked.connect(self._on_today_button_clicked)
        self.kind.currentIndexChanged.connect(self._on_kind_current_index_changed)
        self.tabs.currentChanged.connect(self._on_tabs_current_changed)
        self.table.case_requested.connect(env.signals.open_case_requested.emit)
        env.signals.cases_changed.connect(self._on_signals_cases_changed)
        env.signals.reminders_changed.connect(self.refresh)
        self._chosen_tab = False
        self.refresh()

    def selected_date(self) -> date:
        return self.on_date.date().toPython()

    def on_shown(self) -> None:
        self.refresh()

    def refresh(self) -> None:
        on = self.selected_date()
        kind = self.kind.currentData()
        kinds = [kind] if kind else None
        self.env.runner.run(lambda: deadline_rows(self.env.ctx, on, kinds=kinds),
                            on_done=self._show, on_error=lambda e: show_error(self, e))

    def _show(self, rows: list[DeadlineRow]) -> None:
        self.rows = rows
        on = self.selected_date()
        counts = {key: 0 for key in self.buckets}
        for row in rows:
            counts[row.bucket(on)] += 1
        for i, key in enumerate(self.buckets):
            self.tabs.setTabText(i, f"{BUCKETS[key]}（{counts[key]}）")
        if not self._chosen_tab:
            # Open on the most pressing non-empty group until the user picks one.
            first = next((i for i, key in enumerate(self.buckets) if counts[key]), 0)
            self.tabs.blockSignals(True)
            self.tabs.setCurrentIndex(first)
            self.tabs.blockSignals(False)
        self.count.setText(f"共{len(rows)}项未办结")
        self._show_tab()

    def _show_tab(self) -> None:
        on = self.selected_date()
        key = self.buckets[self.tabs.currentIndex()]
        shown = [r for r in self.rows if r.bucket(on) == key]
        self.table.load(shown)
        self.empty.setText(f"没有{BUCKETS[key]}的事项。")
        self.empty.setVisible(not shown)

    def _on_tabs_current_changed(self, _index: int) -> None:
        self._chosen_tab = True
        self._show_tab()

    def _on_on_date_date_changed(self, _date: QDate) -> None:
        self.refresh()

    def _on_today_button_clicked(self) -> None:
        self.on_date.setDate(to_qdate(self.env.ctx.today()))

    def _on_kind_current_index_changed(self, _index: int) -> None:
        self.refresh()

    def _on_signals_cases_changed(self, _ids: list) -> None:
        self.refresh()
