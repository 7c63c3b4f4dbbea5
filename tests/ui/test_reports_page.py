"""统计报表: period and scope pickers, the same numbers as `report stats`, exports and the map."""
from __future__ import annotations

from datetime import date

from openpyxl import load_workbook
from PySide6.QtCore import QDate, QPoint, Qt

from mediator.domain.enums import Category, Source
from mediator.services.reports.resolution import resolution_by_level
from mediator.services.reports.statistics import Period, stats_json
from mediator.ui.pages.reports import ReportsPage


def _show(qtbot, widget, scope: str | None = "全部"):
    """The page shown; most tests read the whole county (the page opens on the user's office)."""
    qtbot.addWidget(widget)
    widget.resize(1148, 760)
    widget.show()
    qtbot.waitExposed(widget)
    if scope is not None:
        select_scope(widget, scope)
    return widget


def _values(table) -> dict[str, str]:
    return {table.item(r, 0).text().strip(): table.item(r, 1).text() for r in range(table.rowCount())}


def select_scope(page, name: str) -> None:
    index = next(i for i in range(page.scope.count()) if page.scope.itemText(i).strip() == name)
    page.scope.setCurrentIndex(index)


def test_the_page_shows_the_numbers_the_cli_prints(env, qtbot):
    page = _show(qtbot, ReportsPage(env))
    qtbot.mouseClick(page.year_button, Qt.MouseButton.LeftButton)
    assert page.picker.period() == Period.year(2026)
    data = stats_json(env.ctx, Period.year(2026))
    outcome = _values(page.outcome_table)
    assert outcome["受理纠纷数"] == str(data["received"]) == "3"
    assert outcome["调解成功（达成协议）"] == str(data["succeeded"])
    assert outcome["调解成功率"] == "50.0%" and data["success_rate"] == 0.5
    assert _values(page.source_table) == {s.label: str(data["by_source"][s.value]) for s in Source}
    assert _values(page.category_table) == {c.label: str(data["by_category"][c.value]) for c in Category}
    assert len(_values(page.category_table)) == 18
    detail = _values(page.detail_table)
    assert detail["协议涉及金额"] == "3,600.00" and detail["书面协议"] == "1"
    assert detail["申请司法确认"] == str(data["judicial_confirmation_applied"])
    assert detail["防止民转刑"] == "0" and detail["人民调解 → 行政调解"] == "1"
    levels = resolution_by_level(env.ctx, Period.year(2026)).by_level
    assert detail["网格化解"] == str(levels["grid"]) and detail["乡镇（街道）化解"] == str(levels["township"])
    assert "不出网格化解率" in detail and "不出街道化解率" in detail
    assert "示范县 2026年度" in page.headline.text()
    units = [page.unit_table.item(r, 0).text() for r in range(page.unit_table.rowCount())]
    assert units[-1] == "合计" and len(units) == 4
    assert page.unit_table.item(len(units) - 1, 2).text() == "3"


def test_period_kinds_fill_the_dates(env, qtbot):
    page = _show(qtbot, ReportsPage(env))
    assert page.picker.period() == Period.month(2026, 11) and page.report.received == 1
    assert not page.date_from.isEnabled()
    page.picker.kind.setCurrentIndex(page.picker.kind.findData("quarter"))
    assert page.picker.period() == Period.quarter(2026, 4)
    page.picker.part.setCurrentIndex(1)  # 第二季度: SF-2026-001 received 06-01
    assert page.report.period == Period.quarter(2026, 2) and page.report.received == 1
    assert "2026年第二季度" in page.headline.text()
    page.picker.kind.setCurrentIndex(page.picker.kind.findData("custom"))
    assert page.date_from.isEnabled() and page.date_to.isEnabled()
    page.date_from.setDate(QDate(2026, 8, 1))
    page.date_to.setDate(QDate(2026, 8, 31))
    qtbot.mouseClick(page.run_button, Qt.MouseButton.LeftButton)
    assert page.report.period.kind == "month" and _values(page.outcome_table)["调解终止"] == "1"


def test_an_empty_period_is_a_zero_report_and_a_reversed_one_is_refused(env, qtbot):
    page = _show(qtbot, ReportsPage(env))
    page.picker.set_period("year", 2025)
    assert page.report.is_zero and "零上报" in page.headline.text()
    assert _values(page.outcome_table)["调解成功率"] == "—"
    page.picker.kind.setCurrentIndex(page.picker.kind.findData("custom"))
    page.date_to.setDate(QDate(2024, 1, 1))
    qtbot.mouseClick(page.run_button, Qt.MouseButton.LeftButton)
    assert page.error.text() == "结束日期不能早于开始日期"


