"""PartyDialog and PartiesEditor: live identity checks, kind switching, refusing bad entries."""
from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QDialog

from mediator.domain.enums import Gender, PartyKind, PartyRole
from mediator.services.cases.inputs import AgentInput, PartyInput
from mediator.ui import errors as ui_errors
from mediator.ui.dialogs.party_dialog import PartiesEditor, PartyDialog

VALID_ID = "11010519491231002X"  # 1949-12-31, female
WRONG_CHECK_ID = "110105194912310021"
VALID_CREDIT = "91350100M000100Y43"


@pytest.fixture
def dialog(env, qtbot):
    dlg = PartyDialog(env)
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.waitExposed(dlg)
    return dlg


def click_ok(qtbot, dlg: PartyDialog) -> None:
    qtbot.mouseClick(dlg.ok_button, Qt.MouseButton.LeftButton)


def test_complete_id_number_fills_birth_date_and_gender(dialog, qtbot):
    dialog.name_edit.setText("周秀兰")
    qtbot.keyClicks(dialog.id_edit, VALID_ID)

    assert dialog.birth_edit.date() == QDate(1949, 12, 31)
    assert dialog.gender_combo.currentText() == "女"
    assert dialog.fields["id_number"].error_message() == ""
    click_ok(qtbot, dialog)
    assert dialog.result() == QDialog.DialogCode.Accepted
    party = dialog.party
    assert (party.name, party.id_number, party.gender, party.birth_date) == (
        "周秀兰", VALID_ID, Gender.FEMALE, date(1949, 12, 31))
    assert party.kind is PartyKind.PERSON and party.role is PartyRole.APPLICANT
    assert party.ethnicity == "汉族"
    assert party.credit_code is None and party.agent is None


def test_lower_case_x_is_accepted_and_stored_upper_case(dialog, qtbot):
    dialog.name_edit.setText("周秀兰")
    qtbot.keyClicks(dialog.id_edit, VALID_ID.lower())
    assert dialog.gender_combo.currentText() == "女"
    click_ok(qtbot, dialog)
    assert dialog.party.id_number == VALID_ID


def test_wrong_check_digit_shows_message_under_field_and_ok_is_refused(dialog, qtbot):
    dialog.name_edit.setText("周秀兰")
    qtbot.keyClicks(dialog.id_edit, WRONG_CHECK_ID[:17])
    assert dialog.fields["id_number"].error_message() == ""  # still typing: no nagging

    qtbot.keyClicks(dialog.id_edit, WRONG_CHECK_ID[17])
    field = dialog.fields["id_number"]
    assert field.error_message() == "身份证号校验位错误"
    assert field.error.isVisible()
    assert dialog.birth_edit.specialValueText() == dialog.birth_edit.text()  # not filled

    click_ok(qtbot, dialog)
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert dialog.isVisible() and dialog.party is None

    qtbot.keyClick(dialog.id_edit, Qt.Key.Key_Backspace)
    qtbot.keyClicks(dialog.id_edit, "X")
    assert field.error_message() == ""
    assert dialog.birth_edit.date() == QDate(1949, 12, 31)


def test_gender_or_birth_date_disagreeing_with_number_is_shown_beside_them(dialog, qtbot):
    dialog.name_edit.setText("周秀兰")
    qtbot.keyClicks(dialog.id_edit, VALID_ID)
    dialog.gender_combo.setCurrentIndex(dialog.gender_combo.findText("男"))
    assert dialog.fields["gender"].error_message() == "性别与身份证号不符"

    dialog.birth_edit.setDate(QDate(1950, 1, 1))
    assert dialog.fields["birth_date"].error_message() == "出生日期与身份证号不符"
    click_ok(qtbot, dialog)
    assert dialog.party is None

    # Typing the number again makes gender and birth date consistent with it.
    dialog.id_edit.clear()
    qtbot.keyClicks(dialog.id_edit, VALID_ID)
    assert dialog.gender_combo.currentText() == "女"
    assert dialog.fields["gender"].error_message() == ""
    assert dialog.fields["birth_date"].error_message() == ""


