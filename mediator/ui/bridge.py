"""Application-wide Qt signals: what changed, so every open view decides whether to refresh."""
from __future__ import annotations

from PySide6.QtCore import QObject, Signal


class AppSignals(QObject):
    """Signals:
        cases_changed(list): ids of cases that were written (empty list: many or unknown).
        reference_changed(): regions, organisations or mediators changed.
        open_case_requested(int): somebody asked to open a case workspace.
        reminders_changed(): deadlines or reminders may have changed.
        show_cases_requested(object): show the case list with this ``CaseFilter`` (drill-down).
        database_waiting(bool): a write waits for another program's write lock (False: it got it).
    """

    cases_changed = Signal(list)
    reference_changed = Signal()
    open_case_requested = Signal(int)
    reminders_changed = Signal()
    show_cases_requested = Signal(object)
    database_waiting = Signal(bool)
