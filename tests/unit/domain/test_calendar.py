"""Counting periods (《民法典》 Arts. 200–204) against the official holiday table.

Every expected date below was checked against its weekday; the comments say which.
"""
from __future__ import annotations

from calendar import monthrange
from datetime import date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mediator.domain.calendar import (
    DEFAULT_HOLIDAYS_PATH,
    HolidayCalendar,
    PeriodEnd,
    days_after,
    format_date_cn,
    months_after,
    roll_forward,
    weekday_name,
    working_days_after,
)

CAL = HolidayCalendar.default()
WEEKENDS = HolidayCalendar.weekends_only()
D = date.fromisoformat


def _range(start: date, end: date):
    """Days in (start, end]."""
    d = start + timedelta(days=1)
    while d <= end:
        yield d
        d += timedelta(days=1)


# -- the holiday table ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "rest", "name"),
    [
        ("2026-01-01", True, "元旦"),  # 星期四
        ("2026-01-03", True, "元旦"),  # 星期六, holiday anyway
        ("2026-01-04", False, None),  # 星期日, 元旦调休上班
        ("2026-02-14", False, None),  # 星期六, 春节调休上班
        ("2026-02-15", True, "春节"),  # 星期日
        ("2026-02-23", True, "春节"),  # 星期一
        ("2026-02-24", False, None),  # 星期二
        ("2026-02-28", False, None),  # 星期六, 春节调休上班
        ("2026-04-06", True, "清明节"),  # 星期一
        ("2026-05-05", True, "劳动节"),  # 星期二
        ("2026-05-09", False, None),  # 星期六, 劳动节调休上班
        ("2026-06-19", True, "端午节"),  # 星期五
        ("2026-09-20", False, None),  # 星期日, 国庆节调休上班
        ("2026-09-25", True, "中秋节"),  # 星期五
        ("2026-10-07", True, "国庆节"),  # 星期三
        ("2026-10-08", False, None),  # 星期四
        ("2026-10-10", False, None),  # 星期六, 国庆节调休上班
        ("2026-10-17", True, None),  # 星期六
        ("2026-11-15", True, None),  # 星期日
        ("2026-11-16", False, None),  # 星期一
        ("2025-01-26", False, None),  # 星期日, 春节调休上班
        ("2025-02-04", True, "春节"),  # 星期二
        ("2025-10-08", True, "国庆节、中秋节"),  # 星期三
        ("2025-10-11", False, None),  # 星期六, 调休上班
        ("2024-01-01", True, "元旦"),  # 星期一
        ("2024-02-04", False, None),  # 星期日, 春节调休上班
        ("2024-02-17", True, "春节"),  # 星期六
        ("2024-02-18", False, None),  # 星期日, 春节调休上班
        ("2024-04-07", False, None),  # 星期日, 清明节调休上班
        ("2024-05-11", False, None),  # 星期六, 劳动节调休上班
        ("2024-06-10", True, "端午节"),  # 星期一
        ("2024-09-14", False, None),  # 星期六, 中秋节调休上班
        ("2024-09-17", True, "中秋节"),  # 星期二
        ("2024-10-07", True, "国庆节"),  # 星期一
        ("2024-10-12", False, None),  # 星期六, 国庆节调休上班
        ("2027-01-01", False, None),  # 星期五, no 2027 data: weekends only
        ("2027-01-02", True, None),  # 星期六
    ],
)
def test_rest_days_follow_the_state_council_notices(day, rest, name):
    d = D(day)
    assert CAL.is_rest_day(d) is rest
    assert CAL.is_working_day(d) is (not rest)
    assert CAL.holiday_name(d) == name


def test_years_with_and_without_data():
    assert CAL.has_data_for(2024)
    assert CAL.source(2024) == "国办发明电〔2023〕7号"
    assert CAL.has_data_for(2025)
    assert CAL.has_data_for(2026)
    assert not CAL.has_data_for(2027)
    assert CAL.source(2026) == "国办发明电〔2025〕7号"
    assert CAL.source(2025) == "国办发明电〔2024〕12号"
    assert not WEEKENDS.has_data_for(2026)
    # without data 国庆 is an ordinary Thursday
    assert WEEKENDS.is_working_day(D("2026-10-01"))


