"""法律顾问 page (registry, appointments, coverage, 待我审查, 服务台账) and the workspace review panel."""
from __future__ import annotations

import dataclasses
from datetime import date

import pytest
from openpyxl import Workbook
from PySide6.QtCore import QDate, Qt

from mediator.domain.enums import AdvisorKind, LedgerKind
from mediator.domain.permissions import Role
from mediator.services.advisors import ledger as ledger
from mediator.services.advisors import registry as adv
from mediator.services.advisors import reviews as reviews
from mediator.services.cases.read import case_detail, find_case_id
from mediator.services.safety.auth import create_user
from mediator.ui.pages.advisors import AdvisorsPage
from mediator.ui.pages.ledger import LedgerPage
from mediator.ui.pages.review_queue import ReviewQueuePage
from mediator.ui.workspace.case_workspace import CaseWorkspace

DONGGUAN, NANJIE = "419901100201", "419901100001"


def _show(qtbot, widget):
    qtbot.addWidget(widget)
    widget.resize(1148, 760)
    widget.show()
    return widget


def _column(table, column: int) -> list[str]:
    return [table.item(r, column).text() for r in range(table.rowCount())]


def _ok(qtbot, dialog) -> None:
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)


def _advisor_id(env, name: str) -> int:
    return next(a.id for a in adv.advisor_registry(env.ctx) if a.name == name)


@pytest.fixture
def page(env, qtbot):
    return _show(qtbot, AdvisorsPage(env))


def test_the_page_shows_registry_grid_coverage_and_a_warning_banner(page):
    assert _column(page.advisor_table, 0) == ["陈立新"]
    assert page.advisor_table.item(0, 5).text() == "东关村"
    assert [page.appointment_table.item(0, c).text() for c in range(5)] == [
        "东关村", "419901100201", "2026-01-01", "2026-12-31", "在聘"]
    assert "无法律顾问2个：南街社区、城关产业园" in page.banner.text()
    assert _column(page.gap_table, 0) == ["南街社区", "城关产业园"]
    assert page.tabs.tabText(2) == "覆盖情况（2）"
    grid = page.grid_view.table
    assert _column(grid, 1) == ["南街社区", "东关村", "城关产业园"]
    assert grid.horizontalHeaderItem(3).text() == "陈立新"
    assert (grid.item(1, 2).text(), grid.item(1, 3).text()) == ("陈立新", "至2026-12-31")
    assert grid.item(0, 2).text() == "无"
    assert page.tabs.count() == 5 and page.tabs.tabText(3) == "待我审查"


def test_registering_an_advisor_shows_errors_beside_fields_then_saves(page, qtbot, env):
    page.add_advisor()
    dialog = page.dialog
    dialog.phone.setText("123")
    _ok(qtbot, dialog)
    assert dialog.field_error("name") == "请填写法律顾问姓名"
    assert dialog.field_error("phone")
    dialog.name.setText("王正义")
    dialog.kind.set_current(AdvisorKind.LEGAL_WORKER)
    dialog.firm.setText("城关法律服务所")
    dialog.phone.setText("13903710009")
    qtbot.keyClicks(dialog.license_no, "34199201210066666")
    _ok(qtbot, dialog)
    assert dialog.result() == dialog.DialogCode.Accepted
    saved = next(a for a in adv.advisor_registry(env.ctx) if a.name == "王正义")
    assert (saved.kind, saved.firm, saved.license_no) == ("legal_worker", "城关法律服务所", "34199201210066666")
    assert "王正义" in _column(page.advisor_table, 0)
    assert page.message.text() == "已登记法律顾问"


def test_appointing_from_the_grid_covers_a_village_and_an_overlap_is_refused(page, qtbot, env):
    new_id = adv.add_advisor(env.ctx, adv.AdvisorInput("王正义", AdvisorKind.LAWYER, phone="13903710009")).id
    env.signals.reference_changed.emit()
    page.tabs.setCurrentWidget(page.grid_view)
    page.grid_view.select_cell(next(v.id for v in page.data.grid.villages if v.code == DONGGUAN), new_id)
    page.appoint(from_grid=True)
    dialog = page.dialog
    assert (dialog.advisor.currentData(), dialog.village.currentData()) == (new_id, DONGGUAN)
    _ok(qtbot, dialog)
    assert "东关村在2026-01-01至2026-12-31已有法律顾问陈立新" in dialog.field_error("start")
    dialog.village.setCurrentIndex(dialog.village.findData(NANJIE))
    dialog.legal_deputy.setChecked(True)
    _ok(qtbot, dialog)
    assert dialog.result() == dialog.DialogCode.Accepted
    assert _column(page.gap_table, 0) == ["城关产业园"]
    assert "南街社区" not in page.banner.text()
    row = _column(page.grid_view.table, 1).index("南街社区")
    assert page.grid_view.table.item(row, 2).text() == "王正义"


