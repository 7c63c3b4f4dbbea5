"""Statistics, the 台账, the dashboard and the map on the sample file, counted by hand.

The sample file (tests/helpers.sample_document) holds three cases of 示范县城关镇:
  SF-2026-001  received 06-01 at 城关镇调委会 (application, 婚姻家庭, township level, 4 people):
               written agreement 06-10 for 3,600 yuan, 司法确认 applied 06-20 and confirmed
               06-28, fully performed 07-01, follow-up 07-12 (satisfied).
  SF-2026-002  received 11-20 at 东关村调委会 (grid report, 邻里, grid level, 2 people): accepted.
  SF-2026-003  received 08-03 at 城关镇调委会 (ex officio, 山林土地, village level, 23 people,
               flags group + criminal): failed 08-20, transferred 08-21 to 城关镇自然资源所
               (administrative track), where it is registered again.
"""
from __future__ import annotations

import io
from datetime import date

import pytest
from openpyxl import load_workbook

from mediator.domain.enums import AgreementForm, RiskFlag
from mediator.domain.errors import NotFoundError, ValidationError
from mediator.reporting.stats import Period
from mediator.services.cases import lifecycle as uc
from mediator.services.cases.read import CaseFilter, count_cases
from mediator.services.exchange.importer import import_document
from mediator.services.reports.case_ledger import describe_filter, export_ledger, ledger_cases
from mediator.services.reports.dashboard import dashboard, village_map
from mediator.services.reports.statistics import (
    ALL,
    export_report,
    organization_scope,
    period_stats,
    region_scope,
    scope_choices,
    stats_json,
)
from tests.helpers import agreement_input, case_input
from tests.helpers import sample_document as _sample

YEAR = Period.year(2026)


@pytest.fixture
def sample(ctx):
    import_document(ctx, _sample())
    return ctx


def test_a_year_of_the_sample_file(sample):
    data = stats_json(sample, YEAR)
    assert data["received"] == 3 and data["people_involved"] == 4 + 2 + 23
    assert {k: v for k, v in data["by_source"].items() if v} == {"application": 1, "grid_report": 1,
                                                                   "ex_officio": 1}
    assert {k: v for k, v in data["by_category"].items() if v} == {"marriage_family": 1, "neighbor": 1,
                                                                     "land_forest": 1}
    # SF-2026-003 counts on the track that holds it now; its move is listed under transfers.
    assert data["by_track"] == {"people": 2, "administrative": 1, "judicial": 0}
    assert data["by_level"] == {"grid": 1, "village": 1, "township": 1, "county": 0}
    assert data["succeeded"] == 1 and data["failed"] == 1 and data["withdrawn"] == 0
    assert data["success_rate"] == 0.5
    assert (data["agreements_written"], data["agreements_oral"]) == (1, 0)
    assert data["agreement_amount_yuan"] == "3600.00"
    assert data["performed"] == 1
    assert (data["judicial_confirmation_applied"], data["judicial_confirmed"]) == (1, 1)
    assert data["follow_ups"] == 1 and data["satisfaction"]["satisfied"] == 1
    # SF-2026-003 is flagged group + criminal, but no agreement was reached: nothing prevented.
    assert (data["prevented_criminal"], data["prevented_group_petition"], data["prevented_group_fight"]) == (0, 0, 0)
    assert data["transfers"] == [{"from_track": "people", "to_track": "administrative", "cases": 1}]
    assert data["scope"] == "示范县"


def test_months_count_what_happened_in_them(sample):
    june = stats_json(sample, Period.month(2026, 6))
    assert (june["received"], june["succeeded"], june["success_rate"]) == (1, 1, 1.0)
    assert (june["judicial_confirmation_applied"], june["judicial_confirmed"], june["performed"]) == (1, 1, 0)
    july = stats_json(sample, Period.month(2026, 7))
    assert (july["received"], july["performed"], july["follow_ups"]) == (0, 1, 1)
    august = stats_json(sample, Period.month(2026, 8))
    assert (august["received"], august["failed"], august["success_rate"]) == (1, 1, 0.0)
    november = stats_json(sample, Period.month(2026, 11))
    assert november["received"] == 1 and november["success_rate"] is None


def test_an_empty_period_gives_the_zero_report(sample):
    report = period_stats(sample, Period.year(2025))
    assert report.is_zero and report.received == 0
    data = stats_json(sample, Period.year(2025))
    assert data["success_rate"] is None and data["agreement_amount_yuan"] == "0.00"
    assert data["transfers"] == [] and sum(data["by_category"].values()) == 0


