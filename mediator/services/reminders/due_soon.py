"""需提醒 in SQL: the counts by one COUNT over the open case deadlines, the soonest rows by a LIMIT.

``due_now`` builds every reminder due within the warning days with its parties and mediators: at
county scale tens of thousands of them, to show a few and count three numbers. Here the case
deadlines are filtered, counted and cut in the database, with the same rule as ``due_items``
(a completed, dismissed or snoozed reminder for the same due date is left out); pending advisor
reviews and village-level deadlines are few and go through the Python path. Tests check both
paths give the same on a seeded database.
"""
from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, select

from mediator.domain.enums import DeadlineKind, DeadlineState
from mediator.services.access import case_condition
from mediator.services.cases.open_deadlines import deadline_bucket
from mediator.services.context import ServiceContext
from mediator.services.permissions import Permission, requires
from mediator.services.reminders.due import (
    AUTO_CLOSED,
    DISMISSED,
    DONE,
    KIND_ORDER,
    PENDING,
    SNOOZED,
    DueCounts,
    DueItem,
    _hidden,
    warn_days,
)
from mediator.services.reminders.sources import (
    Source,
    chunks,
    deadline_key,
    reminder_states,
    review_sources,
    village_sources,
)
from mediator.store.models import Case, CaseDeadline, CaseMediator, CaseParty, Mediator, Region, Reminder

D = CaseDeadline


def _due_by(until: date | None) -> Any:
    return sa.true() if until is None else D.due <= until


def _open_deadlines(ctx: ServiceContext, stmt: Any, until: date | None, organization_id: int | None, *,
                    joined: bool = False) -> Any:
    """``stmt`` limited to open case deadlines due by ``until`` the user may see (``joined``: the
    statement joins ``Case`` already)."""
    stmt = stmt.where(D.state == DeadlineState.OPEN.value, _due_by(until))
    condition = case_condition(ctx)
    if not joined and (condition is not None or organization_id is not None):
        stmt = stmt.join(Case, Case.id == D.case_id)
    if condition is not None:
        stmt = stmt.where(condition)
    if organization_id is not None:
        stmt = stmt.where(Case.organization_id == organization_id)
    return stmt


def _put_off(ctx: ServiceContext, session: Session, on: date, until: date | None,
             organization_id: int | None) -> dict[str, date]:
    """Open case deadlines due by ``until`` whose reminder someone completed, snoozed or dismissed
    for that due date (``due._hidden``): key → due. Few rows: decided reminders only."""
    stmt = _open_deadlines(ctx, select(D.case_id, D.kind, D.leg, D.start, D.due, Reminder.key,
                                       Reminder.state, Reminder.snoozed_until, Reminder.dismissed_reason)
                           .select_from(D)
                           .join(Reminder, sa.and_(Reminder.case_id == D.case_id, Reminder.kind == D.kind,
                                                   Reminder.due == D.due))
                           .where(Reminder.state != PENDING), until, organization_id)
    hidden = {}
    for case_id, kind, leg, start, due, key, state, snoozed_until, reason in session.exec(stmt):
        if key != deadline_key(case_id, kind, leg, start):
            continue
        if (state == SNOOZED and snoozed_until is not None and snoozed_until > on) \
                or (state == DONE and (reason or "") != AUTO_CLOSED) or state == DISMISSED:
            hidden[key] = due
    return hidden


def _other_sources(ctx: ServiceContext, session: Session, on: date, until: date | None,
                   organization_id: int | None) -> list[Source]:
    """Pending reviews and village deadlines due by ``until`` and not put off (few: in Python)."""
    sources = review_sources(ctx, session)
    reviewed: set[int] = set()
    for part in chunks(sorted({s.case_id for s in sources if s.case_id is not None})):
        reviewed.update(session.exec(select(D.case_id).where(
            D.case_id.in_(part), D.state == DeadlineState.OPEN.value, D.kind == DeadlineKind.REVIEW.value,
            _due_by(until))))
    sources = [s for s in sources if s.case_id not in reviewed]
    if organization_id is None:
        sources += village_sources(ctx, on)
    else:
        ids = sorted({s.case_id for s in sources if s.case_id is not None})
        own: set[int] = set()
        for part in chunks(ids):
            own.update(session.exec(select(Case.id).where(Case.id.in_(part),
                                                          Case.organization_id == organization_id)))
        sources = [s for s in sources if s.case_id in own]
    sources = [s for s in sources if until is None or s.due <= until]
    states = reminder_states(session, [s.key for s in sources])
    return [s for s in sources if not _hidden(states.get(s.key), s, on)]


