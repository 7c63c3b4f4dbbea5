"""Working days and the counting of periods (《民法典》 Arts. 200–204).

Public holidays and make-up working days (调休) change every year, so they are data
(``resources/holidays.toml``); weekends are computed. A year without data uses weekends only,
which :meth:`HolidayCalendar.has_data_for` lets the UI tell the user.

The period rules:

- a period in days starts the day **after** the event (Art. 201): 30 days from 2026-10-15
  nominally ends 2026-11-14;
- a period in months ends on the same day number of the last month, or on that month's last day
  when it has no such day (Art. 202): one month from 2026-03-31 ends 2026-04-30;
- a period in working days counts only working days (the holiday table decides);
- when the last day is a rest day, the period ends on the next working day (Art. 203):
  2026-11-14 is a Saturday, so the period ends on Monday 2026-11-16.
"""
from __future__ import annotations

import functools
import re
import tomllib
from calendar import monthrange
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from types import MappingProxyType
from typing import Any

__all__ = [
    "DEFAULT_HOLIDAYS_PATH",
    "HolidayCalendar",
    "PeriodEnd",
    "days_after",
    "format_date_cn",
    "months_after",
    "roll_forward",
    "weekday_name",
    "working_days_after",
]

DEFAULT_HOLIDAYS_PATH = Path(__file__).resolve().parents[2] / "resources" / "holidays.toml"

_WEEKDAY_NAMES = ("星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日")
_ONE_DAY = timedelta(days=1)
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
# A skip predicate that never lets the count finish would loop forever; stop after this many
# days beyond the period itself (about a century) and report it instead.
_MAX_SKIPPED_DAYS = 36_600


def weekday_name(d: date) -> str:
    """The Chinese name of the weekday of ``d``: 星期一 … 星期日."""
    return _WEEKDAY_NAMES[d.weekday()]


def format_date_cn(d: date) -> str:
    """``d`` as ``2026年11月14日`` (no leading zeros), the style of the reason texts."""
    return f"{d.year}年{d.month}月{d.day}日"


def _check_date(d: object, what: str = "date") -> date:
    # datetime is a subclass of date but never equals one: refuse it rather than miss holidays.
    if isinstance(d, datetime) or not isinstance(d, date):
        raise TypeError(f"{what} must be a datetime.date, not {type(d).__name__}")
    return d


def _is_weekend(d: date) -> bool:
    return d.weekday() >= 5


