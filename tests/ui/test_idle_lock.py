"""The idle lock: the lock screen after idle time, the password to unlock, input postponing it."""
from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialog, QLineEdit, QMainWindow, QVBoxLayout, QWidget
from sqlmodel import select

from mediator.services.settings import set_setting
from mediator.store.models import AuditEntry
from mediator.ui.idle_lock import IdleLock
from tests.ui.conftest import ADMIN_PASSWORD


@pytest.fixture
def window(qtbot, env):
    """A small main window: a field holding personal data and a menu action with a shortcut."""
    env.ctx.user = env.user
    main = QMainWindow()
    qtbot.addWidget(main)
    main.field = QLineEdit("张三 410101199001011234")
    main.setCentralWidget(main.field)
    main.triggered = []
    action = QAction("新建案件…", main)
    action.setShortcut(QKeySequence("Ctrl+N"))
    action.triggered.connect(lambda: main.triggered.append("new"))
    main.menuBar().addMenu("案件(&C)").addAction(action)
    main.new_action = action
    main.resize(800, 600)
    main.show()
    qtbot.waitExposed(main)
    yield main
    # qtbot deletes the window later: its lock must not keep watching the next test's input.
    for lock in main.findChildren(IdleLock):
        QApplication.instance().removeEventFilter(lock)
        lock.timer.stop()
        if lock.cover is not None:  # a lock screen left up is modal: it would eat the next test's keys
            lock.cover.close()
            lock.cover.deleteLater()


def _lock(window, env) -> IdleLock:
    lock = IdleLock(window, env)
    lock.quit_requested.disconnect()  # the real one quits the application
    return lock


def _audit_actions(env) -> list[str]:
    with env.ctx.read() as session:
        return [e.action for e in session.exec(select(AuditEntry).order_by(AuditEntry.id))]


def _blinds(widget) -> list:
    return [w for w in widget.findChildren(QWidget) if w.objectName() == "lock_blind"]


def test_the_lock_screen_covers_the_window_after_the_idle_time(qtbot, env, window):
    lock = _lock(window, env)
    assert lock.timer.interval() == 10 * 60_000  # the default setting
    lock.set_interval_ms(50)
    qtbot.waitUntil(lambda: lock.is_locked, timeout=5000)
    cover = lock.cover
    assert cover.isVisible() and cover.windowTitle() == "调解通已锁定"
    assert "王所长" in cover.user_label.text() and "admin" in cover.user_label.text()
    assert cover.geometry() == window.geometry()
    assert QApplication.activeModalWidget() is cover
    blinds = _blinds(window)
    assert len(blinds) == 1 and blinds[0].isVisible()
    assert blinds[0].geometry() == window.rect()  # the personal data under it is hidden
    assert "lock" in _audit_actions(env)


def test_a_wrong_password_is_told_and_the_right_one_unlocks(qtbot, env, window):
    lock = _lock(window, env)
    lock.lock()
    cover = lock.cover
    qtbot.waitExposed(cover)
    QTest.keyClicks(cover.password, "wrong-password1")
    qtbot.mouseClick(cover.unlock_button, Qt.MouseButton.LeftButton)
    assert lock.is_locked
    assert "用户名或密码错误" in cover.message.text() and "再错4次" in cover.message.text()
    assert cover.password.text() == ""
    QTest.keyClicks(cover.password, ADMIN_PASSWORD)
    QTest.keyClick(cover.password, Qt.Key.Key_Return)
    assert not lock.is_locked
    assert not cover.isVisible() and not any(b.isVisible() for b in _blinds(window))
    assert lock.timer.isActive()
    actions = _audit_actions(env)
    assert actions.index("lock") < actions.index("login.failed") < actions.index("unlock")


def test_five_wrong_passwords_lock_the_account_on_the_lock_screen(qtbot, env, window):
    lock = _lock(window, env)
    lock.lock()
    cover = lock.cover
    for _ in range(5):
        cover.password.setText("wrong-password1")
        cover.unlock_button.click()
    cover.password.setText(ADMIN_PASSWORD)
    cover.unlock_button.click()
    assert lock.is_locked
    assert "账号已锁定" in cover.message.text()


