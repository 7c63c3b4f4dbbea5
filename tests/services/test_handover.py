"""Handover of a leaving mediator's cases: the checklist, the one-transaction move, the refusals."""
from __future__ import annotations

import json
from datetime import date

import pytest
from sqlmodel import select

from mediator.domain.enums import CaseStatus
from mediator.domain.errors import ConflictError, PermissionDenied, ValidationErrors
from mediator.domain.permissions import Role
from mediator.services.cases import lifecycle as uc
from mediator.services.cases.corrections import update_case_info
from mediator.services.cases.read import case_detail
from mediator.services.context import CurrentUser, ServiceContext
from mediator.services.exchange.export import export_document
from mediator.services.exchange.importer import import_document
from mediator.services.handover import HandoverOrder, hand_over, handover_checklist
from mediator.store.models import (
    AuditEntry,
    Case,
    CaseMediator,
    Mediator,
    Organization,
    TimelineEvent,
)
from tests.helpers import TOWNSHIP_COMMITTEE, case_input, seed_county
from tests.templates import migrated_sqlite

D = date


def _mediator_id(ctx: ServiceContext, name: str) -> int:
    with ctx.read() as session:
        return session.exec(select(Mediator.id).where(Mediator.name == name)).one()


def _add_mediator(ctx: ServiceContext, name: str, *, active: bool = True,
                  organization: str = TOWNSHIP_COMMITTEE) -> int:
    with ctx.transaction() as session:
        org = session.exec(select(Organization).where(Organization.name == organization)).one()
        m = Mediator(name=name, organization_id=org.id, active=active)
        session.add(m)
        session.flush()
        return m.id


def _mediators(ctx: ServiceContext, case_id: int) -> list[str]:
    return list(case_detail(ctx, case_id).mediators)


def _state(ctx: ServiceContext) -> tuple:
    """Everything a refused handover must leave as it was."""
    with ctx.read() as session:
        return (sorted((r.case_id, r.mediator_id, r.seq) for r in session.exec(select(CaseMediator))),
                sorted((c.id, c.version) for c in session.exec(select(Case))),
                session.exec(select(TimelineEvent.id)).all().__len__(),
                sorted((m.id, m.active, m.version) for m in session.exec(select(Mediator))),
                session.exec(select(AuditEntry.id)).all().__len__())


@pytest.fixture
def office(ctx):
    """李建国 handles A alone, B with 王秀英 (he is listed first); C was rejected; D is 王秀英's."""
    seed_county(ctx)
    a = uc.register_case(ctx, case_input(summary="甲案")).id
    b = uc.register_case(ctx, case_input(summary="乙案", mediators=["李建国", "王秀英"])).id
    uc.accept_case(ctx, b, D(2026, 10, 15))
    uc.start_mediation(ctx, b, D(2026, 10, 16))
    c = uc.register_case(ctx, case_input(summary="丙案")).id
    uc.reject_case(ctx, c, "当事人明确拒绝调解", D(2026, 10, 15))
    d = uc.register_case(ctx, case_input(summary="丁案", mediators=["王秀英"])).id
    ids = {"A": a, "B": b, "C": c, "D": d, "li": _mediator_id(ctx, "李建国"),
           "wang": _mediator_id(ctx, "王秀英"), "zhao": _add_mediator(ctx, "赵敏")}
    return ids


def test_checklist_lists_every_case_in_hand_with_what_the_successor_needs(ctx, office):
    from mediator.services.advisors.reviews import request_review

    request_review(ctx, office["B"])
    checklist = handover_checklist(ctx, office["li"])
    assert (checklist.mediator_name, checklist.organization, checklist.active) == (
        "李建国", TOWNSHIP_COMMITTEE, True)
    assert [c.case_id for c in checklist.cases] == [office["A"], office["B"]]  # C is closed
    a, b = checklist.cases
    assert a.parties == "刘桂兰、杨国强"
    assert (a.status, a.status_label) == (CaseStatus.REGISTERED, "待受理")
    assert a.only_mediator and a.co_mediators == []
    assert not b.only_mediator and b.co_mediators == ["王秀英"]
    assert b.status_label == "调解中"
    # B's handling clock runs from acceptance: 1 month, due 2026-11-16 (past the fixed today).
    assert b.next_deadline and b.next_due is not None
    assert b.overdue == (b.next_due < ctx.today())
    assert (a.review_pending, b.review_pending) == ("", "陈立新")
    assert b.reminders >= 1
    assert [m.name for m in checklist.candidates] == ["王秀英", "赵敏"]
    assert checklist.versions == {office["A"]: a.version, office["B"]: b.version}


