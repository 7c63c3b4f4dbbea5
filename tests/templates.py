"""Migrated template databases, made once per test run and copied for each test.

SQLite: one file migrated to the newest revision, copied byte for byte. PostgreSQL: one schema
migrated, dumped once with ``pg_dump`` (schema, sequences and the seeded rows as INSERTs) and the
dump replayed into each test's own schema. Tests of the migrations themselves still migrate.
"""
from __future__ import annotations

import atexit
import re
import shutil
import subprocess
import tempfile
import uuid
from pathlib import Path

import sqlalchemy as sa

from mediator.store.db import Database, sqlite_url
from mediator.store.migrate import upgrade

_made: dict[str, object] = {}


def _workdir() -> Path:
    if "dir" not in _made:
        folder = Path(tempfile.mkdtemp(prefix="mediator-templates-"))
        atexit.register(shutil.rmtree, folder, ignore_errors=True)
        _made["dir"] = folder
    return _made["dir"]  # type: ignore[return-value]


def sqlite_template() -> Path:
    """The migrated SQLite file (made on first use)."""
    if "sqlite" not in _made:
        path = _workdir() / "template.db"
        db = Database(sqlite_url(path))
        upgrade(db)
        db.dispose()  # the last connection closes: the WAL is checkpointed into the file
        for leftover in (path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
            if leftover.exists():
                raise RuntimeError(f"template database left {leftover.name} behind")
        _made["sqlite"] = path
    return _made["sqlite"]  # type: ignore[return-value]


def migrated_sqlite(path: Path) -> Database:
    """A migrated, empty SQLite database at ``path``: a copy of the template."""
    shutil.copyfile(sqlite_template(), path)
    return Database(sqlite_url(path))


_SKIPPED = re.compile(r"^(\\restrict|\\unrestrict|SET |SELECT pg_catalog\.set_config|CREATE SCHEMA|ALTER SCHEMA|--)")


def _postgres_dump(url: str) -> tuple[str, str]:
    """(template schema name, the SQL that rebuilds it), made on first use."""
    if "pg" not in _made:
        schema = f"tmpl_{uuid.uuid4().hex[:12]}"
        admin = sa.create_engine(url)
        with admin.begin() as conn:
            conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
        try:
            db = Database(url, schema=schema)
            upgrade(db)
            db.dispose()
            link = sa.make_url(url)
            dump = subprocess.run(
                ["pg_dump", "--no-owner", "--no-privileges", "--inserts", "-n", schema,
                 "-h", link.host or "127.0.0.1", "-p", str(link.port or 5432),
                 "-U", link.username or "postgres", "-d", link.database or "postgres"],
                capture_output=True, text=True, check=True, timeout=60).stdout
        finally:
            with admin.begin() as conn:
                conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
            admin.dispose()
        sql = "\n".join(line for line in dump.splitlines() if not _SKIPPED.match(line))
        _made["pg"] = (schema, sql)
    return _made["pg"]  # type: ignore[return-value]


def fill_postgres_schema(url: str, schema: str) -> None:
    """Rebuild the migrated template in the (new, empty) ``schema``; without ``pg_dump`` on the
    machine, migrate it."""
    if shutil.which("pg_dump") is None:
        db = Database(url, schema=schema)
        upgrade(db)
        db.dispose()
        return
    template, sql = _postgres_dump(url)
    engine = sa.create_engine(url)
    try:
        with engine.begin() as conn:
            conn.exec_driver_sql(sql.replace(template, schema))
    finally:
        engine.dispose()
