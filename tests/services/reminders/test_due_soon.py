"""需提醒 in SQL gives what the Python path gives: the counts, the soonest rows, per organisation,
after snoozes, dismissals and completions (a seeded demo county, on SQLite and PostgreSQL)."""
from __future__ import annotations

from datetime import date, timedelta

import pytest

from mediator.services.exchange.demo import load_demo
from mediator.services.reminders import due as rem
from mediator.services.reminders.due_soon import due_counts, due_soonest
from mediator.services.reminders.summary import reminder_summary
from mediator.store.models import Organization

TODAY = date(2026, 11, 29)


@pytest.fixture
def demo(ctx):
    load_demo(ctx, cases=120, seed=3)
    return ctx


def _same(ctx, on: date, organization_id: int | None = None) -> list[rem.DueItem]:
    items = rem.due_now(ctx, on, organization_id=organization_id)
    assert due_counts(ctx, on, organization_id=organization_id) == rem.count_due(items)
    assert due_soonest(ctx, on, len(items) + 10, organization_id=organization_id) == items
    assert due_soonest(ctx, on, 5, organization_id=organization_id) == items[:5]
    return items


def test_sql_counts_and_rows_equal_the_python_ones_on_a_seeded_county(demo):
    items = _same(demo, TODAY)
    assert len(items) > 10 and {i.bucket for i in items} >= {"overdue"}
    for on in (TODAY - timedelta(days=40), TODAY + timedelta(days=20)):
        _same(demo, on)
    summary = reminder_summary(demo, TODAY, limit=3)
    assert summary.counts == rem.count_due(items) and summary.items == tuple(items[:3])


def test_they_stay_equal_after_snoozes_dismissals_and_completions(demo):
    items = rem.due_now(demo, TODAY)
    cased = [i for i in items if i.case_id is not None]
    rem.snooze_reminder(demo, cased[0].key, TODAY + timedelta(days=5))
    rem.dismiss_reminder(demo, cased[1].key, "已电话确认")
    rem.complete_reminder(demo, cased[2].key)
    rem.sync_reminders(demo)  # closes nothing it should not; reminders rows now exist for all
    after = _same(demo, TODAY)
    assert len(after) == len(items) - 3
    later = _same(demo, TODAY + timedelta(days=6))  # the snooze has run out: it is back
    assert cased[0].key in {i.key for i in later}


def test_they_are_equal_for_one_organisation(demo):
    with demo.read() as session:
        org_ids = [o.id for o in session.exec(Organization.__table__.select())]
    assert len([o for o in org_ids if _same(demo, TODAY, o)]) >= 1


def _notice_by_items(ctx, now):
    """What ``take_notice`` told before it read plain rows: from every ``DueItem`` (a fresh owner)."""
    from mediator.services.reminders.notices import fire_at

    today = now.date()
    warn = rem.warn_days(ctx)
    items = rem.due_items(ctx, today)
    fired = [i for i in items if fire_at(i, warn) <= now]
    upcoming = min((fire_at(i, warn) for i in items if fire_at(i, warn) > now), default=None)
    due = [i for i in items if i.due <= today + timedelta(days=warn)]
    return fired, rem.count_due(due), upcoming


def test_notices_from_plain_rows_equal_those_from_every_item(demo):
    from mediator.services.reminders.notices import take_notice

    items = rem.due_now(demo, TODAY)
    rem.snooze_reminder(demo, items[0].key, TODAY + timedelta(days=2))
    rem.dismiss_reminder(demo, items[1].key, "已处理")
    now = demo.now()
    fired, counts, upcoming = _notice_by_items(demo, now)
    notice = take_notice(demo, "新用户", now)
    assert notice.fired == fired and notice.counts == counts and notice.next_fire == upcoming
    assert len(fired) > 10
    assert take_notice(demo, "新用户", now).fired == []  # each fires once
    later = now + timedelta(days=3)  # the snooze ran out: it fires again
    assert items[0].key in {i.key for i in take_notice(demo, "新用户", later).fired}
