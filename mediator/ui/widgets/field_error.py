"""A field with a red Chinese error message under it, and a map from error paths to such fields."""
from __future__ import annotations

import math
from collections.abc import Callable, Iterable

from PySide6.QtCore import QSize
from PySide6.QtGui import QTextLayout
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QScrollBar,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from mediator.domain.errors import ValidationError

ERROR_COLOR = "#c62828"
_LINE_HEIGHTS: dict[str, int] = {}  # by font key
# Only frame-drawn text widgets get a red border: style sheets on combos and spin boxes
# would replace their native arrows.
_BORDERED = (QLineEdit, QPlainTextEdit, QTextEdit)


def mark_invalid(widget: QWidget, invalid: bool) -> None:
    """Give a text field a red border (and the dynamic property ``invalid``) while it is wrong."""
    widget.setProperty("invalid", invalid)
    for cls in _BORDERED:
        if isinstance(widget, cls):
            widget.setStyleSheet(
                f"{cls.__name__} {{ border: 1px solid {ERROR_COLOR}; border-radius: 2px; }}"
                if invalid else "")
            break


# Signals that tell a field was edited, in the order they are looked for.
CHANGE_SIGNALS = ("textChanged", "dateChanged", "currentIndexChanged", "valueChanged", "toggled")


def on_edit(widget: QWidget, slot: Callable[[], None]) -> None:
    """Call ``slot`` whenever ``widget`` (or, for a composite, any input inside it) changes."""
    own = _change_signal(widget)
    signals = [own] if own is not None else [
        _change_signal(c) for c in widget.findChildren(QWidget) if not isinstance(c, QScrollBar)]
    for signal in signals:
        if signal is not None:
            signal.connect(lambda *_args: slot())


def _change_signal(widget: QWidget):
    for name in CHANGE_SIGNALS:
        signal = getattr(widget, name, None)
        if signal is not None and hasattr(signal, "connect"):
            return signal
    return None


class FieldError(QLabel):
    """A red message label, hidden while there is nothing to say.

    With ``reserve`` (the default) its line stays reserved while hidden: a dialog does not grow
    or jump when a message appears.
    """

    def __init__(self, parent: QWidget | None = None, *, reserve: bool = True) -> None:
        super().__init__(parent)
        self.setObjectName("field_error")
        self.setWordWrap(True)
        self.setStyleSheet(f"color: {ERROR_COLOR};")
        policy = self.sizePolicy()
        policy.setRetainSizeWhenHidden(reserve)
        self.setSizePolicy(policy)
        self.hide()

    def _line(self) -> int:
        """The height of one line of a Chinese message (the CJK fallback font is taller)."""
        key = self.font().key()
        if key not in _LINE_HEIGHTS:
            layout = QTextLayout("请填写 2026", self.font())
            layout.beginLayout()
            line = layout.createLine()
            layout.endLayout()
            _LINE_HEIGHTS[key] = max(self.fontMetrics().height(), math.ceil(line.height()))
        return _LINE_HEIGHTS[key]

    def sizeHint(self) -> QSize:
        hint = super().sizeHint()
        return QSize(hint.width(), max(hint.height(), self._line()))

    def minimumSizeHint(self) -> QSize:
        hint = super().minimumSizeHint()
        return QSize(hint.width(), max(hint.height(), self._line()))

    def heightForWidth(self, width: int) -> int:
        return max(super().heightForWidth(width), self._line())

    def show_message(self, message: str | None) -> None:
        """Show ``message``; an empty or None message hides the label."""
        if message:
            self.setText(message)
            self.show()
        else:
            self.clear()
            self.hide()

    def message(self) -> str:
        return self.text()


class FieldWithError(QWidget):
    """A field with an optional widget beside it and a red error label under both.

    Args:
        field: the input widget (kept as ``self.field``).
        beside: a widget shown to the right of the field (a unit, a hint).
    """

    def __init__(self, field: QWidget, *, beside: QWidget | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.field = field
        self.error = FieldError()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        if beside is None:
            layout.addWidget(field)
        else:
            row = QHBoxLayout()
            row.setContentsMargins(0, 0, 0, 0)
            row.addWidget(field, 1)
            row.addWidget(beside)
            layout.addLayout(row)
        layout.addWidget(self.error)
        self.setFocusProxy(field)
        on_edit(field, lambda: self.set_error(None) if self.error_message() else None)

    def set_error(self, message: str | None) -> None:
        self.error.show_message(message)
        mark_invalid(self.field, bool(message))

    def error_message(self) -> str:
        return self.error.message()


Target = FieldWithError | FieldError | Callable[[str, str], None]


def _root(path: str) -> str:
    """``parties[1].id_number`` → ``parties``; ``agent.phone`` → ``agent``."""
    for i, ch in enumerate(path):
        if ch in ".[":
            return path[:i]
    return path


class FieldErrors:
    """Routes validation errors to the field each one belongs to.

    A path is matched exactly first, then by its first segment (``mediators[0]`` goes to
    ``mediators``). A callable target receives ``(path, message)``. Errors with no target go to
    the fallback label (all of them, one a line).
    """

    def __init__(self, fallback: FieldError | None = None) -> None:
        self._targets: dict[str, Target] = {}
        self._fallback = fallback
        self._clearers: list[Callable[[], None]] = []

    def add(self, path: str, target: Target, clear: Callable[[], None] | None = None) -> None:
        self._targets[path] = target
        if clear is not None:
            self._clearers.append(clear)

    def clear(self) -> None:
        for target in self._targets.values():
            if isinstance(target, FieldWithError):
                target.set_error(None)
            elif isinstance(target, FieldError):
                target.show_message(None)
        for clear in self._clearers:
            clear()
        if self._fallback is not None:
            self._fallback.show_message(None)

    def target_of(self, path: str) -> Target | None:
        return self._targets.get(path) or self._targets.get(_root(path))

    def show(self, errors: Iterable[ValidationError]) -> list[ValidationError]:
        """Clear old messages, then show these; returns the errors that had no field."""
        self.clear()
        shown: dict[int, list[str]] = {}
        unplaced: list[ValidationError] = []
        for error in errors:
            target = self.target_of(error.path)
            if target is None:
                unplaced.append(error)
            elif isinstance(target, (FieldWithError, FieldError)):
                messages = shown.setdefault(id(target), [])
                if error.message not in messages:
                    messages.append(error.message)
                text = "；".join(messages)
                if isinstance(target, FieldWithError):
                    target.set_error(text)
                else:
                    target.show_message(text)
            else:
                target(error.path, error.message)
        if unplaced and self._fallback is not None:
            self._fallback.show_message("\n".join(e.message for e in unplaced))
        return unplaced

    def first_invalid(self) -> QWidget | None:
        """The first field (in registration order) showing an error, to move the focus to."""
        for target in self._targets.values():
            if isinstance(target, FieldWithError) and target.error_message():
                return target.field
        return None