def test_nothing_of_the_window_can_be_used_while_locked(qtbot, env, window):
    lock = _lock(window, env)
    lock.lock()
    QTest.keyClicks(window.field, "x")
    assert window.field.text() == "张三 410101199001011234"
    shortcut = QEvent(QEvent.Type.Shortcut)
    assert lock.eventFilter(window.new_action, shortcut) is True  # menu shortcuts are swallowed
    assert lock.eventFilter(lock.cover.password, QEvent(QEvent.Type.KeyPress)) is False
    assert window.triggered == []


def test_an_open_dialog_is_hidden_and_keeps_what_was_typed(qtbot, env, window):
    dialog = QDialog(window)
    dialog.edit = QLineEdit("李四的电话 13800000000")
    QVBoxLayout(dialog).addWidget(dialog.edit)
    dialog.open()  # window-modal, as the program's dialogs are
    qtbot.waitExposed(dialog)
    lock = _lock(window, env)
    lock.lock()
    assert QApplication.activeModalWidget() is lock.cover  # the lock screen takes the input
    assert [b.isVisible() for b in _blinds(dialog)] == [True]
    lock.cover.password.setText(ADMIN_PASSWORD)
    lock.cover.unlock_button.click()
    assert not lock.is_locked
    assert dialog.isVisible() and dialog.edit.text() == "李四的电话 13800000000"
    dialog.reject()


def test_input_before_the_timeout_postpones_the_lock(qtbot, env, window):
    lock = _lock(window, env)
    lock.set_interval_ms(60_000)
    lock.timer.stop()  # as if it had been running: any input starts the full time again
    QTest.keyClick(window.field, Qt.Key.Key_End)
    assert lock.timer.isActive() and lock.timer.remainingTime() > 50_000
    lock.timer.stop()
    QTest.mouseClick(window.field, Qt.MouseButton.LeftButton)
    assert lock.timer.isActive()
    lock.set_interval_ms(2000)
    for _ in range(6):  # input every 200 ms keeps a 2 s lock away for longer than 1 s
        qtbot.wait(200)
        QTest.keyClick(window.field, Qt.Key.Key_End)
        assert not lock.is_locked
    qtbot.waitUntil(lambda: lock.is_locked, timeout=15000)  # then, without input, it locks


def test_zero_minutes_switches_the_lock_off_and_settings_changes_apply(qtbot, env, window):
    set_setting(env.ctx, "security.idle_lock_minutes", 0)
    lock = _lock(window, env)
    assert not lock.enabled and not lock.timer.isActive()
    QTest.keyClick(window.field, Qt.Key.Key_End)
    assert not lock.timer.isActive()
    set_setting(env.ctx, "security.idle_lock_minutes", 3)
    env.signals.reminders_changed.emit()  # what the 系统 page emits after saving
    assert lock.timer.isActive() and lock.timer.interval() == 3 * 60_000
    set_setting(env.ctx, "security.idle_lock_minutes", 0)
    env.signals.reminders_changed.emit()
    assert not lock.timer.isActive()
    qtbot.wait(50)
    assert not lock.is_locked


def test_quit_on_the_lock_screen_asks_to_quit(qtbot, env, window):
    lock = _lock(window, env)
    lock.lock()
    with qtbot.waitSignal(lock.quit_requested, timeout=1000):
        lock.cover.quit_button.click()


def test_the_real_main_window_is_covered_and_its_menus_swallowed(qtbot, env):
    from mediator.ui.main_window import MainWindow

    env.ctx.user = env.user
    main = MainWindow(env)
    qtbot.addWidget(main)
    main.show()
    qtbot.waitExposed(main)
    lock = _lock(main, env)
    try:
        lock.lock()
        assert [b.isVisible() for b in _blinds(main)] == [True]
        assert lock.eventFilter(main.new_case_action, QEvent(QEvent.Type.Shortcut)) is True
        lock.cover.password.setText(ADMIN_PASSWORD)
        lock.cover.unlock_button.click()
        assert not lock.is_locked
        assert lock.eventFilter(main.new_case_action, QEvent(QEvent.Type.Shortcut)) is False
    finally:
        QApplication.instance().removeEventFilter(lock)
        lock.timer.stop()
