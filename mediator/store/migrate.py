"""Schema upgrades through Alembic: ``init`` = upgrade to head; refuse a newer database."""
from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util import CommandError

from mediator.domain.errors import DomainError
from mediator.store.db import Database

MIGRATIONS = Path(__file__).with_name("migrations")


def alembic_config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


def head_revision() -> str:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def current_revision(db: Database) -> str | None:
    with db.engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade(db: Database) -> None:
    """Bring the schema to the newest revision (creates every table in an empty database)."""
    current = current_revision(db)
    if current is not None and not _known(current):
        raise DomainError(f"数据库版本（{current}）比本程序新，请升级程序后再打开")
    cfg = alembic_config()
    with db._write_engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
    if current_revision(db) != current:  # new tables or indexes: the planner needs to know them
        from mediator.store.planner import refresh_planner_statistics

        refresh_planner_statistics(db)


def known_revision(revision: str) -> bool:
    """Whether this program knows the revision (a newer database is refused)."""
    return _known(revision)


def _known(revision: str) -> bool:
    try:
        return ScriptDirectory.from_config(alembic_config()).get_revision(revision) is not None
    except CommandError:
        return False


def is_current(db: Database) -> bool:
    return current_revision(db) == head_revision()
