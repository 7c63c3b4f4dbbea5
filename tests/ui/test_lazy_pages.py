"""The main window builds a page (and runs its first query) only when it is first shown or asked for;
the 工作台 and the status bar share one 需提醒 reading."""
from __future__ import annotations

from mediator.ui.main_window import MainWindow


def test_only_the_first_page_is_built_at_start_and_others_when_first_shown(env, qtbot):
    window = MainWindow(env)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    assert list(window.pages.built()) == ["workbench"]
    assert window.stack.count() == len(window.pages) == 10
    assert window.stack.widget(1).objectName() == "placeholder_cases"
    assert "reports" in window.pages and not window.pages.is_built("reports")  # asking costs nothing

    page = window.show_page("reminders")
    assert window.current_page() is page is window.pages["reminders"]
    assert page.objectName() == "page_reminders" and window.stack.indexOf(page) == 2
    assert set(window.pages.built()) == {"workbench", "reminders"}

    cases = window.pages["cases"]  # looked up, not shown: built in its place, the page stays
    assert window.current_page() is page and window.stack.indexOf(cases) == 1
    window.show_page("cases")
    assert window.current_page() is cases
    assert window.stack.count() == 10  # each placeholder was replaced, none added


def test_the_status_bar_and_the_workbench_share_one_reading(env, qtbot):
    window = MainWindow(env)
    qtbot.addWidget(window)
    window.show()
    due = env.due_snapshot()
    qtbot.waitUntil(lambda: due.summary is not None)
    qtbot.wait(20)
    assert due.loads == 1
    assert window.due_label.text() == window.pages["workbench"].summary.text() == due.summary.text
    env.signals.reminders_changed.emit()  # a write: read again, once
    assert due.loads == 2
