"""Small form helpers of the case workspace: error labels, date edits, money with 人民币大写."""
from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from typing import Any

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QScrollBar,
    QVBoxLayout,
    QWidget,
)

from mediator.domain.enums import LabeledEnum
from mediator.domain.errors import ConflictError, DomainError, ValidationError, ValidationErrors
from mediator.domain.formatting import rmb_upper
from mediator.domain.validators import parse_money
from mediator.ui import errors as ui_errors
from mediator.ui.widgets.field_error import FieldError, mark_invalid, on_edit

DATE_FORMAT = "yyyy-MM-dd"


def qdate(d: date) -> QDate:
    return QDate(d.year, d.month, d.day)


def pydate(d: QDate) -> date:
    return date(d.year(), d.month(), d.day())


def date_edit(value: date, *, maximum: date | None = None, minimum: date | None = None) -> QDateEdit:
    """A date field with a calendar popup, ISO display, optional bounds."""
    edit = QDateEdit()
    edit.setCalendarPopup(True)
    edit.setDisplayFormat(DATE_FORMAT)
    edit.setMinimumDate(qdate(minimum) if minimum else QDate(1900, 1, 1))
    if maximum is not None:
        edit.setMaximumDate(qdate(maximum))
    edit.setDate(qdate(value))
    edit.setMaximumWidth(edit.fontMetrics().horizontalAdvance("2026-12-31") + 60)
    return edit


class ErrorLabel(FieldError):
    """A red message under a field; hidden while there is nothing to say.

    Its line stays reserved while hidden (``FieldError``): a dialog does not grow or jump when
    a message appears.
    """

    def set_error(self, text: str) -> None:
        self.show_message(text)


def clear_on_edit(widget: QWidget, label: ErrorLabel) -> None:
    """Hide the message (and the red border) once the person edits the field, or for a group
    any field in it."""
    on_edit(widget, lambda: _clear(widget, label))


def _clear(widget: QWidget, label: ErrorLabel) -> None:
    if label.message():
        label.set_error("")
        mark_invalid(widget, False)


def focus_target(widget: QWidget) -> QWidget | None:
    """The widget that takes the focus for ``widget``: itself, or in a group the checked (else
    the first) input in it."""
    if widget.focusPolicy() != Qt.FocusPolicy.NoFocus:
        return widget
    inputs = [c for c in widget.findChildren(QWidget)
              if c.focusPolicy() != Qt.FocusPolicy.NoFocus and c.isEnabled() and not c.isHidden()
              and not isinstance(c, QScrollBar)]
    checked = [c for c in inputs if isinstance(c, QAbstractButton) and c.isChecked()]
    return (checked or inputs or [None])[0]


def with_error(widget: QWidget, error: ErrorLabel) -> QWidget:
    """The field with its error label right below it."""
    box = QWidget()
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(2)
    layout.addWidget(widget)
    layout.addWidget(error)
    return box


def validation_errors(exc: BaseException) -> list[ValidationError] | None:
    """The single errors of a validation failure, or None for any other exception."""
    if isinstance(exc, ValidationErrors):
        return list(exc.errors)
    if isinstance(exc, ValidationError):
        return [exc]
    return None


def show_write_failure(parent: QWidget, exc: BaseException,
                       on_validation: Callable[[list[ValidationError]], None],
                       on_reload: Callable[[], None] | None) -> None:
    """A refused write: its field errors go beside the fields, a stale edit gets the conflict
    dialog (offering ``on_reload``), anything else the error dialog."""
    found = validation_errors(exc)
    if found is not None:
        on_validation(found)
    elif isinstance(exc, ConflictError):
        ui_errors.show_error(parent, exc, on_reload=on_reload)
    else:
        ui_errors.show_error(parent, exc)


