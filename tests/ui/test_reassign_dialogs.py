"""更换调解员 and 申请回避 from the case workspace, and the transfer dialog's receiving mediators."""
from __future__ import annotations

from PySide6.QtCore import QPoint, Qt

from mediator.services.cases.read import case_detail, find_case_id
from mediator.ui.dialogs.reassign import ReassignDialog, RecusalDialog
from mediator.ui.workspace.case_workspace import CaseWorkspace
from tests.helpers import LAND_OFFICE, VILLAGE_COMMITTEE, add_mediator

REF = "SF-2026-002"  # 东关村's committee, 张满仓; parties 何长林 and 吕小红 of 东关村


def _workspace(env, qtbot) -> CaseWorkspace:
    ws = CaseWorkspace(env, find_case_id(env.ctx, REF))
    qtbot.addWidget(ws)
    ws.resize(1148, 760)
    ws.show()
    return ws


def _detail(env):
    return case_detail(env.ctx, find_case_id(env.ctx, REF))


def _click(qtbot, widget) -> None:
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def _tick(picker, name: str, on: bool = True) -> None:
    picker.item_named(name).setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)


def test_reassign_from_the_workspace_with_the_conflict_acknowledged(env, qtbot):
    add_mediator(env.ctx, "孟凡", VILLAGE_COMMITTEE)
    add_mediator(env.ctx, "何秀梅", VILLAGE_COMMITTEE)  # same surname as 何长林, same village
    ws = _workspace(env, qtbot)
    assert ws.info_tab.reassign_button.isVisible() and ws.info_tab.reassign_button.isEnabled()
    _click(qtbot, ws.info_tab.reassign_button)
    dialog = ws.current_dialog
    assert isinstance(dialog, ReassignDialog)
    picker = dialog.picker
    assert [picker.item(i).text() for i in range(picker.count())] == ["张满仓（现任）", "孟凡", "何秀梅"]
    assert picker.chosen() == [picker.item(0).data(Qt.ItemDataRole.UserRole)]
    assert not dialog.conflict_box.isVisible()

    _tick(picker, "张满仓", False)
    _click(qtbot, dialog.ok_button)
    assert dialog.errors.labels["mediators"].text() == "请至少勾选一名调解员"
    _tick(picker, "孟凡")
    _tick(picker, "何秀梅")
    assert dialog.conflict_box.isVisible()
    assert "何长林与调解员何秀梅同姓" in dialog.conflict_box.text.text()
    dialog.reason_edit.setText("张满仓外出学习三个月")
    _click(qtbot, dialog.ok_button)  # not acknowledged: refused beside the box
    assert dialog.isVisible()
    assert "已知悉，仍然指派" in dialog.errors.labels["acknowledge_conflicts"].text()
    assert _detail(env).mediators == ("张满仓",)

    box = dialog.conflict_box.acknowledge  # clicked on its indicator (the box is wider than its text)
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(8, box.height() // 2))
    assert dialog.conflict_box.acknowledged()
    with qtbot.waitSignal(dialog.accepted, timeout=1000):
        _click(qtbot, dialog.ok_button)
    detail = _detail(env)
    assert detail.mediators == ("孟凡", "何秀梅")
    assert detail.timeline[-1].note == "调解员由张满仓更换为孟凡、何秀梅：张满仓外出学习三个月"
    qtbot.waitUntil(lambda: ws.info_tab.facts["mediators"].text() == "孟凡、何秀梅", timeout=1000)


def test_recusal_from_the_workspace(env, qtbot):
    add_mediator(env.ctx, "孟凡", VILLAGE_COMMITTEE)
    ws = _workspace(env, qtbot)
    _click(qtbot, ws.info_tab.recuse_button)
    dialog = ws.current_dialog
    assert isinstance(dialog, RecusalDialog)
    assert [dialog.party_combo.itemText(i) for i in range(dialog.party_combo.count())] == ["何长林", "吕小红"]
    assert dialog.mediator_combo.currentText() == "张满仓"
    _click(qtbot, dialog.ok_button)
    assert dialog.errors.labels["new_mediator"].text() == "请选择接替的调解员"
    dialog.party_combo.setCurrentIndex(1)
    dialog.new_combo.setCurrentIndex(dialog.new_combo.findText("孟凡"))
    assert not dialog.conflict_box.isVisible()
    _click(qtbot, dialog.ok_button)
    assert dialog.errors.labels["reason"].text() == "请填写当事人申请回避的理由"
    dialog.reason_edit.setPlainText("调解员与吕小红有过节")
    with qtbot.waitSignal(dialog.accepted, timeout=1000):
        _click(qtbot, dialog.ok_button)
    detail = _detail(env)
    assert detail.mediators == ("孟凡",)
    event = detail.timeline[-1]
    assert (event.action, event.label) == ("recusal", "调解员回避")
    assert event.note == "当事人吕小红申请调解员张满仓回避，改由孟凡承办：调解员与吕小红有过节"


def test_transfer_asks_for_the_receivers_mediators(env, qtbot):
    from tests.ui.test_action_dialogs import build, press_ok

    add_mediator(env.ctx, "孙立平", LAND_OFFICE)
    add_mediator(env.ctx, "周红", LAND_OFFICE)
    dialog = build(qtbot, env, "transfer", REF)
    dialog.organization_combo.setCurrentText(LAND_OFFICE)
    picker = dialog.mediator_picker
    assert [picker.item(i).text() for i in range(picker.count())] == ["孙立平", "周红"]
    dialog.reason_edit.setText("涉及宅基地界址")
    press_ok(qtbot, dialog)
    assert dialog.errors.labels["mediators"].text() == f"请勾选{LAND_OFFICE}接手本案的调解员（至少一名）"
    _tick(picker, "周红")
    with qtbot.waitSignal(dialog.accepted, timeout=1000):
        press_ok(qtbot, dialog)
    detail = _detail(env)
    assert (detail.organization, detail.mediators) == (LAND_OFFICE, ("周红",))
