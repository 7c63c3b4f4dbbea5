"""The deadline engine against the statutes of DOMAIN.md ("Deadlines the app computes").

Periods are counted as 《民法典》 Arts. 200–204 say: days from the day after the event, months to
the same day number (or the month's last day), working days by the 2026 holiday table, and a last
day that is a rest day moves to the next working day. Every expected date below was counted by
hand; each row also names the weekday, which the test checks with ``date.weekday()``.

2026 facts used (from resources/holidays.toml): 清明 04-04..06, 劳动节 05-01..05, 端午 06-19..21,
中秋 09-25..27, 国庆 10-01..07; make-up working days 02-28 (Sat), 09-20 (Sun), 10-10 (Sat).
"""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mediator.domain.calendar import HolidayCalendar
from mediator.domain.deadlines import (
    AgreementFacts,
    CaseEvent,
    Deadline,
    DeadlineSettings,
    check_extension,
    compute_deadlines,
    handling_rule,
    nearest_open,
)
from mediator.domain.enums import (
    AgreementForm,
    CaseStatus,
    DeadlineKind,
    DeadlineState,
    Level,
    PerformanceResult,
    Track,
    TrackDetail,
)
from mediator.domain.errors import ValidationError
from mediator.domain.lifecycle import Action, allowed_actions, next_status

CAL = HolidayCalendar.default()
D = date.fromisoformat
K = DeadlineKind
OPEN, MET, VOID, OVERDUE = (
    DeadlineState.OPEN, DeadlineState.MET, DeadlineState.VOID, DeadlineState.OVERDUE,
)
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
# Only a clock that is still paused looks at today; keep it fixed and far off otherwise.
LATE = D("2026-12-31")


def weekday(day: str | date) -> str:
    return WEEKDAYS[(D(day) if isinstance(day, str) else day).weekday()]


def ev(day: str, action: str, **data) -> CaseEvent:
    return CaseEvent(D(day), action, data)


def register(day: str, track: str, detail: str | None = None, procedure: str | None = None,
             level: str = "village") -> CaseEvent:
    return ev(day, "register", track=track, track_detail=detail, procedure=procedure, level=level)


def compute(events, agreement=None, *, today=LATE, settings=None) -> list[Deadline]:
    return compute_deadlines(events, agreement, CAL, settings, today)


def of_kind(deadlines, kind: DeadlineKind) -> list[Deadline]:
    return [d for d in deadlines if d.kind is kind]


def the(deadlines, kind: DeadlineKind, leg: int | None = None) -> Deadline:
    found = [d for d in of_kind(deadlines, kind) if leg is None or d.leg == leg]
    assert len(found) == 1, f"expected one {kind.value} deadline, got {found}"
    return found[0]


def accepted_case(track, detail=None, procedure=None, *, received, accepted, level="village"):
    return [register(received, track, detail, procedure, level), ev(accepted, "accept")]


def handling_of(events, **kw) -> Deadline:
    return the(compute(events, **kw), K.HANDLING)


def test_the_weekday_helper_agrees_with_the_calendar():
    # 2026-11-14 is the Saturday of DOMAIN.md's example; 2026-11-16 the Monday after it.
    assert weekday("2026-11-14") == "Sat" and CAL.is_rest_day(D("2026-11-14"))
    assert weekday("2026-11-16") == "Mon" and CAL.is_working_day(D("2026-11-16"))


def test_a_history_must_start_with_registration():
    with pytest.raises(ValueError):
        compute([ev("2026-03-02", "accept")])
    with pytest.raises(ValueError):
        compute([])


# == handling 调解期限 ============================================================================

