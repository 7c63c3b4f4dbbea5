"""One 需提醒 count: the 日程提醒 badge, the 工作台 and the status bar say the same, and all three
follow a snooze, a dismissal or a completion at once."""
from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt

from mediator.services.cases import lifecycle as uc
from mediator.services.reminders.summary import reminder_summary
from mediator.ui.dialogs import reminder_dialogs
from mediator.ui.main_window import MainWindow
from tests.helpers import agreement_input, case_input

TODAY = date(2026, 11, 29)


def _agreed(ctx) -> int:
    """Agreed on 2026-10-15 with performance due 2026-11-15: its reminders are overdue."""
    case_id = uc.register_case(ctx, case_input()).id
    uc.accept_case(ctx, case_id, date(2026, 10, 15))
    uc.start_mediation(ctx, case_id, date(2026, 10, 15))
    uc.conclude_agreement(ctx, case_id, agreement_input(date(2026, 10, 15)))
    return case_id


@pytest.fixture
def window(env, qtbot):
    _agreed(env.ctx)
    window = MainWindow(env)
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    qtbot.waitExposed(window)
    return window


def _shown(window: MainWindow) -> tuple[str, str, str]:
    """What the badge, the 工作台 and the status bar say."""
    nav = window.nav.item(list(window.pages).index("reminders")).text()
    return nav, window.pages["workbench"].summary.text(), window.due_label.text()


def _expect_same(window: MainWindow, env) -> int:
    summary = reminder_summary(env.ctx, TODAY)
    badge, workbench, status = _shown(window)
    assert badge == f"日程提醒 ({summary.attention})"
    assert workbench == status == summary.text
    assert f"需提醒 {summary.attention} 项" in status
    table = window.pages["workbench"].table
    assert table.rowCount() == summary.attention  # the 工作台 lists exactly what it counts
    return summary.attention


def _select(qtbot, page, kind: str) -> None:
    row = next(r for r, i in enumerate(page.table.items) if i.kind == kind and i.days_left <= 3)
    rect = page.table.visualRect(page.table.model().index(row, 0))
    qtbot.mouseClick(page.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert page.table.selected_item() is page.table.items[row]


def test_badge_workbench_and_status_bar_agree_and_follow_each_action(window, env, qtbot, monkeypatch):
    qtbot.waitUntil(lambda: "需提醒" in window.due_label.text())
    before = _expect_same(window, env)
    assert before > 3
    page = window.show_page("reminders")
    qtbot.waitUntil(lambda: bool(page.table.items))
    assert page.summary.text() == window.due_label.text()  # the page itself, unfiltered

    monkeypatch.setattr(reminder_dialogs, "ask_snooze_until", lambda *_a: date(2026, 12, 20))
    _select(qtbot, page, "performance")
    qtbot.mouseClick(page.snooze_button, Qt.MouseButton.LeftButton)
    assert _expect_same(window, env) == before - 1

    monkeypatch.setattr(reminder_dialogs, "ask_dismiss_reason", lambda *_a: "已电话确认")
    _select(qtbot, page, "judicial_confirmation")
    qtbot.mouseClick(page.dismiss_button, Qt.MouseButton.LeftButton)
    assert _expect_same(window, env) == before - 2

    _select(qtbot, page, "follow_up")
    qtbot.mouseClick(page.complete_button, Qt.MouseButton.LeftButton)
    assert _expect_same(window, env) == before - 3
    assert page.summary.text() == window.due_label.text()


def test_a_three_digit_badge_widens_the_navigation_and_the_page_moves_over(window):
    nav = window.nav
    nav.setStyleSheet("QListWidget#navigation { font-size: 15px; }")  # as the app's style sheet says
    window.set_nav_badge("reminders", 0)
    narrow = nav.width()
    window.set_nav_badge("reminders", 194, "需提醒 194 项")
    item = nav.item(list(window.pages).index("reminders"))
    assert item.text() == "日程提醒 (194)"
    assert nav.width() > narrow and nav.width() >= nav.fontMetrics().horizontalAdvance(item.text()) + 22
    page = window.pages["reminders"].parentWidget()
    assert page.geometry().left() >= nav.geometry().right()  # nothing of the page under the navigation
    window.set_nav_badge("reminders", 0)
    assert nav.width() == narrow