def test_holiday_counts_match_the_notices():
    def count(year, name):
        return sum(1 for d, n in CAL.holidays.items() if d.year == year and n == name)

    assert [count(2026, n) for n in ("元旦", "春节", "清明节", "劳动节", "端午节", "中秋节", "国庆节")] == [
        3, 9, 3, 5, 3, 3, 7,
    ]
    assert [count(2025, n) for n in ("元旦", "春节", "清明节", "劳动节", "端午节", "国庆节、中秋节")] == [
        1, 8, 3, 5, 3, 8,
    ]
    assert sorted(d.isoformat() for d in CAL.workdays if d.year == 2026) == [
        "2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20", "2026-10-10",
    ]


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        ("2026-10-08", "2026-10-08"),  # working day: itself
        ("2026-10-01", "2026-10-08"),  # 国庆 → Thursday
        ("2026-11-14", "2026-11-16"),  # Saturday → Monday
        ("2026-01-03", "2026-01-04"),  # 元旦 (Saturday) → Sunday make-up workday
        ("2026-02-21", "2026-02-24"),  # 春节 → Tuesday
        ("2027-01-02", "2027-01-04"),  # no data: weekend → Monday
    ],
)
def test_next_working_day(day, expected):
    assert CAL.next_working_day(D(day)) == D(expected)


def test_weekday_name_and_date_format():
    assert [weekday_name(D("2026-11-16") + timedelta(days=i)) for i in range(7)] == [
        "星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日",
    ]
    assert format_date_cn(D("2026-01-04")) == "2026年1月4日"


# -- periods in days (Arts. 201, 203) --------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "days", "nominal", "due", "reason"),
    [
        # DOMAIN.md: 30 days from 2026-10-15 end on Saturday 2026-11-14 → Monday 2026-11-16
        ("2026-10-15", 30, "2026-11-14", "2026-11-16",
         "期限届满日2026年11月14日为星期六，顺延至2026年11月16日"),
        # ends on a Sunday
        ("2026-10-16", 30, "2026-11-15", "2026-11-16",
         "期限届满日2026年11月15日为星期日，顺延至2026年11月16日"),
        # ends on a Wednesday: no move
        ("2026-10-15", 20, "2026-11-04", "2026-11-04", None),
        # ends in 国庆 2026 (Oct 1–7) → Thursday 2026-10-08
        ("2026-09-22", 10, "2026-10-02", "2026-10-08",
         "期限届满日2026年10月2日为国庆节假日，顺延至2026年10月8日"),
        # ends on Saturday 2026-10-10, a make-up working day: no move
        ("2026-09-30", 10, "2026-10-10", "2026-10-10", None),
        # ends on Saturday 2026-02-14, a make-up working day: no move
        ("2026-02-04", 10, "2026-02-14", "2026-02-14", None),
        # ends in 春节 2026 (Feb 15–23) → Tuesday 2026-02-24
        ("2026-02-06", 10, "2026-02-16", "2026-02-24",
         "期限届满日2026年2月16日为春节假日，顺延至2026年2月24日"),
        # ends on 元旦 2026; Jan 2–3 are holidays, Sunday Jan 4 is a make-up working day
        ("2025-12-02", 30, "2026-01-01", "2026-01-04",
         "期限届满日2026年1月1日为元旦假日，顺延至2026年1月4日"),
        # 2025 国庆节、中秋节 (Oct 1–8) → Thursday 2025-10-09
        ("2025-09-25", 10, "2025-10-05", "2025-10-09",
         "期限届满日2025年10月5日为国庆节、中秋节假日，顺延至2025年10月9日"),
        # 2027 has no data: New Year's Day (Friday) counts as a working day
        ("2026-12-22", 10, "2027-01-01", "2027-01-01", None),
        ("2026-12-23", 10, "2027-01-02", "2027-01-04",
         "期限届满日2027年1月2日为星期六，顺延至2027年1月4日"),
    ],
)
def test_days_after(start, days, nominal, due, reason):
    end = days_after(D(start), days, CAL)
    assert end == PeriodEnd(due=D(due), nominal=D(nominal), reason=reason)
    assert end.moved is (due != nominal)


