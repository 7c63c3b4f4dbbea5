"""Reminders on real databases: what is due, complete/snooze/dismiss, closing by itself, no next step,
notifications that fire once, and recomputing deadlines when settings or holidays change."""
from __future__ import annotations

from datetime import date, datetime, time

import pytest
from sqlmodel import select

from mediator.domain.calendar import HolidayCalendar
from mediator.domain.enums import AgreementForm, DeadlineKind, FollowUpMethod, Level
from mediator.domain.errors import ConflictError, NotFoundError, ValidationError
from mediator.services.advisors.deadlines import VillageDeadline
from mediator.services.cases import lifecycle as uc
from mediator.services.cases.deadline_settings import (
    HolidayEntry,
    apply_deadline_settings,
    calendar_entries,
    calendar_from_entries,
    change_holidays,
    load_calendar,
    recompute_all_deadlines,
    recompute_if_changed,
)
from mediator.services.cases.inputs import FollowUpInput
from mediator.services.cases.read import case_detail
from mediator.services.context import SHANGHAI
from mediator.services.places.choices import mediators, places
from mediator.services.reminders import due as rem
from mediator.services.reminders import sources as reminder_sources
from mediator.services.reminders.notices import fire_at, take_notice
from mediator.store.models import Advisor, AdvisorReview, Reminder
from tests.conftest import FIXED_NOW
from tests.helpers import DONGGUAN, agreement_input, case_input, seed_county

D = date


@pytest.fixture
def county(ctx, monkeypatch):
    """The sample county; the village-level advisor deadlines are left out (tested on their own)."""
    seed_county(ctx)
    monkeypatch.setattr(reminder_sources, "advisor_deadlines", lambda _ctx, _on: [])
    return ctx


def mediating_case(ctx, **overrides) -> int:
    case_id = uc.register_case(ctx, case_input(**overrides)).id  # received Wed 2026-10-14
    uc.accept_case(ctx, case_id, D(2026, 10, 15))
    uc.start_mediation(ctx, case_id, D(2026, 10, 15))
    return case_id


THURSDAY = D(2026, 10, 15)


def agreed_case(ctx, signed: date = THURSDAY, **agreement) -> int:
    case_id = mediating_case(ctx)
    uc.conclude_agreement(ctx, case_id, agreement_input(signed, **agreement))
    return case_id


def kinds(items) -> list[str]:
    return [i.kind for i in items]


def item_of(items, kind: str) -> rem.DueItem:
    found = [i for i in items if i.kind == kind]
    assert len(found) == 1, found
    return found[0]


def row_of(ctx, key: str) -> Reminder:
    with ctx.read() as session:
        return session.exec(select(Reminder).where(Reminder.key == key)).one()


# --- what is due ------------------------------------------------------------------------------


def test_written_agreement_signed_on_a_thursday_has_its_confirmation_window_end_on_monday(county):
    # 《人民调解法》 Art. 33 + 《民法典》 Art. 203: Thu 10-15 + 30 days = Sat 11-14 → Mon 11-16.
    assert D(2026, 10, 15).weekday() == 3
    agreed_case(county)
    item = item_of(rem.due_items(county, D(2026, 11, 12)), "judicial_confirmation")
    assert (item.nominal, item.due) == (D(2026, 11, 14), D(2026, 11, 16))
    assert item.due.weekday() == 0 and item.moved
    assert item.moved_reason == "期限届满日2026年11月14日为星期六，顺延至2026年11月16日"
    assert item.moved_note == "11月14日为星期六，顺延"
    assert item.days_left == 4 and item.bucket == "later" and item.state == "pending"
    assert item.case_number and item.parties == "刘桂兰、杨国强"
    assert item.village == "东关村" and item.mediators == "李建国"
    assert item.as_json()["kind"] == "judicial_confirmation"


def test_due_now_is_overdue_due_today_and_due_within_the_warning_days(county):
    agreed_case(county)  # performance Sun 11-15 (as the parties fixed it), confirmation Mon 11-16
    assert kinds(rem.due_now(county, D(2026, 11, 12))) == ["performance"]
    assert kinds(rem.due_now(county, D(2026, 11, 13))) == ["performance", "judicial_confirmation"]
    on_16 = rem.due_now(county, D(2026, 11, 16))
    assert [(i.kind, i.bucket, i.days_text) for i in on_16] == [
        ("performance", "overdue", "逾期1天"), ("judicial_confirmation", "today", "今天到期")]
    assert rem.count_due(on_16) == rem.DueCounts(overdue=1, today=1, soon=0)
    apply_deadline_settings(county, {"deadlines.warn_days": 0})
    assert kinds(rem.due_now(county, D(2026, 11, 13))) == []