# (id, track, detail, procedure, received, accepted, nominal, nominal weekday, due, due weekday)
HANDLING = [
    # 《人民调解工作若干规定》 Art. 33: one month from acceptance.
    ("people-month-end-february", "people", None, None,
     "2026-01-31", "2026-01-31", "2026-02-28", "Sat", "2026-02-28", "Sat"),  # 调休 working Sat
    ("people-month-end-april", "people", None, None,
     "2026-03-31", "2026-03-31", "2026-04-30", "Thu", "2026-04-30", "Thu"),
    ("people-weekend", "people", None, None,
     "2026-05-27", "2026-05-27", "2026-06-27", "Sat", "2026-06-29", "Mon"),
    ("people-national-day", "people", None, None,
     "2026-09-01", "2026-09-01", "2026-10-01", "Thu", "2026-10-08", "Thu"),
    # 诉前/委派: 30 days from receiving the case (counted from acceptance by the engine).
    ("pre-litigation", "judicial", "pre_litigation", None,
     "2026-10-15", "2026-10-15", "2026-11-14", "Sat", "2026-11-16", "Mon"),
    ("delegated", "judicial", "delegated", None,
     "2026-10-15", "2026-10-15", "2026-11-14", "Sat", "2026-11-16", "Mon"),
    # 委托/诉中: ordinary procedure 15 days, simple procedure 7 days.
    ("entrusted-ordinary", "judicial", "entrusted", "ordinary",
     "2026-03-02", "2026-03-02", "2026-03-17", "Tue", "2026-03-17", "Tue"),
    ("entrusted-no-procedure-is-ordinary", "judicial", "entrusted", None,
     "2026-03-02", "2026-03-02", "2026-03-17", "Tue", "2026-03-17", "Tue"),
    ("entrusted-simple", "judicial", "entrusted", "simple",
     "2026-03-02", "2026-03-02", "2026-03-09", "Mon", "2026-03-09", "Mon"),
    ("in-litigation-ordinary", "judicial", "in_litigation", "ordinary",
     "2026-03-06", "2026-03-06", "2026-03-21", "Sat", "2026-03-23", "Mon"),
    ("in-litigation-simple", "judicial", "in_litigation", "simple",
     "2026-03-06", "2026-03-06", "2026-03-13", "Fri", "2026-03-13", "Fri"),
    # 《劳动争议调解仲裁法》 Art. 14: 15 days from receipt (registration), not acceptance.
    ("labor-from-receipt", "administrative", "labor", None,
     "2026-04-20", "2026-04-22", "2026-05-05", "Tue", "2026-05-06", "Wed"),  # 劳动节
    # 治安: 3 working days; 国庆 10-01..07 are skipped, Sat 10-10 is a working day.
    ("police-across-national-day", "administrative", "police", None,
     "2026-09-29", "2026-09-29", "2026-10-09", "Fri", "2026-10-09", "Fri"),
    ("police-ends-on-make-up-saturday", "administrative", "police", None,
     "2026-09-30", "2026-09-30", "2026-10-10", "Sat", "2026-10-10", "Sat"),
    # 交通: 10 days, ending in 国庆.
    ("traffic-ends-in-national-day", "administrative", "traffic", None,
     "2026-09-22", "2026-09-22", "2026-10-02", "Fri", "2026-10-08", "Thu"),
    # 医疗: 30 working days (清明 04-06 skipped).
    ("medical", "administrative", "medical", None,
     "2026-03-02", "2026-03-02", "2026-04-14", "Tue", "2026-04-14", "Tue"),
    # 消费: 45 working days (Sun 09-20 and Sat 10-10 count; 中秋, 国庆 do not).
    ("consumer", "administrative", "consumer", None,
     "2026-09-01", "2026-09-01", "2026-11-09", "Mon", "2026-11-09", "Mon"),
    # 土地 and others: the office setting, 30 days by default.
    ("land-default-30-days", "administrative", "land", None,
     "2026-05-21", "2026-05-21", "2026-06-20", "Sat", "2026-06-22", "Mon"),  # 端午
    ("other-default-30-days", "administrative", "other", None,
     "2026-03-02", "2026-03-02", "2026-04-01", "Wed", "2026-04-01", "Wed"),
    ("administrative-without-detail", "administrative", None, None,
     "2026-03-02", "2026-03-02", "2026-04-01", "Wed", "2026-04-01", "Wed"),
    ("judicial-without-detail", "judicial", None, None,
     "2026-03-02", "2026-03-02", "2026-04-01", "Wed", "2026-04-01", "Wed"),
]


@pytest.mark.parametrize(
    ("track", "detail", "procedure", "received", "accepted", "nominal", "nominal_wd", "due",
     "due_wd"),
    [row[1:] for row in HANDLING],
    ids=[row[0] for row in HANDLING],
)
def test_handling_period_of_each_track(track, detail, procedure, received, accepted, nominal,
                                       nominal_wd, due, due_wd):
    assert weekday(nominal) == nominal_wd
    assert weekday(due) == due_wd
    assert CAL.is_working_day(D(due))
    deadline = handling_of(accepted_case(track, detail, procedure,
                                         received=received, accepted=accepted))
    assert deadline.due == D(due)
    assert deadline.nominal == D(nominal)
    assert deadline.moved is (nominal != due)
    assert (deadline.moved_reason is not None) is (nominal != due)
    assert deadline.state is OPEN
    assert deadline.closed_on is None
    assert deadline.leg == 0
    start = received if detail == "labor" else accepted
    assert deadline.start == D(start)


def test_people_track_handling_ends_one_month_after_acceptance_on_the_last_day_of_a_short_month():
    # 2026-01-31 → February has no 31st → 2026-02-28, a Saturday but a 春节 make-up working day.
    d = handling_of(accepted_case("people", received="2026-01-30", accepted="2026-01-31"))
    assert (d.start, d.nominal, d.due) == (D("2026-01-31"), D("2026-02-28"), D("2026-02-28"))
    assert weekday(d.due) == "Sat" and not d.moved and d.moved_reason is None
    assert "第三十三条" in d.basis


def test_people_track_handling_one_month_from_march_31_ends_april_30():
    d = handling_of(accepted_case("people", received="2026-03-31", accepted="2026-03-31"))
    assert d.due == D("2026-04-30") and weekday(d.due) == "Thu" and not d.moved


