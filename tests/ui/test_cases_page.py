"""The 案件 page: list, filters, database sorting, paging, remembered filters, case tabs."""
from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QHeaderView

from mediator.services.cases.lifecycle import register_case
from mediator.services.cases.read import CaseFilter, count_cases
from mediator.ui.models.case_table import COLUMNS, NUMBER, RECEIVED, RISK, STATUS, CaseRole
from mediator.ui.pages.cases import CasesPage
from tests.helpers import applicant, case_input, respondent

SAMPLE_NUMBERS = {"（2026）东关人调字第1号", "（2026）城关资行调字第1号", "（2026）城关人调字第1号"}


@pytest.fixture
def page(env, qtbot):
    widget = CasesPage(env)
    qtbot.addWidget(widget)
    widget.resize(1148, 760)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def numbers(page: CasesPage) -> list[str]:
    model = page.model
    return [model.index(r, NUMBER).data(CaseRole.NUMBER) for r in range(model.rowCount())]


def click_header(qtbot, page: CasesPage, column: int) -> None:
    header = page.table.horizontalHeader()
    x = header.sectionViewportPosition(column) + header.sectionSize(column) // 2
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, header.height() // 2))


def test_list_shows_the_three_sample_cases_newest_first(page):
    assert set(numbers(page)) == SAMPLE_NUMBERS
    assert page.total_label.text() == "共3件"
    received = [page.model.index(r, RECEIVED).data() for r in range(3)]
    assert received == sorted(received, reverse=True)
    assert [page.model.headerData(i, Qt.Orientation.Horizontal) for i in range(len(COLUMNS))][:3] == [
        "案号", "收案日期", "当事人"]
    assert page.tabs.count() == 1 and page.tabs.tabText(0) == "案件列表"


def test_labels_are_chinese_and_risky_overdue_rows_are_marked(page):
    model = page.model
    row = numbers(page).index("（2026）城关资行调字第1号")
    assert model.index(row, RISK).data() == "高"
    assert model.index(row, RISK).data(Qt.ItemDataRole.ForegroundRole).color().name() == "#c62828"
    assert model.index(row, STATUS).data() == "待受理（逾期）"
    assert model.index(row, STATUS).data(CaseRole.OVERDUE) is True
    performed = numbers(page).index("（2026）城关人调字第1号")
    assert model.index(performed, STATUS).data() == "已履行"
    assert model.index(performed, RISK).data(Qt.ItemDataRole.ForegroundRole) is None
    assert page.table.verticalHeader().sectionResizeMode(0) == QHeaderView.ResizeMode.Fixed


def test_typing_a_party_name_filters_after_enter(page, qtbot):
    page.filters.search.setText("韩二宝")
    qtbot.keyClick(page.filters.search, Qt.Key.Key_Return)
    assert numbers(page) == ["（2026）城关资行调字第1号"]
    assert page.total_label.text() == "共1件"


def test_search_applies_by_itself_after_a_short_pause(page, qtbot):
    qtbot.keyClicks(page.filters.search, "13700000003")  # 何长林's phone
    qtbot.waitUntil(lambda: numbers(page) == ["（2026）东关人调字第1号"], timeout=2000)


def test_search_with_no_match_says_so(page, qtbot):
    page.filters.search.setText("无此人")
    qtbot.keyClick(page.filters.search, Qt.Key.Key_Return)
    assert numbers(page) == []
    assert page.total_label.text() == "共0件，没有符合筛选条件的案件"


def test_status_filter(page):
    status = page.filters.status
    status.setCurrentIndex(status.findText("已履行"))
    assert numbers(page) == ["（2026）城关人调字第1号"]
    status.setCurrentIndex(status.findData("open"))
    assert set(numbers(page)) == {"（2026）东关人调字第1号", "（2026）城关资行调字第1号"}


