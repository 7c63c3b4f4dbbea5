"""从备份恢复: what the backup holds, what happens to today's database, and the reason (required).

The panel calls ``ask_restore_reason``; tests drive the dialog itself or patch the function.
"""
from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from mediator.services.safety.backup import BackupSummary

WHAT_HAPPENS = ("恢复后当前数据库将被这份备份替换：当前数据库先完整另存一份；备份之后的审计记录转入恢复后的"
                "审计日志（其对应的数据改动随恢复撤回）。恢复前须其他电脑和程序都已退出本数据库。"
                "程序随后重新启动，请重新登录。")


class RestoreReasonDialog(QDialog):
    """The backup's date and case count, and the reason; 恢复 stays disabled until one is written."""

    def __init__(self, parent: QWidget | None, summary: BackupSummary) -> None:
        super().__init__(parent)
        self.setWindowTitle("从备份恢复")
        self.reason = QLineEdit()
        self.reason.setMaxLength(200)
        self.reason.setPlaceholderText("如：误删了一批案件，恢复到昨晚的备份")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("恢复")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        self.ok_button.setEnabled(False)
        self.reason.textChanged.connect(lambda text: self.ok_button.setEnabled(bool(text.strip())))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow("备份文件", QLabel(str(summary.path)))  # the whole path: which copy it is
        form.addRow("备份时间", QLabel(f"{summary.taken_at:%Y-%m-%d %H:%M}"))
        form.addRow("其中案件", QLabel(f"{summary.cases}件"))
        form.addRow("审计日志锚点", QLabel(str(summary.anchor) if summary.anchor else "无"))
        form.addRow("恢复原因", self.reason)
        note = QLabel(WHAT_HAPPENS)
        note.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(self.buttons)
        self.resize(520, self.sizeHint().height())

    def value(self) -> str:
        return self.reason.text().strip()


def ask_restore_reason(parent: QWidget | None, summary: BackupSummary) -> str | None:
    """The reason for restoring ``summary``'s backup; None when the person cancels."""
    dialog = RestoreReasonDialog(parent, summary)
    return dialog.value() if dialog.exec() == QDialog.DialogCode.Accepted else None
