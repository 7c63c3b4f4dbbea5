"""法律顾问: the registry, appointments as a village × advisor view, coverage, reviews and the ledger."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from mediator.domain.calendar import format_date_cn
from mediator.domain.errors import ValidationErrors
from mediator.domain.permissions import Permission
from mediator.services.access import is_advisor
from mediator.services.advisors import registry as adv
from mediator.services.advisors.sheets import AdvisorImportResult, export_advisors_xlsx, import_advisors_xlsx
from mediator.services.places.choices import Choice, places
from mediator.ui.dialogs.advisor_dialogs import (
    AdvisorDialog,
    AppointmentDialog,
    EndAppointmentDialog,
)
from mediator.ui.env import UiEnv
from mediator.ui.errors import show_error
from mediator.ui.ops import emit_changes, run_query
from mediator.ui.pages.ledger import LedgerPage
from mediator.ui.pages.review_queue import ReviewQueuePage
from mediator.ui.save_dialog import ask_save_path
from mediator.ui.widgets.appointment_grid import AppointmentGridView
from mediator.ui.widgets.overview_bits import (
    GREY,
    RED,
    MessageLine,
    fill_table,
    heading,
    read_only_table,
    selected_id,
)

ORANGE = "#b26a00"


@dataclass(frozen=True)
class AdvisorsData:
    """What the registry, the grid and the coverage show, read in one task."""

    registry: list[adv.AdvisorInfo]
    grid: adv.AppointmentGrid
    coverage: adv.Coverage
    villages: list[Choice]
    choices: list[tuple[int, str]]


def load_advisors_data(ctx) -> AdvisorsData:
    return AdvisorsData(adv.advisor_registry(ctx), adv.appointment_grid(ctx), adv.coverage(ctx),
                        places(ctx, "village"), adv.advisor_choices(ctx))


class AdvisorsPage(QWidget):
    """一村（社区）一法律顾问: who serves where, who is missing, what waits for review, what was done.

    An advisor's account opens on 待我审查 and cannot change the registry or the appointments.
    """

    TABS = ["顾问名册", "聘任一览", "覆盖情况", "待我审查", "服务台账"]

    def __init__(self, env: UiEnv) -> None:
        super().__init__()
        self.env = env
        self.data: AdvisorsData | None = None
        self.dialog = None  # the dialog opened last (tests reach it here)
        # The office's tools: for roles that manage advisors (the services check again).
        self.office = not is_advisor(env.user) and env.can(Permission.ADVISOR_MANAGE)

        self.banner = QLabel()
        self.banner.setObjectName("coverage_banner")
        self.banner.setWordWrap(True)
        self.message = MessageLine()
        # 顾问名册
        self.add_button = QPushButton("登记法律顾问…")
        self.edit_button = QPushButton("修改…")
        self.import_button = QPushButton("从Excel导入…")
        self.export_button = QPushButton("导出Excel…")
        self.advisor_table = read_only_table(
            ["姓名", "类别", "执业机构", "执业证号", "联系电话", "在聘村（社区）", "专长", "状态"], stretch=6)
        self.term_title = heading("聘任记录")
        self.appointment_table = read_only_table(["村（社区）", "区划代码", "聘期开始", "聘期结束", "状态",
                                                  "法治副主任"])
        self.appoint_button = QPushButton("新增聘任…")
        self.end_term_button = QPushButton("调整聘期…")
        # 聘任一览, 覆盖情况
        self.grid_view = AppointmentGridView()
        self.coverage_table = read_only_table(["乡镇（街道）", "村（社区）", "区划代码", "法律顾问", "执业机构",
                                               "联系电话", "聘期至", "法治副主任"])
        self.gap_title = heading("今日无法律顾问的村（社区）")
        self.gap_table = read_only_table(["村（社区）", "区划代码", "所属乡镇（街道）"], stretch=0)
        self.ending_table = read_only_table(["村（社区）", "法律顾问", "聘期至", "剩余天数", "续聘"], stretch=4)
        self.reviews = ReviewQueuePage(env)
        self.ledger = LedgerPage(env)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("advisor_tabs")
        for title, widget in zip(self.TABS, (self._registry_tab(), self.grid_view, self._coverage_tab(),
                                             self.reviews, self.ledger), strict=True):
            self.tabs.addTab(widget, title)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        top = QHBoxLayout()
        top.addWidget(heading("法律顾问", 14))
        top.addSpacing(12)
        top.addWidget(self.banner, 1)
        layout.addLayout(top)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.message)

        for button in (self.add_button, self.edit_button, self.import_button, self.appoint_button,
                       self.end_term_button, self.grid_view.add_button, self.grid_view.end_button):
            button.setVisible(self.office)
        self.export_button.setVisible(env.can(Permission.DATA_EXPORT))
        if is_advisor(env.user):
            self.tabs.setCurrentWidget(self.reviews)
        self.add_button.clicked.connect(lambda _=False: self.add_advisor())
        self.edit_button.clicked.connect(lambda _=False: self.edit_advisor())
        self.import_button.clicked.connect(lambda _=False: self.import_sheet())
        self.export_button.clicked.connect(lambda _=False: self.export_sheet())
        self.appoint_button.clicked.connect(lambda _=False: self.appoint(from_grid=False))
        self.end_term_button.clicked.connect(lambda _=False: self.change_term(from_grid=False))
        self.grid_view.add_button.clicked.connect(lambda _=False: self.appoint(from_grid=True))
        self.grid_view.end_button.clicked.connect(lambda _=False: self.change_term(from_grid=True))
        self.advisor_table.itemSelectionChanged.connect(self._on_advisor_table_item_selection_changed)
        self.advisor_table.doubleClicked.connect(lambda _index: self.edit_advisor())
        self.appointment_table.itemSelectionChanged.connect(self._update_buttons)
        env.signals.reference_changed.connect(self.refresh)
        self.refresh()

    def _registry_tab(self) -> QWidget:
        bar = QHBoxLayout()
        for button in (self.add_button, self.edit_button):
            bar.addWidget(button)
        bar.addStretch(1)
        bar.addWidget(self.import_button)
        bar.addWidget(self.export_button)
        terms = QWidget()
        terms_layout = QVBoxLayout(terms)
        terms_layout.setContentsMargins(0, 0, 0, 0)
        term_bar = QHBoxLayout()
        term_bar.addWidget(self.term_title)
        term_bar.addStretch(1)
        term_bar.addWidget(self.appoint_button)
        term_bar.addWidget(self.end_term_button)
        terms_layout.addLayout(term_bar)
        terms_layout.addWidget(self.appointment_table)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.advisor_table)
        splitter.addWidget(terms)
        splitter.setSizes([380, 200])
        splitter.setChildrenCollapsible(False)
        tab = QWidget()
        layout = QVBoxLayout(tab)
        layout.setContentsMargins(0, 6, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(splitter, 1)
        return tab

    def _coverage_tab(self) -> QWidget:
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.gap_title)
        right_layout.addWidget(self.gap_table, 1)
        right_layout.addWidget(heading("聘期30天内届满"))
        right_layout.addWidget(self.ending_table, 1)
        box = QGroupBox("各村（社区）在聘法律顾问")
        QVBoxLayout(box).addWidget(self.coverage_table)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(box)
        splitter.addWidget(right)
        splitter.setSizes([840, 340])
        splitter.setChildrenCollapsible(False)
        return splitter

    # --- loading ------------------------------------------------------------------------------
    def on_shown(self) -> None:
        self.refresh()

    def refresh(self) -> None:
        ctx = self.env.ctx
        run_query(self.env, self, lambda: load_advisors_data(ctx), self._show)
        self.reviews.refresh()
        self.ledger.refresh()

    def _show(self, data: AdvisorsData) -> None:
        self.data = data
        today = self.env.ctx.today()
        cov = data.coverage
        uncovered, ending = cov.uncovered, [e for e in cov.ending if e.renewed_by is None]
        parts = [f"{format_date_cn(today)}：{len(cov.villages)}个村（社区），"
                 f"在聘法律顾问{len({v.advisor_id for v in cov.villages if v.covered})}名"]
        if uncovered:
            parts.append(f"<span style='color:#c62828'>无法律顾问{len(uncovered)}个："
                         f"{'、'.join(v.village for v in uncovered)}</span>")
        if ending:
            parts.append(f"<span style='color:{ORANGE}'>{len(ending)}项聘期30天内届满且未续聘</span>")
        self.banner.setText("；".join(parts))
        previous = selected_id(self.advisor_table)
        rows = [(a.name, a.kind_label, a.firm, a.license_no or "", a.phone or "",
                 "、".join(a.current_villages(today)) or "无", a.specialties, "在职" if a.active else "停用")
                for a in data.registry]
        fill_table(self.advisor_table, rows, ids=[a.id for a in data.registry],
                   colors=[None if a.active else GREY for a in data.registry])
        ids = [a.id for a in data.registry]
        if ids:
            self.advisor_table.selectRow(ids.index(previous) if previous in ids else 0)
        self._on_advisor_table_item_selection_changed()
        self.grid_view.show_grid(data.grid, today)
        fill_table(self.coverage_table, [
            (v.township, v.village, v.village_code or "", v.advisor or "无法律顾问", v.firm, v.phone or "",
             v.end.isoformat() if v.end else "", "是" if v.legal_deputy else "") for v in cov.villages],
            colors=[None if v.covered else RED for v in cov.villages])
        fill_table(self.ending_table, [(e.village, e.advisor, e.end.isoformat(), e.days_left,
                                        f"已续聘{e.renewed_by}" if e.renewed_by else "未续聘") for e in cov.ending],
                   colors=[GREY if e.renewed_by else RED for e in cov.ending])
        fill_table(self.gap_table, [(v.village, v.village_code or "", v.township) for v in uncovered],
                   ids=[v.village_id for v in uncovered], colors=[RED] * len(uncovered))
        self.gap_title.setText(f"今日无法律顾问的村（社区）（{len(uncovered)}个）")
        self.tabs.setTabText(2, f"覆盖情况（{len(uncovered)}）" if uncovered else "覆盖情况")

    def current_advisor(self) -> adv.AdvisorInfo | None:
        advisor_id = selected_id(self.advisor_table)
        return next((a for a in (self.data.registry if self.data else []) if a.id == advisor_id), None)

    def current_term(self) -> adv.AppointmentInfo | None:
        term_id = selected_id(self.appointment_table)
        advisor = self.current_advisor()
        return next((p for p in (advisor.appointments if advisor else ()) if p.id == term_id), None)

    def _on_advisor_table_item_selection_changed(self) -> None:
        today = self.env.ctx.today()
        advisor = self.current_advisor()
        terms = advisor.appointments if advisor else ()
        self.term_title.setText(f"聘任记录 — {advisor.name}" if advisor else "聘任记录")
        states = [p.state(today) for p in terms]
        fill_table(self.appointment_table, [(p.village, p.village_code or "", p.start.isoformat(), p.end.isoformat(),
                                      s, "是" if p.legal_deputy else "") for p, s in zip(terms, states, strict=True)],
                   ids=[p.id for p in terms],
                   colors=[None if s == "在聘" else RED if s in ("已届满", "即将届满") else GREY for s in states])
        self._update_buttons()

    def _update_buttons(self) -> None:
        advisor = self.current_advisor()
        self.edit_button.setEnabled(advisor is not None)
        self.appoint_button.setEnabled(advisor is not None and advisor.active)
        self.end_term_button.setEnabled(self.current_term() is not None)

    # --- actions ------------------------------------------------------------------------------
    def _open(self, dialog, done: str) -> None:
        self.dialog = dialog
        dialog.accepted.connect(lambda: self._changed(done))
        dialog.open()

    def _changed(self, done: str) -> None:
        self.message.done(done)  # the dialog's write then says reference_changed: this page reloads

    def add_advisor(self) -> None:
        self._open(AdvisorDialog(self.env, parent=self), "已登记法律顾问")

    def edit_advisor(self) -> None:
        advisor = self.current_advisor()
        if advisor is not None and self.office:
            self._open(AdvisorDialog(self.env, advisor, parent=self), f"已保存{advisor.name}的信息")

    def appoint(self, *, from_grid: bool) -> None:
        if self.data is None:
            return
        advisor_id, village_code = None, None
        if from_grid:
            advisor_id = self.grid_view.selected_advisor()
            village = self.grid_view.selected_village()
            village_code = village[1] if village else None
        elif self.current_advisor() is not None:
            advisor_id = self.current_advisor().id
        self._open(AppointmentDialog(self.env, self.data.choices, self.data.villages, advisor_id=advisor_id,
                                     village_code=village_code, parent=self), "已新增聘任")

    def change_term(self, *, from_grid: bool) -> None:
        term = self.grid_view.selected_appointment() if from_grid else self.current_term()
        if term is not None:
            self._open(EndAppointmentDialog(self.env, term, parent=self), "已调整聘期")

    def import_sheet(self, path: str | None = None) -> None:
        if path is None:
            path, _ = QFileDialog.getOpenFileName(self, "导入法律顾问名册", "", "Excel 文件 (*.xlsx)")
        if not path:
            return
        ctx = self.env.ctx
        run_query(self.env, self, lambda: import_advisors_xlsx(ctx, Path(path)), self._on_imported,
                  on_failure=self._on_import_failed, label="正在导入…")

    def _on_imported(self, result: AdvisorImportResult) -> None:
        self._changed(result.summary())
        emit_changes(self.env.signals, result.changes)  # a summary and its changes: this page reloads

    def _on_import_failed(self, exc: BaseException) -> None:
        if isinstance(exc, ValidationErrors):
            shown = "；".join(e.message for e in exc.errors[:5])
            more = f"等{len(exc.errors)}处问题" if len(exc.errors) > 5 else ""
            self.message.refused(f"未导入：{shown}{more}")
            return
        show_error(self, exc)

    def export_sheet(self, path: str | None = None) -> None:
        if path is None:
            path = ask_save_path(
                self.env.settings, self, "导出法律顾问名册", "法律顾问名册.xlsx", "Excel 文件 (*.xlsx)", ".xlsx")
        if not path:
            return
        ctx = self.env.ctx
        run_query(self.env, self, lambda: export_advisors_xlsx(ctx, Path(path)),
                  lambda _data: self.message.done(f"已导出到{path}"), label="正在导出…")
