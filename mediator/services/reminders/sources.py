"""Where reminders come from: the open deadlines of cases, pending advisor reviews, and village-level
deadlines of the advisors feature; each with a stable reminder key.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, select

from mediator.domain.enums import DeadlineKind, DeadlineState
from mediator.services.access import case_condition
from mediator.services.advisors.deadlines import advisor_deadlines
from mediator.services.context import ServiceContext
from mediator.services.screening.rows import planned_rounds
from mediator.store.models import Advisor, AdvisorReview, Case, CaseDeadline, Region, Reminder

_CHUNK = 500
PENDING, DONE, SNOOZED, DISMISSED = "pending", "done", "snoozed", "dismissed"
# Written into a row closed by sync (its deadline was met or became void): it may open again.
AUTO_CLOSED = "对应事项已办结，自动关闭"


@dataclass(frozen=True)
class Source:
    """One open deadline something must be done about."""

    key: str
    kind: str
    due: date
    target: str
    case_id: int | None = None
    village_id: int | None = None
    nominal: date | None = None
    moved_reason: str | None = None
    basis: str = ""


def case_deadline_key(d: CaseDeadline) -> str:
    return deadline_key(d.case_id, d.kind, d.leg, d.start)


_ESCALATION = DeadlineKind.ESCALATION.value  # read once: an enum member's value is a slow lookup


def deadline_key(case_id: int, kind: str, leg: int, start: date) -> str:
    # A case stays at several levels within one leg: escalation clocks differ by their start.
    base = f"case:{case_id}:{kind}:{leg}"
    return f"{base}:{start.isoformat()}" if kind == _ESCALATION else base


def chunks(values: list, size: int = _CHUNK) -> Iterable[list]:
    for i in range(0, len(values), size):
        yield values[i:i + size]


def case_sources(ctx: ServiceContext, session: Session, case_ids: list[int] | None,
                 until: date | None = None) -> list[Source]:
    """Open case deadlines (only those due by ``until`` when given)."""
    # Plain columns, not CaseDeadline objects: a county has 100,000 open deadlines and building
    # ORM objects for them cost most of a scan.
    d = CaseDeadline
    stmt = (select(d.case_id, d.kind, d.leg, d.start, d.due, d.nominal, d.moved_reason, d.basis,
                   Case.number, Case.village_id)
            .join(Case, Case.id == CaseDeadline.case_id)
            .where(CaseDeadline.state == DeadlineState.OPEN.value))
    condition = case_condition(ctx)
    if condition is not None:
        stmt = stmt.where(condition)
    if case_ids is not None:
        stmt = stmt.where(CaseDeadline.case_id.in_(case_ids))
    if until is not None:
        stmt = stmt.where(CaseDeadline.due <= until)
    out, seen = [], set()
    labels = {k.value: k.label for k in DeadlineKind}
    for case_id, kind, leg, start, due, nominal, moved_reason, basis, number, village_id in \
            session.exec(stmt):
        key = deadline_key(case_id, kind, leg, start)
        if key in seen:
            continue
        seen.add(key)
        out.append(Source(key, kind, due, f"{number} {labels[kind]}", case_id, village_id, nominal,
                          moved_reason, basis))
    return out


def review_sources(ctx: ServiceContext, session: Session, review_id: int | None = None) -> list[Source]:
    stmt = (select(AdvisorReview, Case.number, Case.village_id, Advisor.name)
            .join(Case, Case.id == AdvisorReview.case_id)
            .join(Advisor, Advisor.id == AdvisorReview.advisor_id)
            .where(AdvisorReview.result == "pending"))
    condition = case_condition(ctx)
    if condition is not None:
        stmt = stmt.where(condition)
    if review_id is not None:
        stmt = stmt.where(AdvisorReview.id == review_id)
    return [Source(f"review:{r.id}", DeadlineKind.REVIEW.value, r.due,
                   f"{number} 法律顾问审查（{name}）", r.case_id, village_id, r.due, None,
                   f"{r.requested_on.isoformat()}送审，待法律顾问审查")
            for r, number, village_id, name in session.exec(stmt)]


def screening_sources(ctx: ServiceContext) -> list[Source]:
    """The screening rounds still to be held (矛盾纠纷排查), due on their due date."""
    return [Source(f"screening:{r.id}", DeadlineKind.SCREENING.value, r.due_on,
                   f"{r.place} {r.kind_label}"[:200], None, r.village_id, r.due_on, None,
                   f"{r.planned_on.isoformat()}计划，{r.organization}负责")
            for r in planned_rounds(ctx)]


def village_sources(ctx: ServiceContext, on: date) -> list[Source]:
    """Village-level deadlines: advisor visits and appointment ends of the advisors feature, and
    the screening rounds to be held."""
    items = advisor_deadlines(ctx, on)
    codes = {i.village_code for i in items} - {None}
    village_ids: dict[str, int] = {}
    if codes:
        with ctx.read() as session:
            village_ids = dict(session.exec(select(Region.code, Region.id).where(Region.code.in_(codes))).all())
    return [Source(i.key, i.kind.value, i.due, i.target[:200], None,
                   village_ids.get(i.village_code))
            for i in items] + screening_sources(ctx)


def all_sources(ctx: ServiceContext, session: Session, on: date,
                until: date | None = None) -> list[Source]:
    """Every open deadline a reminder is kept for (case deadlines, reviews, village deadlines).

    ``until`` leaves out case deadlines due later (the others are few and filtered by the caller).
    """
    cases = case_sources(ctx, session, None, until)
    # Should the case engine ever compute review deadlines itself, keep those rather than both.
    reviewed = {s.case_id for s in cases if s.kind == DeadlineKind.REVIEW.value}
    reviews = [s for s in review_sources(ctx, session) if s.case_id not in reviewed]
    return cases + reviews + village_sources(ctx, on)


def other_sources(ctx: ServiceContext, session: Session, on: date,
                  village: list[Source] | None = None) -> list[Source]:
    """``all_sources`` without the case deadlines: pending reviews and village deadlines (few).

    ``village``: ``village_sources(ctx, on)`` when the caller read it already (a scan reads the
    advisors' ledger once for the sync and the notice)."""
    reviews = review_sources(ctx, session)
    reviewed: set[int] = set()
    for part in chunks(sorted({s.case_id for s in reviews if s.case_id is not None})):
        reviewed.update(session.exec(select(CaseDeadline.case_id).where(
            CaseDeadline.case_id.in_(part), CaseDeadline.state == DeadlineState.OPEN.value,
            CaseDeadline.kind == DeadlineKind.REVIEW.value)))
    return [s for s in reviews if s.case_id not in reviewed] + (
        village_sources(ctx, on) if village is None else village)


def sources_for_key(ctx: ServiceContext, session: Session, key: str) -> list[Source]:
    head, _, rest = key.partition(":")
    if head == "case" and rest.split(":")[0].isdigit():
        return case_sources(ctx, session, [int(rest.split(":")[0])])
    if head == "review" and rest.isdigit():
        return review_sources(ctx, session, int(rest))
    return village_sources(ctx, ctx.today())


def reminders_by_key(session: Session, keys: list[str]) -> dict[str, Reminder]:
    found = {}
    for part in chunks(keys):
        for row in session.exec(select(Reminder).where(Reminder.key.in_(part))):
            found[row.key] = row
    return found


@dataclass(frozen=True)
class ReminderState:
    """What the lists and the sync need of a reminder row, read as plain columns."""

    id: int
    key: str
    kind: str
    due: date
    case_id: int | None
    target: str
    state: str
    snoozed_until: date | None
    dismissed_reason: str
    version: int


_STATE_COLUMNS = (Reminder.id, Reminder.key, Reminder.kind, Reminder.due, Reminder.case_id,
                  Reminder.target, Reminder.state, Reminder.snoozed_until, Reminder.dismissed_reason,
                  Reminder.version)


def reminder_states(session: Session, keys: list[str]) -> dict[str, ReminderState]:
    """The rows of these keys; for many keys one pass over the table beats thousands of lookups."""
    if len(keys) > 20 * _CHUNK:
        wanted = set(keys)
        rows = (ReminderState(*r) for r in session.exec(select(*_STATE_COLUMNS)))
        return {r.key: r for r in rows if r.key in wanted}
    found = {}
    for part in chunks(keys):
        for r in session.exec(select(*_STATE_COLUMNS).where(Reminder.key.in_(part))):
            found[r[1]] = ReminderState(*r)
    return found
