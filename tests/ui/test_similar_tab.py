"""The workspace's 类案参考 tab: read when first shown, the similar earlier case with its agreement
terms, double-click opens it; the empty state otherwise."""
from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt

from mediator.services.cases import lifecycle as uc
from mediator.services.cases.read import find_case_id
from mediator.ui.workspace import similar_tab
from mediator.ui.workspace.case_workspace import CaseWorkspace
from tests.helpers import agreement_input, applicant, case_input, respondent

D = date


def _workspace(env, qtbot, case_id: int) -> CaseWorkspace:
    ws = CaseWorkspace(env, case_id)
    qtbot.addWidget(ws)
    ws.resize(1148, 760)
    ws.show()
    return ws


def _earlier_drain_case(ctx) -> int:
    """An agreed 邻里 case of 东关村 about a blocked drain, before SF-2026-002 (2026-11-20)."""
    case_id = uc.register_case(ctx, case_input(
        received_on=D(2026, 9, 1), summary="两户因共用排水沟堵塞污水外溢发生争执。",
        parties=[applicant(name="孙大成", id_number=None, phone="13700000031"),
                 respondent(name="周小红", id_number=None, phone="13700000032")])).id
    uc.accept_case(ctx, case_id, D(2026, 9, 1))
    uc.start_mediation(ctx, case_id, D(2026, 9, 2))
    uc.conclude_agreement(ctx, case_id, agreement_input(
        D(2026, 9, 10), items=["周小红于九月十五日前疏通共用排水沟。", "疏通费用二百元由双方各半负担。"],
        performance="现金支付", deadline=D(2026, 9, 15), amount_yuan="200"))
    return case_id


def test_the_tab_shows_the_similar_case_and_its_terms_and_opens_it(env, qtbot, monkeypatch):
    earlier = _earlier_drain_case(env.ctx)
    calls = []
    real = similar_tab.similar_cases
    monkeypatch.setattr(similar_tab, "similar_cases", lambda ctx, case_id: calls.append(case_id) or real(ctx, case_id))
    ws = _workspace(env, qtbot, find_case_id(env.ctx, "SF-2026-002"))
    assert calls == []  # not read until the tab is shown
    tab = ws.similar_tab
    ws.tabs.setCurrentWidget(tab)
    assert len(calls) == 1 and ws.tabs.tabText(ws.tabs.currentIndex()) == "类案参考"
    table = tab.table
    assert table.isVisible() and not tab.empty_label.isVisible()
    assert table.rowCount() == 1
    cells = [table.item(0, c).text() for c in range(table.columnCount())]
    assert cells[:6] == [tab.cases[0].number, "2026-09-01", "邻里", "东关村", "调解成功", "200.00"]
    assert cells[6] == "同类纠纷、同村（社区）、“共用排水沟堵塞”"
    text = tab.view.toPlainText()
    assert "1. 周小红于九月十五日前疏通共用排水沟。" in text and "2. 疏通费用二百元由双方各半负担。" in text
    assert "现金支付" in text and "2026-09-15" in text
    qtbot.wait(20)
    ws.grab().save("/tmp/similar-tab.png")

    ws.tabs.setCurrentIndex(0)
    ws.tabs.setCurrentWidget(tab)
    assert len(calls) == 1  # shown again, unchanged: not read again

    opened = []
    env.signals.open_case_requested.connect(opened.append)
    rect = table.visualItemRect(table.item(0, 0))
    # A real double-click starts with a press: the view opens only the item pressed first.
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert opened == [earlier]
    qtbot.mouseClick(tab.open_button, Qt.MouseButton.LeftButton)
    assert opened == [earlier, earlier]


def test_a_case_with_nothing_alike_shows_the_empty_state(env, qtbot):
    ws = _workspace(env, qtbot, find_case_id(env.ctx, "SF-2026-002"))
    ws.tabs.setCurrentWidget(ws.similar_tab)
    tab = ws.similar_tab
    assert tab.empty_label.isVisible() and tab.empty_label.text() == "暂无相似的既往案件"
    assert not tab.table.isVisible() and not tab.open_button.isEnabled()
    qtbot.wait(20)
    tab.grab().save("/tmp/similar-empty.png")