def test_hand_over_moves_every_case_keeps_co_mediators_and_writes_the_timeline(ctx, office):
    with ctx.read() as session:
        before = {c.id: c.version for c in session.exec(select(Case))}
    summary = hand_over(ctx, HandoverOrder(
        office["li"], {office["A"]: office["zhao"], office["B"]: office["zhao"]}, note="调往县司法局"))
    assert summary.case_ids == (office["A"], office["B"]) and summary.reminders and not summary.reference
    assert summary.moved[0][2] == "赵敏" and "2件" in summary.text()
    assert _mediators(ctx, office["A"]) == ["赵敏"]
    assert _mediators(ctx, office["B"]) == ["赵敏", "王秀英"]  # the successor takes his place
    assert _mediators(ctx, office["C"]) == ["李建国"]  # closed: untouched
    assert _mediators(ctx, office["D"]) == ["王秀英"]
    event = case_detail(ctx, office["B"]).timeline[-1]
    assert event.action == "handover" and event.label == "移交调解员"
    assert event.note == "调解员李建国离岗，案件移交赵敏承办：调往县司法局"
    assert event.actor == "测试员" and event.on == ctx.today()
    assert event.from_status == event.to_status == "mediating"
    with ctx.read() as session:
        after = {c.id: c.version for c in session.exec(select(Case))}
        actions = [a for a in session.exec(select(AuditEntry.action))]
        active = session.get(Mediator, office["li"]).active
    assert after[office["A"]] == before[office["A"]] + 1 and after[office["B"]] == before[office["B"]] + 1
    assert after[office["C"]] == before[office["C"]]
    assert actions.count("case.handover") == 2 and actions.count("handover") == 1
    assert active  # not asked to deactivate


def test_a_stale_workspace_gets_a_conflict_after_the_handover(ctx, office):
    version = handover_checklist(ctx, office["li"]).versions[office["B"]]
    hand_over(ctx, HandoverOrder(office["li"], {office["A"]: office["wang"], office["B"]: office["zhao"]}))
    with pytest.raises(ConflictError):
        update_case_info(ctx, office["B"], version, summary="新的简要情况")


def test_a_co_mediator_can_take_over_alone(ctx, office):
    hand_over(ctx, HandoverOrder(office["li"], {office["A"]: office["wang"], office["B"]: office["wang"]},
                                 deactivate=True))
    assert _mediators(ctx, office["A"]) == ["王秀英"]
    assert _mediators(ctx, office["B"]) == ["王秀英"]
    assert case_detail(ctx, office["B"]).timeline[-1].note == "调解员李建国离岗，案件移交王秀英承办"
    with ctx.read() as session:
        assert session.get(Mediator, office["li"]).active is False
    assert handover_checklist(ctx, office["li"]).cases == []


def test_deadlines_are_kept(ctx, office):
    before = case_detail(ctx, office["B"]).deadlines
    hand_over(ctx, HandoverOrder(office["li"], {office["A"]: office["zhao"], office["B"]: office["zhao"]}))
    assert case_detail(ctx, office["B"]).deadlines == before


def test_a_later_backdated_move_is_not_blocked_by_the_handover(ctx, office):
    hand_over(ctx, HandoverOrder(office["li"], {office["A"]: office["zhao"], office["B"]: office["zhao"]}))
    uc.accept_case(ctx, office["A"], D(2026, 11, 20))  # before today's handover: allowed
    assert case_detail(ctx, office["A"]).status == "accepted"


