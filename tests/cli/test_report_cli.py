"""`report stats` and `report ledger` on the imported sample file."""
from __future__ import annotations

import json

import pytest
from openpyxl import load_workbook

from mediator.cli import main
from tests.conftest import SAMPLE_CASES

ISSUE_KEYS = ["received", "by_source", "by_category", "by_track", "succeeded", "success_rate",
              "agreements_written", "agreements_oral", "agreement_amount_yuan", "performed",
              "judicial_confirmation_applied", "judicial_confirmed", "prevented_criminal",
              "prevented_group_petition", "prevented_group_fight"]


def run(capsys, *args) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def url(capsys, tmp_path):
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    assert run(capsys, "--db", url, "init")[0] == 0
    assert run(capsys, "import", str(SAMPLE_CASES), "--db", url)[0] == 0
    return url


def test_stats_json_has_the_issue_keys_and_hand_counted_figures(capsys, url):
    code, out, _ = run(capsys, "report", "stats", "--from", "2026-01-01", "--to", "2026-12-31", "--json",
                       "--db", url)
    assert code == 0
    data = json.loads(out)
    for key in ISSUE_KEYS:
        assert key in data, key
    assert isinstance(data["agreement_amount_yuan"], str) and data["agreement_amount_yuan"] == "3600.00"
    assert all(isinstance(data[k], int) for k in ISSUE_KEYS
               if k not in ("by_source", "by_category", "by_track", "success_rate", "agreement_amount_yuan"))
    assert data["received"] == 3 and data["succeeded"] == 1 and data["success_rate"] == 0.5
    assert data["by_source"]["application"] == 1 and data["by_source"]["grid_report"] == 1
    assert data["by_category"]["land_forest"] == 1 and sum(data["by_category"].values()) == 3
    assert data["by_track"] == {"people": 2, "administrative": 1, "judicial": 0}
    assert (data["agreements_written"], data["agreements_oral"], data["performed"]) == (1, 0, 1)
    assert (data["judicial_confirmation_applied"], data["judicial_confirmed"]) == (1, 1)
    assert (data["prevented_criminal"], data["prevented_group_petition"], data["prevented_group_fight"]) == (0, 0, 0)


def test_stats_for_one_organisation_and_an_empty_month(capsys, url):
    code, out, _ = run(capsys, "report", "stats", "--from", "2026-01-01", "--to", "2026-12-31",
                       "--org", "东关村人民调解委员会", "--json", "--db", url)
    data = json.loads(out)
    assert code == 0 and data["received"] == 1 and data["by_source"]["grid_report"] == 1
    code, out, _ = run(capsys, "report", "stats", "--from", "2026-02-01", "--to", "2026-02-28", "--db", url)
    assert code == 0 and "零上报" in out and "受理纠纷数：0件" in out
    code, _, err = run(capsys, "report", "stats", "--from", "2026-01-01", "--to", "2026-12-31",
                       "--org", "没有这个组织", "--db", url)
    assert code == 2 and "没有这个组织" in err
    code, _, err = run(capsys, "report", "stats", "--from", "2026-03-01", "--to", "2026-02-01", "--db", url)
    assert code == 2 and "结束日期不能早于开始日期" in err


def test_stats_xlsx_has_merged_headers_totals_and_prints_landscape(capsys, url, tmp_path):
    target = tmp_path / "report.xlsx"
    code, out, _ = run(capsys, "report", "stats", "--from", "2026-01-01", "--to", "2026-12-31",
                       "-o", str(target), "--db", url)
    assert code == 0 and target.exists() and "统计表已导出" in out
    wb = load_workbook(target)
    ws = wb["统计表"]
    assert ws["A1"].value == "示范县矛盾纠纷排查调处情况统计表" and ws["A2"].value == "（2026年度年报）"
    assert any("计量单位：件、人" in str(c.value) for c in ws[3])
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert "A1:AG1" in merged or any(r.startswith("A1:") for r in merged)
    assert "A4:A6" in merged and "B4:B6" in merged
    assert any(ws.cell(4, c).value == "受理纠纷数" and f"{ws.cell(4, c).coordinate}:" in " ".join(merged)
               for c in range(1, ws.max_column + 1))
    total = next(r for r in range(7, ws.max_row + 1) if ws.cell(r, 1).value == "合计")
    assert ws.cell(total, 3).value == 3  # 受理合计
    assert ws.cell(total, 4).value == 29  # 涉及人数
    assert sum(ws.cell(r, 3).value for r in range(7, total)) == 3
    assert ws.page_setup.orientation == "landscape" and int(ws.page_setup.paperSize) == 9
    assert ws.sheet_properties.pageSetUpPr.fitToPage


def test_ledger_xlsx_of_a_filter(capsys, url, tmp_path):
    target = tmp_path / "ledger.xlsx"
    code, out, _ = run(capsys, "report", "ledger", "--from", "2026-01-01", "--to", "2026-12-31",
                       "--status", "open", "-o", str(target), "--db", url)
    assert code == 0 and "已导出台账2件" in out
    ws = load_workbook(target).active
    assert ws["A3"].value == "序号" and ws["S3"].value == "法律顾问"
    assert [ws.cell(r, 2).value for r in (4, 5)] == ["（2026）城关资行调字第1号", "（2026）东关人调字第1号"]
    assert ws.page_setup.orientation == "landscape"
    code, out, _ = run(capsys, "report", "ledger", "--village", "419901100001", "-o", str(target), "--db", url)
    assert code == 0 and "已导出台账1件" in out
    assert load_workbook(target).active["B4"].value == "（2026）城关人调字第1号"
