"""Registering cases: validation, numbers, repeat disputes, concurrency."""
from __future__ import annotations

import threading
from datetime import date

import pytest
from sqlmodel import func, select

from mediator.domain.enums import Gender, RiskFlag
from mediator.domain.errors import ValidationErrors
from mediator.services.cases import lifecycle as uc
from mediator.services.cases.read import case_detail
from mediator.services.context import ServiceContext
from mediator.store.models import Case, CaseParty, TimelineEvent
from tests.helpers import applicant, case_input, respondent, seed_county


@pytest.fixture
def county(ctx):
    seed_county(ctx)
    return ctx


def _count(ctx, model) -> int:
    with ctx.read() as s:
        return s.exec(select(func.count()).select_from(model)).one()


def test_registered_case_gets_the_first_number_of_its_office_track_and_year(county):
    case_id = uc.register_case(county, case_input()).id
    detail = case_detail(county, case_id)
    assert detail.number == "（2026）城关人调字第1号"
    assert detail.status == "registered"
    assert [e.action for e in detail.timeline] == ["register"]
    assert detail.timeline[0].actor == "测试员"
    assert {d.kind for d in detail.deadlines} == {"escalation"}


def test_invalid_case_reports_every_field_and_writes_nothing(county):
    bad = case_input(
        amount_yuan="-5",
        village_code="419901100299",
        parties=[applicant(id_number="41990119480315212Y"),
                 respondent(gender=Gender.FEMALE)],
        mediators=["不存在的人"],
    )
    with pytest.raises(ValidationErrors) as info:
        uc.register_case(county, bad)
    paths = {e.path: e.message for e in info.value.errors}
    assert "身份证号" in paths["parties[0].id_number"]
    assert paths["parties[1].gender"] == "性别与身份证号不符"
    assert paths["amount_yuan"] == "涉及金额不能为负数"
    assert "419901100299" in paths["village_code"]
    assert "不存在的人" in paths["mediators[0]"]
    assert _count(county, Case) == 0 and _count(county, CaseParty) == 0


def test_received_date_in_the_future_is_refused(county):
    with pytest.raises(ValidationErrors) as info:
        uc.register_case(county, case_input(received_on=date(2026, 12, 1)))
    assert info.value.errors[0].path == "received_on"


def test_same_id_number_links_the_earlier_case_and_flags_repeat(county):
    first = uc.register_case(county, case_input()).id
    second = uc.register_case(county, case_input(parties=[respondent(), applicant(name="王五", id_number=None,
                                                                                    gender=None, birth_date=None,
                                                                                    phone="13911112222")])).id
    detail = case_detail(county, second)
    assert RiskFlag.REPEAT.value in detail.risk.flags
    assert [c.id for c in detail.earlier_cases] == [first]
    assert "身份证号相同" in detail.earlier_cases[0].reason


def test_same_name_and_phone_links_the_earlier_case(county):
    no_id = dict(id_number=None, gender=None, birth_date=None)
    first = uc.register_case(county, case_input(parties=[applicant(**no_id), respondent(**no_id)])).id
    second = uc.register_case(county, case_input(parties=[applicant(**no_id)])).id
    detail = case_detail(county, second)
    assert [c.id for c in detail.earlier_cases] == [first]
    assert "姓名和电话相同" in detail.earlier_cases[0].reason


def test_unrelated_case_is_not_flagged_repeat(county):
    uc.register_case(county, case_input())
    other = uc.register_case(county, case_input(parties=[
        applicant(name="何长林", id_number="419901196012014117", gender=Gender.MALE,
                  birth_date=date(1960, 12, 1), phone="13700000003")])).id
    assert case_detail(county, other).risk.flags == ()


def test_a_refused_registration_does_not_use_up_a_number(county):
    uc.register_case(county, case_input())
    with pytest.raises(ValidationErrors):
        uc.register_case(county, case_input(amount_yuan="1.234"))
    third = uc.register_case(county, case_input()).id
    assert case_detail(county, third).number == "（2026）城关人调字第2号"


def test_numbers_count_separately_per_track_and_year(county):
    uc.register_case(county, case_input())
    last_year = uc.register_case(county, case_input(received_on=date(2025, 12, 30))).id
    assert case_detail(county, last_year).number == "（2025）城关人调字第1号"


def test_parallel_registrations_get_distinct_gap_free_numbers(county):
    threads, errors = [], []

    def register_many() -> None:
        own = ServiceContext(county.db, actor="并发", clock=county.clock)
        try:
            for _ in range(8):
                uc.register_case(own, case_input())
        except Exception as exc:
            errors.append(exc)

    for _ in range(3):
        threads.append(threading.Thread(target=register_many))
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with county.read() as s:
        seqs = sorted(s.exec(select(Case.number_seq)).all())
    assert seqs == list(range(1, 25))


def test_register_event_records_the_acting_user(county):
    case_id = uc.register_case(county, case_input()).id
    with county.read() as s:
        event = s.exec(select(TimelineEvent).where(TimelineEvent.case_id == case_id)).one()
    assert event.actor == "测试员" and event.data["number"] == "（2026）城关人调字第1号"
