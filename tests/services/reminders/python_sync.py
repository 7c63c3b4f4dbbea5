"""The sync as it was before ``sync_sql``: every source built in Python and compared with its row.

Kept only as the reference the SQL sync is checked against (``test_sync_sql``).
"""
from __future__ import annotations

from sqlmodel import select

from mediator.services.access import case_condition
from mediator.services.context import ServiceContext
from mediator.services.reminders.due import (
    AUTO_CLOSED,
    DONE,
    PENDING,
    SNOOZED,
    SyncResult,
    _apply,
    _needs_update,
    _visible,
)
from mediator.services.reminders.sources import all_sources, reminder_states, reminders_by_key
from mediator.store.models import Reminder


def python_sync(ctx: ServiceContext) -> SyncResult:
    result = SyncResult()
    with ctx.transaction() as session:
        sources = {s.key: s for s in all_sources(ctx, session, ctx.today())}
        states = reminder_states(session, list(sources))
        changing = [key for key, source in sources.items()
                    if key not in states or _needs_update(states[key], source)]
        rows = reminders_by_key(session, [k for k in changing if k in states])
        for key in changing:
            _apply(ctx, session, sources[key], rows.get(key), result)
        open_keys = session.exec(select(Reminder.key).where(Reminder.state.in_([PENDING, SNOOZED])))
        gone = [key for key in open_keys if key not in sources]
        condition = case_condition(ctx)
        for row in reminders_by_key(session, gone).values():
            if _visible(session, condition, row):
                row.state, row.closed_at, row.dismissed_reason = DONE, ctx.now(), AUTO_CLOSED
                row.snoozed_until = None
                row.version += 1
                session.add(row)
                result.closed += 1
    return result
