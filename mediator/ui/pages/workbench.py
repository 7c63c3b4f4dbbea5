"""工作台: overdue and due-today items first, case counts, then charts and the village map.

Every bar, point and map place drills down: the main window shows the case list with that filter
(``AppSignals.show_cases_requested``).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from mediator.domain.calendar import format_date_cn, weekday_name
from mediator.domain.enums import CaseStatus, Category, Level
from mediator.services.cases.read import CaseFilter
from mediator.services.places.choices import organizations
from mediator.services.reminders.summary import ReminderSummary, reminder_summary
from mediator.services.reports.dashboard import (
    OPEN,
    Dashboard,
    StatusCount,
    VillageMap,
    dashboard,
    status_counts,
    village_map,
)
from mediator.services.reports.resolution import LevelResolution, resolution_by_level
from mediator.services.reports.statistics import ALL, Period, ReportScope
from mediator.ui.env import UiEnv
from mediator.ui.ops import run_query
from mediator.ui.widgets.charts import ALERT, BarChartView, RateChartView
from mediator.ui.widgets.due_views import DueTable
from mediator.ui.widgets.overview_bits import grey_note, heading
from mediator.ui.widgets.village_map import PlaceKey, VillageMapPanel


def resolution_text(found: LevelResolution) -> str:
    """“网格 3 · 村（社区） 5 · … ｜ 不出网格 20.0%” for the 工作台's 化解层级 line."""
    counts = " · ".join(f"{level.label} {found.by_level[level.value]}件" for level in Level)
    shares = "　".join(f"{label} {'—' if share is None else f'{share * 100:.1f}%'}"
                      for label, share in (("不出网格", found.share_in_grid),
                                           ("不出社区", found.share_in_village),
                                           ("不出街道", found.share_in_township)))
    return f"{counts}　｜　{shares}"


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
        font.setPointSize(16)
        font.setBold(True)
        self.count.setFont(font)
        self.count.setAlignment(Qt.AlignmentFlag.AlignCenter)
        caption = QLabel(status.label)
        caption.setAlignment(Qt.AlignmentFlag.AlignCenter)
        caption.setStyleSheet("color: #555;")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        layout.setSpacing(0)
        layout.addWidget(self.count)
        layout.addWidget(caption)

    def set_count(self, count: int) -> None:
        self.count.setText(str(count))


@dataclass(frozen=True)
class WorkbenchData:
    counts: list[StatusCount]
    # The 需提醒 of one organisation; None: the office's, the shared reading of the badge and the
    # status bar (``UiEnv.due_snapshot``).
    reminders: ReminderSummary | None
    dashboard: Dashboard
    village_map: VillageMap
    resolution: LevelResolution  # 化解层级 over the charts' 12 months


