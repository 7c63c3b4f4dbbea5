"""Lifecycle use cases against real databases: every move, its timeline event, its refusals."""
from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import select

from mediator.domain.enums import (
    AgreementForm,
    ConfirmationResult,
    FollowUpMethod,
    Level,
    PerformanceResult,
    Satisfaction,
    SessionKind,
    Track,
    TrackDetail,
)
from mediator.domain.errors import ConflictError, TransitionError, ValidationError, ValidationErrors
from mediator.services.cases import lifecycle as uc
from mediator.services.cases.corrections import update_case_info
from mediator.services.cases.read import case_detail
from mediator.services.context import ServiceContext
from mediator.store.models import Case
from tests.helpers import LAND_OFFICE, VILLAGE_COMMITTEE, add_mediator, agreement_input, case_input

D = date


def _deadline(detail, kind, leg=None):
    found = [d for d in detail.deadlines if d.kind == kind]
    assert found, f"no {kind} deadline"
    return found[-1]


def test_a_case_walks_from_registration_to_archive(county, mediating):
    uc.record_session(county, mediating, uc.SessionInput(D(2026, 10, 18), SessionKind.MEDIATION,
                                                         "城关镇人民调解室", "双方当事人", "释法说理。"))
    uc.conclude_agreement(county, mediating, agreement_input(D(2026, 10, 20)))
    uc.record_performance(county, mediating, PerformanceResult.FULL, "已当面付清", D(2026, 11, 10))
    uc.record_follow_up(county, mediating, uc.FollowUpInput(D(2026, 11, 20), FollowUpMethod.PHONE,
                                                            PerformanceResult.FULL, Satisfaction.SATISFIED))
    uc.archive_case(county, mediating, D(2026, 11, 25), reason="身份证明与告知书为纸质存档")
    detail = case_detail(county, mediating)
    assert detail.status == "archived"
    assert [e.action for e in detail.timeline] == [
        "register", "accept", "start", "record_session", "agree", "perform", "follow_up", "archive"]
    assert detail.agreement.copies == 3  # two parties + the committee
    assert all(d.state in ("met", "void") for d in detail.deadlines)
    handling = _deadline(detail, "handling")
    assert handling.due == date(2026, 11, 16) and handling.state == "met"


def test_a_forbidden_move_is_refused_in_chinese_and_changes_nothing(county):
    case_id = uc.register_case(county, case_input()).id
    with pytest.raises(TransitionError) as info:
        uc.start_mediation(county, case_id, D(2026, 10, 15))
    assert "待受理" in str(info.value) and "开始调解" in str(info.value)
    detail = case_detail(county, case_id)
    assert detail.status == "registered" and len(detail.timeline) == 1


def test_a_move_dated_before_the_previous_step_is_refused(county, mediating):
    with pytest.raises(ValidationError) as info:
        uc.fail_mediation(county, mediating, "双方分歧过大", D(2026, 10, 15))
    assert info.value.path == "on"


def test_rejection_needs_a_reason_and_voids_the_clocks(county):
    case_id = uc.register_case(county, case_input()).id
    with pytest.raises(ValidationError):
        uc.reject_case(county, case_id, " ")
    uc.reject_case(county, case_id, "一方当事人明确拒绝调解", D(2026, 10, 15))
    detail = case_detail(county, case_id)
    assert detail.status == "rejected"
    assert all(d.state != "open" for d in detail.deadlines)


def test_withdrawal_and_failure_end_the_mediation(county, mediating):
    other = uc.register_case(county, case_input()).id
    uc.accept_case(county, other, D(2026, 10, 15))
    uc.start_mediation(county, other, D(2026, 10, 15))
    uc.withdraw_case(county, mediating, "申请人撤回", D(2026, 10, 20))
    uc.fail_mediation(county, other, "双方分歧过大", D(2026, 10, 21))
    assert case_detail(county, mediating).status == "withdrawn"
    assert case_detail(county, other).status == "failed"
    uc.archive_case(county, other, D(2026, 10, 22), reason="未记录调解过程")
    assert case_detail(county, other).status == "archived"


