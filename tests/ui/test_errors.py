"""The error dialogs: a fixable fault names itself, a bug says what failed and hides the traceback."""
from __future__ import annotations

from PySide6.QtWidgets import QApplication, QMessageBox

from mediator.domain.errors import ValidationError, ValidationErrors
from mediator.ui.errors import show_error


def test_a_bug_says_which_action_failed_and_keeps_the_traceback_for_the_copy_button(qapp, monkeypatch):
    seen: dict = {}

    def answer(box: QMessageBox) -> int:  # the user reads the box and clicks 复制详细信息
        seen.update(title=box.windowTitle(), text=box.text(), details=box.detailedText(),
                    buttons=[b.text() for b in box.buttons()])
        next(b for b in box.buttons() if b.text() == "复制详细信息").click()
        return 0

    monkeypatch.setattr(QMessageBox, "exec", answer)
    try:
        raise RuntimeError("disk I/O error")
    except RuntimeError as exc:
        error = exc
    QApplication.clipboard().clear()
    show_error(None, error, action="立即备份")
    assert seen["title"] == "出现意外错误"
    assert "“立即备份”没有完成" in seen["text"] and "复制详细信息" in seen["text"]
    assert "Traceback" not in seen["text"] and "RuntimeError" not in seen["text"]
    assert seen["details"] == ""  # no 显示详情 with a traceback in it
    assert sorted(seen["buttons"]) == sorted(["复制详细信息", "关闭"])
    copied = QApplication.clipboard().text()
    assert "Traceback" in copied and "disk I/O error" in copied


def test_a_fixable_fault_is_named_in_chinese(qapp, monkeypatch):
    shown = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text: shown.append((title, text)))
    show_error(None, ValidationErrors([ValidationError("reason", "请填写移送理由")]), action="移送案件")
    assert shown == [("无法移送案件", "• 请填写移送理由")]