class WorkbenchPage(QWidget):
    """Deadlines needing attention now, counts by status, charts and the map.

    Double-clicking (or Enter on) a deadline asks the main window to open its case; clicking a
    bar, a point or a place asks it to show the case list with that filter.
    """

    def __init__(self, env: UiEnv) -> None:
        super().__init__()
        self.env = env
        self.data: WorkbenchData | None = None
        user = env.user
        self.greeting = QLabel(f"{user.display_name}（{user.role.label}）")
        self.greeting.setStyleSheet("color: #555;")
        self.tiles = {s: StatusTile(s) for s in CaseStatus}
        self.total = QLabel()
        self.summary = QLabel()
        self.own_only = QCheckBox("只看本单位案件")
        self.own_only.setVisible(user.organization_id is not None)
        self.table = DueTable()
        self.table.setMaximumHeight(190)
        self.empty = grey_note("没有逾期或即将到期的事项。")
        self.empty.hide()
        self.resolution = QLabel("—")
        self.resolution.setObjectName("workbench_resolution")
        self.resolution.setToolTip("近12个月调解成功的案件按处理层级，网格含网格内化解的上报；"
                                   "比例为不出网格、不出村（社区）、不出乡镇（街道）化解的占比")
        self.month_chart = BarChartView("近12个月收案数（件）")
        self.category_chart = BarChartView("近12个月收案按纠纷类型（件）", horizontal=True)
        self.rate_chart = RateChartView("近12个月调解成功率（调解成功 ÷ 调解结束）")
        self.level_chart = BarChartView("办理中案件按处理层级（件）")
        self.mediator_chart = BarChartView("有逾期事项的案件按调解员（件）", horizontal=True, color=ALERT)
        self.map_panel = VillageMapPanel()
        self.charts = QTabWidget()
        self.charts.setObjectName("workbench_charts")
        for widget, title in ((self.month_chart, "收案趋势"), (self.category_chart, "纠纷类型"),
                              (self.rate_chart, "调解成功率"), (self.level_chart, "办理层级"),
                              (self.mediator_chart, "逾期（按调解员）"), (self.map_panel, "村（社区）地图")):
            self.charts.addTab(widget, title)
        self._build_layout()

        self.table.case_requested.connect(env.signals.open_case_requested.emit)
        self.own_only.toggled.connect(self._on_own_only_toggled)
        self.month_chart.bar_clicked.connect(self._on_month_chart_bar_clicked)
        self.rate_chart.point_clicked.connect(self._on_month_chart_bar_clicked)
        self.category_chart.bar_clicked.connect(self._on_category_chart_bar_clicked)
        self.level_chart.bar_clicked.connect(self._on_level_chart_bar_clicked)
        self.mediator_chart.bar_clicked.connect(self._on_mediator_chart_bar_clicked)
        self.map_panel.place_clicked.connect(self._on_map_panel_place_clicked)
        env.signals.cases_changed.connect(self._on_signals_cases_changed)
        env.signals.reminders_changed.connect(self.refresh)
        env.signals.reference_changed.connect(self.refresh)
        self.due = env.due_snapshot()
        self.due.changed.connect(self._on_due_changed)
        self._set_organization_caption()
        self.refresh()
        self._just_loaded = True  # the main window shows this page first: don't load it twice

    def _build_layout(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 10, 16, 10)
        layout.setSpacing(6)
        top = QHBoxLayout()
        top.addWidget(heading("工作台", 14))
        top.addSpacing(12)
        top.addWidget(self.greeting)
        top.addStretch(1)
        top.addWidget(self.own_only)
        layout.addLayout(top)
        bar = QHBoxLayout()
        bar.addWidget(heading("到期提醒"))
        bar.addSpacing(8)
        bar.addWidget(self.summary)
        bar.addStretch(1)
        hint = QLabel("逾期、今天到期的排在前面；推迟或不再提醒的不列出；双击一行（或回车）打开案件")
        hint.setStyleSheet("color: #777;")
        bar.addWidget(hint)
        layout.addLayout(bar)
        layout.addWidget(self.table)
        layout.addWidget(self.empty)
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
        levels = QHBoxLayout()
        levels.addWidget(heading("化解层级"))
        levels.addSpacing(8)
        levels.addWidget(self.resolution)
        levels.addStretch(1)
        layout.addLayout(levels)
        layout.addWidget(self.charts, 1)

    def _set_organization_caption(self) -> None:
        org_id = self.env.user.organization_id
        if org_id is None:
            return
        name = next((o.name for o in organizations(self.env.ctx) if o.id == org_id), None)
        if name:
            self.own_only.setText(f"只看本单位（{name}）")

    # --- loading --------------------------------------------------------------------------------
    def scope(self) -> ReportScope:
        org = self.env.user.organization_id
        if self.own_only.isChecked() and org is not None:
            return ReportScope("organization", org, "")
        return ALL

    def on_shown(self) -> None:
        if self._just_loaded:
            self._just_loaded = False
            return
        self.refresh()

    def refresh(self) -> None:
        ctx = self.env.ctx
        today = ctx.today()
        scope = self.scope()
        org = scope.id

        def load() -> WorkbenchData:
            board = dashboard(ctx, today, scope)
            window = Period.custom(*board.window)
            own = reminder_summary(ctx, today, organization_id=org) if org is not None else None
            return WorkbenchData(status_counts(ctx), own, board, village_map(ctx, window, scope),
                                 resolution_by_level(ctx, window, scope))

        run_query(self.env, self, load, self._show)

    def _show(self, data: WorkbenchData) -> None:
        self.data = data
        ctx = self.env.ctx
        today = ctx.today()
        self.greeting.setText(f"{self.env.user.display_name}（{self.env.user.role.label}） · "
                              f"今天是{format_date_cn(today)} {weekday_name(today)}")
        for count in data.counts:
            self.tiles[count.status].set_count(count.count)
        self.total.setText(f"共{sum(c.count for c in data.counts)}件")
        if data.reminders is not None:
            self._show_reminders(data.reminders, "本单位")
        elif self.due.summary is not None:
            self._show_reminders(self.due.summary)
        else:
            self.due.ensure()  # shown when read (``_on_due_changed``)
        self._show_charts(data.dashboard)
        self.resolution.setText(resolution_text(data.resolution))
        self.map_panel.show_map(data.village_map)

    def _on_due_changed(self, summary: ReminderSummary) -> None:
        if self.scope().id is None:
            self._show_reminders(summary)

    def _show_reminders(self, summary: ReminderSummary, own: str = "") -> None:
        """The reminders that need attention, as the 日程提醒 badge and the status bar count them
        (overdue and due today come first: the list is soonest first, its first LIST_LIMIT)."""
        shown = list(summary.items)
        more = f"（列出最早的{len(shown)}项）" if len(shown) < summary.attention else ""
        self.summary.setText(own + summary.text + more)
        self.table.load(shown)
        self.table.setVisible(bool(shown))
        self.empty.setVisible(not shown)

    def _show_charts(self, board: Dashboard) -> None:
        months = board.months
        self.month_chart.set_bars([m.label for m in months], [m.received for m in months],
                                  [(m.year, m.month) for m in months])
        self.rate_chart.set_points([m.label for m in months],
                                   [None if m.success_rate is None else float(m.success_rate * 100)
                                    for m in months], [(m.year, m.month) for m in months])
        shown = sorted(board.categories, key=lambda item: -item[1])[:12]  # the busiest first
        self.category_chart.set_bars([Category(c).label for c, _ in shown], [n for _, n in shown],
                                     [c for c, _ in shown])
        self.level_chart.set_bars([Level(c).label for c, _ in board.open_by_level],
                                  [n for _, n in board.open_by_level], [c for c, _ in board.open_by_level])
        loads = board.overdue_by_mediator[:15]
        self.mediator_chart.set_bars([f"{m.name}（{m.organization}）" for m in loads],
                                     [m.overdue_cases for m in loads], [m.mediator_id for m in loads])

    # --- drill-down -----------------------------------------------------------------------------
    def _base_filter(self) -> CaseFilter:
        return CaseFilter(organization_id=self.scope().id)

    def _window(self) -> tuple[date, date]:
        if self.data is None:
            today = self.env.ctx.today()
            return date(today.year, 1, 1), today
        return self.data.dashboard.window

    def _request(self, f: CaseFilter) -> None:
        self.env.signals.show_cases_requested.emit(f)

    def _on_month_chart_bar_clicked(self, key: tuple[int, int]) -> None:
        period = Period.month(*key)
        f = self._base_filter()
        f.date_from, f.date_to = period.date_from, period.date_to
        self._request(f)

    def _on_category_chart_bar_clicked(self, code: str) -> None:
        f = self._base_filter()
        f.category = code
        f.date_from, f.date_to = self._window()
        self._request(f)

    def _on_level_chart_bar_clicked(self, code: str) -> None:
        f = self._base_filter()
        f.level, f.status = code, list(OPEN)
        self._request(f)

    def _on_mediator_chart_bar_clicked(self, mediator_id: int) -> None:
        f = self._base_filter()
        f.mediator_id, f.overdue_on = mediator_id, self.env.ctx.today()
        self._request(f)

    def _on_map_panel_place_clicked(self, key: PlaceKey, mode: str) -> None:
        f = self._base_filter()
        f.village_id, f.grid_id = key.village_id, key.grid_id
        if mode == "open":
            f.status = list(OPEN)
        else:
            f.date_from, f.date_to = self._window()
        self._request(f)

    # --- slots ----------------------------------------------------------------------------------
    def _on_own_only_toggled(self, _checked: bool) -> None:
        self.refresh()

    def _on_signals_cases_changed(self, _ids: list) -> None:
        self.refresh()
