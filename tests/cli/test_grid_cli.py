"""`mediator-cli grid …`: report, queue, dispatch, resolve, feedback, stats."""
from __future__ import annotations

import json

import pytest

from mediator.cli import main
from tests.conftest import SAMPLE_CASES


def run(capsys, *args) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def url(tmp_path, capsys) -> str:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    assert run(capsys, "init", "--db", url)[0] == 0
    assert run(capsys, "import", str(SAMPLE_CASES), "--db", url)[0] == 0
    return url


def _report(capsys, url, *extra) -> tuple[int, str, str]:
    return run(capsys, "grid", "report", "--db", url, "--village", "419901100201", "--grid", "一网格",
               "--parties", "张大山、李小河", "--place", "一组", "--summary", "排水沟堵塞争吵", *extra)


def test_report_queue_dispatch_and_resolve(url, capsys):
    code, out, _ = _report(capsys, url, "--urgency", "紧急", "--phone", "13700000009")
    assert code == 0 and "编号1" in out
    assert _report(capsys, url)[0] == 0
    code, out, _ = run(capsys, "grid", "queue", "--db", url, "--json")
    rows = json.loads(out)
    assert [r["id"] for r in rows] == [1, 2] and rows[0]["urgency_label"] == "紧急"  # the urgent first
    code, out, err = run(capsys, "grid", "dispatch", "1", "--db", url, "--org", "东关村人民调解委员会",
                         "--mediator", "张满仓", "--category", "neighbor")
    assert code == 2 and "可能需要回避" in err  # 张满仓 and a party share a surname in 东关村
    code, out, _ = run(capsys, "grid", "dispatch", "1", "--db", url, "--org", "东关村人民调解委员会",
                       "--mediator", "张满仓", "--category", "neighbor", "--acknowledge")
    assert code == 0 and "已分派" in out and "东关人调字" in out
    code, out, _ = run(capsys, "grid", "resolve", "2", "--db", url, "--note", "当场劝和")
    assert code == 0 and "网格内化解" in out
    code, out, _ = run(capsys, "grid", "queue", "--db", url, "--json")
    assert json.loads(out) == []
    code, out, _ = run(capsys, "grid", "feedback", "2", "--db", url, "--satisfaction", "满意")
    assert code == 0
    code, out, _ = run(capsys, "grid", "queue", "--db", url, "--all")
    assert "网格内化解：当场劝和" in out and "已分派" in out
    code, out, _ = run(capsys, "grid", "stats", "--db", url, "--from", "2026-01-01", "--to", "2026-12-31",
                       "--json")
    assert json.loads(out)["grid_reports_resolved"] == 1
    code, out, _ = run(capsys, "report", "stats", "--db", url, "--from", "2026-01-01", "--to", "2026-12-31",
                       "--json")
    assert json.loads(out)["resolved_by_level"]["by_level"]["grid"] >= 1
    code, out, _ = run(capsys, "report", "stats", "--db", url, "--from", "2026-01-01", "--to", "2026-12-31")
    assert "【化解层级】" in out and "不出网格：" in out


def test_bad_input_is_named_in_chinese(url, capsys):
    code, _, err = run(capsys, "grid", "report", "--db", url, "--village", "419901100201", "--grid", "九网格",
                       "--parties", "张三", "--place", "一组", "--summary", "争吵")
    assert code == 2 and "没有名为“九网格”的网格" in err
    code, _, err = _report(capsys, url, "--phone", "123")
    assert code == 2 and "phone" in err
    code, _, err = run(capsys, "grid", "resolve", "7", "--db", url, "--note", "x")
    assert code == 2 and "网格上报（编号7）不存在" in err
