"""节假日设置: public holidays and make-up working days per year; saving recomputes every deadline.

The edits go to the office's copy of holidays.toml in the user data dir; 恢复程序自带 drops it.
"""
from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from mediator.domain.calendar import HolidayCalendar, weekday_name
from mediator.domain.errors import ValidationError
from mediator.services.cases.deadline_settings import (
    HolidayEntry,
    calendar_entries,
    calendar_from_entries,
    change_holidays,
    holidays_copy_path,
    uses_copy,
)
from mediator.services.changes import OpChanges
from mediator.ui.env import UiEnv
from mediator.ui.errors import ask, show_error
from mediator.ui.ops import Cancelled, emit_changes, run_op
from mediator.ui.widgets.overview_bits import MessageLine, fill_table, grey_note, read_only_table

KINDS = [("放假", False), ("调休上班", True)]


class HolidaysDialog(QDialog):
    """Edit the holiday table year by year; 保存 writes the office's copy and recomputes deadlines.

    Signals (inherited): accepted() once the holidays were saved (or reset) and deadlines recomputed.
    """

    def __init__(self, env: UiEnv, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.env = env
        self.setWindowTitle("节假日设置")
        self.resize(640, 560)
        calendar = env.ctx.calendar
        self.entries: list[HolidayEntry] = calendar_entries(calendar)
        self.sources: dict[int, str] = {y: calendar.source(y) or "" for y in calendar.years}
        self.years: set[int] = set(calendar.years) | {env.ctx.today().year}

        self.year = QComboBox()
        self.new_year = QSpinBox()
        self.new_year.setRange(2000, 2100)
        self.new_year.setValue(env.ctx.today().year + 1)
        self.add_year_button = QPushButton("添加年份")
        self.source = QLineEdit()
        self.source.setPlaceholderText("国务院办公厅通知文号，如 国办发明电〔2025〕7号")
        self.table = read_only_table(["日期", "星期", "类型", "节日名称"], stretch=3)
        self.day = QDateEdit()
        self.day.setCalendarPopup(True)
        self.day.setDisplayFormat("yyyy-MM-dd")
        self.kind = QComboBox()
        for label, workday in KINDS:
            self.kind.addItem(label, workday)
        self.name = QLineEdit()
        self.name.setPlaceholderText("节日名称（放假日必填）")
        self.add_button = QPushButton("添加")
        self.remove_button = QPushButton("删除选中")
        self.reset_button = QPushButton("恢复程序自带")
        self.reset_button.setEnabled(uses_copy())
        self.save_button = QPushButton("保存并重算期限")
        self.cancel_button = QPushButton("取消")
        self.message = MessageLine()

        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        for widget in (QLabel("年份"), self.year, QLabel("来源"), self.source):
            top.addWidget(widget)
        top.addSpacing(12)
        top.addWidget(self.new_year)
        top.addWidget(self.add_year_button)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        add = QHBoxLayout()
        for widget in (self.day, self.kind, self.name, self.add_button, self.remove_button):
            add.addWidget(widget)
        layout.addLayout(add)
        layout.addWidget(self.message)
        layout.addWidget(grey_note(
            "周六、周日本为休息日，不必列出；放假日列出节日名称，调休上班日只能是周六或周日。"
            f"保存后写入本机的节假日文件（{holidays_copy_path()}），并按新安排重新计算全部案件的期限。"))
        buttons = QHBoxLayout()
        buttons.addWidget(self.reset_button)
        buttons.addStretch(1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.save_button)
        layout.addLayout(buttons)

        self.year.currentIndexChanged.connect(self._on_year_current_index_changed)
        self.source.textEdited.connect(self._on_source_text_edited)
        self.add_year_button.clicked.connect(self._on_add_year_button_clicked)
        self.add_button.clicked.connect(self.add_entry)
        self.remove_button.clicked.connect(self.remove_selected)
        self.reset_button.clicked.connect(self.reset)
        self.save_button.clicked.connect(self.save)
        self.cancel_button.clicked.connect(self.reject)
        self._fill_years(env.ctx.today().year)

    # --- the table ----------------------------------------------------------------------------
    def _fill_years(self, select: int) -> None:
        self.year.blockSignals(True)
        self.year.clear()
        for y in sorted(self.years):
            self.year.addItem(f"{y}年", y)
        self.year.setCurrentIndex(max(0, self.year.findData(select)))
        self.year.blockSignals(False)
        self._show_year()

    def selected_year(self) -> int:
        return int(self.year.currentData())

    def year_entries(self) -> list[HolidayEntry]:
        return [e for e in self.entries if e.day.year == self.selected_year()]

    def _show_year(self) -> None:
        year = self.selected_year()
        shown = self.year_entries()
        fill_table(self.table, [(e.day.isoformat(), weekday_name(e.day), "调休上班" if e.workday else "放假",
                                 e.name) for e in shown], ids=[e.day.isoformat() for e in shown])
        self.source.setText(self.sources.get(year, ""))
        self.day.setMinimumDate(QDate(year, 1, 1))
        self.day.setMaximumDate(QDate(year, 12, 31))
        if self.day.date().year() != year:
            self.day.setDate(QDate(year, 1, 1))

    def _on_year_current_index_changed(self, _index: int) -> None:
        self.message.clear_message()
        self._show_year()

    def _on_source_text_edited(self, text: str) -> None:
        self.sources[self.selected_year()] = text.strip()

    def _on_add_year_button_clicked(self) -> None:
        year = self.new_year.value()
        self.years.add(year)
        self._fill_years(year)

    def add_entry(self) -> None:
        day: date = self.day.date().toPython()
        entry = HolidayEntry(day, bool(self.kind.currentData()), self.name.text().strip())
        try:
            calendar_from_entries([*[e for e in self.entries if e.day != day], entry], self.years)
        except ValidationError as e:
            self.message.refused(e.message)
            return
        self.entries = sorted([e for e in self.entries if e.day != day] + [entry], key=lambda e: e.day)
        self.message.done(f"已添加{day.isoformat()}（{weekday_name(day)}）")
        self._show_year()

    def remove_selected(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            self.message.refused("请先选中要删除的日期")
            return
        day = date.fromisoformat(self.table.item(rows[0].row(), 0).text())
        self.entries = [e for e in self.entries if e.day != day]
        self._show_year()

    # --- saving -------------------------------------------------------------------------------
    def calendar(self) -> HolidayCalendar:
        return calendar_from_entries(self.entries, self.years, self.sources)

    def save(self) -> None:
        try:
            calendar = self.calendar()
        except ValidationError as e:
            self.message.refused(e.message)
            return
        self._run(calendar, "正在按新的节假日安排重算全部案件的期限…")

    def reset(self) -> None:
        if ask(self, "恢复程序自带", "删除本机修改过的节假日，恢复程序自带的节假日安排，并重算全部期限？"):
            self._run(None, "正在恢复程序自带的节假日并重算期限…")

    def _run(self, calendar: HolidayCalendar | None, label: str) -> None:
        ctx = self.env.ctx

        def work(cancel):
            return change_holidays(ctx, calendar, cancel=cancel)

        run_op(self.env, self, work, on_success=lambda changes: self._on_saved(changes.count),
               on_failure=self._on_error, label=label, cancellable=True)

    def _on_error(self, exc: BaseException) -> None:
        if isinstance(exc, Cancelled):
            # The holidays are saved; the scheduler's next scan recomputes what is left.
            self._on_saved(-1)
            emit_changes(self.env.signals, OpChanges(every_case=True, reminders=True))
            return
        show_error(self, exc)

    def _on_saved(self, count: int) -> None:
        """The holidays are saved; ``run_op`` then says every case and reminder changed."""
        self.recomputed = count
        self.accept()
