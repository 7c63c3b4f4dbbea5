"""服务台账: the advisors' service ledger by year, hand-made entries, and the yearly summary export."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from mediator.domain.permissions import Permission
from mediator.services.access import advisor_id_of, is_advisor
from mediator.services.advisors import ledger as ledger
from mediator.services.advisors.registry import advisor_choices
from mediator.services.advisors.sheets import export_yearly_summary_xlsx
from mediator.services.places.choices import Choice, places
from mediator.ui.dialogs.advisor_dialogs import LedgerEntryDialog
from mediator.ui.env import UiEnv
from mediator.ui.errors import ask
from mediator.ui.ops import run_op, run_query
from mediator.ui.save_dialog import ask_save_path
from mediator.ui.widgets.overview_bits import (
    GREY,
    MessageLine,
    fill_table,
    grey_note,
    read_only_table,
    selected_id,
)


@dataclass(frozen=True)
class LedgerData:
    rows: list[ledger.LedgerRow]
    summary: list[ledger.AdvisorYear]


class LedgerPage(QWidget):
    """法律顾问服务台账: one year's lines, filtered by advisor (an advisor sees only their own)."""

    def __init__(self, env: UiEnv, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.env = env
        self.office = not is_advisor(env.user)
        self.rows: list[ledger.LedgerRow] = []
        self.advisors: list[tuple[int, str]] = []
        self.villages: list[Choice] = []
        self.dialog = None
        self.advisor_filter = QComboBox()
        self.advisor_filter.setObjectName("ledger_advisor_filter")
        self.year = QSpinBox()
        self.year.setRange(2000, 2100)
        self.year.setValue(env.ctx.today().year)
        self.year.setSuffix(" 年")
        self.add_button = QPushButton("登记服务…")
        self.edit_button = QPushButton("修改…")
        self.delete_button = QPushButton("删除")
        self.export_button = QPushButton("导出年度汇总…")
        self.table = read_only_table(["日期", "法律顾问", "村（社区）", "服务类别", "服务内容", "人次",
                                      "时长（小时）", "到村", "关联案件", "来源"], stretch=4)
        self.summary = QLabel()
        self.summary.setObjectName("ledger_summary")
        self.summary.setWordWrap(True)
        self.message = MessageLine()

        bar = QHBoxLayout()
        if self.office:
            bar.addWidget(QLabel("法律顾问"))
            bar.addWidget(self.advisor_filter)
        else:
            self.advisor_filter.hide()
        bar.addWidget(QLabel("年度"))
        bar.addWidget(self.year)
        bar.addStretch(1)
        for button in (self.add_button, self.edit_button, self.delete_button, self.export_button):
            bar.addWidget(button)
            button.setVisible(env.can(Permission.ADVISOR_LEDGER))  # the role matrix hides, not greys
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.summary)
        layout.addWidget(grey_note("审查意见和调解记录中列名的法律顾问参与调解自动记入台账；手工登记的记录可以修改和删除。"))
        layout.addWidget(self.message)

        self.advisor_filter.currentIndexChanged.connect(lambda _i: self.refresh())
        self.year.valueChanged.connect(lambda _v: self.refresh())
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.add_button.clicked.connect(lambda _=False: self.add_entry())
        self.edit_button.clicked.connect(lambda _=False: self.edit_entry())
        self.delete_button.clicked.connect(lambda _=False: self.delete_entry())
        self.export_button.clicked.connect(lambda _=False: self.export_summary())
        env.signals.cases_changed.connect(self._on_signals_cases_changed)
        ctx, user, office = env.ctx, env.user, self.office

        def choices() -> tuple[list[tuple[int, str]], list[Choice]]:
            found = advisor_choices(ctx, active_only=False)
            if not office:  # an advisor records only their own services
                mine = advisor_id_of(ctx, user)
                found = [c for c in found if c[0] == mine]
            return found, places(ctx, "village")

        run_query(env, self, choices, self._show_choices)

    def _show_choices(self, found: tuple[list[tuple[int, str]], list[Choice]]) -> None:
        self.advisors, self.villages = found
        self.advisor_filter.blockSignals(True)
        self.advisor_filter.clear()
        self.advisor_filter.addItem("全部法律顾问", None)
        for advisor_id, label in self.advisors:
            self.advisor_filter.addItem(label, advisor_id)
        self.advisor_filter.blockSignals(False)
        self.refresh()

    def _on_signals_cases_changed(self, _ids: list) -> None:
        self.refresh()  # a decided review adds a line

    def refresh(self) -> None:
        ctx, advisor_id, year = self.env.ctx, self.advisor_filter.currentData(), self.year.value()

        def load() -> LedgerData:
            rows = ledger.ledger_rows(ctx, advisor_id=advisor_id, date_from=date(year, 1, 1),
                                      date_to=date(year, 12, 31))
            return LedgerData(rows, ledger.yearly_summary(ctx, year, advisor_id=advisor_id))

        run_query(self.env, self, load, self._show)

    def _show(self, data: LedgerData) -> None:
        self.rows = data.rows
        fill_table(self.table, [(r.on.isoformat(), r.advisor, r.village, r.kind_label, r.content,
                                 r.people_served, str(r.hours), "是" if r.on_site else "", r.case_number,
                                 r.source_label) for r in data.rows],
                   ids=[r.id for r in data.rows], colors=[None if r.id else GREY for r in data.rows])
        services = sum(s.services for s in data.summary)
        hours = sum(s.hours for s in data.summary)
        reviewed = sum(s.reviews for s in data.summary)
        turnarounds = [s.average_turnaround_days for s in data.summary if s.average_turnaround_days is not None]
        text = f"{self.year.value()}年：服务{services}次，共{hours}小时；审查案件{reviewed}件"
        if len(data.summary) == 1 and turnarounds:
            text += f"，平均{turnarounds[0]}天办结"
        if len(data.summary) == 1:
            s = data.summary[0]
            text += f"；到村服务达标{s.visit_months_met}/{s.visit_months}（村·月）"
        self.summary.setText(text)
        self._update_buttons()

    def current(self) -> ledger.LedgerRow | None:
        entry_id = selected_id(self.table)
        return next((r for r in self.rows if r.id is not None and r.id == entry_id), None)

    def _update_buttons(self) -> None:
        row = self.current()
        editable = row is not None and row.source == "manual"
        self.edit_button.setEnabled(editable)
        self.delete_button.setEnabled(editable)
        self.add_button.setEnabled(bool(self.advisors))

    def add_entry(self) -> None:
        if not self.env.can(Permission.ADVISOR_LEDGER):
            return
        self._open(LedgerEntryDialog(self.env, self.advisors, self.villages,
                                     advisor_id=self.advisor_filter.currentData(), parent=self), "已登记服务记录")

    def edit_entry(self) -> None:
        row = self.current()
        if row is not None and row.source == "manual":
            self._open(LedgerEntryDialog(self.env, self.advisors, self.villages, entry=row, parent=self),
                       "已保存服务记录")

    def _open(self, dialog: LedgerEntryDialog, done: str) -> None:
        self.dialog = dialog
        dialog.accepted.connect(lambda: self._changed(done))
        dialog.open()

    def _changed(self, done: str) -> None:
        self.refresh()
        self.message.done(done)  # the write's changes then say reminders_changed

    def delete_entry(self) -> None:
        row = self.current()
        if row is None or row.source != "manual":
            return
        if not ask(self, "删除服务记录", f"删除{row.on.isoformat()}“{row.content[:20]}”这条服务记录？"):
            return
        ctx = self.env.ctx
        run_op(self.env, self, lambda: ledger.delete_ledger_entry(ctx, row.id),
               on_success=lambda _changes: self._changed("已删除服务记录"))

    def export_summary(self, path: str | None = None) -> None:
        year = self.year.value()
        if path is None:
            path = ask_save_path(
                self.env.settings, self, "导出年度汇总", f"法律顾问{year}年度服务汇总.xlsx",
                "Excel 文件 (*.xlsx)", ".xlsx")
        if not path:
            return
        ctx, advisor_id = self.env.ctx, self.advisor_filter.currentData()
        run_query(self.env, self, lambda: export_yearly_summary_xlsx(ctx, year, Path(path), advisor_id=advisor_id),
                  lambda _d: self.message.done(f"已导出到{path}"), label="正在导出…")
