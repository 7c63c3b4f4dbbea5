"""The agreement editor: numbered terms, amount in 人民币大写, copies, form, and the service's errors."""
from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QDate, QPoint, Qt

from mediator.domain.enums import AgreementForm
from mediator.domain.errors import ValidationError
from mediator.services.cases.lifecycle import start_mediation
from mediator.services.cases.read import case_detail, find_case_id
from mediator.ui.dialogs.action_records import AgreementDialog
from mediator.ui.dialogs.actions import dialog_for_action
from mediator.ui.workspace.agreement_editor import AgreementEditor

TODAY = date(2026, 11, 29)


@pytest.fixture
def editor(qtbot) -> AgreementEditor:
    widget = AgreementEditor(2, TODAY)
    qtbot.addWidget(widget)
    widget.resize(720, 560)
    widget.show()
    return widget


def click(qtbot, widget) -> None:
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def test_terms_are_numbered_and_renumbered(editor, qtbot):
    assert editor.term_rows == [] and not editor.empty_label.isHidden()
    for _ in range(3):
        click(qtbot, editor.add_term_button)
    assert editor.empty_label.isHidden()
    for row, text in zip(editor.term_rows, ["甲方道歉。", "乙方修缮围墙。", "双方不再追究。"], strict=True):
        row.set_text(text)
    assert [r.number.text() for r in editor.term_rows] == ["1.", "2.", "3."]
    assert not editor.term_rows[0].up_button.isEnabled()
    assert not editor.term_rows[2].down_button.isEnabled()

    click(qtbot, editor.term_rows[2].up_button)
    assert editor.terms() == ["甲方道歉。", "双方不再追究。", "乙方修缮围墙。"]
    click(qtbot, editor.term_rows[0].down_button)
    assert editor.terms() == ["双方不再追究。", "甲方道歉。", "乙方修缮围墙。"]

    click(qtbot, editor.term_rows[0].remove_button)
    assert [r.number.text() for r in editor.term_rows] == ["1.", "2."]
    assert editor.terms() == ["甲方道歉。", "乙方修缮围墙。"]
    assert not editor.term_rows[0].up_button.isEnabled() and editor.term_rows[0].down_button.isEnabled()
    assert not editor.term_rows[1].down_button.isEnabled()


def test_blank_terms_are_left_out(editor, qtbot):
    click(qtbot, editor.add_term_button)
    click(qtbot, editor.add_term_button)
    editor.term_rows[1].set_text("  赔偿损失。 ")
    assert editor.terms() == ["赔偿损失。"]


@pytest.mark.parametrize("typed, shown", [
    ("8000", "人民币捌仟元整"),
    ("12050.50", "人民币壹万贰仟零伍拾元伍角"),
    ("100005.07", "人民币壹拾万零伍元零柒分"),
    ("0.3", "人民币叁角"),
])
def test_amount_shows_its_capitals_live(editor, qtbot, typed, shown):
    qtbot.keyClicks(editor.amount.edit, typed)
    assert editor.amount.upper.text() == shown


def test_bad_amount_says_so_in_red(editor, qtbot):
    qtbot.keyClicks(editor.amount.edit, "8000.123")
    assert editor.amount.upper.text() == "协议金额最多两位小数"
    assert "#c62828" in editor.amount.upper.styleSheet()


def test_copies_default_to_parties_plus_one_and_oral_has_none(editor):
    assert editor.copies_spin.value() == 3
    assert editor.value().copies == 3
    editor.set_form(AgreementForm.ORAL)
    assert not editor.copies_spin.isEnabled()
    assert editor.value().form is AgreementForm.ORAL and editor.value().copies is None


def test_value_is_an_agreement_input(editor, qtbot):
    click(qtbot, editor.add_term_button)
    editor.term_rows[0].set_text("被申请人赔偿申请人人民币捌仟元整。")
    editor.facts_edit.setPlainText("双方因围墙倒塌发生纠纷，被申请人负主要责任。")
    editor.performance_edit.setText("银行转账")
    qtbot.keyClicks(editor.amount.edit, "8000")
    assert editor.value().deadline is None
    check = editor.deadline_check
    assert not editor.deadline_edit.isEnabled()
    qtbot.mouseClick(check, Qt.MouseButton.LeftButton, pos=QPoint(8, check.height() // 2))
    assert editor.deadline_edit.isEnabled()
    editor.deadline_edit.setDate(QDate(2026, 12, 15))
    editor.copies_spin.setValue(4)
    value = editor.value()
    assert value.form is AgreementForm.WRITTEN
    assert value.signed_on == TODAY
    assert list(value.items) == ["被申请人赔偿申请人人民币捌仟元整。"]
    assert value.facts == "双方因围墙倒塌发生纠纷，被申请人负主要责任。"
    assert (value.performance, value.deadline, value.amount_yuan, value.copies) == (
        "银行转账", date(2026, 12, 15), "8000", 4)


def test_service_errors_appear_beside_their_fields(editor):
    left = editor.show_errors([
        ValidationError("agreement.items", "书面协议至少需要一条协议内容"),
        ValidationError("agreement.amount_yuan", "协议金额不能为负数"),
        ValidationError("agreement.deadline", "履行期限不能早于协议签订日期"),
        ValidationError("somewhere", "别处的问题"),
    ])
    assert editor.errors.labels["items"].text() == "书面协议至少需要一条协议内容"
    assert not editor.errors.labels["items"].isHidden()
    assert editor.errors.labels["amount_yuan"].text() == "协议金额不能为负数"
    assert editor.errors.labels["deadline"].text() == "履行期限不能早于协议签订日期"
    assert [e.message for e in left] == ["别处的问题"]
    editor.performance_edit.setText("现金")  # editing one field clears only its own message
    assert editor.errors.labels["items"].isVisible()
    editor.clear_errors()
    assert editor.errors.labels["items"].isHidden()


def test_dialog_shows_the_services_refusal_next_to_the_terms(env, qtbot):
    case_id = find_case_id(env.ctx, "SF-2026-002")
    start_mediation(env.ctx, case_id, TODAY)
    dialog = dialog_for_action("agree", env, case_detail(env.ctx, case_id))
    assert isinstance(dialog, AgreementDialog)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.editor.facts_edit.toPlainText() == "两户因共用排水沟堵塞互相指责。"
    qtbot.keyClicks(dialog.editor.amount.edit, "8000")
    click(qtbot, dialog.ok_button)  # no terms yet
    assert dialog.isVisible()
    assert dialog.editor.errors.labels["items"].text() == "书面协议至少需要一条协议内容"
    assert case_detail(env.ctx, case_id).status == "mediating"
    qtbot.wait(20)
    dialog.grab().save("/tmp/agreement_dialog_error.png")

    click(qtbot, dialog.editor.add_term_button)
    dialog.editor.term_rows[0].set_text("吕小红于2026年12月5日前疏通排水沟。")
    dialog.editor.set_form(AgreementForm.ORAL)
    with qtbot.waitSignal(dialog.accepted, timeout=1000):
        click(qtbot, dialog.ok_button)
    agreement = case_detail(env.ctx, case_id).agreement
    assert agreement.form == "oral" and list(agreement.items) == ["吕小红于2026年12月5日前疏通排水沟。"]
    assert agreement.copies == 3  # the service's default when the form says none