def test_an_organisation_township_and_county(sample):
    committee = organization_scope(sample, "城关镇人民调解委员会")
    data = stats_json(sample, YEAR, committee)
    assert data["scope"] == "城关镇人民调解委员会"
    assert data["received"] == 1 and data["succeeded"] == 1 and data["agreement_amount_yuan"] == "3600.00"
    # The transfer left this committee: it shows in its report.
    assert data["transfers"] == [{"from_track": "people", "to_track": "administrative", "cases": 1}]
    land = stats_json(sample, YEAR, organization_scope(sample, "城关镇自然资源所"))
    assert land["received"] == 1 and land["by_track"]["administrative"] == 1 and land["failed"] == 1
    village = stats_json(sample, YEAR, organization_scope(sample, "东关村人民调解委员会"))
    assert village["received"] == 1 and village["transfers"] == []
    for scope in (region_scope(sample, "城关镇"), region_scope(sample, "419901000000")):
        assert stats_json(sample, YEAR, scope)["received"] == 3
    units = period_stats(sample, YEAR).units
    assert sorted(u.unit.name for u in units) == ["东关村人民调解委员会", "城关镇人民调解委员会", "城关镇自然资源所"]
    assert sum(u.figures.received for u in units) == 3
    with pytest.raises(NotFoundError):
        organization_scope(sample, "不存在的调委会")
    kinds = [s.kind for s in scope_choices(sample)]
    assert kinds[0] == "all" and kinds.count("county") == 1 and kinds.count("township") == 1


def test_a_reversed_period_is_refused(sample):
    with pytest.raises(ValidationError) as err:
        period_stats(sample, Period(date(2026, 3, 1), date(2026, 2, 1)))
    assert err.value.path == "date_to"


def test_cases_not_accepted_are_counted_apart_from_those_received(sample):
    before = stats_json(sample, Period.month(2026, 10))
    rejected = uc.register_case(sample, case_input(received_on=date(2026, 10, 8))).id
    uc.reject_case(sample, rejected, "一方当事人明确拒绝调解", date(2026, 10, 9))
    data = stats_json(sample, Period.month(2026, 10))
    assert data["received"] == before["received"]  # 纠纷受理数 leaves out 不予受理
    assert data["rejected"] == before["rejected"] + 1


def _agreed(ctx, flags, people, form=AgreementForm.WRITTEN, amount="1000") -> int:
    case_id = uc.register_case(ctx, case_input(received_on=date(2026, 10, 8), risk_flags=flags,
                                               people_involved=people)).id
    uc.accept_case(ctx, case_id, date(2026, 10, 8))
    uc.start_mediation(ctx, case_id, date(2026, 10, 9))
    uc.conclude_agreement(ctx, case_id, agreement_input(date(2026, 10, 20), form=form, amount_yuan=amount))
    return case_id


def test_prevention_comes_from_risk_flags_and_an_agreement(sample):
    _agreed(sample, [RiskFlag.CRIMINAL], 3)
    _agreed(sample, [RiskFlag.GROUP, RiskFlag.PETITION], 40, form=AgreementForm.ORAL, amount="0")
    _agreed(sample, [RiskFlag.GROUP, RiskFlag.CRIMINAL], 25, amount="12050.50")
    withdrawn = uc.register_case(sample, case_input(received_on=date(2026, 10, 8),
                                                    risk_flags=[RiskFlag.CRIMINAL], people_involved=5)).id
    uc.accept_case(sample, withdrawn, date(2026, 10, 8))
    uc.start_mediation(sample, withdrawn, date(2026, 10, 9))
    uc.withdraw_case(sample, withdrawn, "当事人撤回", date(2026, 10, 12))
    data = stats_json(sample, Period.month(2026, 10))
    assert data["received"] == 4 and data["succeeded"] == 3
    assert (data["agreements_written"], data["agreements_oral"]) == (2, 1)
    assert data["agreement_amount_yuan"] == "13050.50"
    assert data["withdrawn"] == 1 and data["success_rate"] == 0.75
    assert (data["prevented_criminal"], data["prevented_criminal_people"]) == (2, 28)
    assert (data["prevented_group_petition"], data["prevented_group_petition_people"]) == (1, 40)
    assert (data["prevented_group_fight"], data["prevented_group_fight_people"]) == (1, 25)


def test_the_ledger_of_a_filter(sample):
    rows = ledger_cases(sample, CaseFilter())
    assert [r.number for r in rows] == ["（2026）城关人调字第1号", "（2026）城关资行调字第1号",
                                        "（2026）东关人调字第1号"]
    first, moved, open_ = rows
    assert first.parties == ["刘桂兰", "杨国强"] and first.mediators == ["李建国", "王秀英"]
    assert (first.outcome, first.agreement_form, first.agreement_fen) == ("agree", "written", 360000)
    assert (first.performance, first.follow_up_satisfaction, first.advisor) == ("full", "satisfied", None)
    assert moved.outcome == "fail" and moved.status == "registered" and moved.advisor == "陈立新"
    assert open_.grid == "三网格" and open_.village == "东关村" and open_.outcome is None
    only_open = ledger_cases(sample, CaseFilter(status=["registered", "accepted", "mediating"]))
    assert len(only_open) == 2 == count_cases(sample, CaseFilter(status=["registered", "accepted", "mediating"]))
    assert ledger_cases(sample, CaseFilter(date_from=date(2027, 1, 1))) == []
    assert describe_filter(sample, CaseFilter()) == "全部案件"
    assert "收案日期：2026-01-01至2026-06-30" in describe_filter(
        sample, CaseFilter(date_from=date(2026, 1, 1), date_to=date(2026, 6, 30)))


