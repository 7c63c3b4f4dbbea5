"""The service context: database, acting user, clock, calendar and settings; owns transactions."""
from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TypeVar
from zoneinfo import ZoneInfo

from sqlmodel import Session

from mediator.domain.calendar import HolidayCalendar
from mediator.domain.deadlines import DeadlineSettings
from mediator.domain.permissions import Role
from mediator.store.db import Database
from mediator.store.write_lock import with_retries

SHANGHAI = ZoneInfo("Asia/Shanghai")
R = TypeVar("R")


@dataclass
class Clock:
    """Today and now in Asia/Shanghai; tests inject a fixed one."""

    fixed: datetime | None = None

    def now(self) -> datetime:
        return self.fixed if self.fixed is not None else datetime.now(SHANGHAI)

    def today(self) -> date:
        return self.now().astimezone(SHANGHAI).date()


@dataclass(frozen=True)
class CurrentUser:
    """The logged-in account, as the services check it (never an ORM row)."""

    id: int
    username: str
    display_name: str
    role: Role
    organization_id: int | None
    must_change_password: bool = False  # a reset password: the login asks for a new one first


@dataclass
class ServiceContext:
    """What every use case needs. One per user session (GUI) or per command (CLI).

    Transactions are re-entrant per thread: a use case called inside another use case's
    transaction (e.g. while importing a file) joins it, so the whole import is one transaction.
    """

    db: Database
    actor: str = "系统"
    clock: Clock = field(default_factory=Clock)
    calendar: HolidayCalendar = field(default_factory=HolidayCalendar.default)
    deadline_settings: DeadlineSettings = field(default_factory=DeadlineSettings)
    user: CurrentUser | None = None  # who is logged in (GUI); None: unrestricted (CLI, jobs)
    _local: threading.local = field(default_factory=threading.local, repr=False)

    def today(self) -> date:
        return self.clock.today()

    def now(self) -> datetime:
        return self.clock.now()

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """A write transaction, or the one already open on this thread."""
        current: Session | None = getattr(self._local, "session", None)
        if current is not None:
            yield current
            return
        with self.db.session(write=True) as session:
            self._local.session = session
            try:
                yield session
            finally:
                self._local.session = None

    def run_use_case(self, run: Callable[[], R]) -> R:
        """Run a use case; the outermost one runs again whole when it lost a race to another
        writer (``store.write_lock.with_retries``): never half of it, never a raw database error."""
        if self.in_transaction or getattr(self._local, "running", False):
            return run()
        self._local.running = True
        try:
            return with_retries(run, self.db.tell_wait)
        finally:
            self._local.running = False

    @property
    def in_transaction(self) -> bool:
        """Whether a use case on this thread has a transaction open (an inner one joins it)."""
        return getattr(self._local, "session", None) is not None

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A read-only session (joins an open transaction on this thread)."""
        current: Session | None = getattr(self._local, "session", None)
        if current is not None:
            yield current
            return
        with self.db.session() as session:
            yield session