def test_village_grid_and_risk_filters(page):
    bar = page.filters
    bar.place.setCurrentIndex(bar.place.findText("城关镇 / 东关村"))
    assert set(numbers(page)) == {"（2026）东关人调字第1号", "（2026）城关资行调字第1号"}
    assert bar.grid.isEnabled()
    bar.grid.setCurrentIndex(bar.grid.findText("三网格"))
    assert numbers(page) == ["（2026）东关人调字第1号"]
    bar.place.setCurrentIndex(bar.place.findText("城关镇（全部）"))
    assert not bar.grid.isEnabled() and len(numbers(page)) == 3
    bar.risk.setCurrentIndex(bar.risk.findText("高风险"))
    assert numbers(page) == ["（2026）城关资行调字第1号"]


def test_overdue_filter_uses_today(page, env, qtbot):
    page.filters.overdue.setChecked(True)
    expected = count_cases(env.ctx, CaseFilter(overdue_on=env.ctx.today()))
    assert expected == 2
    assert set(numbers(page)) == {"（2026）东关人调字第1号", "（2026）城关资行调字第1号"}
    qtbot.mouseClick(page.filters.clear_button, Qt.MouseButton.LeftButton)
    assert not page.filters.overdue.isChecked() and len(numbers(page)) == 3


def test_date_range_filter(page):
    bar = page.filters
    bar.date_from.setDate(date(2026, 7, 1))
    bar.date_to.setDate(date(2026, 9, 30))
    assert len(numbers(page)) == 3  # dates count only once the box is ticked
    bar.use_dates.setChecked(True)
    assert numbers(page) == ["（2026）城关资行调字第1号"]
    bar.date_from.setDate(date(2026, 10, 1))
    assert bar.date_error.isVisibleTo(bar)


def test_clicking_a_header_sorts_in_the_database(page, qtbot):
    before = numbers(page)
    click_header(qtbot, page, NUMBER)
    after = numbers(page)
    assert after == sorted(after) and after != before
    click_header(qtbot, page, NUMBER)
    assert numbers(page) == sorted(after, reverse=True)
    click_header(qtbot, page, RECEIVED)
    assert numbers(page) == before


def test_clicking_an_unsortable_header_keeps_the_order(page, qtbot):
    before = numbers(page)
    click_header(qtbot, page, COLUMNS.index(next(c for c in COLUMNS if c.title == "当事人")))
    assert numbers(page) == before
    assert page.table.horizontalHeader().sortIndicatorSection() == RECEIVED


def test_more_rows_are_fetched_page_by_page(page, env, qtbot):
    for i in range(12):
        register_case(env.ctx, case_input(
            received_on=date(2026, 9, 1 + i), summary=f"测试纠纷第{i}件。",
            parties=[applicant(name=f"甲{i}", id_number=None, phone=None, birth_date=None),
                     respondent(name=f"乙{i}", id_number=None, phone=None, birth_date=None)]))
    page.model.page_size = 5
    page.refresh()
    assert page.model.rowCount() == 5 and page.total_label.text() == "共15件"
    assert page.model.canFetchMore()
    page.model.fetchMore()
    assert page.model.rowCount() == 10
    page.table.scrollToBottom()  # the view asks for the rest by itself
    qtbot.waitUntil(lambda: page.model.rowCount() == 15, timeout=2000)
    assert not page.model.canFetchMore()
    ids = [page.model.index(r, 0).data(CaseRole.CASE_ID) for r in range(15)]
    assert len(set(ids)) == 15


def test_refresh_on_cases_changed_keeps_the_selection(page, env):
    page.table.selectRow(2)
    selected = page.selected_case_id()
    register_case(env.ctx, case_input(received_on=date(2026, 11, 28)))
    env.signals.cases_changed.emit([])
    assert page.total_label.text() == "共4件"
    assert page.selected_case_id() == selected


def test_filter_state_survives_a_new_page(env, qtbot, page):
    bar = page.filters
    bar.search.setText("韩二宝")
    qtbot.keyClick(bar.search, Qt.Key.Key_Return)
    bar.status.setCurrentIndex(bar.status.findData("open"))
    bar.overdue.setChecked(True)
    click_header(qtbot, page, NUMBER)
    env.settings.sync()

    again = CasesPage(env)
    qtbot.addWidget(again)
    assert again.filters.search.text() == "韩二宝"
    assert again.filters.status.currentData() == "open"
    assert again.filters.overdue.isChecked()
    assert again.model.sort_column == NUMBER and not again.model.descending
    assert numbers(again) == ["（2026）城关资行调字第1号"]


