"""The 审计日志 page's service: filters, Chinese names of the acts, the chain check (both databases)."""
from __future__ import annotations

from datetime import date, timedelta

import pytest

from mediator.domain.errors import PermissionDenied
from mediator.services import audit
from mediator.services.cases import lifecycle as uc
from mediator.services.context import Clock, ServiceContext
from mediator.services.safety.audit_log import (
    ALL_CASE_ACTS,
    AuditFilter,
    action_label,
    audit_actions,
    audit_users,
    describe_detail,
    list_audit,
    verify_audit,
)
from tests.audit_tamper import tamper
from tests.helpers import DONGGUAN, case_input, seed_county


def _as(ctx: ServiceContext, actor: str, days: int = 0) -> ServiceContext:
    return ServiceContext(ctx.db, actor=actor, clock=Clock(fixed=ctx.now() + timedelta(days=days)))


@pytest.fixture
def logged(ctx):
    """Acts by two people on two days: 张三 registers and accepts, 李四 exports a day later."""
    seed_county(ctx)
    zhang = _as(ctx, "张三")
    case_id = uc.register_case(zhang, case_input()).id
    uc.accept_case(zhang, case_id)
    audit.log(_as(ctx, "李四", days=1), "export", "台账 1件", {"kind": "ledger", "filter": "城关镇全部案件"})
    return ctx


def test_newest_first_with_chinese_labels(logged):
    lines = list_audit(logged)
    assert [line.action for line in lines[:3]] == ["export", "case.accept", "case.register"]
    assert [line.action_label for line in lines[:3]] == ["导出", "案件受理", "案件登记"]
    assert lines[0].detail_text == "类别：案件台账；筛选条件：城关镇全部案件"


def test_filters_by_user_action_dates_and_text(logged):
    assert {line.username for line in list_audit(logged, AuditFilter(username="张三"))} == {"张三"}
    assert [line.action for line in list_audit(logged, AuditFilter(action="export"))] == ["export"]
    cases = list_audit(logged, AuditFilter(action=ALL_CASE_ACTS))
    assert [line.action for line in cases] == ["case.accept", "case.register"]
    today = logged.today()
    on_day_one = list_audit(logged, AuditFilter(date_from=today, date_to=today))
    assert "export" not in [line.action for line in on_day_one] and on_day_one
    later = list_audit(logged, AuditFilter(date_from=today + timedelta(days=1)))
    assert [line.action for line in later] == ["export"]
    number = cases[0].target
    assert {line.target for line in list_audit(logged, AuditFilter(text=number[-6:]))} == {number}
    # Chinese in the detail is found although JSON stores it escaped.
    assert [line.action for line in list_audit(logged, AuditFilter(text="城关镇全部"))] == ["export"]
    assert list_audit(logged, AuditFilter(text="100%_不存在")) == []
    assert len(list_audit(logged, limit=2)) == 2


def test_users_and_actions_offered_are_those_recorded(logged):
    assert {"张三", "李四"} <= set(audit_users(logged))
    choices = dict(audit_actions(logged))
    assert choices["export"] == "导出"
    assert choices[ALL_CASE_ACTS] == "案件办理（全部）"
    assert choices["case.register"] == "案件登记"


def test_every_recorded_code_has_a_chinese_label():
    for code in ("login", "login.failed", "reveal", "export", "print", "print.copy", "print.draft",
                 "backup", "restore", "destroy", "handover", "lock", "unlock", "import", "case.edit",
                 "case.archive", "case.handover", "database.encrypt"):
        assert action_label(code) != code, code
    assert action_label("something.new") == "something.new"
    assert describe_detail({"to": "accepted", "note": ""}, "case.accept") == "新状态：已受理"
    assert describe_detail({"from": "张三", "to": "李四"}, "case.handover") == "原调解员：张三；接手调解员：李四"
    assert describe_detail({"from": "2026-01-01", "draft": True}, "export") == "自：2026-01-01；草稿：是"


def test_an_intact_log_says_how_many_entries(logged):
    check = verify_audit(logged)
    assert check.intact and check.summary == f"审计日志完整，共{check.count}条"
    assert check.count == len(list_audit(logged))


