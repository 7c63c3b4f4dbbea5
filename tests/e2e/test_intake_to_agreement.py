"""End to end through the GUI: a dispute is registered, accepted, mediated, agreed, performed,
archived — all by clicks and typing on the real main window — and the agreement is printed."""
from __future__ import annotations

import io

from pypdf import PdfReader
from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QKeySequence

from mediator.services.cases.read import case_detail
from mediator.services.documents.rendering import render_document
from mediator.ui.dialogs.new_case import NewCaseDialog
from mediator.ui.dialogs.party_dialog import PartyDialog
from mediator.ui.main_window import MainWindow
from mediator.ui.workspace.case_workspace import CaseWorkspace


def _click(qtbot, widget) -> None:
    assert widget.isEnabled(), widget.objectName() or widget.text()
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def _choose(combo, text: str) -> None:
    index = combo.findText(text)
    assert index >= 0, text
    combo.setCurrentIndex(index)


def _action(qtbot, workspace: CaseWorkspace, code: str):
    _click(qtbot, workspace.action_bar.buttons[code])
    dialog = workspace.current_dialog
    assert dialog is not None and dialog.isVisible()
    return dialog


def _confirm(qtbot, dialog) -> None:
    with qtbot.waitSignal(dialog.accepted, timeout=3000):
        _click(qtbot, dialog.ok_button)


def _party(qtbot, name: str, id_number: str, phone: str):
    def exec_(dialog: PartyDialog) -> int:
        dialog.name_edit.setText(name)
        qtbot.keyClicks(dialog.id_edit, id_number)  # fills birth date and gender by itself
        qtbot.keyClicks(dialog.phone_edit, phone)
        dialog.address_edit.setText("城关镇东关村五组")
        _click(qtbot, dialog.ok_button)
        return dialog.result()
    return exec_


def intake(qtbot, monkeypatch, received: QDate):
    """A ``NewCaseDialog.exec`` that fills the dialog the way a mediator would (东关村, 二网格:
    赵大成 against 钱秀芳 over a boundary wall) and saves."""
    def fill_and_save(dialog: NewCaseDialog) -> int:
        _choose(dialog.source_combo, "当事人申请")
        _choose(dialog.category_combo, "房屋宅基地")
        dialog.received_edit.setDate(received)
        dialog.region_picker.set_village("419901100201")  # 东关村: its advisor is 陈立新
        dialog.region_picker.set_grid("二网格")
        dialog.set_mediators_checked(["李建国"])
        dialog.summary_edit.setPlainText("赵、钱两户因宅基地边界砌墙发生争执，多次口角。")
        dialog.requests_edit.setPlainText("请求确定宅基地界址，拆除越界围墙。")
        qtbot.keyClicks(dialog.amount_edit, "5000")
        assert dialog.amount_upper.text() == "人民币伍仟元整"
        monkeypatch.setattr(PartyDialog, "exec", _party(qtbot, "赵大成", "419901197001013017", "13912340001"))
        _click(qtbot, dialog.parties_editor.add_button)
        monkeypatch.setattr(PartyDialog, "exec", _party(qtbot, "钱秀芳", "419901197502023029", "13912340002"))
        _click(qtbot, dialog.parties_editor.add_button)
        _click(qtbot, dialog.save_button)
        return dialog.result()
    return fill_and_save