@pytest.mark.parametrize("problem", ["missing", "self", "inactive", "unknown", "other_org", "not_in_hand"])
def test_refusals_name_the_case_and_leave_everything_unchanged(ctx, office, problem):
    number_a = case_detail(ctx, office["A"]).number
    assignments = {office["A"]: office["zhao"], office["B"]: office["zhao"]}
    expected = {
        "missing": "请指定接手的调解员",
        "self": "不能是离岗的李建国本人",
        "inactive": "已停用",
        "unknown": "不存在",
        "other_org": "不属于同一调解组织",
        "not_in_hand": "不是李建国的在办案件",
    }[problem]
    if problem == "missing":
        del assignments[office["A"]]
    elif problem == "self":
        assignments[office["A"]] = office["li"]
    elif problem == "inactive":
        assignments[office["A"]] = _add_mediator(ctx, "钱停", active=False)
    elif problem == "unknown":
        assignments[office["A"]] = 999_999
    elif problem == "other_org":
        assignments[office["A"]] = _mediator_id(ctx, "张满仓")
    else:
        assignments[office["C"]] = office["zhao"]
    before = _state(ctx)
    with pytest.raises(ValidationErrors) as caught:
        hand_over(ctx, HandoverOrder(office["li"], assignments, deactivate=True))
    messages = [e.message for e in caught.value.errors]
    assert any(expected in m for m in messages), messages
    if problem != "not_in_hand":
        assert any(number_a in m for m in messages), messages
    assert _state(ctx) == before


def test_stale_checklist_versions_are_a_conflict_and_change_nothing(ctx, office):
    versions = handover_checklist(ctx, office["li"]).versions
    uc.accept_case(ctx, office["A"], D(2026, 10, 15))
    before = _state(ctx)
    with pytest.raises(ConflictError):
        hand_over(ctx, HandoverOrder(office["li"], {office["A"]: office["zhao"], office["B"]: office["zhao"]},
                                     versions=versions))
    assert _state(ctx) == before


def test_a_mediator_without_cases_can_only_be_deactivated(ctx, office):
    with pytest.raises(Exception, match="没有在办案件"):
        hand_over(ctx, HandoverOrder(office["zhao"], {}))
    summary = hand_over(ctx, HandoverOrder(office["zhao"], {}, deactivate=True))
    assert summary.deactivated and summary.moved == () and summary.reference


def test_a_mediator_user_may_not_hand_over(ctx, office):
    ctx.user = CurrentUser(999, "li", "李建国", Role.MEDIATOR, None)
    before = _state(ctx)
    with pytest.raises(PermissionDenied, match="无权移交调解员的案件"):
        handover_checklist(ctx, office["li"])
    with pytest.raises(PermissionDenied):
        hand_over(ctx, HandoverOrder(office["li"], {office["A"]: office["zhao"], office["B"]: office["zhao"]}))
    assert _state(ctx) == before


def test_exchange_round_trip_stays_identical_after_a_handover(ctx, office, tmp_path):

    hand_over(ctx, HandoverOrder(office["li"], {office["A"]: office["zhao"], office["B"]: office["zhao"]},
                                 deactivate=True))
    first = export_document(ctx)
    assert [c["mediators"] for c in first["cases"]][:2] == [["赵敏"], ["赵敏", "王秀英"]]
    other_db = migrated_sqlite(tmp_path / 'other.db')
    try:
        other = ServiceContext(other_db, actor="另一台电脑", clock=ctx.clock)
        import_document(other, json.loads(json.dumps(first)))
        second = export_document(other)
    finally:
        other_db.dispose()
    first.pop("exported_at"), second.pop("exported_at")
    assert second == first


def test_a_head_hands_over_only_within_their_organisations(ctx, office):
    with ctx.read() as session:
        orgs = {o.name: o.id for o in session.exec(select(Organization))}
    ctx.user = CurrentUser(998, "dong", "东关村主任", Role.HEAD, orgs["东关村人民调解委员会"])
    with pytest.raises(PermissionDenied, match="不属于您所辖"):
        handover_checklist(ctx, office["li"])
    ctx.user = CurrentUser(997, "head", "王所长", Role.HEAD, orgs[TOWNSHIP_COMMITTEE])
    assert len(handover_checklist(ctx, office["li"]).cases) == 2