def test_people_track_handling_ends_one_month_after_acceptance_moved_past_weekend():
    d = handling_of(accepted_case("people", received="2026-05-27", accepted="2026-05-27"))
    assert d.nominal == D("2026-06-27") and weekday(d.nominal) == "Sat"
    assert d.due == D("2026-06-29") and weekday(d.due) == "Mon"
    assert d.moved
    assert d.moved_reason == "期限届满日2026年6月27日为星期六，顺延至2026年6月29日"


def test_people_track_handling_moved_past_national_day_names_the_holiday():
    d = handling_of(accepted_case("people", received="2026-09-01", accepted="2026-09-01"))
    assert (d.nominal, d.due) == (D("2026-10-01"), D("2026-10-08"))
    assert "国庆节假日" in d.moved_reason


def test_people_track_has_no_handling_deadline_before_acceptance():
    assert of_kind(compute([register("2026-03-02", "people")]), K.HANDLING) == []


def test_pre_litigation_handling_ends_30_days_after_receipt_moved_from_saturday_to_monday():
    # DOMAIN.md's own example: 30 days from 2026-10-15 → Sat 2026-11-14 → Mon 2026-11-16.
    d = handling_of(accepted_case("judicial", "pre_litigation",
                                  received="2026-10-15", accepted="2026-10-15"))
    assert (d.nominal, d.due) == (D("2026-11-14"), D("2026-11-16"))
    assert "星期六" in d.moved_reason


def test_labor_handling_counts_15_days_from_receipt_even_before_acceptance():
    received_only = [register("2026-04-20", "administrative", "labor")]
    d = handling_of(received_only)
    assert d.start == D("2026-04-20")
    assert (d.nominal, d.due) == (D("2026-05-05"), D("2026-05-06"))  # 劳动节 → Wed
    assert "劳动节" in d.moved_reason
    assert "第十四条" in d.basis
    accepted_later = handling_of(received_only + [ev("2026-04-22", "accept")])
    assert accepted_later.due == d.due and accepted_later.start == D("2026-04-20")


def test_labor_application_rejected_before_acceptance_leaves_no_handling_deadline():
    events = [register("2026-04-20", "administrative", "labor"), ev("2026-04-21", "reject")]
    assert of_kind(compute(events), K.HANDLING) == []


def test_police_handling_is_3_working_days_and_never_moves():
    d = handling_of(accepted_case("administrative", "police",
                                  received="2026-09-29", accepted="2026-09-29"))
    # 09-30 (1), 国庆 10-01..07 skipped, 10-08 (2), 10-09 (3)
    assert d.due == D("2026-10-09") and d.nominal == d.due and not d.moved


def test_default_handling_days_follow_the_office_setting():
    settings = DeadlineSettings(default_handling_days=20)
    d = handling_of(accepted_case("administrative", "land",
                                  received="2026-03-02", accepted="2026-03-02"),
                    settings=settings)
    # 03-02 + 20 days = Sun 03-22 → Mon 03-23
    assert weekday("2026-03-22") == "Sun"
    assert (d.nominal, d.due) == (D("2026-03-22"), D("2026-03-23"))
    assert "20日" in d.basis


# -- pause / resume (医疗: appraisal time excluded) ------------------------------------------------


MEDICAL = ["administrative", "medical"]


def test_medical_handling_is_30_working_days_and_a_pause_resume_pair_stops_the_clock():
    events = accepted_case(*MEDICAL, received="2026-03-02", accepted="2026-03-02")
    assert handling_of(events).due == D("2026-04-14")
    paused = events + [ev("2026-03-10", "pause"), ev("2026-03-20", "resume")]
    d = handling_of(paused)
    # Counted: 03-03..06 (4), 03-09, 03-10 (6); 03-11..03-20 stand still (8 working days);
    # 03-23..27 (11), 03-30..31 (13), 04-01..03 (16), 清明 04-06, 04-07..10 (20),
    # 04-13..17 (25), 04-20..24 (30).
    assert d.due == D("2026-04-24") and weekday(d.due) == "Fri"
    assert d.state is OPEN
    assert "中止中" not in d.basis


def test_a_clock_still_paused_moves_its_due_date_on_day_by_day():
    events = accepted_case(*MEDICAL, received="2026-03-02", accepted="2026-03-02")
    paused = events + [ev("2026-03-10", "pause")]
    on_20th = handling_of(paused, today=D("2026-03-20"))
    assert on_20th.due == D("2026-04-24")  # the same as if resumed on 03-20
    assert "鉴定等期间计时中止中" in on_20th.basis
    on_27th = handling_of(paused, today=D("2026-03-27"))
    # five more working days (03-23..27) stand still: 04-27..30 (4), 劳动节 05-01..05, 05-06 (5)
    assert on_27th.due == D("2026-05-06") and weekday(on_27th.due) == "Wed"


def test_people_track_pause_stretches_the_month_by_the_days_the_clock_stood_still():
    events = accepted_case("people", received="2026-03-02", accepted="2026-03-02")
    # nominal end 04-02; 03-06..03-09 stand still (4 days) → 04-06 (清明) → Tue 04-07
    d = handling_of(events + [ev("2026-03-05", "pause"), ev("2026-03-09", "resume")])
    assert (d.nominal, d.due) == (D("2026-04-06"), D("2026-04-07"))
    assert weekday(d.due) == "Tue"


