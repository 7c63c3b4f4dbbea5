"""Small pieces the overview pages share: headings, grey notes, read-only tables, message lines."""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QLabel, QTableWidget, QTableWidgetItem

RED = QColor("#c62828")
GREY = QColor("#777777")
ID_ROLE = Qt.ItemDataRole.UserRole


def heading(text: str, size: int = 11) -> QLabel:
    label = QLabel(text)
    font = label.font()
    font.setPointSize(size)
    font.setBold(True)
    label.setFont(font)
    return label


def grey_note(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setStyleSheet("color: #777;")
    return label


class MessageLine(QLabel):
    """One line telling the result of the last action: green for done, red for refused."""

    def __init__(self) -> None:
        super().__init__()
        self.setWordWrap(True)
        self.hide()

    def done(self, text: str) -> None:
        self._show(text, "#2e7d32")

    def refused(self, text: str) -> None:
        self._show(text, "#c62828")

    def clear_message(self) -> None:
        self.clear()
        self.hide()

    def _show(self, text: str, color: str) -> None:
        self.setStyleSheet(f"color: {color};")
        self.setText(text)
        self.show()


def read_only_table(headers: Sequence[str], *, stretch: int | None = None) -> QTableWidget:
    """A table of whole rows, not editable, sorted as given; ``stretch`` column takes spare room."""
    return configure_read_only(QTableWidget(), headers, stretch=stretch)


def configure_read_only(table: QTableWidget, headers: Sequence[str], *,
                        stretch: int | None = None) -> QTableWidget:
    table.setColumnCount(len(headers))
    table.setHorizontalHeaderLabels(list(headers))
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setAlternatingRowColors(True)
    table.setStyleSheet("QTableView::item { padding: 0px 8px; }")
    table.verticalHeader().setVisible(False)
    table.verticalHeader().setDefaultSectionSize(26)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setHighlightSections(False)
    if stretch is not None:
        header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    else:
        header.setStretchLastSection(True)
    return table


MAX_TABLE_ROWS = 500


def fill_table(table: QTableWidget, rows: Sequence[Sequence[Any]], *,
               ids: Sequence[Any] | None = None, colors: Sequence[QColor | None] | None = None,
               bold: Sequence[bool] | None = None) -> None:
    """Replace the table's rows; ``ids[i]`` is stored on every cell of row i under ``ID_ROLE``.

    At most ``MAX_TABLE_ROWS`` rows are shown (the most urgent come first): item tables grow
    quadratically with resize-to-contents, and a county holds tens of thousands of deadlines.
    """
    rows = rows[:MAX_TABLE_ROWS]
    table.setSortingEnabled(False)
    # Resize-to-contents columns re-measure every row on each setItem (quadratic: 37 s for 11,000
    # cells at start-up); measure once, after the fill.
    header = table.horizontalHeader()
    modes = [header.sectionResizeMode(c) for c in range(table.columnCount())]
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    try:
        _fill(table, rows, ids, colors, bold)
    finally:
        for c, mode in enumerate(modes):
            header.setSectionResizeMode(c, mode)


def _fill(table: QTableWidget, rows: Sequence[Sequence[Any]], ids: Sequence[Any] | None,
          colors: Sequence[QColor | None] | None, bold: Sequence[bool] | None) -> None:
    table.clearContents()
    table.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            item = QTableWidgetItem("" if value is None else str(value))
            if isinstance(value, int) and not isinstance(value, bool):
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            if ids is not None:
                item.setData(ID_ROLE, ids[r])
            if colors is not None and colors[r] is not None:
                item.setForeground(colors[r])
            if bold is not None and bold[r]:
                font = QFont(item.font())
                font.setBold(True)
                item.setFont(font)
            table.setItem(r, c, item)


def row_id(table: QTableWidget, row: int) -> Any:
    item = table.item(row, 0)
    return None if item is None else item.data(ID_ROLE)


def selected_id(table: QTableWidget) -> Any:
    rows = table.selectionModel().selectedRows()
    return row_id(table, rows[0].row()) if rows else None
