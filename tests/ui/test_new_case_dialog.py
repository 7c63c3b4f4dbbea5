"""NewCaseDialog: defaults, dependent fields, registering a case, errors beside their fields."""
from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QDialog

from mediator.domain.enums import Gender, PartyKind, PartyRole, RiskFlag
from mediator.domain.formatting import parse_case_number
from mediator.services.cases.inputs import PartyInput
from mediator.services.cases.read import (
    CaseFilter,
    case_detail,
    count_cases,
    find_case_id,
    list_cases,
)
from mediator.ui import errors as ui_errors
from mediator.ui.dialogs import new_case as new_case_module
from mediator.ui.dialogs.new_case import NewCaseDialog
from mediator.ui.dialogs.party_dialog import PartyDialog

DONGGUAN = "419901100201"
LIU_GUILAN_ID = "41990119480315212X"  # a party of the sample case SF-2026-001


@pytest.fixture
def dialog(env, qtbot):
    dlg = NewCaseDialog(env)
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.waitExposed(dlg)
    return dlg


def choose(combo, text: str) -> None:
    index = combo.findText(text)
    assert index >= 0, f"{text} not in combo"
    combo.setCurrentIndex(index)


def mediator_names(dialog: NewCaseDialog) -> list[str]:
    return [dialog.mediator_list.item(i).text() for i in range(dialog.mediator_list.count())]


def next_number(ctx, short: str) -> str:
    """The number the next people's case of this organisation gets this year.

    Numbers are never reused, also not those of cases later transferred away, so every number
    ever given (the register and transfer events keep them) counts.
    """
    given = []
    for row in list_cases(ctx, CaseFilter()):
        detail = case_detail(ctx, row.id)
        given += [detail.number, *(e.data.get("number") for e in detail.timeline)]
    seqs = [parsed[3] for number in given if number and (parsed := parse_case_number(number))
            and parsed[:3] == (2026, short, "人调")]
    return f"（2026）{short}人调字第{max(seqs, default=0) + 1}号"


def party_exec(fill):
    """A stand-in for PartyDialog.exec: fill the real dialog, then press its OK button."""
    def exec_(self):
        fill(self)
        self.ok_button.click()
        return self.result()
    return exec_


def add_party(qtbot, monkeypatch, dialog: NewCaseDialog, fill) -> None:
    monkeypatch.setattr(PartyDialog, "exec", party_exec(fill))
    qtbot.mouseClick(dialog.parties_editor.add_button, Qt.MouseButton.LeftButton)


def liu_guilan(qtbot):
    def fill(dlg: PartyDialog) -> None:
        dlg.name_edit.setText("刘桂兰")
        qtbot.keyClicks(dlg.id_edit, LIU_GUILAN_ID)
        qtbot.keyClicks(dlg.phone_edit, "13700000001")
        dlg.address_edit.setText("城关镇南街社区3号院")
    return fill


def zhou_defu(qtbot):
    def fill(dlg: PartyDialog) -> None:
        dlg.name_edit.setText("周德福")
        qtbot.keyClicks(dlg.id_edit, "11010519491231002X")
        dlg.occupation_edit.setText("农民")
    return fill


def test_defaults_come_from_the_users_organisation_and_today(dialog, env):
    assert dialog.organization_combo.currentText() == "城关镇人民调解委员会"
    assert dialog.level_combo.currentText() == "乡镇（街道）"
    assert dialog.track_combo.currentText() == "人民调解"
    assert dialog.received_edit.date() == QDate(2026, 11, 29)
    assert dialog.received_edit.maximumDate() == QDate(2026, 11, 29)
    assert not dialog.detail_combo.isEnabled() and not dialog.procedure_combo.isEnabled()
    assert mediator_names(dialog) == ["李建国", "王秀英"]
    assert dialog.earlier_panel.cases == []