class FieldErrors:
    """Error labels by field path; shows a service's validation errors next to their fields."""

    def __init__(self, general: ErrorLabel | None = None) -> None:
        self.labels: dict[str, ErrorLabel] = {}
        self.general = general
        self.fields: list[tuple[ErrorLabel, QWidget]] = []  # label and its field, in form order

    def label(self, *paths: str, watch: QWidget | None = None) -> ErrorLabel:
        """A new error label answering for ``paths``; editing ``watch`` clears it."""
        label = ErrorLabel()
        for path in paths:
            self.labels[path] = label
        if watch is not None:
            clear_on_edit(watch, label)
            self.fields.append((label, watch))
        return label

    def clear(self) -> None:
        for label in {id(x): x for x in self.labels.values()}.values():
            label.set_error("")
        for _label, field in self.fields:
            mark_invalid(field, False)
        if self.general is not None:
            self.general.set_error("")

    def first_invalid(self) -> QWidget | None:
        """The input of the first field (in form order) showing an error, to move the focus to."""
        for label, field in self.fields:
            if label.message() and field.isVisibleTo(field.window()):
                target = focus_target(field)
                if target is not None:
                    return target
        return None

    def show(self, errors: list[ValidationError]) -> list[ValidationError]:
        """Put each message beside its field; those without a field go to the general label.

        Returns:
            The errors no label took (none if there is a general label).
        """
        texts: dict[int, list[str]] = {}
        owners: dict[int, ErrorLabel] = {}
        left: list[ValidationError] = []
        for error in errors:
            label = self._find(error.path)
            if label is None:
                left.append(error)
                continue
            texts.setdefault(id(label), []).append(error.message)
            owners[id(label)] = label
        for key, label in owners.items():
            label.set_error("\n".join(dict.fromkeys(texts[key])))
        for label, field in self.fields:
            if id(label) in owners:
                mark_invalid(field, True)
        if left and self.general is not None:
            self.general.set_error("\n".join(e.message for e in left))
            return []
        return left

    def _find(self, path: str) -> ErrorLabel | None:
        # "agreement.items[1]" falls back to "agreement.items", then "items".
        candidates = [path, path.split("[")[0]]
        if "." in path:
            tail = path.split(".", 1)[1]
            candidates += [tail, tail.split("[")[0]]
        for candidate in candidates:
            if candidate in self.labels:
                return self.labels[candidate]
        return None


def message_of(exc: BaseException) -> str:
    return exc.message if isinstance(exc, DomainError) else str(exc)


class MoneyField(QWidget):
    """An amount of yuan with its 人民币大写 written live beside it.

    ``textChanged`` is the line edit's own signal: a Python-side ``emit`` per keystroke is
    what PySide6 6.12.0 must not do (its ``emit`` drops a reference to ``True`` each time).
    """

    def __init__(self, field_name: str = "金额", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.field_name = field_name
        self.edit = QLineEdit()
        self.textChanged = self.edit.textChanged
        self.edit.setPlaceholderText("0.00")
        self.edit.setMaximumWidth(160)
        self.unit = QLabel("元")
        self.upper = QLabel()
        self.upper.setObjectName("rmb_upper")
        self.upper.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.edit)
        layout.addWidget(self.unit)
        layout.addSpacing(8)
        layout.addWidget(self.upper, 1)
        self.edit.textChanged.connect(self._on_edit_text_changed)
        self._on_edit_text_changed("")

    def text(self) -> str:
        return self.edit.text().strip()

    def setText(self, text: str) -> None:
        self.edit.setText(text)

    def value(self) -> str:
        """The figures as typed, ``"0"`` when empty (the service parses and checks them)."""
        return self.text() or "0"

    def _on_edit_text_changed(self, text: str) -> None:
        text = text.strip()
        if not text:
            self.upper.setText("")
        else:
            try:
                self.upper.setText(rmb_upper(parse_money(text, field=self.field_name)))
                self.upper.setStyleSheet("color: #1b5e20;")
            except ValidationError as exc:
                self.upper.setText(exc.message)
                self.upper.setStyleSheet("color: #c62828;")


class EnumCombo(QComboBox):
    """A combo of enum members shown by their Chinese label.

    Qt turns a ``StrEnum`` stored as item data into a plain string, so the members are kept here
    and ``current()`` gives the member back.
    """

    def __init__(self, members: Iterable[LabeledEnum], current: LabeledEnum | None = None,
                 blank: str | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._members: dict[str, LabeledEnum] = {}
        self.set_members(members, blank)
        if current is not None:
            self.set_current(current)

    def set_members(self, members: Iterable[LabeledEnum], blank: str | None = None) -> None:
        """Replace the choices (the blank one first, if given)."""
        self.clear()
        self._members = {}
        if blank is not None:
            self.addItem(blank, "")
        for member in members:
            self._members[member.value] = member
            self.addItem(member.label, member.value)

    def current(self) -> Any:
        """The chosen member, or None for the blank choice."""
        return self._members.get(self.currentData() or "")

    def set_current(self, member: LabeledEnum | str | None) -> None:
        value = "" if member is None else getattr(member, "value", member)
        index = self.findData(value)
        if index >= 0:
            self.setCurrentIndex(index)
