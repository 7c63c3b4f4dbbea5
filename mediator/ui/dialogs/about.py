"""关于调解通 (帮助 → 关于调解通): the program, its version."""
from __future__ import annotations

import sys

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from mediator.version import version


def about_text() -> str:
    return "\n".join([f"版本：{version()}{'（安装版）' if getattr(sys, 'frozen', False) else ''}",
                      "矛盾纠纷多元化解案件管理",
                      "人民调解、行政调解、司法调解（三调联动）全流程追踪。"])


class AboutDialog(QDialog):
    """The name and version in large type, a short description, one 确定 button."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("关于调解通")
        layout = QVBoxLayout(self)
        self.title = QLabel(f"调解通 {version()}")
        self.title.setObjectName("about_title")
        font = self.title.font()
        font.setPointSize(font.pointSize() + 6)
        font.setBold(True)
        self.title.setFont(font)
        layout.addWidget(self.title)
        self.body = QLabel(about_text())
        self.body.setObjectName("about_body")
        self.body.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.body)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok)
        buttons.accepted.connect(self.accept)
        layout.addWidget(buttons)
