"""The service context: database, acting user, clock, calendar and settings; owns transactions."""
from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlmodel import Session

from mediator.domain.calendar import HolidayCalendar
from mediator.domain.deadlines import DeadlineSettings
from mediator.domain.permissions import Role
from mediator.store.db import Database

SHANGHAI = ZoneInfo("Asia/Shanghai")


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

