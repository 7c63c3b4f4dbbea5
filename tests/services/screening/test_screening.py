"""矛盾纠纷排查: plan a round for 柳树村, see it due in 日程提醒, record it with a case and a 预防
record in one go, and count both in the month's statistics."""
from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import select

from mediator.domain.enums import Category, Source
from mediator.domain.errors import PermissionDenied, ValidationErrors
from mediator.domain.permissions import Role
from mediator.domain.screening import FindingKind, Prevention, PreventionFlag, RoundStatus, ScreeningKind
from mediator.reporting.stats import Period
from mediator.services.reminders.due import due_now
from mediator.services.reports.statistics import organization_scope, period_stats, region_scope
from mediator.services.safety.auth import create_user
from mediator.services.screening.planning import PlanInput, plan_round
from mediator.services.screening.recording import CaseFinding, FindingInput, HeldInput, record_round
from mediator.services.screening.rows import list_rounds
from mediator.store.models import AuditEntry, Case, ScreeningFinding, ScreeningRound
from tests.helpers import TOWNSHIP_COMMITTEE, seed_county
from tests.services.screening.conftest import LIUSHU, add_liushu


@pytest.fixture
def county(ctx):
    seed_county(ctx)
    add_liushu(ctx)
    return ctx


def _findings() -> list[FindingInput]:
    return [FindingInput(FindingKind.CASE, case=CaseFinding(
                parties="柳大山、柳二河", summary="两户因承包地边界发生争执。", mediators=["李建国"],
                category=Category.LAND_FOREST)),
            FindingInput(FindingKind.PREVENTED, prevention=Prevention(
                summary="婆媳争吵，儿媳扬言轻生。", parties="柳王氏、柳小红", how="调解员上门疏导，双方和好。",
                people=2, flags=[PreventionFlag.SUICIDE]))]


def _held(findings: list[FindingInput] | None = None, **overrides) -> HeldInput:
    values = dict(held_on=date(2026, 11, 20), held_by="李建国、王秀英", places_visited="柳树村一组、二组",
                  findings=_findings() if findings is None else findings, notes="走访12户。")
    values.update(overrides)
    return HeldInput(**values)


def test_a_round_for_liushu_is_due_then_its_findings_count_in_the_month(county):
    ctx = county
    round_id = plan_round(ctx, PlanInput(village_code=LIUSHU, kind=ScreeningKind.REGULAR, monthly=True,
                                         planned_on=date(2026, 11, 1), organization=TOWNSHIP_COMMITTEE)).id
    (row,) = list_rounds(ctx)
    assert (row.place, row.due_on, row.status_label) == ("柳树村", date(2026, 11, 30), "待排查")
    # Due on the 30th, the clock says the 29th: 日程提醒 shows it.
    due = [i for i in due_now(ctx, ctx.today()) if i.key == f"screening:{round_id}"]
    assert due and due[0].kind == "screening" and "柳树村" in due[0].target

    record_round(ctx, round_id, _held(), expected_version=row.version)
    with ctx.read() as session:
        stored = session.get(ScreeningRound, round_id)
        assert stored.status == RoundStatus.HELD.value and stored.held_by == "李建国、王秀英"
        case_id = session.exec(select(ScreeningFinding.case_id).where(
            ScreeningFinding.round_id == round_id, ScreeningFinding.kind == "case")).one()
        case = session.get(Case, case_id)
        assert case.source == Source.SCREENING.value and case.received_on == date(2026, 11, 20)
        assert "screening.record" in set(session.exec(select(AuditEntry.action)))
    rounds = list_rounds(ctx)
    held = next(r for r in rounds if r.id == round_id)
    assert held.findings_text == "登记案件1件、预防1件"
    assert held.findings[0].case_number == case.number
    # The monthly round planned the next month's, and the held one left 日程提醒.
    (upcoming,) = [r for r in rounds if r.planned]
    assert (upcoming.planned_on, upcoming.due_on, upcoming.monthly) == (date(2026, 12, 1), date(2026, 12, 31), True)
    assert not [i for i in due_now(ctx, ctx.today()) if i.key == f"screening:{round_id}"]

    t = period_stats(ctx, Period.month(2026, 11)).total
    assert (t.screenings, t.screening_found, t.screening_prevented) == (1, 2, 1)
    assert (t.prevented_suicide, t.prevented_suicide_people) == (1, 2)
    assert t.by_source[Source.SCREENING.value] == 1 and t.received == 1
    assert period_stats(ctx, Period.month(2026, 10)).is_zero  # 零上报 still works
    # Rolled up by township and county (the round's village), per organisation (who screened).
    november = Period.month(2026, 11)
    for scope in (region_scope(ctx, "城关镇"), region_scope(ctx, "示范县"),
                  organization_scope(ctx, TOWNSHIP_COMMITTEE)):
        assert period_stats(ctx, november, scope).total.screening_found == 2
    assert period_stats(ctx, november, organization_scope(ctx, "东关村人民调解委员会")).total.screenings == 0


