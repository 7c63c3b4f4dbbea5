"""The command line: every command on a real database, JSON shapes, exit codes."""
from __future__ import annotations

import json
import subprocess
import sys

from mediator.cli import main
from tests.conftest import ROOT, SAMPLE_CASES
from tests.helpers import sample_document


def run(capsys, *args) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_init_import_show_and_deadlines(capsys, tmp_path):
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    assert run(capsys, "--db", url, "init")[0] == 0
    code, out, _ = run(capsys, "import", str(SAMPLE_CASES), "--db", url)
    assert code == 0 and "导入案件3件" in out

    code, out, _ = run(capsys, "case", "show", "SF-2026-001", "--json", "--db", url)
    shown = json.loads(out)
    assert {"ref", "number", "track", "status", "level", "parties", "timeline", "deadlines"} <= set(shown)
    assert shown["status"] == "performed"
    assert {"kind", "due", "state"} <= set(shown["deadlines"][0])

    code, out, _ = run(capsys, "case", "show", shown["number"], "--json", "--db", url)
    assert json.loads(out)["ref"] == "SF-2026-001"

    code, out, _ = run(capsys, "deadlines", "--on", "2026-11-29", "--json", "--db", url)
    rows = json.loads(out)
    assert all(set(r) == {"ref", "number", "kind", "due", "overdue"} for r in rows)
    assert {"ref": "SF-2026-002", "number": "（2026）东关人调字第1号", "kind": "handling",
            "due": "2026-12-21", "overdue": False} in rows

    # On a past date, a deadline met later was still running.
    code, out, _ = run(capsys, "deadlines", "--on", "2026-06-15", "--json", "--db", url)
    kinds = {(r["ref"], r["kind"]) for r in json.loads(out)}
    assert ("SF-2026-001", "judicial_confirmation") in kinds

    code, out, _ = run(capsys, "case", "list", "--status", "accepted", "--json", "--db", url)
    assert [r["ref"] for r in json.loads(out)] == ["SF-2026-002"]
    code, out, _ = run(capsys, "case", "list", "--village", "419901100001", "--json", "--db", url)
    assert [r["ref"] for r in json.loads(out)] == ["SF-2026-001"]
    code, out, _ = run(capsys, "case", "list", "--track", "administrative", "--json", "--db", url)
    assert [r["ref"] for r in json.loads(out)] == ["SF-2026-003"]


def test_export_round_trip_through_the_cli(capsys, tmp_path):
    url = f"sqlite:///{tmp_path / 'a.db'}"
    run(capsys, "--db", url, "init")
    run(capsys, "--db", url, "import", str(SAMPLE_CASES))
    out_file = tmp_path / "out.json"
    code, out, _ = run(capsys, "--db", url, "export", "cases", "--from", "2026-06-01", "-o", str(out_file))
    assert code == 0 and "3件" in out
    other = f"sqlite:///{tmp_path / 'b.db'}"
    run(capsys, "--db", other, "init")
    assert run(capsys, "--db", other, "import", str(out_file))[0] == 0
    again = tmp_path / "again.json"
    run(capsys, "--db", other, "export", "cases", "-o", str(again))
    first, second = (json.loads(p.read_text(encoding="utf-8")) for p in (out_file, again))
    first.pop("exported_at"), second.pop("exported_at")
    assert first == second


def test_a_bad_file_exits_2_with_paths_and_imports_nothing(capsys, tmp_path):
    url = f"sqlite:///{tmp_path / 'c.db'}"
    run(capsys, "--db", url, "init")
    doc = sample_document()
    doc["cases"][0]["parties"][0]["id_number"] = "419901194803152120"
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    code, _, err = run(capsys, "--db", url, "import", str(bad))
    assert code == 2
    assert "cases[0].parties[0].id_number: 身份证号校验位错误" in err
    code, out, _ = run(capsys, "--db", url, "case", "list", "--json")
    assert json.loads(out) == []


def test_a_database_that_was_never_initialised_is_explained(capsys, tmp_path):
    code, _, err = run(capsys, "--db", f"sqlite:///{tmp_path / 'new.db'}", "case", "list")
    assert code == 2 and "mediator-cli init" in err


def test_unknown_case_is_reported(capsys, tmp_path):
    url = f"sqlite:///{tmp_path / 'd.db'}"
    run(capsys, "--db", url, "init")
    code, _, err = run(capsys, "--db", url, "case", "show", "NOPE", "--json")
    assert code == 2 and "找不到" in err


def test_python_dash_m_mediator_prints_help():
    result = subprocess.run([sys.executable, "-m", "mediator", "--help"], capture_output=True,
                            text=True, cwd=ROOT, timeout=60)
    assert result.returncode == 0
    for command in ("init", "demo", "import", "export", "case", "deadlines"):
        assert command in result.stdout


def test_a_backup_restores_onto_a_new_path(capsys, tmp_path):
    """A new PC: the backup file is all there is, and restore makes the database from it."""
    url = f"sqlite:///{tmp_path / 'office.db'}"
    run(capsys, "--db", url, "init")
    run(capsys, "--db", url, "import", str(SAMPLE_CASES))
    backup = tmp_path / "备份.db"
    code, out, _ = run(capsys, "--db", url, "backup", str(backup))
    assert code == 0 and backup.is_file()
    new_pc = tmp_path / "新电脑" / "mediator.db"
    code, out, err = run(capsys, "--db", f"sqlite:///{new_pc}", "restore", str(backup), "--reason", "换电脑")
    assert code == 0, err
    code, out, _ = run(capsys, "--db", f"sqlite:///{new_pc}", "case", "list", "--json")
    assert sorted(r["ref"] for r in json.loads(out)) == ["SF-2026-001", "SF-2026-002", "SF-2026-003"]