def test_partial_performance_keeps_the_case_agreed_and_flags_supervision(county, mediating):
    uc.conclude_agreement(county, mediating, agreement_input(D(2026, 10, 20)))
    uc.record_performance(county, mediating, PerformanceResult.PARTIAL, "付了一半", D(2026, 11, 16))
    detail = case_detail(county, mediating)
    assert detail.status == "agreed" and detail.needs_supervision is True
    uc.record_performance(county, mediating, PerformanceResult.FULL, "余款付清", D(2026, 11, 20))
    detail = case_detail(county, mediating)
    assert detail.status == "performed" and detail.needs_supervision is False


def test_oral_agreement_has_no_judicial_confirmation_window(county, mediating):
    uc.conclude_agreement(county, mediating, agreement_input(
        D(2026, 10, 20), form=AgreementForm.ORAL, deadline=None, items=["当场道歉"]))
    kinds = {d.kind for d in case_detail(county, mediating).deadlines}
    assert "judicial_confirmation" not in kinds and "follow_up" in kinds


def test_judicial_confirmation_closes_its_window(county, mediating):
    uc.conclude_agreement(county, mediating, agreement_input(D(2026, 10, 20)))
    uc.record_judicial_confirmation(county, mediating, applied_on=D(2026, 10, 30), court="示范县人民法院",
                                    result=ConfirmationResult.CONFIRMED, ruled_on=D(2026, 11, 5))
    detail = case_detail(county, mediating)
    window = _deadline(detail, "judicial_confirmation")
    assert window.due == date(2026, 11, 19) and window.state == "met"
    assert detail.judicial_confirmation.result == "confirmed"


def test_transfer_keeps_the_history_and_registers_at_the_receiver(county, mediating):
    old_number = case_detail(county, mediating).number
    receiver = add_mediator(county, "孙立平")
    uc.transfer_case(county, mediating, to_track=Track.ADMINISTRATIVE, to_organization=LAND_OFFICE,
                     to_track_detail=TrackDetail.LAND, reason="涉及林权确权", on=D(2026, 10, 20),
                     mediators=[receiver])
    detail = case_detail(county, mediating)
    assert detail.mediators == ("孙立平",)
    assert detail.status == "registered" and detail.track == "administrative"
    assert detail.organization == LAND_OFFICE
    assert detail.number == "（2026）城关资行调字第1号"
    assert [e.action for e in detail.timeline][-2:] == ["transfer", "reassign"]
    assert old_number in detail.timeline[-2].note
    assert detail.timeline[-1].note == f"调解员由李建国更换为孙立平：随案移送至{LAND_OFFICE}"
    handling = [d for d in detail.deadlines if d.kind == "handling"]
    assert [d.state for d in handling] == ["void"]
    uc.accept_case(county, mediating, D(2026, 10, 22))
    handling = [d for d in case_detail(county, mediating).deadlines if d.kind == "handling"]
    # 30 days from acceptance end on Saturday 2026-11-21, moved to Monday; overdue on 11-29.
    assert handling[-1].due == date(2026, 11, 23) and handling[-1].state == "overdue"


def test_transfer_to_an_unknown_organisation_is_refused(county, mediating):
    with pytest.raises(ValidationError) as info:
        uc.transfer_case(county, mediating, to_track=Track.PEOPLE, to_organization="不存在的调委会",
                         reason="测试", on=D(2026, 10, 20))
    assert info.value.path == "to_organization"
    assert case_detail(county, mediating).status == "mediating"


def test_escalation_and_hand_down_move_the_level(county, mediating):
    uc.escalate_case(county, mediating, Level.TOWNSHIP, "村级调解难度大", D(2026, 10, 20))
    assert case_detail(county, mediating).level == "township"
    with pytest.raises(ValidationError):
        uc.escalate_case(county, mediating, Level.VILLAGE, "方向错误", D(2026, 10, 21))
    uc.hand_down_case(county, mediating, Level.VILLAGE, "交村调委会就地化解", D(2026, 10, 21))
    detail = case_detail(county, mediating)
    assert detail.level == "village"
    escalations = sorted((d for d in detail.deadlines if d.kind == "escalation"),
                         key=lambda d: d.start)
    # village (met by the escalation), township (met by the hand-down), village again: 10 days
    # from 10-21 end on Saturday 10-31, moved to Monday 11-02, overdue on 11-29.
    assert [(d.start.isoformat(), d.due.isoformat(), d.state) for d in escalations] == [
        ("2026-10-14", "2026-10-26", "met"), ("2026-10-20", "2026-11-19", "met"),
        ("2026-10-21", "2026-11-02", "overdue")]