def test_the_lists_filter_by_kind_mediator_and_village(county):
    agreed_case(county)
    on = D(2026, 11, 29)
    assert kinds(rem.due_items(county, on, kinds=["follow_up"])) == ["follow_up"]
    ids = {m.name: m.id for m in mediators(county)}
    assert len(rem.due_items(county, on, mediator_id=ids["李建国"])) == 3
    other = next(i for n, i in ids.items() if n != "李建国")
    assert rem.due_items(county, on, mediator_id=other) == []
    villages = {v.code: v.id for v in places(county, "village")}
    assert len(rem.due_items(county, on, village_id=villages[DONGGUAN])) == 3
    other_village = next(i for c, i in villages.items() if c != DONGGUAN)
    assert rem.due_items(county, on, village_id=other_village) == []


# --- reminders as rows ------------------------------------------------------------------------


def test_sync_keeps_one_pending_row_per_open_deadline(county):
    agreed_case(county)
    first = rem.sync_reminders(county)
    assert (first.created, first.closed) == (3, 0)
    assert not rem.sync_reminders(county).changed
    with county.read() as session:
        rows = list(session.exec(select(Reminder).order_by(Reminder.due)))
    assert [(r.kind, r.state, r.due) for r in rows] == [
        ("performance", "pending", D(2026, 11, 15)), ("judicial_confirmation", "pending", D(2026, 11, 16)),
        ("follow_up", "pending", D(2026, 11, 23))]


def test_recording_the_follow_up_closes_its_reminder_by_itself(county):
    case_id = agreed_case(county)
    rem.sync_reminders(county)
    uc.record_follow_up(county, case_id, FollowUpInput(D(2026, 11, 20), FollowUpMethod.PHONE))
    # The lists follow the deadline at once, before any sync.
    assert "follow_up" not in kinds(rem.due_items(county, D(2026, 11, 29)))
    result = rem.sync_reminders(county)
    assert result.closed == 1
    row = row_of(county, f"case:{case_id}:follow_up:0")
    assert row.state == "done" and row.dismissed_reason == rem.AUTO_CLOSED and row.closed_at is not None


def test_complete_takes_the_reminder_off_while_the_deadline_stays_open(county):
    case_id = agreed_case(county)
    item = item_of(rem.due_items(county, D(2026, 11, 29)), "judicial_confirmation")
    assert item.reminder_id is None  # no row yet: completing creates it
    assert rem.complete_reminder(county, item.key).reminders
    assert "judicial_confirmation" not in kinds(rem.due_items(county, D(2026, 11, 29)))
    assert not rem.sync_reminders(county).reopened
    assert row_of(county, item.key).state == "done"
    confirmation = [d for d in case_detail(county, case_id).deadlines
                    if d.kind == "judicial_confirmation"]
    assert confirmation[0].state == "overdue"


def test_snooze_hides_the_reminder_until_the_chosen_day(county):
    agreed_case(county)
    item = item_of(rem.due_items(county, D(2026, 11, 29)), "follow_up")
    with pytest.raises(ValidationError) as info:
        rem.snooze_reminder(county, item.key, D(2026, 11, 29))
    assert info.value.path == "until" and "晚于今天" in info.value.message
    rem.snooze_reminder(county, item.key, D(2026, 12, 2))
    assert "follow_up" not in kinds(rem.due_items(county, D(2026, 12, 1)))
    back = item_of(rem.due_items(county, D(2026, 12, 2)), "follow_up")
    assert back.state == "snoozed" and back.snoozed_until == D(2026, 12, 2)
    assert row_of(county, item.key).state == "snoozed"


def test_dismiss_needs_a_reason_and_keeps_it(county):
    agreed_case(county)
    item = item_of(rem.due_items(county, D(2026, 11, 29)), "performance")
    with pytest.raises(ValidationError) as info:
        rem.dismiss_reminder(county, item.key, "  ")
    assert info.value.path == "reason"
    rem.dismiss_reminder(county, item.key, "当事人已当面履行，补录中")
    row = row_of(county, item.key)
    assert row.state == "dismissed" and row.dismissed_reason == "当事人已当面履行，补录中"
    assert "performance" not in kinds(rem.due_items(county, D(2026, 11, 29)))