def _count(dues: list[date], on: date) -> tuple[int, int, int]:
    overdue = sum(1 for due in dues if due < on)
    today = sum(1 for due in dues if due == on)
    return overdue, today, len(dues) - overdue - today


@requires(Permission.CASE_READ)
def due_counts(ctx: ServiceContext, on: date, *, organization_id: int | None = None) -> DueCounts:
    """``count_due(due_now(ctx, on))`` by one COUNT in the database (plus the few other sources)."""
    return due_reading(ctx, on, 0, organization_id=organization_id)[0]


@requires(Permission.CASE_READ)
def due_reading(ctx: ServiceContext, on: date, limit: int, *,
                organization_id: int | None = None) -> tuple[DueCounts, list[DueItem]]:
    """The counts of ``due_now`` and its first ``limit`` rows, in one session: the pending reviews
    and village deadlines (the advisors' ledger is read for them) are read once for both."""
    until = on + timedelta(days=warn_days(ctx))
    with ctx.read() as session:
        hidden = _put_off(ctx, session, on, until, organization_id)
        others = _other_sources(ctx, session, on, until, organization_id)
        overdue, today, total = session.exec(_open_deadlines(ctx, select(
            sa.func.count(sa.case((D.due < on, 1))), sa.func.count(sa.case((D.due == on, 1))),
            sa.func.count()).select_from(D), until, organization_id)).one()
        put_off = _count(list(hidden.values()), on)
        extra = _count([s.due for s in others], on)
        overdue, today = overdue - put_off[0] + extra[0], today - put_off[1] + extra[1]
        counts = DueCounts(overdue, today, total - sum(put_off) + sum(extra) - overdue - today)
        if not limit:
            return counts, []
        sources = _soonest_case_sources(ctx, session, until, organization_id, limit, hidden)
        return counts, _items(session, sources + others, on, limit)


def _kind_order() -> Any:
    return sa.case(*[(D.kind == kind, order) for kind, order in KIND_ORDER.items()], else_=99)


@requires(Permission.CASE_READ)
def due_soonest(ctx: ServiceContext, on: date, limit: int, *,
                organization_id: int | None = None) -> list[DueItem]:
    """The first ``limit`` rows of ``due_now`` (soonest first), each a full ``DueItem``."""
    return due_reading(ctx, on, limit, organization_id=organization_id)[1]


def _soonest_case_sources(ctx: ServiceContext, session: Session, until: date, organization_id: int | None,
                          limit: int, hidden: dict[str, date]) -> list[Source]:
    """The first ``limit`` open case deadlines due by ``until`` not put off, in the lists' order."""
    stmt = select(D.case_id, D.kind, D.leg, D.start, D.due, D.nominal, D.moved_reason, D.basis,
                  Case.number, Case.village_id).join(Case, Case.id == D.case_id)
    stmt = _open_deadlines(ctx, stmt, until, organization_id, joined=True)
    stmt = stmt.order_by(D.due, _kind_order(), Case.number, D.case_id, D.leg).limit(limit + len(hidden))
    labels = {k.value: k.label for k in DeadlineKind}
    sources, seen = [], set()
    for case_id, kind, leg, start, due, nominal, moved_reason, basis, number, village_id in session.exec(stmt):
        key = deadline_key(case_id, kind, leg, start)
        if key in hidden or key in seen:
            continue
        seen.add(key)
        sources.append(Source(key, kind, due, f"{number} {labels[kind]}", case_id, village_id, nominal,
                              moved_reason, basis))
    return sources[:limit]