def test_detail_options_follow_the_track_and_procedure_only_for_entrusted_cases(dialog):
    choose(dialog.track_combo, "司法调解")
    assert dialog.detail_combo.isEnabled()
    options = [dialog.detail_combo.itemText(i) for i in range(dialog.detail_combo.count())]
    assert options == ["（未细分）", "诉前调解", "委派调解", "委托调解", "诉中调解"]
    assert not dialog.procedure_combo.isEnabled()
    choose(dialog.detail_combo, "委托调解")
    assert dialog.procedure_combo.isEnabled()
    choose(dialog.detail_combo, "诉前调解")
    assert not dialog.procedure_combo.isEnabled()

    choose(dialog.track_combo, "行政调解")
    options = [dialog.detail_combo.itemText(i) for i in range(1, dialog.detail_combo.count())]
    assert options == ["治安调解", "交通事故调解", "劳动争议调解", "土地林权调解", "消费纠纷调解",
                       "医疗纠纷调解", "其他行政调解"]
    choose(dialog.track_combo, "人民调解")
    assert not dialog.detail_combo.isEnabled() and dialog.detail_combo.count() == 0


def test_choosing_another_organisation_changes_mediators_and_level(dialog):
    choose(dialog.organization_combo, "东关村人民调解委员会")
    assert dialog.level_combo.currentText() == "村（社区）"
    assert mediator_names(dialog) == ["张满仓"]
    choose(dialog.organization_combo, "城关镇自然资源所")
    assert dialog.level_combo.currentText() == "县（市、区）"
    assert dialog.track_combo.currentText() == "行政调解"


def test_grids_follow_the_village(dialog):
    picker = dialog.region_picker
    assert not picker.grid_combo.isEnabled()
    villages = [picker.village_combo.itemText(i) for i in range(picker.village_combo.count())]
    assert villages == ["城关镇", "南街社区", "东关村", "城关产业园"]  # grouped under the township
    picker.set_village(DONGGUAN)
    grids = [picker.grid_combo.itemText(i) for i in range(picker.grid_combo.count())]
    assert grids == ["（不指定网格）", "一网格", "三网格", "二网格"]
    assert picker.set_grid("二网格") and picker.grid_name() == "二网格"
    picker.set_village("419901100001")
    assert picker.grid_name() is None
    assert picker.grid_combo.itemText(1) == "南一网格"


def test_amount_is_checked_and_written_in_capitals_while_typing(dialog, qtbot):
    qtbot.keyClicks(dialog.amount_edit, "12050.5")
    assert dialog.amount_upper.text() == "人民币壹万贰仟零伍拾元伍角"
    assert dialog.fields["amount_yuan"].error_message() == ""
    dialog.amount_edit.clear()
    qtbot.keyClicks(dialog.amount_edit, "-5")
    assert dialog.fields["amount_yuan"].error_message() == "涉及金额不能为负数"
    assert dialog.amount_upper.text() == ""


def test_required_fields_are_reported_before_the_service_is_called(dialog, env, qtbot, monkeypatch):
    called = []
    monkeypatch.setattr(new_case_module, "register_case", lambda *a: called.append(a))
    before = count_cases(env.ctx, CaseFilter())
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    assert called == []
    assert dialog.isVisible() and dialog.case_id is None
    assert dialog.fields["summary"].error_message() == "纠纷简要情况不能为空"
    assert dialog.fields["village_code"].error_message() == "请选择纠纷发生的村（社区）"
    assert dialog.fields["category"].error_message() == "请选择纠纷类型"
    assert dialog.parties_editor.error.message() == "至少需要一名当事人"
    assert count_cases(env.ctx, CaseFilter()) == before


def fill_case(dialog: NewCaseDialog, qtbot) -> None:
    choose(dialog.source_combo, "网格上报")
    choose(dialog.category_combo, "房屋宅基地")
    dialog.received_edit.setDate(QDate(2026, 11, 27))
    dialog.region_picker.set_village(DONGGUAN)
    dialog.region_picker.set_grid("二网格")
    dialog.set_mediators_checked(["王秀英"])
    dialog.summary_edit.setPlainText("两户因宅基地边界砌墙发生争执，多次口角。")
    dialog.requests_edit.setPlainText("请求确定宅基地界址。")
    qtbot.keyClicks(dialog.amount_edit, "12050.50")
    dialog.flag_boxes[RiskFlag.GROUP].setChecked(True)
    choose(dialog.risk_combo, "中")


