"""工作台, 日程提醒, 法律顾问, 统计报表, 文书 and 系统 with the sample county and its three cases."""
from __future__ import annotations

import dataclasses
from datetime import date

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QCheckBox

from mediator.domain.enums import CaseStatus, Level
from mediator.domain.errors import ValidationError, ValidationErrors
from mediator.domain.permissions import Role
from mediator.services.cases import lifecycle as uc
from mediator.services.cases.read import find_case_id
from mediator.services.settings import get_setting
from mediator.ui.pages.advisors import AdvisorsPage
from mediator.ui.pages.documents import DocumentsPage
from mediator.ui.pages.reminders import RemindersPage
from mediator.ui.pages.reports import ReportsPage
from mediator.ui.pages.system import SystemPage
from mediator.ui.pages.workbench import WorkbenchPage
from tests.helpers import case_input
from tests.ui.test_reports_page import select_scope

ESCALATED = "（2026）城关资行调字第1号"  # SF-2026-003, escalation overdue since 2026-08-31
DONGGUAN_CASE = "（2026）东关人调字第1号"  # SF-2026-002, escalation overdue, handling due 12-21


def _show(qtbot, widget):
    qtbot.addWidget(widget)
    widget.resize(1148, 760)
    widget.show()
    return widget


def _column(table, column: int) -> list[str]:
    return [table.item(r, column).text() for r in range(table.rowCount())]


def _double_click_row(qtbot, table, row: int) -> None:
    rect = table.visualRect(table.model().index(row, 0))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


# --- 工作台 ---------------------------------------------------------------------------------------

def test_workbench_counts_cases_by_status_and_lists_overdue_first(env, qtbot):
    page = _show(qtbot, WorkbenchPage(env))
    counts = {s: page.tiles[s].count.text() for s in CaseStatus}
    assert counts[CaseStatus.REGISTERED] == "1" and counts[CaseStatus.ACCEPTED] == "1"
    assert counts[CaseStatus.PERFORMED] == "1" and counts[CaseStatus.ARCHIVED] == "0"
    assert page.total.text() == "共3件"
    # The handling deadline (due 2026-12-21) is beyond the 3 warning days: not on the workbench;
    # the reminders of 日程提醒 are, the advisor's monthly visit to 东关村 among them.
    assert _column(page.table, 0) == [ESCALATED, DONGGUAN_CASE, "东关村：本月到村服务0次/0.0小时，应至少1次、4小时"]
    assert _column(page.table, 3) == ["逾期90天", "逾期6天", "还有1天"]
    assert page.summary.text() == "需提醒 3 项：逾期 2 · 今天到期 0 · 3日内到期 1"
    assert "2026年11月29日" in page.greeting.text()


def test_workbench_double_click_opens_the_case(env, qtbot):
    page = _show(qtbot, WorkbenchPage(env))
    with qtbot.waitSignal(env.signals.open_case_requested) as blocker:
        _double_click_row(qtbot, page.table, 1)
    assert blocker.args == [find_case_id(env.ctx, "SF-2026-002")]


def test_workbench_lists_soon_due_after_overdue_and_follows_case_changes(env, qtbot):
    page = _show(qtbot, WorkbenchPage(env))
    # Reported at grid level: escalation due 3 days later, on 2026-12-01.
    case_id = uc.register_case(env.ctx, case_input(received_on=date(2026, 11, 28), level=Level.GRID)).id
    env.signals.cases_changed.emit([case_id])
    assert page.tiles[CaseStatus.REGISTERED].count.text() == "2"
    numbers = _column(page.table, 0)
    assert numbers[:2] == [ESCALATED, DONGGUAN_CASE]
    assert _column(page.table, 2)[3] == "2026-12-01" and _column(page.table, 3)[3] == "还有2天"
    assert len(numbers) == 4 and page.summary.text().endswith("3日内到期 2")


def test_workbench_own_organisation_only(env, qtbot):
    page = _show(qtbot, WorkbenchPage(env))
    assert "城关镇人民调解委员会" in page.own_only.text()
    page.own_only.setChecked(True)
    assert page.table.rowCount() == 0 and not page.empty.isHidden()


# --- 日程提醒 -------------------------------------------------------------------------------------

