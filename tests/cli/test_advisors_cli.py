"""`mediator-cli advisors …` on real SQLite files: coverage of the demo county, the .xlsx sheet."""
from __future__ import annotations

import json

import pytest
from openpyxl import load_workbook

from mediator.cli import main
from mediator.services.context import Clock, ServiceContext
from mediator.services.exchange.demo import load_demo
from mediator.services.exchange.demo_data import build_demo_document
from tests.conftest import FIXED_NOW, SAMPLE_CASES
from tests.templates import migrated_sqlite

ON = FIXED_NOW.date().isoformat()


def run(capsys, *args) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def demo_url(tmp_path) -> str:
    db = migrated_sqlite(tmp_path / "demo.db")
    url = db.url
    load_demo(ServiceContext(db, clock=Clock(fixed=FIXED_NOW)), cases=50)
    db.dispose()
    return url


def test_coverage_of_the_demo_county_names_the_villages_without_an_advisor(capsys, demo_url):
    doc = build_demo_document(cases=0, today=FIXED_NOW.date())
    served = {v["code"] for a in doc["advisors"] for v in a["villages"]}
    villages = {r["code"]: r["name"] for r in doc["regions"] if r["level"] == "village"}
    expected = sorted(code for code in villages if code not in served)
    assert len(expected) == 4

    code, out, _ = run(capsys, "advisors", "coverage", "--json", "--on", ON, "--db", demo_url)
    assert code == 0
    report = json.loads(out)
    assert sorted(v["code"] for v in report["without_advisor"]) == expected
    assert {v["name"] for v in report["without_advisor"]} == {villages[c] for c in expected}
    assert len(report["villages"]) == len(villages)
    assert all(v["advisor"] for v in report["villages"] if v["code"] in served)
    # The demo lets one term run out within the warning month.
    assert [(e["advisor"], e["days_left"], e["renewed_by"]) for e in report["ending_within_30_days"]] == [
        ("孙慧敏", 20, None)]

    code, out, _ = run(capsys, "advisors", "coverage", "--on", ON, "--db", demo_url)
    assert code == 0
    assert f"无法律顾问{len(expected)}个" in out and "【无法律顾问】" in out and "聘期将满" in out
    assert all(villages[c] in out.splitlines()[-2] for c in expected)


def test_advisors_go_out_to_xlsx_and_back(capsys, tmp_path, demo_url):
    sheet = tmp_path / "advisors.xlsx"
    code, out, _ = run(capsys, "advisors", "export", "-o", str(sheet), "--db", demo_url)
    assert code == 0 and sheet.is_file()
    rows = list(load_workbook(sheet).active.iter_rows(values_only=True))
    assert rows[0][:2] == ("姓名", "类别") and len(rows) == 1 + 20  # one row per appointment

    fresh = f"sqlite:///{tmp_path / 'fresh.db'}"
    assert run(capsys, "--db", fresh, "init")[0] == 0
    assert run(capsys, "--db", fresh, "import", str(SAMPLE_CASES))[0] == 0
    # The sample county lacks the demo villages: every row naming one is reported, nothing is written.
    code, _, err = run(capsys, "advisors", "import", str(sheet), "--db", fresh)
    assert code == 2 and "村（社区）区划代码419902" in err and "未写入任何数据" in err
    code, out, _ = run(capsys, "advisors", "coverage", "--json", "--on", ON, "--db", fresh)
    assert [v["advisor"] for v in json.loads(out)["villages"]] == [None, "陈立新", None]

    again = run(capsys, "advisors", "import", str(sheet), "--db", demo_url)
    assert again[0] == 0 and "新增法律顾问0名、更新8名" in again[1] and "已有20项未变" in again[1]


def test_the_yearly_summary_is_written_to_xlsx(capsys, tmp_path, demo_url):
    target = tmp_path / "summary.xlsx"
    code, out, _ = run(capsys, "advisors", "summary", "--year", str(FIXED_NOW.year), "-o", str(target),
                       "--db", demo_url)
    assert code == 0 and "年度法律顾问服务汇总" in out
    book = load_workbook(target)
    assert book.sheetnames == ["年度汇总", "服务台账"]
    assert book["年度汇总"].max_row == 1 + 8
