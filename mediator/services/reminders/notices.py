"""Notifications: which reminders fell due since the user was last told, each told exactly once."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from sqlmodel import Session

from mediator.services.context import SHANGHAI, ServiceContext
from mediator.services.permissions import Permission, requires
from mediator.services.reminders.due import DueCounts, DueItem, SyncResult, count_without_next_step, warn_days
from mediator.services.reminders.due_soon import due_moments, due_rows
from mediator.services.reminders.sources import Source
from mediator.services.settings import get_setting
from mediator.store.models import Setting, setting_row

DEFAULT_DAILY_TIME = time(8, 30)


def daily_time(ctx: ServiceContext) -> time:
    """The office's daily reminder time (setting ``reminders.daily_time``, ``HH:MM``)."""
    return parse_time(str(get_setting(ctx, "reminders.daily_time") or ""))


def parse_time(text: str) -> time:
    """``08:30`` → 08:30; anything unreadable → the default 08:30."""
    try:
        hours, minutes = (int(p) for p in text.strip().split(":"))
        return time(hours, minutes)
    except ValueError:
        return DEFAULT_DAILY_TIME


def scan_minutes(ctx: ServiceContext) -> int:
    """Minutes between catch-up scans (setting ``reminders.scan_minutes``, at least 1)."""
    return max(1, int(get_setting(ctx, "reminders.scan_minutes") or 5))


def remind_on(item: DueItem, warn: int) -> date:
    """The day the reminder falls due: ``warn`` days ahead, or the day a snooze ends."""
    return item.snoozed_until or item.due - timedelta(days=warn)


def fire_at(item: DueItem, warn: int, daily: time = DEFAULT_DAILY_TIME) -> datetime:
    """The moment the reminder fires: its day at the office's daily reminder time."""
    return datetime.combine(remind_on(item, warn), daily, SHANGHAI)


@dataclass(frozen=True)
class ReminderNotice:
    """What one scan found: reminders firing for the first time, and the counts for the status bar."""

    fired: list[DueItem]
    counts: DueCounts
    no_next_step: int
    next_fire: datetime | None  # when the next reminder falls due (for a date job)
    reason: str = "scan"
    synced: SyncResult = field(default_factory=SyncResult)
    recomputed: int = 0  # cases whose deadlines were recomputed (settings or holidays changed)
    # 风险预警 raised since the user was last told (AlertRow), for the tray of a 所长.
    risk_alerts: list = field(default_factory=list)


def _told_key(owner: str) -> str:
    return f"notified:{owner}"[:64]


def told_of(session: Session, owner: str) -> tuple[Setting | None, dict[str, str]]:
    """The row and the map (reminder key → the day it fired) of what ``owner`` was told."""
    row = setting_row(session, _told_key(owner))
    return row, (dict(row.value or {}) if row is not None else {})


def newly_due(moments: list[tuple[Source, datetime]], now: datetime, told: dict[str, str],
              current: dict[str, str]) -> list[Source]:
    """The sources whose moment has come and that were not told for that day; ``current``
    gets what is told after this scan (a moment still to come keeps what was told before)."""
    fired = []
    for source, moment in moments:
        if moment <= now:
            day = moment.date().isoformat()
            current[source.key] = day
            if told.get(source.key) != day:
                fired.append(source)
        elif source.key in told:
            current[source.key] = told[source.key]
    return fired


def keep_told(session: Session, owner: str, row: Setting | None, told: dict[str, str],
              current: dict[str, str]) -> None:
    """Store what ``owner`` was told now, when it changed."""
    if current == told:
        return
    if row is None:
        session.add(Setting(key=_told_key(owner), value=current))
    else:
        row.value = current
        row.version += 1
        session.add(row)


@requires(Permission.CASE_READ)
def take_notice(ctx: ServiceContext, owner: str, now: datetime, *,
                daily: time = DEFAULT_DAILY_TIME, reason: str = "scan") -> ReminderNotice:
    """Reminders due by ``now`` that ``owner`` was not told about yet; each fires once.

    What was told is kept per owner in the database, so a reminder that fell due while the app
    was closed fires once at the next start and never again; a moved deadline or the end of a
    snooze makes it fire once more.
    """
    today = now.astimezone(SHANGHAI).date()
    warn = warn_days(ctx)
    # Plain rows: when each reminder fires; full rows (names) only for those that fire now.
    at = _FireTimes(warn, daily)
    moments = [(source, at(snoozed or source.due - at.ahead)) for source, snoozed in due_moments(ctx, today)]
    with ctx.transaction() as session:
        row, told = told_of(session, owner)
        current: dict[str, str] = {}
        fired_sources = newly_due(moments, now, told, current)
        keep_told(session, owner, row, told, current)
    fired = due_rows(ctx, fired_sources, today) if fired_sources else []
    upcoming = [moment for _, moment in moments if moment > now]
    due = [source.due for source, _ in moments if source.due <= today + timedelta(days=warn)]
    overdue = sum(1 for d in due if d < today)
    on_day = sum(1 for d in due if d == today)
    return ReminderNotice(fired, DueCounts(overdue, on_day, len(due) - overdue - on_day),
                          count_without_next_step(ctx), min(upcoming, default=None), reason)


class _FireTimes:
    """``fire_at`` by the day a reminder falls due, each day's moment made once (tens of thousands
    of reminders fall due on a few hundred days)."""

    def __init__(self, warn: int, daily: time) -> None:
        self.ahead, self.daily = timedelta(days=warn), daily
        self._seen: dict[date, datetime] = {}

    def __call__(self, day: date) -> datetime:
        moment = self._seen.get(day)
        if moment is None:
            moment = self._seen[day] = datetime.combine(day, self.daily, SHANGHAI)
        return moment


__all__ = ["DEFAULT_DAILY_TIME", "ReminderNotice", "daily_time", "fire_at", "parse_time",
           "remind_on", "scan_minutes", "take_notice"]