def test_phone_error_appears_when_the_field_is_left(dialog, qtbot):
    dialog.name_edit.setText("周秀兰")
    dialog.phone_edit.setFocus()
    qtbot.keyClicks(dialog.phone_edit, "1380371")
    assert dialog.fields["phone"].error_message() == ""
    qtbot.keyClick(dialog.phone_edit, Qt.Key.Key_Tab)  # leave the field
    assert not dialog.phone_edit.hasFocus()
    assert "联系电话格式不正确" in dialog.fields["phone"].error_message()

    qtbot.keyClicks(dialog.phone_edit, "0001")
    assert dialog.fields["phone"].error_message() == ""  # fixed while typing
    click_ok(qtbot, dialog)
    assert dialog.party.phone == "13803710001"


def test_empty_name_is_refused(dialog, qtbot):
    click_ok(qtbot, dialog)
    assert dialog.party is None
    assert dialog.fields["name"].error_message() == "当事人姓名（名称）不能为空"


def test_organisation_party_shows_its_own_fields_and_checks_the_credit_code(dialog, qtbot):
    dialog.kind_combo.setCurrentIndex(dialog.kind_combo.findText("单位"))
    assert dialog.fields["credit_code"].isVisibleTo(dialog)
    assert dialog.representative_edit.isVisibleTo(dialog)
    assert not dialog.fields["id_number"].isVisibleTo(dialog)
    assert not dialog.fields["gender"].isVisibleTo(dialog)
    assert dialog.form.labelForField(dialog.fields["name"]).text() == "名称："

    dialog.name_edit.setText("示范县宏达建材有限公司")
    dialog.representative_edit.setText("赵宏达")
    qtbot.keyClicks(dialog.credit_edit, VALID_CREDIT[:17] + "4")
    assert dialog.fields["credit_code"].error_message() == "统一社会信用代码校验位错误"
    click_ok(qtbot, dialog)
    assert dialog.party is None

    qtbot.keyClick(dialog.credit_edit, Qt.Key.Key_Backspace)
    qtbot.keyClicks(dialog.credit_edit, "3")
    assert dialog.fields["credit_code"].error_message() == ""
    click_ok(qtbot, dialog)
    party = dialog.party
    assert party.kind is PartyKind.ORGANIZATION
    assert (party.name, party.credit_code, party.representative) == (
        "示范县宏达建材有限公司", VALID_CREDIT, "赵宏达")
    assert party.id_number is None and party.gender is None and party.ethnicity is None


def test_person_fields_left_over_are_not_kept_for_an_organisation(dialog, qtbot):
    qtbot.keyClicks(dialog.id_edit, WRONG_CHECK_ID)
    dialog.kind_combo.setCurrentIndex(dialog.kind_combo.findText("单位"))
    dialog.name_edit.setText("示范县宏达建材有限公司")
    click_ok(qtbot, dialog)  # the hidden identity number does not block the organisation
    assert dialog.party is not None and dialog.party.id_number is None


def test_agent_is_optional_and_checked_when_given(dialog, qtbot):
    dialog.name_edit.setText("周秀兰")
    dialog.agent_group.setChecked(True)
    click_ok(qtbot, dialog)
    assert dialog.fields["agent.name"].error_message() == "委托代理人姓名不能为空"
    dialog.agent_name_edit.setText("周小军")
    dialog.agent_relation_edit.setText("儿子")
    qtbot.keyClicks(dialog.agent_phone_edit, "13912345678")
    click_ok(qtbot, dialog)
    assert dialog.party.agent == AgentInput(name="周小军", phone="13912345678", relation="儿子")


