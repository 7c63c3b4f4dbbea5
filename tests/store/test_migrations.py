"""Migrations build exactly the schema the models describe, on SQLite and PostgreSQL."""
from __future__ import annotations

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlmodel import SQLModel

from mediator.domain.errors import DomainError
from mediator.store import migrate
from mediator.store.db import Database


def _not_search_index(name, type_, parent_names) -> bool:
    """As env.py's include_name: the search index (FTS5 tables, trigram indexes) is not a model."""
    if type_ == "table":
        return not (name or "").startswith("search_")
    if type_ == "index":
        return not (name or "").startswith("ix_search_")
    return True


def test_models_and_migrations_agree(database):
    with database.engine.connect() as conn:
        opts = {"compare_type": True, "include_name": _not_search_index}
        diff = compare_metadata(MigrationContext.configure(conn, opts=opts), SQLModel.metadata)
    assert diff == []
    assert migrate.is_current(database)


def test_sqlite_runs_with_wal_and_foreign_keys(tmp_path):
    db = Database(f"sqlite:///{tmp_path / 'p.db'}")
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 30000
    db.dispose()


def test_upgrade_is_idempotent(database):
    migrate.upgrade(database)
    assert migrate.is_current(database)


def test_a_database_newer_than_the_app_is_refused(tmp_path):
    db = Database(f"sqlite:///{tmp_path / 'n.db'}")
    migrate.upgrade(db)
    with db.engine.begin() as conn:
        conn.execute(sa.text("UPDATE alembic_version SET version_num = '9999_future'"))
    with pytest.raises(DomainError) as info:
        migrate.upgrade(db)
    assert "比本程序新" in str(info.value)
    db.dispose()


def test_a_failed_write_leaves_nothing_behind(database):
    from mediator.store.models import Region

    with pytest.raises(RuntimeError):
        with database.session(write=True) as s:
            s.add(Region(code="419901000000", name="示范县", level="county"))
            s.flush()
            raise RuntimeError("power cut")
    with database.session() as s:
        assert s.exec(sa.select(sa.func.count()).select_from(Region)).scalar() == 0
