"""Locking the window after idle time (setting ``security.idle_lock_minutes``; 0 = never).

``IdleLock`` watches every key, mouse, wheel and touch event of the application and restarts a
timer; when it runs out, a lock screen covers the main window and asks for the password again.

The lock screen is a frameless, application-modal window laid over the main window and shown with
``show()`` (never ``exec()``): being the newest modal window it takes input even when a dialog is
open, and it blocks every other window. Each other window of the program also gets an opaque
blind, so no personal data stays readable; dialogs keep what was typed in them. Shortcuts of the
other windows are swallowed while locked.
"""
from __future__ import annotations

import logging

import shiboken6
from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QWindow
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from mediator.domain.errors import DomainError
from mediator.services.safety.lock import record_lock, unlock_session
from mediator.services.settings import get_setting
from mediator.ui.env import UiEnv

log = logging.getLogger("mediator")

SETTING = "security.idle_lock_minutes"
_T = QEvent.Type
# Input that counts as "the user is here" (restarts the timer).
ACTIVITY = frozenset({_T.KeyPress, _T.MouseButtonPress, _T.MouseButtonDblClick, _T.MouseMove,
                      _T.Wheel, _T.TouchBegin, _T.TouchUpdate, _T.TabletPress})
# Input swallowed while locked unless it goes to the lock screen (modality blocks most of it already).
BLOCKED = frozenset({_T.Shortcut, _T.ShortcutOverride, _T.KeyPress, _T.KeyRelease,
                     _T.MouseButtonPress, _T.MouseButtonRelease, _T.MouseButtonDblClick, _T.Wheel,
                     _T.ContextMenu})
_GEOMETRY = frozenset({_T.Move, _T.Resize, _T.WindowStateChange})
_NOT_COVERED = (Qt.WindowType.Popup, Qt.WindowType.ToolTip, Qt.WindowType.SplashScreen)


class LockScreen(QWidget):
    """调解通已锁定: the user's name, the password, 解锁 and 退出程序."""

    def __init__(self, parent: QWidget, user_text: str) -> None:
        super().__init__(parent, Qt.WindowType.Window | Qt.WindowType.FramelessWindowHint)
        self.setObjectName("lock_screen")
        self.setWindowTitle("调解通已锁定")
        self.setWindowModality(Qt.WindowModality.ApplicationModal)
        self.setAutoFillBackground(True)
        title = QLabel("调解通已锁定")
        title.setObjectName("lock_title")
        font = title.font()
        font.setPointSize(font.pointSize() + 8)
        font.setBold(True)
        title.setFont(font)
        self.user_label = QLabel(user_text)
        self.password = QLineEdit()
        self.password.setObjectName("lock_password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText("请输入登录密码")
        self.password.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)
        self.password.setMinimumWidth(260)
        self.message = QLabel()
        self.message.setObjectName("lock_message")
        self.message.setStyleSheet("color: #c62828")
        self.message.setWordWrap(True)
        self.unlock_button = QPushButton("解锁")
        self.unlock_button.setDefault(True)
        self.quit_button = QPushButton("退出程序")

        box = QFrame()
        box.setFrameShape(QFrame.Shape.StyledPanel)
        inner = QVBoxLayout(box)
        inner.setContentsMargins(32, 24, 32, 24)
        inner.setSpacing(10)
        for widget in (title, self.user_label, QLabel("窗口因长时间无操作已锁定，请输入密码解锁。"),
                       self.password, self.message):
            inner.addWidget(widget)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.quit_button)
        buttons.addWidget(self.unlock_button)
        inner.addLayout(buttons)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(box)
        row.addStretch(1)
        outer = QVBoxLayout(self)
        outer.addStretch(1)
        outer.addLayout(row)
        outer.addStretch(2)

    def show_message(self, text: str) -> None:
        self.message.setText(text)


