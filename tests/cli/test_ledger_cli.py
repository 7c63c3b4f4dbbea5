"""`mediator-cli ledger import`: the JSON report, dry run, re-import and exit codes."""
from __future__ import annotations

import json

from mediator.cli import main
from tests.conftest import SAMPLE_CASES
from tests.helpers import DONGGUAN, TOWNSHIP_COMMITTEE
from tests.ledger_files import BAD_ID_ROW, messy_ledger, write_ledger


def run(capsys, *args) -> tuple[int, str, str]:
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def test_ledger_import_json_dry_run_and_again(capsys, tmp_path):
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    assert run(capsys, "--db", url, "init")[0] == 0
    doc = json.loads(SAMPLE_CASES.read_text(encoding="utf-8"))
    doc["cases"] = []
    county = tmp_path / "county.json"
    county.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    assert run(capsys, "import", county, "--db", url)[0] == 0
    ledger = messy_ledger(tmp_path)
    args = ("ledger", "import", ledger, "--org", TOWNSHIP_COMMITTEE, "--village", DONGGUAN, "--db", url)

    code, out, _ = run(capsys, *args, "--dry-run", "--json")
    report = json.loads(out)
    assert code == 0 and report["dry_run"] and report["imported"] == 3
    assert set(report) >= {"rows", "imported", "skipped", "problems"}
    assert {"row": BAD_ID_ROW, "column": "身份证号"}.items() <= report["problems"][0].items()

    code, out, err = run(capsys, *args)
    assert code == 0 and "导入案件3件" in out and f"第{BAD_ID_ROW}行「身份证号」：身份证号校验位错误" in err

    code, out, _ = run(capsys, *args, "--json")
    assert code == 0 and json.loads(out)["imported"] == 0 and json.loads(out)["already_imported"] == 3

    bad_only = write_ledger(tmp_path / "坏行.xlsx", [[1, "张三", "", "", "", "", "争执", "2023.13.1"]])
    code, out, _ = run(capsys, "ledger", "import", bad_only, "--org", TOWNSHIP_COMMITTEE, "--village", DONGGUAN,
                       "--json", "--db", url)
    assert code == 1 and json.loads(out)["problems"][0]["column"] == "受理日期"

    broken = tmp_path / "坏.xlsx"
    broken.write_bytes(b"xx")
    code, _, err = run(capsys, "ledger", "import", broken, "--db", url)
    assert code == 2 and "无法读取该文件" in err
