"""Reminders: what is due, for the page, the CLI and the scheduler; complete, snooze, dismiss.

The deadlines are the truth (``CaseDeadline`` rows, pending advisor reviews, and the village-level
deadlines of the advisors service when it is installed). A ``Reminder`` row per deadline keeps what
people decided about it: ``pending``, ``done``, ``snoozed`` until a date, or ``dismissed`` with a
reason. Lists are computed live from the open deadlines with the reminder rows laid over them, so
recording a follow-up takes its reminder off every list at once; ``sync_reminders`` then closes
the row by itself (the scheduler runs it every few minutes).

A reminder *falls due* ``warn_days`` before its deadline (the office setting, default 3): from that
day on it is listed as due and fires once as a notification.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlmodel import Session, func, select

from mediator.domain.enums import CaseStatus, DeadlineKind, DeadlineState
from mediator.domain.errors import ConflictError, NotFoundError, ValidationError
from mediator.services import audit
from mediator.services.access import case_condition
from mediator.services.cases.open_deadlines import BUCKETS, deadline_bucket
from mediator.services.changes import OpChanges
from mediator.services.context import ServiceContext
from mediator.services.permissions import Permission, requires
from mediator.services.reminders.sources import (
    AUTO_CLOSED,
    DISMISSED,
    DONE,
    PENDING,
    SNOOZED,
    ReminderState,
    Source,
    all_sources,
    case_deadline_key,
    chunks,
    other_sources,
    reminder_states,
    reminders_by_key,
    sources_for_key,
)
from mediator.services.reminders.sync_sql import CASE_KEY_PREFIX, sync_case_reminders
from mediator.store.models import (
    AdvisorReview,
    Case,
    CaseDeadline,
    CaseMediator,
    CaseParty,
    Mediator,
    Region,
    Reminder,
    TimelineEvent,
)

STATE_LABELS = {PENDING: "待办", DONE: "已完成", SNOOZED: "已推迟", DISMISSED: "不再提醒"}
KIND_ORDER = {k.value: i for i, k in enumerate(DeadlineKind)}


@dataclass(frozen=True)
class DueItem:
    """One row of the reminder lists (the page, the CLI and the notifications show the same)."""

    key: str
    kind: str  # DeadlineKind code
    due: date
    days_left: int  # negative: days overdue
    bucket: str  # overdue | today | week | later (see overview.BUCKETS)
    state: str  # pending or snoozed (a snooze that ran out)
    target: str
    case_id: int | None
    case_number: str | None
    parties: str
    village_id: int | None
    village: str
    mediators: str
    nominal: date | None
    moved_reason: str | None
    basis: str
    snoozed_until: date | None
    reminder_id: int | None
    version: int | None  # of the reminder row, for optimistic locking (None: no row yet)

    @property
    def kind_label(self) -> str:
        return DeadlineKind(self.kind).label

    @property
    def overdue(self) -> bool:
        return self.days_left < 0

    @property
    def moved(self) -> bool:
        return self.nominal is not None and self.nominal != self.due

    @property
    def moved_note(self) -> str:
        """Short: ``11月14日为星期六，顺延`` (the full text is ``moved_reason``)."""
        if not self.moved or self.nominal is None:
            return ""
        why = (self.moved_reason or "").partition("为")[2].partition("，")[0] or "休息日"
        return f"{self.nominal.month}月{self.nominal.day}日为{why}，顺延"

    @property
    def days_text(self) -> str:
        if self.days_left < 0:
            return f"逾期{-self.days_left}天"
        return "今天到期" if self.days_left == 0 else f"还有{self.days_left}天"

    def as_json(self) -> dict[str, Any]:
        return {"key": self.key, "kind": self.kind, "kind_label": self.kind_label,
                "due": self.due.isoformat(), "days_left": self.days_left, "bucket": self.bucket,
                "overdue": self.overdue, "state": self.state, "case_number": self.case_number,
                "target": self.target, "parties": self.parties, "village": self.village,
                "mediators": self.mediators,
                "nominal": self.nominal.isoformat() if self.nominal else None,
                "moved_reason": self.moved_reason}


# --- lists ------------------------------------------------------------------------------------


def _hidden(row: ReminderState | None, source: Source, on: date) -> bool:
    """Whether the person's decision keeps the reminder off the lists on ``on``."""
    if row is None or row.due != source.due:
        return False  # no decision yet, or one about an earlier date
    if row.state == SNOOZED:
        return row.snoozed_until is not None and row.snoozed_until > on
    if row.state == DONE:
        return row.dismissed_reason != AUTO_CLOSED
    return row.state == DISMISSED


