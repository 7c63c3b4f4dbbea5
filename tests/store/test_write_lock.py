"""A writer that finds SQLite's write lock taken waits, says so, and writes; past the limit it
gives up in Chinese (never 「database is locked」). PostgreSQL's lost races are run again whole."""
from __future__ import annotations

import sqlite3
import threading
import time

import pytest
import sqlalchemy as sa

from mediator.domain.errors import DatabaseBusy
from mediator.services.context import ServiceContext
from mediator.store import write_lock
from mediator.store.db import Database


@pytest.fixture
def db(tmp_path):
    database = Database(f"sqlite:///{tmp_path / 'lock.db'}")
    with database.engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE t (x INTEGER)")
    yield database
    database.dispose()


def _hold_write_lock(path: str, seconds: float) -> threading.Thread:
    """Another connection holds the write lock for ``seconds`` (as a long import would)."""
    taken = threading.Event()

    def hold() -> None:
        conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("INSERT INTO t VALUES (0)")
        taken.set()
        time.sleep(seconds)
        conn.execute("COMMIT")
        conn.close()

    thread = threading.Thread(target=hold)
    thread.start()
    taken.wait(5)
    return thread


def _write(db: Database) -> None:
    with db.session(write=True) as s:
        s.execute(sa.text("INSERT INTO t VALUES (1)"))


def test_a_writer_waits_says_so_and_writes(db, monkeypatch):
    monkeypatch.setattr(write_lock, "NOTICE_AFTER", 0.2)
    told: list[bool] = []
    db.on_wait = told.append
    holder = _hold_write_lock(sa.make_url(db.url).database, 0.8)
    started = time.monotonic()
    _write(db)
    holder.join()
    assert time.monotonic() - started >= 0.5  # it did wait for the holder
    assert told == [True, False]  # told when the wait began and when it ended
    with db.session() as s:
        assert sorted(s.execute(sa.text("SELECT x FROM t")).scalars()) == [0, 1]


def test_a_quick_writer_is_not_told(db):
    told: list[bool] = []
    db.on_wait = told.append
    _write(db)
    assert told == []


def test_past_the_limit_it_gives_up_in_chinese(db, monkeypatch):
    monkeypatch.setattr(write_lock, "NOTICE_AFTER", 0.1)
    monkeypatch.setattr(write_lock, "WAIT_LIMIT", 0.4)
    holder = _hold_write_lock(sa.make_url(db.url).database, 1.2)
    with pytest.raises(DatabaseBusy) as caught:
        _write(db)
    holder.join()
    assert "数据库繁忙" in caught.value.message and "locked" not in caught.value.message
    _write(db)  # the connection is usable again, with its normal busy timeout
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == write_lock.BUSY_TIMEOUT_MS


@pytest.fixture
def postgres_ctx(database):
    return ServiceContext(database, actor="测试员")


class _Lost(Exception):
    def __init__(self, sqlstate: str) -> None:
        super().__init__(f"lost ({sqlstate})")
        self.sqlstate = sqlstate


def test_a_lost_race_runs_again_whole():
    runs: list[int] = []

    def use_case() -> str:
        runs.append(1)
        if len(runs) < 3:
            raise sa.exc.OperationalError("UPDATE …", {}, _Lost("40P01"))
        return "ok"

    assert write_lock.with_retries(use_case) == "ok"
    assert len(runs) == 3


def test_a_race_lost_every_time_is_busy_in_chinese():
    def use_case() -> None:
        raise sa.exc.OperationalError("UPDATE …", {}, _Lost("40001"))

    with pytest.raises(DatabaseBusy):
        write_lock.with_retries(use_case)


def test_other_database_errors_are_not_retried():
    runs: list[int] = []

    def use_case() -> None:
        runs.append(1)
        raise sa.exc.IntegrityError("INSERT …", {}, _Lost("23503"))

    with pytest.raises(sa.exc.IntegrityError):
        write_lock.with_retries(use_case)
    assert len(runs) == 1


def _lock_table_for(db: Database, seconds: float) -> threading.Thread:
    """Another program holds a table lock (as a bulk import on PostgreSQL does) for ``seconds``."""
    taken = threading.Event()
    engine = sa.create_engine(db.url, connect_args={"options": f"-csearch_path={db.schema}"})

    def hold() -> None:
        with engine.begin() as conn:
            conn.exec_driver_sql("LOCK TABLE setting IN EXCLUSIVE MODE")
            taken.set()
            time.sleep(seconds)
        engine.dispose()

    thread = threading.Thread(target=hold)
    thread.start()
    taken.wait(5)
    return thread


def _write_setting(ctx: ServiceContext) -> None:
    def use_case() -> None:
        with ctx.transaction() as s:
            s.execute(sa.text("INSERT INTO setting (key, value, version) VALUES ('locks.test', '1', 1)"))

    ctx.run_use_case(use_case)


@pytest.mark.postgres
@pytest.mark.parametrize("database", ["postgres"], indirect=True)
def test_postgres_a_writer_waits_for_a_lock_says_so_and_writes(postgres_ctx, monkeypatch):
    monkeypatch.setattr(write_lock, "NOTICE_AFTER", 0.2)
    told: list[bool] = []
    postgres_ctx.db.on_wait = told.append
    holder = _lock_table_for(postgres_ctx.db, 1.0)
    _write_setting(postgres_ctx)
    holder.join()
    assert told == [True, False]
    with postgres_ctx.read() as s:
        assert s.execute(sa.text("SELECT value FROM setting WHERE key = 'locks.test'")).scalar() is not None


@pytest.mark.postgres
@pytest.mark.parametrize("database", ["postgres"], indirect=True)
def test_postgres_past_the_limit_it_gives_up_in_chinese(postgres_ctx, monkeypatch):
    monkeypatch.setattr(write_lock, "NOTICE_AFTER", 0.1)
    monkeypatch.setattr(write_lock, "WAIT_LIMIT", 0.3)
    holder = _lock_table_for(postgres_ctx.db, 1.5)
    with pytest.raises(DatabaseBusy):
        _write_setting(postgres_ctx)
    holder.join()
    _write_setting(postgres_ctx)  # and the next write, unhindered, goes through
