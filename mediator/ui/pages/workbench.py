"""工作台: cases by status and the deadlines that need attention now (overdue, today, soon)."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from mediator.domain.calendar import format_date_cn, weekday_name
from mediator.domain.enums import CaseStatus
from mediator.services.lookups import organizations
from mediator.services.overview import DeadlineRow, StatusCount, deadline_rows, status_counts
from mediator.ui.env import UiEnv
from mediator.ui.errors import show_error
from mediator.ui.widgets.deadline_table import DeadlineTable, order_for_workbench
from mediator.ui.widgets.overview_bits import grey_note, heading


class StatusTile(QFrame):
    """One status and how many cases are in it."""

    def __init__(self, status: CaseStatus) -> None:
        super().__init__()
        self.status = status
        self.setObjectName(f"tile_{status.value}")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setMinimumWidth(96)
        self.count = QLabel("—")
        font = self.count.font()
        font.setPointSize(20)
        font.setBold(True)
        self.count.setFont(font)
        self.count.setAlignment(Qt.AlignmentFlag.AlignCenter)
        caption = QLabel(status.label)
        caption.setAlignment(Qt.AlignmentFlag.AlignCenter)
        caption.setStyleSheet("color: #555;")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.addWidget(self.count)
        layout.addWidget(caption)

    def set_count(self, count: int) -> None:
        self.count.setText(str(count))


class WorkbenchPage(QWidget):
    """Counts of cases by status; overdue and due-today deadlines first, then those due soon.

    Double-clicking (or Enter on) a deadline asks the main window to open its case.
    """

    def __init__(self, env: UiEnv) -> None:
        super().__init__()
        self.env = env
        user = env.user
        self.greeting = QLabel(f"{user.display_name}（{user.role.label}）")
        self.greeting.setStyleSheet("color: #555;")
        self.tiles = {s: StatusTile(s) for s in CaseStatus}
        self.total = QLabel()
        self.summary = QLabel()
        self.own_only = QCheckBox("只看本单位案件")
        self.own_only.setVisible(user.organization_id is not None)
        self.table = DeadlineTable()
        self.empty = grey_note("没有逾期或即将到期的事项。")
        self.empty.hide()

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        top = QHBoxLayout()
        top.addWidget(heading("工作台", 14))
        top.addSpacing(12)
        top.addWidget(self.greeting)
        top.addStretch(1)
        layout.addLayout(top)
        layout.addSpacing(8)
        counts_bar = QHBoxLayout()
        counts_bar.addWidget(heading("案件概况"))
        counts_bar.addSpacing(8)
        counts_bar.addWidget(self.total)
        counts_bar.addStretch(1)
        layout.addLayout(counts_bar)
        grid = QGridLayout()
        grid.setHorizontalSpacing(8)
        for i, tile in enumerate(self.tiles.values()):
            grid.addWidget(tile, 0, i)
        layout.addLayout(grid)
        layout.addSpacing(12)
        bar = QHBoxLayout()
        bar.addWidget(heading("到期提醒"))
        bar.addSpacing(8)
        bar.addWidget(self.summary)
        bar.addStretch(1)
        bar.addWidget(self.own_only)
        layout.addLayout(bar)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty)
        layout.addWidget(grey_note("逾期和今天到期的排在前面，其后是提醒天数内到期的事项。双击一行（或选中后按回车）打开案件。"))

        self.table.case_requested.connect(env.signals.open_case_requested.emit)
        self.own_only.toggled.connect(self._on_own_only_toggled)
        env.signals.cases_changed.connect(self._on_signals_cases_changed)
        env.signals.reminders_changed.connect(self.refresh)
        env.signals.reference_changed.connect(self.refresh)
        self._set_organization_caption()
        self.refresh()

    def _set_organization_caption(self) -> None:
        org_id = self.env.user.organization_id
        if org_id is None:
            return
        name = next((o.name for o in organizations(self.env.ctx) if o.id == org_id), None)
        if name:
            self.own_only.setText(f"只看本单位（{name}）")

    def on_shown(self) -> None:
        self.refresh()

    def refresh(self) -> None:
        ctx = self.env.ctx
        today = ctx.today()
        org = self.env.user.organization_id if self.own_only.isChecked() else None

        def load() -> tuple[list[StatusCount], list[DeadlineRow]]:
            return status_counts(ctx), deadline_rows(ctx, today, organization_id=org)

        self.env.runner.run(load, on_done=self._show, on_error=lambda e: show_error(self, e))

    def _show(self, result: tuple[list[StatusCount], list[DeadlineRow]]) -> None:
        counts, rows = result
        ctx = self.env.ctx
        today = ctx.today()
        self.greeting.setText(f"{self.env.user.display_name}（{self.env.user.role.label}） · "
                              f"今天是{format_date_cn(today)} {weekday_name(today)}")
        for count in counts:
            self.tiles[count.status].set_count(count.count)
        self.total.setText(f"共{sum(c.count for c in counts)}件")
        warn = ctx.deadline_settings.warn_days
        shown = order_for_workbench(rows, today, warn)
        overdue = sum(1 for r in shown if r.days_left < 0)
        due_today = sum(1 for r in shown if r.days_left == 0)
        soon = len(shown) - overdue - due_today
        self.summary.setText(f"逾期 {overdue} 项 · 今天到期 {due_today} 项 · {warn}日内到期 {soon} 项")
        self.table.load(shown)
        self.empty.setVisible(not shown)

    def _on_own_only_toggled(self, _checked: bool) -> None:
        self.refresh()

    def _on_signals_cases_changed(self, _ids: list) -> None:
        self.refresh()