def test_days_after_without_roll_keeps_the_rest_day():
    # a date the parties fixed stays as written
    end = days_after(D("2026-09-22"), 10, CAL, roll=False)
    assert end == PeriodEnd(due=D("2026-10-02"), nominal=D("2026-10-02"), reason=None)
    assert not end.moved


def test_days_after_skip_pauses_the_clock():
    # 30 days from 2026-10-15, clock paused Oct 20–24 (5 days): nominal 11-14 + 5 = Thursday 11-19
    paused = {D("2026-10-20") + timedelta(days=i) for i in range(5)}
    end = days_after(D("2026-10-15"), 30, CAL, skip=paused.__contains__)
    assert end == PeriodEnd(due=D("2026-11-19"), nominal=D("2026-11-19"), reason=None)


def test_zero_days_ends_on_the_event_day_and_negative_is_refused():
    assert days_after(D("2026-11-16"), 0, CAL).due == D("2026-11-16")
    with pytest.raises(ValueError, match="负数"):
        days_after(D("2026-11-16"), -1, CAL)
    with pytest.raises(TypeError):
        days_after(datetime(2026, 11, 16, 9, 0), 3, CAL)


# -- periods in months (Arts. 202, 203) ------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "months", "cal", "nominal", "due"),
    [
        # DOMAIN.md: one month from 2026-03-31 ends Thursday 2026-04-30
        ("2026-03-31", 1, CAL, "2026-04-30", "2026-04-30"),
        # February has no 31st: 2026-02-28, a Saturday — but a 春节 make-up working day
        ("2026-01-31", 1, CAL, "2026-02-28", "2026-02-28"),
        # the same without holiday data: Saturday → Monday 2026-03-02
        ("2026-01-31", 1, WEEKENDS, "2026-02-28", "2026-03-02"),
        ("2026-08-31", 1, CAL, "2026-09-30", "2026-09-30"),  # Wednesday
        ("2026-09-01", 1, CAL, "2026-10-01", "2026-10-08"),  # 国庆 → Thursday
        ("2026-12-15", 1, CAL, "2027-01-15", "2027-01-15"),  # across the year, Friday
        ("2027-12-31", 2, CAL, "2028-02-29", "2028-02-29"),  # leap year, Tuesday
        ("2026-05-15", 12, CAL, "2027-05-15", "2027-05-17"),  # Saturday → Monday (no data)
    ],
)
def test_months_after(start, months, cal, nominal, due):
    end = months_after(D(start), months, cal)
    assert (end.nominal, end.due) == (D(nominal), D(due))
    assert (end.reason is None) is (nominal == due)


def test_months_after_reason_and_no_roll():
    end = months_after(D("2026-01-31"), 1, WEEKENDS)
    assert end.reason == "期限届满日2026年2月28日为星期六，顺延至2026年3月2日"
    assert months_after(D("2026-09-01"), 1, CAL, roll=False).due == D("2026-10-01")


# -- periods in working days -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "n", "due"),
    [
        ("2026-09-30", 1, "2026-10-08"),  # Wednesday → over 国庆 to Thursday
        ("2026-09-30", 3, "2026-10-10"),  # Oct 8 Thu, Oct 9 Fri, Oct 10 Sat (make-up)
        ("2026-02-13", 1, "2026-02-14"),  # Friday → Saturday make-up working day
        ("2026-02-12", 3, "2026-02-24"),  # Feb 13 Fri, Feb 14 Sat (make-up), Feb 24 Tue
        ("2026-02-14", 1, "2026-02-24"),  # over 春节 Feb 15–23
        ("2026-11-13", 3, "2026-11-18"),  # Fri → Mon, Tue, Wed
        ("2026-12-31", 3, "2027-01-05"),  # 2027 without data: Fri Jan 1, Mon 4, Tue 5
        ("2026-11-16", 0, "2026-11-16"),
    ],
)
def test_working_days_after(start, n, due):
    end = working_days_after(D(start), n, CAL)
    assert end == PeriodEnd(due=D(due), nominal=D(due), reason=None)
    assert not end.moved


