"""Who handles a case: 更换调解员, 移送 with the receiver's mediators, 回避, and the conflict check."""
from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import select

from mediator.domain.enums import SessionKind, Track, TrackDetail
from mediator.domain.errors import ConflictError, PermissionDenied, ValidationError, ValidationErrors
from mediator.domain.permissions import Role
from mediator.services.cases import lifecycle as uc
from mediator.services.cases.conflicts import AssignmentConflicts, surname_of
from mediator.services.cases.handlers import (
    assignment_conflicts,
    case_handlers,
    reassign_mediators,
    recuse_mediator,
)
from mediator.services.cases.read import case_detail
from mediator.services.context import ServiceContext
from mediator.services.handover import HandoverOrder, hand_over
from mediator.services.safety.auth import authenticate, create_user
from mediator.store.models import AuditEntry, Case, CaseMediator, Mediator, Region, User
from tests.helpers import (
    DONGGUAN,
    LAND_OFFICE,
    TOWNSHIP_COMMITTEE,
    VILLAGE_COMMITTEE,
    add_mediator,
    applicant,
    case_input,
    respondent,
)

D = date
PASSWORD = "mima2026x"


def _id(ctx: ServiceContext, name: str) -> int:
    with ctx.read() as session:
        return session.exec(select(Mediator.id).where(Mediator.name == name)).one()


def _village(ctx: ServiceContext, code: str = DONGGUAN) -> int:
    with ctx.read() as session:
        return session.exec(select(Region.id).where(Region.code == code)).one()


def _version(ctx: ServiceContext, case_id: int) -> int:
    return case_detail(ctx, case_id).version


def _audits(ctx: ServiceContext, action: str) -> list[AuditEntry]:
    with ctx.read() as session:
        return list(session.exec(select(AuditEntry).where(AuditEntry.action == action)))


def _assigned(ctx: ServiceContext) -> list:
    with ctx.read() as session:
        return sorted((r.case_id, r.mediator_id, r.seq) for r in session.exec(select(CaseMediator)))


# --- 更换调解员 -------------------------------------------------------------------------------------

def test_reassign_replaces_the_mediators_writes_the_timeline_and_audits(county, mediating):
    zhao = add_mediator(county, "赵敏", TOWNSHIP_COMMITTEE)
    version = _version(county, mediating)
    changes = reassign_mediators(county, mediating, [_id(county, "王秀英"), zhao], "李建国借调县局",
                                    expected_version=version)
    assert changes.case_ids == (mediating,)
    detail = case_detail(county, mediating)
    assert detail.mediators == ("王秀英", "赵敏")
    assert detail.version == version + 1 and detail.status == "mediating"
    event = detail.timeline[-1]
    assert (event.action, event.label, event.actor) == ("reassign", "更换调解员", "测试员")
    assert event.note == "调解员由李建国更换为王秀英、赵敏：李建国借调县局"
    assert event.from_status == event.to_status == "mediating"
    [entry] = _audits(county, "case.reassign")
    assert entry.target == detail.number
    # The lifecycle goes on from where it was (a record, not a move).
    uc.record_session(county, mediating, uc.SessionInput(D(2026, 10, 18), SessionKind.MEDIATION,
                                                         "调解室", "双方", "释法说理。"))
    handlers = case_handlers(county, mediating)
    assert [m.name for m in handlers.current] == ["王秀英", "赵敏"]
    assert "李建国" in [m.name for m in handlers.mediators if not m.current]


