"""The planner's statistics are refreshed, and the year's statistics read their covering indexes."""
from __future__ import annotations

import sqlalchemy as sa

from mediator.store.migrate import upgrade
from mediator.store.planner import refresh_planner_statistics


def test_statistics_are_refreshed_on_both_databases(database):
    refresh_planner_statistics(database)  # no error on either; on PostgreSQL our tables only
    with database.engine.connect() as conn:
        if conn.dialect.name == "sqlite":
            assert conn.execute(sa.text("SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'")).scalar()


def test_an_upgrade_that_changed_nothing_leaves_the_statistics_alone(database, monkeypatch):
    called = []
    monkeypatch.setattr("mediator.store.planner.refresh_planner_statistics", lambda db: called.append(db))
    upgrade(database)  # already at head
    assert called == []


def test_the_received_figures_read_only_their_covering_index(database):
    with database.engine.connect() as conn:
        if conn.dialect.name != "sqlite":
            return  # PostgreSQL's plan depends on its own statistics; SQLite's is what we ship
        plan = " ".join(str(row[-1]) for row in conn.execute(sa.text(
            "EXPLAIN QUERY PLAN SELECT source, category, track, level, organization_id, count(*),"
            " sum(people_involved) FROM case_file WHERE received_on >= '2026-01-01'"
            " AND received_on <= '2026-12-31' AND status != 'rejected'"
            " GROUP BY source, category, track, level, organization_id")))
        assert "COVERING INDEX ix_case_stats_received" in plan


def test_a_new_database_gets_its_statistics_when_it_is_created(tmp_path, monkeypatch):
    from mediator.store.db import Database

    called = []
    monkeypatch.setattr("mediator.store.planner.refresh_planner_statistics", lambda db: called.append(db))
    db = Database(f"sqlite:///{tmp_path / 'new.db'}")
    try:
        upgrade(db)
    finally:
        db.dispose()
    assert len(called) == 1
