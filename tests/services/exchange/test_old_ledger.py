"""导入旧台账 on both databases: the row-by-row report, cases with their history, nothing partial
on a fatal problem, the saved mapping, and a second import that adds nothing."""
from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import func, select

from mediator.domain.errors import ValidationErrors
from mediator.domain.ledger_columns import LedgerField
from mediator.services.cases.read import case_detail
from mediator.services.exchange.old_ledger import check_ledger, import_ledger, open_ledger
from mediator.services.settings import set_setting
from mediator.store.models import AuditEntry, Case, Mediator
from tests.helpers import DONGGUAN, TOWNSHIP_COMMITTEE, VILLAGE_COMMITTEE, seed_county
from tests.ledger_files import (
    BAD_DATE_ROW,
    BAD_ID,
    BAD_ID_ROW,
    FEMALE_ID,
    HEADERS,
    MALE_ID,
    NEGATIVE_ROW,
    messy_ledger,
    write_ledger,
)


@pytest.fixture
def county(ctx):
    seed_county(ctx)
    return ctx


def _count(ctx, model) -> int:
    with ctx.read() as s:
        return s.exec(select(func.count()).select_from(model)).one()


def _cases(ctx) -> list[Case]:
    with ctx.read() as s:
        return list(s.exec(select(Case).order_by(Case.id)))


def test_messy_ledger_reports_row_by_row_and_imports_the_good_rows(county, tmp_path):
    ctx = county
    plan = open_ledger(ctx, messy_ledger(tmp_path))
    assert plan.sheet.header_row == 2 and not plan.saved
    assert plan.mapping[1] is LedgerField.PARTIES and plan.mapping[7] is LedgerField.RECEIVED_ON
    result = import_ledger(ctx, plan.sheet, plan.mapping, organization=TOWNSHIP_COMMITTEE, village_code=DONGGUAN)
    assert (result.rows, result.imported, result.skipped, result.already) == (6, 3, 3, 0)
    assert [(p.row, p.column, p.message, p.warning) for p in result.problems] == [
        (BAD_ID_ROW, "身份证号", f"身份证号校验位错误「{BAD_ID}」", False),
        (NEGATIVE_ROW, "涉及金额", "金额为负「-500元」", False),
        (8, "纠纷类型", "纠纷类型「莫名纠纷」无法对应，按“其他”导入", True),
        (BAD_DATE_ROW, "受理日期", "日期无法识别「2023.13.45」（没有这一天）", False),
    ]
    agreed, failed, withdrawn = _cases(ctx)
    assert (agreed.category, agreed.amount_fen, agreed.received_on) == ("marriage_family", 120000, date(2023, 5, 6))
    assert (failed.status, failed.category, failed.amount_fen) == ("archived", "neighbor", 120050)
    assert (withdrawn.status, withdrawn.category) == ("archived", "other")
    detail = case_detail(ctx, agreed.id)
    assert [e.action for e in detail.timeline] == [
        "register", "accept", "start", "agree", "perform", "follow_up", "archive"]
    assert detail.status == "archived" and all(e.imported for e in detail.timeline[1:])
    assert [(p.name, p.role, p.id_number, p.gender) for p in detail.parties] == [
        ("张三", "applicant", MALE_ID, "male"), ("李四", "respondent", FEMALE_ID, "female")]
    assert {d.kind: d.state for d in detail.deadlines}["handling"] == "met"
    assert [e.action for e in case_detail(ctx, failed.id).timeline][-2:] == ["fail", "archive"]
    assert [e.action for e in case_detail(ctx, withdrawn.id).timeline][-2:] == ["withdraw", "archive"]
    with ctx.read() as s:  # the new 调解员 of row 8 joined the organisation
        assert s.exec(select(Mediator).where(Mediator.name == "新调解员")).first() is not None
        assert s.exec(select(AuditEntry).where(AuditEntry.action == "ledger.import")).first() is not None


def test_importing_the_same_ledger_again_adds_nothing_and_reuses_the_mapping(county, tmp_path):
    ctx = county
    path = messy_ledger(tmp_path)
    plan = open_ledger(ctx, path)
    mapping = list(plan.mapping)
    mapping[14] = LedgerField.IGNORE  # the person drops 回访情况
    import_ledger(ctx, plan.sheet, mapping, organization=TOWNSHIP_COMMITTEE, village_code=DONGGUAN)
    before = _count(ctx, Case)
    again = open_ledger(ctx, path)
    assert again.saved and again.mapping == mapping
    result = import_ledger(ctx, again.sheet, again.mapping, organization=TOWNSHIP_COMMITTEE,
                           village_code=DONGGUAN)
    assert (result.imported, result.already, _count(ctx, Case)) == (0, 3, before)
    # The same rows in another file, in another order, with other 序号: still the same cases.
    from tests.ledger_files import MESSY_ROWS
    rows = [list(r) for r in reversed(MESSY_ROWS)]
    for r in rows:
        r[0] = 99
    other = open_ledger(ctx, write_ledger(tmp_path / "另一份.xlsx", rows, title=None))
    result = import_ledger(ctx, other.sheet, other.mapping, organization=TOWNSHIP_COMMITTEE,
                           village_code=DONGGUAN)
    assert (result.imported, result.already, _count(ctx, Case)) == (0, 3, before)