def test_people_track_pause_reaching_past_the_nominal_end_keeps_the_clock_stopped():
    events = accepted_case("people", received="2026-03-02", accepted="2026-03-02")
    # The clock ran 03-03..03-25; 8 days of the month (03-26..04-02) were left when it stopped.
    # Resumed on 04-10, they run 04-11..04-18 (Sat) → Mon 04-20.
    resumed = handling_of(events + [ev("2026-03-25", "pause"), ev("2026-04-10", "resume")])
    assert (resumed.nominal, resumed.due) == (D("2026-04-18"), D("2026-04-20"))
    # Still paused on 04-20: the 8 days run from 04-21 → Tue 04-28; not overdue while paused.
    still = handling_of(events + [ev("2026-03-25", "pause")], today=D("2026-04-20"))
    assert still.due == D("2026-04-28") and weekday(still.due) == "Tue"
    assert still.state_on(D("2026-04-20")) is OPEN


# -- extension ------------------------------------------------------------------------------------


def test_extension_replaces_the_due_date_and_the_basis_keeps_the_old_one():
    events = accepted_case("judicial", "pre_litigation", received="2026-10-15",
                           accepted="2026-10-15")
    d = handling_of(events + [ev("2026-11-10", "extend", until=D("2026-12-10"))])
    assert d.due == D("2026-12-10") and weekday(d.due) == "Thu"
    assert d.nominal == d.due and not d.moved and d.moved_reason is None
    assert "延期至2026-12-10" in d.basis
    assert "原期限2026-11-16" in d.basis


def test_the_last_extension_wins_and_the_basis_names_the_statutory_date():
    events = accepted_case("judicial", "entrusted", "ordinary", received="2026-03-02",
                           accepted="2026-03-02")
    d = handling_of(events + [ev("2026-03-10", "extend", until="2026-03-24"),  # ISO text too
                              ev("2026-03-20", "extend", until="2026-03-31")])
    assert d.due == D("2026-03-31")
    assert "原期限2026-03-17" in d.basis and "延期至2026-03-31" in d.basis


def test_pre_litigation_may_be_extended_once_by_at_most_30_days():
    rule = handling_rule(Track.JUDICIAL, TrackDetail.PRE_LITIGATION, None, DeadlineSettings())
    check_extension(rule, D("2026-11-16"), D("2026-12-16"), 0, D("2026-11-10"))
    with pytest.raises(ValidationError, match="最长30日"):
        check_extension(rule, D("2026-11-16"), D("2026-12-17"), 0, D("2026-11-10"))
    with pytest.raises(ValidationError, match="只能延期1次"):
        check_extension(rule, D("2026-12-16"), D("2026-12-20"), 1, D("2026-12-01"))
    with pytest.raises(ValidationError, match="应晚于"):
        check_extension(rule, D("2026-11-16"), D("2026-11-16"), 0, D("2026-11-10"))


# -- how a handling clock closes ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("ending", "state"),
    [("agree", MET), ("fail", MET), ("withdraw", VOID)],
)
def test_handling_is_met_by_a_conclusion_and_void_on_withdrawal(ending, state):
    events = accepted_case("people", received="2026-03-02", accepted="2026-03-02") + [
        ev("2026-03-03", "start"), ev("2026-03-20", ending)]
    d = handling_of(events)
    assert d.state is state and d.closed_on == D("2026-03-20")
    assert d.due == D("2026-04-02")  # the due date stays what it was


# == judicial_confirmation 司法确认申请截止 =========================================================


def agreed_case(signed: str, *later: CaseEvent, track="people", detail=None) -> list[CaseEvent]:
    return [register("2026-03-02", track, detail), ev("2026-03-02", "accept"),
            ev("2026-03-03", "start"), ev(signed, "agree"), *later]


def written(signed: str, deadline: str | None = None) -> AgreementFacts:
    return AgreementFacts(AgreementForm.WRITTEN, D(signed), D(deadline) if deadline else None)


def oral(signed: str, deadline: str | None = None) -> AgreementFacts:
    return AgreementFacts(AgreementForm.ORAL, D(signed), D(deadline) if deadline else None)


@pytest.mark.parametrize(
    ("signed", "nominal", "due"),
    [
        ("2026-10-15", "2026-11-14", "2026-11-16"),  # Thu → Sat → Mon
        ("2026-03-20", "2026-04-19", "2026-04-20"),  # Fri → Sun → Mon
        ("2026-09-01", "2026-10-01", "2026-10-08"),  # Tue → 国庆 → Thu
        ("2026-03-31", "2026-04-30", "2026-04-30"),  # Tue → Thu, no move
    ],
)
def test_written_agreement_may_be_confirmed_within_30_days_of_taking_effect(signed, nominal, due):
    assert weekday(signed) in ("Tue", "Thu", "Fri")
    d = the(compute(agreed_case(signed), written(signed)), K.JUDICIAL_CONFIRMATION)
    assert d.start == D(signed)
    assert (d.nominal, d.due) == (D(nominal), D(due))
    assert CAL.is_working_day(d.due)
    assert d.state is OPEN
    assert "第三十三条" in d.basis


