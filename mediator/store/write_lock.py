"""Waiting for the database instead of failing: SQLite's write lock, PostgreSQL's lost races.

SQLite: a write transaction takes the write lock at BEGIN IMMEDIATE (``db.py``), before any of its
statements ran, so waiting there is safe: nothing has to be re-run. After ``NOTICE_AFTER`` seconds
the waiter is told (the app's status bar, the CLI's stderr) and it keeps waiting up to
``WAIT_LIMIT``; then it gives up with ``DatabaseBusy`` in Chinese, never 「database is locked」.

PostgreSQL: a write transaction first waits ``NOTICE_AFTER`` for a lock (``lock_timeout``); a
use case that waited that long is told to the waiter and run again whole, now waiting up to
``WAIT_LIMIT`` (a bulk import keeps the case tables locked until it commits). A deadlock or
serialization failure (and a unique key taken by a concurrent insert between our check and our
write) aborts the whole transaction too; ``with_retries`` at the use-case boundary
(``ServiceContext.run_use_case``) runs the whole use case again.
"""
from __future__ import annotations

import logging
import random
import threading
import time
from collections.abc import Callable
from typing import TypeVar

import sqlalchemy as sa

from mediator.domain.errors import DatabaseBusy

log = logging.getLogger("mediator")
R = TypeVar("R")

NOTICE_AFTER = 1.0  # seconds a writer waits quietly before it says so
WAIT_LIMIT = 120.0  # seconds a writer waits for the lock before it gives up
BUSY_TIMEOUT_MS = 30000  # the connection's busy timeout for everything else (db.py sets it)

# PostgreSQL SQLSTATEs after which the whole transaction may simply run again.
RETRY_STATES = {"40001": "serialization_failure", "40P01": "deadlock_detected", "23505": "unique_violation"}
RETRY_ATTEMPTS = 4
LOCK_TIMEOUT = "55P03"  # lock_not_available: waited longer than lock_timeout

_patience = threading.local()  # PostgreSQL: this thread's use case was told and waits long now

Notify = Callable[[bool], None]  # True: waiting began; False: the wait is over


def _is_busy(exc: BaseException) -> bool:
    text = str(exc).lower()
    return "database is locked" in text or "database is busy" in text or "database table is locked" in text


def begin_immediate(dbapi_conn, error: type[BaseException], notify: Notify | None, *,
                    notice_after: float | None = None, limit: float | None = None) -> None:
    """BEGIN IMMEDIATE on a raw SQLite connection, waiting for the write lock as described above."""
    notice_after = NOTICE_AFTER if notice_after is None else notice_after
    limit = WAIT_LIMIT if limit is None else limit
    started = time.monotonic()
    told = False
    try:
        # First a quiet wait; then, told, the rest of the limit in one more try.
        for wait in (notice_after, None):
            remaining = limit - (time.monotonic() - started)
            slice_ms = max(1, int(1000 * (min(wait, remaining) if wait is not None else remaining)))
            dbapi_conn.execute(f"PRAGMA busy_timeout={slice_ms}")
            try:
                dbapi_conn.execute("BEGIN IMMEDIATE")
                return
            except error as exc:
                if not _is_busy(exc):
                    raise
            if wait is not None and notify is not None:
                notify(True)
                told = True
        raise DatabaseBusy()
    finally:
        dbapi_conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        if told and notify is not None:
            notify(False)


def lock_timeout_ms() -> int:
    """The ``lock_timeout`` of a PostgreSQL write transaction on this thread."""
    patient = getattr(_patience, "on", False)
    return max(1, int(1000 * (WAIT_LIMIT if patient else NOTICE_AFTER)))


def _sqlstate(exc: BaseException) -> str | None:
    return getattr(getattr(exc, "orig", None), "sqlstate", None)


def retryable(exc: BaseException) -> bool:
    """Whether ``exc`` is a lost race the whole use case may run again after (see the module text)."""
    if not isinstance(exc, sa.exc.DBAPIError):
        return False
    if _is_busy(exc.orig):
        return True  # SQLite: a lock that was not taken at BEGIN (a read upgraded to a write)
    return _sqlstate(exc) in RETRY_STATES


def as_busy(exc: BaseException) -> DatabaseBusy | None:
    """The Chinese error for a lost race that is still lost after the retries (else None)."""
    if isinstance(exc, sa.exc.DBAPIError) and (_is_busy(exc.orig) or _sqlstate(exc) in ("40001", "40P01")):
        return DatabaseBusy()
    return None


def with_retries(run: Callable[[], R], notify: Notify | None = None) -> R:
    """``run()``, run again whole (up to ``RETRY_ATTEMPTS`` times) while it loses a race; a race
    still lost at the end is ``DatabaseBusy`` (a unique key still taken is a real error: raised).
    A PostgreSQL lock wait past ``NOTICE_AFTER`` is told (``notify``) and waited out once more."""
    try:
        return _with_retries(run, notify)
    finally:
        if getattr(_patience, "on", False):
            _patience.on = False
            if notify is not None:
                notify(False)


def _with_retries(run: Callable[[], R], notify: Notify | None) -> R:
    for attempt in range(1, RETRY_ATTEMPTS + 1):
        try:
            return run()
        except sa.exc.DBAPIError as exc:
            if _sqlstate(exc) == LOCK_TIMEOUT:
                if getattr(_patience, "on", False):
                    raise DatabaseBusy() from exc
                _patience.on = True  # the whole use case again, now waiting up to WAIT_LIMIT
                if notify is not None:
                    notify(True)
                return _with_retries(run, notify)
            if attempt == RETRY_ATTEMPTS or not retryable(exc):
                busy = as_busy(exc)
                if busy is not None:
                    raise busy from exc
                raise
            log.info("lost a race (%s), running the use case again (%d)", exc.orig, attempt)
            time.sleep(random.uniform(0.01, 0.05) * attempt)  # let the winner commit first
    raise AssertionError("unreachable")
