"""导入旧台账 through real clicks: 系统 → 导入旧台账 → file → columns → preview and problems → 导入."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog
from sqlmodel import func, select

from mediator.domain.ledger_columns import LedgerField
from mediator.store.models import Case
from mediator.ui.dialogs.old_ledger import OldLedgerDialog
from mediator.ui.pages.system import SystemPage
from tests.ledger_files import BAD_ID_ROW, messy_ledger


def _click(qtbot, button) -> None:
    assert button.isVisible() and button.isEnabled(), button.text()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def _cases(env) -> int:
    with env.ctx.read() as s:
        return s.exec(select(func.count()).select_from(Case)).one()


def _table(table) -> list[list[str]]:
    return [[table.item(r, c).text() for c in range(table.columnCount())] for r in range(table.rowCount())]


def test_system_page_opens_the_wizard_and_a_ledger_is_imported(env, qtbot, tmp_path, monkeypatch):
    path = messy_ledger(tmp_path)
    page = SystemPage(env)
    qtbot.addWidget(page)
    page.show()
    _click(qtbot, page.old_ledger_button)
    dialog = page.old_ledger_dialog
    assert dialog.isVisible() and dialog.windowTitle() == "导入旧台账"
    assert dialog.organization.currentText() == "城关镇人民调解委员会"
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(path), ""))
    _click(qtbot, dialog.browse_button)
    assert dialog.path.text() == str(path)
    dialog.village.setCurrentIndex(dialog.village.findText("东关村"))
    before = _cases(env)

    _click(qtbot, dialog.next_button)
    assert dialog.stack.currentIndex() == 1 and "表头在第2行" in dialog.mapping_note.text()
    assert dialog.mapping_table.item(1, 0).text() == "当事人"
    assert dialog.combos[1].currentData() == LedgerField.PARTIES.value
    follow = dialog.combos[14]
    follow.setCurrentIndex(follow.findData(LedgerField.IGNORE.value))  # the person drops 回访情况

    _click(qtbot, dialog.next_button)
    assert dialog.stack.currentIndex() == 2 and not dialog.message.isVisible()
    assert [r[1] for r in _table(dialog.preview)] == ["张三、李四", "王五、赵六", "郑十、冯十一"]
    assert _table(dialog.preview)[0][-1] == "已归档（调解成功）"
    problems = _table(dialog.problems)
    assert problems[0] == [str(BAD_ID_ROW), "身份证号", problems[0][2]] and "校验位错误" in problems[0][2]
    assert "可导入3件" in dialog.preview_note.text() and _cases(env) == before  # the trial kept nothing

    _click(qtbot, dialog.import_button)
    assert dialog.stack.currentIndex() == 3 and "导入案件3件" in dialog.result_label.text()
    assert _cases(env) == before + 3
    assert dialog.result_problems.rowCount() == 4

    # Again: the saved mapping comes back, and nothing is imported twice.
    again = OldLedgerDialog(env)
    qtbot.addWidget(again)
    again.show()
    again.path.setText(str(path))
    again.village.setCurrentIndex(again.village.findText("东关村"))
    _click(qtbot, again.next_button)
    assert "已沿用上次" in again.mapping_note.text()
    assert again.combos[14].currentData() == LedgerField.IGNORE.value
    _click(qtbot, again.next_button)
    assert "以前已导入3行" in again.preview_note.text() and not again.import_button.isEnabled()


def test_wizard_refuses_in_chinese(env, qtbot, tmp_path):
    dialog = OldLedgerDialog(env)
    qtbot.addWidget(dialog)
    dialog.show()
    _click(qtbot, dialog.next_button)
    assert dialog.message.text() == "请选择台账文件"
    broken = tmp_path / "坏.xlsx"
    broken.write_bytes(b"xx")
    dialog.path.setText(str(broken))
    _click(qtbot, dialog.next_button)
    assert "无法读取该文件" in dialog.message.text() and dialog.stack.currentIndex() == 0
    dialog.path.setText(str(messy_ledger(tmp_path)))
    _click(qtbot, dialog.next_button)
    received = dialog.combos[7]
    received.setCurrentIndex(received.findData(LedgerField.IGNORE.value))
    _click(qtbot, dialog.next_button)
    assert dialog.message.text() == "没有对应“受理日期”的列" and dialog.stack.currentIndex() == 1
    received.setCurrentIndex(received.findData(LedgerField.RECEIVED_ON.value))
    _click(qtbot, dialog.next_button)  # no default village and no village column: every row refused
    assert dialog.stack.currentIndex() == 2 and "没有可导入的行" in dialog.preview_note.text()
    assert not dialog.import_button.isEnabled()
    _click(qtbot, dialog.back_button)
    assert dialog.stack.currentIndex() == 1