def test_oral_agreement_has_no_judicial_confirmation_deadline():
    assert of_kind(compute(agreed_case("2026-10-15"), oral("2026-10-15")),
                   K.JUDICIAL_CONFIRMATION) == []


def test_judicial_confirmation_deadline_is_met_when_confirmation_is_applied_for():
    events = agreed_case("2026-10-15", ev("2026-10-20", "judicial_confirmation"))
    d = the(compute(events, written("2026-10-15")), K.JUDICIAL_CONFIRMATION)
    assert d.state is MET and d.closed_on == D("2026-10-20")


def test_judicial_confirmation_met_on_the_application_date_recorded_in_the_event():
    events = agreed_case("2026-10-15",
                         ev("2026-10-22", "judicial_confirmation", applied_on="2026-10-19"))
    d = the(compute(events, written("2026-10-15")), K.JUDICIAL_CONFIRMATION)
    assert d.state is MET and d.closed_on == D("2026-10-19")


def test_judicial_confirmation_deadline_is_void_when_archived_without_an_application():
    events = agreed_case("2026-10-15", ev("2026-10-16", "perform", result="full"),
                         ev("2026-10-30", "archive"))
    d = the(compute(events, written("2026-10-15")), K.JUDICIAL_CONFIRMATION)
    assert d.state is VOID and d.closed_on == D("2026-10-30")


def test_judicial_confirmation_stays_open_after_full_performance():
    # The code keeps the window open for a performed case (DOMAIN.md says "agreed cases").
    events = agreed_case("2026-10-15", ev("2026-10-16", "perform", result="full"))
    d = the(compute(events, written("2026-10-15")), K.JUDICIAL_CONFIRMATION)
    assert d.state is OPEN


# == performance 履行期限 ===========================================================================


def test_performance_deadline_is_the_date_the_parties_fixed_not_moved_off_a_sunday():
    assert weekday("2026-11-15") == "Sun"
    d = the(compute(agreed_case("2026-10-15"), written("2026-10-15", "2026-11-15")),
            K.PERFORMANCE)
    assert d.start == D("2026-10-15")
    assert d.due == D("2026-11-15") and d.nominal == D("2026-11-15")
    assert not d.moved and d.moved_reason is None
    assert d.state is OPEN


def test_oral_agreement_with_a_deadline_has_a_performance_deadline_too():
    d = the(compute(agreed_case("2026-10-15"), oral("2026-10-15", "2026-11-15")), K.PERFORMANCE)
    assert d.due == D("2026-11-15")


def test_no_performance_deadline_without_an_agreed_date():
    assert of_kind(compute(agreed_case("2026-10-15"), written("2026-10-15")), K.PERFORMANCE) == []


def test_performance_deadline_is_met_when_performance_is_recorded():
    events = agreed_case("2026-10-15", ev("2026-11-12", "perform", result="full"))
    d = the(compute(events, written("2026-10-15", "2026-11-15")), K.PERFORMANCE)
    assert d.state is MET and d.closed_on == D("2026-11-12")


def test_any_recorded_performance_result_meets_the_performance_deadline():
    # Current behaviour: the engine ignores `result`; a partial (or none) record also meets it,
    # although the case stays `agreed` and is flagged 督促履行 by the lifecycle.
    events = agreed_case("2026-10-15", ev("2026-11-12", "perform", result="partial"),
                         ev("2026-11-20", "perform", result="full"))
    d = the(compute(events, written("2026-10-15", "2026-11-15")), K.PERFORMANCE)
    assert d.state is MET and d.closed_on == D("2026-11-12")


def test_performance_deadline_is_void_when_archived_without_performance():
    events = agreed_case("2026-10-15", ev("2026-11-30", "archive"))
    d = the(compute(events, written("2026-10-15", "2026-11-15")), K.PERFORMANCE)
    assert d.state is VOID and d.closed_on == D("2026-11-30")


# == follow_up 回访 ================================================================================


@pytest.mark.parametrize(
    ("signed", "agreed_deadline", "base", "nominal", "due", "what"),
    [
        # 7 days after the performance deadline: Sun 11-15 → Sun 11-22 → Mon 11-23.
        ("2026-10-15", "2026-11-15", "2026-11-15", "2026-11-22", "2026-11-23", "履行期限"),
        # No performance deadline: 7 days after the agreement: Thu 10-15 → Thu 10-22.
        ("2026-10-15", None, "2026-10-15", "2026-10-22", "2026-10-22", "协议达成"),
        # Thu 09-24 → 国庆 10-01 → Thu 10-08.
        ("2026-09-24", None, "2026-09-24", "2026-10-01", "2026-10-08", "协议达成"),
    ],
)
def test_follow_up_is_due_7_days_after_the_performance_deadline_or_the_agreement(
        signed, agreed_deadline, base, nominal, due, what):
    for agreement in (written(signed, agreed_deadline), oral(signed, agreed_deadline)):
        d = the(compute(agreed_case(signed), agreement), K.FOLLOW_UP)
        assert d.start == D(base)
        assert (d.nominal, d.due) == (D(nominal), D(due))
        assert CAL.is_working_day(d.due)
        assert d.basis.startswith(f"{what}后7日")
        assert d.state is OPEN


