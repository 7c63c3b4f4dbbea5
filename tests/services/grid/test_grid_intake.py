"""网格事件上报 → 待分流 → 分派 or 网格内化解 → result and 评价 back to the 网格员 (SQLite and PG)."""
from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import select

from mediator.domain.enums import (
    AgreementForm,
    CaseStatus,
    FollowUpMethod,
    Level,
    Satisfaction,
    Source,
)
from mediator.domain.errors import PermissionDenied, ValidationErrors
from mediator.domain.grid import GridReportStatus, Urgency
from mediator.services.cases import lifecycle as uc
from mediator.services.cases.conflicts import AssignmentConflicts
from mediator.services.cases.inputs import FollowUpInput
from mediator.services.cases.read import case_detail
from mediator.services.grid.dispatch import dispatch_report, grid_queue, resolve_in_grid
from mediator.services.grid.intake import GridReportInput, my_reports, record_feedback, report_event
from mediator.store.models import AuditEntry, Case, CaseParty
from tests.helpers import TOWNSHIP_COMMITTEE, VILLAGE_COMMITTEE, agreement_input


def _report(ctx, **overrides):
    values = dict(parties="张大山、李小河", phone="13700000009", place="东关村一组张家门前",
                  summary="两家因宅前排水沟堵塞争吵。", urgency=Urgency.PRESSING)
    values.update(overrides)
    return report_event(ctx, GridReportInput(**values)).id


def test_a_grid_worker_reports_and_the_township_queue_shows_it(people):
    ctx = people.as_user(people.grid_worker)
    report_id = _report(ctx)
    mine = my_reports(ctx)
    assert [r.id for r in mine] == [report_id]
    row = mine[0]
    assert row.status_label == "待分流" and row.urgency_label == "较急"
    assert row.grid == "一网格" and row.village == "东关村" and row.parties == "张大山、李小河"
    assert row.result == "" and row.satisfaction is None

    ctx = people.as_user(people.head)
    queue = grid_queue(ctx)
    assert [r.id for r in queue] == [report_id]
    with ctx.read() as session:
        actions = list(session.exec(select(AuditEntry.action).where(AuditEntry.action.like("grid.%"))))
    assert actions == ["grid.report"]


def test_the_short_form_names_every_bad_field(people):
    ctx = people.as_user(people.grid_worker)
    with pytest.raises(ValidationErrors) as e:
        _report(ctx, parties=" 、 ", place="", summary=" ", phone="12345")
    paths = {x.path for x in e.value.errors}
    assert paths == {"parties", "place", "summary", "phone"}
    assert any("当事人" in x.message for x in e.value.errors)


def test_a_grid_worker_without_a_grid_is_told_so(people):
    from mediator.domain.permissions import Role
    from mediator.services.safety.auth import create_user
    from tests.services.grid.conftest import PASSWORD

    people.as_user(None)
    other = create_user(people.ctx, username="wgy2", display_name="钱网格", password=PASSWORD,
                        role=Role.GRID_WORKER, organization_id=None)
    with pytest.raises(ValidationErrors) as e:
        _report(people.as_user(other))
    assert "未设置所在网格" in e.value.errors[0].message


def test_the_system_names_the_grid(people):
    ctx = people.as_user(None)
    with pytest.raises(ValidationErrors) as e:
        _report(ctx)
    assert e.value.errors[0].path == "grid"
    report_id = _report(ctx, village_code="419901100201", grid="一网格")
    assert grid_queue(ctx)[0].id == report_id


def test_dispatch_registers_a_case_the_grid_worker_follows_to_its_end(people):
    ctx = people.as_user(people.grid_worker)
    report_id = _report(ctx, reported_on=date(2026, 11, 18))
    ctx = people.as_user(people.head)
    with pytest.raises(ValidationErrors) as e:
        dispatch_report(ctx, report_id, "", [])
    assert {x.path for x in e.value.errors} == {"organization", "mediators"}
    # 张满仓 and the party 张大山 share a surname in 东关村: a possible 回避, dispatched knowingly.
    with pytest.raises(AssignmentConflicts):
        dispatch_report(ctx, report_id, VILLAGE_COMMITTEE, ["张满仓"])
    assert [r.id for r in grid_queue(ctx)] == [report_id]  # nothing half-done
    case_id = dispatch_report(ctx, report_id, VILLAGE_COMMITTEE, ["张满仓"], acknowledge_conflicts=True).id
    assert grid_queue(ctx) == []
    with ctx.read() as session:
        case = session.get(Case, case_id)
        parties = list(session.exec(select(CaseParty.name).where(CaseParty.case_id == case_id)
                                    .order_by(CaseParty.seq)))
    assert case.source == Source.GRID_REPORT.value and case.level == Level.VILLAGE.value
    assert case.status == CaseStatus.REGISTERED.value and case.risk_level == "medium"
    assert case.received_on == date(2026, 11, 18)  # taken in by the 网格员 (统一受理)
    assert parties == ["张大山", "李小河"]
    with pytest.raises(ValidationErrors, match="已分派"):
        resolve_in_grid(ctx, report_id, "已调解")

    worker = people.as_user(people.grid_worker)
    row = my_reports(worker)[0]
    assert row.status_label == "已分派" and row.case_number == case.number
    assert row.result == "办理中（待受理）"
    assert case_detail(worker, case_id).number == case.number  # they see what they reported

    ctx = people.as_user(None)
    uc.accept_case(ctx, case_id, date(2026, 11, 20))
    uc.start_mediation(ctx, case_id, date(2026, 11, 21))
    uc.conclude_agreement(ctx, case_id, agreement_input(date(2026, 11, 25), form=AgreementForm.ORAL,
                                                         deadline=date(2026, 12, 15)))
    uc.record_follow_up(ctx, case_id, FollowUpInput(on=date(2026, 11, 28), method=FollowUpMethod.PHONE,
                                                    satisfaction=Satisfaction.BASICALLY))
    row = my_reports(people.as_user(people.grid_worker))[0]
    assert row.result.startswith("调解成功")
    assert row.satisfaction_label == "基本满意"  # from the case's follow-up
    record_feedback(people.ctx, report_id, Satisfaction.SATISFIED, "双方已和好")
    row = my_reports(people.ctx)[0]
    assert row.satisfaction_label == "满意" and row.feedback_note == "双方已和好"


