"""More table-driven deadline cases per kind: Saturdays, public holidays, make-up working days
(调休上班) and month ends, beyond those of test_deadlines.py.

Every expected date was counted by hand from DOMAIN.md's rules (《民法典》 Arts. 200–204) and the
holiday table of resources/holidays.toml; the weekdays are checked too. 2027 has no holiday data,
so only weekends are rest days there.
"""
from __future__ import annotations

from datetime import date

import pytest

from mediator.domain.calendar import HolidayCalendar, working_days_after
from mediator.domain.deadlines import (
    AgreementFacts,
    CaseEvent,
    Deadline,
    DeadlineSettings,
    compute_deadlines,
)
from mediator.domain.enums import AgreementForm, DeadlineKind

CAL = HolidayCalendar.default()
D = date.fromisoformat
K = DeadlineKind
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
FAR = D("2028-01-01")  # "today" only matters for a clock still paused


def wd(day: str) -> str:
    return WEEKDAYS[D(day).weekday()]


def ev(day: str, action: str, **data) -> CaseEvent:
    return CaseEvent(D(day), action, data)


def one(deadlines: list[Deadline], kind: DeadlineKind) -> Deadline:
    found = [d for d in deadlines if d.kind is kind]
    assert len(found) == 1, found
    return found[0]


def agreed(signed: str, form: AgreementForm, deadline: str | None) -> list[Deadline]:
    events = [ev("2025-06-02", "register", track="people", level="county"),
              ev("2025-06-02", "accept"), ev("2025-06-03", "start"), ev(signed, "agree")]
    facts = AgreementFacts(form, D(signed), D(deadline) if deadline else None)
    return compute_deadlines(events, facts, CAL, DeadlineSettings(), FAR)


def check(d: Deadline, nominal: str, due: str) -> None:
    assert (d.nominal, d.due) == (D(nominal), D(due))
    assert d.moved is (nominal != due)
    assert (d.moved_reason is not None) is (nominal != due)
    assert CAL.is_working_day(d.due) or not CAL.has_data_for(d.due.year) and d.due.weekday() < 5


# == judicial_confirmation: 30 days from the written agreement ====================================

CONFIRMATION = [
    # (id, signed, nominal, nominal weekday, due, due weekday, words of the reason)
    ("ends-on-make-up-saturday", "2026-09-10", "2026-10-10", "Sat", "2026-10-10", "Sat", None),
    ("month-end-crossing-february-to-sunday", "2026-01-30", "2026-03-01", "Sun", "2026-03-02", "Mon", "星期日"),
    ("ends-in-labour-day", "2026-04-02", "2026-05-02", "Sat", "2026-05-06", "Wed", "劳动节假日"),
    ("year-without-holiday-data", "2026-12-03", "2027-01-02", "Sat", "2027-01-04", "Mon", "星期六"),
]


@pytest.mark.parametrize(("signed", "nominal", "nominal_wd", "due", "due_wd", "why"),
                         [c[1:] for c in CONFIRMATION], ids=[c[0] for c in CONFIRMATION])
def test_judicial_confirmation_window(signed, nominal, nominal_wd, due, due_wd, why):
    assert (wd(nominal), wd(due)) == (nominal_wd, due_wd)
    d = one(agreed(signed, AgreementForm.WRITTEN, None), K.JUDICIAL_CONFIRMATION)
    check(d, nominal, due)
    if why:
        assert why in d.moved_reason


# == follow_up: 7 days after the performance deadline (or the agreement) ===========================

FOLLOW_UP = [
    # (id, signed, form, agreed deadline, nominal, nominal weekday, due, due weekday)
    ("ends-on-make-up-sunday", "2026-09-01", "written", "2026-09-13", "2026-09-20", "Sun", "2026-09-20", "Sun"),
    ("ends-in-spring-festival", "2026-01-20", "written", "2026-02-09", "2026-02-16", "Mon", "2026-02-24", "Tue"),
    ("month-end-deadline-to-saturday", "2026-01-05", "oral", "2026-01-31", "2026-02-07", "Sat", "2026-02-09", "Mon"),
    ("oral-agreement-on-a-saturday", "2026-03-07", "oral", None, "2026-03-14", "Sat", "2026-03-16", "Mon"),
]


@pytest.mark.parametrize(("signed", "form", "deadline", "nominal", "nominal_wd", "due", "due_wd"),
                         [c[1:] for c in FOLLOW_UP], ids=[c[0] for c in FOLLOW_UP])
