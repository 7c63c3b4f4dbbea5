"""需提醒: the one count of reminders needing attention, for the 日程提醒 badge, the 工作台 and the
status bar alike.

A reminder needs attention from the day it falls due (``warn_days`` before its deadline) until it
is completed, snoozed or dismissed: overdue, due today, or due within the warning days. These are
the rows of ``due_now``, so a snooze, a dismissal or a completion takes it off all three at once.
They are counted in the database and only the soonest ``LIST_LIMIT`` are read as rows
(``due_soon``): a county has tens of thousands of them.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from mediator.services.context import ServiceContext
from mediator.services.permissions import Permission, requires
from mediator.services.reminders.due import DueCounts, DueItem, count_without_next_step, warn_days
from mediator.services.reminders.due_soon import due_reading

LIST_LIMIT = 200  # the 工作台 lists the soonest this many (the 日程提醒 page has them all)


def attention_text(counts: DueCounts, warn: int) -> str:
    """``需提醒 4 项：逾期 2 · 今天到期 1 · 3日内到期 1``."""
    return (f"需提醒 {counts.total} 项：逾期 {counts.overdue} · 今天到期 {counts.today} · "
            f"{warn}日内到期 {counts.soon}")


@dataclass(frozen=True)
class ReminderSummary:
    """How many reminders need attention now, how, and the open cases with no next step."""

    counts: DueCounts
    warn_days: int
    no_next_step: int
    items: tuple[DueItem, ...] = ()  # the soonest of the reminders counted (at most LIST_LIMIT)

    @property
    def attention(self) -> int:
        """The 需提醒 count the badge shows: overdue + due today + due within the warning days."""
        return self.counts.total

    @property
    def text(self) -> str:
        return attention_text(self.counts, self.warn_days)


@requires(Permission.CASE_READ)
def reminder_summary(ctx: ServiceContext, on: date, *, organization_id: int | None = None,
                     limit: int = LIST_LIMIT) -> ReminderSummary:
    """The reminders needing attention on ``on`` (only one organisation's cases when given):
    their counts, and the soonest ``limit`` of them as rows (0: counts only)."""
    counts, items = due_reading(ctx, on, limit, organization_id=organization_id)
    return ReminderSummary(counts, warn_days(ctx), count_without_next_step(ctx), tuple(items))


__all__ = ["LIST_LIMIT", "ReminderSummary", "attention_text", "reminder_summary"]