def test_reassign_refusals_name_the_field_and_change_nothing(county, mediating):
    before = _assigned(county)
    version = _version(county, mediating)
    wang = _id(county, "王秀英")
    with pytest.raises(ValidationError) as info:
        reassign_mediators(county, mediating, [wang], "  ")
    assert info.value.path == "reason" and "理由" in info.value.message
    with pytest.raises(ValidationError) as info:
        reassign_mediators(county, mediating, [], "调整")
    assert info.value.path == "mediators" and "至少" in info.value.message
    with pytest.raises(ValidationError) as info:
        reassign_mediators(county, mediating, [_id(county, "李建国")], "调整")
    assert "没有变化" in info.value.message
    with pytest.raises(ValidationError) as info:
        reassign_mediators(county, mediating, [_id(county, "张满仓")], "调整")
    assert "不是城关镇人民调解委员会的调解员" in info.value.message
    retired = add_mediator(county, "钱老", TOWNSHIP_COMMITTEE, active=False)
    with pytest.raises(ValidationError) as info:
        reassign_mediators(county, mediating, [retired], "调整")
    assert "已停用" in info.value.message
    with pytest.raises(ConflictError) as info:
        reassign_mediators(county, mediating, [wang], "调整", expected_version=version - 1)
    assert "已被他人修改" in info.value.message
    assert _assigned(county) == before and _version(county, mediating) == version


def _login(ctx: ServiceContext, username: str, role: Role, organization_id: int, mediator: str | None):
    ctx.user = None
    create_user(ctx, username=username, display_name=username, password=PASSWORD, role=role,
                organization_id=organization_id)
    with ctx.transaction() as session:
        user = session.exec(select(User).where(User.username == username)).one()
        user.mediator_id = session.exec(select(Mediator.id).where(Mediator.name == mediator)).one() \
            if mediator else None
        session.add(user)
    return authenticate(ctx, username, PASSWORD)


def test_a_mediator_changes_only_the_mediators_of_their_own_case(county, mediating):
    with county.read() as session:
        org_id = session.get(Case, mediating).organization_id
    wang = _id(county, "王秀英")
    county.user = _login(county, "wangxy", Role.MEDIATOR, org_id, "王秀英")
    with pytest.raises(PermissionDenied) as info:
        reassign_mediators(county, mediating, [wang], "我来接手")
    assert "只有本案的调解员" in info.value.message
    county.user = _login(county, "lijg", Role.MEDIATOR, org_id, "李建国")
    reassign_mediators(county, mediating, [_id(county, "李建国"), wang], "增加一名调解员")
    assert case_detail(county, mediating).mediators == ("李建国", "王秀英")
    county.user = _login(county, "head", Role.HEAD, org_id, None)
    reassign_mediators(county, mediating, [wang], "所长调整")
    assert case_detail(county, mediating).mediators == ("王秀英",)


# --- 移送 ---------------------------------------------------------------------------------------

def test_a_transfer_to_another_organisation_takes_its_mediators(county, mediating):
    kwargs = dict(to_track=Track.ADMINISTRATIVE, to_organization=LAND_OFFICE,
                  to_track_detail=TrackDetail.LAND, reason="涉及土地权属", on=D(2026, 10, 20))
    with pytest.raises(ValidationError) as info:
        uc.transfer_case(county, mediating, **kwargs)
    assert info.value.path == "mediators" and "接收组织的调解员" in info.value.message
    with pytest.raises(ValidationError) as info:
        uc.transfer_case(county, mediating, mediators=[_id(county, "李建国")], **kwargs)
    assert f"不是{LAND_OFFICE}的调解员" in info.value.message
    detail = case_detail(county, mediating)
    assert (detail.status, detail.organization, detail.mediators) == ("mediating", TOWNSHIP_COMMITTEE, ("李建国",))
    sun, zhou = add_mediator(county, "孙立平"), add_mediator(county, "周红")
    uc.transfer_case(county, mediating, mediators=[zhou, sun], **kwargs)
    detail = case_detail(county, mediating)
    assert (detail.organization, detail.mediators) == (LAND_OFFICE, ("周红", "孙立平"))
    assert [e.action for e in detail.timeline][-2:] == ["transfer", "reassign"]
    handlers = case_handlers(county, mediating)
    assert handlers.organization == LAND_OFFICE and [m.name for m in handlers.mediators] == ["周红", "孙立平"]


# --- 回避 ---------------------------------------------------------------------------------------

