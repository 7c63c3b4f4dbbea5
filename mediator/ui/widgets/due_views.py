"""Views of the reminder centre: a month calendar with the number due per day, the due table and
the table of cases with no next step."""
from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, QLocale, QModelIndex, QRect, Qt, Signal
from PySide6.QtGui import QColor, QFont, QPainter
from PySide6.QtWidgets import QCalendarWidget, QHeaderView, QTableWidget

from mediator.services.reminders.due import DueItem, StalledCase
from mediator.ui.widgets.overview_bits import RED, configure_read_only, fill_table, row_id

ORANGE = QColor("#e65100")
BLUE = QColor("#1565c0")
DUE_COLUMNS = ["案号/对象", "事项", "到期日", "剩余", "当事人", "村（社区）"]
KIND, DUE, PARTIES = 1, 2, 4
STALLED_COLUMNS = ["案号", "状态", "当事人", "村（社区）", "调解员", "收案日期", "最近办理", "搁置"]


def qdate(d: date) -> QDate:
    return QDate(d.year, d.month, d.day)


class DueCalendar(QCalendarWidget):
    """A month calendar that paints how many reminders fall due on each day (red: overdue)."""

    def __init__(self) -> None:
        super().__init__()
        self.setGridVisible(True)
        self.setLocale(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
        self.setVerticalHeaderFormat(QCalendarWidget.VerticalHeaderFormat.NoVerticalHeader)
        self.setMinimumSize(310, 240)
        self.counts: dict[date, int] = {}
        self.on: date | None = None

    def set_counts(self, counts: dict[date, int], on: date) -> None:
        self.counts, self.on = dict(counts), on
        self.updateCells()

    def count_on(self, day: date) -> int:
        return self.counts.get(day, 0)

    def paintCell(self, painter: QPainter, rect: QRect, day: QDate) -> None:
        super().paintCell(painter, rect, day)
        count = self.counts.get(day.toPython(), 0)
        if not count:
            return
        painter.save()
        overdue = self.on is not None and day.toPython() < self.on
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(RED if overdue else BLUE)
        side = min(16, rect.height() // 2)
        badge = QRect(rect.right() - side - 1, rect.top() + 1, side, side)
        painter.drawEllipse(badge)
        font = QFont(painter.font())
        font.setPointSize(7)
        font.setBold(True)
        painter.setFont(font)
        painter.setPen(QColor("white"))
        painter.drawText(badge, Qt.AlignmentFlag.AlignCenter, str(count) if count < 100 else "99+")
        painter.restore()


class DueTable(QTableWidget):
    """Due reminders; overdue rows red, those due today orange; rows carry the reminder key.

    Signals:
        case_requested(int): a row of a case was activated (double-click or Enter).
    """

    case_requested = Signal(int)

    def __init__(self) -> None:
        super().__init__()
        configure_read_only(self, DUE_COLUMNS, stretch=PARTIES)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        header = self.horizontalHeader()
        header.setSectionResizeMode(PARTIES + 1, QHeaderView.ResizeMode.Interactive)  # village
        header.resizeSection(PARTIES + 1, 96)
        self.items: list[DueItem] = []
        self.activated.connect(self._on_self_activated)

    def load(self, items: list[DueItem]) -> None:
        self.items = list(items)
        fill_table(self, [(i.case_number or i.target, i.kind_label,
                           i.due.isoformat() + ("（顺延）" if i.moved else ""),
                           i.days_text + ("（推迟后到期）" if i.snoozed_until else ""),
                           i.parties, i.village) for i in self.items],
                   ids=[i.key for i in self.items],
                   colors=[RED if i.overdue else ORANGE if i.days_left == 0 else None
                           for i in self.items])
        for r, item in enumerate(self.items):
            for c in (KIND, DUE):  # the rule, and the whole text of a rest-day move
                cell = self.item(r, c)
                if cell is not None:
                    cell.setToolTip(describe(item))

    def selected_item(self) -> DueItem | None:
        rows = self.selectionModel().selectedRows()
        if not rows:
            return None
        key = row_id(self, rows[0].row())
        return next((i for i in self.items if i.key == key), None)

    def _on_self_activated(self, index: QModelIndex) -> None:
        key = row_id(self, index.row())
        item = next((i for i in self.items if i.key == key), None)
        if item is not None and item.case_id is not None:
            self.case_requested.emit(item.case_id)


def describe(item: DueItem) -> str:
    """The rule of the deadline and, when it was moved off a rest day, why."""
    text = f"{item.kind_label}：{item.basis}" if item.basis else item.kind_label
    if item.moved_reason:
        text += f"。{item.moved_reason}"
    if item.snoozed_until:
        text += f"。曾推迟到{item.snoozed_until.isoformat()}"
    if item.mediators:
        text += f"。调解员：{item.mediators}"
    return text


class StalledTable(QTableWidget):
    """Open cases with no next step; activating a row asks to open the case.

    Signals:
        case_requested(int): the id of the case of the activated row.
    """

    case_requested = Signal(int)

    def __init__(self) -> None:
        super().__init__()
        configure_read_only(self, STALLED_COLUMNS, stretch=2)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.horizontalHeader().setSectionResizeMode(4, QHeaderView.ResizeMode.Interactive)
        self.horizontalHeader().resizeSection(4, 110)  # mediators
        self.rows: list[StalledCase] = []
        self.activated.connect(self._on_self_activated)

    def load(self, rows: list[StalledCase]) -> None:
        self.rows = list(rows)
        fill_table(self, [(r.number, r.status_label, r.parties, r.village, r.mediators,
                           r.received_on.isoformat(),
                           r.last_step_on.isoformat() if r.last_step_on else "",
                           f"{r.idle_days}天" if r.idle_days is not None else "") for r in self.rows],
                   ids=[r.case_id for r in self.rows])

    def selected_case(self) -> int | None:
        rows = self.selectionModel().selectedRows()
        return row_id(self, rows[0].row()) if rows else None

    def _on_self_activated(self, index: QModelIndex) -> None:
        case_id = row_id(self, index.row())
        if case_id is not None:
            self.case_requested.emit(int(case_id))