def _case_batches(case_ids: list[int]) -> Iterable[list[int] | None]:
    """Batches of ids for IN lookups; None (read the whole table once) when there are very many."""
    if len(case_ids) > 10_000:
        yield None
    else:
        yield from chunks(case_ids)


def _among(stmt: Any, column: Any, ids: list[int] | None) -> Any:
    return stmt if ids is None else stmt.where(column.in_(ids))


@requires(Permission.CASE_READ)
def due_items(ctx: ServiceContext, on: date, *, until: date | None = None,
              kinds: list[str] | None = None, mediator_id: int | None = None,
              village_id: int | None = None, organization_id: int | None = None) -> list[DueItem]:
    """The open deadlines nobody has completed, snoozed past ``on`` or dismissed, soonest first.

    Args:
        on: the day the list is for (buckets and days left count from it).
        until: only deadlines due on or before this day (None: all).
        kinds: only these DeadlineKind codes.
        mediator_id: only cases this mediator handles.
        village_id: only this village's cases and village-level items.
        organization_id: only the cases of this organisation (no village-level items).
    """
    with ctx.read() as session:
        sources = all_sources(ctx, session, on, until)
        sources = [s for s in sources if (until is None or s.due <= until)
                   and (not kinds or s.kind in kinds)
                   and (village_id is None or s.village_id == village_id)]
        case_ids = sorted({s.case_id for s in sources if s.case_id is not None})
        numbers, parties, mediators, mediator_ids, orgs = {}, {}, {}, {}, {}
        wanted = set(case_ids)
        for part in _case_batches(case_ids):
            for case_id, number, org_id in session.exec(
                    _among(select(Case.id, Case.number, Case.organization_id), Case.id, part)):
                if case_id in wanted:
                    numbers[case_id], orgs[case_id] = number, org_id
            for case_id, name in session.exec(
                    _among(select(CaseParty.case_id, CaseParty.name), CaseParty.case_id, part)
                    .order_by(CaseParty.case_id, CaseParty.seq)):
                if case_id in wanted:
                    parties.setdefault(case_id, []).append(name)
            for case_id, m_id, name in session.exec(
                    _among(select(CaseMediator.case_id, Mediator.id, Mediator.name)
                           .join(Mediator, Mediator.id == CaseMediator.mediator_id),
                           CaseMediator.case_id, part).order_by(CaseMediator.seq)):
                if case_id in wanted:
                    mediators.setdefault(case_id, []).append(name)
                    mediator_ids.setdefault(case_id, set()).add(m_id)
        village_ids = sorted({s.village_id for s in sources if s.village_id is not None})
        villages = {}
        for part in chunks(village_ids):
            villages.update(session.exec(select(Region.id, Region.name).where(Region.id.in_(part))).all())
        rows = reminder_states(session, [s.key for s in sources])
    items = []
    for s in sources:
        if mediator_id is not None and mediator_id not in mediator_ids.get(s.case_id, ()):
            continue
        if organization_id is not None and orgs.get(s.case_id) != organization_id:
            continue
        row = rows.get(s.key)
        if _hidden(row, s, on):
            continue
        snoozed = row.snoozed_until if row is not None and row.state == SNOOZED else None
        items.append(DueItem(
            s.key, s.kind, s.due, (s.due - on).days, deadline_bucket(s.due, on),
            SNOOZED if snoozed else PENDING, s.target, s.case_id, numbers.get(s.case_id),
            "、".join(parties.get(s.case_id, [])), s.village_id, villages.get(s.village_id, ""),
            "、".join(mediators.get(s.case_id, [])), s.nominal, s.moved_reason, s.basis, snoozed,
            row.id if row is not None else None, row.version if row is not None else None))
    items.sort(key=lambda i: (i.due, KIND_ORDER.get(i.kind, 99), i.case_number or "", i.key))
    return items


