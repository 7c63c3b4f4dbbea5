"""The case services called with wrong Python types in their inputs (a str for a date, a dict for a
name, a float for a count…): accepted, or refused with a Chinese message at the field; never a
TypeError or AttributeError from deep inside a rule. Nothing is kept: each call is rolled back."""
from __future__ import annotations

import dataclasses
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mediator.domain.enums import AdvisorKind, FollowUpMethod, SessionKind
from mediator.domain.errors import NotFoundError, ValidationError, ValidationErrors
from mediator.services.advisors.appointments import AppointmentInput, add_appointment
from mediator.services.advisors.roster import AdvisorInput, add_advisor
from mediator.services.cases import lifecycle as uc
from mediator.services.cases.corrections import add_party
from mediator.services.cases.drafts import DraftInput, save_draft_agreement
from mediator.services.cases.inputs import (
    AgentInput,
    AgreementInput,
    CaseInput,
    FollowUpInput,
    PartyInput,
    SessionInput,
    SupplementInput,
)
from mediator.services.cases.read import case_detail
from mediator.services.context import Clock, ServiceContext
from mediator.services.grid.intake import GridReportInput, report_event
from mediator.services.input_types import LABELS
from tests.bad_input import refusal
from tests.conftest import FIXED_NOW
from tests.helpers import DONGGUAN, agreement_input, applicant, case_input, respondent, seed_county
from tests.templates import migrated_sqlite

WRONG = ["3", None, {"a": 1}, ["x"], True, 1.5, Decimal("2"), "2026-06-01", "长" * 10_000, 7,
         date(2026, 6, 1)]


@pytest.fixture(scope="module")
def county(tmp_path_factory):
    """The sample county with a case in mediation and an agreed one (SQLite, shared by the module)."""
    db = migrated_sqlite(tmp_path_factory.mktemp("types") / "types.db")
    ctx = ServiceContext(db, actor="测试员", clock=Clock(fixed=FIXED_NOW))
    seed_county(ctx)
    ids = []
    for agreed in (False, True):
        case_id = uc.register_case(ctx, case_input()).id
        uc.accept_case(ctx, case_id, date(2026, 10, 15))
        uc.start_mediation(ctx, case_id, date(2026, 10, 16))
        if agreed:
            uc.conclude_agreement(ctx, case_id, agreement_input(date(2026, 10, 20)), date(2026, 10, 20))
        ids.append(case_id)
    ids.append(add_advisor(ctx, AdvisorInput(name="赵律", kind=AdvisorKind.LAWYER)).id)
    yield ctx, ids[0], ids[1], ids[2]
    db.dispose()


class _Rollback(Exception):
    pass


def _outcome(ctx: ServiceContext, call) -> dict[str, str]:
    """{} when the call was accepted (and undone), else its refusal path → message."""
    try:
        with ctx.transaction():
            call()
            raise _Rollback
    except _Rollback:
        return {}
    except (ValidationErrors, ValidationError) as e:
        return refusal(e)
    except NotFoundError as e:  # a well-typed id of nothing
        assert "不存在" in e.message
        return {"": e.message}


