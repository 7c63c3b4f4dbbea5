"""``sync_reminders`` as set differences in SQL: the reminders that should exist against the rows.

The open case deadlines are a county's hundred thousand reminders; building each as a Python
``Source`` and comparing it with its row took seconds a scan when nothing had changed. Here the
deadlines that should have a reminder are one SELECT (key, kind, due, case, target), and

* INSERT … SELECT … WHERE NOT EXISTS adds the missing rows,
* two UPDATEs (the rows that open again, then the other changed rows) follow moved deadlines,
* one UPDATE closes the open rows whose deadline was met or became void,

with the rules of ``due._reopens`` and ``due._needs_update`` written as SQL conditions. Pending
advisor reviews and village-level deadlines are few: they go through the Python rules as before.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, select

from mediator.domain.enums import DeadlineKind, DeadlineState
from mediator.services.access import case_condition
from mediator.services.context import ServiceContext
from mediator.services.reminders.sources import AUTO_CLOSED, PENDING, SNOOZED
from mediator.store.models import Case, Reminder

D = sa.table("case_deadline", sa.column("id"), sa.column("case_id"), sa.column("kind"),
             sa.column("leg"), sa.column("start"), sa.column("due"), sa.column("state"))
CASE_KEY_PREFIX = "case:"


def deadline_key_sql(d: Any) -> Any:
    """``sources.deadline_key`` in SQL: ``case:12:handling:0`` (escalations add their start)."""
    text = sa.String()
    base = (sa.literal(CASE_KEY_PREFIX, text) + sa.cast(d.c.case_id, text) + sa.literal(":", text)
            + d.c.kind + sa.literal(":", text) + sa.cast(d.c.leg, text))
    return base + sa.case((d.c.kind == DeadlineKind.ESCALATION.value,
                           sa.literal(":", text) + sa.cast(d.c.start, text)), else_=sa.literal("", text))


def _label_sql(kind: Any) -> Any:
    return sa.case(*[(kind == k.value, sa.literal(k.label, sa.String())) for k in DeadlineKind],
                   else_=sa.literal("", sa.String()))


def case_reminder_sources(ctx: ServiceContext) -> Any:
    """The reminders the open case deadlines call for, one row per key (as ``case_sources``:
    the first deadline of a key wins), as a subquery (key, kind, due, case_id, target)."""
    d = D.alias("d")
    first = D.alias("d_first")
    text = sa.String()
    # The first open deadline of its key (a key repeats only if the engine wrote one twice).
    same_key = sa.and_(first.c.case_id == d.c.case_id, first.c.kind == d.c.kind,
                       first.c.leg == d.c.leg, first.c.state == DeadlineState.OPEN.value,
                       first.c.id < d.c.id,
                       sa.or_(d.c.kind != DeadlineKind.ESCALATION.value, first.c.start == d.c.start))
    target = sa.func.substr(sa.cast(Case.number, text) + sa.literal(" ", text) + _label_sql(d.c.kind), 1, 200)
    stmt = (sa.select(deadline_key_sql(d).label("key"), d.c.kind.label("kind"), d.c.due.label("due"),
                      d.c.case_id.label("case_id"), target.label("target"))
            .select_from(d).join(Case, Case.id == d.c.case_id)
            .where(d.c.state == DeadlineState.OPEN.value, ~sa.exists().where(same_key)))
    condition = case_condition(ctx)
    if condition is not None:
        stmt = stmt.where(condition)
    return stmt.subquery("s")


def sync_case_reminders(ctx: ServiceContext, session: Session, now: datetime, result: Any) -> None:
    """Bring the ``case:`` reminder rows in step with the open case deadlines, set-based."""
    r = Reminder.__table__
    s = case_reminder_sources(ctx)
    conn = session.connection()

    # Whether anything is to do at all (the usual scan: nothing changed), in one pass.
    moved = r.c.due != s.c.due
    reopens = sa.and_(r.c.state != PENDING, sa.or_(moved, r.c.dismissed_reason == AUTO_CLOSED),
                      sa.not_(sa.and_(r.c.state == SNOOZED, sa.not_(moved))))
    needs_update = sa.or_(moved, reopens, r.c.target != s.c.target, r.c.kind != s.c.kind)
    is_open = r.c.state.in_([PENDING, SNOOZED])
    missing, changing, open_matched = conn.execute(
        sa.select(sa.func.count(sa.case((r.c.id.is_(None), 1))),
                  sa.func.count(sa.case((sa.and_(r.c.id.is_not(None), needs_update), 1))),
                  sa.func.count(sa.case((sa.and_(r.c.id.is_not(None), is_open), 1))))
        .select_from(s.outerjoin(r, r.c.key == s.c.key))).one()
    case_row = sa.func.substr(r.c.key, 1, len(CASE_KEY_PREFIX)) == CASE_KEY_PREFIX
    open_rows = conn.execute(sa.select(sa.func.count()).select_from(r).where(is_open, case_row)).scalar()

    if missing:
        has_row = sa.exists().where(r.c.key == s.c.key)
        insert = r.insert().from_select(
            ["key", "kind", "due", "case_id", "target", "state", "dismissed_reason", "created_at",
             "version"],
            sa.select(s.c.key, s.c.kind, s.c.due, s.c.case_id, s.c.target, sa.literal(PENDING),
                      sa.literal(""), sa.literal(now, Reminder.__table__.c.created_at.type),
                      sa.literal(1)).where(~has_row))
        conn.execute(insert)
        result.created += missing  # (psycopg reports no rowcount for INSERT … SELECT here)

    if changing:
        common = {"due": s.c.due, "kind": s.c.kind, "target": s.c.target, "case_id": s.c.case_id,
                  "version": r.c.version + 1}
        reopened = conn.execute(
            r.update().where(r.c.key == s.c.key, reopens)
            .values(state=PENDING, snoozed_until=None, dismissed_reason="", closed_at=None, **common))
        result.reopened += reopened.rowcount
        # The reopened rows match their deadline now: what is left changed without reopening.
        updated = conn.execute(r.update().where(r.c.key == s.c.key, needs_update).values(**common))
        result.updated += updated.rowcount

    # Open rows whose deadline is gone (met, or void) close by themselves; a restricted context
    # sees only some cases and must not close the others'.
    # Every open row matched a deadline (keys are unique): none is gone, skip the UPDATE.
    if open_rows == open_matched:
        return
    keys = sa.select(s.c.key)
    gone = [is_open, case_row]
    if conn.dialect.name == "postgresql":
        gone.append(~sa.exists(keys.where(s.c.key == r.c.key).correlate(r)))
    else:
        gone.append(r.c.key.not_in(keys))  # SQLite: one ephemeral index over the keys
    condition = case_condition(ctx)
    if condition is not None:
        gone.append(r.c.case_id.in_(select(Case.id).where(condition)))
    closed = conn.execute(r.update().where(*gone).values(
        state="done", closed_at=sa.literal(now, r.c.closed_at.type), dismissed_reason=AUTO_CLOSED,
        snoozed_until=None, version=r.c.version + 1))
    result.closed += closed.rowcount
