"""日程提醒: reminders due as 逾期 / 今天 / 本周 / 以后, a month calendar, actions, and 无下一步.

The rows are those of ``services.reminders.due_items`` (the CLI prints the same); completed,
snoozed and dismissed reminders are not listed. A deadline moved off a rest day says so.
"""
from __future__ import annotations

from collections import Counter
from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTabBar,
    QVBoxLayout,
    QWidget,
)

from mediator.domain.enums import DeadlineKind
from mediator.domain.permissions import Permission
from mediator.services.places.choices import mediators, places
from mediator.services.reminders.due import (
    BUCKETS,
    DueItem,
    StalledCase,
    cases_without_next_step,
    complete_reminder,
    count_due,
    dismiss_reminder,
    due_items,
    snooze_reminder,
    warn_days,
)
from mediator.services.reminders.summary import attention_text
from mediator.ui.dialogs import reminder_dialogs
from mediator.ui.env import UiEnv
from mediator.ui.ops import run_op, run_query
from mediator.ui.widgets.due_views import DueCalendar, DueTable, StalledTable, describe, qdate
from mediator.ui.widgets.overview_bits import RED, MessageLine, grey_note, heading

# Tabs: the four buckets of overview.BUCKETS, the day picked in the calendar, and 无下一步.
DAY, STALLED = "day", "stalled"
TABS = [*BUCKETS, DAY, STALLED]


