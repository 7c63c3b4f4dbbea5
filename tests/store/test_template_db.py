"""A template copy is the database the migrations make: same schema, same revision, same rows."""
from __future__ import annotations

import uuid

import sqlalchemy as sa

from mediator.store.db import Database
from mediator.store.migrate import current_revision, head_revision, upgrade
from tests.conftest import postgres_url
from tests.templates import fill_postgres_schema, migrated_sqlite


def _schema(db: Database) -> dict:
    """Tables with their columns, keys, indexes and rows; SQLite: every sqlite_master entry."""
    with db.engine.connect() as conn:
        inspector = sa.inspect(conn)
        out: dict = {}
        for table in sorted(inspector.get_table_names()):
            out[table] = {
                "columns": [(c["name"], str(c["type"]), c["nullable"], str(c.get("default")))
                            for c in inspector.get_columns(table)],
                "pk": inspector.get_pk_constraint(table)["constrained_columns"],
                "fks": sorted((tuple(f["constrained_columns"]), f["referred_table"])
                              for f in inspector.get_foreign_keys(table)),
                "indexes": sorted((i["name"], tuple(i["column_names"]), bool(i["unique"]))
                                  for i in inspector.get_indexes(table)),
                "unique": sorted((u["name"], tuple(u["column_names"]))
                                 for u in inspector.get_unique_constraints(table)),
                "rows": sorted(tuple(map(str, r)) for r in conn.execute(
                    sa.text(f'SELECT * FROM "{table}"'))),
            }
        if db.is_sqlite:  # triggers and the FTS tables too; a rebuilt table may list its
            # constraints in another order (Alembic's batch mode), so its lines are compared as a set
            out["sqlite_master"] = sorted(
                (kind, name, table, sorted(line.strip().rstrip(",") for line in (sql or "").splitlines()))
                for kind, name, table, sql in conn.exec_driver_sql(
                    "SELECT type, name, tbl_name, sql FROM sqlite_master"))
        return out


def test_a_sqlite_copy_is_a_fresh_migration(tmp_path):
    fresh = Database(f"sqlite:///{tmp_path / 'fresh.db'}")
    upgrade(fresh)
    copy = migrated_sqlite(tmp_path / "copy.db")
    try:
        assert current_revision(copy) == head_revision()
        assert _schema(copy) == _schema(fresh)
    finally:
        fresh.dispose()
        copy.dispose()


def test_a_postgres_copy_is_a_fresh_migration(database):
    if database.is_sqlite:
        return  # the SQLite copy is checked above
    other = f"t_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(postgres_url())
    with admin.begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{other}"'))
    fresh = Database(postgres_url(), schema=other)
    try:
        upgrade(fresh)
        assert current_revision(database) == head_revision()
        assert _schema(database) == _schema(fresh)
        # The id sequences start afresh too.
        with database.engine.connect() as conn:
            assert conn.exec_driver_sql("SELECT nextval(pg_get_serial_sequence('case_file', 'id'))").scalar() == 1
    finally:
        fresh.dispose()
        with admin.begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA "{other}" CASCADE'))
        admin.dispose()


def test_the_template_fills_schemas_that_stand_apart(database):
    """Replaying the dump into two schemas gives two independent databases."""
    if database.is_sqlite:
        return
    admin = sa.create_engine(postgres_url())
    names = [f"t_{uuid.uuid4().hex[:12]}" for _ in range(2)]
    try:
        for name in names:
            with admin.begin() as conn:
                conn.execute(sa.text(f'CREATE SCHEMA "{name}"'))
            fill_postgres_schema(postgres_url(), name)
        with admin.begin() as conn:
            conn.execute(sa.text(f'INSERT INTO "{names[0]}".setting (key, value, version) VALUES (:k, :v, 1)'),
                         {"k": "x", "v": "1"})
            counts = [conn.execute(sa.text(f'SELECT count(*) FROM "{n}".setting')).scalar() for n in names]
        assert counts[0] == counts[1] + 1
    finally:
        with admin.begin() as conn:
            for name in names:
                conn.execute(sa.text(f'DROP SCHEMA IF EXISTS "{name}" CASCADE'))
        admin.dispose()