def warn_days(ctx: ServiceContext) -> int:
    return ctx.deadline_settings.warn_days


@requires(Permission.CASE_READ)
def due_now(ctx: ServiceContext, on: date, **filters: Any) -> list[DueItem]:
    """Reminders that have fallen due on ``on``: overdue, due that day, or within the warning days.

    The rows ``mediator-cli reminders`` prints and the page's 需提醒 count.
    """
    return due_items(ctx, on, until=on + timedelta(days=warn_days(ctx)), **filters)


@dataclass(frozen=True)
class DueCounts:
    overdue: int
    today: int
    soon: int  # due within the warning days

    @property
    def total(self) -> int:
        return self.overdue + self.today + self.soon


def count_due(items: Iterable[DueItem]) -> DueCounts:
    items = list(items)
    overdue = sum(1 for i in items if i.days_left < 0)
    today = sum(1 for i in items if i.days_left == 0)
    return DueCounts(overdue, today, len(items) - overdue - today)


# --- use cases --------------------------------------------------------------------------------


@dataclass
class SyncResult:
    created: int = 0
    updated: int = 0
    closed: int = 0
    reopened: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.closed or self.reopened)


def _reopens(row: Reminder | ReminderState, moved: bool) -> bool:
    return row.state != PENDING and (moved or row.dismissed_reason == AUTO_CLOSED) and not (
        row.state == SNOOZED and not moved)


def _needs_update(row: Reminder | ReminderState, source: Source) -> bool:
    """Whether ``_apply`` would change this row (so that unchanged rows need not be loaded)."""
    moved = row.due != source.due
    return moved or _reopens(row, moved) or row.target != source.target[:200] \
        or row.kind != source.kind


def _apply(ctx: ServiceContext, session: Session, source: Source, row: Reminder | None,
           result: SyncResult) -> Reminder:
    if row is None:
        row = Reminder(key=source.key, kind=source.kind, due=source.due, case_id=source.case_id,
                       target=source.target[:200], state=PENDING, created_at=ctx.now())
        session.add(row)
        result.created += 1
        return row
    moved = row.due != source.due
    reopen = _reopens(row, moved)
    if _needs_update(row, source):
        row.due, row.kind, row.target = source.due, source.kind, source.target[:200]
        row.case_id = source.case_id
        if reopen:
            row.state, row.snoozed_until, row.dismissed_reason, row.closed_at = PENDING, None, "", None
            result.reopened += 1
        else:
            result.updated += 1
        row.version += 1
        session.add(row)
    return row


@requires(Permission.CASE_READ)
def sync_reminders(ctx: ServiceContext, *, village: list[Source] | None = None) -> SyncResult:
    """Make the reminder rows match the open deadlines (one transaction).

    A new deadline gets a pending reminder; a moved one updates its row (and opens it again if it
    was completed or dismissed for the old date); a reminder whose deadline was met or became
    void is closed by itself. The case deadlines (nearly all rows) are compared in SQL
    (``sync_sql``); pending reviews and village-level deadlines, a few, by the rules here
    (``village``: the village-level sources when the caller read them already).
    """
    result = SyncResult()
    with ctx.transaction() as session:
        sync_case_reminders(ctx, session, ctx.now(), result)
        sources = {s.key: s for s in other_sources(ctx, session, ctx.today(), village)}
        rows = reminders_by_key(session, list(sources))
        for key, source in sources.items():
            _apply(ctx, session, source, rows.get(key), result)
        open_keys = session.exec(select(Reminder.key).where(
            Reminder.state.in_([PENDING, SNOOZED]),
            func.substr(Reminder.key, 1, len(CASE_KEY_PREFIX)) != CASE_KEY_PREFIX))
        gone = [key for key in open_keys if key not in sources]
        condition = case_condition(ctx)  # once: for some roles it is itself a query
        for row in reminders_by_key(session, gone).values():
            if _visible(session, condition, row):
                _close(ctx, row, result)
                session.add(row)
    return result