def test_follow_up_days_follow_the_office_setting():
    settings = DeadlineSettings(follow_up_days=15)
    d = the(compute(agreed_case("2026-10-15"), written("2026-10-15"), settings=settings),
            K.FOLLOW_UP)
    assert d.due == D("2026-10-30") and weekday(d.due) == "Fri"


def test_follow_up_is_met_by_a_follow_up_and_void_when_archived_without_one():
    met = the(compute(agreed_case("2026-10-15", ev("2026-10-21", "follow_up")),
                      written("2026-10-15")), K.FOLLOW_UP)
    assert met.state is MET and met.closed_on == D("2026-10-21")
    void = the(compute(agreed_case("2026-10-15", ev("2026-10-28", "archive")),
                       written("2026-10-15")), K.FOLLOW_UP)
    assert void.state is VOID and void.closed_on == D("2026-10-28")


def test_an_agreed_case_without_agreement_facts_has_no_agreement_deadlines():
    kinds = {d.kind for d in compute(agreed_case("2026-10-15"), None)}
    assert kinds == {K.HANDLING, K.ESCALATION}


# == escalation 升级督办 ===========================================================================


@pytest.mark.parametrize(
    ("level", "since", "nominal", "due"),
    [
        ("grid", "2026-03-02", "2026-03-05", "2026-03-05"),  # Mon + 3 = Thu
        ("grid", "2026-09-29", "2026-10-02", "2026-10-08"),  # Tue + 3 = 国庆 → Thu
        ("village", "2026-03-02", "2026-03-12", "2026-03-12"),  # Mon + 10 = Thu
        ("village", "2026-03-04", "2026-03-14", "2026-03-16"),  # Wed + 10 = Sat → Mon
        ("township", "2026-03-02", "2026-04-01", "2026-04-01"),  # Mon + 30 = Wed
        ("township", "2026-03-06", "2026-04-05", "2026-04-07"),  # Fri + 30 = 清明 → Tue
    ],
)
def test_escalation_is_suggested_after_grid_3_village_10_township_30_days(level, since,
                                                                        nominal, due):
    d = the(compute([register(since, "people", level=level)]), K.ESCALATION)
    assert d.start == D(since)
    assert (d.nominal, d.due) == (D(nominal), D(due))
    assert CAL.is_working_day(d.due)
    assert d.state is OPEN
    assert Level(level).label in d.basis


def test_a_county_case_has_no_escalation_deadline():
    assert of_kind(compute([register("2026-03-02", "people", level="county")]),
                   K.ESCALATION) == []


def test_escalation_is_met_on_escalating_and_a_new_clock_starts_at_the_new_level():
    events = [register("2026-03-02", "people", level="grid"),
              ev("2026-03-04", "escalate", level="village")]
    grid, village = of_kind(compute(events), K.ESCALATION)
    assert grid.start == D("2026-03-02") and grid.state is MET
    assert grid.closed_on == D("2026-03-04")
    assert village.start == D("2026-03-04") and village.state is OPEN
    assert (village.nominal, village.due) == (D("2026-03-14"), D("2026-03-16"))


def test_escalating_to_the_county_ends_the_escalation_clocks():
    events = [register("2026-03-02", "people", level="township"),
              ev("2026-03-20", "escalate", level="county")]
    (township,) = of_kind(compute(events), K.ESCALATION)
    assert township.state is MET and township.closed_on == D("2026-03-20")


def test_handing_down_closes_the_level_and_starts_the_lower_levels_clock():
    events = [register("2026-03-02", "people", level="township"),
              ev("2026-03-05", "hand_down", level="village")]
    township, village = of_kind(compute(events), K.ESCALATION)
    assert township.state is MET and township.closed_on == D("2026-03-05")
    assert village.start == D("2026-03-05") and village.due == D("2026-03-16")  # Sun 03-15 → Mon


def test_escalation_custom_days_from_settings():
    settings = DeadlineSettings(escalation_days={"grid": 5, "village": 10, "township": 30,
                                                 "county": 60})
    grid = the(compute([register("2026-03-02", "people", level="grid")], settings=settings),
               K.ESCALATION)
    assert grid.due == D("2026-03-09")  # Mon + 5 = Sat 03-07 → Mon 03-09
    county = the(compute([register("2026-03-02", "people", level="county")], settings=settings),
                 K.ESCALATION)
    assert county.due == D("2026-05-06")  # Mon + 60 = Fri 05-01 (劳动节) → Wed 05-06


@pytest.mark.parametrize(("ending", "state"),
                         [("agree", MET), ("fail", MET), ("withdraw", VOID)])
