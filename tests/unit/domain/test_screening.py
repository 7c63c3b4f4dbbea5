"""The screening rules: when a round is due, the next monthly round, and the field checks."""
from __future__ import annotations

from datetime import date

from mediator.domain.screening import (
    Prevention,
    PreventionFlag,
    ScreeningKind,
    check_held,
    check_plan,
    check_prevention,
    first_due,
    flags_text,
    is_due,
    is_overdue,
    next_monthly_round,
    parse_flags,
)


def test_a_round_is_due_at_the_end_of_its_month_and_the_next_follows_monthly():
    assert first_due(date(2026, 2, 3)) == date(2026, 2, 28)
    assert next_monthly_round(date(2026, 11, 30), date(2026, 11, 20)) == (date(2026, 12, 1), date(2026, 12, 31))
    assert next_monthly_round(date(2026, 12, 31), date(2027, 1, 2)) == (date(2027, 1, 1), date(2027, 1, 31))
    # Held two months late: the next is this month's, never one already past.
    assert next_monthly_round(date(2026, 9, 30), date(2026, 11, 5)) == (date(2026, 11, 1), date(2026, 11, 30))


def test_overdue_and_due_only_while_planned():
    today = date(2026, 11, 29)
    assert is_overdue(date(2026, 11, 28), today, "planned") and not is_overdue(date(2026, 11, 28), today, "held")
    assert not is_overdue(date(2026, 11, 29), today, "planned")
    assert is_due(date(2026, 12, 2), today, "planned", 3) and not is_due(date(2026, 12, 3), today, "planned", 3)


def test_checks_name_the_field():
    paths = {e.path for e in check_plan(ScreeningKind.FESTIVAL, date(2026, 11, 2), date(2026, 11, 1), " ", True)}
    assert paths == {"due_on", "risk", "monthly"}
    assert check_plan(ScreeningKind.REGULAR, date(2026, 11, 2), None, "", True) == []
    assert {e.path for e in check_plan("weekly", None, None, "", False)} == {"kind", "planned_on"}
    errors = check_held(date(2026, 12, 1), date(2026, 11, 29), " ", "", "")
    assert {e.path: e.message for e in errors} == {"held_on": "排查日期不能晚于今天", "held_by": "排查人员不能为空",
                                                  "places_visited": "请写明走访的地点"}
    bad = check_prevention(Prevention(summary="", parties="张三", how="劝解", people=0), "findings[0]")
    assert {e.path for e in bad} == {"findings[0].summary", "findings[0].people"}


def test_flags_are_stored_as_codes_in_order():
    text = flags_text([PreventionFlag.GROUP_FIGHT, PreventionFlag.SUICIDE])
    assert text == "suicide,group_fight" and parse_flags(text) == [PreventionFlag.SUICIDE, PreventionFlag.GROUP_FIGHT]
    assert parse_flags("") == []
