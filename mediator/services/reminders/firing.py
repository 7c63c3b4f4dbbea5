"""The scheduler's notifications, read from the reminder rows right after ``sync_reminders``.

``take_notice`` builds every listed reminder (a county: tens of thousands) to find the few that
fire now. After the sync a ``case:`` reminder row stands for each open case deadline with its due
day and what people decided, so here the database gives only the rows whose fire time has passed
(and the counts, and the next fire time); the full rows are built for those that newly fire.
Pending reviews and village-level deadlines are few and go through ``take_notice``'s rules.
"""
from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, select

from mediator.services.access import case_condition
from mediator.services.context import SHANGHAI, ServiceContext
from mediator.services.permissions import Permission, requires
from mediator.services.reminders.due import (
    PENDING,
    SNOOZED,
    DueCounts,
    _hidden,
    count_without_next_step,
    warn_days,
)
from mediator.services.reminders.due_soon import due_rows
from mediator.services.reminders.notices import (
    DEFAULT_DAILY_TIME,
    ReminderNotice,
    _FireTimes,
    keep_told,
    newly_due,
    told_of,
)
from mediator.services.reminders.sources import Source, case_sources, chunks, other_sources, reminder_states
from mediator.services.reminders.sync_sql import CASE_KEY_PREFIX
from mediator.store.models import Case, Reminder

R = Reminder


def _listed(ctx: ServiceContext, on: date) -> list[Any]:
    """Case reminder rows the lists show on ``on`` (after a sync: pending, or a snooze that ended)."""
    conditions = [sa.func.substr(R.key, 1, len(CASE_KEY_PREFIX)) == CASE_KEY_PREFIX,
                  sa.or_(R.state == PENDING,
                         sa.and_(R.state == SNOOZED, sa.or_(R.snoozed_until.is_(None), R.snoozed_until <= on)))]
    condition = case_condition(ctx)
    if condition is not None:
        conditions.append(R.case_id.in_(select(Case.id).where(condition)))
    return conditions


def _by_warning() -> Any:
    """Rows that fire ``warn`` days before their due day (not the end of a snooze)."""
    return sa.or_(R.state == PENDING, R.snoozed_until.is_(None))


@requires(Permission.CASE_READ)
def fire_due(ctx: ServiceContext, owner: str, now: datetime, *, daily: time = DEFAULT_DAILY_TIME,
             reason: str = "scan", village: list[Source] | None = None) -> ReminderNotice:
    """``take_notice`` for a scan that has just run ``sync_reminders``: the same notice, from the rows.

    ``village``: ``village_sources`` of the day when the caller read them already."""
    local = now.astimezone(SHANGHAI)
    today = local.date()
    warn = warn_days(ctx)
    ahead = timedelta(days=warn)
    at = _FireTimes(warn, daily)
    # A day's fire time has passed when it is before today, or today once the daily time is reached.
    cutoff = today if at(today) <= now else today - timedelta(days=1)
    listed = _listed(ctx, today)
    with ctx.transaction() as session:
        due_now = [(key, due, snoozed if state == SNOOZED and snoozed is not None else None)
                   for key, due, state, snoozed in session.exec(
                       select(R.key, R.due, R.state, R.snoozed_until).where(*listed, sa.or_(
                           sa.and_(_by_warning(), R.due <= cutoff + ahead),
                           sa.and_(R.state == SNOOZED, R.snoozed_until <= cutoff))))]
        overdue, on_day, total = session.exec(select(
            sa.func.count(sa.case((R.due < today, 1))), sa.func.count(sa.case((R.due == today, 1))),
            sa.func.count()).where(*listed, R.due <= today + ahead)).one()
        next_due = session.exec(select(sa.func.min(R.due)).where(
            *listed, _by_warning(), R.due > cutoff + ahead)).one()
        next_snooze = session.exec(select(sa.func.min(R.snoozed_until)).where(
            *listed, R.state == SNOOZED, R.snoozed_until > cutoff)).one()
        upcoming = [at(next_due - ahead)] if next_due is not None else []
        upcoming += [at(next_snooze)] if next_snooze is not None else []

        others = other_sources(ctx, session, today, village)
        states = reminder_states(session, [s.key for s in others])
        others = [s for s in others if not _hidden(states.get(s.key), s, today)]
        other_moments = []
        for source in others:
            row = states.get(source.key)
            snoozed = row.snoozed_until if row is not None and row.state == SNOOZED else None
            other_moments.append((source, at(snoozed or source.due - ahead)))
        soon = [s.due for s in others if s.due <= today + ahead]
        overdue += sum(1 for d in soon if d < today)
        on_day += sum(1 for d in soon if d == today)
        total += len(soon)
        upcoming += [moment for _, moment in other_moments if moment > now]

        row, told = told_of(session, owner)
        current: dict[str, str] = {}
        fired_cases: set[str] = set()
        for key, due, snoozed in due_now:
            day = (snoozed or due - ahead).isoformat()
            current[key] = day
            if told.get(key) != day:
                fired_cases.add(key)
        fired_others = newly_due(other_moments, now, told, current)
        # Told earlier, listed still but to fire later (a deadline moved on): keep what was told.
        later = [k for k in told if k not in current and k.startswith(CASE_KEY_PREFIX)]
        for part in chunks(later):
            for key in session.exec(select(R.key).where(*listed, R.key.in_(part))):
                current[key] = told[key]
        keep_told(session, owner, row, told, current)
        fired_sources = _case_sources_of(ctx, session, fired_cases) + fired_others
    fired = due_rows(ctx, fired_sources, today) if fired_sources else []
    return ReminderNotice(fired, DueCounts(overdue, on_day, total - overdue - on_day),
                          count_without_next_step(ctx), min(upcoming, default=None), reason)


def _case_sources_of(ctx: ServiceContext, session: Session, keys: set[str]) -> list[Source]:
    """The open case deadlines of these reminder keys, as sources (their cases' deadlines read)."""
    if not keys:
        return []
    case_ids = sorted({int(k.split(":")[1]) for k in keys})
    found: list[Source] = []
    for part in chunks(case_ids):
        found += [s for s in case_sources(ctx, session, part) if s.key in keys]
    return found


__all__ = ["fire_due"]