def test_an_extended_deadline_brings_a_dismissed_reminder_back(county):
    case_id = mediating_case(county)
    handling = item_of(rem.due_items(county, D(2026, 11, 29)), "handling")
    assert handling.due == D(2026, 11, 16)  # one month from Thu 10-15 = Sun 11-15 → Mon 11-16
    rem.dismiss_reminder(county, handling.key, "已与当事人商定延期")
    uc.extend_handling(county, case_id, D(2026, 12, 10), "当事人同意延期", True, D(2026, 11, 10))
    again = item_of(rem.due_items(county, D(2026, 11, 29)), "handling")
    assert again.due == D(2026, 12, 10) and again.key == handling.key
    assert rem.sync_reminders(county).reopened == 1
    assert row_of(county, handling.key).state == "pending"


def test_a_stale_version_or_a_finished_deadline_is_refused(county):
    case_id = agreed_case(county)
    rem.sync_reminders(county)
    key = f"case:{case_id}:performance:0"
    with pytest.raises(ConflictError):
        rem.complete_reminder(county, key, expected_version=row_of(county, key).version + 1)
    with pytest.raises(NotFoundError):
        rem.complete_reminder(county, "case:999999:handling:0")


def test_pending_advisor_reviews_are_reminders_until_reviewed(county):
    case_id = mediating_case(county)
    with county.transaction() as session:
        advisor = Advisor(name="陈立新", kind="lawyer")
        session.add(advisor)
        session.flush()
        review = AdvisorReview(case_id=case_id, advisor_id=advisor.id, requested_on=D(2026, 11, 25),
                               requested_by="测试员", due=D(2026, 11, 30))
        session.add(review)
        session.flush()
        review_id = review.id
    item = item_of(rem.due_items(county, D(2026, 11, 29)), "review")
    assert item.key == f"review:{review_id}" and item.due == D(2026, 11, 30)
    assert "陈立新" in item.target
    rem.sync_reminders(county)
    with county.transaction() as session:
        session.get(AdvisorReview, review_id).result = "approved"
    assert "review" not in kinds(rem.due_items(county, D(2026, 11, 29)))
    assert rem.sync_reminders(county).closed == 1


def test_village_deadlines_of_the_advisors_service_are_reminders_too(county, monkeypatch):
    village = next(v for v in places(county, "village") if v.code == DONGGUAN)
    monkeypatch.setattr(reminder_sources, "advisor_deadlines", lambda _ctx, _on: [
        VillageDeadline(DeadlineKind.ADVISOR_VISIT, D(2026, 11, 30), "东关村：本月到村服务0次", DONGGUAN,
                        "陈立新", f"advisor_visit:{DONGGUAN}:2026-11"),
    ])
    items = rem.due_items(county, D(2026, 11, 29))
    visit = item_of(items, "advisor_visit")
    assert visit.village_id == village.id and visit.village == "东关村" and visit.case_id is None
    assert "review" not in kinds(items)
    assert rem.due_items(county, D(2026, 11, 29), village_id=village.id) == [visit]
    assert rem.sync_reminders(county).created == 1
    rem.snooze_reminder(county, visit.key, D(2026, 11, 30))
    assert "advisor_visit" not in kinds(rem.due_items(county, D(2026, 11, 29)))


def test_the_advisors_feature_supplies_the_monthly_visit_of_each_served_village(ctx):
    seed_county(ctx)  # 陈立新 serves 东关村
    visits = [i for i in rem.due_items(ctx, D(2026, 11, 29)) if i.kind == "advisor_visit"]
    assert visits and {i.village for i in visits} == {"东关村"}
    assert D(2026, 11, 30) in {i.due for i in visits}  # this month's on-site service


# --- 无下一步 -----------------------------------------------------------------------------------


def test_an_open_case_with_no_deadline_and_no_reminder_has_no_next_step(county):
    # A county-level case not yet accepted has no handling clock and no escalation clock.
    stalled = uc.register_case(county, case_input(level=Level.COUNTY)).id
    busy = mediating_case(county)
    rows = rem.cases_without_next_step(county, D(2026, 11, 29))
    assert [r.case_id for r in rows] == [stalled]
    assert rows[0].status_label == "待受理" and rows[0].idle_days == (D(2026, 11, 29) - D(2026, 10, 14)).days
    assert rem.count_without_next_step(county) == 1
    uc.accept_case(county, stalled, D(2026, 10, 20))
    assert rem.count_without_next_step(county) == 0
    assert busy not in [r.case_id for r in rem.cases_without_next_step(county, D(2026, 11, 29))]


def test_an_agreed_case_whose_last_deadline_was_met_has_no_next_step(county):
    case_id = mediating_case(county)
    uc.conclude_agreement(county, case_id, agreement_input(D(2026, 10, 15), form=AgreementForm.ORAL,
                                                           deadline=None))
    assert rem.count_without_next_step(county) == 0  # the follow-up is still to do
    uc.record_follow_up(county, case_id, FollowUpInput(D(2026, 10, 20), FollowUpMethod.VISIT))
    assert [r.case_id for r in rem.cases_without_next_step(county, D(2026, 11, 29))] == [case_id]