class _Blind(QWidget):
    """An opaque sheet over another window of the program while locked."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("lock_blind")
        self.setAutoFillBackground(True)
        label = QLabel("调解通已锁定")
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        QVBoxLayout(self).addWidget(label)
        self.setGeometry(parent.rect())
        self.show()
        self.raise_()


class IdleLock(QObject):
    """Locks ``window`` after the idle time; ``locked``/``unlocked`` tell whoever cares.

    Signals:
        locked(), unlocked(); quit_requested() — 退出程序 on the lock screen (quits the application).
    """

    locked = Signal()
    unlocked = Signal()
    quit_requested = Signal()

    def __init__(self, window: QWidget, env: UiEnv) -> None:
        super().__init__(window)
        self.window = window
        self.env = env
        self.cover: LockScreen | None = None
        self._blinds: dict[QWidget, _Blind] = {}
        self._minutes: int | None = None
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self.lock)
        self.quit_requested.connect(QApplication.quit)
        # The 系统 page emits reminders_changed after saving the office settings.
        env.signals.reminders_changed.connect(self.reload_setting)
        QApplication.instance().installEventFilter(self)
        self.reload_setting()

    @property
    def is_locked(self) -> bool:
        return self.cover is not None

    # --- the interval ---------------------------------------------------------------------------
    def reload_setting(self) -> None:
        """Read the idle time from the settings; restart the timer only when it changed."""
        try:
            minutes = int(get_setting(self.env.ctx, SETTING) or 0)
        except (DomainError, TypeError, ValueError):
            log.warning("idle lock: cannot read %s", SETTING, exc_info=True)
            return
        if minutes != self._minutes:
            self._minutes = minutes
            self.set_interval_ms(minutes * 60_000)

    def set_interval_ms(self, ms: int) -> None:
        """Lock after ``ms`` milliseconds without input; 0 switches the lock off."""
        self.timer.stop()
        self.timer.setInterval(max(0, int(ms)))
        if ms > 0 and not self.is_locked:
            self.timer.start()

    @property
    def enabled(self) -> bool:
        return self.timer.interval() > 0

    # --- watching input -------------------------------------------------------------------------
    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        kind = event.type()
        if self.cover is None:
            if kind in ACTIVITY and self.enabled:
                self.timer.start()
            return False
        if kind in BLOCKED and not self._on_cover(obj):
            return True
        if kind in _GEOMETRY:
            if obj is self.window:
                self._place_cover()
            blind = self._blinds.get(obj)
            if blind is not None:
                blind.setGeometry(obj.rect())
        elif kind == _T.Show and isinstance(obj, QWidget) and self._needs_blind(obj):
            QTimer.singleShot(0, self._cover_new_windows)
        return False

    def _on_cover(self, obj: QObject) -> bool:
        cover = self.cover
        if isinstance(obj, QWidget):
            return obj is cover or cover.isAncestorOf(obj)
        if isinstance(obj, QWindow):
            return obj is cover.windowHandle()
        return False

    def _needs_blind(self, widget: QWidget) -> bool:
        return (widget.isWindow() and widget.isVisible() and widget is not self.cover
                and widget not in self._blinds and widget.windowType() not in _NOT_COVERED)

    # --- locking --------------------------------------------------------------------------------
    def lock(self) -> None:
        """Cover the window now (the timer calls this; so may a menu action)."""
        if self.is_locked:
            return
        self.timer.stop()
        for _ in range(10):  # open menus and completer lists (nested ones too) could show data
            popup = QApplication.activePopupWidget()
            if popup is None:
                break
            popup.close()
        user = self.env.user
        self.cover = LockScreen(self.window, f"当前用户：{user.display_name}（{user.username}）")
        self.cover.unlock_button.clicked.connect(self.try_unlock)
        self.cover.password.returnPressed.connect(self.try_unlock)
        self.cover.quit_button.clicked.connect(self.quit_requested.emit)
        self._cover_new_windows(reshow=False)
        self._place_cover()
        self.cover.show()
        self.cover.raise_()
        self.cover.activateWindow()
        self.cover.password.setFocus()
        ctx = self.env.ctx
        username = user.username
        self.env.runner.run(lambda: record_lock(ctx, username), on_done=lambda _r: None,
                            on_error=self._log_failure)
        self.locked.emit()

    def _cover_new_windows(self, reshow: bool = True) -> None:
        """Put a blind on every visible window of the program not yet covered.

        A window that appeared while locked (an error message from a background task) would sit
        above the lock screen in the modal stack: the lock screen is shown again to come first.
        """
        if self.cover is None:
            return
        added = False
        for widget in QApplication.topLevelWidgets():
            if self._needs_blind(widget):
                self._blinds[widget] = _Blind(widget)
                added = True
        if added and reshow:
            self.cover.hide()
            self.cover.show()
            self.cover.raise_()
            self.cover.activateWindow()
            self.cover.password.setFocus()

    def _place_cover(self) -> None:
        if self.cover is None:
            return
        if self.window.isVisible() and not self.window.isMinimized():
            self.cover.setGeometry(self.window.geometry())
        else:
            self.cover.resize(max(480, self.window.width()), max(360, self.window.height()))

    # --- unlocking ------------------------------------------------------------------------------
    def try_unlock(self) -> None:
        """解锁: check the password; a wrong one is told under the field and counts as a failure."""
        cover = self.cover
        if cover is None or not cover.unlock_button.isEnabled():
            return
        password = cover.password.text()
        if not password:
            cover.show_message("请输入密码")
            return
        cover.unlock_button.setEnabled(False)
        ctx, username = self.env.ctx, self.env.user.username
        self.env.runner.run(lambda: unlock_session(ctx, username, password),
                            on_done=lambda _user: self._unlock(), on_error=self._unlock_failed)

    def _unlock_failed(self, exc: BaseException) -> None:
        cover = self.cover
        if cover is None:
            return
        cover.unlock_button.setEnabled(True)
        cover.password.clear()
        cover.password.setFocus()
        if isinstance(exc, DomainError):
            cover.show_message(exc.message)
        else:
            log.error("unlock failed", exc_info=exc)
            cover.show_message("解锁时出现意外错误，已记录到日志文件，请重试或退出程序")

    def _unlock(self) -> None:
        cover, self.cover = self.cover, None
        for blind in self._blinds.values():
            if shiboken6.isValid(blind):  # its window may have been closed and deleted meanwhile
                blind.hide()
                blind.deleteLater()
        self._blinds.clear()
        if cover is not None:
            cover.hide()
            cover.deleteLater()
        self.window.activateWindow()
        if self.enabled:
            self.timer.start()
        self.unlocked.emit()

    @staticmethod
    def _log_failure(exc: BaseException) -> None:
        log.error("recording the lock failed", exc_info=exc)


__all__ = ["IdleLock", "LockScreen"]
