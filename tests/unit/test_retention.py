"""保管期限: the periods, their due dates (29 February), and the cut-off the database uses."""
from __future__ import annotations

from datetime import date, timedelta

import pytest

from mediator.domain.enums import Category
from mediator.domain.retention import (
    DEFAULT_PERIOD,
    RetentionPeriod,
    due_on,
    is_due,
    latest_archive_day,
    parse_period,
    period_or_default,
    setting_key,
)

D = date


def test_periods_have_codes_and_chinese_labels():
    assert RetentionPeriod.choices() == [("10y", "短期（10年）"), ("30y", "长期（30年）"), ("permanent", "永久")]
    assert [p.years for p in RetentionPeriod] == [10, 30, None]
    assert DEFAULT_PERIOD is RetentionPeriod.LONG


@pytest.mark.parametrize("text, period", [
    ("10y", RetentionPeriod.SHORT), ("短期（10年）", RetentionPeriod.SHORT), ("短期", RetentionPeriod.SHORT),
    ("30y", RetentionPeriod.LONG), (" 长期 ", RetentionPeriod.LONG), ("永久", RetentionPeriod.PERMANENT),
    ("permanent", RetentionPeriod.PERMANENT),
])
def test_a_period_is_read_from_its_code_label_or_word(text, period):
    assert parse_period(text) is period


def test_an_unknown_period_is_refused_in_chinese_or_means_the_default():
    with pytest.raises(ValueError, match="不是有效的保管期限"):
        parse_period("5年")
    assert period_or_default("5年") is DEFAULT_PERIOD
    assert period_or_default(None) is DEFAULT_PERIOD


def test_every_category_has_its_setting_key():
    assert setting_key(Category.NEIGHBOR) == "retention.neighbor"
    assert setting_key("marriage_family") == "retention.marriage_family"
    with pytest.raises(ValueError):
        setting_key("nonsense")


def test_the_period_runs_from_the_archive_day():
    assert due_on(D(2016, 11, 25), RetentionPeriod.SHORT) == D(2026, 11, 25)
    assert due_on(D(2016, 11, 25), RetentionPeriod.LONG) == D(2046, 11, 25)
    assert is_due(D(2016, 11, 25), RetentionPeriod.SHORT, D(2026, 11, 25))
    assert not is_due(D(2016, 11, 25), RetentionPeriod.SHORT, D(2026, 11, 24))


def test_permanent_dossiers_are_never_due():
    assert due_on(D(1990, 1, 1), RetentionPeriod.PERMANENT) is None
    assert not is_due(D(1990, 1, 1), RetentionPeriod.PERMANENT, D(2999, 1, 1))
    assert latest_archive_day(D(2026, 1, 1), RetentionPeriod.PERMANENT) is None


def test_a_leap_day_archive_falls_due_on_28_february():
    assert due_on(D(2016, 2, 29), RetentionPeriod.SHORT) == D(2026, 2, 28)
    assert due_on(D(2016, 2, 29), RetentionPeriod.LONG) == D(2046, 2, 28)
    assert due_on(D(2020, 2, 29), RetentionPeriod.SHORT) == D(2030, 2, 28)
    assert not is_due(D(2016, 2, 29), RetentionPeriod.SHORT, D(2026, 2, 27))
    assert is_due(D(2016, 2, 29), RetentionPeriod.SHORT, D(2026, 2, 28))


@pytest.mark.parametrize("period", [RetentionPeriod.SHORT, RetentionPeriod.LONG])
@pytest.mark.parametrize("on", [D(2026, 2, 28), D(2028, 2, 29), D(2028, 2, 28), D(2027, 3, 1),
                                D(2026, 11, 29), D(2046, 2, 28)])
def test_the_database_cutoff_agrees_with_the_due_date(period, on):
    last = latest_archive_day(on, period)
    for offset in range(-40, 40):
        day = last + timedelta(days=offset)
        assert is_due(day, period, on) == (day <= last), (day, on)