def test_working_days_after_with_skip():
    # 3 working days after Friday 2026-11-13, Tuesday 11-17 not counted: Mon 16, Wed 18, Thu 19
    end = working_days_after(D("2026-11-13"), 3, CAL, skip=lambda d: d == D("2026-11-17"))
    assert end.due == D("2026-11-19")


def test_roll_forward():
    assert roll_forward(D("2026-11-16"), CAL) == PeriodEnd(D("2026-11-16"), D("2026-11-16"), None)
    end = roll_forward(D("2026-10-03"), CAL)
    assert end.due == D("2026-10-08")
    assert end.reason == "期限届满日2026年10月3日为国庆节假日，顺延至2026年10月8日"


# -- the holidays file -----------------------------------------------------------------------------


def test_default_is_the_shipped_file_and_cached():
    assert DEFAULT_HOLIDAYS_PATH.is_file()
    assert HolidayCalendar.default() is CAL
    assert HolidayCalendar.from_toml(DEFAULT_HOLIDAYS_PATH) == CAL


def test_toml_round_trips():
    text = CAL.to_toml()
    again = HolidayCalendar.from_toml_text(text)
    assert again == CAL
    assert hash(again) == hash(CAL)
    assert again.to_toml() == text
    assert HolidayCalendar.from_toml_text(WEEKENDS.to_toml()) == WEEKENDS


def test_calendar_is_immutable():
    with pytest.raises(AttributeError):
        CAL._years = frozenset()  # type: ignore[misc]
    with pytest.raises(TypeError):
        CAL.holidays[D("2026-11-16")] = "x"  # type: ignore[index]


def test_a_date_cannot_be_both_holiday_and_workday():
    with pytest.raises(ValueError, match="既是节假日又是调休上班日"):
        HolidayCalendar({D("2026-10-10"): "国庆节"}, {D("2026-10-10")}, {2026})


GOOD_YEAR = """
[years.2026]
source = "国办发明电〔2025〕7号"
holidays = [ {{ name = "元旦", days = ["2026-01-01", {day}] }} ]
workdays = [{work}]
"""


@pytest.mark.parametrize(
    ("text", "where", "detail"),
    [
        (GOOD_YEAR.format(day='"2026-02-30"', work='"2026-01-04"'),
         "years.2026.holidays[0].days[1]", "2026-02-30"),
        (GOOD_YEAR.format(day='"2026/01/02"', work='"2026-01-04"'),
         "years.2026.holidays[0].days[1]", "YYYY-MM-DD"),
        (GOOD_YEAR.format(day='"2027-01-02"', work='"2026-01-04"'),
         "years.2026.holidays[0].days[1]", "不属于 2026 年"),
        (GOOD_YEAR.format(day="20260102", work='"2026-01-04"'),
         "years.2026.holidays[0].days[1]", "不是日期"),
        (GOOD_YEAR.format(day='"2026-01-01"', work='"2026-01-04"'),
         "years.2026.holidays[0].days[1]", "已在 years.2026.holidays[0].days[0] 列出"),
        (GOOD_YEAR.format(day='"2026-01-02"', work='"2026-01-05"'),
         "years.2026.workdays[0]", "星期一"),
        (GOOD_YEAR.format(day='"2026-01-03"', work='"2026-01-03"'),
         "years.2026.workdays[0]", "列为节假日"),
        ('[years.abcd]\nholidays = []\n', "years.abcd", "四位数字"),
        ('[years.2026]\nholiday = []\n', "years.2026.holiday", "未知的项"),
        ('[years.2026]\nholidays = [ { days = ["2026-01-01"] } ]\n',
         "years.2026.holidays[0].name", "名称"),
        ('[years.2026]\nholidays = "元旦"\n', "years.2026.holidays", "数组"),
    ],
)
def test_malformed_toml_names_the_entry(text, where, detail):
    with pytest.raises(ValueError) as info:
        HolidayCalendar.from_toml_text(text, source_name="我的节假日.toml")
    message = str(info.value)
    assert "我的节假日.toml" in message
    assert where in message
    assert detail in message


def test_toml_syntax_error_names_the_file(tmp_path):
    path = tmp_path / "holidays.toml"
    path.write_text('[years.2026\nholidays = [\n', encoding="utf-8")
    with pytest.raises(ValueError, match="不是有效的 TOML") as info:
        HolidayCalendar.from_toml(path)
    assert str(path) in str(info.value)