def test_recusal_replaces_the_mediator_and_shows_in_the_timeline(county, mediating):
    before = case_detail(county, mediating)
    party = next(p for p in before.parties if p.name == "杨国强")
    wang = _id(county, "王秀英")
    recuse_mediator(county, mediating, mediator_id=_id(county, "李建国"), party_id=party.id,
                    reason="调解员与申请人系亲戚", new_mediator_id=wang, expected_version=before.version)
    detail = case_detail(county, mediating)
    assert detail.mediators == ("王秀英",)
    event = detail.timeline[-1]
    assert (event.action, event.label) == ("recusal", "调解员回避")
    assert event.note == "当事人杨国强申请调解员李建国回避，改由王秀英承办：调解员与申请人系亲戚"
    [entry] = _audits(county, "case.recusal")
    assert entry.detail["party"] == "杨国强"
    # Bringing the recused mediator back needs an acknowledgement.
    li = _id(county, "李建国")
    [conflict] = assignment_conflicts(county, mediating, [li])
    assert conflict.reason == "调解员李建国曾应当事人杨国强的申请回避本案"
    with pytest.raises(AssignmentConflicts):
        reassign_mediators(county, mediating, [wang, li], "增加调解员")
    reassign_mediators(county, mediating, [wang, li], "双方同意", acknowledge_conflicts=True)


def test_recusal_refusals_are_reported_together(county, mediating):
    other = uc.register_case(county, case_input(summary="另一案")).id
    stranger = case_detail(county, other).parties[0]
    wang = _id(county, "王秀英")
    with pytest.raises(ValidationErrors) as info:
        recuse_mediator(county, mediating, mediator_id=wang, party_id=stranger.id, reason="亲戚",
                        new_mediator_id=_id(county, "李建国"))
    paths = sorted(e.path for e in info.value.errors)
    assert paths == ["mediator", "new_mediator", "party"]
    with pytest.raises(ValidationError) as single:
        recuse_mediator(county, mediating, mediator_id=_id(county, "李建国"),
                        party_id=case_detail(county, mediating).parties[0].id, reason="",
                        new_mediator_id=wang)
    assert single.value.path == "reason"
    assert case_detail(county, mediating).mediators == ("李建国",)


# --- the conflict check -------------------------------------------------------------------------

def test_a_mediator_who_was_a_party_is_flagged_by_id_number_or_name_and_birth(county, mediating):
    number = case_detail(county, mediating).number
    by_id = add_mediator(county, "杨国强", TOWNSHIP_COMMITTEE, id_number="419901197108093512")
    with pytest.raises(AssignmentConflicts) as info:
        reassign_mediators(county, mediating, [by_id], "调整")
    assert info.value.path == "acknowledge_conflicts"
    assert [c.number for c in info.value.conflicts] == [number]
    assert "本人是本案当事人" in info.value.message and "已知悉，仍然指派" in info.value.message
    # An earlier case: 刘桂兰 (by name and birth date) is a mediator now, assigned to a new case.
    later = uc.register_case(county, case_input(summary="后案", parties=[
        applicant(name="陈大山", id_number=None, phone="13700000011"),
        respondent(name="吴小河", id_number=None, phone="13700000012")])).id
    liu = add_mediator(county, "刘桂兰", TOWNSHIP_COMMITTEE, birth_date=D(1948, 3, 15))
    found = assignment_conflicts(county, later, [liu])
    assert [(c.number, c.mediator) for c in found] == [(number, "刘桂兰")]
    assert "曾是该案当事人" in found[0].reason
    reassign_mediators(county, later, [liu], "调整", acknowledge_conflicts=True)
    assert case_detail(county, later).mediators == ("刘桂兰",)


def test_no_conflict_for_another_person_of_the_same_name(county, mediating):
    namesake = add_mediator(county, "刘桂兰", TOWNSHIP_COMMITTEE, birth_date=D(1990, 1, 1),
                            id_number="419901199001011234")
    assert assignment_conflicts(county, mediating, [namesake]) == []
    reassign_mediators(county, mediating, [namesake], "调整")  # no acknowledgement needed