def test_a_term_is_ended_from_the_registry(page, qtbot, env):
    page.appointment_table.selectRow(0)
    page.change_term(from_grid=False)
    dialog = page.dialog
    dialog.end.setDate(QDate(2026, 11, 20))
    _ok(qtbot, dialog)
    term = adv.advisor_registry(env.ctx)[0].appointments[0]
    assert term.end == date(2026, 11, 20)
    assert "东关村" in _column(page.gap_table, 0)
    assert page.appointment_table.item(0, 4).text() == "已届满"


def test_an_advisor_set_inactive_no_longer_covers_the_village(page, qtbot, env):
    page.edit_advisor()
    page.dialog.active.setChecked(False)
    _ok(qtbot, page.dialog)
    grid = page.grid_view.table
    assert grid.horizontalHeaderItem(3).text() == "陈立新（停用）"
    assert grid.item(1, 2).text() == "无"
    assert _column(page.gap_table, 0) == ["南街社区", "东关村", "城关产业园"]
    assert page.advisor_table.item(0, 7).text() == "停用"


def test_the_sheet_goes_out_and_a_faulty_one_is_reported(page, tmp_path, env):
    target = tmp_path / "advisors.xlsx"
    page.export_sheet(str(target))
    assert target.is_file() and page.message.text() == f"已导出到{target}"
    book = Workbook()
    book.active.append(["姓名", "类别", "村（社区）区划代码", "聘期开始", "聘期结束"])
    book.active.append(["赵法", "律师", DONGGUAN, "2026-06-01", "2026-12-31"])
    faulty = tmp_path / "faulty.xlsx"
    book.save(faulty)
    page.import_sheet(str(faulty))
    assert page.message.text().startswith("未导入：第2行聘期开始：东关村")
    assert "赵法" not in _column(page.advisor_table, 0)


# --- 待我审查 --------------------------------------------------------------------------------------

def test_the_office_records_an_opinion_in_the_queue(env, qtbot):
    case_id = find_case_id(env.ctx, "SF-2026-002")
    reviews.request_review(env.ctx, case_id, note="协议草稿：赔偿八千元")
    queue = _show(qtbot, ReviewQueuePage(env))
    assert _column(queue.table, 2) == ["（2026）东关人调字第1号"]
    assert queue.count.text() == "待审查1件"
    assert "协议草稿：赔偿八千元" in queue.case_view.toPlainText()
    assert "纠纷简要情况" in queue.case_view.toPlainText()
    assert "送审时尚未拟定协议草稿" in queue.case_view.toPlainText()
    assert [b.text() for b in queue.result_buttons.values()] == ["同意", "修改后同意", "不同意"]
    queue.disapprove.setChecked(True)
    qtbot.mouseClick(queue.submit_button, Qt.MouseButton.LeftButton)
    assert queue.opinion_error.text() == "不同意须写明理由"
    queue.opinion.setPlainText("第一条履行期限不明确，请写明具体日期。")
    with qtbot.waitSignal(env.signals.cases_changed):
        qtbot.mouseClick(queue.submit_button, Qt.MouseButton.LeftButton)
    assert queue.rows == []  # only pending ones are listed
    assert queue.message.text() == "已提交（2026）东关人调字第1号的审查意见：不同意"
    event = case_detail(env.ctx, case_id).timeline[-1]
    assert event.note == "法律顾问陈立新审查意见：不同意。第一条履行期限不明确，请写明具体日期。"
    queue.pending_only.setChecked(False)
    assert _column(queue.table, 0) == ["不同意"]
    assert queue.print_button.isEnabled() and not queue.submit_button.isEnabled()


def test_an_advisor_sees_only_their_own_reviews_and_cannot_edit_the_registry(env, qtbot, tmp_path):
    chen = _advisor_id(env, "陈立新")
    nanjie = find_case_id(env.ctx, "SF-2026-001")
    other = adv.add_advisor(env.ctx, adv.AdvisorInput("王正义", AdvisorKind.LAWYER, phone="13903710009")).id
    reviews.request_review(env.ctx, find_case_id(env.ctx, "SF-2026-002"))
    reviews.request_review(env.ctx, find_case_id(env.ctx, "SF-2026-003"), advisor_id=other)
    user = create_user(env.ctx, username="chen", display_name="陈立新", password="lvshi2026",
                       role=Role.ADVISOR, organization_id=None)
    adv.link_user_to_advisor(env.ctx, user.id, chen)
    advisor_env = dataclasses.replace(env, user=user)
    env.ctx.user = user
    try:
        page = _show(qtbot, AdvisorsPage(advisor_env))
        assert page.tabs.currentWidget() is page.reviews
        assert not page.add_button.isVisible() and not page.grid_view.add_button.isVisible()
        assert not page.reviews.advisor_filter.isVisible()
        assert _column(page.reviews.table, 2) == ["（2026）东关人调字第1号"]
        page.reviews.approve.setChecked(True)
        page.reviews.opinion.setPlainText("同意。")
        qtbot.mouseClick(page.reviews.submit_button, Qt.MouseButton.LeftButton)
        page.reviews.pending_only.setChecked(False)
        page.reviews.save_opinion(str(tmp_path / "opinion.pdf"))
        assert (tmp_path / "opinion.pdf").read_bytes().startswith(b"%PDF")
        assert [r.advisor for r in page.ledger.rows] == ["陈立新"]
        with pytest.raises(Exception, match="法律顾问只能查看所服务村"):
            case_detail(env.ctx, nanjie)
    finally:
        env.ctx.user = None


