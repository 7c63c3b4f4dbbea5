"""读取身份证照片 in the party dialog: button → file dialog → OCR → 核对身份证信息 → 采用 fills the fields."""
from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QFileDialog, QLabel

from mediator.domain.enums import Gender
from mediator.services.cases.attachments import list_attachments
from mediator.services.cases.read import case_detail, find_case_id
from mediator.ui.dialogs.case_party_dialog import CasePartyDialog
from mediator.ui.dialogs.idcard_confirm import IdCardConfirmDialog
from mediator.ui.dialogs.party_dialog import PartyDialog
from tests.idcard_cards import render_cards, write_card


@pytest.fixture(scope="module")
def card():
    return render_cards(1, seed=4)[0]


@pytest.fixture
def card_file(card, tmp_path, monkeypatch):
    """The card's front as the file the user picks in the (patched) file dialog."""
    front, _back = write_card(card, tmp_path)
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", staticmethod(lambda *_a, **_k: ([str(front)], "")))
    return front


def _confirm(dialog, *, attach: bool = False, untick: tuple[str, ...] = ()) -> dict:
    """The confirmation dialog is up: note what it shows, tick/untick, click 采用."""
    confirm = dialog.card_dialog
    assert confirm.isVisible() and confirm.windowTitle() == "核对身份证信息"
    seen = {"read": {name: confirm.findChild(QLabel, f"read_{name}").text() for name in confirm.checks},
            "attach_offered": confirm.attach_check is not None}
    confirm.grab().save(f"/tmp/idcard-confirm-{'case' if seen['attach_offered'] else 'new'}.png")
    for name in untick:
        confirm.checks[name].setChecked(False)
    if attach:
        confirm.attach_check.setChecked(True)
    QTest.mouseClick(confirm.use_button, Qt.MouseButton.LeftButton)
    assert not confirm.isVisible()
    return seen


def test_a_card_photo_fills_the_new_partys_fields_after_confirmation(env, qtbot, card, card_file):
    dialog = PartyDialog(env)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.name_edit.setText("旧名字")
    qtbot.mouseClick(dialog.idcard_button, Qt.MouseButton.LeftButton)
    seen = _confirm(dialog, untick=("address",))

    holder = card.holder
    assert seen["attach_offered"] is False  # no case yet: nothing to attach the photo to
    assert seen["read"]["id_number"] == holder.id_number
    assert dialog.name_edit.text() == holder.name
    assert dialog.id_edit.text() == holder.id_number
    assert dialog.gender_combo.currentData() == holder.gender
    assert dialog.birth_edit.date() == QDate(holder.birth_date.year, holder.birth_date.month, holder.birth_date.day)
    assert dialog.ethnicity_combo.currentText() == holder.ethnicity
    assert dialog.address_edit.text() == ""  # unticked: left as it was
    assert dialog.idcard_button.isEnabled()
    dialog.grab().save("/tmp/idcard-party.png")


def test_in_a_cases_party_dialog_the_photo_can_be_attached(env, qtbot, card, card_file):
    detail = case_detail(env.ctx, find_case_id(env.ctx, "SF-2026-002"))
    before = len(list_attachments(env.ctx, detail.id))
    dialog = CasePartyDialog(env, detail, None, None)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.mouseClick(dialog.idcard_button, Qt.MouseButton.LeftButton)
    seen = _confirm(dialog, attach=True)

    assert seen["attach_offered"] is True
    assert dialog.address_edit.text() == card.holder.address
    files = list_attachments(env.ctx, detail.id)
    assert len(files) == before + 1
    assert files[-1].filename == card_file.name


def test_the_warnings_show_in_red_and_unread_fields_cannot_be_ticked(qtbot):
    from datetime import date

    from mediator.domain.idcard_text import BIRTH_MISMATCH, CHECK_FAILED, CardReading

    reading = CardReading(name="张三", gender=Gender.MALE, birth_date=date(1990, 1, 2), id_number="110105199001020010",
                          scores={"name": 0.9}, warnings={"id_number": (CHECK_FAILED,),
                                                          "birth_date": (BIRTH_MISMATCH,)})
    dialog = IdCardConfirmDialog(reading, {"name": "张三", "address": "旧住址"})
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.warning_labels["id_number"].text() == CHECK_FAILED
    assert "c62828" in dialog.warning_labels["id_number"].styleSheet()
    assert not dialog.checks["address"].isEnabled()  # nothing read
    assert not dialog.checks["name"].isChecked()  # read the same as it is
    assert dialog.chosen() == ["gender", "birth_date", "id_number"]
    assert dialog.attach() is False


def test_the_engine_starts_loading_when_a_persons_party_dialog_opens_once(monkeypatch):
    from mediator.ui import idcard_warm_up

    started = []
    monkeypatch.setattr(idcard_warm_up, "enabled", True)
    monkeypatch.setattr(idcard_warm_up, "_started", False)
    monkeypatch.setattr("mediator.services.idcard.reader.warm_up", lambda: started.append(True))
    idcard_warm_up.warm_up_once()
    idcard_warm_up.warm_up_once()  # a second dialog: already loading
    for thread in threading.enumerate():
        if thread.name == "idcard-warm-up":
            thread.join(5)
    assert started == [True]
