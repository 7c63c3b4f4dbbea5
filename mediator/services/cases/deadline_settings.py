"""Holidays and deadline settings: the office's copy of holidays.toml, and recomputing deadlines.

The program ships ``resources/holidays.toml``; an office that edits the holidays gets a copy in its
user data dir, which the app uses from then on. When the holidays or the deadline settings change,
every case's deadlines are computed again, in batches (one transaction each).
"""
from __future__ import annotations

import hashlib
import logging
import os
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from sqlmodel import select

from mediator import config
from mediator.domain.calendar import HolidayCalendar
from mediator.domain.errors import ValidationError, ValidationErrors
from mediator.services.cases.deadlines import refresh_case_deadlines
from mediator.services.cases.office_deadlines import with_values
from mediator.services.changes import OpChanges, OpChangesWithCount
from mediator.services.context import ServiceContext
from mediator.services.permissions import Permission, requires
from mediator.services.settings import set_setting
from mediator.store.models import Case

log = logging.getLogger("mediator.deadlines")
HOLIDAYS_FILE = "holidays.toml"
FINGERPRINT_FILE = "deadlines-computed-with.txt"


def holidays_copy_path(folder: Path | None = None) -> Path:
    """Where the office's own holidays file lives (the user data dir unless ``folder`` is given)."""
    return (folder or config.data_dir()) / HOLIDAYS_FILE


def load_calendar(folder: Path | None = None) -> HolidayCalendar:
    """The office's copy when there is one (and it reads), else the calendar shipped with the app."""
    path = holidays_copy_path(folder)
    if path.exists():
        try:
            return HolidayCalendar.from_toml(path)
        except (OSError, ValueError) as exc:
            log.warning("holidays copy %s unusable, using the shipped one: %s", path, exc)
    return HolidayCalendar.default()


def uses_copy(folder: Path | None = None) -> bool:
    return holidays_copy_path(folder).exists()


@dataclass(frozen=True)
class HolidayEntry:
    """One line of the holiday editor: a rest day (放假) with its name, or a make-up working day."""

    day: date
    workday: bool  # True: 调休上班 (a weekend day that is worked)
    name: str = ""


def calendar_entries(calendar: HolidayCalendar) -> list[HolidayEntry]:
    entries = [HolidayEntry(d, False, name) for d, name in calendar.holidays.items()]
    entries += [HolidayEntry(d, True, "") for d in calendar.workdays]
    return sorted(entries, key=lambda e: e.day)


def calendar_from_entries(entries: Iterable[HolidayEntry], years: Iterable[int],
                          sources: Mapping[int, str] | None = None) -> HolidayCalendar:
    """A calendar from the editor's lines; ValidationError (Chinese, naming the day) if they clash."""
    holidays: dict[date, str] = {}
    workdays: set[date] = set()
    for i, e in enumerate(entries):
        where = f"holidays[{i}]"
        if e.workday:
            if e.day.weekday() < 5:
                raise ValidationError(where, f"{e.day.isoformat()}本来就是工作日，调休上班日应为星期六或星期日")
            if e.day in workdays:
                raise ValidationError(where, f"{e.day.isoformat()}重复列为调休上班日")
            workdays.add(e.day)
        else:
            if not e.name.strip():
                raise ValidationError(where, f"请填写{e.day.isoformat()}的节日名称")
            if e.day in holidays:
                raise ValidationError(where, f"{e.day.isoformat()}重复列为节假日")
            holidays[e.day] = e.name.strip()
    try:
        return HolidayCalendar(holidays, workdays, years, sources=sources)
    except ValueError as exc:
        raise ValidationError("holidays", str(exc)) from None


