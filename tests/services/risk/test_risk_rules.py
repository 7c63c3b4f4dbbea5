"""风险预警: each shipped rule fires on a case built to trigger it and stays quiet on one built not to;
warnings are acknowledged with a follow-up and leave the open list; re-scans add nothing."""
from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from mediator.domain.enums import RiskLevel, SessionKind
from mediator.domain.errors import ConflictError, ValidationError, ValidationErrors
from mediator.domain.risk_rules import DEFAULT_RULES, RiskRule, RuleKind, check_rule, rules_from_json
from mediator.services.cases import lifecycle as uc
from mediator.services.risk.alerts import acknowledge_alert, risk_alerts
from mediator.services.risk.evaluate import scan_risks
from mediator.services.risk.rules import office_rules, save_rules
from tests.helpers import applicant, case_input, respondent

D = date
TODAY = D(2026, 11, 29)  # the fixed clock


def _repeat(ctx, fire: bool) -> int:
    """The same two people again: 43 days later (fires), or 227 days later (past the 180 days)."""
    people = [applicant(id_number=None, phone=f"1390000000{int(fire)}"),
              respondent(id_number=None, phone=f"1390000001{int(fire)}")]
    uc.register_case(ctx, case_input(received_on=D(2026, 9, 1) if fire else D(2026, 3, 1), parties=people))
    return uc.register_case(ctx, case_input(received_on=D(2026, 10, 14), parties=people)).id


def _group(ctx, fire: bool) -> int:
    return uc.register_case(ctx, case_input(people_involved=12 if fire else 4)).id


def _words(ctx, fire: bool) -> int:
    case_id = uc.register_case(ctx, case_input()).id
    uc.accept_case(ctx, case_id, D(2026, 10, 15))
    record = "申请人情绪激动，扬言要去上访。" if fire else "双方同意再协商。"
    uc.record_session(ctx, case_id, uc.SessionInput(D(2026, 10, 16), SessionKind.INVESTIGATION, record=record))
    return case_id


def _stalled(ctx, fire: bool) -> int:
    """A high-risk case whose last step is 28 days old (fires), or 9 days old (under 15)."""
    day = D(2026, 11, 1) if fire else D(2026, 11, 20)
    case_id = uc.register_case(ctx, case_input(risk_level=RiskLevel.HIGH, received_on=day)).id
    uc.accept_case(ctx, case_id, day)
    return case_id


def _failed(ctx, fire: bool) -> int:
    level = RiskLevel.HIGH if fire else RiskLevel.MEDIUM
    case_id = uc.register_case(ctx, case_input(risk_level=level)).id
    uc.accept_case(ctx, case_id, D(2026, 10, 15))
    uc.start_mediation(ctx, case_id, D(2026, 10, 16))
    uc.fail_mediation(ctx, case_id, "双方分歧过大", D(2026, 11, 20))
    return case_id


BUILDERS = {RuleKind.REPEAT: _repeat, RuleKind.GROUP: _group, RuleKind.WORDS: _words,
            RuleKind.STALLED: _stalled, RuleKind.FAILED: _failed}


def _rules_of(ctx, case_id):
    return [a.rule for a in risk_alerts(ctx, case_id=case_id)]


@pytest.mark.parametrize("kind", list(RuleKind), ids=lambda k: k.value)
def test_each_shipped_rule_fires_on_its_case_and_stays_quiet_on_the_other(county, kind):
    scan_risks(county)  # nothing else in the county trips the time-based rule
    hit = BUILDERS[kind](county, True)
    quiet = BUILDERS[kind](county, False)
    scan_risks(county)
    assert kind.value in _rules_of(county, hit)
    assert kind.value not in _rules_of(county, quiet)


def test_the_warning_says_why_and_carries_the_rules_level(county):
    case_id = _words(county, True)
    [alert] = risk_alerts(county, case_id=case_id)
    assert (alert.rule_label, alert.level_label, alert.since) == ("危险言辞", "高", D(2026, 10, 16))
    assert "上访" in alert.detail
    assert alert.as_json() == {"ref": alert.ref, "number": alert.number, "rule": "危险言辞", "level": "高",
                               "since": "2026-10-16"}


def test_acknowledged_with_a_follow_up_the_warning_leaves_the_open_list(county):
    case_id = _group(county, True)
    [alert] = risk_alerts(county, case_id=case_id)
    acknowledge_alert(county, alert.id, "王所长", "已约谈双方并联系村委会稳控")
    assert risk_alerts(county, case_id=case_id) == []
    [done] = risk_alerts(county, case_id=case_id, handled=True)
    assert (done.follow_up_by, done.follow_up) == ("王所长", "已约谈双方并联系村委会稳控")
    assert done.acknowledged_by == "测试员" and done.handled
    # Still open on a day before it was acknowledged; the same hit is not raised again.
    assert [a.id for a in risk_alerts(county, on=TODAY.replace(day=28))] == [alert.id]
    uc.accept_case(county, case_id, D(2026, 10, 15))
    assert risk_alerts(county, case_id=case_id) == []
    with pytest.raises(ConflictError):
        acknowledge_alert(county, alert.id, "王所长", "再次")


def test_a_follow_up_needs_who_and_what(county):
    [alert] = risk_alerts(county, case_id=_group(county, True))
    with pytest.raises(ValidationErrors) as info:
        acknowledge_alert(county, alert.id, " ", "")
    assert [e.path for e in info.value.errors] == ["follow_up_by", "follow_up"]
    with pytest.raises(ValidationError) as one:
        acknowledge_alert(county, alert.id, "王所长", " ")
    assert one.value.path == "follow_up" and "跟进情况" in one.value.message
    assert len(risk_alerts(county)) == 1


