"""Corrections after registration: facts and parties change, the timeline keeps what was there."""
from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import select

from mediator.domain.enums import PartyRole
from mediator.domain.errors import ConflictError, ValidationError, ValidationErrors
from mediator.services.cases import lifecycle as uc
from mediator.services.cases.corrections import add_party, remove_party, update_case_info, update_party
from mediator.store.models import Case, CaseLink, CaseParty, TimelineEvent
from tests.helpers import agreement_input, applicant, case_input, respondent

D = date


def _version(ctx, case_id) -> int:
    with ctx.read() as s:
        return s.get(Case, case_id).version


def _parties(ctx, case_id) -> list[CaseParty]:
    with ctx.read() as s:
        return list(s.exec(select(CaseParty).where(CaseParty.case_id == case_id).order_by(CaseParty.seq)))


def _last_edit(ctx, case_id) -> TimelineEvent:
    with ctx.read() as s:
        return s.exec(select(TimelineEvent).where(TimelineEvent.case_id == case_id,
                                                  TimelineEvent.action == "edit")
                      .order_by(TimelineEvent.seq.desc())).first()


def test_a_correction_of_the_facts_keeps_what_it_replaced(county, mediating):
    before = _version(county, mediating)
    changed = update_case_info(county, mediating, before, summary="双方因宅基地边界发生争执。",
                               people_involved=2, amount_yuan="1200")
    assert changed.case_ids == (mediating,) and _version(county, mediating) == before + 1
    event = _last_edit(county, mediating)
    assert event.actor == "测试员" and event.to_status == event.from_status
    assert "涉及金额 0.00元 → 1200.00元" in event.note
    fields = {c["field"]: (c["from"], c["to"]) for c in event.data["changes"]}
    assert fields["amount_yuan"] == ("0.00元", "1200.00元")
    assert fields["summary"][1] == "双方因宅基地边界发生争执。"
    assert "people_involved" not in fields or fields["people_involved"][0] != "2"


def test_saving_the_same_values_is_no_change(county, mediating):
    before = _version(county, mediating)
    with county.read() as s:
        summary = s.get(Case, mediating).summary
    assert update_case_info(county, mediating, before, summary=summary).empty
    assert _version(county, mediating) == before
    assert _last_edit(county, mediating) is None


def test_a_party_is_added_checked_as_at_intake_and_linked_to_earlier_cases(county, mediating):
    with pytest.raises(ValidationErrors) as bad:
        add_party(county, mediating, respondent(name="王五", id_number="419901194803152121"))
    assert bad.value.errors[0].path == "party.id_number"
    other = uc.register_case(county, case_input(parties=[applicant(name="赵六", id_number=None,
                                                                   phone="13912345678"),
                                                         respondent()])).id
    added = add_party(county, mediating, respondent(name="赵六", id_number=None, phone="139 1234 5678"))
    assert added.case_ids == (mediating,)
    names = [(p.name, p.phone) for p in _parties(county, mediating)]
    assert ("赵六", "13912345678") in names
    event = _last_edit(county, mediating)
    assert event.note.startswith("添加当事人") and "赵六" in event.note and "关联既往纠纷1件" in event.note
    with county.read() as s:
        assert other in set(s.exec(select(CaseLink.earlier_case_id).where(CaseLink.case_id == mediating)))
        assert "repeat" in s.get(Case, mediating).risk_flags


def test_a_party_correction_is_kept_field_by_field_with_personal_data_masked(county, mediating):
    party = _parties(county, mediating)[0]
    update_party(county, mediating, party.id,
                 applicant(phone="13700001111", address="城关镇东关村三组"))
    event = _last_edit(county, mediating)
    assert event.note.startswith(f"修改当事人{PartyRole(party.role).label}{party.name}")
    shown = {c["label"]: (c["from"], c["to"]) for c in event.data["changes"]}
    assert shown["联系电话"][1] == "137****1111"
    assert "13700001111" not in event.note
    assert event.data["_changes"][0]["to"] in ("13700001111", "城关镇东关村三组")  # kept exactly
    assert [p.phone for p in _parties(county, mediating)][0] == "13700001111"


def test_after_signing_who_the_parties_are_is_frozen(county, mediating):
    uc.conclude_agreement(county, mediating, agreement_input(D(2026, 10, 20)))
    first = _parties(county, mediating)[0]
    with pytest.raises(ValidationError) as refused:
        update_party(county, mediating, first.id, applicant(name="张三丰"))
    assert "协议已签订" in refused.value.message and "变更（补充）协议" in refused.value.message
    with pytest.raises(ValidationError):
        add_party(county, mediating, respondent(name="王五", id_number=None))
    with pytest.raises(ValidationError):
        remove_party(county, mediating, first.id, "登记错误")
    update_party(county, mediating, first.id, applicant(phone="13700002222"))  # contact details may change
    assert _parties(county, mediating)[0].phone == "13700002222"


def test_removing_a_party_needs_a_reason_and_keeps_one_party(county, mediating):
    parties = _parties(county, mediating)
    with pytest.raises(ValidationError) as no_reason:
        remove_party(county, mediating, parties[1].id, " ")
    assert no_reason.value.path == "reason"
    remove_party(county, mediating, parties[1].id, "登记时误录")
    event = _last_edit(county, mediating)
    assert event.note.startswith("删除当事人") and event.data["reason"] == "登记时误录"
    assert event.data["_removed"]["name"] == parties[1].name
    with pytest.raises(ValidationError) as last:
        remove_party(county, mediating, parties[0].id, "误录")
    assert "至少需要一名当事人" in last.value.message


def test_a_stale_correction_is_refused(county, mediating):
    version = _version(county, mediating)
    update_party(county, mediating, _parties(county, mediating)[0].id, applicant(address="新地址"),
                 expected_version=version)
    with pytest.raises(ConflictError):
        update_party(county, mediating, _parties(county, mediating)[0].id, applicant(address="另一个地址"),
                     expected_version=version)
