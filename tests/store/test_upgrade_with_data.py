"""An office's database with cases upgrades: tables rebuilt on SQLite keep every row and every
reference (mediators and accounts that cases point at were once dropped mid-upgrade and failed)."""
from __future__ import annotations

import sqlalchemy as sa

from mediator.services.context import ServiceContext
from mediator.services.exchange.importer import import_document
from mediator.store.db import Database
from mediator.store.migrate import current_revision, head_revision, migrate_to, upgrade
from tests.helpers import sample_document


def _counts(db: Database) -> dict[str, int]:
    with db.engine.connect() as conn:
        return {t: conn.execute(sa.text(f"SELECT count(*) FROM {t}")).scalar_one()
                for t in ("case_file", "case_mediator", "mediator", "app_user", "case_party", "timeline_event")}


def test_a_database_of_0008_with_cases_and_accounts_upgrades_to_the_newest(tmp_path):
    db = Database(f"sqlite:///{tmp_path / 'office.db'}")
    upgrade(db)
    ctx = ServiceContext(db, actor="测试员")
    import_document(ctx, sample_document())
    with db._write_engine.begin() as conn:  # an account that registered a case (registered_by_id)
        conn.execute(sa.text("INSERT INTO app_user (username, display_name, password_hash, role, active, "
                             "failed_logins, created_at, version, must_change_password) VALUES "
                             "('zhang', '张满仓', 'x', 'mediator', 1, 0, '2026-12-01 00:00:00', 1, 0)"))
        conn.execute(sa.text("UPDATE case_file SET registered_by_id = (SELECT id FROM app_user)"))
    before = _counts(db)
    assert before["case_mediator"] > 0
    migrate_to(db, "0008", down=True)  # the schema of a database made before the team features
    assert current_revision(db) == "0008"
    upgrade(db)
    assert current_revision(db) == head_revision()
    assert _counts(db) == before
    with db.engine.connect() as conn:
        assert conn.execute(sa.text("PRAGMA foreign_key_check")).fetchall() == []
        assert conn.execute(sa.text("PRAGMA foreign_keys")).scalar() == 1
        assert conn.execute(sa.text("SELECT count(*) FROM case_file WHERE registered_by_id IS NOT NULL")).scalar() > 0
    db.dispose()