def test_same_surname_in_the_mediators_village_is_flagged(county, mediating):
    dongguan = _village(county)
    liu = add_mediator(county, "刘德厚", TOWNSHIP_COMMITTEE, village_id=dongguan)
    [conflict] = assignment_conflicts(county, mediating, [liu])
    assert conflict.case_id == mediating
    assert "当事人刘桂兰与调解员刘德厚同姓" in conflict.reason and "东关村" in conflict.reason
    with pytest.raises(AssignmentConflicts):
        recuse_mediator(county, mediating, mediator_id=_id(county, "李建国"),
                        party_id=case_detail(county, mediating).parties[1].id, reason="亲戚",
                        new_mediator_id=liu)
    assert case_detail(county, mediating).mediators == ("李建国",)
    # 刘桂兰's address lies in 南街社区: a 刘 of 南街社区 is flagged too.
    nanjie = add_mediator(county, "刘远方", TOWNSHIP_COMMITTEE, village_id=_village(county, "419901100001"))
    assert "居住在南街社区" in assignment_conflicts(county, mediating, [nanjie])[0].reason
    # Same surname, another village: no warning; other surname, same village: none either.
    other_village = add_mediator(county, "刘远山", TOWNSHIP_COMMITTEE,
                                 village_id=_village(county, "419901100401"))
    other_name = add_mediator(county, "马德厚", TOWNSHIP_COMMITTEE, village_id=dongguan)
    assert assignment_conflicts(county, mediating, [other_village, other_name]) == []
    assert surname_of("欧阳修") == "欧阳" and surname_of("刘德厚") == "刘"


def test_registration_with_a_village_committee_mediator_checks_the_parties(county):
    # 张满仓 belongs to 东关村's committee: no village of his own, the committee's village counts.
    data = case_input(organization=VILLAGE_COMMITTEE, mediators=["张满仓"],
                      parties=[applicant(name="张桂芝"), respondent()])
    with county.read() as session:
        cases_before = len(session.exec(select(Case.id)).all())
    with pytest.raises(AssignmentConflicts) as info:
        uc.register_case(county, data)
    assert "当事人张桂芝与调解员张满仓同姓" in info.value.message
    with county.read() as session:
        assert len(session.exec(select(Case.id)).all()) == cases_before  # nothing written
    case_id = uc.register_case(county, data, acknowledge_conflicts=True).id
    assert case_detail(county, case_id).mediators == ("张满仓",)
    # Other people: no conflict (and the township committee's mediators have no village of it).
    plain = uc.register_case(county, case_input(organization=VILLAGE_COMMITTEE, mediators=["张满仓"], parties=[
        applicant(name="陈大山", id_number=None, phone="13700000011"),
        respondent(name="吴小河", id_number=None, phone="13700000012")])).id
    assert case_detail(county, plain).mediators == ("张满仓",)


def test_handover_checks_the_successor(county, mediating):
    li = _id(county, "李建国")
    liu = add_mediator(county, "刘德厚", TOWNSHIP_COMMITTEE, village_id=_village(county))
    with pytest.raises(AssignmentConflicts):
        hand_over(county, HandoverOrder(li, {mediating: liu}))
    assert case_detail(county, mediating).mediators == ("李建国",)
    hand_over(county, HandoverOrder(li, {mediating: liu}, acknowledge_conflicts=True))
    assert case_detail(county, mediating).mediators == ("刘德厚",)


def test_a_reason_with_control_characters_or_too_long_is_refused(county, mediating):
    wang = _id(county, "王秀英")
    for bad, words in (("调整\x00", "控制字符"), ("长" * 501, "500")):
        with pytest.raises(ValidationError) as info:
            reassign_mediators(county, mediating, [wang], bad)
        assert info.value.path == "reason" and words in info.value.message
    with pytest.raises(ValidationError):
        reassign_mediators(county, mediating, [wang], 42)  # type: ignore[arg-type]
    assert case_detail(county, mediating).mediators == ("李建国",)
