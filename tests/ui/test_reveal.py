"""The 当事人 tab: 身份证号 and phones masked, 显示 for roles that may, recorded in the audit log."""
from __future__ import annotations

import dataclasses

import pytest
from PySide6.QtCore import Qt
from sqlmodel import select

from mediator.domain.permissions import Role
from mediator.services.cases.read import find_case_id
from mediator.store.models import AuditEntry
from mediator.ui import errors as ui_errors
from mediator.ui.workspace.case_workspace import CaseWorkspace
from mediator.ui.workspace.record_tabs import PARTY_COLUMNS

ID_COLUMN, PHONE_COLUMN = PARTY_COLUMNS.index("身份证号"), PARTY_COLUMNS.index("联系电话")
# The parties of the sample case SF-2026-002.
HE = ("何长林", "419901196012014117", "13700000003")
LV = ("吕小红", "419901198504225227", "13700000004")


@pytest.fixture
def shown_errors(monkeypatch) -> list[BaseException]:
    calls: list[BaseException] = []
    monkeypatch.setattr(ui_errors, "show_error", lambda parent, exc, on_reload=None: calls.append(exc))
    return calls


def _workspace(qtbot, env) -> CaseWorkspace:
    env.ctx.user = env.user  # as the app does after login: the services check this user
    ws = CaseWorkspace(env, find_case_id(env.ctx, "SF-2026-002"))
    qtbot.addWidget(ws)
    ws.show()
    ws.tabs.setCurrentWidget(ws.parties_tab)
    return ws


def _row(ws: CaseWorkspace, row: int) -> tuple[str, str, str]:
    table = ws.parties_tab.table
    return (table.item(row, 2).text(), table.item(row, ID_COLUMN).text(),
            table.item(row, PHONE_COLUMN).text())


def _reveals(env) -> list[AuditEntry]:
    with env.ctx.read() as session:
        return list(session.exec(select(AuditEntry).where(AuditEntry.action == "reveal")))


def test_parties_are_masked_and_revealed_one_at_a_time_with_an_audit_entry(qtbot, env, shown_errors):
    ws = _workspace(qtbot, env)
    tab = ws.parties_tab
    assert _row(ws, 0) == ("何长林", "419***********4117", "137****0003")
    assert _row(ws, 1) == ("吕小红", "419***********5227", "137****0004")
    assert tab.reveal_button.isVisible() and not tab.reveal_button.isEnabled()  # nothing selected

    tab.table.selectRow(0)
    assert tab.reveal_button.isEnabled()
    qtbot.mouseClick(tab.reveal_button, Qt.MouseButton.LeftButton)
    assert _row(ws, 0) == HE
    assert _row(ws, 1) == ("吕小红", "419***********5227", "137****0004")
    assert not tab.reveal_button.isEnabled()  # already shown
    [entry] = _reveals(env)
    assert (entry.username, entry.target) == ("王所长", ws.detail.number)
    assert entry.detail["party"] == "何长林"

    tab.table.selectRow(1)
    assert tab.reveal_action in tab.table.actions() and tab.reveal_action.isEnabled()
    tab.reveal_action.trigger()  # the table's context menu
    assert _row(ws, 1) == LV
    assert [e.detail["party"] for e in _reveals(env)] == ["何长林", "吕小红"]

    ws.reload()  # shown values do not outlive the view: masked again
    assert _row(ws, 0) == ("何长林", "419***********4117", "137****0003")
    assert shown_errors == []


def test_a_readonly_user_sees_masked_values_and_no_reveal(qtbot, env, shown_errors):
    reader = dataclasses.replace(env, user=dataclasses.replace(env.user, role=Role.READONLY))
    ws = _workspace(qtbot, reader)
    tab = ws.parties_tab
    assert _row(ws, 0) == ("何长林", "419***********4117", "137****0003")
    tab.table.selectRow(0)
    assert not tab.reveal_button.isVisible()
    assert tab.reveal_action is None and tab.table.actions() == []
    assert tab.table.contextMenuPolicy() != Qt.ContextMenuPolicy.ActionsContextMenu
    assert _reveals(env) == []
    assert shown_errors == []