def test_saving_registers_the_case_with_its_parties(dialog, env, qtbot, monkeypatch):
    fill_case(dialog, qtbot)
    add_party(qtbot, monkeypatch, dialog, liu_guilan(qtbot))
    add_party(qtbot, monkeypatch, dialog, zhou_defu(qtbot))
    assert dialog.people_spin.value() == 2
    expected = next_number(env.ctx, "城关")
    changed = []
    env.signals.cases_changed.connect(changed.append)

    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    assert dialog.result() == QDialog.DialogCode.Accepted
    assert changed == [[dialog.case_id]]
    case = case_detail(env.ctx, dialog.case_id)
    assert case.number == expected
    assert find_case_id(env.ctx, expected) == dialog.case_id
    assert (case.track, case.source, case.category, case.level) == (
        "people", "grid_report", "housing_homestead", "township")
    assert case.organization == "城关镇人民调解委员会"
    assert (case.village_code, case.grid) == (DONGGUAN, "二网格")
    assert case.received_on == date(2026, 11, 27)
    assert case.summary == "两户因宅基地边界砌墙发生争执，多次口角。"
    assert case.requests == "请求确定宅基地界址。"
    assert case.amount_yuan == "12050.50"
    assert case.people_involved == 2
    assert list(case.mediators) == ["王秀英"]
    assert case.risk.level == "medium"
    assert set(case.risk.flags) == {"group", "repeat"}  # repeat: 刘桂兰 has an earlier case
    parties = case.parties
    assert [(p.role, p.name, p.id_number) for p in parties] == [
        ("applicant", "刘桂兰", LIU_GUILAN_ID), ("respondent", "周德福", "11010519491231002X")]
    assert parties[0].gender == "female" and parties[0].birth_date.isoformat() == "1948-03-15"
    assert parties[0].phone == "13700000001"
    assert parties[1].occupation == "农民"
    assert [c.number for c in case.earlier_cases] == ["（2026）城关人调字第1号"]


