"""The one bridge from the reminder scheduler to the GUI: a signal delivered on the GUI thread.

The scheduler calls ``deliver`` on its worker thread; the ``notice`` signal reaches
``_on_notice`` through a queued connection, which shows a tray message for reminders that fell
due and hands the counts to the status bar. Clicking the message opens the case (or the
日程提醒 page when several cases are concerned).
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QStyle, QSystemTrayIcon

from mediator.services.reminders.notices import ReminderNotice
from mediator.ui.env import UiEnv

MAX_LINES = 3


def notice_text(notice: ReminderNotice) -> tuple[str, str]:
    """The title and body of the tray message for the reminders that fell due."""
    fired = notice.fired
    overdue = sum(1 for i in fired if i.overdue)
    title = f"{len(fired)}项提醒到期" + (f"（其中逾期{overdue}项）" if overdue else "")
    lines = [f"{i.kind_label}：{i.case_number or i.village or i.target}  {i.days_text}"
             for i in fired[:MAX_LINES]]
    if len(fired) > MAX_LINES:
        lines.append(f"……另有{len(fired) - MAX_LINES}项，请到日程提醒查看")
    return title, "\n".join(lines)


def risk_text(alerts: list) -> tuple[str, str]:
    """The title and body of the tray message for new 风险预警 (AlertRow)."""
    lines = [f"{a.number}  {a.rule_label}（{a.level_label}）" for a in alerts[:MAX_LINES]]
    if len(alerts) > MAX_LINES:
        lines.append(f"……另有{len(alerts) - MAX_LINES}条，请到风险预警查看")
    return f"{len(alerts)}条新的风险预警", "\n".join(lines)


class SchedulerBridge(QObject):
    """Owns the scheduler for the logged-in user and tells the GUI about its scans.

    Signals:
        notice(object): a ``ReminderNotice`` from the worker thread (queued to the GUI thread).
        counts_changed(object): the latest notice, on the GUI thread (status bar, badge).
        show_reminders_requested(): a message about several cases was clicked.
        show_risk_requested(): a message about several new 风险预警 was clicked.
    """

    notice = Signal(object)
    counts_changed = Signal(object)
    show_reminders_requested = Signal()
    show_risk_requested = Signal()

    def __init__(self, env: UiEnv, scheduler: Any = None, tray: Any = None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.env = env
        if scheduler is None:
            from mediator.scheduling.scheduler import ReminderScheduler

            scheduler = ReminderScheduler(env.ctx, env.user.username, self.deliver)
        self.scheduler = scheduler
        # While the window is locked a tray message must not show case numbers (app sets this).
        self.is_locked: Callable[[], bool] = lambda: False
        self.tray = tray if tray is not None else self._make_tray()
        if self.tray is not None:
            self.tray.messageClicked.connect(self._on_tray_message_clicked)
        self.last: ReminderNotice | None = None
        self.clicked_case: int | None = None  # what a click on the last message opens
        self.clicked_risk = False  # the last message was about new 风险预警 (a click shows them)
        self._quiet = False  # True while re-emitting reminders_changed after a scan
        self.notice.connect(self._on_notice, Qt.ConnectionType.QueuedConnection)
        env.signals.reminders_changed.connect(self._on_signals_reminders_changed)

    @staticmethod
    def _make_tray() -> QSystemTrayIcon | None:
        if not QSystemTrayIcon.isSystemTrayAvailable():
            return None
        app = QApplication.instance()
        icon = app.windowIcon() if app is not None else QIcon()
        if icon.isNull() and app is not None:
            icon = app.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxInformation)
        tray = QSystemTrayIcon(icon)
        tray.setToolTip("调解通")
        tray.show()
        return tray

    # --- life cycle ---------------------------------------------------------------------------
    def start(self) -> None:
        self.scheduler.start()

    def stop(self) -> None:
        self.scheduler.stop()
        if self.tray is not None and hasattr(self.tray, "hide"):
            self.tray.hide()

    def deliver(self, notice: ReminderNotice) -> None:
        """Called by the scheduler on its worker thread."""
        self.notice.emit(notice)

    # --- on the GUI thread --------------------------------------------------------------------
    def _on_notice(self, notice: ReminderNotice) -> None:
        self.last = notice
        self.counts_changed.emit(notice)
        if notice.synced.changed or notice.recomputed:
            # Scans triggered by this signal change nothing the second time: no loop.
            self._quiet = True
            try:
                self.env.signals.reminders_changed.emit()
            finally:
                self._quiet = False
        alerts = notice.risk_alerts
        if notice.fired:
            cases = {i.case_id for i in notice.fired if i.case_id is not None}
            self.clicked_case = next(iter(cases)) if len(cases) == 1 else None
            self.clicked_risk = False
            title, body = notice_text(notice)
            if alerts:  # one message at a time: the reminders' names the warnings too
                body += f"\n另有{len(alerts)}条新的风险预警，请到风险预警查看"
            if self.is_locked():
                title, body = "调解通", f"有{len(notice.fired)}项提醒到期，解锁后查看"
            self._show_message(title, body)
        elif alerts:
            cases = {a.case_id for a in alerts}
            self.clicked_case = next(iter(cases)) if len(cases) == 1 else None
            self.clicked_risk = True
            title, body = risk_text(alerts)
            if self.is_locked():
                title, body = "调解通", f"有{len(alerts)}条新的风险预警，解锁后查看"
            self._show_message(title, body, QSystemTrayIcon.MessageIcon.Warning)

    def _show_message(self, title: str, body: str,
                      icon: QSystemTrayIcon.MessageIcon = QSystemTrayIcon.MessageIcon.Information) -> None:
        if self.tray is not None:
            self.tray.showMessage(title, body, icon, 15000)

    def _on_tray_message_clicked(self) -> None:
        if self.clicked_case is not None:
            self.env.signals.open_case_requested.emit(self.clicked_case)
        elif self.clicked_risk:
            self.show_risk_requested.emit()
        else:
            self.show_reminders_requested.emit()

    def _on_signals_reminders_changed(self) -> None:
        if not self._quiet:
            self.scheduler.scan_soon()
