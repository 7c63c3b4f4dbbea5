"""`mediator-cli reminders`: what is due or overdue on a day, as the 日程提醒 page lists it."""
from __future__ import annotations

import json
from datetime import date

import pytest

from mediator.cli import main
from mediator.domain.enums import DeadlineKind, Level
from mediator.services.cases import lifecycle as uc
from mediator.services.context import Clock, ServiceContext
from mediator.services.reminders.due import due_now
from mediator.store.db import Database
from tests.conftest import FIXED_NOW, SAMPLE_CASES
from tests.helpers import DONGGUAN, agreement_input, case_input


def run(capsys, *args) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def url(tmp_path, capsys) -> str:
    """The sample county and its cases, plus a written agreement signed Thu 2026-10-15."""
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    assert run(capsys, "init", "--db", url)[0] == 0
    assert run(capsys, "import", str(SAMPLE_CASES), "--db", url)[0] == 0
    db = Database(url)
    ctx = ServiceContext(db, clock=Clock(fixed=FIXED_NOW))
    case_id = uc.register_case(ctx, case_input()).id
    uc.accept_case(ctx, case_id, date(2026, 10, 15))
    uc.start_mediation(ctx, case_id, date(2026, 10, 15))
    uc.conclude_agreement(ctx, case_id, agreement_input(date(2026, 10, 15)))
    uc.register_case(ctx, case_input(level=Level.COUNTY))  # nothing will remind anyone of it
    db.dispose()
    return url


def test_json_rows_are_the_due_rows_of_the_page_with_domain_kind_codes(capsys, url):
    code, out, _ = run(capsys, "reminders", "--on", "2026-11-13", "--json", "--db", url)
    assert code == 0
    rows = json.loads(out)
    codes = {k.value for k in DeadlineKind}
    assert rows and all(r["kind"] in codes for r in rows)
    ctx = ServiceContext(Database(url), clock=Clock(fixed=FIXED_NOW))
    assert [r["key"] for r in rows] == [i.key for i in due_now(ctx, date(2026, 11, 13))]
    confirmation = next(r for r in rows if r["kind"] == "judicial_confirmation")
    assert confirmation["due"] == "2026-11-16" and confirmation["days_left"] == 3
    assert confirmation["nominal"] == "2026-11-14"
    assert confirmation["moved_reason"] == "期限届满日2026年11月14日为星期六，顺延至2026年11月16日"
    assert {"key", "kind", "kind_label", "due", "days_left", "bucket", "overdue", "state",
            "case_number", "target", "parties", "village", "mediators"} <= set(confirmation)


def test_a_day_later_than_the_warning_days_is_not_yet_due(capsys, url):
    _, out, _ = run(capsys, "reminders", "--on", "2026-11-12", "--json", "--db", url)
    assert "judicial_confirmation" not in [r["kind"] for r in json.loads(out)]


def test_text_output_groups_by_overdue_today_and_soon(capsys, url):
    code, out, _ = run(capsys, "reminders", "--on", "2026-11-16", "--db", url)
    assert code == 0
    assert "【逾期】" in out and "【今天】" in out
    assert "2026-11-16 星期一  司法确认申请截止" in out
    assert "期限届满日2026年11月14日为星期六" in out
    assert out.rstrip().endswith("（2026-11-16，含3日内到期）")


def test_filters_by_kind_and_village(capsys, url):
    _, out, _ = run(capsys, "reminders", "--on", "2026-11-29", "--kind", "escalation", "--json", "--db", url)
    rows = json.loads(out)
    assert rows and {r["kind"] for r in rows} == {"escalation"}
    _, out, _ = run(capsys, "reminders", "--on", "2026-11-29", "--village", DONGGUAN, "--json", "--db", url)
    assert {r["village"] for r in json.loads(out)} == {"东关村"}
    code, _, err = run(capsys, "reminders", "--village", "419901999999", "--db", url)
    assert code == 2 and "找不到" in err


def test_no_next_step_lists_the_case_nothing_reminds_of(capsys, url):
    code, out, _ = run(capsys, "reminders", "--on", "2026-11-29", "--no-next-step", "--json", "--db", url)
    assert code == 0
    rows = json.loads(out)
    assert [r["status"] for r in rows] == ["待受理"] and rows[0]["village"] == "东关村"
    _, out, _ = run(capsys, "reminders", "--on", "2026-11-29", "--no-next-step", "--db", url)
    assert "共1件无下一步的案件" in out
