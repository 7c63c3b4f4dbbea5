"""What every page and dialog is given: the service context, the user, signals, a task runner."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QSettings

from mediator.domain.permissions import Permission
from mediator.services.context import CurrentUser, ServiceContext
from mediator.ui.bridge import AppSignals
from mediator.ui.ops import TaskRunner


@dataclass
class UiEnv:
    """Passed explicitly to every page's constructor (no global main window)."""

    ctx: ServiceContext
    user: CurrentUser
    signals: AppSignals
    runner: TaskRunner
    settings: QSettings
    restart: Callable[[], None] | None = None  # ends the app so it starts again (after a restore)
    _due: Any = field(default=None, init=False, repr=False, compare=False)

    def due_snapshot(self) -> Any:
        """The shared 需提醒 reading (``ui.due_snapshot.DueSnapshot``), made on first use."""
        if self._due is None:
            from mediator.ui.due_snapshot import DueSnapshot

            self._due = DueSnapshot(self)
        return self._due

    def can(self, permission: Permission) -> bool:
        """Whether the user's role may do this (the services check again; this only hides)."""
        from mediator.services.permissions import can

        return can(self.user, permission)
