"""The one 需提醒 reading the 工作台, the status bar and the 日程提醒 badge share.

One query (``reminder_summary``: counts in SQL, the soonest rows) per change instead of one per
reader: the snapshot reloads itself after writes (``cases_changed``, ``reminders_changed``) and
tells its readers through ``changed``. A refresh asked for while one runs is run once after it.
"""
from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from mediator.services.reminders.summary import ReminderSummary, reminder_summary
from mediator.ui.ops import run_query


class DueSnapshot(QObject):
    """The latest ``ReminderSummary`` of the whole office (all the user may see).

    Signals:
        changed(object): a new ``ReminderSummary`` was read.
    """

    changed = Signal(object)

    def __init__(self, env, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.env = env
        self.summary: ReminderSummary | None = None
        self.loads = 0  # how many times it was read (tests: once at start)
        self._loading = False
        self._again = False
        env.signals.cases_changed.connect(lambda _ids: self.refresh())
        env.signals.reminders_changed.connect(self.refresh)

    def ensure(self) -> None:
        """Read it unless it was read or is being read (what a page asks for when built)."""
        if self.summary is None and not self._loading:
            self.refresh()

    def refresh(self) -> None:
        if self._loading:
            self._again = True
            return
        self._loading = True
        ctx = self.env.ctx
        today = ctx.today()
        run_query(self.env, None, lambda: reminder_summary(ctx, today), self._on_loaded,
                  on_failure=self._on_failed)

    def _on_loaded(self, summary: ReminderSummary) -> None:
        self._loading = False
        self.loads += 1
        self.summary = summary
        self.changed.emit(summary)
        self._rerun()

    def _on_failed(self, exc: BaseException) -> None:
        self._loading = False
        from mediator.ui.errors import show_error

        show_error(None, exc)
        self._rerun()

    def _rerun(self) -> None:
        if self._again:
            self._again = False
            self.refresh()
