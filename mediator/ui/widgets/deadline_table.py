"""A table of open case deadlines; activating a row (double-click, Enter) asks to open its case."""
from __future__ import annotations

from datetime import date

from PySide6.QtCore import QModelIndex, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QTableWidget

from mediator.services.cases.open_deadlines import DeadlineRow
from mediator.ui.widgets.overview_bits import RED, configure_read_only, fill_table, row_id

TODAY = QColor("#e65100")
COLUMNS = ["案号", "事项", "到期日", "剩余", "当事人", "案件状态", "调解组织"]


class DeadlineTable(QTableWidget):
    """Rows carry their case id; overdue rows are red, those due today orange.

    Signals:
        case_requested(int): a row was activated; the id of its case.
    """

    case_requested = Signal(int)

    def __init__(self) -> None:
        super().__init__()
        configure_read_only(self, COLUMNS, stretch=4)
        self.rows: list[DeadlineRow] = []
        self.activated.connect(self._on_self_activated)

    def load(self, rows: list[DeadlineRow]) -> None:
        self.rows = list(rows)
        fill_table(self, [(r.number, r.label, r.due.isoformat(), r.days_text, r.parties,
                           r.status_label, r.organization) for r in rows],
                   ids=[r.case_id for r in rows],
                   colors=[RED if r.days_left < 0 else TODAY if r.days_left == 0 else None
                           for r in rows])

    def case_id_at(self, row: int) -> int | None:
        return row_id(self, row)

    def _on_self_activated(self, index: QModelIndex) -> None:
        case_id = self.case_id_at(index.row())
        if case_id is not None:
            self.case_requested.emit(int(case_id))


def order_for_workbench(rows: list[DeadlineRow], on: date, warn_days: int) -> list[DeadlineRow]:
    """Overdue and due today first, then due within ``warn_days``; later ones are left out."""
    urgent = [r for r in rows if r.due <= on]
    soon = [r for r in rows if on < r.due and r.days_left <= warn_days]
    return sorted(urgent, key=lambda r: (r.due, r.number)) + sorted(soon, key=lambda r: (r.due, r.number))
