"""The frame every case action dialog shares: a form, its error labels, the service call."""
from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from mediator.domain.case_detail import CaseDetail
from mediator.domain.errors import ValidationError
from mediator.ui.env import UiEnv
from mediator.ui.ops import run_op
from mediator.ui.workspace.fields import (
    ErrorLabel,
    FieldErrors,
    date_edit,
    pydate,
    show_write_failure,
    with_error,
)


class ActionDialog(QDialog):
    """One lifecycle action of one case: fields, then the matching service call.

    The call carries ``expected_version=detail.version``; validation errors appear beside
    their fields, a conflict offers to reload the case (the dialog closes then). The dialog is
    accepted only once the service call succeeded.

    Args:
        env: the UI environment.
        detail: ``case_detail`` of the case as the workspace shows it.
        parent: the workspace.
        on_reload: what reloading the case means (the workspace's ``reload``).

    Signals:
        accepted(): the service call succeeded (QDialog's own signal).
    """

    title = "办理"
    ok_text = "确定"
    expanding = False  # True: the body (not blank space) takes the dialog's extra height

    def __init__(self, env: UiEnv, detail: CaseDetail, parent: QWidget | None = None,
                 on_reload: Callable[[], None] | None = None) -> None:
        super().__init__(parent)
        self.env = env
        self.detail = detail
        self.case_id: int = detail.id
        self.version: int = detail.version
        self.on_reload = on_reload
        self.today: date = env.ctx.today()
        self._focus_before: QWidget | None = None
        self.setWindowTitle(f"{self.title} — {detail.number}")
        self.setMinimumWidth(520)

        self.general_error = ErrorLabel()
        self.general_error.setObjectName("general_error")
        self.errors = FieldErrors(self.general_error)
        self.form = QFormLayout()
        self.form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(self.ok_text)
        self.ok_button.setDefault(True)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        heading = QLabel(f"案号：{detail.number}　　当前状态：{detail.status_label}")
        heading.setObjectName("dialog_heading")
        heading.setStyleSheet("color: #555;")
        layout.addWidget(heading)
        self.body = QVBoxLayout()
        self.body.setContentsMargins(0, 0, 0, 0)
        self.body.addLayout(self.form)
        self._build()
        layout.addLayout(self.body, 1 if self.expanding else 0)
        layout.addWidget(self.general_error)
        if not self.expanding:
            layout.addStretch(1)
        layout.addWidget(self.buttons)

    # --- building ---------------------------------------------------------------------------
    def _build(self) -> None:
        """Add the fields (subclasses)."""

    def add_row(self, label: str, widget: QWidget, *paths: str) -> ErrorLabel:
        """A form row whose error label answers for ``paths``."""
        error = self.errors.label(*paths, watch=widget)
        self.form.addRow(label, with_error(widget, error))
        return error

    def add_date_row(self, label: str, value: date | None = None, *paths: str,
                     maximum: date | None = None, minimum: date | None = None):
        edit = date_edit(value or self.today, maximum=maximum, minimum=minimum)
        self.add_row(label, edit, *(paths or ("on",)))
        return edit

    def add_text_row(self, label: str, path: str, placeholder: str = "") -> QLineEdit:
        edit = QLineEdit()
        edit.setPlaceholderText(placeholder)
        self.add_row(label, edit, path)
        return edit

    def add_note_row(self, label: str, path: str, placeholder: str = "", lines: int = 3) -> QPlainTextEdit:
        edit = QPlainTextEdit()
        edit.setTabChangesFocus(True)
        edit.setPlaceholderText(placeholder)
        edit.setFixedHeight(edit.fontMetrics().lineSpacing() * lines + 14)
        self.add_row(label, edit, path)
        return edit

    def add_hint(self, text: str) -> QLabel:
        hint = QLabel(text)
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #666;")
        self.form.addRow("", hint)
        return hint

    # --- the call ---------------------------------------------------------------------------
    def service_call(self) -> Callable[[], Any]:
        """The service call to make with the form's values (subclasses).

        Raises:
            ValidationError: a value the form can refuse before asking the service.
        """
        raise NotImplementedError

    def accept(self) -> None:
        """OK: run the service call; close only when it succeeded."""
        if not self.ok_button.isEnabled():
            return  # saving already (Enter pressed again)
        self.clear_validation()
        try:
            call = self.service_call()
        except ValidationError as exc:
            self.show_validation([exc])
            self.focus_first_error()
            return
        # OK is greyed while saving; Qt then moves the focus on (to 取消): remember where it was.
        self._focus_before = self.focusWidget()
        self.ok_button.setEnabled(False)
        # The use case returns what it changed; run_op tells every open view.
        run_op(self.env, self, call, on_success=self._on_call_done, on_failure=self._on_call_failed,
               label="正在保存…")

    def show_validation(self, errors: list[ValidationError]) -> None:
        """Show each error beside its field (the rest under the form)."""
        self.errors.show(errors)

    def clear_validation(self) -> None:
        self.errors.clear()

    def first_invalid(self) -> QWidget | None:
        """The first field showing an error (subclasses with their own editors add theirs)."""
        return self.errors.first_invalid()

    def focus_first_error(self) -> None:
        """Focus the first bad field; with none (a general error), where the focus was, or OK."""
        target = self.first_invalid()
        if target is None:
            before = self._focus_before
            target = before if before is not None and before.isEnabled() and before.isVisible() \
                and before is not self.buttons.button(QDialogButtonBox.StandardButton.Cancel) \
                else self.ok_button
        target.setFocus(Qt.FocusReason.OtherFocusReason)

    def _on_call_done(self, _result: object) -> None:
        self.ok_button.setEnabled(True)
        super().accept()

    def _on_call_failed(self, exc: BaseException) -> None:
        self.ok_button.setEnabled(True)
        show_write_failure(self, exc, self.show_validation, self._on_conflict_reload)
        self.focus_first_error()  # on the first bad field, else back where it was: never on 取消

    def _on_conflict_reload(self) -> None:
        self.reject()
        if self.on_reload is not None:
            self.on_reload()

    @staticmethod
    def date_of(edit) -> date:
        return pydate(edit.date())


def required_text(widget: QLineEdit | QPlainTextEdit, path: str, message: str) -> str:
    """The stripped text of a field that must not be empty."""
    text = widget.toPlainText() if isinstance(widget, QPlainTextEdit) else widget.text()
    if not text.strip():
        raise ValidationError(path, message)
    return text.strip()


def plain(widget: QLineEdit | QPlainTextEdit) -> str:
    text = widget.toPlainText() if isinstance(widget, QPlainTextEdit) else widget.text()
    return text.strip()


class EditorDialog(ActionDialog):
    """An action dialog whose fields live in ``self.editor`` (the agreement editor): its field
    errors show in the editor, the rest under the form."""

    editor: Any

    def show_validation(self, errors: list[ValidationError]) -> None:
        self.errors.show(self.editor.show_errors(errors))

    def clear_validation(self) -> None:
        self.editor.clear_errors()
        self.errors.clear()

    def first_invalid(self) -> QWidget | None:
        return self.editor.errors.first_invalid() or super().first_invalid()
