"""矛盾纠纷排查 through the window: plan a round for 柳树村, see it due, record it with a case and a
预防 record through the dialogs, and find both counted on the month's statistics page."""
from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate

from mediator.domain.enums import Category, Source
from mediator.domain.screening import PreventionFlag
from mediator.ui.main_window import MainWindow
from tests.services.screening.conftest import add_liushu


def _cell(table, row: int, header: str) -> str:
    column = next(c for c in range(table.columnCount()) if table.horizontalHeaderItem(c).text() == header)
    return table.item(row, column).text()


def test_plan_record_and_count_a_liushu_round(env, qtbot):
    add_liushu(env.ctx)
    window = MainWindow(env)
    qtbot.addWidget(window)
    window.show()
    page = window.show_page("screening")
    assert page.detail.text() == "没有排查计划。请点“计划排查”。"

    page.plan_button.click()
    plan = page.dialog
    plan.select_village("柳树村")
    assert [plan.grid.itemText(i) for i in range(plan.grid.count())] == ["（整个村、社区）", "一网格"]
    plan.planned_on.setDate(QDate(2026, 11, 1))
    assert plan.due_on.date().toPython() == date(2026, 11, 30) and plan.monthly.isChecked()
    plan.ok_button.click()
    assert not plan.isVisible() and page.message.text() == "已计划排查"
    assert _cell(page.table, 0, "村（社区）/网格") == "柳树村"
    assert _cell(page.table, 0, "状态") == "即将到期"  # due the 30th, today the 29th
    reminders = window.show_page("reminders")  # the round is in 日程提醒 too, due tomorrow
    due = [i for i in reminders.items if i.kind == "screening"]
    assert len(due) == 1 and due[0].due == date(2026, 11, 30) and due[0].village == "柳树村"
    window.show_page("screening")

    page.table.selectRow(0)
    page.record_button.click()
    record = page.dialog
    record.places.setText("柳树村一组、二组")
    record.ok_button.click()
    assert "请登记排查结果" in record.field_error("findings")  # nothing found is said, not left out
    record.case_button.click()
    case = record.finding_dialog
    case.parties.setText("柳大山、柳二河")
    case.summary.setPlainText("两户因承包地边界发生争执。")
    case.category.setCurrentIndex(case.category.findData(Category.LAND_FOREST))
    assert case.mediator.currentText() == "李建国"
    case.ok_button.click()
    record.prevention_button.click()
    prevention = record.finding_dialog
    prevention.ok_button.click()
    assert "纠纷情况不能为空" in prevention.error.text() and prevention.isVisible()
    prevention.summary.setPlainText("婆媳争吵，儿媳扬言轻生。")
    prevention.parties.setText("柳王氏、柳小红")
    prevention.people.setValue(2)
    prevention.how.setPlainText("调解员上门疏导，双方和好。")
    prevention.flags[PreventionFlag.SUICIDE].setChecked(True)
    prevention.ok_button.click()
    assert record.finding_list.count() == 2
    record.ok_button.click()
    assert not record.isVisible() and page.message.text() == "已登记排查结果"
    held = next(r for r in page.rows if not r.planned)
    assert held.findings_text == "登记案件1件、预防1件"
    assert [r.due_on for r in page.rows if r.planned] == [date(2026, 12, 31)]  # next month's round

    reports = window.show_page("reports")
    reports.picker.set_period("month", 2026, 11)
    detail = {reports.detail_table.item(r, 0).text().strip(): reports.detail_table.item(r, 1).text()
              for r in range(reports.detail_table.rowCount())}
    assert (detail["排查纠纷次数"], detail["排查发现纠纷数"], detail["预防纠纷数"]) == ("1", "2", "1")
    assert (detail["防止民间纠纷引起自杀"], detail["防止民间纠纷引起自杀涉及人数"]) == ("1", "2")
    sources = {reports.source_table.item(r, 0).text(): reports.source_table.item(r, 1).text()
               for r in range(reports.source_table.rowCount())}
    assert sources[Source.SCREENING.label] == "1"
    window.show_page("screening")
    page.table.selectRow([r.id for r in page.rows].index(held.id))
    assert "预防：婆媳争吵" in page.detail.text()