class HolidayCalendar:
    """Which days are rest days: weekends, public holidays, less the make-up working days.

    Immutable and hashable. ``years`` are the years whose holiday data is known; the years of the
    given holidays, workdays and sources are added to them. ``sources`` optionally names, per
    year, the notice the data comes from (e.g. ``国办发明电〔2025〕7号``).
    """

    __slots__ = ("_holidays", "_workdays", "_years", "_sources", "_hash")

    _holidays: Mapping[date, str]
    _workdays: frozenset[date]
    _years: frozenset[int]
    _sources: Mapping[int, str]
    _hash: int

    def __init__(
        self,
        holidays: Mapping[date, str],
        workdays: Iterable[date],
        years: Iterable[int],
        *,
        sources: Mapping[int, str] | None = None,
    ) -> None:
        hol = {_check_date(d, "holiday"): str(name) for d, name in holidays.items()}
        work = frozenset(_check_date(d, "workday") for d in workdays)
        both = sorted(set(hol) & work)
        if both:
            raise ValueError(f"{format_date_cn(both[0])}不能既是节假日又是调休上班日")
        src = {int(y): str(s) for y, s in (sources or {}).items() if s}
        all_years = frozenset(int(y) for y in years).union(
            {d.year for d in hol}, {d.year for d in work}, src
        )
        set_ = object.__setattr__
        set_(self, "_holidays", MappingProxyType(dict(sorted(hol.items()))))
        set_(self, "_workdays", work)
        set_(self, "_years", all_years)
        set_(self, "_sources", MappingProxyType(dict(sorted(src.items()))))
        set_(
            self,
            "_hash",
            hash((tuple(self._holidays.items()), work, all_years, tuple(self._sources.items()))),
        )

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"{type(self).__name__} is immutable")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"{type(self).__name__} is immutable")

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, HolidayCalendar):
            return NotImplemented
        return (
            self._holidays == other._holidays
            and self._workdays == other._workdays
            and self._years == other._years
            and self._sources == other._sources
        )

    def __hash__(self) -> int:
        return self._hash

    def __repr__(self) -> str:
        years = ", ".join(str(y) for y in sorted(self._years)) or "-"
        return (
            f"HolidayCalendar(years=[{years}], holidays={len(self._holidays)}, "
            f"workdays={len(self._workdays)})"
        )

    # -- construction -------------------------------------------------------------------------

    @classmethod
    def weekends_only(cls) -> HolidayCalendar:
        """A calendar without holiday data: Saturdays and Sundays are the only rest days."""
        return cls({}, set(), set())

    @classmethod
    def default(cls) -> HolidayCalendar:
        """The calendar shipped in ``resources/holidays.toml`` (loaded once, then cached)."""
        return _load_default()

    @classmethod
    def from_toml(cls, path: str | Path) -> HolidayCalendar:
        """Load a holidays file; ValueError (in Chinese, naming file and entry) if malformed.

        A missing or unreadable file raises the usual OSError.
        """
        path = Path(path)
        raw = path.read_bytes()
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise ValueError(f"节假日文件 {path} 不是 UTF-8 编码的文本：{exc}") from None
        return cls.from_toml_text(text, source_name=str(path))

    @classmethod
    def from_toml_text(cls, text: str, source_name: str = "holidays.toml") -> HolidayCalendar:
        """Parse the holidays file format (see ``resources/holidays.toml``)."""
        return _parse_toml(text, source_name)

    # -- queries ------------------------------------------------------------------------------

    @property
    def years(self) -> frozenset[int]:
        """The years whose holiday data is known."""
        return self._years

    @property
    def holidays(self) -> Mapping[date, str]:
        """Public holiday dates and their names (read-only, sorted by date)."""
        return self._holidays

    @property
    def workdays(self) -> frozenset[date]:
        """Make-up working days (调休上班): weekend days that are working days."""
        return self._workdays

    def source(self, year: int) -> str | None:
        """The notice the data of ``year`` comes from, if known."""
        return self._sources.get(year)

    def has_data_for(self, year: int) -> bool:
        """Whether holidays of ``year`` are known (otherwise only weekends are rest days)."""
        return year in self._years

    def holiday_name(self, d: date) -> str | None:
        """The name of the public holiday on ``d`` (e.g. 国庆节), or None."""
        return self._holidays.get(_check_date(d))

    def is_rest_day(self, d: date) -> bool:
        """A public holiday, or a Saturday/Sunday that is not a make-up working day."""
        _check_date(d)
        if d in self._holidays:
            return True
        return _is_weekend(d) and d not in self._workdays

    def is_working_day(self, d: date) -> bool:
        return not self.is_rest_day(d)

    def next_working_day(self, d: date) -> date:
        """``d`` itself when it is a working day, else the first working day after it."""
        while self.is_rest_day(d):
            d += _ONE_DAY
        return d

    # -- serialisation ------------------------------------------------------------------------

    def to_toml(self) -> str:
        """The calendar in the holidays file format; ``from_toml_text`` reads it back equal.

        Holidays are grouped by year and name, in date order.
        """
        lines = [
            "# Public holidays (放假) and make-up working days (调休上班) per year, "
            "from the State Council notices.",
        ]
        for year in sorted(self._years):
            lines.append("")
            lines.append(f"[years.{year}]")
            if (src := self._sources.get(year)) is not None:
                lines.append(f"source = {_toml_str(src)}")
            groups: dict[str, list[date]] = {}
            for d, name in self._holidays.items():
                if d.year == year:
                    groups.setdefault(name, []).append(d)
            if groups:
                lines.append("holidays = [")
                for name, days in groups.items():
                    day_list = ", ".join(_toml_str(d.isoformat()) for d in days)
                    lines.append(f"  {{ name = {_toml_str(name)}, days = [{day_list}] }},")
                lines.append("]")
            else:
                lines.append("holidays = []")
            work = sorted(d for d in self._workdays if d.year == year)
            if work:
                lines.append("workdays = [")
                for d in work:
                    lines.append(f"  {_toml_str(d.isoformat())},  # {weekday_name(d)}")
                lines.append("]")
            else:
                lines.append("workdays = []")
        return "\n".join(lines) + "\n"


_TOML_ESCAPES = {
    '"': '\\"', "\\": "\\\\", "\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r",
}