# --- 服务台账 --------------------------------------------------------------------------------------

def test_a_service_is_recorded_corrected_and_deleted_in_the_ledger(env, qtbot, monkeypatch):
    monkeypatch.setattr("mediator.ui.pages.ledger.ask", lambda *_args: True)
    page = _show(qtbot, LedgerPage(env))
    page.add_entry()
    dialog = page.dialog
    dialog.village.setCurrentIndex(dialog.village.findData(NANJIE))
    dialog.hours.setText("30")
    _ok(qtbot, dialog)
    assert dialog.field_error("content") == "请填写服务内容"
    assert dialog.field_error("hours") == "服务时长应在0至24小时之间"
    assert dialog.field_error("village_code") == "陈立新在2026-11-29未受聘于南街社区"
    dialog.village.setCurrentIndex(dialog.village.findData(DONGGUAN))
    dialog.kind.set_current(LedgerKind.LECTURE)
    dialog.content.setPlainText("《民法典》进村讲座")
    dialog.people.setValue(40)
    dialog.hours.setText("2.5")
    _ok(qtbot, dialog)
    assert _column(page.table, 3) == ["法治讲座"] and _column(page.table, 6) == ["2.5"]
    assert page.summary.text().startswith("2026年：服务1次，共2.5小时；审查案件0件")
    page.table.selectRow(0)
    page.edit_entry()
    page.dialog.people.setValue(45)
    _ok(qtbot, page.dialog)
    assert ledger.ledger_rows(env.ctx)[0].people_served == 45
    page.table.selectRow(0)
    page.delete_entry()
    assert page.rows == [] and page.message.text() == "已删除服务记录"


def test_the_yearly_summary_is_exported(env, qtbot, tmp_path):
    page = _show(qtbot, LedgerPage(env))
    page.export_summary(str(tmp_path / "summary.xlsx"))
    assert (tmp_path / "summary.xlsx").is_file()


# --- the case workspace -----------------------------------------------------------------------------

def test_the_workspace_sends_the_file_to_the_villages_advisor(env, qtbot):
    case_id = find_case_id(env.ctx, "SF-2026-002")
    workspace = _show(qtbot, CaseWorkspace(env, case_id))
    panel = workspace.review_panel
    workspace.tabs.setCurrentWidget(workspace.agreement_tab)
    assert panel.advisor_label.text() == "东关村法律顾问：陈立新（聘期至2026-12-31）"
    assert panel.table.rowCount() == 0 and panel.request_button.isEnabled()
    dialog = panel.request_review()
    assert "陈立新（东关村法律顾问" in dialog.auto_label.text()
    assert dialog.advisor.currentText().startswith("陈立新")
    dialog.note.setPlainText("协议草稿：被申请人赔偿八千元")
    with qtbot.waitSignal(env.signals.cases_changed):
        _ok(qtbot, dialog)
    assert _column(panel.table, 1) == ["陈立新"] and _column(panel.table, 3) == ["待审查"]
    assert not panel.request_button.isEnabled()
    history = _column(workspace.history_tab.timeline_table, 1)
    assert history[-1] == "送法律顾问审查"
    assert "法律顾问审查" in _column(workspace.history_tab.deadline_table, 0)
    review = reviews.reviews_for_case(env.ctx, case_id)[0]
    assert (review.advisor, review.request_note) == ("陈立新", "协议草稿：被申请人赔偿八千元")


def test_a_village_without_an_advisor_asks_for_one_in_the_workspace(env, qtbot):
    case_id = find_case_id(env.ctx, "SF-2026-001")  # 南街社区, performed
    workspace = _show(qtbot, CaseWorkspace(env, case_id))
    panel = workspace.review_panel
    assert panel.advisor_label.text() == "南街社区目前没有在聘的法律顾问，送审时须指定一名。"
    dialog = panel.request_review()
    assert dialog.chosen_advisor() == _advisor_id(env, "陈立新")
    _ok(qtbot, dialog)
    assert dialog.result() == dialog.DialogCode.Accepted
    assert "司法所指定" in case_detail(env.ctx, case_id).timeline[-1].note