def _close(ctx: ServiceContext, row: Reminder, result: SyncResult) -> None:
    row.state, row.closed_at, row.dismissed_reason = DONE, ctx.now(), AUTO_CLOSED
    row.snoozed_until = None
    row.version += 1
    result.closed += 1


def _visible(session: Session, condition: Any, row: Reminder) -> bool:
    """A restricted context (``case_scope``) sees only some cases: it must not close the others'."""
    if condition is None or row.case_id is None:
        return condition is None
    return session.exec(select(Case.id).where(Case.id == row.case_id, condition)).first() is not None


def _decide(ctx: ServiceContext, key: str, expected_version: int | None, change, action: str,
            detail: dict[str, Any] | None = None) -> None:
    with ctx.transaction() as session:
        source = next((s for s in sources_for_key(ctx, session, key) if s.key == key), None)
        if source is None:
            raise NotFoundError("该提醒对应的事项已办结或已不存在，请刷新")
        row = reminders_by_key(session, [key]).get(key)
        if row is not None and expected_version is not None and row.version != expected_version:
            raise ConflictError("该提醒已被他人处理，请刷新后再操作")
        row = _apply(ctx, session, source, row, SyncResult())
        change(row)
        row.version += 1
        session.add(row)
        audit.record(ctx, session, action, source.target,
                     {"key": key, "kind": source.kind, "due": source.due.isoformat(), **(detail or {})})


REMINDERS = OpChanges(reminders=True)


@requires(Permission.CASE_HANDLE)
def complete_reminder(ctx: ServiceContext, key: str, *, expected_version: int | None = None) -> OpChanges:
    """完成: the person has done what the reminder asks (the deadline itself stays as computed)."""
    def change(row: Reminder) -> None:
        row.state, row.closed_at, row.snoozed_until, row.dismissed_reason = DONE, ctx.now(), None, ""

    _decide(ctx, key, expected_version, change, "reminder.complete")
    return REMINDERS


@requires(Permission.CASE_HANDLE)
def snooze_reminder(ctx: ServiceContext, key: str, until: date, *,
                    expected_version: int | None = None) -> OpChanges:
    """推迟: hide the reminder until ``until`` (it comes back, and fires again, on that day)."""
    if until <= ctx.today():
        raise ValidationError("until", "推迟到的日期应晚于今天")
    if until > ctx.today() + timedelta(days=366):
        raise ValidationError("until", "最多推迟一年")

    def change(row: Reminder) -> None:
        row.state, row.snoozed_until, row.closed_at, row.dismissed_reason = SNOOZED, until, None, ""

    _decide(ctx, key, expected_version, change, "reminder.snooze", {"until": until.isoformat()})
    return REMINDERS