def test_dispatch_to_the_township_committee_sets_the_township_level(people):
    report_id = _report(people.as_user(people.grid_worker))
    case_id = dispatch_report(people.as_user(people.head), report_id, TOWNSHIP_COMMITTEE, ["李建国"]).id
    with people.ctx.read() as session:
        assert session.get(Case, case_id).level == Level.TOWNSHIP.value


def test_a_bad_mediator_is_named_and_nothing_is_written(people):
    report_id = _report(people.as_user(people.grid_worker))
    ctx = people.as_user(people.head)
    with pytest.raises(ValidationErrors) as e:
        dispatch_report(ctx, report_id, VILLAGE_COMMITTEE, ["无此人"])
    assert "无此人" in e.value.errors[0].message
    assert [r.id for r in grid_queue(ctx)] == [report_id]


def test_resolving_in_the_grid_closes_it_and_the_worker_rates_it(people):
    worker = people.as_user(people.grid_worker)
    report_id = _report(worker)
    with pytest.raises(ValidationErrors, match="尚未分流"):
        record_feedback(worker, report_id, Satisfaction.SATISFIED)
    with pytest.raises(PermissionDenied):
        resolve_in_grid(worker, report_id, "劝解")  # the township's act
    ctx = people.as_user(people.head)
    with pytest.raises(ValidationErrors) as e:
        resolve_in_grid(ctx, report_id, "  ")
    assert e.value.errors[0].path == "note"
    resolve_in_grid(ctx, report_id, "网格员上门劝解，双方当场疏通排水沟。")
    assert grid_queue(ctx) == []
    assert grid_queue(ctx, pending_only=False)[0].status == GridReportStatus.RESOLVED.value
    worker = people.as_user(people.grid_worker)
    row = my_reports(worker)[0]
    assert row.status_label == "网格内化解" and row.result == "网格内化解：网格员上门劝解，双方当场疏通排水沟。"
    record_feedback(worker, report_id, Satisfaction.DISSATISFIED, "李小河仍有意见")
    assert my_reports(worker)[0].satisfaction_label == "不满意"


def test_a_grid_worker_sees_and_rates_only_their_own_reports(people):
    from tests.services.grid.conftest import make_grid_worker

    people.as_user(None)
    other = make_grid_worker(people.ctx, "wgy3", "孙网格")
    report_id = _report(people.as_user(people.grid_worker))
    resolve_in_grid(people.as_user(people.head), report_id, "已化解")
    ctx = people.as_user(other)
    assert my_reports(ctx) == []
    with pytest.raises(PermissionDenied):
        record_feedback(ctx, report_id, Satisfaction.SATISFIED)


def test_a_township_queues_only_its_own_grids(people):
    from mediator.domain.permissions import Role
    from mediator.services.exchange.importer import import_document
    from mediator.services.safety.auth import create_user
    from mediator.store.models import Organization
    from tests.helpers import sample_document
    from tests.services.grid.conftest import PASSWORD

    ctx = people.as_user(None)
    doc = sample_document()
    doc.update(cases=[], mediators=[], advisors=[],
               regions=[*doc["regions"][:1],
                        {"code": "419901101000", "name": "北关镇", "level": "township", "parent": "419901000000"},
                        {"code": "419901101201", "name": "北村", "level": "village", "kind": "rural_village",
                         "parent": "419901101000", "grids": ["北一网格"]}],
               organizations=[{"name": "北关镇人民调解委员会", "kind": "township_committee",
                               "region": "419901101000", "short": "北关"}])
    import_document(ctx, doc)
    with ctx.read() as session:
        org_id = session.exec(select(Organization.id).where(Organization.name == "北关镇人民调解委员会")).one()
    other_head = create_user(ctx, username="beiguan", display_name="北关所长", password=PASSWORD,
                             role=Role.HEAD, organization_id=org_id)
    report_id = _report(people.as_user(people.grid_worker))
    ctx = people.as_user(other_head)
    assert grid_queue(ctx) == []
    with pytest.raises(ValidationErrors, match="不属于本乡镇"):
        resolve_in_grid(ctx, report_id, "已化解")
    assert [r.id for r in grid_queue(people.as_user(people.head))] == [report_id]
