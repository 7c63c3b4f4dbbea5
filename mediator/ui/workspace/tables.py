"""Read-only tables of the workspace tabs, filled from plain rows of text."""
from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableWidget, QTableWidgetItem

from mediator.domain.enums import LabeledEnum


def read_only_table(headers: Sequence[str], *, stretch: int | None = None) -> QTableWidget:
    """A table that selects whole rows and cannot be edited; ``stretch`` column takes the rest."""
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(list(headers))
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setAlternatingRowColors(True)
    table.setWordWrap(False)
    table.verticalHeader().setVisible(False)
    table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 12)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    header.setStretchLastSection(stretch is None)
    if stretch is not None:
        header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    return table


def fill_table(table: QTableWidget, rows: Sequence[Sequence[str]], *,
               tooltips: bool = True, fit: bool = True) -> None:
    """Replace the rows; long cells show their whole text as a tooltip."""
    table.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            item = QTableWidgetItem(text)
            if tooltips and len(text) > 12:
                item.setToolTip(text)
            table.setItem(r, c, item)
    if fit:
        header = table.horizontalHeader()
        for c in range(table.columnCount()):
            if header.sectionResizeMode(c) != header.ResizeMode.Stretch:
                table.resizeColumnToContents(c)
                table.setColumnWidth(c, min(table.columnWidth(c) + 8, 420))


def cell(text: object) -> str:
    """Text of a plain value: None and empty strings become an em dash."""
    if text is None or text == "":
        return "—"
    return str(text)


def label_of(enum: type[LabeledEnum], code: str | None) -> str:
    """The Chinese label of a code (the code itself when unknown, — when empty)."""
    if not code:
        return "—"
    try:
        return enum(code).label
    except ValueError:
        return code


def align_center(table: QTableWidget, column: int) -> None:
    for r in range(table.rowCount()):
        item = table.item(r, column)
        if item is not None:
            item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