def _toml_str(s: str) -> str:
    """``s`` as a TOML basic string (control characters escaped)."""
    out = []
    for ch in s:
        if ch in _TOML_ESCAPES:
            out.append(_TOML_ESCAPES[ch])
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\u{ord(ch):04X}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


@functools.cache
def _load_default() -> HolidayCalendar:
    return HolidayCalendar.from_toml(DEFAULT_HOLIDAYS_PATH)


# -- parsing the holidays file ------------------------------------------------------------------


class _Parser:
    def __init__(self, source_name: str) -> None:
        self.source_name = source_name

    def error(self, where: str, problem: str) -> ValueError:
        return ValueError(f"节假日文件 {self.source_name} 中 {where}：{problem}")

    def table(self, value: Any, where: str, allowed: set[str]) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise self.error(where, "应为表（table）")
        unknown = sorted(set(value) - allowed)
        if unknown:
            raise self.error(
                f"{where}.{unknown[0]}" if where else unknown[0],
                f"未知的项，允许的项为：{'、'.join(sorted(allowed))}",
            )
        return value

    def array(self, value: Any, where: str) -> list[Any]:
        if not isinstance(value, list):
            raise self.error(where, "应为数组")
        return value

    def day(self, value: Any, where: str, year: int) -> date:
        if isinstance(value, datetime):
            raise self.error(where, f"“{value}”带有时刻，应只写日期（YYYY-MM-DD）")
        if isinstance(value, date):
            d = value
        elif isinstance(value, str):
            try:
                d = date.fromisoformat(value) if _ISO_DATE.fullmatch(value) else None
            except ValueError:
                d = None
            if d is None:
                raise self.error(where, f"“{value}”不是有效日期，应为 YYYY-MM-DD 格式，如 2026-10-01")
        else:
            raise self.error(where, f"{value!r} 不是日期字符串，应为 \"YYYY-MM-DD\"")
        if d.year != year:
            raise self.error(where, f"日期 {d.isoformat()} 不属于 {year} 年")
        return d


def _parse_toml(text: str, source_name: str) -> HolidayCalendar:
    p = _Parser(source_name)
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ValueError(f"节假日文件 {source_name} 不是有效的 TOML：{exc}") from None
    p.table(doc, "", {"years"})
    years_table = doc.get("years", {})
    if not isinstance(years_table, dict):
        raise p.error("years", "应为表（table），如 [years.2026]")

    holidays: dict[date, str] = {}
    holiday_at: dict[date, str] = {}
    workdays: dict[date, str] = {}
    years: set[int] = set()
    sources: dict[int, str] = {}
    for key, body in years_table.items():
        where = f"years.{key}"
        if not (key.isascii() and key.isdigit() and len(key) == 4):
            raise p.error(where, f"“{key}”不是年份，应为四位数字，如 [years.2026]")
        year = int(key)
        years.add(year)
        body = p.table(body, where, {"source", "holidays", "workdays"})
        if "source" in body:
            if not isinstance(body["source"], str):
                raise p.error(f"{where}.source", "应为字符串（通知文号）")
            sources[year] = body["source"]
        for i, entry in enumerate(p.array(body.get("holidays", []), f"{where}.holidays")):
            ewhere = f"{where}.holidays[{i}]"
            entry = p.table(entry, ewhere, {"name", "days"})
            name = entry.get("name")
            if not isinstance(name, str) or not name.strip():
                raise p.error(f"{ewhere}.name", "缺少节日名称（name），应为非空字符串")
            if "days" not in entry:
                raise p.error(f"{ewhere}.days", "缺少放假日期（days）")
            for j, value in enumerate(p.array(entry["days"], f"{ewhere}.days")):
                dwhere = f"{ewhere}.days[{j}]"
                d = p.day(value, dwhere, year)
                if d in holidays:
                    raise p.error(dwhere, f"日期 {d.isoformat()} 已在 {holiday_at[d]} 列出")
                holidays[d] = name.strip()
                holiday_at[d] = dwhere
        for j, value in enumerate(p.array(body.get("workdays", []), f"{where}.workdays")):
            wwhere = f"{where}.workdays[{j}]"
            d = p.day(value, wwhere, year)
            if d in workdays:
                raise p.error(wwhere, f"日期 {d.isoformat()} 已在 {workdays[d]} 列出")
            if d in holidays:
                raise p.error(wwhere, f"日期 {d.isoformat()} 已在 {holiday_at[d]} 列为节假日")
            if not _is_weekend(d):
                raise p.error(
                    wwhere,
                    f"{d.isoformat()} 是{weekday_name(d)}，本来就是工作日，调休上班日应为星期六或星期日",
                )
            workdays[d] = wwhere
    return HolidayCalendar(holidays, set(workdays), years, sources=sources)