def test_tampering_is_found_and_the_summary_names_the_entry(logged, database):
    victim = list_audit(logged, AuditFilter(action="case.register"))[0]
    with database.engine.begin() as conn:
        tamper(conn, "UPDATE audit_entry SET username = :u WHERE id = :i",
               {"u": "王五", "i": victim.id})
    check = verify_audit(logged)
    assert not check.intact
    assert f"第{victim.id}条" in check.summary and "内容被改动" in check.summary


def test_a_deleted_entry_breaks_the_chain(logged, database):
    middle = list_audit(logged, AuditFilter(action="case.accept"))[0]
    with database.engine.begin() as conn:
        tamper(conn, "DELETE FROM audit_entry WHERE id = :i", {"i": middle.id})
    check = verify_audit(logged)
    assert not check.intact and "删除" in check.summary


def test_reading_the_log_needs_the_audit_permission(logged):
    from mediator.domain.permissions import Role
    from mediator.services.context import CurrentUser

    user = CurrentUser(id=1, username="ty", display_name="调解员", role=Role.MEDIATOR, organization_id=None)
    mediator = ServiceContext(logged.db, actor="调解员", clock=logged.clock, user=user)
    with pytest.raises(PermissionDenied):
        list_audit(mediator)
    with pytest.raises(PermissionDenied):
        verify_audit(mediator)


def test_dates_filter_in_shanghai_time(ctx):
    late = ServiceContext(ctx.db, actor="夜班", clock=Clock(fixed=ctx.now().replace(hour=23, minute=30)))
    audit.log(late, "export", "深夜导出")
    day = late.now().date()
    assert [line.target for line in list_audit(ctx, AuditFilter(date_from=day, date_to=day))] == ["深夜导出"]
    assert list_audit(ctx, AuditFilter(date_from=day + timedelta(days=1))) == []
    assert isinstance(day, date)


# --- every export, print and backup writes exactly one entry ---------------------------------------


def _audited(ctx: ServiceContext, work) -> list:
    """The entries ``work()`` wrote."""
    last = audit.entries(ctx, limit=1)
    before = last[0].id if last else 0
    work()
    return [e for e in audit.entries(ctx, limit=50) if e.id > before]


@pytest.fixture
def sample(ctx):
    from mediator.services.exchange.importer import import_document
    from tests.helpers import sample_document

    import_document(ctx, sample_document())
    return ctx


def test_every_export_writes_one_entry(sample, tmp_path):
    import io

    from mediator.reporting.stats import Period
    from mediator.services.advisors.sheets import export_advisors_xlsx, export_yearly_summary_xlsx
    from mediator.services.cases.read import CaseFilter
    from mediator.services.exchange.export import export_file
    from mediator.services.reports.case_ledger import export_ledger
    from mediator.services.reports.statistics import ALL, export_report

    exports = {
        "交换文件": lambda: export_file(sample, tmp_path / "cases.json"),
        "台账": lambda: export_ledger(sample, CaseFilter(), io.BytesIO()),
        "统计表": lambda: export_report(sample, Period.year(2026), ALL, io.BytesIO()),
        "法律顾问名册": lambda: export_advisors_xlsx(sample, tmp_path / "advisors.xlsx"),
        "年度汇总": lambda: export_yearly_summary_xlsx(sample, 2026, tmp_path / "summary.xlsx"),
    }
    for name, work in exports.items():
        written = _audited(sample, work)
        assert [e.action for e in written] == ["export"], name
        assert written[0].username == "测试员"


def test_every_document_produced_writes_one_entry(sample, tmp_path):
    from mediator.services.cases.read import find_case_id
    from mediator.services.documents.dossier_pdf import issue_dossier
    from mediator.services.documents.issuing import issue_document, issued_file
    from mediator.services.documents.rendering import write_document

    case_id = find_case_id(sample, "SF-2026-001")
    issued = []
    written = _audited(sample, lambda: issued.append(issue_document(sample, case_id, "registration", "docx")))
    assert [(e.action, e.detail["verify_code"]) for e in written] == [("print", issued[0].info.verify_code)]
    written = _audited(sample, lambda: issued_file(sample, issued[0].info.id))
    assert [e.action for e in written] == ["print.copy"]
    written = _audited(sample, lambda: write_document(sample, case_id, "registration", "docx", tmp_path))
    assert [e.action for e in written] == ["print.draft"] and written[0].detail["draft"] is True
    written = _audited(sample, lambda: issue_dossier(sample, case_id))
    assert [e.action for e in written] == ["print"] and "卷宗" in written[0].target