def _calls(ctx: ServiceContext, mediating: int, agreed: int, advisor: int):
    """For each input type: (a valid input, how to call its service with it, its path prefix)."""
    version = case_detail(ctx, mediating).version
    agreed_version = case_detail(ctx, agreed).version
    return {
        "CaseInput": (case_input(), lambda d: uc.register_case(ctx, d), ""),
        "PartyInput": (applicant(), lambda d: uc.register_case(ctx, case_input(parties=[d, respondent()])),
                       "parties[0]."),
        "AgentInput": (AgentInput(name="周小军", relation="儿子"),
                       lambda d: uc.register_case(ctx, case_input(parties=[applicant(agent=d), respondent()])),
                       "parties[0].agent."),
        "AgreementInput": (agreement_input(date(2026, 10, 20)),
                           lambda d: uc.conclude_agreement(ctx, mediating, d, date(2026, 10, 20),
                                                           expected_version=version), "agreement."),
        "SessionInput": (SessionInput(on=date(2026, 10, 17), kind=SessionKind.MEDIATION, record="经过"),
                         lambda d: uc.record_session(ctx, mediating, d, expected_version=version), ""),
        "FollowUpInput": (FollowUpInput(on=date(2026, 10, 25), method=FollowUpMethod.PHONE),
                          lambda d: uc.record_follow_up(ctx, agreed, d, expected_version=agreed_version), ""),
        "DraftInput": (DraftInput(items=["被申请人赔偿八千元。"]),
                       lambda d: save_draft_agreement(ctx, mediating, d, version), "agreement."),
        "added PartyInput": (applicant(name="杨小红", id_number=None, phone=None),
                             lambda d: add_party(ctx, mediating, d, expected_version=version), "party."),
        "AdvisorInput": (AdvisorInput(name="钱律", kind=AdvisorKind.LAWYER, firm="明德律师事务所"),
                         lambda d: add_advisor(ctx, d), ""),
        "AppointmentInput": (AppointmentInput(advisor, "419901100001", date(2026, 1, 1), date(2026, 12, 31)),
                             lambda d: add_appointment(ctx, d), ""),
        "GridReportInput": (GridReportInput(parties="张三、李四", place="东关村口", summary="两家争执。",
                                            village_code=DONGGUAN, grid="一网格"),
                            lambda d: report_event(ctx, d), ""),
    }


def _with(data, name: str, value):
    return dataclasses.replace(data, **{name: value})


@pytest.mark.parametrize("kind", ["CaseInput", "PartyInput", "AgentInput", "AgreementInput", "SessionInput",
                                  "FollowUpInput", "DraftInput", "added PartyInput", "AdvisorInput",
                                  "AppointmentInput", "GridReportInput"])
def test_every_field_with_every_wrong_type_is_accepted_or_named(county, kind):
    ctx, *ids = county
    data, call, prefix = _calls(ctx, *ids)[kind]
    assert _outcome(ctx, lambda: call(data)) == {}
    for field in dataclasses.fields(data):
        for wrong in WRONG:
            changed = _with(data, field.name, wrong)
            faults = _outcome(ctx, lambda: call(changed))  # noqa: B023 - called at once
            if faults:
                path, label = prefix + field.name, LABELS[type(data).__name__][field.name]
                assert any(p == path or p.startswith((path + ".", path + "[")) or label in m or p == ""
                           for p, m in faults.items()), (field.name, wrong, faults)


def test_a_string_date_and_a_dict_name_are_named_in_chinese(county):
    ctx = county[0]
    faults = _outcome(ctx, lambda: uc.register_case(ctx, case_input(
        received_on="2026-10-14", parties=[applicant(name={"a": 1}), respondent()], people_involved=2.0)))
    assert faults == {"received_on": "收案日期应为日期", "parties[0].name": "当事人姓名（名称）应为文字",
                      "people_involved": "涉及人数应为整数"}


def test_every_input_field_has_a_chinese_label():
    classes = {c.__name__: c for c in (CaseInput, PartyInput, AgentInput, AgreementInput, SessionInput,
                                        FollowUpInput, SupplementInput, DraftInput, AdvisorInput,
                                        AppointmentInput, GridReportInput)}
    assert set(LABELS) == set(classes)
    for name, labels in LABELS.items():
        cls = classes[name]
        assert {f.name for f in dataclasses.fields(cls)} == set(labels), name


VALUES = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.decimals(), st.text(max_size=20),
                   st.dates(), st.lists(st.integers(), max_size=2), st.just("长" * 10_000),
                   st.dictionaries(st.text(max_size=3), st.integers(), max_size=2))


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(kind=st.sampled_from(["CaseInput", "PartyInput", "AgentInput", "SessionInput", "AgreementInput",
                              "AdvisorInput", "GridReportInput", "AppointmentInput"]),
       data=st.data())
def test_fuzzed_inputs_are_accepted_or_refused_by_name(county, kind, data):
    ctx, *ids = county
    valid, call, _ = _calls(ctx, *ids)[kind]
    names = data.draw(st.lists(st.sampled_from([f.name for f in dataclasses.fields(valid)]),
                               min_size=1, max_size=3, unique=True))
    changed = dataclasses.replace(valid, **{n: data.draw(VALUES) for n in names})
    faults = _outcome(ctx, lambda: call(changed))
    assert all(p or "不存在" in m for p, m in faults.items()), faults
