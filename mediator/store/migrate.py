"""Schema upgrades through Alembic: ``init`` = upgrade to head; refuse a newer database.

A database already at the newest revision is recognised without importing Alembic (nor Mako):
the head is read from the revision files' ``revision``/``down_revision`` lines and the database's
revision by a plain SELECT of ``alembic_version``. Alembic is imported only to upgrade.
"""
from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

import sqlalchemy as sa

from mediator.domain.errors import DomainError
from mediator.store.db import Database

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).with_name("migrations")
VERSIONS = MIGRATIONS / "versions"
_REVISION = re.compile(r"^revision\s*(?::\s*str\s*)?=\s*['\"]([^'\"]+)['\"]", re.M)
_DOWN = re.compile(r"^down_revision\s*(?::[^=]+)?=\s*(None|['\"]([^'\"]+)['\"])", re.M)


def alembic_config() -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


@cache
def revision_graph() -> dict[str, str | None]:
    """Each revision id of the versions folder and the one it revises (read from the files)."""
    graph: dict[str, str | None] = {}
    for path in sorted(VERSIONS.glob("*.py")):
        text = path.read_text(encoding="utf-8")
        found, down = _REVISION.search(text), _DOWN.search(text)
        if found is not None:
            graph[found.group(1)] = down.group(2) if down is not None else None
    return graph


def head_revision() -> str:
    """The newest revision: the one no other revision revises (a test checks it against Alembic's)."""
    graph = revision_graph()
    revised = set(graph.values())
    heads = [rev for rev in graph if rev not in revised]
    if len(heads) != 1:
        raise RuntimeError(f"migrations have {len(heads)} heads: {heads}")
    return heads[0]


def current_revision(db: Database) -> str | None:
    """The database's revision (None: never migrated), by a plain SELECT of ``alembic_version``."""
    with db.engine.connect() as conn:
        if not sa.inspect(conn).has_table("alembic_version"):
            return None
        return conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()


def upgrade(db: Database) -> None:
    """Bring the schema to the newest revision (creates every table in an empty database)."""
    current = current_revision(db)
    if current == head_revision():
        return  # nothing to do: Alembic stays unimported
    if current is not None and not _known(current):
        raise DomainError(f"数据库版本（{current}）比本程序新，请升级程序后再打开")
    migrate_to(db, "head")
    if current_revision(db) != current:  # new tables or indexes: the planner needs to know them
        from mediator.store.planner import refresh_planner_statistics

        refresh_planner_statistics(db)


def migrate_to(db: Database, revision: str, *, down: bool = False) -> None:
    """Run the migrations up (or down) to ``revision`` in one transaction.

    On SQLite a changed table is rebuilt (copied, the old one dropped): with foreign keys
    enforced, dropping ``mediator`` or ``app_user`` while cases point at them fails, so they are
    off while the migrations run (the pragma only takes outside a transaction) and every
    reference is checked before the transaction commits.
    """
    from alembic import command

    cfg = alembic_config()
    with db._write_engine.connect() as conn:
        raw = conn.connection.dbapi_connection if conn.dialect.name == "sqlite" else None
        if raw is not None:
            raw.execute("PRAGMA foreign_keys=OFF")
        try:
            with conn.begin():
                cfg.attributes["connection"] = conn
                (command.downgrade if down else command.upgrade)(cfg, revision)
                if raw is not None:
                    broken = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                    if broken:
                        raise DomainError(f"数据库升级后有{len(broken)}处引用失效（如表{broken[0][0]}），已撤销升级")
        finally:
            if raw is not None:
                raw.execute("PRAGMA foreign_keys=ON")


def known_revision(revision: str) -> bool:
    """Whether this program knows the revision (a newer database is refused)."""
    return _known(revision)


def _known(revision: str) -> bool:
    return revision in revision_graph()


def is_current(db: Database) -> bool:
    return current_revision(db) == head_revision()