def test_from_toml_reads_a_file(tmp_path):
    path = tmp_path / "holidays.toml"
    path.write_text(GOOD_YEAR.format(day='"2026-01-02"', work='"2026-01-04"'), encoding="utf-8")
    cal = HolidayCalendar.from_toml(path)
    assert cal.holiday_name(D("2026-01-02")) == "元旦"
    assert cal.is_working_day(D("2026-01-04"))
    assert cal.has_data_for(2026) and not cal.has_data_for(2025)


# -- properties ------------------------------------------------------------------------------------

dates = st.dates(min_value=date(2024, 1, 1), max_value=date(2028, 12, 31))
calendars = st.sampled_from([CAL, WEEKENDS])


@settings(max_examples=300, deadline=None)
@given(start=dates, days=st.integers(min_value=0, max_value=400), cal=calendars)
def test_days_after_properties(start, days, cal):
    end = days_after(start, days, cal)
    assert (end.nominal - start).days == days
    assert end.due >= end.nominal
    assert cal.is_working_day(end.due)
    # the move stops at the first working day
    assert all(cal.is_rest_day(d) for d in _range(end.nominal - timedelta(days=1), end.due)
               if d != end.due)
    assert (end.reason is None) is (not end.moved)


@settings(max_examples=200, deadline=None)
@given(
    start=dates,
    days=st.integers(min_value=1, max_value=120),
    paused=st.sets(st.dates(min_value=date(2024, 1, 1), max_value=date(2029, 12, 31)), max_size=40),
)
def test_days_after_with_skip_counts_only_unpaused_days(start, days, paused):
    end = days_after(start, days, CAL, skip=paused.__contains__, roll=False)
    assert end.nominal not in paused
    assert sum(1 for d in _range(start, end.nominal) if d not in paused) == days


@settings(max_examples=300, deadline=None)
@given(start=dates, n=st.integers(min_value=1, max_value=60), cal=calendars)
def test_working_days_after_properties(start, n, cal):
    end = working_days_after(start, n, cal)
    assert end.due == end.nominal and end.reason is None
    assert cal.is_working_day(end.due)
    assert sum(1 for d in _range(start, end.due) if cal.is_working_day(d)) == n


@settings(max_examples=300, deadline=None)
@given(start=dates, months=st.integers(min_value=0, max_value=36))
def test_months_after_properties(start, months):
    end = months_after(start, months, CAL)
    nominal = end.nominal
    assert nominal.day <= start.day
    assert (nominal.year - start.year) * 12 + nominal.month - start.month == months
    if nominal.day < start.day:
        assert nominal.day == monthrange(nominal.year, nominal.month)[1]
    assert end.due >= nominal and CAL.is_working_day(end.due)


weekend_days = st.dates(min_value=date(2024, 1, 1), max_value=date(2028, 12, 31)).filter(
    lambda d: d.weekday() >= 5
)


@settings(max_examples=100, deadline=None)
@given(
    holidays=st.dictionaries(
        dates, st.sampled_from(["元旦", "春节", "国庆节、中秋节", 'a "quoted" \\ name']), max_size=20
    ),
    workdays=st.sets(weekend_days, max_size=10),
    years=st.sets(st.integers(min_value=2024, max_value=2030), max_size=3),
    source=st.text(max_size=20),  # any text, control characters included
)
def test_any_calendar_round_trips_through_toml(holidays, workdays, years, source):
    workdays -= set(holidays)
    sources = {y: source for y in years if source}
    cal = HolidayCalendar(holidays, workdays, years, sources=sources)
    assert HolidayCalendar.from_toml_text(cal.to_toml()) == cal


def test_toml_date_literals_are_accepted_too():
    cal = HolidayCalendar.from_toml_text(GOOD_YEAR.format(day="2026-01-02", work="2026-01-04"))
    assert cal.holiday_name(D("2026-01-02")) == "元旦"


def test_a_skip_that_never_lets_the_period_end_is_reported():
    with pytest.raises(ValueError, match="不计入期间的日期过多"):
        days_after(D("2026-10-15"), 1, CAL, skip=lambda d: True)
