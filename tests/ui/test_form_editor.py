"""文书 → 编辑: the block editor changes wording, inserts fields, moves and hides blocks, saves for
every PC of the office, and restores the shipped form."""
from __future__ import annotations

import pytest

from mediator import config
from mediator.services.context import Clock, ServiceContext
from mediator.services.documents import forms as library
from mediator.services.documents.office_forms import form_history, sync_forms
from mediator.services.documents.rendering import BUILTIN_FORMS
from mediator.services.safety.auth import authenticate
from mediator.ui import errors as ui_errors
from mediator.ui.pages.documents import DocumentsPage
from mediator.ui.widgets.overview_bits import ID_ROLE
from tests.conftest import FIXED_NOW
from tests.documents.test_new_forms import docx_text, pdf_text
from tests.ui.conftest import ADMIN_PASSWORD

NEW_WORDING = "本协议经双方当事人签名后生效，各方应当自觉履行。"


@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    folder = tmp_path / "data"
    monkeypatch.setattr(config, "data_dir", lambda: folder)
    return folder


@pytest.fixture
def page(env, qtbot, data_dir):
    widget = DocumentsPage(env)
    qtbot.addWidget(widget)
    widget.resize(1280, 800)
    widget.show()
    return widget


def _open_editor(page, form_id: str):
    row = next(r for r in range(page.table.rowCount()) if page.table.item(r, 0).data(ID_ROLE) == form_id)
    page.table.selectRow(row)
    assert page.edit_button.isEnabled()
    page.edit_button.click()
    dialog = page.editor_dialog
    assert dialog is not None and dialog.isVisible()
    return dialog


def _row(dialog, block_id: str) -> int:
    return next(i for i, b in enumerate(dialog.form.blocks) if b.id == block_id)


def _choose_part(dialog, label: str) -> None:
    dialog.part_choice.setCurrentIndex(dialog.part_choice.findText(label))


def test_edit_insert_move_hide_save_print_on_another_pc_and_restore(page, env, qtbot, data_dir, tmp_path,
                                                                    monkeypatch):
    monkeypatch.setattr(env.ctx, "user", env.user)  # logged in, as the app does: the office's forms
    dialog = _open_editor(page, "agreement")
    assert dialog.preview.page_count() >= 1
    # The wording of a paragraph, and the amount in words inserted at the cursor.
    dialog.block_list.setCurrentRow(_row(dialog, "effect"))
    assert "行政调解、司法调解另有文字" in dialog.note.text() and not dialog.text.isReadOnly()
    dialog.text.setPlainText(NEW_WORDING)
    cursor = dialog.text.textCursor()
    cursor.movePosition(cursor.MoveOperation.End)
    dialog.text.setTextCursor(cursor)
    dialog.text.insertPlainText("协议金额：")
    dialog.field_list.setCurrentRow(_field_row(dialog, "协议金额大写"))
    dialog.insert_button.click()
    assert dialog.text.toPlainText() == NEW_WORDING + "协议金额：「协议金额大写」"
    # Move it above the copies and hide the facts.
    effect = _row(dialog, "effect")
    dialog.block_list.setCurrentRow(effect)
    dialog.up_button.click()
    assert _row(dialog, "effect") == effect - 1 and dialog.block_list.currentRow() == effect - 1
    dialog.block_list.setCurrentRow(_row(dialog, "facts"))
    dialog.hidden_box.setChecked(True)
    assert "已隐藏" in dialog.block_list.item(_row(dialog, "facts")).text()
    # A block with conditions: its words change, its conditions stay.
    dialog.block_list.setCurrentRow(_row(dialog, "performance"))
    assert not dialog.text.isReadOnly() and "不能删改" in dialog.note.text()
    shown = dialog.text.toPlainText()
    dialog.text.setPlainText(shown.replace("〔条件结束〕", "", 1))
    assert "条件不能删除" in dialog.block_error.text()
    dialog.text.setPlainText(shown.replace("按上述协议条款履行", "按本协议约定的方式履行"))
    assert not dialog.block_error.isVisible()
    # The preview follows shortly after the edits.
    qtbot.waitUntil(lambda: not dialog.preview_timer.isActive(), timeout=3000)
    assert dialog.preview.page_count() >= 1

    dialog.save_button.click()
    assert "已保存" in dialog.message.text()
    dialog.close_button.click()
    assert "本所修改版" in page.table.item(5, 2).text()
    assert [v.action for v in form_history(env.ctx, "agreement")][0] == "保存修改"

    printed = pdf_text(library.preview_form(env.ctx, "agreement").data)
    assert NEW_WORDING + "协议金额：人民币叁仟陆佰元整" in printed  # the inserted field, in words
    assert printed.index("本协议经双方当事人") < printed.index("本协议一式")
    assert "纠纷主要事实" not in printed and "按本协议约定的方式履行" not in printed  # the sample has one
    assert NEW_WORDING in docx_text(library.preview_form(env.ctx, "agreement", "docx").data)

    # Another PC of the office: the same database, its own data directory.
    other_ctx = ServiceContext(env.ctx.db, actor="王所长", clock=Clock(fixed=FIXED_NOW))
    other_ctx.user = authenticate(other_ctx, "admin", ADMIN_PASSWORD)
    other_dir = tmp_path / "other_pc" / "forms"
    assert sync_forms(other_ctx, other_dir) == 1
    other = pdf_text(library.preview_form(other_ctx, "agreement", user_dir=other_dir).data)
    assert NEW_WORDING + "协议金额：人民币叁仟陆佰元整" in other

    # 恢复默认 brings the shipped wording back.
    dialog = _open_editor(page, "agreement")
    assert dialog.reset_button.isEnabled()
    page_ask = []
    monkeypatch.setattr(ui_errors, "ask", lambda *a: page_ask.append(a) or True)
    dialog.reset_button.click()
    assert page_ask and "已恢复" in dialog.message.text()
    dialog.block_list.setCurrentRow(_row(dialog, "effect"))
    shipped = next(b for b in dialog.form.blocks if b.id == "effect").part("text").text
    assert dialog.text.toPlainText() == shipped and shipped.startswith("本协议自各方当事人签名")
    assert library.form_text("agreement") == (BUILTIN_FORMS / "agreement.toml").read_text(encoding="utf-8")
    restored = pdf_text(library.preview_form(env.ctx, "agreement").data)
    assert NEW_WORDING not in restored and "纠纷主要事实" in restored