def test_rescans_and_later_steps_do_not_duplicate_a_warning(county):
    case_id = _stalled(county, False)  # its last step 2026-11-20: stale from 2026-12-05 on
    assert scan_risks(county, D(2026, 12, 4)) == []
    first = scan_risks(county, D(2026, 12, 10))
    assert len(first) == 1 and scan_risks(county, D(2026, 12, 11)) == []
    uc.record_session(county, case_id, uc.SessionInput(D(2026, 11, 25), SessionKind.INVESTIGATION,
                                                         record="电话了解双方近况。"))
    [alert] = risk_alerts(county, case_id=case_id)
    assert (alert.rule, alert.since) == ("stalled", D(2026, 12, 5))


def test_the_office_changes_its_rules_and_a_bad_value_names_its_field(county):
    rules = list(office_rules(county))
    assert rules == list(DEFAULT_RULES)
    changed = [replace(r, number=20) if r.kind is RuleKind.GROUP else
               replace(r, words=("打架",)) if r.kind is RuleKind.WORDS else r for r in rules]
    save_rules(county, changed)
    assert office_rules(county) == tuple(changed)
    assert RuleKind.GROUP.value not in _rules_of(county, _group(county, True))  # 12 < 20 now
    bad = [replace(r, number=0) if r.kind is RuleKind.STALLED else r for r in rules]
    with pytest.raises(ValidationError) as info:
        save_rules(county, bad)
    assert info.value.path == "stalled.number" and "无进展天数" in info.value.message
    assert office_rules(county) == tuple(changed)


def test_a_disabled_rule_stays_quiet(county):
    save_rules(county, [replace(r, enabled=False) if r.kind is RuleKind.GROUP else r for r in DEFAULT_RULES])
    assert _rules_of(county, _group(county, True)) == []


def test_rule_checks_are_pure_and_name_the_field():
    with pytest.raises(ValidationError) as info:
        check_rule(RiskRule(RuleKind.WORDS, words=("自 杀",)))
    assert info.value.path == "words.words"
    assert check_rule(RiskRule(RuleKind.WORDS, words=(" 自杀", "自杀", "报复"))).words == ("自杀", "报复")
    assert rules_from_json({"group": {"number": "x"}}) == DEFAULT_RULES  # unreadable: the default


def test_parties_other_than_the_repeat_person_do_not_fire(county):
    uc.register_case(county, case_input(received_on=D(2026, 9, 1),
                                        parties=[applicant(name="张三", id_number=None, phone="13900000009"),
                                                 respondent(name="李四", id_number=None, phone="13900000008")]))
    assert _rules_of(county, uc.register_case(county, case_input()).id) == []


def test_a_mediator_sees_and_acknowledges_only_the_warnings_of_their_cases_and_is_not_told(county):
    from sqlmodel import select

    from mediator.domain.errors import PermissionDenied
    from mediator.domain.permissions import Role
    from mediator.scheduling.jobs import risk_scan
    from mediator.services.safety.auth import authenticate, create_user
    from mediator.store.models import Organization
    from tests.helpers import VILLAGE_COMMITTEE

    township = _group(county, True)
    village = uc.register_case(county, case_input(organization=VILLAGE_COMMITTEE, mediators=["张满仓"],
                                                  people_involved=9, summary="两户因宅基地界址发生争执。",
                                                  parties=[applicant(id_number=None, phone="13900000021"),
                                                           respondent(id_number=None, phone="13900000022")])).id
    [theirs] = risk_alerts(county, case_id=village)
    [other] = risk_alerts(county, case_id=township)
    with county.read() as session:
        org_id = session.exec(select(Organization.id).where(Organization.name == VILLAGE_COMMITTEE)).one()
    create_user(county, username="zhangmc", display_name="张满仓", password="mima2026x", role=Role.MEDIATOR,
                organization_id=org_id)
    county.user = authenticate(county, "zhangmc", "mima2026x")
    assert [a.id for a in risk_alerts(county)] == [theirs.id]
    with pytest.raises(PermissionDenied):
        acknowledge_alert(county, other.id, "张满仓", "越权")
    acknowledge_alert(county, theirs.id, "张满仓", "已入户劝导")
    assert risk_alerts(county) == []
    assert risk_scan(county, "zhangmc", TODAY) == []  # the tray tells those who supervise


def test_a_hit_another_client_raised_meanwhile_is_skipped_not_an_error(county):
    from mediator.services.risk.evaluate import _insert_new

    case_id = _group(county, True)
    [alert] = risk_alerts(county, case_id=case_id)
    same = {"case_id": case_id, "rule": "group", "level": "high", "since": alert.since, "detail": "",
            "raised_at": county.now(), "acknowledged_by": None, "acknowledged_at": None,
            "follow_up_by": "", "follow_up": ""}
    with county.transaction() as session:
        assert _insert_new(session, [same, {**same, "rule": "words"}]) != []
    assert sorted(a.rule for a in risk_alerts(county, case_id=case_id)) == ["group", "words"]


def test_a_correction_that_makes_a_case_risky_raises_its_warning_at_once(county):
    """修改案件信息 is a change of the case too: a summary now naming 轻生, a head count of 12."""
    from mediator.services.cases.corrections import update_case_info
    from mediator.services.cases.read import case_detail

    case_id = uc.register_case(county, case_input()).id
    assert _rules_of(county, case_id) == []
    version = case_detail(county, case_id).version
    update_case_info(county, case_id, version, summary="两户因宅基地争执，一方扬言轻生。")
    assert _rules_of(county, case_id) == [RuleKind.WORDS]
    update_case_info(county, case_id, case_detail(county, case_id).version, people_involved=12)
    assert sorted(_rules_of(county, case_id)) == sorted([RuleKind.WORDS, RuleKind.GROUP])