def test_escalation_closes_when_mediation_ends(ending, state):
    events = [register("2026-03-02", "people", level="village"), ev("2026-03-02", "accept"),
              ev("2026-03-03", "start"), ev("2026-03-06", ending)]
    d = the(compute(events), K.ESCALATION)
    assert d.state is state and d.closed_on == D("2026-03-06")


# == transfer 移送: a new leg ======================================================================


def test_transfer_voids_the_old_legs_clocks_and_handling_restarts_at_the_receivers_acceptance():
    before = [register("2026-03-02", "people", level="village"), ev("2026-03-03", "accept"),
              ev("2026-03-10", "transfer", to_track="judicial", to_track_detail="pre_litigation")]
    out = compute(before)
    old = the(out, K.HANDLING, leg=0)
    # The code voids the unfinished handling clock of the old leg on the day of the transfer.
    assert old.state is VOID and old.closed_on == D("2026-03-10")
    assert old.due == D("2026-04-03")  # 03-03 + one month, Fri
    assert of_kind(out, K.HANDLING) == [old]  # nothing yet at the receiver
    old_stay = the(out, K.ESCALATION, leg=0)
    assert old_stay.state is VOID and old_stay.closed_on == D("2026-03-10")
    new_stay = the(out, K.ESCALATION, leg=1)
    assert new_stay.start == D("2026-03-10") and new_stay.due == D("2026-03-20")  # same level
    assert new_stay.state is OPEN

    out = compute(before + [ev("2026-03-12", "accept")])
    new = the(out, K.HANDLING, leg=1)
    assert new.start == D("2026-03-12")
    assert (new.nominal, new.due) == (D("2026-04-11"), D("2026-04-13"))  # Sat → Mon
    assert new.state is OPEN
    assert "诉前" in new.basis


def test_transfer_to_another_level_starts_that_levels_escalation_clock():
    events = [register("2026-03-02", "people", level="village"),
              ev("2026-03-10", "transfer", to_track="people", level="township")]
    stay = the(compute(events), K.ESCALATION, leg=1)
    assert stay.start == D("2026-03-10") and stay.due == D("2026-04-09")  # Tue + 30 = Thu


def test_transfer_to_labor_mediation_counts_from_the_receivers_receipt():
    events = [register("2026-04-10", "people", level="village"),
              ev("2026-04-20", "transfer", to_track="administrative", to_track_detail="labor")]
    d = the(compute(events), K.HANDLING, leg=1)
    assert d.start == D("2026-04-20") and d.due == D("2026-05-06")


def test_a_failed_case_transferred_keeps_its_met_handling_deadline():
    events = [register("2026-03-02", "people"), ev("2026-03-02", "accept"),
              ev("2026-03-03", "start"), ev("2026-03-20", "fail"),
              ev("2026-03-25", "transfer", to_track="administrative", to_track_detail="land"),
              ev("2026-03-26", "accept")]
    out = compute(events)
    old = the(out, K.HANDLING, leg=0)
    assert old.state is MET and old.closed_on == D("2026-03-20")
    new = the(out, K.HANDLING, leg=1)
    assert new.start == D("2026-03-26") and new.due == D("2026-04-27")  # Sat 04-25 → Mon
    assert new.state is OPEN


# == ended cases ===================================================================================


ENDED = {
    "rejected": [register("2026-03-02", "people"), ev("2026-03-03", "reject")],
    "rejected-labor": [register("2026-03-02", "administrative", "labor"),
                       ev("2026-03-03", "reject")],
    "withdrawn": [register("2026-03-02", "administrative", "medical"), ev("2026-03-02", "accept"),
                  ev("2026-03-03", "start"), ev("2026-03-10", "pause"),
                  ev("2026-03-12", "withdraw")],
    "rejected-then-archived": [register("2026-03-02", "people"), ev("2026-03-03", "reject"),
                               ev("2026-03-04", "archive")],
    "failed-then-archived": [register("2026-03-02", "people", level="grid"),
                             ev("2026-03-02", "accept"), ev("2026-03-03", "start"),
                             ev("2026-03-20", "fail"), ev("2026-03-21", "archive")],
    "agreed-then-archived": agreed_case("2026-10-15", ev("2026-10-16", "archive")),
    "performed-then-archived": agreed_case("2026-10-15", ev("2026-11-01", "perform", result="full"),
                                           ev("2026-11-02", "archive")),
}


@pytest.mark.parametrize("history", list(ENDED.values()), ids=list(ENDED))
def test_archived_rejected_and_withdrawn_cases_have_no_open_deadlines(history):
    agreement = written("2026-10-15", "2026-11-15") if any(
        e.action == "agree" for e in history) else None
    out = compute(history, agreement)
    assert out  # the closed clocks are still listed for the timeline
    assert [d for d in out if d.state is OPEN] == []
    for d in out:
        assert d.closed_on is not None
        assert d.state_on(D("2027-06-30")) in (MET, VOID)


# == state_on / open_on ===========================================================================