def _field_row(dialog, name: str) -> int:
    return next(r for r in range(dialog.field_list.count()) if dialog.field_list.item(r).text() == name)


def test_a_mistake_is_shown_in_red_next_to_the_block_and_nothing_is_saved(page, data_dir):
    dialog = _open_editor(page, "termination")
    index = next(i for i, b in enumerate(dialog.form.blocks) if b.parts and b.parts[0].editable
                 and b.type == "paragraph")
    dialog.block_list.setCurrentRow(index)
    dialog.text.setPlainText("因「不存在的字段」终止调解。")
    assert dialog.block_error.isVisible() and "「不存在的字段」" in dialog.block_error.text()
    assert "有误" in dialog.block_list.item(index).text()
    dialog.refresh_preview()
    assert "无法预览" in dialog.preview.message.text()
    assert dialog.save() is False and "未保存" in dialog.message.text()
    assert "/" not in dialog.message.text() and "Error" not in dialog.message.text()
    assert not (data_dir / "forms" / "termination.toml").exists()
    dialog.text.setPlainText("")
    assert "不能为空" in dialog.block_error.text()
    dialog.hidden_box.setChecked(True)
    assert not dialog.block_error.isVisible()


def test_export_and_import_of_the_form_file(page, data_dir, tmp_path):
    dialog = _open_editor(page, "rejection")
    target = tmp_path / "rejection.toml"
    dialog.export_file(str(target))
    assert target.read_text(encoding="utf-8") == (BUILTIN_FORMS / "rejection.toml").read_text(encoding="utf-8")
    text = target.read_text(encoding="utf-8")
    target.write_text(text.replace('title = "不予受理告知书"', 'title = "不予受理通知书"'), encoding="utf-8")
    dialog.import_file(str(target))
    assert "已导入" in dialog.message.text() and dialog.title_edit.text() == "不予受理通知书"
    target.write_text("title = ", encoding="utf-8")
    dialog.import_file(str(target))
    assert "未导入" in dialog.message.text()


def test_the_editor_lists_blocks_by_chinese_type_and_every_field_by_name(page, qtbot):
    dialog = _open_editor(page, "agreement")
    items = [dialog.block_list.item(r).text() for r in range(dialog.block_list.count())]
    assert items[0] == "1. 单行文字：「调解组织名称」" and any("当事人信息" in i for i in items)
    assert any("协议条款" in i for i in items) and any("签名栏" in i for i in items)
    assert dialog.field_list.count() > 80 and _field_row(dialog, "调解组织名称") >= 0
    dialog.field_filter.setText("金额")
    shown = [dialog.field_list.item(r).text() for r in range(dialog.field_list.count())
             if not dialog.field_list.item(r).isHidden()]
    assert "协议金额大写" in shown and "调解组织名称" not in shown and len(shown) < 8
    dialog.block_list.setCurrentRow(_row(dialog, "terms"))
    assert "只能修改引导语" in dialog.note.text()
    dialog.block_list.setCurrentRow(_row(dialog, "performance"))
    qtbot.wait(400)  # QPdfView renders pages on a thread
    dialog.grab().save("/tmp/form_editor.png")


def test_a_paragraph_is_added_a_block_removed_and_closing_asks_before_dropping_edits(page, data_dir, monkeypatch):
    dialog = _open_editor(page, "agreement")
    count = dialog.block_list.count()
    dialog.block_list.setCurrentRow(_row(dialog, "effect"))
    assert not dialog.remove_button.isEnabled()  # the tracks' variants rewrite it: hide only
    dialog.add_button.click()
    assert dialog.block_list.count() == count + 1 and dialog.block_list.currentRow() == _row(dialog, "effect") + 1
    assert "不能为空" in dialog.block_error.text()
    dialog.text.setPlainText("双方当事人应当自觉履行本协议。")
    assert not dialog.block_error.isVisible()
    dialog.block_list.setCurrentRow(_row(dialog, "amount"))
    assert dialog.remove_button.isEnabled()
    dialog.remove_button.click()
    assert dialog.block_list.count() == count and all(b.id != "amount" for b in dialog.form.blocks)
    questions = []
    monkeypatch.setattr(ui_errors, "ask", lambda *a: questions.append(a[2]) or False)
    dialog.close_button.click()
    assert dialog.isVisible() and "没有保存" in questions[0]
    dialog.save_button.click()
    dialog.close_button.click()
    assert not dialog.isVisible() and len(questions) == 1
    printed = pdf_text(library.preview_form(page.env.ctx, "agreement").data)
    assert "双方当事人应当自觉履行本协议。" in printed and "本协议涉及金额" not in printed
