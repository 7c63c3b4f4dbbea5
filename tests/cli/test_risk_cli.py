"""`mediator-cli risk`: the open warnings as JSON, the scan, acknowledging with a follow-up."""
from __future__ import annotations

import json
from datetime import date

import pytest

from mediator.cli import main
from mediator.domain.enums import RiskLevel
from mediator.services.cases import lifecycle as uc
from mediator.services.context import Clock, ServiceContext
from mediator.store.db import Database
from tests.conftest import FIXED_NOW
from tests.helpers import applicant, case_input, respondent, seed_county


def run(capsys, *args) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def url(tmp_path, capsys) -> str:
    """A group dispute (12 people) and a high-risk case without a step since 2026-11-20."""
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    assert run(capsys, "init", "--db", url)[0] == 0
    db = Database(url)
    ctx = ServiceContext(db, clock=Clock(fixed=FIXED_NOW))
    seed_county(ctx)
    uc.register_case(ctx, case_input(people_involved=12))
    uc.register_case(ctx, case_input(risk_level=RiskLevel.HIGH, received_on=date(2026, 11, 20),
                                     summary="两户因宅基地界址争执。",
                                     parties=[applicant(name="张三", id_number=None, phone="13900000001"),
                                              respondent(name="李四", id_number=None, phone="13900000002")]))
    db.dispose()
    return url


def test_alerts_json_has_exactly_the_documented_keys(capsys, url):
    code, out, _ = run(capsys, "risk", "alerts", "--on", "2026-11-29", "--json", "--db", url)
    assert code == 0
    rows = json.loads(out)
    assert rows == [{"ref": None, "number": "（2026）城关人调字第1号", "rule": "群体性纠纷", "level": "高",
                     "since": "2026-10-14"}]
    _, before, _ = run(capsys, "risk", "alerts", "--on", "2026-10-13", "--json", "--db", url)
    assert json.loads(before) == []


def test_scan_raises_the_stalled_warning_once_and_ack_takes_it_off_the_list(capsys, url):
    assert run(capsys, "risk", "scan", "--on", "2026-12-10", "--db", url)[1].strip() == "检查完成，新增1条预警"
    assert run(capsys, "risk", "scan", "--on", "2026-12-11", "--db", url)[1].strip() == "检查完成，新增0条预警"
    _, out, _ = run(capsys, "risk", "alerts", "--on", "2026-12-10", "--json", "--db", url)
    assert [r["rule"] for r in json.loads(out)] == ["群体性纠纷", "高风险案件久无进展"]
    _, text, _ = run(capsys, "risk", "alerts", "--db", url)
    assert "[1] （2026）城关人调字第1号  群体性纠纷  高" in text
    code, _, err = run(capsys, "risk", "ack", "1", "--who", "王所长", "--note", " ", "--db", url)
    assert code == 2 and "跟进情况不能为空" in err
    assert run(capsys, "risk", "ack", "1", "--who", "王所长", "--note", "已约谈", "--db", url)[0] == 0
    _, out, _ = run(capsys, "risk", "alerts", "--on", "2026-12-10", "--json", "--db", url)
    assert [r["rule"] for r in json.loads(out)] == ["高风险案件久无进展"]
    _, handled, _ = run(capsys, "risk", "alerts", "--handled", "--db", url)
    assert "跟进人：王所长；已约谈" in handled


def test_rules_lists_the_shipped_rules(capsys, url):
    code, out, _ = run(capsys, "risk", "rules", "--db", url)
    assert code == 0 and "群体性纠纷（group）  启用  等级高  涉及人数或当事人达到5人" in out