def test_double_click_opens_a_tab_with_the_case_number(page, qtbot):
    row = numbers(page).index("（2026）东关人调字第1号")
    rect = page.table.visualRect(page.model.index(row, NUMBER))
    # A real double-click starts with a press: the view opens only the item pressed first.
    qtbot.mouseClick(page.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(page.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert page.tabs.count() == 2
    assert page.tabs.tabText(1) == "（2026）东关人调字第1号"
    assert page.tabs.currentIndex() == 1
    page.tabs.setCurrentIndex(0)
    page.open_case(page.model.index(row, 0).data(CaseRole.CASE_ID))
    assert page.tabs.count() == 2 and page.tabs.currentIndex() == 1  # the same tab again
    page.tabs.tabCloseRequested.emit(1)
    assert page.tabs.count() == 1


def test_enter_on_a_row_opens_the_case(page, qtbot):
    page.table.setFocus()
    page.table.setCurrentIndex(page.model.index(0, 0))
    qtbot.keyClick(page.table, Qt.Key.Key_Return)
    assert page.tabs.count() == 2
    assert page.tabs.tabText(1) == numbers(page)[0]


def test_new_case_opens_the_registered_case(page, env, monkeypatch):
    import sys
    import types

    class FakeDialog:
        def __init__(self, env_, parent=None):
            self.case_id = None
            self.env = env_

        def exec(self):
            self.case_id = register_case(self.env.ctx, case_input(received_on=date(2026, 11, 27))).id
            return 1

        def deleteLater(self):
            pass

    module = types.ModuleType("mediator.ui.dialogs.new_case")
    module.NewCaseDialog = FakeDialog
    monkeypatch.setitem(sys.modules, "mediator.ui.dialogs.new_case", module)
    page.new_case()
    assert page.total_label.text() == "共4件"
    assert page.tabs.count() == 2 and "东关" not in page.tabs.tabText(1)
    assert page.tabs.tabText(1).startswith("（2026）城关人调字第")


def test_ctrl_f_in_the_main_window_focuses_the_search(env, qtbot):
    from mediator.ui.main_window import MainWindow, PageEntry

    window = MainWindow(env, pages=[PageEntry("cases", "案件", CasesPage)])
    qtbot.addWidget(window)
    with qtbot.waitActive(window):
        window.show()
        window.activateWindow()
    page = window.pages["cases"]
    page.filters.search.setText("abc")
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert window.focusWidget() is page.filters.search
    assert page.filters.search.selectedText() == "abc"


def test_closing_a_case_with_unsaved_changes_asks_first(page, monkeypatch):
    import mediator.ui.pages.cases as cases_module

    page.open_case(1)
    page.tabs.widget(1).is_dirty = lambda: True
    questions = []
    monkeypatch.setattr(cases_module, "ask", lambda *args: questions.append(args[2]) or False)
    page.tabs.tabCloseRequested.emit(1)
    assert page.tabs.count() == 2 and len(questions) == 1
    monkeypatch.setattr(cases_module, "ask", lambda *args: True)
    page.tabs.tabCloseRequested.emit(1)
    assert page.tabs.count() == 1


def test_a_changed_case_number_retitles_its_tab(page, env):
    page.open_case(2)
    assert page.tabs.tabText(1) == "（2026）东关人调字第1号"
    page.tabs.setTabText(1, "旧案号")
    env.signals.cases_changed.emit([2])
    assert page.tabs.tabText(1) == "（2026）东关人调字第1号"


def test_the_case_number_column_is_never_cut(page, env):
    long_number = "（2026）城关镇人民调解委员会驻派出所调解室人调字第12345号"  # kept as the office wrote it
    register_case(env.ctx, case_input(received_on=date(2026, 11, 28), number=long_number))
    page.refresh()
    metrics = page.table.fontMetrics()
    width = page.table.horizontalHeader().sectionSize(0)
    numbers = [page.model.index(r, 0).data() for r in range(page.model.rowCount())]
    assert long_number in numbers and all(metrics.horizontalAdvance(n) < width for n in numbers)
