"""Statistics for the query planner, refreshed after schema upgrades and bulk loads.

Without them SQLite guesses every index equally selective and has been seen walking the status
index for a year's statistics; PostgreSQL's autovacuum would get there, but only later.
"""
from __future__ import annotations

import sqlalchemy as sa

from mediator.store.db import Database


def refresh_planner_statistics(db: Database) -> None:
    """``ANALYZE`` our tables (SQLite: then ``PRAGMA optimize``).

    On PostgreSQL each table by name: a bare ``ANALYZE`` would walk every schema of the server.
    """
    with db._write_engine.connect() as conn:
        if conn.dialect.name == "sqlite":
            conn.execute(sa.text("ANALYZE"))
            conn.execute(sa.text("PRAGMA optimize"))
        else:
            for table in sa.inspect(conn).get_table_names(schema=db.schema):
                conn.execute(sa.text(f'ANALYZE "{table}"'))
        conn.commit()
