"""Engines and sessions: SQLite (WAL, foreign keys, busy timeout) or PostgreSQL."""
from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlmodel import Session

from mediator.store.write_lock import Notify, begin_immediate, lock_timeout_ms

WRITE_OPTION = "mediator_write"
WAIT_OPTION = "mediator_on_wait"  # who is told that a writer waits for the SQLite write lock


def is_sqlite(url: str | sa.URL) -> bool:
    return sa.make_url(url).get_backend_name() == "sqlite"


def sqlite_url(path: str | Path) -> str:
    """The URL of the SQLite file at ``path``, whatever its name (``#``, ``?``, ``%`` are escaped)."""
    return sa.URL.create("sqlite", database=str(path)).render_as_string(hide_password=False)


def sqlite_file(url: str | sa.URL) -> Path | None:
    """The file of a SQLite URL (None for PostgreSQL and in-memory databases)."""
    parsed = sa.make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database or parsed.database == ":memory:":
        return None
    return Path(parsed.database).expanduser()


def encrypted_file(url: str | sa.URL) -> Path | None:
    """The SQLite file of ``url`` when it is SQLCipher-encrypted (it then needs a key)."""
    from mediator.store.cipher import is_encrypted

    path = sqlite_file(url)
    return path if path is not None and is_encrypted(path) else None


def _key_from_environment() -> str:
    from mediator.domain.errors import DomainError
    from mediator.store.cipher import KEY_ENV

    key = os.environ.get(KEY_ENV)
    if not key:
        raise DomainError(f"数据库文件已加密：请在程序启动时输入数据库密码，命令行请设置环境变量 {KEY_ENV}")
    return key


def make_engine(url: str, *, schema: str | None = None, echo: bool = False,
                key: str | None = None) -> Engine:
    """An engine for ``url``; SQLite gets its pragmas, PostgreSQL an optional search_path.

    Args:
        url: SQLAlchemy URL (``sqlite:///file.db`` or ``postgresql+psycopg://…``).
        schema: PostgreSQL schema to work in (tests give each run its own).
        key: the passphrase of an SQLCipher-encrypted SQLite file (``store/cipher.py``).
    """
    parsed = sa.make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        if key is not None:
            from mediator.store import cipher

            path = parsed.database
            engine = sa.create_engine(parsed, echo=echo, module=cipher.dbapi(), creator=lambda: cipher.connect(
                path, key, timeout=30, check_same_thread=False))
        else:
            engine = sa.create_engine(parsed, echo=echo, connect_args={"timeout": 30})
        _configure_sqlite(engine)
        return engine
    if parsed.get_backend_name() == "postgresql" and parsed.drivername == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")
    connect_args = {"options": f"-csearch_path={schema}"} if schema else {}
    return sa.create_engine(parsed, echo=echo, connect_args=connect_args, pool_pre_ping=True)


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record):
        # Let SQLAlchemy emit BEGIN itself, so writers can take the lock up front.
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA busy_timeout=30000")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn):
        # A write transaction takes the write lock at BEGIN: two writers queue (and a long wait
        # is told, see write_lock) instead of failing when a read lock cannot be upgraded.
        options = conn.get_execution_options()
        if options.get(WRITE_OPTION):
            begin_immediate(conn.connection.driver_connection, conn.dialect.loaded_dbapi.OperationalError,
                            options.get(WAIT_OPTION))
        else:
            conn.exec_driver_sql("BEGIN")


class Database:
    """One database: its URL, an engine, and sessions for reading or writing."""

    def __init__(self, url: str, *, schema: str | None = None, key: str | None = None,
                 announce: bool = True) -> None:
        self.url = url
        self.schema = schema
        if key is None and encrypted_file(url) is not None:
            key = _key_from_environment()
        self.key = key  # SQLCipher passphrase of an encrypted SQLite file, else None
        self.on_wait: Notify | None = None  # the app's status bar, the CLI's stderr
        self.engine = make_engine(url, schema=schema, key=key)
        self._write_engine = self._writer()
        if announce:  # a file being built (a restore's) is nobody's yet
            self.announce()

    def _writer(self) -> Engine:
        return self.engine.execution_options(**{WRITE_OPTION: True, WAIT_OPTION: self.tell_wait})

    def tell_wait(self, waiting: bool) -> None:
        """Tell ``on_wait`` (if anyone listens) that a write waits for a lock, or no longer does."""
        if self.on_wait is not None:
            self.on_wait(waiting)

    def announce(self, user: str | None = None) -> None:
        """Tell a restore elsewhere that this process has the SQLite file open (as ``user``)."""
        path = sqlite_file(self.url)
        if path is not None:
            from mediator.store import presence

            presence.announce(path, user)

    def use_key(self, key: str) -> None:
        """Reopen the (now encrypted) SQLite file with ``key``; pooled connections are closed."""
        self.engine.dispose()
        self.key = key
        self.engine = make_engine(self.url, schema=self.schema, key=key)
        self._write_engine = self._writer()

    @property
    def is_sqlite(self) -> bool:
        return is_sqlite(self.url)

    @contextmanager
    def session(self, *, write: bool = False) -> Iterator[Session]:
        """A session in one transaction: committed on success, rolled back on any error."""
        bind = self._write_engine if write else self.engine
        with Session(bind, expire_on_commit=False) as session:
            try:
                if write and not self.is_sqlite:
                    # A use case that waits for a lock longer than a moment is told and run again,
                    # waiting on (write_lock); migrations and ANALYZE keep waiting as long as it takes.
                    session.execute(sa.text(f"SET LOCAL lock_timeout = {lock_timeout_ms()}"))
                yield session
                if write:
                    session.commit()
                # A read ends with close(): the transaction is released, loaded rows stay usable.
            except BaseException:
                session.rollback()
                raise

    def display_url(self) -> str:
        return sa.make_url(self.url).render_as_string(hide_password=True)

    def dispose(self) -> None:
        self.engine.dispose()
