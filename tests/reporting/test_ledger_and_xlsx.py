"""The 台账 rows and both Excel files, read back with openpyxl."""
from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

from openpyxl import load_workbook

from mediator.reporting.ledger import LEDGER_COLUMNS, LedgerCase, ledger_table, outcome_text
from mediator.reporting.ledger_xlsx import write_ledger
from mediator.reporting.stats import AgreementRow, Period, ReceivedRow, Unit, aggregate
from mediator.reporting.xlsx import write_report


def _case(**overrides) -> LedgerCase:
    values = dict(number="（2026）城关人调字第1号", received_on=date(2026, 6, 1), accepted_on=date(2026, 6, 2),
                  category="marriage_family", parties=["刘桂兰", "杨国强"], village="南街社区", grid="南一网格",
                  summary="赡养费分担", source="application", organization="城关镇人民调解委员会",
                  mediators=["李建国", "王秀英"], level="township", risk_level="high",
                  risk_flags="group,criminal", status="performed", outcome="agree", agreement_form="written",
                  agreement_fen=360000, performance="full", follow_up_on=date(2026, 7, 12),
                  follow_up_method="phone", follow_up_satisfaction="satisfied", closed_on=date(2026, 6, 10),
                  advisor="陈立新")
    values.update(overrides)
    return LedgerCase(**values)


def test_ledger_rows_follow_the_domain_columns():
    assert len(LEDGER_COLUMNS) == 19 and LEDGER_COLUMNS[0] == "序号" and LEDGER_COLUMNS[-1] == "法律顾问"
    row = ledger_table([_case()])[0]
    values = dict(zip(LEDGER_COLUMNS, row))
    assert values["序号"] == 1 and values["受理日期"] == date(2026, 6, 2)
    assert values["纠纷类型"] == "婚姻家庭" and values["当事人"] == "刘桂兰、杨国强"
    assert values["所在村（社区）/网格"] == "南街社区/南一网格"
    assert values["风险等级"] == "高（群体性、民转刑风险）"
    assert values["调解结果"] == "调解成功（书面协议）" and values["协议金额（元）"] == Decimal("3600.00")
    assert values["履行情况"] == "全部履行" and values["回访情况"] == "2026-07-12 电话回访 满意"
    assert values["结案日期"] == date(2026, 6, 10) and values["法律顾问"] == "陈立新"


def test_ledger_outcomes_of_open_and_ended_cases():
    open_case = _case(status="mediating", outcome=None, agreement_form=None, agreement_fen=None,
                      performance=None, follow_up_on=None, closed_on=None, advisor=None, accepted_on=None)
    assert outcome_text(open_case) == "办理中"
    row = dict(zip(LEDGER_COLUMNS, ledger_table([open_case])[0]))
    assert row["受理日期"] == date(2026, 6, 1) and row["协议金额（元）"] is None and row["履行情况"] == ""
    assert outcome_text(_case(status="failed", outcome="fail", agreement_form=None)) == "调解终止"
    # Failed, then transferred: open again at the receiver.
    assert outcome_text(_case(status="registered", outcome="fail", agreement_form=None)) == "办理中"
    # An archived case keeps the outcome it had.
    assert outcome_text(_case(status="archived", outcome="withdraw", agreement_form=None)) == "撤回"


def test_ledger_workbook_prints_a4_landscape_with_a_header_row():
    buffer = io.BytesIO()
    write_ledger([_case(), _case(number="（2026）城关人调字第2号")], buffer, office="城关镇司法所",
                 description="收案日期：2026-01-01至2026-12-31", made_on=date(2026, 11, 29))
    ws = load_workbook(io.BytesIO(buffer.getvalue())).active
    assert ws["A1"].value == "城关镇司法所矛盾纠纷排查调处台账"
    assert [c.value for c in ws[3]] == list(LEDGER_COLUMNS)
    assert ws["B5"].value == "（2026）城关人调字第2号" and ws["A5"].value == 2
    assert ws.page_setup.orientation == "landscape" and int(ws.page_setup.paperSize) == 9
    assert ws.print_title_rows == "$3:$3"
    assert ws["O4"].value == 3600 and ws["O4"].number_format == "#,##0.00"


def test_report_workbook_has_merged_headers_totals_units_and_landscape():
    report = aggregate(Period.month(2026, 11), "城关镇",
                       [Unit(1, "东关村人民调解委员会", "village_committee"),
                        Unit(2, "城关镇人民调解委员会", "township_committee")],
                       received=[ReceivedRow(1, "application", "neighbor", "people", "village", 3, 7),
                                 ReceivedRow(2, "grid_report", "contract", "people", "grid", 2, 4)],
                       agreements=[AgreementRow(2, "written", 1, 800_000)])
    buffer = io.BytesIO()
    write_report(report, buffer, office="城关镇司法所", filled_on=date(2026, 11, 29))
    wb = load_workbook(io.BytesIO(buffer.getvalue()))
    ws = wb["统计表"]
    assert "城关镇矛盾纠纷排查调处情况统计表" == ws["A1"].value
    assert ws["A2"].value == "（2026年11月月报）"
    assert "填报单位：城关镇司法所" in ws["A3"].value
    assert any("计量单位" in str(c.value) for c in ws[3])
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert "A4:A6" in merged and "B4:B6" in merged
    headers = {ws.cell(4, c).value: c for c in range(1, ws.max_column + 1) if ws.cell(4, c).value}
    assert {"受理纠纷数", "调解情况", "调解协议", "司法确认", "预防成效"} <= set(headers)
    by_source = next(c for c in range(1, ws.max_column + 1) if ws.cell(5, c).value == "按来源")
    assert ws.cell(6, by_source).value == "当事人申请"
    rows = {ws.cell(r, 2).value or ws.cell(r, 1).value: r for r in range(7, ws.max_row + 1)}
    assert ws.cell(rows["合计"], 3).value == 5  # 受理 合计
    assert ws.cell(rows["东关村人民调解委员会"], 3).value == 3
    amount = next(c for c in range(1, ws.max_column + 1) if ws.cell(6, c).value == "涉及金额（元）"
                  or ws.cell(5, c).value == "涉及金额（元）")
    assert ws.cell(rows["合计"], amount).value == Decimal("8000.00")
    assert ws.page_setup.orientation == "landscape" and int(ws.page_setup.paperSize) == 9
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth == 1
    categories = wb["纠纷类型"]
    cat_headers = [categories.cell(5, c).value for c in range(1, categories.max_column + 1)]
    assert "邻里" in cat_headers and "婚姻家庭" in cat_headers


def test_ledger_rows_grow_with_their_longest_wrapped_text():
    from mediator.reporting.ledger_xlsx import row_height

    short = ledger_table([_case(summary="邻里纠纷")])[0]
    long = ledger_table([_case(summary="因宅基地边界发生争执，双方多次协商未果" * 6)])[0]
    ascii_long = ledger_table([_case(summary="x" * 200)])[0]
    assert row_height(short) == 12.5 * 2 + 3  # 调解组织 takes two lines
    # 120 CJK characters are 180 columns wide: five lines in the 36-column summary.
    assert row_height(long) == 12.5 * 5 + 3
    assert row_height(ascii_long) == 12.5 * 6 + 3
