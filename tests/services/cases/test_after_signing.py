"""Session records corrected and 变更/补充协议 recorded: from → to on the timeline, audited,
checked, refused on a stale version; the signed agreement itself never changes."""
from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import select

from mediator.domain.enums import PerformanceResult, SessionKind, SupplementKind
from mediator.domain.errors import ConflictError, TransitionError, ValidationError, ValidationErrors
from mediator.services.cases import lifecycle as uc
from mediator.services.cases.inputs import SessionInput
from mediator.services.cases.read import case_detail
from mediator.services.cases.session_corrections import correct_session
from mediator.services.cases.supplementary import add_supplementary_agreement, supplementary_agreements
from mediator.services.safety.audit_log import AuditFilter, list_audit
from mediator.store.models import (
    Agreement,
    AgreementTerm,
    Case,
    MediationSession,
    SupplementaryAgreement,
    TimelineEvent,
)
from tests.helpers import agreement_input, case_input

D = date


@pytest.fixture
def session_id(county, mediating) -> int:
    return uc.record_session(county, mediating, SessionInput(
        on=D(2026, 10, 17), kind=SessionKind.MEDIATION, place="村调解室",
        participants="张三、李四、调解员李建国", record="双方同意共同疏通排水沟。")).id


@pytest.fixture
def agreed(county, mediating) -> int:
    uc.conclude_agreement(county, mediating, agreement_input(D(2026, 10, 20)))
    return mediating


def _version(ctx, case_id) -> int:
    with ctx.read() as s:
        return s.get(Case, case_id).version


def _last(ctx, case_id) -> TimelineEvent:
    with ctx.read() as s:
        return s.exec(select(TimelineEvent).where(TimelineEvent.case_id == case_id)
                      .order_by(TimelineEvent.seq.desc())).first()


FIRST_SESSION_ON = D(2026, 10, 17)


def _data(on=FIRST_SESSION_ON, **overrides) -> SessionInput:
    values = dict(on=on, kind=SessionKind.MEDIATION, place="村调解室",
                  participants="张三、李四、调解员李建国", record="双方同意共同疏通排水沟。")
    values.update(overrides)
    return SessionInput(**values)


# --- session records ----------------------------------------------------------------------------

def test_a_session_correction_keeps_what_it_replaced(county, mediating, session_id):
    before = _version(county, mediating)
    changed = correct_session(county, mediating, session_id,
                              _data(on=D(2026, 10, 18), place="争议现场", record="双方同意三日内疏通排水沟。"),
                              expected_version=before)
    assert changed.case_ids == (mediating,) and _version(county, mediating) == before + 1
    with county.read() as s:
        row = s.get(MediationSession, session_id)
        assert (row.on, row.place, row.record, row.version) == (D(2026, 10, 18), "争议现场",
                                                                 "双方同意三日内疏通排水沟。", 2)
    event = _last(county, mediating)
    assert event.action == "edit" and event.actor == "测试员"
    assert event.note.startswith("更正调解记录")
    assert "日期 2026-10-17 → 2026-10-18" in event.note and "地点 村调解室 → 争议现场" in event.note
    kept = {c["field"]: (c["from"], c["to"]) for c in event.data["_changes"]}
    assert kept[f"sessions[{session_id}].record"] == ("双方同意共同疏通排水沟。", "双方同意三日内疏通排水沟。")
    assert event.data["session_id"] == session_id
    audit = list_audit(county, AuditFilter(action="case.edit"))[0]
    assert audit.detail["fields"] == [f"sessions[{session_id}].on", f"sessions[{session_id}].place",
                                      f"sessions[{session_id}].record"]
    # The timeline shows it in the workspace's read model.
    assert case_detail(county, mediating).timeline[-1].label == "修改信息"


def test_the_same_values_are_no_correction(county, mediating, session_id):
    before = _version(county, mediating)
    assert correct_session(county, mediating, session_id, _data(), expected_version=before).empty
    assert _version(county, mediating) == before


def test_a_session_correction_is_checked(county, mediating, session_id):
    with pytest.raises(ValidationErrors) as bad:
        correct_session(county, mediating, session_id, _data(record="  ", on=D(2026, 12, 1)))
    assert {e.path for e in bad.value.errors} == {"record", "on"}
    with pytest.raises(ValidationErrors) as early:
        correct_session(county, mediating, session_id, _data(on=D(2026, 10, 1)))
    assert "收案日期" in early.value.errors[0].message
    other = uc.register_case(county, case_input()).id
    with pytest.raises(ValidationError) as foreign:
        correct_session(county, other, session_id, _data(place="别处"))
    assert foreign.value.path == "session"


def test_a_stale_session_correction_is_refused(county, mediating, session_id):
    version = _version(county, mediating)
    correct_session(county, mediating, session_id, _data(place="村委会"), expected_version=version)
    with pytest.raises(ConflictError):
        correct_session(county, mediating, session_id, _data(place="争议现场"), expected_version=version)
    with county.read() as s:
        assert s.get(MediationSession, session_id).place == "村委会"


# --- 变更/补充协议 ----------------------------------------------------------------------------