@requires(Permission.CASE_HANDLE)
def dismiss_reminder(ctx: ServiceContext, key: str, reason: str, *,
                     expected_version: int | None = None) -> OpChanges:
    """不再提醒, with the reason (kept on the row)."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError("reason", "请填写不再提醒的原因")
    if len(reason) > 200:
        raise ValidationError("reason", "原因不能超过200字")

    def change(row: Reminder) -> None:
        row.state, row.dismissed_reason, row.closed_at, row.snoozed_until = DISMISSED, reason, ctx.now(), None

    _decide(ctx, key, expected_version, change, "reminder.dismiss", {"reason": reason})
    return REMINDERS


# --- cases with no next step ------------------------------------------------------------------

NO_NEXT_STEP_STATUSES = (CaseStatus.REGISTERED, CaseStatus.ACCEPTED, CaseStatus.MEDIATING,
                         CaseStatus.AGREED)


def _no_next_step_condition(ctx: ServiceContext):
    open_deadline = select(CaseDeadline.case_id).where(CaseDeadline.state == DeadlineState.OPEN.value)
    open_reminder = select(Reminder.case_id).where(Reminder.case_id.is_not(None),
                                                   Reminder.state.in_([PENDING, SNOOZED]))
    open_review = select(AdvisorReview.case_id).where(AdvisorReview.result == "pending")
    conditions = [Case.status.in_([s.value for s in NO_NEXT_STEP_STATUSES]),
                  Case.id.not_in(open_deadline), Case.id.not_in(open_reminder),
                  Case.id.not_in(open_review)]
    condition = case_condition(ctx)
    if condition is not None:
        conditions.append(condition)
    return conditions


@dataclass(frozen=True)
class StalledCase:
    """An open case with no open deadline and no pending reminder (无下一步)."""

    case_id: int
    number: str
    status_label: str
    received_on: date
    last_step_on: date | None
    idle_days: int | None
    parties: str
    village: str
    mediators: str


@requires(Permission.CASE_READ)
def count_without_next_step(ctx: ServiceContext) -> int:
    with ctx.read() as session:
        return session.exec(select(func.count()).select_from(Case)
                            .where(*_no_next_step_condition(ctx))).one()


@requires(Permission.CASE_READ)
def cases_without_next_step(ctx: ServiceContext, on: date, *, mediator_id: int | None = None,
                            village_id: int | None = None, limit: int = 1000) -> list[StalledCase]:
    """Open cases (registered, accepted, mediating, agreed) nothing reminds anyone of, oldest first."""
    with ctx.read() as session:
        stmt = select(Case).where(*_no_next_step_condition(ctx))
        if village_id is not None:
            stmt = stmt.where(Case.village_id == village_id)
        if mediator_id is not None:
            stmt = stmt.where(Case.id.in_(select(CaseMediator.case_id)
                                          .where(CaseMediator.mediator_id == mediator_id)))
        cases = list(session.exec(stmt.order_by(Case.received_on, Case.id).limit(limit)))
        ids = [c.id for c in cases]
        last, names, meds = {}, {}, {}
        for part in chunks(ids):
            last.update(session.exec(select(TimelineEvent.case_id, func.max(TimelineEvent.on))
                                     .where(TimelineEvent.case_id.in_(part))
                                     .group_by(TimelineEvent.case_id)).all())
            for case_id, name in session.exec(select(CaseParty.case_id, CaseParty.name)
                                              .where(CaseParty.case_id.in_(part))
                                              .order_by(CaseParty.case_id, CaseParty.seq)):
                names.setdefault(case_id, []).append(name)
            for case_id, name in session.exec(select(CaseMediator.case_id, Mediator.name)
                                              .join(Mediator, Mediator.id == CaseMediator.mediator_id)
                                              .where(CaseMediator.case_id.in_(part))
                                              .order_by(CaseMediator.seq)):
                meds.setdefault(case_id, []).append(name)
        villages = dict(session.exec(select(Region.id, Region.name).where(
            Region.id.in_({c.village_id for c in cases}))).all()) if cases else {}
    return [StalledCase(c.id, c.number, CaseStatus(c.status).label, c.received_on, last.get(c.id),
                        (on - last[c.id]).days if c.id in last else None,
                        "、".join(names.get(c.id, [])), villages.get(c.village_id, ""),
                        "、".join(meds.get(c.id, []))) for c in cases]


__all__ = ["AUTO_CLOSED", "BUCKETS", "DISMISSED", "DONE", "NO_NEXT_STEP_STATUSES", "PENDING",
           "SNOOZED", "STATE_LABELS", "DueCounts", "DueItem", "StalledCase", "SyncResult",
           "case_deadline_key", "cases_without_next_step", "complete_reminder", "count_due",
           "count_without_next_step", "dismiss_reminder", "due_items", "due_now",
           "snooze_reminder", "sync_reminders", "warn_days"]