def test_editing_an_existing_party_shows_its_values(env, qtbot):
    party = PartyInput(role=PartyRole.RESPONDENT, kind=PartyKind.PERSON, name="杨国强",
                       gender=Gender.MALE, birth_date=date(1971, 8, 9),
                       id_number="419901197108093512",
                       phone="13700000002", ethnicity="回族", occupation="个体经营",
                       agent=AgentInput(name="杨帆", relation="儿子"))
    dlg = PartyDialog(env, party)
    qtbot.addWidget(dlg)
    assert dlg.windowTitle() == "编辑当事人"
    assert dlg.role_combo.currentText() == "被申请人"
    assert dlg.ethnicity_combo.currentText() == "回族"
    assert dlg.birth_edit.date() == QDate(1971, 8, 9)
    assert dlg.agent_group.isChecked()
    dlg.address_edit.setText("城关镇南街社区5号楼")
    dlg.accept()
    assert dlg.result() == QDialog.DialogCode.Accepted
    assert dlg.party.address == "城关镇南街社区5号楼"
    assert dlg.party.agent == AgentInput(name="杨帆", phone=None, relation="儿子")


def _fake_exec(fill):
    def exec_(self):
        fill(self)
        self.accept()
        return self.result()
    return exec_


def test_parties_editor_adds_edits_and_removes_through_the_dialog(env, qtbot, monkeypatch):
    editor = PartiesEditor(env)
    qtbot.addWidget(editor)
    changes = []
    editor.parties_changed.connect(lambda: changes.append(len(editor.parties())))

    def first(dlg):
        dlg.name_edit.setText("周秀兰")
        qtbot.keyClicks(dlg.id_edit, VALID_ID)

    monkeypatch.setattr(PartyDialog, "exec", _fake_exec(first))
    qtbot.mouseClick(editor.add_button, Qt.MouseButton.LeftButton)

    def second(dlg):
        assert dlg.role_combo.currentText() == "被申请人"  # the next party defaults to respondent
        dlg.name_edit.setText("杨国强")

    monkeypatch.setattr(PartyDialog, "exec", _fake_exec(second))
    qtbot.mouseClick(editor.add_button, Qt.MouseButton.LeftButton)
    assert [p.name for p in editor.parties()] == ["周秀兰", "杨国强"]
    assert editor.table.item(0, 3).text() == VALID_ID
    assert editor.table.item(0, 2).text() == "女"
    assert editor.table.item(1, 0).text() == "被申请人"

    def rename(dlg):
        dlg.name_edit.setText("杨建国")

    monkeypatch.setattr(PartyDialog, "exec", _fake_exec(rename))
    editor.table.selectRow(1)
    qtbot.mouseClick(editor.edit_button, Qt.MouseButton.LeftButton)
    assert editor.table.item(1, 1).text() == "杨建国"

    monkeypatch.setattr(ui_errors, "ask", lambda *a: False)
    qtbot.mouseClick(editor.remove_button, Qt.MouseButton.LeftButton)
    assert len(editor.parties()) == 2
    monkeypatch.setattr(ui_errors, "ask", lambda *a: True)
    qtbot.mouseClick(editor.remove_button, Qt.MouseButton.LeftButton)
    assert [p.name for p in editor.parties()] == ["周秀兰"]
    assert changes == [1, 2, 2, 1]


def test_cancelled_dialog_adds_nothing(env, qtbot, monkeypatch):
    editor = PartiesEditor(env)
    qtbot.addWidget(editor)
    monkeypatch.setattr(PartyDialog, "exec", lambda self: QDialog.DialogCode.Rejected)
    qtbot.mouseClick(editor.add_button, Qt.MouseButton.LeftButton)
    assert editor.parties() == []
    assert not editor.edit_button.isEnabled()


def test_marked_rows_say_which_party_is_wrong(env, qtbot):
    editor = PartiesEditor(env)
    qtbot.addWidget(editor)
    editor.set_parties([PartyInput(role=PartyRole.APPLICANT, kind=PartyKind.PERSON, name="周秀兰"),
                        PartyInput(role=PartyRole.RESPONDENT, kind=PartyKind.PERSON, name="杨国强")])
    editor.mark_row(1, "身份证号校验位错误")
    assert editor.error.message() == "第2名当事人（杨国强）：身份证号校验位错误"
    assert editor.table.item(1, 0).toolTip() == "身份证号校验位错误"
    editor.clear_marks()
    assert editor.error.message() == "" and editor.error.isHidden()