def test_pre_litigation_mediation_may_be_extended_once_by_thirty_days_at_most(county):
    case_id = uc.register_case(county, case_input(track=Track.JUDICIAL, track_detail=TrackDetail.PRE_LITIGATION)).id
    uc.accept_case(county, case_id, D(2026, 10, 15))
    with pytest.raises(ValidationError):
        uc.extend_handling(county, case_id, D(2026, 12, 31), "当事人申请", True, D(2026, 11, 1))
    with pytest.raises(ValidationError):
        uc.extend_handling(county, case_id, D(2026, 12, 1), "当事人申请", False, D(2026, 11, 1))
    uc.extend_handling(county, case_id, D(2026, 12, 10), "当事人申请，法院同意", True, D(2026, 11, 1))
    handling = _deadline(case_detail(county, case_id), "handling")
    assert handling.due == date(2026, 12, 10) and "2026-11-16" in handling.basis
    with pytest.raises(ValidationError):
        uc.extend_handling(county, case_id, D(2026, 12, 15), "再次申请", True, D(2026, 11, 2))


def test_medical_appraisal_pause_stops_the_handling_clock(county):
    case_id = uc.register_case(county, case_input(track=Track.ADMINISTRATIVE, track_detail=TrackDetail.MEDICAL,
                                                  organization=LAND_OFFICE, mediators=[])).id
    uc.accept_case(county, case_id, D(2026, 10, 15))
    before = _deadline(case_detail(county, case_id), "handling").due
    uc.pause_clock(county, case_id, "医疗损害鉴定", D(2026, 10, 20))
    with pytest.raises(ValidationError):
        uc.pause_clock(county, case_id, "重复中止", D(2026, 10, 21))
    uc.resume_clock(county, case_id, "鉴定意见送达", D(2026, 10, 30))
    after = _deadline(case_detail(county, case_id), "handling").due
    assert before == date(2026, 11, 26)  # 30 working days after 2026-10-15
    assert after == date(2026, 12, 8)  # the eight working days 10-21…10-30 of appraisal do not count


def test_a_stale_edit_gets_a_conflict_and_the_first_edit_survives(county, mediating):
    version = case_detail(county, mediating).version
    other_user = ServiceContext(county.db, actor="第二位调解员", clock=county.clock)
    update_case_info(county, mediating, version, summary="第一位调解员的修改")
    with pytest.raises(ConflictError) as info:
        update_case_info(other_user, mediating, version, summary="第二位调解员的修改")
    assert "刷新" in str(info.value)
    detail = case_detail(county, mediating)
    assert detail.summary == "第一位调解员的修改" and detail.version == version + 1


def test_a_stale_lifecycle_move_gets_a_conflict(county, mediating):
    version = case_detail(county, mediating).version
    uc.record_session(county, mediating, uc.SessionInput(D(2026, 10, 18), SessionKind.INVESTIGATION,
                                                         record="走访邻居"))
    with pytest.raises(ConflictError):
        uc.fail_mediation(county, mediating, "分歧大", D(2026, 10, 20), expected_version=version)
    assert case_detail(county, mediating).status == "mediating"


def test_an_incomplete_agreement_is_refused_whole(county, mediating):
    with pytest.raises(ValidationErrors) as info:
        uc.conclude_agreement(county, mediating, agreement_input(D(2026, 10, 20), items=[], amount_yuan="-1"))
    paths = {e.path for e in info.value.errors}
    assert {"agreement.items", "agreement.amount_yuan"} <= paths
    with county.read() as s:
        assert s.exec(select(Case.status).where(Case.id == mediating)).one() == "mediating"


def test_cases_of_a_village_committee_number_with_its_short_name(county):
    case_id = uc.register_case(county, case_input(organization=VILLAGE_COMMITTEE, mediators=["张满仓"])).id
    assert case_detail(county, case_id).number == "（2026）东关人调字第1号"
