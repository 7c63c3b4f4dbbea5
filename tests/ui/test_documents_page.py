"""The 文书 page: forms listed, previewed on the sample case, copied, edited, checked, restored."""
from __future__ import annotations

import pytest

from mediator import config
from mediator.services.documents.rendering import get_form
from mediator.services.settings import set_setting
from mediator.ui import errors as ui_errors
from mediator.ui.pages.documents import DocumentsPage
from mediator.ui.widgets.overview_bits import ID_ROLE

SHOTS = "/tmp"


@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    folder = tmp_path / "data"
    monkeypatch.setattr(config, "data_dir", lambda: folder)
    return folder


@pytest.fixture
def page(env, qtbot, data_dir):
    set_setting(env.ctx, "office.name", "城关镇司法所")
    set_setting(env.ctx, "office.phone", "0379-1234567")
    widget = DocumentsPage(env)
    qtbot.addWidget(widget)
    widget.resize(1280, 800)
    widget.show()
    return widget


def _select(page, form_id: str) -> None:
    row = next(r for r in range(page.table.rowCount()) if page.table.item(r, 0).data(ID_ROLE) == form_id)
    page.table.selectRow(row)


def test_the_page_lists_every_form_and_previews_the_first_on_the_sample_case(page, qtbot):
    titles = [page.table.item(r, 1).text() for r in range(page.table.rowCount())]
    assert titles[0] == "人民调解申请书" and titles[-1] == "卷宗" and len(titles) == 14
    assert page.current == "application"
    assert page.preview.source is not None and page.preview.page_count() >= 1
    assert page.office_labels["office.name"].text() == "城关镇司法所"
    assert page.office_labels["office.phone"].text() == "0379-1234567"
    assert page.office_labels["office.address"].text() == "（未设置）"
    assert page.editor.isReadOnly()  # the shipped form is read-only until copied
    assert "程序自带格式" in page.editor_note.text()
    _select(page, "dossier")
    assert page.current == "dossier" and page.preview.page_count() >= 10
    qtbot.wait(400)  # QPdfView renders pages on a thread
    page.grab().save(f"{SHOTS}/documents_page.png")


def test_copy_edit_save_and_the_app_uses_the_copy(page, data_dir, qtbot):
    _select(page, "agreement")
    assert page.copy_button.isEnabled() and not page.reset_button.isEnabled()
    page.copy_button.click()
    copy = data_dir / "forms" / "agreement.toml"
    assert copy.is_file() and not page.editor.isReadOnly()
    assert page.table.item(5, 2).text() == "本所修改版"
    page.editor.setPlainText(page.editor.toPlainText().replace("经调解，自愿达成如下协议：",
                                                                "经本委员会调解，双方自愿达成如下协议："))
    assert page.save_button.isEnabled()
    page.save_button.click()
    assert "已保存" in page.message.text()
    assert "经本委员会调解" in copy.read_text(encoding="utf-8")
    assert get_form("agreement").path == copy.resolve()  # every case now prints the copy
    qtbot.wait(400)
    page.grab().save(f"{SHOTS}/documents_page_editing.png")


def test_a_faulty_edit_is_not_saved_and_the_cursor_goes_to_its_line(page, data_dir):
    _select(page, "termination")
    page.copy_button.click()
    copy = data_dir / "forms" / "termination.toml"
    before = copy.read_text(encoding="utf-8")
    page.editor.setPlainText(before.replace("{{ termination.reason", "{{ termination.reasn"))
    page.check_button.click()
    assert "termination.reasn" in page.message.text()
    assert "格式文件有误" in page.preview.message.text()
    page.save_button.click()
    assert page.message.text().startswith("未保存") and "termination.reasn" in page.message.text()
    assert copy.read_text(encoding="utf-8") == before
    line = page.editor.textCursor().blockNumber() + 1
    assert "termination.reasn" in page.editor.document().findBlockByNumber(line - 1).text()


def test_reset_restores_the_shipped_form_after_asking(page, data_dir, monkeypatch):
    _select(page, "rejection")
    page.copy_button.click()
    copy = data_dir / "forms" / "rejection.toml"
    monkeypatch.setattr(ui_errors, "ask", lambda parent, title, question: False)
    page.reset_button.click()
    assert copy.exists()
    monkeypatch.setattr(ui_errors, "ask", lambda parent, title, question: True)
    page.reset_button.click()
    assert not copy.exists() and page.table.item(10, 2).text() == "默认"
    assert page.editor.isReadOnly() and "已恢复" in page.message.text()
