"""Migration 0010 keeps the settings as county defaults and makes the first office an office."""
from __future__ import annotations

import json

import sqlalchemy as sa
from alembic import command

from mediator.store import migrate
from mediator.store.db import Database


def _json(value):
    return json.loads(value) if isinstance(value, str) else value  # SQLite hands a bare number back as one


def _to(db: Database, revision: str, down: bool = False) -> None:
    cfg = migrate.alembic_config()
    with db._write_engine.begin() as conn:
        cfg.attributes["connection"] = conn
        (command.downgrade if down else command.upgrade)(cfg, revision)


def test_settings_become_county_defaults_and_the_set_up_office_an_office(tmp_path):
    db = Database(f"sqlite:///{tmp_path / 'old.db'}")
    _to(db, "0008")
    with db._write_engine.begin() as conn:
        conn.execute(sa.text("INSERT INTO region (id, code, name, level, active, version) "
                             "VALUES (1, '419901100000', '城关镇', 'township', 1, 1)"))
        conn.execute(sa.text("INSERT INTO organization (id, name, kind, region_id, short, active, version) "
                             "VALUES (7, '城关镇人民调解委员会', 'township_committee', 1, '城关', 1, 1)"))
        conn.execute(sa.text("INSERT INTO app_user (username, display_name, password_hash, role, organization_id, "
                             "active, failed_logins, created_at, version, must_change_password) VALUES "
                             "('admin', '王所长', 'x', 'admin', 7, 1, 0, '2026-12-01 00:00:00', 1, 0)"))
        conn.execute(sa.text("INSERT INTO setting (key, value, version) VALUES "
                             "('office.organization', '\"城关镇人民调解委员会\"', 1), ('backup.keep', '4', 2)"))
    _to(db, "0010")
    with db.engine.connect() as conn:
        rows = {(k, o, _json(v), n) for k, o, v, n in
                conn.execute(sa.text("SELECT key, organization_id, value, version FROM setting"))}
        assert rows == {("office.organization", None, "城关镇人民调解委员会", 1), ("backup.keep", None, 4, 2)}
        assert conn.execute(sa.text("SELECT office_status FROM organization WHERE id = 7")).scalar() == "active"
    with db._write_engine.begin() as conn:
        conn.execute(sa.text("INSERT INTO setting (key, organization_id, value, version) "
                             "VALUES ('backup.keep', 7, '9', 1)"))
    _to(db, "0008", down=True)
    with db.engine.connect() as conn:
        assert {(k, _json(v)) for k, v in conn.execute(sa.text("SELECT key, value FROM setting"))} == {
            ("office.organization", "城关镇人民调解委员会"), ("backup.keep", 4)}
    db.dispose()
