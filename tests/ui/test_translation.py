"""Qt's own dialogs speak Chinese: message boxes, standard buttons, the file dialog, the preview."""
from __future__ import annotations

import re

from PySide6.QtGui import QAction
from PySide6.QtPrintSupport import QPrintPreviewDialog
from PySide6.QtWidgets import QDialogButtonBox, QFileDialog, QLabel, QMessageBox, QWidget

from mediator.ui.translation import install_chinese

ENGLISH = re.compile(r"[A-Za-z]{2,}")


def _texts(root: QWidget) -> list[str]:
    out = []
    for w in [root, *root.findChildren(QWidget)]:
        for name in ("text", "toolTip", "windowTitle", "placeholderText"):
            get = getattr(w, name, None)
            if callable(get):
                try:
                    value = get()
                except TypeError:
                    continue
                if isinstance(value, str):
                    out.append(value)
    out += [t for a in root.findChildren(QAction) for t in (a.text(), a.toolTip())]
    return [t for t in out if t]


def test_message_box_buttons_are_chinese(qapp, qtbot):
    assert install_chinese(qapp)  # the translation file ships with PySide6
    box = QMessageBox(QMessageBox.Icon.Question, "确认", "删除此附件？",
                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No
                      | QMessageBox.StandardButton.Cancel)
    box.setDetailedText("详细信息")
    qtbot.addWidget(box)
    box.show()
    texts = {b.text() for b in box.buttons()}
    assert {"是(&Y)", "否(&N)", "取消", "显示详情..."} <= texts
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Save
                               | QDialogButtonBox.StandardButton.Close)
    qtbot.addWidget(buttons)
    assert {b.text() for b in buttons.buttons()} == {"确定", "保存", "关闭"}


def test_the_file_dialog_has_no_english(qapp, qtbot, tmp_path):
    for mode in (QFileDialog.AcceptMode.AcceptOpen, QFileDialog.AcceptMode.AcceptSave):
        dialog = QFileDialog(None, "保存文书", str(tmp_path), "PDF 文件 (*.pdf)")
        dialog.setOption(QFileDialog.Option.DontUseNativeDialog)
        dialog.setAcceptMode(mode)
        qtbot.addWidget(dialog)
        dialog.show()
        labels = [label.text() for label in dialog.findChildren(QLabel) if label.text()]
        assert "查找范围(&L)：" in labels and "文件类型(&T)：" in labels
        assert [t for t in _texts(dialog) if ENGLISH.search(t)] == []
        dialog.close()


def test_the_print_preview_has_no_english(qapp, qtbot):
    dialog = QPrintPreviewDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    assert [t for t in _texts(dialog) if ENGLISH.search(t)] == []
    dialog.close()


def test_a_frozen_build_also_looks_in_its_own_folder(tmp_path):
    from mediator.ui.translation import translation_folders

    folders = translation_folders(str(tmp_path))
    assert folders[1:] == [str(tmp_path / "PySide6" / "Qt" / "translations"),
                           str(tmp_path / "PySide6" / "translations"), str(tmp_path / "translations")]
    assert len(translation_folders()) == 1  # from source: Qt's own path only
