"""日程提醒 page, the navigation badge, the scheduler bridge (tray signal) and the holidays dialog."""
from __future__ import annotations

import json
import threading
from datetime import date, datetime

import pytest
from PySide6.QtCore import QDate, QObject, QPoint, QRect, QSettings, Signal
from PySide6.QtWidgets import QTableView

from mediator.cli import main as cli_main
from mediator.domain.enums import Level
from mediator.domain.permissions import Role
from mediator.services.cases import lifecycle as uc
from mediator.services.context import SHANGHAI, Clock, CurrentUser, ServiceContext
from mediator.services.exchange.demo import load_demo
from mediator.services.reminders import due as rem
from mediator.services.reminders.notices import take_notice
from mediator.services.reminders.summary import reminder_summary
from mediator.ui import errors as ui_errors
from mediator.ui.bridge import AppSignals
from mediator.ui.dialogs import reminder_dialogs
from mediator.ui.env import UiEnv
from mediator.ui.main_window import MainWindow
from mediator.ui.ops import SyncRunner
from mediator.ui.pages.reminders import DAY, STALLED, TABS, RemindersPage
from mediator.ui.scheduler_bridge import SchedulerBridge
from mediator.ui.widgets.due_views import BLUE, badge_label, badge_rect
from mediator.ui.widgets.overview_bits import RED
from tests.conftest import FIXED_NOW
from tests.helpers import agreement_input, case_input
from tests.templates import migrated_sqlite

TODAY = date(2026, 11, 29)


def _show(qtbot, widget):
    qtbot.addWidget(widget)
    widget.resize(1148, 760)
    widget.show()
    return widget


def _column(table, column: int) -> list[str]:
    return [table.item(r, column).text() for r in range(table.rowCount())]


def _agreed(ctx) -> int:
    """A written agreement signed Thu 2026-10-15: confirmation window Sat 11-14 → Mon 11-16."""
    case_id = uc.register_case(ctx, case_input()).id
    uc.accept_case(ctx, case_id, date(2026, 10, 15))
    uc.start_mediation(ctx, case_id, date(2026, 10, 15))
    uc.conclude_agreement(ctx, case_id, agreement_input(date(2026, 10, 15)))
    return case_id


def _select(page: RemindersPage, kind: str) -> rem.DueItem:
    row = next(r for r, i in enumerate(page.table.items) if i.kind == kind)
    page.table.selectRow(row)
    return page.table.items[row]


@pytest.fixture
def errors(monkeypatch) -> list[BaseException]:
    shown: list[BaseException] = []
    monkeypatch.setattr(ui_errors, "show_error", lambda _parent, exc, **_kw: shown.append(exc))
    return shown


# --- the lists --------------------------------------------------------------------------------