def test_reminders_group_deadlines_and_open_on_the_overdue_tab(env, qtbot):
    page = _show(qtbot, RemindersPage(env))
    # 以后: the handling deadline and 东关村's advisor visits (this month's, this quarter's lecture).
    assert [page.tabs.tabText(i) for i in range(4)] == ["逾期（2）", "今天（0）", "本周（0）", "以后（3）"]
    assert page.tabs.currentIndex() == 0
    assert _column(page.table, 0) == [ESCALATED, DONGGUAN_CASE]
    page.tabs.setCurrentIndex(3)
    assert _column(page.table, 1) == ["到村服务", "调解期限", "到村服务"]
    assert _column(page.table, 3) == ["还有1天", "还有22天", "还有32天"]
    page.tabs.setCurrentIndex(1)
    assert page.table.rowCount() == 0 and page.empty.text() == "没有今天的事项。"


def test_reminders_filter_by_kind_and_date(env, qtbot):
    page = _show(qtbot, RemindersPage(env))
    page.kind.setCurrentIndex(page.kind.findText("调解期限"))
    assert page.count.text() == "共1项未办结"
    page.on_date.setDate(QDate(2026, 12, 21))
    page.tabs.setCurrentIndex(1)
    assert _column(page.table, 0) == [DONGGUAN_CASE] and _column(page.table, 3) == ["今天到期"]
    page.on_date.setDate(QDate(2026, 12, 16))  # a Wednesday: the 21st is the coming Monday
    page.tabs.setCurrentIndex(2)
    assert page.table.rowCount() == 0
    assert page.tabs.tabText(3) == "以后（1）"
    qtbot.mouseClick(page.today_button, Qt.MouseButton.LeftButton)
    assert page.selected_date() == date(2026, 11, 29)


def test_reminders_double_click_opens_the_case(env, qtbot):
    page = _show(qtbot, RemindersPage(env))
    with qtbot.waitSignal(env.signals.open_case_requested) as blocker:
        _double_click_row(qtbot, page.table, 0)
    assert blocker.args == [find_case_id(env.ctx, "SF-2026-003")]


def test_reminders_enter_opens_the_selected_case(env, qtbot):
    page = _show(qtbot, RemindersPage(env))
    page.table.setFocus()
    page.table.selectRow(1)
    with qtbot.waitSignal(env.signals.open_case_requested) as blocker:
        qtbot.keyClick(page.table, Qt.Key.Key_Return)
    assert blocker.args == [find_case_id(env.ctx, "SF-2026-002")]


# --- 法律顾问 -------------------------------------------------------------------------------------

def test_advisors_page_lists_advisors_appointments_and_uncovered_villages(env, qtbot):
    page = _show(qtbot, AdvisorsPage(env))
    assert [page.advisor_table.item(0, c).text() for c in range(6)] == [
        "陈立新", "律师", "示范县明德律师事务所", "14199201210033333", "13903710001", "东关村"]
    assert [page.appointment_table.item(0, c).text() for c in range(5)] == [
        "东关村", "419901100201", "2026-01-01", "2026-12-31", "在聘"]
    assert _column(page.gap_table, 0) == ["南街社区", "城关产业园"]
    assert page.gap_title.text() == "今日无法律顾问的村（社区）（2个）"


# --- 统计报表 -------------------------------------------------------------------------------------

def test_report_counts_the_period(env, qtbot):
    page = _show(qtbot, ReportsPage(env))
    select_scope(page, "全部")  # the page opens on the user's own office
    page.date_from.setDate(QDate(2026, 1, 1))
    qtbot.mouseClick(page.run_button, Qt.MouseButton.LeftButton)
    report = page.report
    assert report.received == 3
    # SF-2026-001 agreed; SF-2026-003 failed on 08-20 before its transfer.
    assert _column(page.outcome_table, 1) == ["3", "1", "1", "0", "50.0%"]
    sources = dict(zip(_column(page.source_table, 0), _column(page.source_table, 1)))
    assert sources == {**{k: "0" for k in sources}, "当事人申请": "1", "网格上报": "1", "主动调解": "1"}
    tracks = dict(zip(_column(page.track_table, 0), _column(page.track_table, 1)))
    assert tracks == {"人民调解": "2", "行政调解": "1", "司法调解": "0"}
    categories = dict(zip(_column(page.category_table, 0), _column(page.category_table, 1)))
    assert categories["婚姻家庭"] == "1" and categories["邻里"] == "1" and len(categories) == 18