@requires(Permission.SETTINGS_EDIT)
def save_holidays(ctx: ServiceContext, calendar: HolidayCalendar, folder: Path | None = None) -> None:
    """Write the office's holidays copy and use it in ``ctx`` from now on."""
    path = holidays_copy_path(folder)
    path.parent.mkdir(parents=True, exist_ok=True)
    text = calendar.to_toml()
    HolidayCalendar.from_toml_text(text)  # never write a file the app could not read back
    tmp = path.with_suffix(".toml.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)
    ctx.calendar = calendar


@requires(Permission.SETTINGS_EDIT)
def reset_holidays(ctx: ServiceContext, folder: Path | None = None) -> None:
    """Drop the office's copy: the shipped holidays apply again."""
    holidays_copy_path(folder).unlink(missing_ok=True)
    ctx.calendar = HolidayCalendar.default()


# --- recomputing ------------------------------------------------------------------------------


def recompute_all_deadlines(ctx: ServiceContext, *, batch_size: int = 200,
                            progress: Callable[[int, int], None] | None = None,
                            cancel: Any = None) -> int:
    """Compute every case's deadlines again with the current settings and holidays.

    Batches of ``batch_size`` cases, one transaction each, so other writers get their turn.

    Args:
        progress: called with (done, total) after each batch.
        cancel: an object with ``check()`` (raises to stop between batches), e.g. ui.ops.CancelToken.

    Returns:
        How many cases were recomputed.
    """
    with ctx.read() as session:
        ids = list(session.exec(select(Case.id).order_by(Case.id)))
    done = 0
    for start in range(0, len(ids), batch_size):
        if cancel is not None:
            cancel.check()
        with ctx.transaction() as session:
            for case in session.exec(select(Case).where(Case.id.in_(ids[start:start + batch_size]))):
                refresh_case_deadlines(ctx, session, case.id)
        done = min(start + batch_size, len(ids))
        if progress is not None:
            progress(done, len(ids))
    return done


def fingerprint(ctx: ServiceContext) -> str:
    """A digest of what the deadlines depend on besides the cases: settings and holidays."""
    settings = ctx.deadline_settings
    text = repr((settings.follow_up_days, settings.default_handling_days,
                 sorted(settings.escalation_days.items()), settings.review_working_days))
    return hashlib.sha256((text + ctx.calendar.to_toml()).encode("utf-8")).hexdigest()


def recompute_if_changed(ctx: ServiceContext, folder: Path | None = None) -> int:
    """Recompute every case's deadlines if settings or holidays changed since this machine last did.

    The last fingerprint is kept beside the holidays copy (per machine, because the holidays copy
    is too): two machines with different copies recompute once each, never in turn forever.
    A machine that never recorded one only records it (cases were computed when they changed).
    """
    path = _fingerprint_path(folder)
    current = fingerprint(ctx)
    previous = path.read_text(encoding="utf-8").strip() if path.exists() else None
    if previous == current:
        return 0
    count = recompute_all_deadlines(ctx) if previous is not None else 0
    _record_fingerprint(ctx, folder)
    return count


def _fingerprint_path(folder: Path | None) -> Path:
    return (folder or config.data_dir()) / FINGERPRINT_FILE


def _record_fingerprint(ctx: ServiceContext, folder: Path | None) -> None:
    path = _fingerprint_path(folder)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(fingerprint(ctx), encoding="utf-8")


@requires(Permission.SETTINGS_EDIT)
def change_holidays(ctx: ServiceContext, calendar: HolidayCalendar | None, folder: Path | None = None,
                    *, progress: Callable[[int, int], None] | None = None,
                    cancel: Any = None) -> OpChangesWithCount:
    """Save the office's holidays (None: back to the shipped ones) and recompute every deadline.

    Returns:
        Every case and reminder changed; ``count``: how many cases were recomputed.
    """
    if calendar is None:
        reset_holidays(ctx, folder)
    else:
        save_holidays(ctx, calendar, folder)
    count = recompute_all_deadlines(ctx, progress=progress, cancel=cancel)
    _record_fingerprint(ctx, folder)
    return OpChangesWithCount(every_case=True, reminders=True, count=count)


__all__ = ["HOLIDAYS_FILE", "HolidayEntry", "calendar_entries", "calendar_from_entries", "change_holidays",
           "fingerprint", "holidays_copy_path", "load_calendar", "recompute_all_deadlines",
           "recompute_if_changed", "reset_holidays", "save_holidays", "uses_copy"]


@dataclass(frozen=True)
class HolidayYear:
    year: int
    known: bool  # False: no holiday data, periods count weekends only
    source: str | None  # the State Council notice the data comes from


def holiday_years(ctx: ServiceContext, on: date) -> list[HolidayYear]:
    """The years with holiday data, and the current and next year whether known or not."""
    calendar = ctx.calendar
    years = set(calendar.years) | {on.year, on.year + 1}
    return [HolidayYear(y, calendar.has_data_for(y), calendar.source(y)) for y in sorted(years)]


# Settings that feed the deadline engine, and the DeadlineSettings field each one sets.
@requires(Permission.SETTINGS_EDIT)
def save_settings(ctx: ServiceContext, values: dict[str, Any]) -> OpChanges:
    """Store several office settings in one transaction; every invalid one is reported.

    The deadline settings also take effect in this context at once.
    """
    errors: list[ValidationError] = []
    with ctx.transaction():
        for key, value in values.items():
            try:
                set_setting(ctx, key, value)
            except ValidationError as e:
                errors.append(e)
        if errors:
            raise ValidationErrors(errors)
    apply_deadline_settings(ctx, values)
    return OpChanges(reminders=True)  # warnings and deadlines read these settings


def apply_deadline_settings(ctx: ServiceContext, values: dict[str, Any]) -> None:
    """Copy stored deadline settings into ``ctx.deadline_settings`` (used by the engine)."""
    ctx.deadline_settings = with_values(ctx.deadline_settings, values)
