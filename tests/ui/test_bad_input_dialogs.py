"""Nasty input typed or pasted into the new-case and party dialogs: the message shows under the
field, no exception escapes a slot (pytest-qt fails the test on one), nothing is written."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from mediator.ui.dialogs.new_case import NewCaseDialog
from mediator.ui.dialogs.party_dialog import PartyDialog
from tests.bad_input import NASTY, has_control, row_counts
from tests.ui.test_new_case_dialog import add_party, fill_case

VALID_ID = "11010519491231002X"
PARTY_LIMITS = {"name": 100, "occupation": 100, "address": 200, "ethnicity": 20}


@pytest.fixture
def party_dialog(env, qtbot):
    dlg = PartyDialog(env)
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.waitExposed(dlg)
    return dlg


@pytest.fixture
def new_case(env, qtbot):
    dlg = NewCaseDialog(env)
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.waitExposed(dlg)
    return dlg


def _type(qtbot, edit, text: str) -> None:
    """Type ASCII; paste anything else (QTest aborts on characters it has no key for)."""
    if text.isascii():
        qtbot.keyClicks(edit, text)
    else:
        edit.setText(edit.text() + text)


def _edit(dlg: PartyDialog, field: str):
    return {"name": dlg.name_edit, "occupation": dlg.occupation_edit, "address": dlg.address_edit,
            "ethnicity": dlg.ethnicity_combo.lineEdit()}[field]


def _expected_problem(field: str, value: str) -> bool:
    kept = value.strip()
    if field == "name" and not kept:
        return True
    return has_control(kept) or len(kept) > PARTY_LIMITS[field]


@pytest.mark.parametrize("field", sorted(PARTY_LIMITS))
@pytest.mark.parametrize("value", NASTY, ids=[f"nasty{i}" for i in range(len(NASTY))])
def test_party_dialog_shows_the_problem_under_the_field_or_accepts(party_dialog, qtbot, field, value):
    if field != "name":
        party_dialog.name_edit.setText("周秀兰")
    _edit(party_dialog, field).setText(value)  # as if pasted
    party_dialog.ok_button.click()
    if _expected_problem(field, value):
        assert party_dialog.result() != QDialog.DialogCode.Accepted and party_dialog.party is None
        message = party_dialog.fields[field].error_message()
        assert message and party_dialog.fields[field].error.isVisible()
        if has_control(value.strip()):
            assert "控制字符" in message
    else:
        assert party_dialog.result() == QDialog.DialogCode.Accepted
        entered = getattr(party_dialog.party, field)
        assert entered == (value.strip() or None)


@pytest.mark.parametrize("typed", ["'; DROP TABLE case_file; --", "%_\\", "👨‍👩‍👧", "𠀀𪚥㐀",
                                   "41990119480315212Y", "4199011948031521", "1900023000000000",
                                   "99999999999999999999999999999"])
def test_typing_nasty_identity_numbers_never_fails(party_dialog, qtbot, typed):
    party_dialog.name_edit.setText("周秀兰")
    _type(qtbot, party_dialog.id_edit, typed)
    party_dialog.ok_button.click()
    assert party_dialog.party is None
    assert "身份证号" in party_dialog.fields["id_number"].error_message()


@pytest.mark.parametrize("typed", ["'; --", "１３８００００００００ｘ", "\x1b", "+86 138", "9" * 40])
def test_nasty_phones_are_refused_under_the_field(party_dialog, qtbot, typed):
    party_dialog.name_edit.setText("周秀兰")
    party_dialog.phone_edit.setText(typed)
    party_dialog.ok_button.click()
    assert party_dialog.party is None
    assert party_dialog.fields["phone"].error_message()


def test_agent_relation_with_a_bidi_override_is_refused_under_it(party_dialog):
    party_dialog.name_edit.setText("周秀兰")
    party_dialog.agent_group.setChecked(True)
    party_dialog.agent_name_edit.setText("周小军")
    party_dialog.agent_relation_edit.setText("儿\u202e子")
    party_dialog.ok_button.click()
    assert party_dialog.party is None
    assert "控制字符" in party_dialog.fields["agent.relation"].error_message()


def test_organisation_representative_too_long_is_refused_under_it(party_dialog):
    party_dialog.kind_combo.setCurrentIndex(party_dialog.kind_combo.findText("单位"))
    party_dialog.name_edit.setText("示范县宏达建材有限公司")
    party_dialog.representative_edit.setText("赵" * 51)
    party_dialog.ok_button.click()
    assert party_dialog.party is None
    assert "50" in party_dialog.fields["representative"].error_message()


def _liu(qtbot):
    def fill(dlg: PartyDialog) -> None:
        dlg.name_edit.setText("刘桂兰")
        qtbot.keyClicks(dlg.id_edit, "41990119480315212X")
    return fill


@pytest.mark.parametrize("field", ["summary", "requests"])
@pytest.mark.parametrize("value", NASTY + ["长" * 20001],
                         ids=[f"nasty{i}" for i in range(len(NASTY))] + ["too long"])
def test_new_case_texts_show_their_problem_under_the_field(new_case, env, qtbot, monkeypatch, field,
                                                           value):
    fill_case(new_case, qtbot)
    add_party(qtbot, monkeypatch, new_case, _liu(qtbot))
    edit = new_case.summary_edit if field == "summary" else new_case.requests_edit
    edit.setPlainText(value)
    before = row_counts(env.ctx)
    new_case.save_button.click()
    kept = edit.toPlainText().strip()
    refused = has_control(kept) or len(kept) > 20000 or (field == "summary" and not kept)
    if refused:
        assert new_case.case_id is None and new_case.result() != QDialog.DialogCode.Accepted
        assert new_case.fields[field].error_message()
        assert row_counts(env.ctx) == before
    else:
        assert new_case.case_id is not None
        from mediator.services.cases.read import case_detail

        assert getattr(case_detail(env.ctx, new_case.case_id), field) == kept


@pytest.mark.parametrize("typed", ["NaN", "1e3", "-0.01", "9" * 40, "１２３．４５６", "'; --", "%",
                                   "Infinity", "1,000", "0x10"])
def test_new_case_amounts_are_refused_under_the_field(new_case, env, qtbot, monkeypatch, typed):
    fill_case(new_case, qtbot)
    add_party(qtbot, monkeypatch, new_case, _liu(qtbot))
    new_case.amount_edit.clear()
    _type(qtbot, new_case.amount_edit, typed)
    assert new_case.fields["amount_yuan"].error_message().startswith("涉及金额")
    before = row_counts(env.ctx)
    qtbot.mouseClick(new_case.save_button, Qt.MouseButton.LeftButton)
    assert new_case.case_id is None
    assert "涉及金额" in new_case.fields["amount_yuan"].error_message()
    assert row_counts(env.ctx) == before


def test_a_party_added_with_odd_but_valid_text_is_registered_exactly(new_case, env, qtbot, monkeypatch):
    def fill(dlg: PartyDialog) -> None:
        dlg.name_edit.setText("王𠀀明")
        dlg.address_edit.setText("'; DROP TABLE case_file; -- 👨‍👩‍👧 100%_")
    fill_case(new_case, qtbot)
    add_party(qtbot, monkeypatch, new_case, fill)
    new_case.save_button.click()
    from mediator.services.cases.read import case_detail

    party = case_detail(env.ctx, new_case.case_id).parties[0]
    assert (party.name, party.address) == ("王𠀀明", "'; DROP TABLE case_file; -- 👨‍👩‍👧 100%_")