def test_a_dispute_goes_from_intake_to_the_printed_agreement(env, qtbot, monkeypatch):
    window = MainWindow(env)
    qtbot.addWidget(window)
    window.show()

    # Ctrl+N opens the intake dialog; we fill it the way a mediator would.
    monkeypatch.setattr(NewCaseDialog, "exec", intake(qtbot, monkeypatch, QDate(2026, 11, 2)))
    assert window.new_case_action.shortcut() == QKeySequence(QKeySequence.StandardKey.New)
    window.new_case_action.trigger()

    cases_page = window.pages["cases"]
    assert window.current_page() is cases_page
    workspace = cases_page.tabs.currentWidget()
    assert isinstance(workspace, CaseWorkspace)
    case_id = workspace.case_id
    detail = case_detail(env.ctx, case_id)
    assert detail.status == "registered" and detail.number.startswith("（2026）城关人调字第")
    assert [p.name for p in detail.parties] == ["赵大成", "钱秀芳"]
    assert detail.parties[1].gender == "female"  # from the 身份证号

    dialog = _action(qtbot, workspace, "accept")
    dialog.date_edit.setDate(QDate(2026, 11, 3))
    _confirm(qtbot, dialog)
    dialog = _action(qtbot, workspace, "start")
    dialog.date_edit.setDate(QDate(2026, 11, 5))
    _confirm(qtbot, dialog)

    dialog = _action(qtbot, workspace, "record_session")
    dialog.date_edit.setDate(QDate(2026, 11, 10))
    dialog.place_edit.setText("城关镇人民调解室")
    dialog.participants_edit.setText("赵大成、钱秀芳、李建国")
    dialog.record_edit.setPlainText("现场丈量后双方认可老界址，同意拆除越界部分并补偿。")
    _confirm(qtbot, dialog)

    dialog = _action(qtbot, workspace, "agree")
    editor = dialog.editor
    editor.signed_edit.setDate(QDate(2026, 11, 12))
    _click(qtbot, editor.add_term_button)
    editor.term_rows[0].set_text("钱秀芳于2026年11月20日前拆除越界围墙。")
    _click(qtbot, editor.add_term_button)
    editor.term_rows[1].set_text("赵大成补偿钱秀芳砌墙费用人民币伍仟元整。")
    qtbot.keyClicks(editor.amount.edit, "5000")
    editor.performance_edit.setText("拆墙后当面付清")
    _click(qtbot, editor.deadline_check)
    editor.deadline_edit.setDate(QDate(2026, 11, 20))
    asked: list[str] = []  # signed without the advisor's review: the dialog asks first
    monkeypatch.setattr("mediator.ui.errors.ask", lambda _parent, _title, question: asked.append(question) or True)
    _confirm(qtbot, dialog)
    assert asked and "尚未经法律顾问审查" in asked[0]
    assert workspace.header.status_label.text() == "调解成功"

    dialog = _action(qtbot, workspace, "perform")
    dialog.note_edit.setText("围墙已拆除，补偿款已付清")
    _confirm(qtbot, dialog)

    # The agreement as printed: everything of 《人民调解法》 Art. 29 is on the paper.
    pdf = render_document(env.ctx, case_id, "agreement", "pdf")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    flat = text.replace("\n", "").replace(" ", "")
    number = case_detail(env.ctx, case_id).number
    for expected in (number, "人民调解协议书", "赵大成", "钱秀芳", "419901197001013017",
                     "拆除越界围墙", "人民币伍仟元整", "一式三份", "人民调解委员会印"):
        assert expected in flat, expected

    dialog = _action(qtbot, workspace, "archive")
    reason = getattr(dialog, "reason_edit", None)
    if reason is not None:  # the dossier lacks papers filed on paper only: say so
        reason.setPlainText("当事人身份证明及权利义务告知书为纸质存档。")
    _confirm(qtbot, dialog)

    final = case_detail(env.ctx, case_id)
    assert final.status == "archived"
    assert [e.action for e in final.timeline] == [
        "register", "accept", "start", "record_session", "agree", "perform", "archive"]
    assert {e.actor for e in final.timeline} == {"王所长"}
    assert list(final.agreement.items) == ["钱秀芳于2026年11月20日前拆除越界围墙。",
                                           "赵大成补偿钱秀芳砌墙费用人民币伍仟元整。"]
    assert final.agreement.copies == 3 and final.agreement.amount_yuan == "5000.00"
    assert all(d.state in ("met", "void") for d in final.deadlines)