def test_state_on_is_overdue_only_for_an_open_deadline_after_its_due_date():
    d = handling_of(accepted_case("judicial", "pre_litigation",
                                  received="2026-10-15", accepted="2026-10-15"))
    assert d.due == D("2026-11-16")
    assert d.state_on(D("2026-10-15")) is OPEN
    assert d.state_on(D("2026-11-14")) is OPEN  # the nominal day: moved, not yet overdue
    assert d.state_on(D("2026-11-16")) is OPEN  # the last day itself
    assert d.state_on(D("2026-11-17")) is OVERDUE
    for closed in (DeadlineState.MET, DeadlineState.VOID):
        other = Deadline(d.kind, d.start, d.due, closed, d.basis, closed_on=D("2026-11-20"))
        assert other.state_on(D("2026-12-31")) is closed


def test_open_on_a_past_date_tells_whether_the_clock_was_running_then():
    events = agreed_case("2026-10-15", ev("2026-10-20", "judicial_confirmation"))
    d = the(compute(events, written("2026-10-15")), K.JUDICIAL_CONFIRMATION)
    assert d.state is MET
    assert d.open_on(D("2026-10-15"))
    assert d.open_on(D("2026-10-19"))
    assert not d.open_on(D("2026-10-20"))  # closed that day
    assert not d.open_on(D("2026-11-30"))


def test_open_on_for_a_deadline_still_open_is_true_on_any_date():
    # Current behaviour: an open deadline answers True for every date, even one before its start.
    d = the(compute(agreed_case("2026-10-15"), written("2026-10-15")), K.JUDICIAL_CONFIRMATION)
    assert d.open_on(D("2026-12-31"))
    assert d.open_on(d.start - timedelta(days=1))


def test_nearest_open_is_the_open_deadline_due_first():
    events = agreed_case("2026-10-15", ev("2026-10-16", "judicial_confirmation"))
    out = compute(events, written("2026-10-15", "2026-11-15"))
    nearest = nearest_open(out)
    assert nearest is not None and nearest.kind is K.PERFORMANCE  # 11-15 < follow-up 11-23
    assert nearest_open([d for d in out if d.state is not OPEN]) is None


# == every walk through the lifecycle ==========================================================

_TRACKS = [("people", None, None), ("judicial", "pre_litigation", None),
           ("judicial", "entrusted", "simple"), ("administrative", "labor", None),
           ("administrative", "police", None), ("administrative", "medical", None),
           ("administrative", "consumer", None), ("administrative", "land", None)]
_SAME_STATUS_ONLY = {Action.RECORD_SESSION}


@given(
    track=st.sampled_from(_TRACKS),
    level=st.sampled_from(list(Level)),
    steps=st.lists(
        st.tuples(st.sampled_from([a for a in Action if a is not Action.REGISTER]),
                  st.integers(0, 20), st.sampled_from(list(PerformanceResult)),
                  st.sampled_from(list(Level)), st.sampled_from(_TRACKS),
                  st.sampled_from(list(AgreementForm)), st.booleans()),
        max_size=25,
    ),
)
def test_any_walk_of_allowed_moves_leaves_open_deadlines_only_where_the_condition_holds(
        track, level, steps):
    day = D("2026-01-05")
    status = CaseStatus.REGISTERED
    events = [CaseEvent(day, "register", {"track": track[0], "track_detail": track[1],
                                          "procedure": track[2], "level": level.value})]
    agreement = None
    for action, gap, result, new_level, to, form, with_deadline in steps:
        if action not in allowed_actions(status) or action in _SAME_STATUS_ONLY:
            continue
        day += timedelta(days=gap)
        data: dict = {}
        if action is Action.TRANSFER:
            data = {"to_track": to[0], "to_track_detail": to[1], "procedure": to[2]}
        elif action in (Action.ESCALATE, Action.HAND_DOWN):
            data = {"level": new_level.value}
        elif action is Action.EXTEND:
            data = {"until": day + timedelta(days=gap + 1)}
        elif action is Action.PERFORM:
            data = {"result": result.value}
        elif action is Action.AGREE:
            agreement = AgreementFacts(form, day, day + timedelta(days=gap) if with_deadline
                                       else None)
        events.append(CaseEvent(day, action.value, data))
        status = next_status(status, action, performance=result)

    out = compute_deadlines(events, agreement, CAL, None, day)
    opened = [d for d in out if d.state is OPEN]
    if status in (CaseStatus.ARCHIVED, CaseStatus.REJECTED, CaseStatus.WITHDRAWN):
        assert opened == []
    for d in opened:
        assert d.closed_on is None
        if d.kind in (K.HANDLING, K.ESCALATION):
            assert status in (CaseStatus.REGISTERED, CaseStatus.ACCEPTED, CaseStatus.MEDIATING)
            assert d.leg == len([e for e in events if e.action == "transfer"])
        else:
            assert status in (CaseStatus.AGREED, CaseStatus.PERFORMED)
    for d in out:
        if d.state is not OPEN:
            assert d.closed_on is not None
        if d.kind is not K.HANDLING:  # an agreed extension date may be any later date
            assert d.due >= d.start
