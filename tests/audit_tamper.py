"""Changing audit rows as an insider would, past the append-only guard of migration 0019.

SQLite: whoever holds the file drops the triggers (here inside the same transaction, and puts
them back). PostgreSQL: the table's owner switches ``mediator.audit_maintenance`` on.
"""
from __future__ import annotations

import sqlite3

import sqlalchemy as sa

_TRIGGERS = "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit_entry'"


def tamper(conn, sql: str, params: dict | tuple = ()) -> None:
    """Run ``sql`` on ``conn`` (a SQLAlchemy connection in a transaction, or a raw sqlite3 one)."""
    if isinstance(conn, sqlite3.Connection):
        triggers = conn.execute(_TRIGGERS).fetchall()
        for name, _ in triggers:
            conn.execute(f'DROP TRIGGER "{name}"')
        conn.execute(sql, params)
        for _, text in triggers:
            conn.execute(text)
        return
    if conn.dialect.name == "postgresql":
        conn.execute(sa.text("SET LOCAL mediator.audit_maintenance = 'on'"))
        conn.execute(sa.text(sql), params or {})
        return
    triggers = conn.exec_driver_sql(_TRIGGERS).fetchall()
    for name, _ in triggers:
        conn.exec_driver_sql(f'DROP TRIGGER "{name}"')
    conn.execute(sa.text(sql), params or {})
    for _, text in triggers:
        conn.exec_driver_sql(text)
