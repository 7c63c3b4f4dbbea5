"""工作台: deadlines first, the charts of the sample county, their drill-down and the map's click."""
from __future__ import annotations

from datetime import date

from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication

from mediator.domain.enums import CaseStatus
from mediator.services.cases.read import CaseFilter, find_case_id, list_cases
from mediator.ui.main_window import MainWindow, PageEntry
from mediator.ui.pages.cases import CasesPage
from mediator.ui.pages.workbench import WorkbenchPage

OPEN = sorted(s.value for s in (CaseStatus.REGISTERED, CaseStatus.ACCEPTED, CaseStatus.MEDIATING))


def _show(qtbot, widget):
    qtbot.addWidget(widget)
    widget.resize(1148, 760)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def _click(qtbot, view, point) -> None:
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(round(point.x()), round(point.y())))


def _hover(view, pos: QPoint) -> None:
    """Move the mouse over the map (QTest's mouseMove sends no event to an offscreen view)."""
    global_pos = view.viewport().mapToGlobal(pos)
    event = QMouseEvent(QEvent.Type.MouseMove, QPointF(pos), QPointF(global_pos), Qt.MouseButton.NoButton,
                        Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(view.viewport(), event)


def test_overdue_items_stay_first_above_the_charts(env, qtbot):
    page = _show(qtbot, WorkbenchPage(env))
    layout = page.layout()
    order = [layout.indexOf(w) for w in (page.table, page.charts)]
    assert order[0] < order[1]
    assert page.table.item(0, 3).text().startswith("逾期")
    assert [page.charts.tabText(i) for i in range(page.charts.count())] == [
        "收案趋势", "纠纷类型", "调解成功率", "办理层级", "逾期（按调解员）", "村（社区）地图"]


def test_charts_show_the_sample_county(env, qtbot):
    page = _show(qtbot, WorkbenchPage(env))
    assert len(page.month_chart.values) == 12 and page.month_chart.labels[-1] == "26年11月"
    by_month = dict(zip(page.month_chart.keys, page.month_chart.values))
    assert by_month[(2026, 6)] == 1 and by_month[(2026, 8)] == 1 and by_month[(2026, 11)] == 1
    assert sum(page.month_chart.values) == 3
    rates = dict(zip(page.rate_chart.keys, page.rate_chart.values))
    assert rates[(2026, 6)] == 100 and rates[(2026, 8)] == 0 and rates[(2026, 11)] is None
    assert dict(zip(page.category_chart.labels, page.category_chart.values))["婚姻家庭"] == 1
    assert dict(zip(page.level_chart.keys, page.level_chart.values)) == {"grid": 1, "village": 1,
                                                                         "township": 0, "county": 0}
    assert sorted(page.mediator_chart.values) == [1, 1]
    assert page.mediator_chart.series.count() == 1


def test_clicking_a_month_bar_asks_for_that_months_cases(env, qtbot):
    page = _show(qtbot, WorkbenchPage(env))
    index = page.month_chart.keys.index((2026, 6))
    with qtbot.waitSignal(env.signals.show_cases_requested) as blocker:
        _click(qtbot, page.month_chart, page.month_chart.bar_center(index))
    f = blocker.args[0]
    assert (f.date_from, f.date_to) == (date(2026, 6, 1), date(2026, 6, 30))
    assert [r.ref for r in list_cases(env.ctx, f)] == ["SF-2026-001"]


def test_clicking_a_horizontal_bar_and_a_rate_point(env, qtbot):
    page = _show(qtbot, WorkbenchPage(env))
    page.charts.setCurrentWidget(page.mediator_chart)
    first = page.mediator_chart.keys[0]
    with qtbot.waitSignal(env.signals.show_cases_requested) as blocker:
        _click(qtbot, page.mediator_chart, page.mediator_chart.bar_center(0))
    f = blocker.args[0]
    assert f.mediator_id == first and f.overdue_on == date(2026, 11, 29)
    assert len(list_cases(env.ctx, f)) == 1
    page.charts.setCurrentWidget(page.level_chart)
    with qtbot.waitSignal(env.signals.show_cases_requested) as blocker:
        _click(qtbot, page.level_chart, page.level_chart.bar_center(0))  # 网格
    assert blocker.args[0].level == "grid" and sorted(blocker.args[0].status) == OPEN
    assert [r.ref for r in list_cases(env.ctx, blocker.args[0])] == ["SF-2026-002"]
    page.charts.setCurrentWidget(page.rate_chart)
    index = page.rate_chart.keys.index((2026, 8))
    with qtbot.waitSignal(env.signals.show_cases_requested) as blocker:
        _click(qtbot, page.rate_chart, page.rate_chart.point_position(index))
    assert blocker.args[0].date_from == date(2026, 8, 1)


def test_drill_down_opens_the_case_list_with_the_filter(env, qtbot):
    window = MainWindow(env, pages=[PageEntry("workbench", "工作台", WorkbenchPage),
                                    PageEntry("cases", "案件", CasesPage)])
    _show(qtbot, window)
    workbench, cases = window.pages["workbench"], window.pages["cases"]
    workbench.charts.setCurrentWidget(workbench.category_chart)
    index = workbench.category_chart.labels.index("山林土地")
    _click(qtbot, workbench.category_chart, workbench.category_chart.bar_center(index))
    assert window.current_page() is cases
    qtbot.waitUntil(lambda: cases.model.rowCount() == 1)
    assert cases.total_label.text() == "共1件"
    assert cases.filters.category.currentData() == "land_forest" and cases.filters.use_dates.isChecked()
    assert cases.model.case_id_at(0) == find_case_id(env.ctx, "SF-2026-003")
    # Changing a filter afterwards starts from what the bar set.
    cases.filters.category.setCurrentIndex(0)
    qtbot.waitUntil(lambda: cases.model.rowCount() == 3)


def test_the_map_draws_the_villages_and_a_click_opens_their_open_cases(env, qtbot):
    page = _show(qtbot, WorkbenchPage(env))
    page.charts.setCurrentWidget(page.map_panel)
    view = page.map_panel.view
    names = {item.place.name: item for item in view.village_items.values()}
    assert set(names) == {"东关村", "南街社区", "城关产业园"}
    assert "办理中2件" in names["东关村"].toolTip()
    assert not view.shows_grids() and not any(i.isVisible() for i in view.grid_items.values())
    item = names["东关村"]
    with qtbot.waitSignal(env.signals.show_cases_requested) as blocker:
        _click(qtbot, view, view.mapFromScene(item.rect().center()).toPointF())
    f = blocker.args[0]
    assert f.village_id == item.place.id and f.grid_id is None and sorted(f.status) == OPEN
    assert sorted(r.ref for r in list_cases(env.ctx, f)) == ["SF-2026-002", "SF-2026-003"]


def test_zooming_the_map_shows_grids_and_a_grid_click_filters_by_grid(env, qtbot):
    page = _show(qtbot, WorkbenchPage(env))
    page.charts.setCurrentWidget(page.map_panel)
    view = page.map_panel.view
    village = next(i for i in view.village_items.values() if i.place.name == "东关村")
    view.zoom_to_village(village.place.id)
    assert view.shows_grids()
    grid = next(i for i in view.grid_items.values() if i.place.name == "三网格")
    assert grid.isVisible()
    _hover(view, view.mapFromScene(grid.rect().center()))
    qtbot.waitUntil(lambda: "三网格" in page.map_panel.info.text())
    assert "办理中1件" in page.map_panel.info.text()
    page.map_panel.mode.setCurrentIndex(1)  # colour by cases in the period
    view.zoom_to_village(village.place.id)
    grid = next(i for i in view.grid_items.values() if i.place.name == "三网格")
    with qtbot.waitSignal(env.signals.show_cases_requested) as blocker:
        _click(qtbot, view, view.mapFromScene(grid.rect().center()).toPointF())
    f = blocker.args[0]
    assert f.grid_id == grid.place.id and f.status == [] and f.date_to == date(2026, 11, 30)
    assert [r.ref for r in list_cases(env.ctx, f)] == ["SF-2026-002"]


def test_own_organisation_scopes_the_charts(env, qtbot):
    page = _show(qtbot, WorkbenchPage(env))
    everyone = page.table.rowCount()
    page.own_only.setChecked(True)  # 城关镇人民调解委员会: SF-2026-001 only
    assert sum(page.month_chart.values) == 1
    assert page.summary.text().startswith("本单位需提醒") and page.table.rowCount() < everyone
    own = {r.case_number for r in page.table.items}
    assert own <= {list_cases(env.ctx, CaseFilter(organization_id=env.user.organization_id))[0].number}
    with qtbot.waitSignal(env.signals.show_cases_requested) as blocker:
        page.month_chart.bar_clicked.emit((2026, 6))
    assert blocker.args[0].organization_id == env.user.organization_id
    assert isinstance(blocker.args[0], CaseFilter)
