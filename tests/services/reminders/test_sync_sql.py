"""The SQL sync gives the same reminder rows (and counts) as the Python sync it replaced, from the
same start: a seeded county with new, moved, snoozed, dismissed, completed and finished reminders."""
from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import select

from mediator.domain.enums import DeadlineKind, FollowUpMethod
from mediator.services.advisors.deadlines import VillageDeadline
from mediator.services.cases import lifecycle as uc
from mediator.services.cases.inputs import FollowUpInput
from mediator.services.exchange.importer import import_document
from mediator.services.reminders import due as rem
from mediator.services.reminders import sources as reminder_sources
from mediator.store.models import Advisor, AdvisorReview, Reminder
from tests.helpers import DONGGUAN, agreement_input, case_input, sample_document
from tests.services.reminders.python_sync import python_sync

D = date
COLUMNS = ("kind", "due", "case_id", "target", "state", "snoozed_until", "dismissed_reason",
           "created_at", "closed_at", "version")


@pytest.fixture
def county(ctx, monkeypatch):
    """The sample county with its cases, and one village-level deadline."""
    import_document(ctx, sample_document())
    monkeypatch.setattr(reminder_sources, "advisor_deadlines", lambda _ctx, _on: [
        VillageDeadline(DeadlineKind.ADVISOR_VISIT, D(2026, 11, 30), "东关村：本月到村服务0次", DONGGUAN,
                        "陈立新", f"advisor_visit:{DONGGUAN}:2026-11")])
    return ctx


def mediating_case(ctx) -> int:
    case_id = uc.register_case(ctx, case_input()).id
    uc.accept_case(ctx, case_id, D(2026, 10, 15))
    uc.start_mediation(ctx, case_id, D(2026, 10, 15))
    return case_id


def agreed_case(ctx) -> int:
    case_id = mediating_case(ctx)
    uc.conclude_agreement(ctx, case_id, agreement_input(D(2026, 10, 15)))
    return case_id


def snapshot(ctx) -> dict[int, dict]:
    with ctx.read() as session:
        return {r.id: {c: getattr(r, c) for c in ("key", *COLUMNS)} for r in session.exec(select(Reminder))}


def rows(ctx) -> dict[str, tuple]:
    with ctx.read() as session:
        return {r.key: tuple(getattr(r, c) for c in COLUMNS) for r in session.exec(select(Reminder))}


def restore(ctx, saved: dict[int, dict]) -> None:
    """Back to ``saved`` without inserting ids (a PostgreSQL sequence would not know them)."""
    with ctx.transaction() as session:
        for row in session.exec(select(Reminder)):
            if row.id not in saved:
                session.delete(row)
            else:
                for column, value in saved[row.id].items():
                    setattr(row, column, value)
                session.add(row)


def both_syncs(ctx) -> rem.SyncResult:
    """Run the Python sync and, from the same start, the SQL sync; both must leave the same rows."""
    start = snapshot(ctx)
    by_python = python_sync(ctx)
    expected = rows(ctx)
    restore(ctx, start)
    assert snapshot(ctx) == start
    by_sql = rem.sync_reminders(ctx)
    assert rows(ctx) == expected
    assert by_sql == by_python
    return by_sql


def test_the_sql_sync_writes_the_same_rows_as_the_python_sync(county):
    moved = mediating_case(county)
    dismissed_then_moved = mediating_case(county)
    snoozed_then_moved = mediating_case(county)
    agreed = agreed_case(county)
    followed_up = agreed_case(county)
    with county.transaction() as session:
        advisor = Advisor(name="陈立新", kind="lawyer")
        session.add(advisor)
        session.flush()
        review = AdvisorReview(case_id=moved, advisor_id=advisor.id, requested_on=D(2026, 11, 25),
                               requested_by="测试员", due=D(2026, 11, 30))
        session.add(review)
        session.flush()
        review_id = review.id

    first = both_syncs(county)  # every row is new
    assert first.created > 10 and not (first.updated or first.closed or first.reopened)
    assert not both_syncs(county).changed

    # People decide about some reminders, the deadlines change under others.
    rem.dismiss_reminder(county, f"case:{dismissed_then_moved}:handling:0", "已与当事人商定延期")
    rem.snooze_reminder(county, f"case:{snoozed_then_moved}:handling:0", D(2026, 12, 2))
    rem.complete_reminder(county, f"case:{agreed}:judicial_confirmation:0")
    rem.snooze_reminder(county, f"case:{agreed}:follow_up:0", D(2026, 12, 3))
    rem.dismiss_reminder(county, f"case:{agreed}:performance:0", "当事人已当面履行")
    rem.snooze_reminder(county, f"advisor_visit:{DONGGUAN}:2026-11", D(2026, 11, 30))
    for case_id in (moved, dismissed_then_moved, snoozed_then_moved):
        uc.extend_handling(county, case_id, D(2026, 12, 10), "当事人同意延期", True, D(2026, 11, 10))
    uc.record_follow_up(county, followed_up, FollowUpInput(D(2026, 11, 20), FollowUpMethod.PHONE))
    with county.transaction() as session:
        session.get(AdvisorReview, review_id).result = "approved"
        # A row closed by sync whose deadline is open again, and one whose target is stale.
        closed = session.exec(select(Reminder).where(Reminder.key == f"case:{agreed}:follow_up:0")).one()
        closed.state, closed.dismissed_reason, closed.snoozed_until = rem.DONE, rem.AUTO_CLOSED, None
        stale = session.exec(select(Reminder).where(Reminder.key.like(f"case:{moved}:%"),
                                                    Reminder.key != f"case:{moved}:handling:0")).first()
        if stale is not None:
            stale.target = "旧的说明"
        session.add_all([closed] + ([stale] if stale is not None else []))
    fresh = mediating_case(county)

    second = both_syncs(county)
    assert second.reopened >= 3 and second.updated >= 1 and second.closed >= 2 and second.created >= 1
    after = rows(county)
    assert after[f"case:{dismissed_then_moved}:handling:0"][4] == rem.PENDING
    assert after[f"case:{snoozed_then_moved}:handling:0"][4] == rem.PENDING
    assert after[f"case:{agreed}:judicial_confirmation:0"][4] == rem.DONE
    assert after[f"case:{agreed}:performance:0"][4] == rem.DISMISSED
    assert after[f"advisor_visit:{DONGGUAN}:2026-11"][4] == rem.SNOOZED
    assert after[f"case:{followed_up}:follow_up:0"][4] == rem.DONE
    assert after[f"review:{review_id}"][4] == rem.DONE
    assert f"case:{fresh}:handling:0" in after
    assert not both_syncs(county).changed


def test_a_restricted_user_syncs_like_the_python_sync_and_closes_only_cases_they_see(county):
    from tests.services.grid.conftest import make_grid_worker

    followed_up = agreed_case(county)
    mediating_case(county)
    rem.sync_reminders(county)
    uc.record_follow_up(county, followed_up, FollowUpInput(D(2026, 11, 20), FollowUpMethod.PHONE))
    fresh = mediating_case(county)
    worker = make_grid_worker(county)  # 网格员: sees only the cases they registered (none of these)
    county.user, county.actor = worker, worker.display_name
    assert not both_syncs(county).created  # the others' new deadlines: not theirs to write
    assert rows(county)[f"case:{followed_up}:follow_up:0"][4] == rem.PENDING  # nor to close
    county.user, county.actor = None, "测试员"
    everyone = both_syncs(county)
    assert everyone.closed == 1 and f"case:{fresh}:handling:0" in rows(county)
