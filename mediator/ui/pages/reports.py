"""统计报表: the statistics of a period and scope, the same numbers `report stats` prints.

Pick the period (月报, 季报, 年报 or 自定义) and whom it covers (全县, a township, an organisation);
read the figures by section, per organisation, or on the village map; export the official table
or the 台账 of the period to Excel.
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from mediator.domain.enums import Level, OrganizationKind
from mediator.domain.errors import ValidationError
from mediator.domain.permissions import Permission
from mediator.services.cases.read import CaseFilter
from mediator.services.reports.dashboard import OPEN, VillageMap, village_map
from mediator.services.reports.resolution import LevelResolution, resolution_by_level
from mediator.services.reports.statistics import (
    ALL,
    Line,
    ReportScope,
    StatsReport,
    anchor_line,
    export_report,
    period_stats,
    report_lines,
    scope_choices,
)
from mediator.ui.env import UiEnv
from mediator.ui.errors import show_error
from mediator.ui.ops import run_query
from mediator.ui.save_dialog import ask_save_path as save_path
from mediator.ui.widgets.overview_bits import (
    MessageLine,
    fill_table,
    grey_note,
    heading,
    read_only_table,
)
from mediator.ui.widgets.period_picker import PeriodPicker
from mediator.ui.widgets.village_map import PlaceKey, VillageMapPanel

SCOPE_DEPTH_ROLE = Qt.ItemDataRole.UserRole + 1
SCOPE_INDENT = 20  # pixels per level of the scope tree
SCOPE_KIND = {"county": "县", "township": "乡镇", "organization": "组织"}
UNIT_COLUMNS = ["调解组织", "类别", "受理", "调解成功", "调解终止", "撤回", "成功率", "书面协议", "口头协议",
                "协议金额（元）", "履行", "司法确认", "回访", "防止民转刑", "防止群体性上访", "防止群体性械斗",
                "防止民间纠纷引起自杀", "排查次数", "排查发现纠纷数", "预防纠纷数"]


class ScopeTreeDelegate(QStyledItemDelegate):
    """The scope list drawn as a tree: each place or organisation indented under its parent."""

    def paint(self, painter, option, index) -> None:
        depth = index.data(SCOPE_DEPTH_ROLE) or 0
        if depth:
            option = QStyleOptionViewItem(option)
            option.rect.adjust(depth * SCOPE_INDENT, 0, 0, 0)
        super().paint(painter, option, index)


class ReportsPage(QWidget):
    """Period and scope pickers, the report's tables, export buttons and the village map."""

    def __init__(self, env: UiEnv) -> None:
        super().__init__()
        self.env = env
        self.report: StatsReport | None = None
        self.map_data: VillageMap | None = None
        today = env.ctx.today()
        self.picker = PeriodPicker(today)
        self.date_from, self.date_to = self.picker.date_from, self.picker.date_to
        self.scope = QComboBox()
        self.scope.setMinimumContentsLength(14)
        self.scope.setItemDelegate(ScopeTreeDelegate(self.scope))
        self.scope.setToolTip("统计范围：县 → 乡镇（街道）→ 调解组织")
        self._scopes_filled = False
        self.month_button = QPushButton("本月")
        self.quarter_button = QPushButton("本季度")
        self.year_button = QPushButton("本年")
        self.run_button = QPushButton("统计")
        self.run_button.setDefault(True)
        self.export_button = QPushButton("导出统计表…")
        self.export_button.setToolTip("按官方统计表格式导出 Excel（A4横向打印）")
        self.ledger_button = QPushButton("导出台账…")
        self.ledger_button.setToolTip("导出本期间、本范围收案的矛盾纠纷排查调处台账（Excel）")
        for button in (self.export_button, self.ledger_button):
            button.setVisible(env.can(Permission.DATA_EXPORT))  # the role matrix hides, not greys
        self.error = QLabel()
        self.error.setStyleSheet("color: #c62828;")
        self.message = MessageLine()
        self.headline = QLabel()
        font = self.headline.font()
        font.setPointSize(11)
        self.headline.setFont(font)
        self.anchor = grey_note("")
        self.anchor.setObjectName("report_anchor")
        self.anchor.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.outcome_table = read_only_table(["项目", "数量"], stretch=0)
        self.track_table = read_only_table(["调解类型", "受理数"], stretch=0)
        self.level_table = read_only_table(["处理层级", "受理数"], stretch=0)
        self.source_table = read_only_table(["来源", "受理数"], stretch=0)
        self.category_table = read_only_table(["纠纷类型", "受理数"], stretch=0)
        self.detail_table = read_only_table(["项目", "数量", "单位"], stretch=0)
        self.unit_table = read_only_table(UNIT_COLUMNS)
        self.map_panel = VillageMapPanel()
        self.tabs = QTabWidget()
        self.tabs.addTab(self._tables_tab(), "统计表")
        self.tabs.addTab(self.unit_table, "按调解组织")
        self.tabs.addTab(self.map_panel, "村（社区）地图")
        self._build_layout()
        self._fill_scopes()

        self.month_button.clicked.connect(self._on_month_button_clicked)
        self.quarter_button.clicked.connect(self._on_quarter_button_clicked)
        self.year_button.clicked.connect(self._on_year_button_clicked)
        self.run_button.clicked.connect(self.refresh)
        self.picker.changed.connect(self.refresh)
        self.scope.currentIndexChanged.connect(self._on_scope_current_index_changed)
        self.export_button.clicked.connect(self.export_report)
        self.ledger_button.clicked.connect(self.export_ledger)
        self.map_panel.place_clicked.connect(self._on_map_panel_place_clicked)
        env.signals.reference_changed.connect(self._fill_scopes)
        self.refresh()

    def _tables_tab(self) -> QWidget:
        tab = QWidget()
        grid = QGridLayout(tab)
        grid.setContentsMargins(0, 6, 0, 0)
        grid.setHorizontalSpacing(12)
        grid.addWidget(heading("调解结果"), 0, 0)
        grid.addWidget(self.outcome_table, 1, 0)
        grid.addWidget(heading("按调解类型"), 2, 0)
        grid.addWidget(self.track_table, 3, 0)
        grid.addWidget(heading("按处理层级"), 4, 0)
        grid.addWidget(self.level_table, 5, 0)
        grid.addWidget(heading("按来源"), 0, 1)
        grid.addWidget(self.source_table, 1, 1, 5, 1)
        grid.addWidget(heading("按纠纷类型"), 0, 2)
        grid.addWidget(self.category_table, 1, 2, 5, 1)
        grid.addWidget(heading("协议、履行、司法确认、回访与预防"), 0, 3)
        grid.addWidget(self.detail_table, 1, 3, 5, 1)
        for row, stretch in ((1, 3), (3, 2), (5, 2)):
            grid.setRowStretch(row, stretch)
        grid.setColumnStretch(3, 1)
        return tab

    def _build_layout(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.addWidget(heading("统计报表", 14))
        bar = QHBoxLayout()
        bar.addWidget(QLabel("统计期间"))
        bar.addWidget(self.picker)
        for button in (self.month_button, self.quarter_button, self.year_button):
            bar.addWidget(button)
        bar.addStretch(1)
        layout.addLayout(bar)
        bar2 = QHBoxLayout()
        bar2.addWidget(QLabel("统计范围"))
        bar2.addWidget(self.scope)
        bar2.addWidget(self.run_button)
        bar2.addWidget(self.error)
        bar2.addStretch(1)
        bar2.addWidget(self.export_button)
        bar2.addWidget(self.ledger_button)
        layout.addLayout(bar2)
        layout.addWidget(self.headline)
        layout.addWidget(self.message)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(grey_note(
            "受理数按收案日期统计；调解成功、终止、撤回、协议、履行、司法确认、回访按该事项发生日期统计；"
            "调解成功率 = 调解成功 ÷（调解成功 + 调解终止 + 撤回）；预防成效为期间内达成协议的民转刑、"
            "群体性（涉访为上访，否则为械斗）风险案件。移送的案件计入现在办理的组织。"))
        layout.addWidget(self.anchor)

    def _fill_scopes(self) -> None:
        """The scope tree; first the user's own organisation is chosen, later the same as before."""
        if self._scopes_filled:
            current = self.scope.currentData()
        else:
            current = ReportScope("organization", self.env.user.organization_id) \
                if self.env.user.organization_id is not None else ALL
        self.scope.blockSignals(True)
        try:
            self.scope.clear()
            bold = QFont(self.scope.font())
            bold.setBold(True)
            for scope in scope_choices(self.env.ctx):
                self.scope.addItem("全部" if scope.kind == "all" else scope.name, scope)
                row = self.scope.count() - 1
                self.scope.setItemData(row, scope.depth, SCOPE_DEPTH_ROLE)
                if scope.kind != "all":
                    self.scope.setItemData(row, f"{SCOPE_KIND[scope.kind]}：{scope.name}",
                                           Qt.ItemDataRole.ToolTipRole)
                if scope.kind == "county":
                    self.scope.setItemData(row, bold, Qt.ItemDataRole.FontRole)
            metrics = self.scope.fontMetrics()
            widest = max((metrics.horizontalAdvance(self.scope.itemText(i))
                          + (self.scope.itemData(i, SCOPE_DEPTH_ROLE) or 0) * SCOPE_INDENT
                          for i in range(self.scope.count())), default=0)
            self.scope.view().setMinimumWidth(widest + 48)  # the popup shows whole names
            index = next((i for i in range(self.scope.count())
                          if _same_scope(self.scope.itemData(i), current)), 0)
            self.scope.setCurrentIndex(index)
            self._scopes_filled = True
        finally:
            self.scope.blockSignals(False)

    def current_scope(self) -> ReportScope:
        return self.scope.currentData() or ALL

    # --- loading --------------------------------------------------------------------------------
    def refresh(self) -> None:
        ctx = self.env.ctx
        period, scope = self.picker.period(), self.current_scope()
        self.error.clear()

        def load() -> tuple[StatsReport, VillageMap, LevelResolution]:
            return (period_stats(ctx, period, scope), village_map(ctx, period.check(), scope),
                    resolution_by_level(ctx, period, scope))

        run_query(self.env, self, load, self._show,
                  on_failure=self._on_report_error, label="正在统计…")

    def _on_report_error(self, exc: BaseException) -> None:
        if isinstance(exc, ValidationError):
            self.error.setText(exc.message)
        else:
            show_error(self, exc)

    def _show(self, result: tuple[StatsReport, VillageMap, LevelResolution]) -> None:
        report, self.map_data, resolution = result
        self.report = report
        self.anchor.setText(anchor_line(report.audit_anchor, short=True))
        self.anchor.setToolTip(f"{anchor_line(report.audit_anchor)}\n导出的统计表中有完整的校验值；"
                               "日后可用 mediator-cli audit verify --anchor 核对审计日志是否仍延续它")
        t = report.total
        zero = "（本期零上报）" if report.is_zero else ""
        self.headline.setText(f"{report.scope} {report.period.label}（{report.date_from.isoformat()} 至 "
                              f"{report.date_to.isoformat()}）：受理 {t.received} 件，调解成功 {t.succeeded} 件，"
                              f"调解成功率 {t.success_rate_text}{zero}")
        fill_table(self.outcome_table, [
            ("受理纠纷数", t.received),
            ("调解成功（达成协议）", t.succeeded),
            ("调解终止", t.failed),
            ("撤回", t.withdrawn),
            ("调解成功率", t.success_rate_text),
        ], bold=[False, False, False, False, True])
        item = self.outcome_table.item(4, 1)
        item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        lines = report_lines(report)
        self._fill_section(self.track_table, lines, "按调解类型")
        self._fill_section(self.level_table, lines, "按处理层级")
        self._fill_section(self.source_table, lines, "按来源")
        self._fill_section(self.category_table, lines, "按纠纷类型")
        detail = [line for line in lines if line.section in
                  ("排查情况", "受理情况", "按组织类别", "协议与履行", "司法确认", "回访", "预防成效",
                   "移送（三调联动）")
                  or line.key == "rejected"]
        rows, bold, section = [], [], None
        for d in detail:
            if d.section != section:
                section = d.section
                rows.append((section, "", ""))
                bold.append(True)
            rows.append(("　" + d.label, d.value, d.unit))
            bold.append(False)
        rows.append(("化解层级", "", ""))
        bold.append(True)
        for level in Level:
            rows.append((f"　{level.label}化解", resolution.by_level[level.value], "件"))
            bold.append(False)
        for label, share in (("不出网格化解率", resolution.share_in_grid),
                             ("不出社区化解率", resolution.share_in_village),
                             ("不出街道化解率", resolution.share_in_township)):
            rows.append(("　" + label, "—" if share is None else f"{share * 100:.1f}", "%"))
            bold.append(False)
        fill_table(self.detail_table, rows, bold=bold)
        self._right_align(self.detail_table, 1)
        self._fill_units(report)
        self.map_panel.show_map(self.map_data)

    def _fill_section(self, table: QTableWidget, lines: list[Line], section: str) -> None:
        fill_table(table, [(line.label, int(line.value)) for line in lines if line.section == section])

    def _fill_units(self, report: StatsReport) -> None:
        rows = []
        for unit in [*report.units, None]:
            f = report.total if unit is None else unit.figures
            name = "合计" if unit is None else unit.unit.name
            kind = "" if unit is None or not unit.unit.kind else OrganizationKind(unit.unit.kind).label
            rows.append((name, kind, f.received, f.succeeded, f.failed, f.withdrawn, f.success_rate_text,
                         f.agreements_written, f.agreements_oral, f"{f.agreement_amount_yuan:,.2f}",
                         f.performed, f.judicial_confirmed, f.follow_ups, f.prevented_criminal,
                         f.prevented_group_petition, f.prevented_group_fight, f.prevented_suicide,
                         f.screenings, f.screening_found, f.screening_prevented))
        fill_table(self.unit_table, rows, bold=[False] * (len(rows) - 1) + [True])
        for col in range(2, len(UNIT_COLUMNS)):
            self._right_align(self.unit_table, col)

    @staticmethod
    def _right_align(table: QTableWidget, column: int) -> None:
        for row in range(table.rowCount()):
            item = table.item(row, column)
            if item is not None:
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)

    # --- exports --------------------------------------------------------------------------------
    def ask_save_path(self, title: str, name: str) -> Path | None:
        """Where to save (tests patch this); None when the user cancels."""
        return save_path(self.env.settings, self, title, name, "Excel 工作簿 (*.xlsx)", ".xlsx")

    def ledger_filter(self) -> CaseFilter:
        """The case-list filter of the period and scope (what the 台账 export holds)."""
        period, scope = self.picker.period(), self.current_scope()
        f = CaseFilter(date_from=period.date_from, date_to=period.date_to)
        if scope.kind == "organization":
            f.organization_id = scope.id
        elif scope.kind == "township":
            f.township_id = scope.id
        return f

    def export_report(self) -> None:
        ctx, period, scope = self.env.ctx, self.picker.period(), self.current_scope()
        try:
            period.check()
        except ValidationError as exc:
            self.error.setText(exc.message)
            return
        name = f"{scope.name if scope.kind != 'all' else ''}统计表_{period.label}.xlsx"
        path = self.ask_save_path("导出统计表", name)
        if path is None:
            return
        run_query(self.env, self, lambda: export_report(ctx, period, scope, path),
                  lambda _r: self.message.done(f"统计表已导出到 {path}"), label="正在导出统计表…")

    def export_ledger(self) -> None:
        from mediator.services.reports.case_ledger import export_ledger

        ctx, f, period = self.env.ctx, self.ledger_filter(), self.picker.period()
        path = self.ask_save_path("导出台账", f"矛盾纠纷排查调处台账_{period.label}.xlsx")
        if path is None:
            return
        run_query(self.env, self, lambda: export_ledger(ctx, f, path),
                  lambda n: self.message.done(f"台账（{n}件）已导出到 {path}"), label="正在导出台账…")

    # --- slots ----------------------------------------------------------------------------------
    def _on_month_button_clicked(self) -> None:
        today = self.env.ctx.today()
        self.picker.set_period("month", today.year, today.month)

    def _on_quarter_button_clicked(self) -> None:
        today = self.env.ctx.today()
        self.picker.set_period("quarter", today.year, (today.month - 1) // 3 + 1)

    def _on_year_button_clicked(self) -> None:
        today = self.env.ctx.today()
        self.picker.set_period("year", today.year)

    def _on_scope_current_index_changed(self, _index: int) -> None:
        self.refresh()

    def _on_map_panel_place_clicked(self, key: PlaceKey, mode: str) -> None:
        f = self.ledger_filter()
        f.village_id, f.grid_id, f.township_id = key.village_id, key.grid_id, None
        if mode == "open":
            f.date_from = f.date_to = None
            f.status = list(OPEN)
        self.env.signals.show_cases_requested.emit(f)


def _same_scope(a: ReportScope | None, b: ReportScope | None) -> bool:
    return a is not None and b is not None and (a.kind, a.id) == (b.kind, b.id)