# -- periods ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PeriodEnd:
    """The end of a period: ``due`` is the last day to act.

    ``nominal`` is the last day before any rest-day move; ``reason`` explains the move in Chinese
    (None when there was none).
    """

    due: date
    nominal: date
    reason: str | None = None

    @property
    def moved(self) -> bool:
        return self.due != self.nominal


def roll_forward(d: date, cal: HolidayCalendar) -> PeriodEnd:
    """Art. 203: a period whose last day is a rest day ends on the next working day."""
    _check_date(d)
    due = cal.next_working_day(d)
    if due == d:
        return PeriodEnd(due=d, nominal=d)
    name = cal.holiday_name(d)
    why = f"{name}假日" if name else weekday_name(d)
    reason = f"期限届满日{format_date_cn(d)}为{why}，顺延至{format_date_cn(due)}"
    return PeriodEnd(due=due, nominal=d, reason=reason)


def _check_count(n: int, what: str) -> None:
    if isinstance(n, bool) or not isinstance(n, int):
        raise TypeError(f"{what} must be an int, not {type(n).__name__}")
    if n < 0:
        raise ValueError(f"期间长度不能为负数：{n}")


def _count_forward(start: date, n: int, counts: Callable[[date], bool]) -> date:
    """The day after ``start`` on which the ``n``-th counted day falls (``start`` if n == 0)."""
    d = start
    counted = 0
    steps = 0
    while counted < n:
        d += _ONE_DAY
        steps += 1
        if counts(d):
            counted += 1
        elif steps - counted > _MAX_SKIPPED_DAYS:
            raise ValueError(f"自{format_date_cn(start)}起不计入期间的日期过多，无法计算期限")
    return d


def days_after(
    start: date,
    days: int,
    cal: HolidayCalendar,
    *,
    skip: Callable[[date], bool] | None = None,
    roll: bool = True,
) -> PeriodEnd:
    """The end of a period of ``days`` days from the event on ``start`` (Arts. 201, 203).

    Counting starts the day after ``start``. Days for which ``skip`` returns True are not counted
    (the clock is paused on them); the nominal last day is always a counted day. With ``roll``
    (the default) a nominal last day that is a rest day moves to the next working day; ``skip``
    plays no part in that move. ``days == 0`` ends on ``start`` itself.
    """
    _check_date(start, "start")
    _check_count(days, "days")
    if skip is None:
        nominal = start + timedelta(days=days)
    else:
        nominal = _count_forward(start, days, lambda d: not skip(d))
    return roll_forward(nominal, cal) if roll else PeriodEnd(due=nominal, nominal=nominal)


def months_after(
    start: date, months: int, cal: HolidayCalendar, *, roll: bool = True
) -> PeriodEnd:
    """The end of a period of ``months`` months from ``start`` (Arts. 202, 203).

    The same day number in the last month, or that month's last day when it has no such day;
    then, with ``roll``, the move off a rest day.
    """
    _check_date(start, "start")
    _check_count(months, "months")
    year, month0 = divmod(start.month - 1 + months, 12)
    year += start.year
    month = month0 + 1
    nominal = date(year, month, min(start.day, monthrange(year, month)[1]))
    return roll_forward(nominal, cal) if roll else PeriodEnd(due=nominal, nominal=nominal)


def working_days_after(
    start: date,
    n: int,
    cal: HolidayCalendar,
    *,
    skip: Callable[[date], bool] | None = None,
) -> PeriodEnd:
    """The ``n``-th working day after ``start`` (``start`` itself is not counted).

    Days for which ``skip`` returns True are not counted either. The result is a working day
    for n >= 1, so it never moves (``nominal == due``); ``n == 0`` ends on ``start`` itself.
    """
    _check_date(start, "start")
    _check_count(n, "n")
    if skip is None:
        counts = cal.is_working_day
    else:
        def counts(d: date) -> bool:
            return cal.is_working_day(d) and not skip(d)
    due = _count_forward(start, n, counts)
    return PeriodEnd(due=due, nominal=due)
