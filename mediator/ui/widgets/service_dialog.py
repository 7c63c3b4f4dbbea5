"""A small form dialog whose 确定 runs one service call; a refused field shows its message beside it."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QVBoxLayout, QWidget

from mediator.domain.errors import (
    AccountDisabled,
    ConflictError,
    DomainError,
    ValidationError,
    ValidationErrors,
)
from mediator.services.changes import OpChanges
from mediator.ui.env import UiEnv
from mediator.ui.errors import show_error
from mediator.ui.ops import run_op


def error_label() -> QLabel:
    label = QLabel()
    label.setObjectName("field_error")
    label.setStyleSheet("color: #c62828;")
    label.setWordWrap(True)
    return label


class ServiceDialog(QDialog):
    """Subclasses add fields with ``add_field`` and implement ``task``.

    On 确定 the task (a write returning ``OpChanges``) runs through ``run_op``; on success
    ``value`` holds the changes (``value.id`` for a new row), the dialog is accepted, then the
    app's signals named by the changes are emitted; a ``ValidationError`` is shown under the
    field named by its path.
    """

    def __init__(self, env: UiEnv, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.env = env
        self.value: Any = None
        self.setWindowTitle(title)
        self.setMinimumWidth(420)
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self._errors: dict[str, tuple[int, QLabel]] = {}
        self.general_error = error_label()
        self.general_error.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("确定")
        self.ok_button.setDefault(True)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        self.buttons.accepted.connect(self._on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.general_error)
        layout.addWidget(self.buttons)

    def add_field(self, key: str, label: str, widget: QWidget) -> QWidget:
        """A labelled field; errors whose path is ``key`` appear in a red line under it."""
        self.form.addRow(label, widget)
        message = error_label()
        self.form.addRow("", message)
        row = self.form.rowCount() - 1
        self.form.setRowVisible(row, False)
        self._errors[key] = (row, message)
        return widget

    def add_info(self, label: str, text: str) -> QLabel:
        info = QLabel(text)
        info.setWordWrap(True)
        self.form.addRow(label, info)
        return info

    def task(self) -> Callable[[], Any]:
        """The service call to make with the values on screen; it returns an ``OpChanges``."""
        raise NotImplementedError

    def field_error(self, key: str) -> str:
        entry = self._errors.get(key)
        return entry[1].text() if entry else self.general_error.text()

    def clear_errors(self) -> None:
        for row, label in self._errors.values():
            label.clear()
            self.form.setRowVisible(row, False)
        self.general_error.clear()
        self.general_error.hide()

    def show_validation(self, error: ValidationError) -> None:
        entry = self._errors.get(error.path)
        if entry is None:
            self.general_error.setText(error.message)
            self.general_error.show()
            return
        row, label = entry
        # Several problems with one field (a password too short and without digits): all of them.
        label.setText(f"{label.text()}；{error.message}" if label.text() else error.message)
        self.form.setRowVisible(row, True)
        if self.form.itemAt(row - 1, QFormLayout.ItemRole.FieldRole) is not None:
            self.form.itemAt(row - 1, QFormLayout.ItemRole.FieldRole).widget().setFocus()

    def _on_buttons_accepted(self) -> None:
        self.clear_errors()
        try:
            task = self.task()
        except ValidationError as e:  # a value the form itself could not read
            self.show_validation(e)
            return
        self.ok_button.setEnabled(False)
        run_op(self.env, self, task, on_success=self._on_task_done, on_failure=self._on_task_error)

    def _on_task_done(self, value: OpChanges) -> None:
        self.ok_button.setEnabled(True)
        self.value = value
        self.accept()

    def _on_task_error(self, exc: BaseException) -> None:
        self.ok_button.setEnabled(True)
        if isinstance(exc, ValidationError):
            self.show_validation(exc)
        elif isinstance(exc, ValidationErrors):
            for error in exc.errors:
                self.show_validation(error)
        elif isinstance(exc, DomainError) and not isinstance(exc, ConflictError | AccountDisabled):
            self.general_error.setText(exc.message)
            self.general_error.show()
        else:
            show_error(self, exc)
