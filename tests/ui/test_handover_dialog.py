"""移交案件 from the 区划网格 page: choose successors, confirm, the cases move; refusals stay in the dialog."""
from __future__ import annotations

from dataclasses import replace

import pytest
from PySide6.QtCore import Qt
from sqlmodel import select

from mediator.domain.permissions import Role
from mediator.services.cases.read import case_detail
from mediator.services.places import admin as ra
from mediator.store.models import Case, CaseMediator, Mediator
from mediator.ui.dialogs.handover import TARGET_COLUMN, HandoverDialog
from mediator.ui.pages.regions import RegionsPage


def _make_page(env, qtbot):
    page = RegionsPage(env)
    qtbot.addWidget(page)
    page.resize(1148, 760)
    page.show()
    return page


def _mediator_id(env, name: str) -> int:
    with env.ctx.read() as session:
        return session.exec(select(Mediator.id).where(Mediator.name == name)).one()


def _cases_of(env, name: str) -> list[int]:
    with env.ctx.read() as session:
        return sorted(session.exec(select(CaseMediator.case_id)
                                   .where(CaseMediator.mediator_id == _mediator_id(env, name))))


def _open_dialog(page, qtbot, name: str) -> HandoverDialog:
    panel = page.panel
    assert panel.org_table.item(0, 0).text() == "城关镇人民调解委员会"
    panel.org_table.selectRow(0)
    names = [panel.mediator_table.item(r, 0).text() for r in range(panel.mediator_table.rowCount())]
    panel.mediator_table.selectRow(names.index(name))
    assert panel.handover_button.isVisible() and panel.handover_button.isEnabled()
    qtbot.mouseClick(panel.handover_button, Qt.MouseButton.LeftButton)
    dialog = panel.dialog
    assert isinstance(dialog, HandoverDialog) and dialog.isVisible()
    return dialog


def _choose_all(dialog: HandoverDialog, name: str) -> None:
    index = dialog.all_to.findText(name)
    assert index > 0
    dialog.all_to.setCurrentIndex(index)
    dialog.all_to.activated.emit(index)


@pytest.fixture
def zhao(env):
    org = next(o for o in ra.organizations_at(env.ctx, _region_id(env, "城关镇"))
               if o.name == "城关镇人民调解委员会")
    return ra.add_mediator(env.ctx, org.id, name="赵敏").id


def _region_id(env, name: str) -> int:
    return next(r.id for r in ra.region_tree(env.ctx) if r.name == name)


def test_handover_from_the_page_moves_every_case_and_tells_the_other_views(env, qtbot, zhao):
    page = _make_page(env, qtbot)
    in_hand = _cases_of(env, "李建国")
    assert in_hand
    changed, references = [], []
    env.signals.cases_changed.connect(changed.append)
    env.signals.reference_changed.connect(lambda: references.append(True))

    dialog = _open_dialog(page, qtbot, "李建国")
    assert dialog.table.rowCount() == len(dialog.checklist.cases) == len(in_hand)
    assert [dialog.table.horizontalHeaderItem(c).text() for c in range(dialog.table.columnCount())] == [
        "案号", "当事人", "状态", "下一期限", "到期日", "提示", "接手调解员"]
    first = dialog.checklist.cases[0]
    assert dialog.table.item(0, 0).text() == first.number
    assert dialog.table.item(0, 2).text() == first.status_label
    assert not dialog.ok_button.isEnabled()  # no successor chosen yet

    combo = dialog.table.cellWidget(0, TARGET_COLUMN)
    combo.setCurrentIndex(combo.findText("王秀英"))
    assert dialog.table.rowCount() > 1 and not dialog.ok_button.isEnabled()  # one row still open
    _choose_all(dialog, "赵敏")
    assert all(dialog.table.cellWidget(r, TARGET_COLUMN).currentText() == "赵敏"
               for r in range(dialog.table.rowCount()))
    assert dialog.ok_button.isEnabled()
    dialog.note.setText("调往县司法局")
    dialog.deactivate.setChecked(True)
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)

    assert dialog.result() == HandoverDialog.DialogCode.Accepted
    assert dialog.summary is not None and sorted(dialog.summary.case_ids) == in_hand
    assert _cases_of(env, "赵敏") == in_hand
    assert sorted(changed[-1]) == in_hand
    assert references  # the mediator was deactivated: the lists refresh
    with env.ctx.read() as session:
        assert session.get(Mediator, _mediator_id(env, "李建国")).active is False
    event = case_detail(env.ctx, in_hand[0]).timeline[-1]
    assert event.note == "调解员李建国离岗，案件移交赵敏承办：调往县司法局"
    assert event.actor == "王所长"


def test_a_refusal_is_shown_in_the_dialog_and_nothing_moves(env, qtbot, zhao):
    page = _make_page(env, qtbot)
    before = _cases_of(env, "李建国")
    dialog = _open_dialog(page, qtbot, "李建国")
    _choose_all(dialog, "赵敏")
    with env.ctx.transaction() as session:  # meanwhile, someone deactivates the successor
        row = session.get(Mediator, zhao)
        row.active = False
        session.add(row)
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and dialog.result() != HandoverDialog.DialogCode.Accepted
    assert "赵敏已停用" in dialog.error_text()
    assert dialog.checklist.cases[0].number in dialog.error_text()
    assert _cases_of(env, "李建国") == before


def test_a_stale_checklist_reloads_and_keeps_the_choices(env, qtbot, zhao):
    page = _make_page(env, qtbot)
    dialog = _open_dialog(page, qtbot, "李建国")
    _choose_all(dialog, "赵敏")
    case_id = dialog.checklist.cases[0].case_id
    with env.ctx.transaction() as session:  # someone edits a case in the meantime
        case = session.get(Case, case_id)
        case.version += 1
        session.add(case)
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert "已被他人修改" in dialog.error_text()
    assert dialog.checklist.versions[case_id] == case_detail(env.ctx, case_id).version
    assert dialog.ok_button.isEnabled()  # the choices survived the reload
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == HandoverDialog.DialogCode.Accepted


def test_the_button_is_hidden_from_a_mediator(env, qtbot):
    mediator_env = replace(env, user=replace(env.user, role=Role.MEDIATOR))
    page = _make_page(mediator_env, qtbot)
    page.panel.org_table.selectRow(0)
    page.panel.mediator_table.selectRow(0)
    assert not page.panel.handover_button.isVisible()


def test_a_successor_who_may_have_to_withdraw_is_assigned_only_once_acknowledged(env, qtbot):
    from PySide6.QtCore import QPoint

    from mediator.store.models import Region
    from tests.helpers import add_mediator

    with env.ctx.read() as session:
        dongguan = session.exec(select(Region.id).where(Region.code == "419901100201")).one()
    add_mediator(env.ctx, "许明", "城关镇人民调解委员会", village_id=dongguan)  # 许大山 of SF-2026-003
    page = _make_page(env, qtbot)
    in_hand = _cases_of(env, "李建国")
    dialog = _open_dialog(page, qtbot, "李建国")
    _choose_all(dialog, "许明")
    assert not dialog.acknowledge.isVisible()
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and "许大山与调解员许明同姓" in dialog.error_text()
    assert _cases_of(env, "李建国") == in_hand
    assert dialog.acknowledge.isVisible()
    box = dialog.acknowledge
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(8, box.height() // 2))
    with qtbot.waitSignal(dialog.accepted, timeout=1000):
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert _cases_of(env, "许明") == in_hand
