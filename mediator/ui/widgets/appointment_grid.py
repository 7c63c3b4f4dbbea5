"""聘任一览: villages (rows) against advisors (columns); each cell shows that pair's term."""
from __future__ import annotations

from datetime import date

from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from mediator.services.advisors.registry import AppointmentGrid, AppointmentInfo

FIXED_COLUMNS = ["乡镇（街道）", "村（社区）", "在聘法律顾问"]
STATE_COLORS = {"在聘": "#e3f2e5", "即将届满": "#fff1d6", "未开始": "#e3eef9", "已届满": "#f1f1f1"}
RED = QColor("#c62828")


def cell_appointment(terms: list[AppointmentInfo], on: date) -> AppointmentInfo | None:
    """The term a cell stands for: the running one, else the next, else the latest."""
    if not terms:
        return None
    running = [t for t in terms if t.start <= on <= t.end]
    future = sorted((t for t in terms if t.start > on), key=lambda t: t.start)
    return (running or future or sorted(terms, key=lambda t: t.end, reverse=True))[0]


def cell_text(term: AppointmentInfo, on: date) -> str:
    state = term.state(on)
    deputy = "·副主任" if term.legal_deputy else ""
    if state == "未开始":
        return f"{term.start:%Y-%m-%d}起{deputy}"
    if state == "已届满":
        return f"已届满（{term.end:%Y-%m-%d}）"
    return f"至{term.end:%Y-%m-%d}{deputy}"  # the colour tells 在聘 from 即将届满


class AppointmentGridView(QWidget):
    """The village × advisor table with buttons to appoint and to end a term.

    The page owns the buttons' actions; this widget only shows and tells what is selected.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.grid: AppointmentGrid | None = None
        self.on: date | None = None
        self.table = QTableWidget()
        self.table.setObjectName("appointment_grid")
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(26)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.add_button = QPushButton("新增聘任…")
        self.add_button.setToolTip("为所选村（社区）聘任所选列的法律顾问")
        self.end_button = QPushButton("调整聘期…")
        self.end_button.setToolTip("结束或调整所选单元格的聘任")
        legend = QLabel("　".join(f"<span style='background:{c}'>&nbsp;{s}&nbsp;</span>"
                                 for s, c in STATE_COLORS.items()))
        bar = QHBoxLayout()
        bar.addWidget(self.add_button)
        bar.addWidget(self.end_button)
        bar.addStretch(1)
        bar.addWidget(legend)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(self.table, 1)
        self.table.itemSelectionChanged.connect(self._on_table_item_selection_changed)
        self._on_table_item_selection_changed()

    def show_grid(self, grid: AppointmentGrid, on: date) -> None:
        self.grid, self.on = grid, on
        t = self.table
        t.clear()
        t.setColumnCount(len(FIXED_COLUMNS) + len(grid.advisors))
        t.setHorizontalHeaderLabels(FIXED_COLUMNS + [f"{name}（停用）" if a_id in grid.inactive else name
                                                     for a_id, name in grid.advisors])
        t.setRowCount(len(grid.villages))
        for r, v in enumerate(grid.villages):
            current = [cell_appointment(grid.cells.get((v.id, a_id), []), on) for a_id, _ in grid.advisors]
            serving = [name for (a_id, name), term in zip(grid.advisors, current, strict=True)
                       if term is not None and term.is_primary and term.start <= on <= term.end
                       and a_id not in grid.inactive]
            for c, text in enumerate([v.township, v.name, "、".join(serving) or "无"]):
                item = QTableWidgetItem(text)
                if not serving:
                    item.setForeground(QBrush(RED))
                t.setItem(r, c, item)
            for c, term in enumerate(current, start=len(FIXED_COLUMNS)):
                item = QTableWidgetItem(cell_text(term, on) if term else "")
                if term is not None:
                    item.setBackground(QBrush(QColor(STATE_COLORS[term.state(on)])))
                    item.setToolTip(f"{term.advisor} — {term.village}\n聘期 {term.start.isoformat()} 至 "
                                    f"{term.end.isoformat()}" + ("\n兼任法治副主任" if term.legal_deputy else ""))
                t.setItem(r, c, item)
        self._on_table_item_selection_changed()

    def selected_village(self) -> tuple[int, str | None] | None:
        """(id, code) of the row's village."""
        index = self.table.currentIndex()
        if self.grid is None or not index.isValid() or not self.table.selectedItems():
            return None
        v = self.grid.villages[index.row()]
        return v.id, v.code

    def selected_advisor(self) -> int | None:
        index = self.table.currentIndex()
        if self.grid is None or not index.isValid() or index.column() < len(FIXED_COLUMNS):
            return None
        return self.grid.advisors[index.column() - len(FIXED_COLUMNS)][0]

    def selected_appointment(self) -> AppointmentInfo | None:
        village, advisor_id = self.selected_village(), self.selected_advisor()
        if village is None or advisor_id is None:
            return None
        return cell_appointment(self.grid.cells.get((village[0], advisor_id), []), self.on)

    def select_cell(self, village_id: int, advisor_id: int) -> None:
        rows = [v.id for v in self.grid.villages]
        cols = [a for a, _ in self.grid.advisors]
        self.table.setCurrentCell(rows.index(village_id), len(FIXED_COLUMNS) + cols.index(advisor_id))

    def _on_table_item_selection_changed(self) -> None:
        self.end_button.setEnabled(self.selected_appointment() is not None)
