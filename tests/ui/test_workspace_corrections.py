"""Corrections in the case workspace, through its real buttons and dialogs: parties added, edited
and removed, a session record corrected, a 变更/补充协议 recorded after signing."""
from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt

from mediator.domain.enums import SessionKind
from mediator.domain.errors import ConflictError
from mediator.services.cases.corrections import update_case_info
from mediator.services.cases.inputs import SessionInput
from mediator.services.cases.lifecycle import record_session
from mediator.services.cases.read import case_detail, find_case_id
from mediator.services.context import ServiceContext
from mediator.ui import errors as ui_errors
from mediator.ui.workspace.case_workspace import CaseWorkspace

BAD_ID = "419901194803152121"  # wrong check digit
GOOD_ID = "41990119900101123X"


def open_workspace(env, qtbot, ref: str) -> CaseWorkspace:
    ws = CaseWorkspace(env, find_case_id(env.ctx, ref))
    qtbot.addWidget(ws)
    ws.resize(1148, 760)
    ws.show()
    return ws


@pytest.fixture
def workspace(env, qtbot) -> CaseWorkspace:
    return open_workspace(env, qtbot, "SF-2026-002")  # 已受理


@pytest.fixture
def signed(env, qtbot) -> CaseWorkspace:
    return open_workspace(env, qtbot, "SF-2026-001")  # 已履行, its agreement signed


@pytest.fixture
def shown_errors(monkeypatch) -> list[tuple[BaseException, object]]:
    calls: list[tuple[BaseException, object]] = []
    monkeypatch.setattr(ui_errors, "show_error",
                        lambda parent, exc, on_reload=None: calls.append((exc, on_reload)))
    return calls


def click(qtbot, widget) -> None:
    assert widget.isVisible() and widget.isEnabled(), widget.objectName()
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def opened(ws: CaseWorkspace):
    dialog = ws.corrections.current_dialog
    assert dialog is not None and dialog.isVisible()
    return dialog


def save(qtbot, dialog) -> None:
    with qtbot.waitSignal(dialog.accepted, timeout=2000):
        click(qtbot, dialog.ok_button)


def last_note(ws: CaseWorkspace) -> str:
    table = ws.history_tab.timeline_table
    return table.item(table.rowCount() - 1, 4).text()


def select_party(ws: CaseWorkspace, name: str) -> None:
    ws.tabs.setCurrentWidget(ws.parties_tab)
    table = ws.parties_tab.table
    row = next(r for r in range(table.rowCount()) if table.item(r, 2).text() == name)
    table.selectRow(row)


def test_a_party_is_added_checked_as_at_intake_and_kept_on_the_timeline(workspace, qtbot, env):
    ws = workspace
    ws.tabs.setCurrentWidget(ws.parties_tab)
    before = len(case_detail(env.ctx, ws.case_id).parties)
    click(qtbot, ws.parties_tab.add_button)
    dialog = opened(ws)
    dialog.name_edit.insert("王五")
    qtbot.keyClicks(dialog.id_edit, BAD_ID)
    assert "身份证号" in dialog.fields["id_number"].error_message()
    click(qtbot, dialog.ok_button)
    assert dialog.isVisible()  # refused: the message stays beside the field
    dialog.id_edit.clear()
    qtbot.keyClicks(dialog.id_edit, GOOD_ID)
    assert dialog.fields["id_number"].error_message() == ""
    qtbot.keyClicks(dialog.phone_edit, "13912345678")
    dialog.grab().save("/tmp/corrections_add_party.png")
    save(qtbot, dialog)
    parties = case_detail(env.ctx, ws.case_id).parties
    assert len(parties) == before + 1 and parties[-1].name == "王五"
    assert ws.parties_tab.table.rowCount() == before + 1
    assert last_note(ws).startswith("添加当事人") and "王五" in last_note(ws)


def test_the_services_refusal_shows_beside_the_field(workspace, qtbot, env):
    ws = workspace
    existing = case_detail(env.ctx, ws.case_id).parties[0]
    ws.tabs.setCurrentWidget(ws.parties_tab)
    click(qtbot, ws.parties_tab.add_button)
    dialog = opened(ws)
    dialog.name_edit.insert("重复者")
    from mediator.services.cases.personal_data import reveal_party

    qtbot.keyClicks(dialog.id_edit, reveal_party(env.ctx, existing.id).id_number)
    click(qtbot, dialog.ok_button)
    assert dialog.isVisible()
    assert dialog.fields["id_number"].error_message() == "同一案件中身份证号重复"


def test_a_party_is_edited_with_its_real_values_filled_in(workspace, qtbot, env):
    ws = workspace
    party = case_detail(env.ctx, ws.case_id).parties[0]
    select_party(ws, party.name)
    click(qtbot, ws.parties_tab.edit_button)
    dialog = opened(ws)
    assert dialog.windowTitle().startswith("修改当事人")
    assert "*" not in dialog.id_edit.text() and len(dialog.id_edit.text()) == 18  # not masked
    assert not dialog.frozen_hint.isVisible() and dialog.name_edit.isEnabled()
    dialog.address_edit.clear()
    dialog.address_edit.insert("城关镇东关村五组")
    save(qtbot, dialog)
    assert case_detail(env.ctx, ws.case_id).parties[0].address == "城关镇东关村五组"
    assert last_note(ws).startswith("修改当事人") and "→ 城关镇东关村五组" in last_note(ws)


