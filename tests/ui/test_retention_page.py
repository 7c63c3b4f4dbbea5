"""卷宗销毁: tick a due dossier, destroy it through the dialog, and find it in the 销毁记录."""
from __future__ import annotations

from datetime import date, datetime

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog

from mediator.domain.errors import NotFoundError
from mediator.services.cases import lifecycle as uc
from mediator.services.cases.list_page import case_heading
from mediator.services.cases.read import find_case_id
from mediator.services.context import SHANGHAI, Clock
from mediator.services.settings import set_setting
from mediator.ui.main_window import default_pages
from mediator.ui.pages.retention import RetentionPage

PERFORMED = "SF-2026-001"  # 婚姻家庭, performed on 2026-07-01


@pytest.fixture
def due_env(env):
    """The sample's performed case archived in 2026, 婚姻家庭 kept 10 years, the clock in 2037."""
    case_id = find_case_id(env.ctx, PERFORMED)
    uc.archive_case(env.ctx, case_id, date(2026, 7, 10), reason="身份证明为纸质存档")
    set_setting(env.ctx, "retention.marriage_family", "10y")
    env.ctx.clock = Clock(fixed=datetime(2037, 1, 10, 10, 0, tzinfo=SHANGHAI))
    env.case_id = case_id
    env.number = case_heading(env.ctx, case_id).number
    return env


def _show(qtbot, widget):
    qtbot.addWidget(widget)
    widget.resize(1148, 760)
    widget.show()
    return widget


def test_the_page_sits_before_system_for_those_who_may_destroy():
    keys = [p.key for p in default_pages()]
    assert keys.index("retention") == keys.index("system") - 1
    entry = next(p for p in default_pages() if p.key == "retention")
    assert entry.title == "卷宗销毁" and entry.permission.value == "retention.destroy"


def test_a_due_dossier_is_ticked_destroyed_and_recorded(due_env, qtbot, monkeypatch, tmp_path):
    questions = []
    monkeypatch.setattr("mediator.ui.errors.ask", lambda _p, _t, q: questions.append(q) or True)
    page = _show(qtbot, RetentionPage(due_env))
    assert page.due_table.rowCount() == 1
    assert page.due_table.item(0, 0).text() == due_env.number
    assert page.due_table.item(0, 6).text() == "短期（10年）"
    assert page.due_table.item(0, 7).text() == "2036-07-10"
    assert page.record_table.rowCount() == 0
    assert not page.destroy_button.isEnabled()

    page.due_table.item(0, 0).setCheckState(Qt.CheckState.Checked)
    assert page.destroy_button.isEnabled() and "1件" in page.destroy_button.text()
    page.destroy_button.click()
    dialog = page.dialog
    assert dialog is not None and dialog.isVisible()
    assert "共1件" in dialog.count_label.text() and due_env.number in dialog.count_label.text()

    # The acting user cannot supervise their own destruction: refused under the field.
    dialog.supervisor.setText("王所长")
    dialog.approved_by.setText("城关司法所〔2037〕1号")
    dialog.method.setCurrentIndex(dialog.method.findData("焚毁"))
    dialog.ok_button.click()
    assert "监销人不能是销毁人本人" in dialog.field_error("supervisor")
    assert dialog.isVisible() and page.due_table.rowCount() == 1

    dialog.supervisor.setText("张监销")
    dialog.note.setPlainText("集中销毁")
    dialog.ok_button.click()
    assert len(questions) == 2 and "1件卷宗" in questions[-1]
    assert not dialog.isVisible()
    assert page.due_table.rowCount() == 0
    assert page.record_table.rowCount() == 1
    row = [page.record_table.item(0, c).text() for c in range(page.record_table.columnCount())]
    assert row[:3] == ["2037-01-10", due_env.number, "婚姻家庭"]
    assert row[7:] == ["焚毁", "王所长", "张监销", "城关司法所〔2037〕1号", "集中销毁"]
    assert "已销毁1件" in page.message.text()
    with pytest.raises(NotFoundError):
        find_case_id(due_env.ctx, PERFORMED)

    # The 销毁清册 of that destruction, saved where the file dialog says.
    assert not page.list_button.isEnabled()
    page.record_table.selectRow(0)
    assert page.list_button.isEnabled()
    target = tmp_path / "清册.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *_a: (str(target), "PDF 文件 (*.pdf)"))
    page.list_button.click()
    assert target.read_bytes().startswith(b"%PDF")
    assert "已保存销毁清册" in page.message.text()


def test_declining_the_question_destroys_nothing(due_env, qtbot, monkeypatch):
    monkeypatch.setattr("mediator.ui.errors.ask", lambda *_a: False)
    page = _show(qtbot, RetentionPage(due_env))
    page.set_all_checked(True)
    page.destroy_checked()
    page.dialog.supervisor.setText("张监销")
    page.dialog.approved_by.setText("张某某")
    page.dialog.ok_button.click()
    assert page.dialog.isVisible()
    page.dialog.reject()
    assert page.due_table.rowCount() == 1 and page.record_table.rowCount() == 0
    assert find_case_id(due_env.ctx, PERFORMED) == due_env.case_id