def test_exports_reopen_with_the_same_figures(sample):
    buffer = io.BytesIO()
    report = export_report(sample, YEAR, ALL, buffer)
    ws = load_workbook(io.BytesIO(buffer.getvalue()))["统计表"]
    total_row = next(r for r in range(7, ws.max_row + 1) if ws.cell(r, 1).value == "合计")
    assert ws.cell(total_row, 3).value == report.received == 3
    assert ws.cell(total_row - 1, 2).value  # one row per organisation above the total
    ledger = io.BytesIO()
    assert export_ledger(sample, CaseFilter(), ledger) == 3
    sheet = load_workbook(io.BytesIO(ledger.getvalue())).active
    assert sheet["B4"].value == "（2026）城关人调字第1号" and sheet["N4"].value == "调解成功（书面协议）"
    assert sheet["N5"].value == "办理中" and sheet.max_row == 6


def test_dashboard_of_the_sample(sample):
    board = dashboard(sample, date(2026, 11, 29))
    assert [(m.year, m.month) for m in board.months][0] == (2025, 12) and len(board.months) == 12
    by_month = {(m.year, m.month): m for m in board.months}
    assert by_month[(2026, 6)].received == 1 and by_month[(2026, 6)].success_rate == 1
    assert by_month[(2026, 8)].concluded == 1 and by_month[(2026, 8)].success_rate == 0
    assert by_month[(2026, 11)].received == 1 and by_month[(2026, 11)].success_rate is None
    assert {c: n for c, n in board.categories if n} == {"marriage_family": 1, "neighbor": 1, "land_forest": 1}
    assert dict(board.open_by_level) == {"grid": 1, "village": 1, "township": 0, "county": 0}
    assert sorted((m.name, m.overdue_cases) for m in board.overdue_by_mediator) == [("张满仓", 1), ("李建国", 1)]
    # Each bar's drill-down filter finds as many cases as the bar says.
    for m in board.overdue_by_mediator:
        assert count_cases(sample, CaseFilter(mediator_id=m.mediator_id, overdue_on=date(2026, 11, 29))) == 1
    assert board.window == (date(2025, 12, 1), date(2026, 11, 30))


def test_village_map_counts(sample):
    data = village_map(sample, YEAR)
    assert not data.has_coordinates
    villages = {v.name: (v.open_cases, v.period_cases) for v in data.villages}
    assert villages == {"东关村": (2, 2), "南街社区": (0, 1), "城关产业园": (0, 0)}
    grids = {g.name: (g.open_cases, g.period_cases) for g in data.grids}
    assert grids["三网格"] == (1, 1) and grids["一网格"] == (1, 1) and grids["南一网格"] == (0, 1)
    assert [(t.name, t.open_cases, t.period_cases) for t in data.townships] == [("城关镇", 2, 3)]
    committee = organization_scope(sample, "东关村人民调解委员会")
    assert {v.name: v.open_cases for v in village_map(sample, YEAR, committee).villages}["东关村"] == 1


def test_village_map_uses_coordinates_when_every_village_has_them(sample):
    from sqlmodel import select

    from mediator.store.models import Region

    with sample.transaction() as session:
        for i, region in enumerate(session.exec(select(Region).where(Region.level == "village")).all()):
            region.lat, region.lon = 34.7 + i / 100, 113.6 + i / 100
    data = village_map(sample, YEAR)
    assert data.has_coordinates and all(v.lat for v in data.villages)


def test_the_overdue_count_is_the_number_of_overdue_cases_listed(sample):
    """Alone, 逾期 is counted on the deadline index; with other filters or a scope, on the cases."""
    from mediator.services.cases.read import list_cases

    for on in (date(2026, 6, 1), date(2026, 9, 1), date(2026, 11, 29), date(2027, 6, 1)):
        for f in (CaseFilter(overdue_on=on), CaseFilter(overdue_on=on, status=["mediating"]),
                  CaseFilter(overdue_on=on, category="neighbor")):
            assert count_cases(sample, f) == len(list_cases(sample, f, limit=1000)), (on, f)
    assert count_cases(sample, CaseFilter(overdue_on=date(2027, 6, 1))) > 0


def test_the_report_carries_the_audit_head_in_its_footer(sample):
    from mediator.services.audit import head, parse_anchor, verify

    anchor = str(head(sample))
    assert period_stats(sample, Period.month(2026, 11), ALL).audit_anchor == anchor
    buffer = io.BytesIO()
    export_report(sample, Period.month(2026, 11), ALL, buffer)
    book = load_workbook(io.BytesIO(buffer.getvalue()))
    for ws in book.worksheets:
        line = f"审计日志锚点：{anchor}（打印时）"
        assert line in [c.value for row in ws.iter_rows() for c in row]
        assert ws.oddFooter.left.text == line  # on every printed page too
    assert verify(sample, parse_anchor(anchor)) == []  # the export's own entry comes after it
