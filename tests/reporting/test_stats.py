"""Pure aggregation: grouped rows in, figures and the total out; the zero report; edge cases."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from mediator.domain.enums import Category, Level, Source, Track
from mediator.domain.errors import ValidationError
from mediator.reporting.present import report_lines, to_json
from mediator.reporting.stats import (
    AgreementRow,
    CountRow,
    Figures,
    FlaggedAgreementRow,
    FollowUpRow,
    Period,
    ReceivedRow,
    TransferRow,
    Unit,
    aggregate,
    prevention_kinds,
)

ISSUE_KEYS = ("received", "by_source", "by_category", "by_track", "succeeded", "success_rate",
              "agreements_written", "agreements_oral", "agreement_amount_yuan", "performed",
              "judicial_confirmation_applied", "judicial_confirmed", "prevented_criminal",
              "prevented_group_petition", "prevented_group_fight")
VILLAGE = Unit(1, "东关村人民调解委员会", "village_committee")
TOWNSHIP = Unit(2, "城关镇人民调解委员会", "township_committee")
NOVEMBER = Period.month(2026, 11)


def _two_units():
    return aggregate(
        NOVEMBER, "城关镇", [TOWNSHIP, VILLAGE],
        received=[ReceivedRow(1, "application", "neighbor", "people", "village", 3, 7),
                  ReceivedRow(1, "grid_report", "neighbor", "people", "grid", 1, 2),
                  ReceivedRow(2, "referral_court", "contract", "judicial", "township", 2, 5)],
        agreements=[AgreementRow(1, "written", 2, 800_000), AgreementRow(1, "oral", 1, 0),
                    AgreementRow(2, "written", 1, 1_205_050)],
        flagged=[FlaggedAgreementRow(1, "group,petition", 1, 30), FlaggedAgreementRow(2, "criminal,group", 1, 12),
                 FlaggedAgreementRow(2, "repeat", 1, 2)],
        counts=[CountRow(1, "failed", 1), CountRow(2, "withdrawn", 1), CountRow(2, "performed", 1),
                CountRow(1, "judicial_confirmation_applied", 2), CountRow(1, "judicial_confirmed", 1)],
        follow_ups=[FollowUpRow(1, "satisfied", 2), FollowUpRow(2, None, 1)],
        transfers=[TransferRow("people", "administrative", 1), TransferRow("people", "administrative", 1)])


def test_rows_fold_into_each_unit_and_the_total():
    report = _two_units()
    village, township = (u.figures for u in report.units)  # village committees first
    assert [u.unit.name for u in report.units] == [VILLAGE.name, TOWNSHIP.name]
    assert village.received == 4 and village.people_involved == 9
    assert village.by_level == {"grid": 1, "village": 3, "township": 0, "county": 0}
    assert township.by_track["judicial"] == 2 and township.by_source["referral_court"] == 2
    t = report.total
    assert t.received == 6 and t.by_category["neighbor"] == 4 and t.by_category["contract"] == 2
    assert t.succeeded == 4 and t.agreements_written == 3 and t.agreements_oral == 1
    assert t.agreement_amount_yuan == Decimal("20050.50")
    assert (t.failed, t.withdrawn, t.performed) == (1, 1, 1)
    assert (t.judicial_confirmation_applied, t.judicial_confirmed) == (2, 1)
    assert t.follow_ups == 3 and t.satisfaction["satisfied"] == 2
    # 4 agreements ÷ (4 + 1 failed + 1 withdrawn)
    assert t.success_rate == Decimal("0.6667") and t.success_rate_text == "66.7%"
    assert (t.prevented_criminal, t.prevented_criminal_people) == (1, 12)
    assert (t.prevented_group_petition, t.prevented_group_petition_people) == (1, 30)
    assert (t.prevented_group_fight, t.prevented_group_fight_people) == (1, 12)
    assert [(r.from_track, r.to_track, r.cases) for r in report.transfers] == [("people", "administrative", 2)]
    assert report.by_organization_kind["village_committee"] == 4
    assert report.by_organization_kind["township_committee"] == 2


def test_a_period_without_cases_is_a_zero_report():
    report = aggregate(Period.year(2025), "示范县", [])
    assert report.is_zero and report.units == [] and report.total == Figures()
    data = to_json(report)
    assert all(key in data for key in ISSUE_KEYS)
    assert data["received"] == 0 and data["success_rate"] is None
    assert data["agreement_amount_yuan"] == "0.00"
    assert data["by_source"] == {s.value: 0 for s in Source}
    assert data["by_category"] == {c.value: 0 for c in Category}
    assert data["by_track"] == {t.value: 0 for t in Track}
    assert report.total.success_rate_text == "—"


def test_an_organisation_without_cases_still_has_its_row():
    report = aggregate(NOVEMBER, TOWNSHIP.name, [TOWNSHIP])
    assert [u.unit for u in report.units] == [TOWNSHIP] and report.units[0].figures == Figures()


@pytest.mark.parametrize(("agreed", "failed", "withdrawn", "rate"), [
    (0, 0, 0, None),  # nothing ended: no rate, not 0 %
    (0, 3, 0, Decimal("0")),
    (5, 0, 0, Decimal("1")),
    (1, 1, 1, Decimal("0.3333")),
    (2, 1, 0, Decimal("0.6667")),  # rounded half up to four places
    (1, 7, 0, Decimal("0.1250")),
])
def test_success_rate_edges(agreed, failed, withdrawn, rate):
    f = Figures(agreements_written=agreed, failed=failed, withdrawn=withdrawn)
    assert f.success_rate == rate


def test_rejected_cases_do_not_count_against_the_success_rate():
    f = Figures(agreements_oral=1, rejected=5)
    assert f.success_rate == Decimal("1")


def test_prevention_follows_the_risk_flags():
    assert prevention_kinds("") == []
    assert prevention_kinds("repeat") == []
    assert prevention_kinds("criminal") == ["criminal"]
    assert prevention_kinds("group") == ["group_fight"]
    assert prevention_kinds("petition,group") == ["group_petition"]
    assert prevention_kinds("group,criminal,petition") == ["criminal", "group_petition"]


def test_rows_of_a_unit_not_named_are_kept():
    report = aggregate(NOVEMBER, "x", [], received=[ReceivedRow(9, "other", "other", "people", "grid", 1)])
    assert report.received == 1 and report.units[0].unit.name == "（未知单位）"


def test_unknown_measure_is_a_bug():
    with pytest.raises(ValueError):
        aggregate(NOVEMBER, "x", [VILLAGE], counts=[CountRow(1, "bogus", 1)])


def test_periods_and_their_names():
    assert Period.month(2026, 2) == Period(date(2026, 2, 1), date(2026, 2, 28), "month")
    assert Period.month(2026, 12).date_to == date(2026, 12, 31)
    assert Period.quarter(2026, 4) == Period(date(2026, 10, 1), date(2026, 12, 31), "quarter")
    assert Period.year(2026).label == "2026年度"
    assert Period.month(2026, 11).label == "2026年11月"
    assert Period.quarter(2026, 1).label == "2026年第一季度"
    assert Period.custom(date(2026, 7, 1), date(2026, 9, 30)).kind == "quarter"
    assert Period.custom(date(2026, 1, 5), date(2026, 3, 15)).label == "2026年1月5日至2026年3月15日"
    with pytest.raises(ValidationError) as err:
        Period(date(2026, 2, 1), date(2026, 1, 1)).check()
    assert err.value.message == "结束日期不能早于开始日期"


def test_json_and_lines_carry_every_figure():
    report = _two_units()
    data = to_json(report)
    assert data["succeeded"] == 4 and data["success_rate"] == 0.6667
    assert data["agreement_amount_yuan"] == "20050.50"
    assert data["by_level"] == {lv.value: n for lv, n in zip(Level, (1, 3, 2, 0))}
    lines = {line.key: line for line in report_lines(report)}
    assert lines["received"].value == "6" and lines["success_rate"].value == "66.7%"
    assert lines["agreement_amount_yuan"].value == "20,050.50" and lines["agreement_amount_yuan"].unit == "元"
    assert lines["by_category.neighbor"].label == "邻里"
    assert lines["transfers.people.administrative"].label == "人民调解 → 行政调解"
    assert sum(1 for line in report_lines(report) if line.section == "按纠纷类型") == len(Category)