def test_dry_run_checks_everything_and_writes_nothing(county, tmp_path):
    ctx = county
    plan = open_ledger(ctx, messy_ledger(tmp_path))
    result = import_ledger(ctx, plan.sheet, plan.mapping, organization=TOWNSHIP_COMMITTEE,
                           village_code=DONGGUAN, dry_run=True)
    assert result.dry_run and result.imported == 3 and _count(ctx, Case) == 0
    assert not open_ledger(ctx, plan.path).saved


def test_a_fatal_problem_writes_nothing(county, tmp_path):
    ctx = county
    plan = open_ledger(ctx, messy_ledger(tmp_path))
    with pytest.raises(ValidationErrors) as info:
        import_ledger(ctx, plan.sheet, plan.mapping, organization="不存在的调委会")
    assert info.value.errors[0].message == "调解组织“不存在的调委会”不存在"
    mapping = [LedgerField.IGNORE if f is LedgerField.RECEIVED_ON else f for f in plan.mapping]
    with pytest.raises(ValidationErrors) as info:
        import_ledger(ctx, plan.sheet, mapping, organization=TOWNSHIP_COMMITTEE, village_code=DONGGUAN)
    assert [e.message for e in info.value.errors] == ["没有对应“受理日期”的列"]
    with pytest.raises(ValidationErrors) as info:
        import_ledger(ctx, plan.sheet, plan.mapping, organization=TOWNSHIP_COMMITTEE, village_code="419901100999")
    assert "不在城关镇人民调解委员会的辖区内" in info.value.errors[0].message

    calls = []

    def cancel_at_third() -> bool:
        calls.append(1)
        return len(calls) == 3
    from mediator.services.exchange.old_ledger import LedgerCancelled
    with pytest.raises(LedgerCancelled):
        import_ledger(ctx, plan.sheet, plan.mapping, organization=TOWNSHIP_COMMITTEE,
                      village_code=DONGGUAN, cancel=cancel_at_third)
    assert _count(ctx, Case) == 0 and _count(ctx, Mediator) == 3


def test_village_column_and_office_default(county, tmp_path):
    ctx = county
    headers = ["序号", "当事人", "村（社区）", "纠纷简要情况", "受理日期", "调解结果"]
    rows = [[1, "甲", "东关", "争执一", "2024.1.2", "成功"], [2, "乙", "南街社区", "争执二", "2024.1.3", ""],
            [3, "丙", "北山村", "争执三", "2024.1.4", "成功"], [4, "丁", "", "争执四", "2024.1.5", "成功"]]
    plan = open_ledger(ctx, write_ledger(tmp_path / "村.xlsx", rows, headers=headers))
    result = import_ledger(ctx, plan.sheet, plan.mapping, organization=TOWNSHIP_COMMITTEE)
    assert [(p.row, p.column, p.message) for p in result.problems] == [
        (5, "村（社区）", "村（社区）「北山村」不在城关镇人民调解委员会的辖区内"),
        (6, "村（社区）", "未填写村（社区），也未指定默认村（社区）"),
    ]
    first, second = _cases(ctx)
    assert first.status == "archived" and second.status == "accepted"
    # A village committee's own village is the default; the office setting names the organisation.
    set_setting(ctx, "office.organization", VILLAGE_COMMITTEE)
    rows = [[1, "戊", "", "争执五", "2024.2.1", "达成协议"]]
    plan = open_ledger(ctx, write_ledger(tmp_path / "村2.xlsx", rows, headers=headers))
    result = import_ledger(ctx, plan.sheet, plan.mapping)
    assert result.imported == 1 and result.problems == []
    assert _cases(ctx)[-1].level == "village"


def test_unreadable_files_are_refused_in_chinese(ctx, tmp_path):
    bad = tmp_path / "坏.xlsx"
    bad.write_bytes(b"not a workbook")
    with pytest.raises(ValidationErrors) as info:
        open_ledger(ctx, bad)
    assert info.value.errors[0].message.startswith("无法读取该文件")
    with pytest.raises(ValidationErrors) as info:
        open_ledger(ctx, write_ledger(tmp_path / "无表头.xlsx", [[1, 2, 3]], headers=["甲", "乙", "丙"]))
    assert info.value.errors[0].message.startswith("没有找到表头行")


def test_check_ledger_is_the_preview_without_the_database(tmp_path):
    from mediator.domain.ledger_columns import guess_mapping
    from mediator.services.exchange.ledger_file import read_ledger_file

    sheet = read_ledger_file(messy_ledger(tmp_path))
    check = check_ledger(sheet, guess_mapping(sheet.headers), date(2026, 11, 29))
    assert check.rows == 6 and [c.row for c in check.cases] == [3, 4, 8]
    assert len(HEADERS) == len(sheet.headers)


def test_openpyxl_reads_the_ledger_when_calamine_cannot(tmp_path, monkeypatch):
    from mediator.services.exchange import ledger_file

    path = messy_ledger(tmp_path)
    fast = ledger_file.read_ledger_file(path)

    def refuse(_path):
        raise RuntimeError("calamine cannot open it")
    monkeypatch.setattr(ledger_file, "_calamine_sheets", refuse)
    slow = ledger_file.read_ledger_file(path)
    assert (slow.name, slow.header_row, slow.headers, len(slow.rows)) == (
        fast.name, fast.header_row, fast.headers, len(fast.rows))
