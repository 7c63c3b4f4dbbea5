"""Migration 0006: the 退回修改 an earlier version stored reads as 不同意; the opinion is kept."""
from __future__ import annotations

import sqlite3
from contextlib import closing

import sqlalchemy as sa
from alembic import command

from mediator.store.db import Database
from mediator.store.migrate import alembic_config


def _upgrade(db: Database, revision: str) -> None:
    cfg = alembic_config()
    with db.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)


def test_returned_reviews_become_disapproved(tmp_path):
    db = Database(f"sqlite:///{tmp_path / 'old.db'}")
    _upgrade(db, "0005")
    with closing(sqlite3.connect(tmp_path / "old.db")) as raw, raw:  # foreign keys off: one row alone
        raw.execute(
            "INSERT INTO advisor_review (id, case_id, advisor_id, requested_on, requested_by, request_note, due,"
            " result, opinion, reviewed_on, version) VALUES (1, 1, 1, '2026-11-02', '李建国', '', '2026-11-05',"
            " 'returned', '第二条履行期限不明确。', '2026-11-03', 2)")
    _upgrade(db, "head")
    with db.engine.connect() as conn:
        row = conn.execute(sa.text("SELECT result, opinion, draft_revision, draft FROM advisor_review")).one()
    assert tuple(row) == ("disapproved", "第二条履行期限不明确。", None, None)
    db.dispose()