def test_the_page_and_the_cli_list_the_same_items_on_the_demo_county(qtbot, qapp, tmp_path, capsys):
    db = migrated_sqlite(tmp_path / 'demo.db')
    ctx = ServiceContext(db, actor="测试员", clock=Clock(fixed=FIXED_NOW))
    load_demo(ctx, cases=80)
    env = UiEnv(ctx, CurrentUser(1, "admin", "王所长", Role.ADMIN, None), AppSignals(), SyncRunner(),
                QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    page = _show(qtbot, RemindersPage(env))
    warn = rem.warn_days(ctx)
    on_page = [(i.key, i.kind, i.due.isoformat()) for i in page.items if i.days_left <= warn]
    assert on_page, "the demo county has reminders due"
    assert cli_main(["reminders", "--on", TODAY.isoformat(), "--json", "--db", db.url]) == 0
    printed = [(r["key"], r["kind"], r["due"]) for r in json.loads(capsys.readouterr().out)]
    assert printed == on_page
    # The tabs split the same rows: overdue + today + this week + later = all of them.
    counts = [int(page.tabs.tabText(i).split("（")[1].rstrip("）")) for i in range(4)]
    assert sum(counts) == len(page.items)
    db.dispose()


def test_overdue_rows_are_red_and_a_rest_day_move_is_shown(env, qtbot):
    _agreed(env.ctx)
    page = _show(qtbot, RemindersPage(env))
    assert page.current_tab() == "overdue"
    item = _select(page, "judicial_confirmation")
    row = page.table.items.index(item)
    assert page.table.item(row, 2).text() == "2026-11-16（顺延）"
    assert page.table.item(row, 3).text() == "逾期13天"
    assert page.table.item(row, 0).foreground().color().name() == "#c62828"
    assert "期限届满日2026年11月14日为星期六，顺延至2026年11月16日" in page.detail.text()
    assert "第三十三条" in page.table.item(row, 2).toolTip()


def test_filters_by_kind_mediator_and_village(env, qtbot):
    _agreed(env.ctx)
    page = _show(qtbot, RemindersPage(env))
    total = len(page.items)
    page.kind.setCurrentIndex(page.kind.findData("follow_up"))
    assert [i.kind for i in page.items] == ["follow_up"]
    page.kind.setCurrentIndex(0)
    page.mediator.setCurrentIndex(page.mediator.findText("李建国"))
    assert 0 < len(page.items) < total and all("李建国" in i.mediators for i in page.items)
    page.mediator.setCurrentIndex(0)
    page.village.setCurrentIndex(page.village.findText("东关村"))
    assert page.items and all(i.village == "东关村" for i in page.items)


def test_the_calendar_counts_each_day_and_a_click_lists_that_day(env, qtbot):
    _agreed(env.ctx)
    page = _show(qtbot, RemindersPage(env))
    assert page.calendar.count_on(date(2026, 11, 16)) == 1
    assert page.calendar.count_on(date(2026, 11, 15)) == 1  # the performance date
    assert page.calendar.count_on(date(2026, 11, 17)) == 0
    page.calendar.setSelectedDate(QDate(2026, 11, 16))
    page.calendar.clicked.emit(QDate(2026, 11, 16))
    assert page.current_tab() == DAY
    assert page.tabs.tabText(TABS.index(DAY)) == "11月16日（1）"
    assert _column(page.table, 1) == ["司法确认申请截止"]


def _badge_pixels(image, rect, colour) -> int:
    """Pixels of exactly the badge colour inside ``rect`` (antialiased text never is)."""
    return sum(1 for x in range(rect.left(), rect.right() + 1) for y in range(rect.top(), rect.bottom() + 1)
               if image.pixelColor(x, y) == colour)


def test_the_calendar_badges_leave_the_day_numbers_readable(env, qtbot):
    _agreed(env.ctx)
    page = _show(qtbot, RemindersPage(env))
    qtbot.waitExposed(page)
    calendar = page.calendar
    image = calendar.grab().toImage()  # paints the cells
    viewport = calendar.findChild(QTableView).viewport()
    days = {date(2026, 11, 15): RED, date(2026, 11, 23): RED, date(2026, 11, 30): BLUE}
    assert set(days) <= set(calendar.painted)
    for day, colour in days.items():
        badge, text = calendar.painted[day]
        assert not badge.intersects(text), day
        offset = viewport.mapTo(calendar, QPoint(0, 0))
        badge, text = badge.translated(offset), text.translated(offset)
        assert _badge_pixels(image, badge, colour) > 10, day  # the badge is drawn…
        assert _badge_pixels(image, text, colour) == 0, day  # …and not over the number


def test_a_badge_goes_where_it_covers_nothing_or_is_left_out():
    cell, text = QRect(0, 0, 48, 30), QRect(17, 8, 14, 15)
    assert badge_rect(cell, text, 11, 11) == QRect(36, 2, 11, 11)  # top right
    narrow = QRect(0, 0, 24, 40)  # no room beside the number: under it
    below = badge_rect(narrow, QRect(5, 12, 14, 15), 11, 11)
    assert below is not None and below.top() > 27 and not below.intersects(QRect(5, 12, 14, 15))
    assert badge_rect(QRect(0, 0, 20, 18), QRect(3, 2, 14, 15), 11, 11) is None
    assert badge_label(3) == "3" and badge_label(12) == "9+"


# --- actions ----------------------------------------------------------------------------------


def test_complete_takes_the_row_off(env, qtbot, errors):
    _agreed(env.ctx)
    page = _show(qtbot, RemindersPage(env))
    item = _select(page, "judicial_confirmation")
    with qtbot.waitSignal(env.signals.reminders_changed):
        page.complete_button.click()
    assert item.key not in [i.key for i in page.items]
    assert page.message.text().startswith("已完成")
    assert errors == []


def test_snooze_asks_the_date_and_hides_the_row_until_then(env, qtbot, errors, monkeypatch):
    _agreed(env.ctx)
    page = _show(qtbot, RemindersPage(env))
    item = _select(page, "follow_up")
    monkeypatch.setattr(reminder_dialogs, "ask_snooze_until", lambda *_a: date(2026, 12, 2))
    page.snooze_button.click()
    assert item.key not in [i.key for i in page.items]
    page.on_date.setDate(QDate(2026, 12, 2))
    assert item.key in [i.key for i in page.items]
    assert errors == []


def test_dismiss_asks_the_reason_and_a_blank_one_is_refused(env, qtbot, errors, monkeypatch):
    _agreed(env.ctx)
    page = _show(qtbot, RemindersPage(env))
    item = _select(page, "performance")
    monkeypatch.setattr(reminder_dialogs, "ask_dismiss_reason", lambda *_a: "")
    page.dismiss_button.click()
    assert len(errors) == 1 and errors[0].path == "reason"
    monkeypatch.setattr(reminder_dialogs, "ask_dismiss_reason", lambda *_a: "已电话确认履行完毕")
    _select(page, "performance")
    page.dismiss_button.click()
    assert item.key not in [i.key for i in page.items]


def test_an_action_without_a_selection_says_so(env, qtbot):
    page = _show(qtbot, RemindersPage(env))
    page.table.clearSelection()
    page.complete_button.click()
    assert page.message.text() == "请先在列表中选中一项"


def test_no_next_step_tab_and_the_badge_in_the_navigation(env, qtbot):
    stalled = uc.register_case(env.ctx, case_input(level=Level.COUNTY)).id
    page = _show(qtbot, RemindersPage(env))
    page.tabs.setCurrentIndex(TABS.index(STALLED))
    assert page.tabs.tabText(TABS.index(STALLED)) == "无下一步（1）"
    assert page.views.currentWidget() is page.stalled_table
    assert not page.complete_button.isEnabled()
    assert page.stalled_table.rows[0].case_id == stalled
    page.stalled_table.selectRow(0)
    with qtbot.waitSignal(env.signals.open_case_requested) as blocker:
        page.open_button.click()
    assert blocker.args == [stalled]
    window = MainWindow(env)
    qtbot.addWidget(window)
    window.refresh_status()
    nav = window.nav.item(list(window.pages).index("reminders"))
    assert nav.text() == f"日程提醒 ({reminder_summary(env.ctx, TODAY).attention})"
    assert "1件办理中的案件无下一步" in nav.toolTip()  # the badge counts reminders, the tip says more
    uc.accept_case(env.ctx, stalled, date(2026, 10, 20))
    env.signals.reminders_changed.emit()
    assert "无下一步" not in nav.toolTip()


# --- the scheduler bridge ---------------------------------------------------------------------


class FakeScheduler:
    def __init__(self) -> None:
        self.started = self.stopped = False
        self.scans = 0

    def start(self) -> None:
        self.started = True

    def stop(self) -> None:
        self.stopped = True

    def scan_soon(self) -> None:
        self.scans += 1


class FakeTray(QObject):
    messageClicked = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.messages: list[tuple[str, str]] = []

    def showMessage(self, title, body, _icon=None, _msecs=0) -> None:
        self.messages.append((title, body))


def test_a_notice_from_the_worker_thread_reaches_the_tray_and_the_status_bar(env, qtbot):
    case_id = _agreed(env.ctx)
    scheduler, tray = FakeScheduler(), FakeTray()
    bridge = SchedulerBridge(env, scheduler=scheduler, tray=tray)
    window = MainWindow(env, scheduler_bridge=bridge)
    qtbot.addWidget(window)
    bridge.start()
    assert scheduler.started
    notice = take_notice(env.ctx, "admin", datetime(2026, 11, 29, 10, 0, tzinfo=SHANGHAI))
    assert {i.case_id for i in notice.fired} > {case_id}  # the sample cases' items fire too
    with qtbot.waitSignal(bridge.counts_changed, timeout=5000):
        threading.Thread(target=bridge.deliver, args=(notice,)).start()
    title, body = tray.messages[-1]
    assert title.startswith(f"{len(notice.fired)}项提醒到期") and "逾期" in title
    assert "……另有" in body
    summary = reminder_summary(env.ctx, TODAY)
    assert notice.counts == summary.counts  # a scan counts as the status bar's own query does
    assert window.due_label.text() == summary.text
    with qtbot.waitSignal(bridge.show_reminders_requested):
        tray.messageClicked.emit()  # several cases: the page, not one case
    assert window.current_page() is window.pages["reminders"]
    bridge.stop()
    assert scheduler.stopped


def test_clicking_a_message_about_one_case_opens_it(env, qtbot):
    case_id = _agreed(env.ctx)
    tray = FakeTray()
    bridge = SchedulerBridge(env, scheduler=FakeScheduler(), tray=tray)
    notice = take_notice(env.ctx, "admin", datetime(2026, 11, 29, 10, 0, tzinfo=SHANGHAI))
    one_case = [i for i in notice.fired if i.case_id == case_id]
    with qtbot.waitSignal(bridge.counts_changed):
        bridge.deliver(type(notice)(one_case, notice.counts, 0, None))
    with qtbot.waitSignal(env.signals.open_case_requested) as blocker:
        tray.messageClicked.emit()
    assert blocker.args == [case_id]


def test_while_the_window_is_locked_the_tray_message_names_no_case(env, qtbot):
    _agreed(env.ctx)
    tray = FakeTray()
    bridge = SchedulerBridge(env, scheduler=FakeScheduler(), tray=tray)
    bridge.is_locked = lambda: True
    notice = take_notice(env.ctx, "admin", datetime(2026, 11, 29, 10, 0, tzinfo=SHANGHAI))
    with qtbot.waitSignal(bridge.counts_changed):
        bridge.deliver(notice)
    title, body = tray.messages[-1]
    assert title == "调解通" and body == f"有{len(notice.fired)}项提醒到期，解锁后查看"
    assert not any(i.case_number and i.case_number in body for i in notice.fired)


def test_a_change_to_the_reminders_asks_the_scheduler_for_a_scan(env, qtbot):
    scheduler = FakeScheduler()
    bridge = SchedulerBridge(env, scheduler=scheduler, tray=FakeTray())
    env.signals.reminders_changed.emit()
    assert scheduler.scans == 1
    assert bridge.last is None


# --- the holidays dialog ----------------------------------------------------------------------


def test_a_holiday_added_in_the_dialog_moves_deadlines_and_is_saved_as_the_offices_copy(
        env, qtbot, tmp_path, monkeypatch):
    from mediator import config
    from mediator.services.cases.deadline_settings import holidays_copy_path, load_calendar
    from mediator.ui.dialogs.holidays import HolidaysDialog

    monkeypatch.setattr(config, "data_dir", lambda: tmp_path)
    _agreed(env.ctx)
    dialog = HolidaysDialog(env)
    qtbot.addWidget(dialog)
    dialog.day.setDate(QDate(2026, 11, 16))
    dialog.kind.setCurrentIndex(0)  # 放假
    dialog.add_entry()
    assert "名称" in dialog.message.text()  # a holiday needs its name
    dialog.name.setText("地方纪念日")
    dialog.add_entry()
    assert "2026-11-16" in [dialog.table.item(r, 0).text() for r in range(dialog.table.rowCount())]
    with qtbot.waitSignal(dialog.accepted):
        dialog.save_button.click()
    assert holidays_copy_path().exists()
    assert load_calendar().holiday_name(date(2026, 11, 16)) == "地方纪念日"
    item = next(i for i in rem.due_items(env.ctx, TODAY) if i.kind == "judicial_confirmation")
    assert item.due == date(2026, 11, 17) and "星期六" in item.moved_reason