def test_report_month_button_and_refused_period(env, qtbot):
    page = _show(qtbot, ReportsPage(env))
    select_scope(page, "全部")
    qtbot.mouseClick(page.month_button, Qt.MouseButton.LeftButton)
    assert page.report.date_from == date(2026, 11, 1) and page.report.received == 1
    page.date_to.setDate(QDate(2026, 10, 1))
    qtbot.mouseClick(page.run_button, Qt.MouseButton.LeftButton)
    assert page.error.text() == "结束日期不能早于开始日期"


# --- 文书 -----------------------------------------------------------------------------------------

def test_documents_page_lists_the_official_forms(env, qtbot):
    page = _show(qtbot, DocumentsPage(env))
    titles = _column(page.table, 1)
    assert len(titles) == 14 and "人民调解协议书" in titles and "变更（补充）协议书" in titles and titles[-1] == "卷宗"


# --- 系统 -----------------------------------------------------------------------------------------

def test_system_page_shows_database_user_and_holiday_years(env, qtbot):
    page = _show(qtbot, SystemPage(env))
    assert page.db_url.text() == env.ctx.db.display_url()
    assert page.schema.text().endswith("（已是最新）")
    assert "王所长（admin）" in page.user.text() and "管理员" in page.user.text()
    assert _column(page.accounts_panel.table, 0) == ["admin"]
    assert "2027年：无节假日数据，仅按周末计算" in page.holidays.text()
    assert "2026年：已载入" in page.holidays.text()


def test_system_settings_are_saved(env, qtbot):
    page = _show(qtbot, SystemPage(env))
    form = page.settings_form
    assert form.editors["office.name"].text() == "城关镇司法所"
    form.editors["office.address"].setText("城关镇人民路1号")
    form.editors["deadlines.warn_days"].setValue(5)
    form.editors["documents.date_style"].setCurrentIndex(1)
    with qtbot.waitSignal(env.signals.reminders_changed):
        qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    assert get_setting(env.ctx, "office.address") == "城关镇人民路1号"
    assert get_setting(env.ctx, "documents.date_style") == "arabic"
    assert env.ctx.deadline_settings.warn_days == 5
    assert page.message.text() == "办公设置已保存"


def test_refused_setting_is_shown_under_its_field(env, qtbot, monkeypatch):
    def refuse(_ctx, _values):
        raise ValidationErrors([ValidationError("office.phone", "联系电话格式不正确")])

    monkeypatch.setattr("mediator.ui.pages.system.save_settings", refuse)
    page = _show(qtbot, SystemPage(env))
    page.save()
    assert page.settings_form.error_text("office.phone") == "联系电话格式不正确"
    assert page.message.text().startswith("未保存")


def test_a_bad_time_is_refused_under_its_field_and_yes_no_is_a_checkbox(env, qtbot):
    page = _show(qtbot, SystemPage(env))
    form = page.settings_form
    assert isinstance(form.editors["advisors.require_review_approval"], QCheckBox)
    form.editors["advisors.require_review_approval"].setChecked(True)
    form.editors["backup.daily_time"].setText("25:99")
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    assert "不是有效的每日自动备份时间" in form.error_text("backup.daily_time")
    assert page.message.text().startswith("未保存")
    assert get_setting(env.ctx, "advisors.require_review_approval") is False  # nothing half-saved
    form.editors["backup.daily_time"].setText("21:30")
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    assert get_setting(env.ctx, "backup.daily_time") == "21:30"
    assert get_setting(env.ctx, "advisors.require_review_approval") is True


def test_settings_are_read_only_for_other_roles(env, qtbot):
    reader = dataclasses.replace(env, user=dataclasses.replace(env.user, role=Role.READONLY))
    page = _show(qtbot, SystemPage(reader))
    assert not page.save_button.isEnabled()
    assert not page.settings_form.editors["office.name"].isEnabled()


@pytest.mark.parametrize("factory", [WorkbenchPage, RemindersPage, AdvisorsPage, ReportsPage,
                                     DocumentsPage, SystemPage])
def test_pages_show_no_placeholder_text(env, qtbot, factory):
    from PySide6.QtWidgets import QAbstractButton, QLabel

    page = _show(qtbot, factory(env))
    texts = [w.text() for w in page.findChildren(QLabel) + page.findChildren(QAbstractButton)]
    leaking = [t for t in texts if any(word in t for word in ("TODO", "None", "lorem"))]
    assert leaking == []
