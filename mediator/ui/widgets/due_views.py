"""Views of the reminder centre: a month calendar with the number due per day, the due table and
the table of cases with no next step."""
from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, QLocale, QModelIndex, QRect, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter
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


def badge_label(count: int) -> str:
    return str(count) if count < 10 else "9+"


def badge_rect(cell: QRect, text: QRect, width: int, height: int) -> QRect | None:
    """Where a badge of ``width`` × ``height`` goes in ``cell`` without covering the day number.

    Top right when the number leaves room beside it, else bottom right, else under the number;
    None when the cell is too small for any of them (the count is then not drawn at all).
    """
    gap = 1
    right = cell.right() - width
    candidates = [QRect(right, cell.top() + 2, width, height),
                  QRect(right, cell.bottom() - height - 1, width, height),
                  QRect(cell.center().x() - width // 2, text.bottom() + gap + 1, width, height)]
    inside = cell.adjusted(1, 1, -1, -1)
    for badge in candidates:
        if inside.contains(badge) and not badge.adjusted(-gap, -gap, gap, gap).intersects(text):
            return badge
    return None


class DueCalendar(QCalendarWidget):
    """A month calendar that paints how many reminders fall due on each day (red: overdue).

    The count is a small badge in the corner of the cell, beside the day number, never over it.
    ``painted`` keeps, per day, the badge and day-number rectangles of the last paint (in the
    coordinates of the calendar's table viewport).
    """

    def __init__(self) -> None:
        super().__init__()
        self.setGridVisible(True)
        self.setLocale(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
        self.setVerticalHeaderFormat(QCalendarWidget.VerticalHeaderFormat.NoVerticalHeader)
        self.setMinimumSize(340, 250)  # cells wide enough for a badge beside a two-digit day
        self.counts: dict[date, int] = {}
        self.on: date | None = None
        self.painted: dict[date, tuple[QRect, QRect]] = {}

    def set_counts(self, counts: dict[date, int], on: date) -> None:
        self.counts, self.on = dict(counts), on
        self.painted = {}
        self.updateCells()

    def count_on(self, day: date) -> int:
        return self.counts.get(day, 0)

    def paintCell(self, painter: QPainter, rect: QRect, day: QDate) -> None:
        super().paintCell(painter, rect, day)
        count = self.counts.get(day.toPython(), 0)
        if not count:
            return
        # The day number as the calendar draws it: centred in the cell in the painter's font.
        text = painter.fontMetrics().boundingRect(rect, Qt.AlignmentFlag.AlignCenter, str(day.day()))
        font = QFont(painter.font())
        font.setPointSize(7)
        font.setBold(True)
        label = badge_label(count)
        metrics = QFontMetrics(font)
        height = metrics.height() + 1
        badge = badge_rect(rect, text, max(height, metrics.horizontalAdvance(label) + 6), height)
        if badge is None:
            return
        self.painted[day.toPython()] = (QRect(badge), QRect(text))
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        overdue = self.on is not None and day.toPython() < self.on
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(RED if overdue else BLUE)
        painter.drawRoundedRect(badge, height / 2, height / 2)
        painter.setFont(font)
        painter.setPen(QColor("white"))
        painter.drawText(badge, Qt.AlignmentFlag.AlignCenter, label)
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