# --- notifications ----------------------------------------------------------------------------


def test_a_reminder_fires_once_for_each_user_and_again_when_its_deadline_moves(county):
    case_id = mediating_case(county)  # handling due 11-16, escalation long overdue
    first = take_notice(county, "admin", FIXED_NOW)
    assert sorted(kinds(first.fired)) == ["escalation", "handling"]
    assert take_notice(county, "admin", FIXED_NOW).fired == []
    assert len(take_notice(county, "clerk", FIXED_NOW).fired) == 2
    uc.extend_handling(county, case_id, D(2026, 12, 3), "当事人同意延期", True, D(2026, 11, 10))
    # 12-03 less 3 warning days = 11-30: not yet; at 08:30 on 11-30 it fires again.
    assert take_notice(county, "admin", FIXED_NOW).fired == []
    later = take_notice(county, "admin", datetime(2026, 11, 30, 8, 30, tzinfo=SHANGHAI))
    assert kinds(later.fired) == ["handling"]
    assert take_notice(county, "admin", datetime(2026, 11, 30, 9, 0, tzinfo=SHANGHAI)).fired == []


def test_a_reminder_fires_at_the_daily_time_of_its_day(county):
    agreed_case(county, signed=D(2026, 11, 26), deadline=D(2026, 12, 3))  # performance due Thu 12-03
    item = item_of(rem.due_items(county, D(2026, 11, 29)), "performance")
    assert fire_at(item, 3, time(9, 0)) == datetime(2026, 11, 30, 9, 0, tzinfo=SHANGHAI)
    early = take_notice(county, "admin", datetime(2026, 11, 30, 8, 59, tzinfo=SHANGHAI), daily=time(9, 0))
    assert "performance" not in kinds(early.fired)
    assert early.next_fire == datetime(2026, 11, 30, 9, 0, tzinfo=SHANGHAI)
    on_time = take_notice(county, "admin", datetime(2026, 11, 30, 9, 0, tzinfo=SHANGHAI), daily=time(9, 0))
    assert "performance" in kinds(on_time.fired)


# --- settings and holidays --------------------------------------------------------------------


def test_changing_a_deadline_setting_and_recomputing_moves_the_follow_up(county, tmp_path):
    agreed_case(county)  # follow-up: 7 days after Sun 11-15 = Sun 11-22 → Mon 11-23
    assert recompute_if_changed(county, tmp_path) == 0  # first time: only remembers
    assert item_of(rem.due_items(county, D(2026, 11, 29)), "follow_up").due == D(2026, 11, 23)
    apply_deadline_settings(county, {"deadlines.follow_up_days": 15})
    assert recompute_if_changed(county, tmp_path) == 1
    assert item_of(rem.due_items(county, D(2026, 11, 29)), "follow_up").due == D(2026, 11, 30)
    assert recompute_if_changed(county, tmp_path) == 0


def test_a_new_public_holiday_in_the_office_copy_moves_the_deadline_and_says_why(county, tmp_path):
    agreed_case(county)
    default = HolidayCalendar.default()
    entries = calendar_entries(default) + [HolidayEntry(D(2026, 11, 16), False, "地方纪念日")]
    calendar = calendar_from_entries(entries, default.years)
    assert change_holidays(county, calendar, tmp_path).count == 1
    assert load_calendar(tmp_path) == calendar
    item = item_of(rem.due_items(county, D(2026, 11, 12)), "judicial_confirmation")
    assert item.due == D(2026, 11, 17) and item.nominal == D(2026, 11, 14)
    change_holidays(county, None, tmp_path)  # back to the shipped table
    assert load_calendar(tmp_path) == default
    assert item_of(rem.due_items(county, D(2026, 11, 12)), "judicial_confirmation").due == D(2026, 11, 16)


def test_the_holiday_editor_refuses_a_weekday_workday_and_a_nameless_holiday():
    with pytest.raises(ValidationError) as info:
        calendar_from_entries([HolidayEntry(D(2026, 11, 18), True)], [2026])
    assert "星期六或星期日" in info.value.message
    with pytest.raises(ValidationError) as info:
        calendar_from_entries([HolidayEntry(D(2026, 11, 18), False, " ")], [2026])
    assert "节日名称" in info.value.message


def test_recompute_all_runs_in_batches_and_reports_progress(county):
    for _ in range(3):
        mediating_case(county)
    seen = []
    assert recompute_all_deadlines(county, batch_size=2, progress=lambda d, t: seen.append((d, t))) == 3
    assert seen == [(2, 3), (3, 3)]
