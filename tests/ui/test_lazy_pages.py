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
    assert window.stack.count() == len(window.pages) == 13  # the administrator: all but 网格上报
    assert window.stack.widget(1).objectName() == "placeholder_cases"
    assert "reports" in window.pages and not window.pages.is_built("reports")  # asking costs nothing

    page = window.show_page("reminders")
    assert window.current_page() is page is window.pages["reminders"]
    assert page.objectName() == "page_reminders" and window.stack.indexOf(page) == 3  # after 待分流
    assert set(window.pages.built()) == {"workbench", "reminders"}

    cases = window.pages["cases"]  # looked up, not shown: built in its place, the page stays
    assert window.current_page() is page and window.stack.indexOf(cases) == 1
    window.show_page("cases")
    assert window.current_page() is cases
    assert window.stack.count() == 13  # each placeholder was replaced, none added


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


class _HeldRunner:
    """Runs a task only when the test says so (a read still running when a write happens)."""

    def __init__(self) -> None:
        self.held: list = []

    def run(self, fn, *, on_done, on_error, parent=None, label=None, cancellable=False):
        self.held.append((fn, on_done))

    def finish_one(self) -> None:
        fn, on_done = self.held.pop(0)
        on_done(fn())

    def wait(self, msecs: int = 30000) -> bool:
        return True


def test_a_write_during_a_reading_reads_once_more_after_it(env):
    from dataclasses import replace

    held = replace(env, runner=_HeldRunner())
    due = held.due_snapshot()
    due.ensure()
    due.ensure()  # already being read: nothing more
    held.signals.reminders_changed.emit()  # a write while it reads
    held.signals.cases_changed.emit([1])  # and another: still one more reading, not two
    assert len(held.runner.held) == 1
    held.runner.finish_one()
    assert due.loads == 1 and len(held.runner.held) == 1  # the one asked for meanwhile
    held.runner.finish_one()
    assert due.loads == 2 and held.runner.held == [] and due.summary is not None