def test_the_review_opinion_is_audited_when_produced(ctx):
    from datetime import date

    from mediator.domain.enums import ReviewResult
    from mediator.services.advisors import reviews as reviews
    from mediator.services.documents import review_opinion

    seed_county(ctx)
    case_id = uc.register_case(ctx, case_input(village_code=DONGGUAN, grid="一网格")).id
    uc.accept_case(ctx, case_id, date(2026, 10, 15))
    uc.start_mediation(ctx, case_id, date(2026, 10, 16))
    review_id = reviews.request_review(ctx, case_id, on=date(2026, 11, 27)).id
    reviews.decide_review(ctx, review_id, ReviewResult.APPROVED, "同意。", on=date(2026, 11, 28))
    written = _audited(ctx, lambda: review_opinion.render_review_opinion(ctx, review_id))
    assert [(e.action, e.detail["kind"]) for e in written] == [("print", "review_opinion")]


def test_backup_and_restore_write_one_entry_each(ctx, database, tmp_path):
    from mediator.services.safety.backup import backup_to
    from mediator.services.safety.restore import restore_from

    if not database.is_sqlite:
        pytest.skip("PostgreSQL is backed up with pg_dump")
    seed_county(ctx)
    info = []
    assert [e.action for e in _audited(ctx, lambda: info.append(backup_to(ctx, tmp_path)))] == ["backup"]
    restore_from(ctx, info[0].path, "测试恢复")
    assert audit.entries(ctx, limit=1)[0].action == "restore"
    assert verify_audit(ctx).intact


def test_what_a_user_does_beside_the_cases_is_audited_too(ctx, tmp_path):
    """Snooze and dismiss, reviews, attachments and the first-run set-up leave entries."""
    from mediator.services.cases import lifecycle as uc
    from mediator.services.cases.attachments import add_attachment, remove_attachment
    from mediator.services.reminders import due as rem
    from tests.helpers import case_input, seed_county

    seed_county(ctx)
    case_id = uc.register_case(ctx, case_input()).id
    source = tmp_path / "现场照片.txt"
    source.write_text("照片", encoding="utf-8")
    added = add_attachment(ctx, case_id, source)
    remove_attachment(ctx, added.id, "传错了")
    item = rem.due_items(ctx, ctx.today(), until=ctx.today() + timedelta(days=400))[0]
    rem.snooze_reminder(ctx, item.key, ctx.today() + timedelta(days=3))
    rem.dismiss_reminder(ctx, item.key, "当事人已到外地务工")
    actions = [e.action for e in audit.entries(ctx)]
    assert {"case.attach", "case.detach", "reminder.snooze", "reminder.dismiss"} <= set(actions)
    dismissed = next(e for e in audit.entries(ctx) if e.action == "reminder.dismiss")
    assert dismissed.detail["reason"] == "当事人已到外地务工"


def test_the_log_is_listed_in_the_offices_time(ctx):
    """Stored in UTC, shown in Asia/Shanghai: 08:00 in Beijing is not listed as 00:00."""
    from mediator.services import audit
    from mediator.services.context import SHANGHAI

    audit.log(ctx, "export", "台账 1件", {})
    row = audit.entries(ctx, limit=1)[0]
    assert row.at.utcoffset().total_seconds() == 8 * 3600
    assert row.at == ctx.now().astimezone(SHANGHAI)


def test_every_code_the_services_write_has_a_chinese_label():
    """Scanned from the sources: a new audit code without a label would show as English."""
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[3] / "mediator"
    written = set()
    for path in root.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        written |= set(re.findall(r'audit\.(?:record|log)\(\s*ctx,\s*(?:session,\s*)?"([a-z_.]+)"', text))
        written |= set(re.findall(r'"(account\.[a-z_]+)"', text))
    assert {"account.add", "grid.report", "office.approve", "ledger.import"} <= written
    assert [c for c in sorted(written) if action_label(c) == c] == []


def test_a_long_target_is_stored_as_it_was_hashed(ctx):
    """A 300-character backup path: stored cut to 200, and the log still verifies intact."""
    from mediator.services import audit

    audit.log(ctx, "backup", "/备份/" + "很长的文件夹名" * 50 + "/mediator.db", {})
    assert len(list_audit(ctx)[0].target) == 200
    assert verify_audit(ctx).intact