def test_bad_plans_and_records_are_refused_by_field_and_write_nothing(county):
    ctx = county
    with pytest.raises(ValidationErrors) as exc:
        plan_round(ctx, PlanInput(village_code=LIUSHU, kind=ScreeningKind.SPECIAL, organization=TOWNSHIP_COMMITTEE,
                                  planned_on=date(2026, 11, 10), due_on=date(2026, 11, 1)))
    assert {e.path for e in exc.value.errors} == {"risk", "due_on"}
    round_id = plan_round(ctx, PlanInput(village_code=LIUSHU, kind=ScreeningKind.FESTIVAL, risk="元旦",
                                         organization=TOWNSHIP_COMMITTEE)).id
    with pytest.raises(ValidationErrors) as exc:
        record_round(ctx, round_id, _held([FindingInput(FindingKind.NOTHING), *_findings()],
                                          held_on=date(2026, 12, 5), held_by=""))
    assert {e.path for e in exc.value.errors} == {"held_on", "held_by", "findings"}
    # A case finding the registration refuses (no such mediator): the 预防 record is not kept either.
    findings = _findings()
    findings[0].case.mediators = ["查无此人"]
    with pytest.raises(ValidationErrors) as exc:
        record_round(ctx, round_id, _held(list(reversed(findings))))
    assert all(e.path.startswith("findings[1].case") for e in exc.value.errors)
    with ctx.read() as session:
        assert session.exec(select(ScreeningFinding)).all() == []
        assert session.get(ScreeningRound, round_id).status == RoundStatus.PLANNED.value
    record_round(ctx, round_id, _held([FindingInput(FindingKind.NOTHING)]))
    assert list_rounds(ctx)[0].findings_text == "未发现"


def test_grid_workers_record_their_grid_and_readonly_only_reads(county):
    from tests.services.grid.conftest import PASSWORD, make_grid_worker

    ctx = county
    village_round = plan_round(ctx, PlanInput(village_code=LIUSHU, organization=TOWNSHIP_COMMITTEE)).id
    grid_round = plan_round(ctx, PlanInput(village_code="419901100201", grid="一网格",
                                           organization=TOWNSHIP_COMMITTEE)).id
    worker = make_grid_worker(ctx)  # 东关村一网格
    reader = create_user(ctx, username="chakan", display_name="查看员", password=PASSWORD, role=Role.READONLY,
                         organization_id=None)
    ctx.user, ctx.actor = worker, worker.display_name
    assert [r.id for r in list_rounds(ctx)] == [grid_round]
    with pytest.raises(PermissionDenied):
        record_round(ctx, village_round, _held([FindingInput(FindingKind.NOTHING)]))
    record_round(ctx, grid_round, _held([FindingInput(FindingKind.NOTHING)], held_by="赵网格"))
    with pytest.raises(PermissionDenied):
        plan_round(ctx, PlanInput(village_code=LIUSHU, organization=TOWNSHIP_COMMITTEE))
    ctx.user, ctx.actor = reader, reader.display_name
    assert len(list_rounds(ctx)) == 2
    with pytest.raises(PermissionDenied):
        record_round(ctx, village_round, _held([FindingInput(FindingKind.NOTHING)]))