class RemindersPage(QWidget):
    """The reminder centre; double-click a row to open its case."""

    def __init__(self, env: UiEnv) -> None:
        super().__init__()
        self.env = env
        self.items: list[DueItem] = []
        self.stalled: list[StalledCase] = []
        self.day: date | None = None  # the day picked in the calendar
        self._chosen_tab = False

        self.on_date = QDateEdit()
        self.on_date.setCalendarPopup(True)
        self.on_date.setDisplayFormat("yyyy-MM-dd")
        self.on_date.setDate(qdate(env.ctx.today()))
        self.today_button = QPushButton("今天")
        self.kind = QComboBox()
        self.kind.addItem("全部事项", None)
        for kind in DeadlineKind:
            self.kind.addItem(kind.label, kind.value)
        self.mediator = QComboBox()
        self.village = QComboBox()
        self._fill_choices()
        self.summary = QLabel()
        self.count = QLabel()
        self.tabs = QTabBar()
        self.tabs.setExpanding(False)
        self.tabs.setDrawBase(False)
        for key in TABS:
            self.tabs.addTab(BUCKETS.get(key, ""))
        self.tabs.setTabTextColor(0, RED)
        self.table = DueTable()
        self.stalled_table = StalledTable()
        self.views = QStackedWidget()
        self.views.addWidget(self.table)
        self.views.addWidget(self.stalled_table)
        self.empty = grey_note("")
        self.empty.hide()
        self.detail = QLabel()
        self.detail.setWordWrap(True)
        self.detail.setObjectName("reminder_detail")
        self.complete_button = QPushButton("完成")
        self.snooze_button = QPushButton("推迟…")
        self.dismiss_button = QPushButton("不再提醒…")
        self.open_button = QPushButton("打开案件")
        for button in (self.complete_button, self.snooze_button, self.dismiss_button):
            button.setVisible(env.can(Permission.CASE_HANDLE))  # the role matrix hides, not greys
        self.message = MessageLine()
        self.calendar = DueCalendar()
        self.holiday_note = grey_note("")
        self.holiday_note.setStyleSheet("color: #c62828;")
        self.holiday_note.hide()
        # Every open deadline of a county takes seconds to list: load when first on screen, not
        # while the main window builds its pages (and again whenever it is shown after a change).
        self._stale = True
        self._loaded_by_show = False
        self._layout()
        self._connect()

    def _layout(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        top = QHBoxLayout()
        top.addWidget(heading("日程提醒", 14))
        top.addSpacing(12)
        top.addWidget(self.summary)
        top.addStretch(1)
        layout.addLayout(top)
        bar = QHBoxLayout()
        for label, widget in (("日期", self.on_date), (None, self.today_button), ("事项", self.kind),
                              ("调解员", self.mediator), ("村（社区）", self.village)):
            if label:
                bar.addSpacing(8)
                bar.addWidget(QLabel(label))
            bar.addWidget(widget)
        bar.addStretch(1)
        bar.addWidget(self.count)
        layout.addLayout(bar)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.tabs)
        left_layout.addWidget(self.views, 1)
        left_layout.addWidget(self.empty)
        left_layout.addWidget(self.detail)
        actions = QHBoxLayout()
        for button in (self.complete_button, self.snooze_button, self.dismiss_button):
            actions.addWidget(button)
        actions.addStretch(1)
        actions.addWidget(self.open_button)
        left_layout.addLayout(actions)
        left_layout.addWidget(self.message)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(heading("本月到期"))
        right_layout.addWidget(self.calendar)
        right_layout.addWidget(grey_note("日期旁的数字为当天到期的事项数（红色为已逾期）。点选日期查看当天事项。"))
        right_layout.addWidget(self.holiday_note)
        right_layout.addStretch(1)
        split = QSplitter()
        split.addWidget(left)
        split.addWidget(right)
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 0)
        split.setChildrenCollapsible(False)
        layout.addWidget(split, 1)
        layout.addWidget(grey_note(
            "逾期：到期日已过仍未办结（红色）；本周：本周日以前到期；无下一步：办理中而没有任何未到期期限或待办提醒的案件。"
            "到期日标“顺延”的，期限届满日为休息日，已依法顺延至下一个工作日（选中一行可见原因）。"
            "办理完成的事项自动从列表中消失。"))

    def _connect(self) -> None:
        self.on_date.dateChanged.connect(self._on_filter_changed)
        self.today_button.clicked.connect(self._on_today_button_clicked)
        for combo in (self.kind, self.mediator, self.village):
            combo.currentIndexChanged.connect(self._on_filter_changed)
        self.tabs.currentChanged.connect(self._on_tabs_current_changed)
        self.calendar.clicked.connect(self._on_calendar_clicked)
        self.table.case_requested.connect(self.env.signals.open_case_requested.emit)
        self.stalled_table.case_requested.connect(self.env.signals.open_case_requested.emit)
        self.table.itemSelectionChanged.connect(self._on_table_item_selection_changed)
        self.complete_button.clicked.connect(self.complete_selected)
        self.snooze_button.clicked.connect(self.snooze_selected)
        self.dismiss_button.clicked.connect(self.dismiss_selected)
        self.open_button.clicked.connect(self.open_selected)
        self.env.signals.cases_changed.connect(self._on_signals_cases_changed)
        self.env.signals.reminders_changed.connect(self.refresh)
        self.env.signals.reference_changed.connect(self._fill_choices)

    def _fill_choices(self) -> None:
        ctx = self.env.ctx
        for combo, everyone, choices in ((self.mediator, "全部调解员", mediators(ctx)),
                                         (self.village, "全部村（社区）", places(ctx, "village"))):
            current = combo.currentData()
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(everyone, None)
            for choice in choices:
                combo.addItem(choice.name, choice.id)
            combo.setCurrentIndex(max(0, combo.findData(current)))
            combo.blockSignals(False)

    # --- loading ------------------------------------------------------------------------------
    def selected_date(self) -> date:
        return self.on_date.date().toPython()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            self._loaded_by_show = True
            self.refresh()

    def on_shown(self) -> None:
        if self._loaded_by_show:  # the show itself just loaded it
            self._loaded_by_show = False
            return
        self.refresh()

    def refresh(self) -> None:
        if not self.isVisible():
            self._stale = True  # loaded when shown
            return
        self._stale = False
        ctx, on = self.env.ctx, self.selected_date()
        filters = {"kinds": [self.kind.currentData()] if self.kind.currentData() else None,
                   "mediator_id": self.mediator.currentData(), "village_id": self.village.currentData()}

        def load() -> tuple[list[DueItem], list[StalledCase]]:
            stalled = cases_without_next_step(ctx, on, mediator_id=filters["mediator_id"],
                                              village_id=filters["village_id"])
            return due_items(ctx, on, **filters), stalled

        run_query(self.env, self, load, self._show)

    def _show(self, result: tuple[list[DueItem], list[StalledCase]]) -> None:
        self.items, self.stalled = result
        on = self.selected_date()
        counts = Counter(i.bucket for i in self.items)
        for index, key in enumerate(TABS):
            if key in BUCKETS:
                self.tabs.setTabText(index, f"{BUCKETS[key]}（{counts.get(key, 0)}）")
        self.tabs.setTabText(TABS.index(STALLED), f"无下一步（{len(self.stalled)}）")
        self._day_tab_text()
        warn = warn_days(self.env.ctx)
        due = count_due(i for i in self.items if i.days_left <= warn)
        self.summary.setText(attention_text(due, warn))  # as the badge and the status bar say it
        self.count.setText(f"共{len(self.items)}项未办结")
        self.calendar.set_counts(Counter(i.due for i in self.items), on)
        if self.day is None:
            self.calendar.setSelectedDate(qdate(on))
        self._holiday_note()
        if not self._chosen_tab:
            first = next((i for i, key in enumerate(BUCKETS) if counts.get(key)), 0)
            self.tabs.blockSignals(True)
            self.tabs.setCurrentIndex(first)
            self.tabs.blockSignals(False)
        self._show_tab()

    def _day_tab_text(self) -> None:
        day = self.day
        text = "所选日期" if day is None else \
            f"{day.month}月{day.day}日（{sum(1 for i in self.items if i.due == day)}）"
        self.tabs.setTabText(TABS.index(DAY), text)

    def _holiday_note(self) -> None:
        calendar = self.env.ctx.calendar
        missing = sorted({i.due.year for i in self.items if not calendar.has_data_for(i.due.year)})
        self.holiday_note.setText("；".join(f"{y}年无节假日数据，期限仅按周末顺延" for y in missing))
        self.holiday_note.setVisible(bool(missing))

    def current_tab(self) -> str:
        return TABS[self.tabs.currentIndex()]

    def shown_items(self) -> list[DueItem]:
        key = self.current_tab()
        if key == DAY:
            return [i for i in self.items if i.due == self.day]
        return [i for i in self.items if i.bucket == key]

    def _show_tab(self) -> None:
        key = self.current_tab()
        stalled = key == STALLED
        self.views.setCurrentIndex(1 if stalled else 0)
        for button in (self.complete_button, self.snooze_button, self.dismiss_button):
            button.setEnabled(not stalled)
        if stalled:
            self.stalled_table.load(self.stalled)
            empty = "没有无下一步的案件。" if not self.stalled else ""
        else:
            shown = self.shown_items()
            self.table.load(shown)
            self.detail.clear()
            label = self.tabs.tabText(self.tabs.currentIndex()).split("（")[0]
            empty = "" if shown else ("请在右侧日历中点选日期。" if key == DAY and self.day is None
                                      else f"没有{label}的事项。")
        self.empty.setText(empty)
        self.empty.setVisible(bool(empty))

    # --- slots --------------------------------------------------------------------------------
    def _on_tabs_current_changed(self, _index: int) -> None:
        self._chosen_tab = True
        self.message.clear_message()
        self._show_tab()

    def _on_filter_changed(self, *_args: object) -> None:
        self.refresh()

    def _on_today_button_clicked(self) -> None:
        self.on_date.setDate(qdate(self.env.ctx.today()))

    def _on_calendar_clicked(self, day: QDate) -> None:
        self.day = day.toPython()
        self._day_tab_text()
        self._chosen_tab = True
        if self.current_tab() == DAY:
            self._show_tab()
        else:
            self.tabs.setCurrentIndex(TABS.index(DAY))

    def _on_table_item_selection_changed(self) -> None:
        item = self.table.selected_item()
        self.detail.setText(describe(item) if item is not None else "")

    def _on_signals_cases_changed(self, _ids: list) -> None:
        self.refresh()

    # --- actions ------------------------------------------------------------------------------
    def _selected(self) -> DueItem | None:
        item = self.table.selected_item()
        if item is None:
            self.message.refused("请先在列表中选中一项")
        return item

    def _run(self, fn, done: str) -> None:
        """A reminder write; its changes say reminders_changed, which reloads this page."""
        run_op(self.env, self, fn, on_success=lambda _changes: self.message.done(done))

    def complete_selected(self) -> None:
        item = self._selected()
        if item is not None:
            self._run(lambda: complete_reminder(self.env.ctx, item.key, expected_version=item.version),
                      f"已完成：{item.kind_label} {item.case_number or item.target}")

    def snooze_selected(self) -> None:
        item = self._selected()
        if item is None:
            return
        until = reminder_dialogs.ask_snooze_until(self, f"{item.kind_label} {item.case_number or item.target}",
                                                  self.env.ctx.today(), item.due)
        if until is not None:
            self._run(lambda: snooze_reminder(self.env.ctx, item.key, until, expected_version=item.version),
                      f"已推迟到{until.isoformat()}：{item.kind_label} {item.case_number or item.target}")

    def dismiss_selected(self) -> None:
        item = self._selected()
        if item is None:
            return
        reason = reminder_dialogs.ask_dismiss_reason(self, f"{item.kind_label} {item.case_number or item.target}")
        if reason is not None:
            self._run(lambda: dismiss_reminder(self.env.ctx, item.key, reason, expected_version=item.version),
                      f"不再提醒：{item.kind_label} {item.case_number or item.target}")

    def open_selected(self) -> None:
        if self.current_tab() == STALLED:
            case_id = self.stalled_table.selected_case()
        else:
            item = self.table.selected_item()
            case_id = item.case_id if item is not None else None
        if case_id is None:
            self.message.refused("请先选中一件案件的事项")
            return
        self.env.signals.open_case_requested.emit(int(case_id))
