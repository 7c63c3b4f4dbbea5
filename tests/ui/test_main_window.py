"""The main window: every page is reachable from the 转到 menu by its own Ctrl shortcut."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtTest import QTest

from mediator.ui.main_window import MainWindow


def _menu(window: MainWindow, title: str):
    return next(a.menu() for a in window.menuBar().actions() if a.text() == title)


def _key_click(window: MainWindow, shortcut: QKeySequence) -> None:
    """Press the shortcut where the focus is (on the page shown), as a person would."""
    combo = shortcut[0]
    QTest.keyClick(window.focusWidget() or window, combo.key(), combo.keyboardModifiers())


def test_every_page_has_a_go_to_menu_entry_with_its_own_shortcut(env, qtbot):
    window = MainWindow(env)
    qtbot.addWidget(window)
    with qtbot.waitActive(window):
        window.show()
        window.activateWindow()
    menu = _menu(window, "转到(&G)")
    titles = [window.nav.item(i).text().split(" (")[0] for i in range(window.nav.count())]  # no badge
    assert [a.text() for a in menu.actions()] == titles  # every page, in the navigation's order
    assert len(titles) == len(window.pages) == 13  # the administrator: all but the 网格员's 网格上报
    shortcuts = [a.shortcut().toString() for a in menu.actions()]
    assert all(shortcuts) and len(set(shortcuts)) == len(shortcuts)
    assert shortcuts[-1] == "Ctrl+0"  # the tenth page too (Ctrl+10 is no key)
    for key in reversed(list(window.pages)):
        action = window.page_actions[key]
        assert action in menu.actions()
        _key_click(window, action.shortcut())
        qtbot.waitUntil(lambda k=key: window.current_page() is window.pages[k])
        item = window.nav.currentItem()
        assert item.data(Qt.ItemDataRole.UserRole) == key
        assert action.shortcut().toString(QKeySequence.SequenceFormat.NativeText) in item.toolTip()
    window.page_actions["reminders"].trigger()  # the menu entry itself
    assert window.current_page() is window.pages["reminders"]
