"""The two questions of the reminder actions: snooze until when, and why not remind any more.

Pages call ``ask_snooze_until`` and ``ask_dismiss_reason``; tests patch them (no modal exec).
"""
from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtWidgets import (
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from mediator.ui.widgets.due_views import qdate


class SnoozeDialog(QDialog):
    """推迟提醒: the reminder disappears until the chosen day and comes back then."""

    def __init__(self, parent: QWidget | None, what: str, today: date, due: date) -> None:
        super().__init__(parent)
        self.setWindowTitle("推迟提醒")
        self.until = QDateEdit()
        self.until.setCalendarPopup(True)
        self.until.setDisplayFormat("yyyy-MM-dd")
        self.until.setMinimumDate(qdate(today + timedelta(days=1)))
        self.until.setMaximumDate(qdate(today + timedelta(days=366)))
        self.until.setDate(qdate(today + timedelta(days=1)))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow("事项", QLabel(what))
        form.addRow("到期日", QLabel(due.isoformat()))
        form.addRow("推迟到", self.until)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)

    def value(self) -> date:
        return self.until.date().toPython()


class DismissDialog(QDialog):
    """不再提醒: the reason is kept with the reminder."""

    def __init__(self, parent: QWidget | None, what: str) -> None:
        super().__init__(parent)
        self.setWindowTitle("不再提醒")
        self.reason = QLineEdit()
        self.reason.setMaxLength(200)
        self.reason.setPlaceholderText("如：当事人已口头告知放弃申请司法确认")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow("事项", QLabel(what))
        form.addRow("原因", self.reason)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)

    def value(self) -> str:
        return self.reason.text().strip()


def ask_snooze_until(parent: QWidget | None, what: str, today: date, due: date) -> date | None:
    dialog = SnoozeDialog(parent, what, today, due)
    return dialog.value() if dialog.exec() == QDialog.DialogCode.Accepted else None


def ask_dismiss_reason(parent: QWidget | None, what: str) -> str | None:
    dialog = DismissDialog(parent, what)
    return dialog.value() if dialog.exec() == QDialog.DialogCode.Accepted else None