def test_follow_up_after_the_performance_deadline(signed, form, deadline, nominal, nominal_wd, due, due_wd):
    assert (wd(nominal), wd(due)) == (nominal_wd, due_wd)
    d = one(agreed(signed, AgreementForm(form), deadline), K.FOLLOW_UP)
    assert d.start == D(deadline or signed)
    check(d, nominal, due)


# == performance: the date the parties fixed, never moved =========================================

@pytest.mark.parametrize("deadline", ["2026-10-01", "2026-10-10", "2026-01-31", "2026-02-28"],
                         ids=["national-day", "make-up-saturday", "month-end-saturday", "february-end"])
def test_performance_deadline_stays_as_written(deadline):
    d = one(agreed("2025-12-01", AgreementForm.WRITTEN, deadline), K.PERFORMANCE)
    assert d.due == d.nominal == D(deadline) and not d.moved


# == escalation: grid 3, village 10, township 30 days at a level ==================================

ESCALATION = [
    # (id, level, since, nominal, nominal weekday, due, due weekday)
    ("new-year-then-make-up-sunday", "village", "2025-12-22", "2026-01-01", "Thu", "2026-01-04", "Sun"),
    ("grid-to-saturday", "grid", "2026-03-04", "2026-03-07", "Sat", "2026-03-09", "Mon"),
    ("township-across-february", "township", "2026-01-31", "2026-03-02", "Mon", "2026-03-02", "Mon"),
    ("village-to-make-up-saturday", "village", "2026-09-30", "2026-10-10", "Sat", "2026-10-10", "Sat"),
]


@pytest.mark.parametrize(("level", "since", "nominal", "nominal_wd", "due", "due_wd"),
                         [c[1:] for c in ESCALATION], ids=[c[0] for c in ESCALATION])
def test_escalation_at_a_level(level, since, nominal, nominal_wd, due, due_wd):
    assert (wd(nominal), wd(due)) == (nominal_wd, due_wd)
    events = [ev(since, "register", track="people", level=level)]
    d = one(compute_deadlines(events, None, CAL, DeadlineSettings(), FAR), K.ESCALATION)
    check(d, nominal, due)


# == handling: more month ends and make-up days =================================================

HANDLING = [
    # (id, track, detail, received, accepted, nominal, nominal weekday, due, due weekday)
    ("people-december-31-into-a-year-without-data", "people", None, "2026-12-31", "2026-12-31",
     "2027-01-31", "Sun", "2027-02-01", "Mon"),
    ("people-august-31-to-september-30", "people", None, "2026-08-31", "2026-08-31",
     "2026-09-30", "Wed", "2026-09-30", "Wed"),
    ("traffic-ends-in-spring-festival", "administrative", "traffic", "2026-02-05", "2026-02-05",
     "2026-02-15", "Sun", "2026-02-24", "Tue"),
    ("labor-from-a-saturday-receipt-to-make-up-sunday", "administrative", "labor", "2026-09-05",
     "2026-09-07", "2026-09-20", "Sun", "2026-09-20", "Sun"),
]


@pytest.mark.parametrize(("track", "detail", "received", "accepted", "nominal", "nominal_wd", "due", "due_wd"),
                         [c[1:] for c in HANDLING], ids=[c[0] for c in HANDLING])
def test_handling_period(track, detail, received, accepted, nominal, nominal_wd, due, due_wd):
    assert (wd(nominal), wd(due)) == (nominal_wd, due_wd)
    events = [ev(received, "register", track=track, track_detail=detail, level="county"),
              ev(accepted, "accept")]
    check(one(compute_deadlines(events, None, CAL, DeadlineSettings(), FAR), K.HANDLING), nominal, due)


# == review: 3 working days from the request (DeadlineSettings.review_working_days) ===============

REVIEW = [
    # (id, requested, due, due weekday)
    ("counts-the-make-up-saturday", "2026-10-08", "2026-10-12", "Mon"),
    ("skips-spring-festival", "2026-02-12", "2026-02-24", "Tue"),
    ("month-end-into-labour-day", "2026-04-30", "2026-05-08", "Fri"),
]


@pytest.mark.parametrize(("requested", "due", "due_wd"), [c[1:] for c in REVIEW], ids=[c[0] for c in REVIEW])
def test_review_working_days(requested, due, due_wd):
    assert wd(due) == due_wd
    end = working_days_after(D(requested), DeadlineSettings().review_working_days, CAL)
    assert end.due == end.nominal == D(due) and not end.moved