def test_ctrl_s_saves_from_any_field(dialog, env, qtbot, monkeypatch):
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    fill_case(dialog, qtbot)
    add_party(qtbot, monkeypatch, dialog, liu_guilan(qtbot))
    add_party(qtbot, monkeypatch, dialog, zhou_defu(qtbot))
    # A shortcut of the dialog's window fires only while that window has the focus (windows
    # left by earlier tests may hold it): raise and activate it, and wait until Qt agrees.
    dialog.raise_()
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog
                    and QGuiApplication.focusWindow() is dialog.windowHandle())
    dialog.summary_edit.setFocus()
    QTest.keyClick(dialog.summary_edit, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert dialog.result() == QDialog.DialogCode.Accepted and dialog.case_id is not None
    assert case_detail(env.ctx, dialog.case_id).summary == "两户因宅基地边界砌墙发生争执，多次口角。"


def test_judicial_case_keeps_detail_and_procedure(dialog, env, qtbot, monkeypatch):
    fill_case(dialog, qtbot)
    choose(dialog.track_combo, "司法调解")
    choose(dialog.detail_combo, "委托调解")
    choose(dialog.procedure_combo, "简易程序")
    add_party(qtbot, monkeypatch, dialog, zhou_defu(qtbot))
    dialog.save()
    case = case_detail(env.ctx, dialog.case_id)
    assert (case.track, case.track_detail, case.procedure) == (
        "judicial", "entrusted", "simple")
    assert "诉调字" in case.number


def test_earlier_cases_of_the_same_person_are_shown_and_open_the_case(
        dialog, env, qtbot, monkeypatch):
    add_party(qtbot, monkeypatch, dialog, zhou_defu(qtbot))
    assert dialog.earlier_panel.cases == [] and dialog.repeat_box.isHidden()

    add_party(qtbot, monkeypatch, dialog, liu_guilan(qtbot))
    earlier_id = find_case_id(env.ctx, "SF-2026-001")
    assert [c.id for c in dialog.earlier_panel.cases] == [earlier_id]
    button = dialog.earlier_panel.buttons[0]
    assert button.text() == "（2026）城关人调字第1号"
    assert dialog.repeat_box.isVisible() and dialog.repeat_box.isChecked()
    assert not dialog.repeat_box.isEnabled()

    with qtbot.waitSignal(env.signals.open_case_requested) as opened:
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert opened.args == [earlier_id]

    monkeypatch.setattr(ui_errors, "ask", lambda *a: True)
    dialog.parties_editor.table.selectRow(1)
    qtbot.mouseClick(dialog.parties_editor.remove_button, Qt.MouseButton.LeftButton)
    assert dialog.earlier_panel.cases == [] and dialog.repeat_box.isHidden()


def test_service_errors_appear_next_to_their_fields(dialog, env, qtbot, monkeypatch):
    # Skip the dialog's own checks so the service itself refuses the input.
    monkeypatch.setattr(new_case_module, "check_case_input", lambda data, today: [])
    fill_case(dialog, qtbot)
    dialog.amount_edit.clear()
    qtbot.keyClicks(dialog.amount_edit, "-5")
    add_party(qtbot, monkeypatch, dialog, zhou_defu(qtbot))
    dialog.parties_editor.set_parties([
        *dialog.parties_editor.parties(),
        PartyInput(role=PartyRole.RESPONDENT, kind=PartyKind.PERSON, name="韩二宝",
                   gender=Gender.MALE, id_number="110105194912310021"),
    ])
    before = count_cases(env.ctx, CaseFilter())
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    assert dialog.result() != QDialog.DialogCode.Accepted and dialog.case_id is None
    assert dialog.fields["amount_yuan"].error_message() == "涉及金额不能为负数"
    assert dialog.parties_editor.error.message() == "第2名当事人（韩二宝）：身份证号校验位错误"
    assert dialog.parties_editor.table.item(1, 1).toolTip() == "身份证号校验位错误"
    assert dialog.save_button.isEnabled()
    assert count_cases(env.ctx, CaseFilter()) == before


def test_cancelling_with_entered_data_asks_first(dialog, qtbot, monkeypatch):
    dialog.summary_edit.setPlainText("邻里纠纷")
    questions = []
    monkeypatch.setattr(ui_errors, "ask",
                        lambda parent, title, text: questions.append(title) or False)
    dialog.reject()
    assert questions == ["放弃新建案件"] and dialog.isVisible()
    monkeypatch.setattr(ui_errors, "ask", lambda *a: True)
    dialog.reject()
    assert dialog.result() == QDialog.DialogCode.Rejected and not dialog.isVisible()


def test_closing_from_code_does_not_block_on_a_question(dialog, qtbot, monkeypatch):
    dialog.summary_edit.setPlainText("邻里纠纷")
    monkeypatch.setattr(ui_errors, "ask", lambda *a: pytest.fail("asked while closing from code"))
    dialog.close()
    assert not dialog.isVisible()


def test_a_mediator_who_may_have_to_withdraw_needs_an_acknowledgement(dialog, env, qtbot, monkeypatch):
    from PySide6.QtCore import QPoint

    fill_case(dialog, qtbot)
    choose(dialog.organization_combo, "东关村人民调解委员会")
    dialog.set_mediators_checked(["张满仓"])

    def zhang(dlg: PartyDialog) -> None:
        dlg.name_edit.setText("张德福")
        qtbot.keyClicks(dlg.id_edit, "11010519491231002X")
    add_party(qtbot, monkeypatch, dialog, zhang)
    before = count_cases(env.ctx, CaseFilter())
    assert not dialog.conflict_box.isVisible()

    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and count_cases(env.ctx, CaseFilter()) == before
    assert dialog.conflict_box.isVisible()
    assert "张德福与调解员张满仓同姓" in dialog.conflict_box.text.text()
    assert "已知悉，仍然指派" in dialog.general_error.text()

    box = dialog.conflict_box.acknowledge
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(8, box.height() // 2))
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert list(case_detail(env.ctx, dialog.case_id).mediators) == ["张满仓"]