def _agreement_rows(ctx, case_id):
    with ctx.read() as s:
        a = s.exec(select(Agreement).where(Agreement.case_id == case_id)).one()
        terms = list(s.exec(select(AgreementTerm.text).where(AgreementTerm.agreement_id == a.id)))
        return (a.signed_on, a.amount_fen, a.deadline, a.version, terms)


def test_a_supplementary_agreement_is_recorded_and_the_signed_one_stays(county, agreed):
    signed = _agreement_rows(county, agreed)
    before = _version(county, agreed)
    added = add_supplementary_agreement(
        county, agreed, SupplementKind.CHANGE, D(2026, 11, 10),
        ["被申请人的付款期限变更为2026年12月31日前。", " ", "其余条款不变。"], "被申请人因病申请延期",
        expected_version=before)
    assert added.case_ids == (agreed,) and _version(county, agreed) == before + 1
    assert _agreement_rows(county, agreed) == signed  # frozen: nothing edited in place
    [info] = supplementary_agreements(county, agreed)
    assert (info.id, info.seq, info.kind, info.signed_on) == (added.id, 1, SupplementKind.CHANGE, D(2026, 11, 10))
    assert info.terms == ("被申请人的付款期限变更为2026年12月31日前。", "其余条款不变。")
    assert info.title == "第1号变更协议" and info.recorded_by == "测试员"
    event = _last(county, agreed)
    assert event.action == "supplement" and event.from_status == event.to_status == "agreed"
    assert event.note.startswith("签订第1号变更协议（2026-11-10）") and "被申请人因病申请延期" in event.note
    assert case_detail(county, agreed).timeline[-1].label == "变更（补充）协议"
    audit = list_audit(county, AuditFilter(action="case.supplement"))[0]
    assert audit.detail["kind"] == "change" and audit.action_label == "签订变更（补充）协议"
    second = add_supplementary_agreement(county, agreed, SupplementKind.SUPPLEMENT, D(2026, 11, 12),
                                         ["申请人放弃利息主张。"], "双方补充约定")
    assert [s.seq for s in supplementary_agreements(county, agreed)] == [1, 2]
    assert second.id != added.id



def test_after_performance_still_after_archiving_no_more(county, agreed):
    uc.record_performance(county, agreed, PerformanceResult.FULL, on=D(2026, 11, 20))
    add_supplementary_agreement(county, agreed, SupplementKind.SUPPLEMENT, D(2026, 11, 21), ["补充。"], "约定")
    uc.archive_case(county, agreed, D(2026, 11, 28), reason="测试卷宗")
    with pytest.raises(ValidationError) as closed:
        add_supplementary_agreement(county, agreed, SupplementKind.SUPPLEMENT, D(2026, 11, 28), ["再补充。"],
                                    "约定")
    assert "已归档" in closed.value.message


def test_a_supplementary_agreement_is_checked(county, mediating, agreed):
    def add(**kw):
        args = dict(kind=SupplementKind.SUPPLEMENT, signed_on=D(2026, 11, 10), terms=["补充条款。"],
                    reason="双方补充约定")
        args.update(kw)
        return add_supplementary_agreement(county, agreed, **args)

    with pytest.raises(ValidationError) as no_terms:
        add(terms=["", "  "])
    assert no_terms.value.path == "terms"
    with pytest.raises(ValidationError) as no_reason:
        add(reason=" ")
    assert no_reason.value.path == "reason"
    with pytest.raises(ValidationError) as early:
        add(signed_on=D(2026, 10, 19))
    assert early.value.path == "signed_on" and "2026-10-20" in early.value.message
    with pytest.raises(ValidationError) as future:
        add(signed_on=D(2026, 12, 1))
    assert future.value.path == "signed_on"
    with pytest.raises(ValidationErrors):
        add(terms=["控制字符\x07"])
    with county.read() as s:
        assert s.exec(select(SupplementaryAgreement)).first() is None


def test_no_supplementary_agreement_before_signing(county, mediating):
    with pytest.raises(ValidationError) as refused:
        add_supplementary_agreement(county, mediating, SupplementKind.SUPPLEMENT, D(2026, 11, 10),
                                    ["补充条款。"], "双方补充约定")
    assert "尚未达成协议" in refused.value.message


def test_a_stale_supplementary_agreement_is_refused(county, agreed):
    version = _version(county, agreed)
    add_supplementary_agreement(county, agreed, SupplementKind.SUPPLEMENT, D(2026, 11, 10), ["一。"], "约定",
                                expected_version=version)
    with pytest.raises(ConflictError):
        add_supplementary_agreement(county, agreed, SupplementKind.SUPPLEMENT, D(2026, 11, 11), ["二。"], "约定",
                                    expected_version=version)
    assert len(supplementary_agreements(county, agreed)) == 1


def test_no_path_edits_a_signed_agreement_in_place(county, agreed):
    signed = _agreement_rows(county, agreed)
    with pytest.raises(TransitionError):  # 达成协议 again: the case is no longer 调解中
        uc.conclude_agreement(county, agreed, agreement_input(D(2026, 10, 21), amount_yuan="9000"))
    assert _agreement_rows(county, agreed) == signed