def test_a_stale_party_edit_gets_the_conflict_dialog(workspace, qtbot, env, shown_errors):
    ws = workspace
    party = case_detail(env.ctx, ws.case_id).parties[0]
    select_party(ws, party.name)
    click(qtbot, ws.parties_tab.edit_button)
    dialog = opened(ws)
    other = ServiceContext(env.ctx.db, actor="李干事", clock=env.ctx.clock)
    update_case_info(other, ws.case_id, case_detail(other, ws.case_id).version, requests="李干事改的申请事项")
    dialog.occupation_edit.insert("务农")
    click(qtbot, dialog.ok_button)
    exc, on_reload = shown_errors[-1]
    assert isinstance(exc, ConflictError)
    on_reload()
    assert not dialog.isVisible()
    assert ws.info_tab.requests_edit.toPlainText() == "李干事改的申请事项"


def test_a_party_is_removed_with_a_reason(workspace, qtbot, env):
    ws = workspace
    parties = case_detail(env.ctx, ws.case_id).parties
    select_party(ws, parties[-1].name)
    click(qtbot, ws.parties_tab.remove_button)
    dialog = opened(ws)
    click(qtbot, dialog.ok_button)
    assert dialog.isVisible() and dialog.errors.labels["reason"].text() == "请填写删除当事人的理由"
    dialog.reason_edit.insert("登记时误录")
    save(qtbot, dialog)
    assert len(case_detail(env.ctx, ws.case_id).parties) == len(parties) - 1
    assert last_note(ws).startswith("删除当事人") and parties[-1].name in last_note(ws)


def test_a_session_record_is_corrected(workspace, qtbot, env):
    ws = workspace
    record_session(env.ctx, ws.case_id, SessionInput(on=date(2026, 11, 20), kind=SessionKind.INVESTIGATION,
                                                     place="村委会", participants="双方当事人",
                                                     record="查看了排水沟现场。"))
    ws.reload()
    ws.tabs.setCurrentWidget(ws.sessions_tab)
    ws.sessions_tab.table.selectRow(ws.sessions_tab.table.rowCount() - 1)
    click(qtbot, ws.sessions_tab.correct_button)
    dialog = opened(ws)
    assert dialog.place_edit.text() == "村委会" and dialog.record_edit.toPlainText() == "查看了排水沟现场。"
    dialog.place_edit.clear()
    dialog.place_edit.insert("争议现场")
    dialog.record_edit.setPlainText("")
    click(qtbot, dialog.ok_button)
    assert dialog.isVisible() and dialog.errors.labels["record"].text() == "请填写调查或调解经过"
    dialog.record_edit.insertPlainText("查看了排水沟现场，拍照两张。")
    save(qtbot, dialog)
    sessions = case_detail(env.ctx, ws.case_id).sessions
    assert sessions[-1].place == "争议现场" and sessions[-1].record == "查看了排水沟现场，拍照两张。"
    assert last_note(ws).startswith("更正调查记录") and "地点 村委会 → 争议现场" in last_note(ws)


def test_after_signing_identity_is_read_only_and_parties_are_neither_added_nor_removed(signed, qtbot, env):
    ws = signed
    tab = ws.parties_tab
    ws.tabs.setCurrentWidget(tab)
    tab.table.selectRow(0)
    assert not tab.add_button.isEnabled() and not tab.remove_button.isEnabled()
    assert "变更（补充）协议" in tab.add_button.toolTip()
    click(qtbot, tab.edit_button)
    dialog = opened(ws)
    assert dialog.frozen_hint.isVisible() and "变更（补充）协议" in dialog.frozen_hint.text()
    for widget in (dialog.name_edit, dialog.id_edit, dialog.role_combo, dialog.kind_combo):
        assert not widget.isEnabled()
    dialog.phone_edit.clear()
    qtbot.keyClicks(dialog.phone_edit, "13700002222")
    dialog.grab().save("/tmp/corrections_frozen_party.png")
    save(qtbot, dialog)
    assert last_note(ws).startswith("修改当事人") and "联系电话" in last_note(ws)


def test_a_supplementary_agreement_is_recorded_beside_the_frozen_agreement(signed, qtbot, env):
    ws = signed
    ws.tabs.setCurrentWidget(ws.agreement_tab)
    box = ws.supplements_box
    agreement_text = ws.agreement_tab.view.toPlainText()
    assert box.isVisible() and not box.table.isVisible()
    click(qtbot, box.add_button)
    dialog = opened(ws)
    click(qtbot, dialog.ok_button)
    assert dialog.errors.labels["terms"].text() == "请至少填写一条协议内容"
    dialog.terms_edit.insertPlainText("赡养费支付日期变更为每月10日前。")
    dialog.reason_edit.insert("杨国强工资发放日调整")
    dialog.grab().save("/tmp/corrections_supplement_dialog.png")
    save(qtbot, dialog)
    assert box.table.rowCount() == 1 and box.table.isVisible()
    assert box.table.item(0, 0).text() == "第1号补充协议"
    assert "赡养费支付日期变更为每月10日前。" in box.table.item(0, 2).text()
    assert ws.agreement_tab.view.toPlainText() == agreement_text  # the signed one unchanged
    assert last_note(ws).startswith("签订第1号补充协议")
    ws.grab().save("/tmp/corrections_agreement_tab.png")


def test_no_supplementary_agreement_before_signing(workspace):
    assert not workspace.supplements_box.isVisible()
    assert workspace.corrections.add_supplement() is None
