"""化解层级: counts by level and the shares resolved without leaving grid / community / township."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

from mediator.domain.enums import Level
from mediator.reporting.stats import Period
from mediator.services.cases import lifecycle as uc
from mediator.services.grid.dispatch import dispatch_report, resolve_in_grid
from mediator.services.grid.intake import GridReportInput, report_event
from mediator.services.reports.resolution import resolution_by_level
from mediator.services.reports.statistics import ReportScope
from tests.helpers import TOWNSHIP_COMMITTEE, VILLAGE_COMMITTEE, agreement_input, case_input

NOVEMBER = Period.month(2026, 11)


def _agree(ctx, case_id):
    uc.accept_case(ctx, case_id, date(2026, 11, 20))
    uc.start_mediation(ctx, case_id, date(2026, 11, 21))
    uc.conclude_agreement(ctx, case_id, agreement_input(date(2026, 11, 25), deadline=date(2026, 12, 15)))


def _report(ctx):
    return report_event(ctx, GridReportInput(parties="张大山", place="一组", summary="琐事争吵",
                                             reported_on=date(2026, 11, 18))).id


def test_counts_by_level_and_the_shares(people):
    worker = people.as_user(people.grid_worker)
    resolved, dispatched = _report(worker), _report(worker)
    head = people.as_user(people.head)
    resolve_in_grid(head, resolved, "当场劝和")
    village_case = dispatch_report(head, dispatched, VILLAGE_COMMITTEE, ["张满仓"], acknowledge_conflicts=True).id
    ctx = people.as_user(None)
    _agree(ctx, village_case)
    for level in (Level.TOWNSHIP, Level.COUNTY):
        _agree(ctx, uc.register_case(ctx, case_input(level=level, received_on=date(2026, 11, 10),
                                                     organization=TOWNSHIP_COMMITTEE)).id)
    found = resolution_by_level(ctx, NOVEMBER)
    assert found.by_level == {"grid": 1, "village": 1, "township": 1, "county": 1}
    assert found.grid_reports == 1 and found.total == 4
    assert found.share_in_grid == Decimal("0.25")
    assert found.share_in_village == Decimal("0.5")
    assert found.share_in_township == Decimal("0.75")
    assert found.as_json()["share_in_township"] == "0.7500"

    assert resolution_by_level(ctx, Period.month(2026, 10)).total == 0
    assert resolution_by_level(ctx, Period.month(2026, 10)).share_in_grid is None
    township = ReportScope("township", _township_id(ctx), "城关镇")
    assert resolution_by_level(ctx, NOVEMBER, township).total == 4
    # the grid worker's 工作台 counts what they reported
    mine = resolution_by_level(people.as_user(people.grid_worker), NOVEMBER)
    assert mine.by_level == {"grid": 1, "village": 1, "township": 0, "county": 0}


def _township_id(ctx) -> int:
    from sqlmodel import select

    from mediator.store.models import Region
    with ctx.read() as session:
        return session.exec(select(Region.id).where(Region.code == "419901100000")).one()