@requires(Permission.CASE_READ)
def due_moments(ctx: ServiceContext, on: date) -> list[tuple[Source, date | None]]:
    """Every reminder ``due_items(ctx, on)`` lists, as its source and the day its snooze ended
    (None: not snoozed); plain rows, no names: the notifications need only when each fires."""
    with ctx.read() as session:
        hidden = _put_off(ctx, session, on, None, None)
        stmt = select(D.case_id, D.kind, D.leg, D.start, D.due, D.nominal, D.moved_reason, D.basis,
                      Case.number, Case.village_id).join(Case, Case.id == D.case_id)
        labels = {k.value: k.label for k in DeadlineKind}
        sources, seen = [], set(hidden)
        for case_id, kind, leg, start, due, nominal, moved_reason, basis, number, village_id in \
                session.exec(_open_deadlines(ctx, stmt, None, None, joined=True)):
            key = deadline_key(case_id, kind, leg, start)
            if key not in seen:
                seen.add(key)
                sources.append(Source(key, kind, due, f"{number} {labels[kind]}", case_id, village_id,
                                      nominal, moved_reason, basis))
        sources += _other_sources(ctx, session, on, None, None)
        snoozed = dict(session.exec(select(Reminder.key, Reminder.snoozed_until)
                                    .where(Reminder.state == SNOOZED)).all())
    return [(s, snoozed.get(s.key)) for s in sources]


@requires(Permission.CASE_READ)
def due_rows(ctx: ServiceContext, sources: list[Source], on: date) -> list[DueItem]:
    """These sources as full list rows (numbers, parties, mediators, villages), soonest first."""
    with ctx.read() as session:
        return _items(session, sources, on, len(sources))


def _items(session: Session, sources: list[Source], on: date, limit: int) -> list[DueItem]:
    """The sources as list rows, with numbers, parties, mediators and villages of their cases."""
    case_ids = sorted({s.case_id for s in sources if s.case_id is not None})
    numbers: dict[int, str] = {}
    parties: dict[int, list[str]] = {}
    mediators: dict[int, list[str]] = {}
    for part in chunks(case_ids):
        numbers.update(session.exec(select(Case.id, Case.number).where(Case.id.in_(part))).all())
        for case_id, name in session.exec(select(CaseParty.case_id, CaseParty.name)
                                          .where(CaseParty.case_id.in_(part))
                                          .order_by(CaseParty.case_id, CaseParty.seq)):
            parties.setdefault(case_id, []).append(name)
        for case_id, name in session.exec(select(CaseMediator.case_id, Mediator.name)
                                          .join(Mediator, Mediator.id == CaseMediator.mediator_id)
                                          .where(CaseMediator.case_id.in_(part))
                                          .order_by(CaseMediator.seq)):
            mediators.setdefault(case_id, []).append(name)
    village_ids = sorted({s.village_id for s in sources if s.village_id is not None})
    villages: dict[int, str] = {}
    for part in chunks(village_ids):
        villages.update(session.exec(select(Region.id, Region.name).where(Region.id.in_(part))).all())
    states = reminder_states(session, [s.key for s in sources])
    items = []
    for s in sources:
        row = states.get(s.key)
        snoozed = row.snoozed_until if row is not None and row.state == SNOOZED else None
        items.append(DueItem(
            s.key, s.kind, s.due, (s.due - on).days, deadline_bucket(s.due, on),
            SNOOZED if snoozed else PENDING, s.target, s.case_id, numbers.get(s.case_id),
            "、".join(parties.get(s.case_id, [])), s.village_id, villages.get(s.village_id, ""),
            "、".join(mediators.get(s.case_id, [])), s.nominal, s.moved_reason, s.basis, snoozed,
            row.id if row is not None else None, row.version if row is not None else None))
    items.sort(key=lambda i: (i.due, KIND_ORDER.get(i.kind, 99), i.case_number or "", i.key))
    return items[:limit]


__all__ = ["due_counts", "due_moments", "due_reading", "due_rows", "due_soonest"]