def test_scope_picker(env, qtbot):
    from mediator.ui.pages.reports import SCOPE_DEPTH_ROLE

    page = _show(qtbot, ReportsPage(env), scope=None)
    assert page.scope.currentText() == "城关镇人民调解委员会"  # the user's own office first
    assert page.current_scope().id == env.user.organization_id
    page.picker.set_period("year", 2026)
    tree = [(page.scope.itemData(i, SCOPE_DEPTH_ROLE), page.scope.itemText(i))
            for i in range(page.scope.count())]
    assert tree[:3] == [(0, "全部"), (0, "示范县"), (1, "城关镇")]
    # county → township → organisation: every organisation of 城关镇 sits under it, one level in
    township = tree.index((1, "城关镇"))
    below = [name for depth, name in tree[township + 1:] if depth == 2]
    assert {"城关镇人民调解委员会", "城关镇自然资源所", "东关村人民调解委员会"} <= set(below)
    assert all(text == text.strip() for _depth, text in tree)  # indented by drawing, not by spaces
    metrics = page.scope.fontMetrics()
    assert page.scope.view().minimumWidth() > metrics.horizontalAdvance("东关村人民调解委员会") + 40
    select_scope(page, "东关村人民调解委员会")
    assert page.report.scope == "东关村人民调解委员会" and page.report.received == 1
    assert _values(page.source_table)["网格上报"] == "1"
    select_scope(page, "城关镇")
    assert page.report.received == 3


def test_export_buttons_write_the_report_and_the_ledger(env, qtbot, tmp_path, monkeypatch):
    page = _show(qtbot, ReportsPage(env))
    page.picker.set_period("year", 2026)
    targets = iter([tmp_path / "report.xlsx", tmp_path / "ledger.xlsx"])
    asked = []
    monkeypatch.setattr(page, "ask_save_path", lambda title, name: asked.append(name) or next(targets))
    qtbot.mouseClick(page.export_button, Qt.MouseButton.LeftButton)
    ws = load_workbook(tmp_path / "report.xlsx")["统计表"]
    total = next(r for r in range(7, ws.max_row + 1) if ws.cell(r, 1).value == "合计")
    assert ws.cell(total, 3).value == 3 and "统计表已导出" in page.message.text()
    qtbot.mouseClick(page.ledger_button, Qt.MouseButton.LeftButton)
    ledger = load_workbook(tmp_path / "ledger.xlsx").active
    assert [ledger.cell(r, 2).value for r in (4, 5, 6)] == [
        "（2026）城关人调字第1号", "（2026）城关资行调字第1号", "（2026）东关人调字第1号"]
    assert "台账（3件）" in page.message.text()
    assert asked == ["统计表_2026年度.xlsx", "矛盾纠纷排查调处台账_2026年度.xlsx"]


def test_a_cancelled_export_writes_nothing(env, qtbot, tmp_path, monkeypatch):
    page = _show(qtbot, ReportsPage(env))
    monkeypatch.setattr(page, "ask_save_path", lambda title, name: None)
    qtbot.mouseClick(page.export_button, Qt.MouseButton.LeftButton)
    assert page.message.isHidden() and list(tmp_path.glob("*.xlsx")) == []


def test_map_tab_follows_period_and_scope_and_opens_the_place(env, qtbot):
    page = _show(qtbot, ReportsPage(env))
    page.picker.set_period("year", 2026)
    page.tabs.setCurrentWidget(page.map_panel)
    page.map_panel.mode.setCurrentIndex(1)  # cases received in the period
    view = page.map_panel.view
    item = next(i for i in view.village_items.values() if i.place.name == "南街社区")
    assert item.place.period_cases == 1 and "期间收案1件" in item.toolTip()
    pos = view.mapFromScene(item.rect().center())
    with qtbot.waitSignal(env.signals.show_cases_requested) as blocker:
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(pos.x(), pos.y()))
    f = blocker.args[0]
    assert f.village_id == item.place.id and (f.date_from, f.date_to) == (date(2026, 1, 1), date(2026, 12, 31))


def test_the_footer_shows_the_audit_anchor_of_the_report(env, qtbot):
    from mediator.services.audit import head

    page = _show(qtbot, ReportsPage(env))
    qtbot.mouseClick(page.month_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.anchor.text() != "")
    count, digest = str(head(env.ctx)).split(":")
    assert page.anchor.text() == f"审计日志锚点：{count}:{digest[:16]}…（打印时）"
    assert f"{count}:{digest}" in page.anchor.toolTip()
    page.grab().save("/tmp/audit-report-footer.png")
