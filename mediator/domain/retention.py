"""保管期限: how long an archived dossier (卷宗) is kept before a supervised destruction.

The period runs from the day the case was archived (立卷归档); a dossier is due for destruction
on the anniversary that ends it. A dossier archived on 29 February falls due on 28 February of a
year without that day. 永久 dossiers are never due.
"""
from __future__ import annotations

from datetime import date, timedelta

from mediator.domain.enums import Category, LabeledEnum


class RetentionPeriod(LabeledEnum):
    SHORT = "10y", "短期（10年）"
    LONG = "30y", "长期（30年）"
    PERMANENT = "permanent", "永久"

    @property
    def years(self) -> int | None:
        """The length of the period in years; None for 永久."""
        return {"10y": 10, "30y": 30}.get(self.value)


DEFAULT_PERIOD = RetentionPeriod.LONG
# How a dossier may be destroyed (销毁方式).
DESTRUCTION_METHODS = ("粉碎", "焚毁", "删除电子文件")
# The words of labels people typed before periods had codes (e.g. the old setting value "长期").
_WORDS = {"短期": RetentionPeriod.SHORT, "长期": RetentionPeriod.LONG, "永久": RetentionPeriod.PERMANENT}


def setting_key(category: Category | str) -> str:
    """The office setting holding the period of a dispute category."""
    return f"retention.{Category(category).value}"


def parse_period(value: object) -> RetentionPeriod:
    """The period for a code ("10y"), a label ("短期（10年）") or a bare word ("长期").

    Raises:
        ValueError: the value names no period (Chinese message listing the choices).
    """
    if isinstance(value, RetentionPeriod):
        return value
    text = str(value or "").strip()
    for period in RetentionPeriod:
        if text in (period.value, period.label):
            return period
    if text in _WORDS:
        return _WORDS[text]
    raise ValueError(f"“{text}”不是有效的保管期限，可选：{'、'.join(p.label for p in RetentionPeriod)}")


def period_or_default(value: object) -> RetentionPeriod:
    """Like ``parse_period`` but an unreadable value means the default period."""
    try:
        return parse_period(value)
    except ValueError:
        return DEFAULT_PERIOD


def add_years(day: date, years: int) -> date:
    """The same day ``years`` later (or earlier); 29 February becomes 28 February when missing."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a common year
        return day.replace(year=day.year + years, day=28)


def due_on(archived_on: date, period: RetentionPeriod) -> date | None:
    """The day the period of a dossier archived on ``archived_on`` runs out; None for 永久."""
    years = period.years
    return None if years is None else add_years(archived_on, years)


def is_due(archived_on: date, period: RetentionPeriod, on: date) -> bool:
    """Whether the dossier may be destroyed on ``on``."""
    due = due_on(archived_on, period)
    return due is not None and due <= on


def latest_archive_day(on: date, period: RetentionPeriod) -> date | None:
    """The last archive day whose period has run out by ``on`` (None for 永久).

    ``due_on(d, period) <= on`` exactly when ``d <= latest_archive_day(on, period)``: lets the
    database pick the due dossiers with one date comparison per period.
    """
    years = period.years
    if years is None:
        return None
    day = add_years(on, -years)
    # 28 February of a common year also ends the period of a dossier archived on a leap day.
    following = day + timedelta(days=1)
    if following.month == 2 and following.day == 29 and add_years(following, years) <= on:
        return following
    return day


__all__ = ["DEFAULT_PERIOD", "DESTRUCTION_METHODS", "RetentionPeriod", "add_years", "due_on", "is_due",
           "latest_archive_day", "parse_period", "period_or_default", "setting_key"]
