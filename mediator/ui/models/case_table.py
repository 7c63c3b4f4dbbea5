"""The case list as a Qt table model over paged database queries (fetchMore, database sorting)."""
from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from enum import IntEnum
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QFont

from mediator.domain.enums import CaseStatus, Category, Level, RiskLevel, Track
from mediator.services.cases.list_page import CasePage, case_page
from mediator.services.cases.read import CaseFilter, CaseRow
from mediator.services.context import ServiceContext
from mediator.ui.ops import SyncRunner, TaskRunner

PAGE_SIZE = 200
# A load measured faster than this runs inline next time: a worker thread would cost more in GIL
# hand-overs while the view paints than the query itself takes.
INLINE_MS = 40
INDEXED_SORTS = frozenset({"received_on", "number", "level"})
SUMMARY_CHARS = 60
HIGH_RISK = QColor("#c62828")
MEDIUM_RISK = QColor("#b26a00")
OVERDUE_BACKGROUND = QColor("#fdecea")

AnyIndex = QModelIndex | QPersistentModelIndex


class CaseRole(IntEnum):
    """Custom item roles of the case table."""

    CASE_ID = Qt.ItemDataRole.UserRole + 1
    NUMBER = Qt.ItemDataRole.UserRole + 2
    OVERDUE = Qt.ItemDataRole.UserRole + 3


@dataclass(frozen=True)
class Column:
    title: str
    sort_key: str | None  # a key of queries.SORTABLE; None: not sortable
    width: int


COLUMNS: list[Column] = [
    Column("案号", "number", 170),
    Column("收案日期", "received_on", 88),
    Column("当事人", None, 116),
    Column("纠纷类型", "category", 76),
    Column("村（社区）", None, 84),
    Column("调解组织", None, 140),
    Column("调解类型", "track", 70),
    Column("层级", "level", 86),
    Column("风险", "risk_level", 40),
    Column("状态", "status", 110),
    Column("纠纷简要情况", None, 240),
]
(NUMBER, RECEIVED, PARTIES, CATEGORY, VILLAGE, ORGANIZATION, TRACK, LEVEL, RISK, STATUS,
 SUMMARY) = range(11)
DEFAULT_SORT_COLUMN = RECEIVED


CATEGORY_LABELS = dict(Category.choices())
TRACK_LABELS = dict(Track.choices())
LEVEL_LABELS = dict(Level.choices())
RISK_LABELS = dict(RiskLevel.choices())
STATUS_LABELS = dict(CaseStatus.choices())
DISPLAY = Qt.ItemDataRole.DisplayRole.value
FOREGROUND = Qt.ItemDataRole.ForegroundRole.value
BACKGROUND = Qt.ItemDataRole.BackgroundRole.value
FONT = Qt.ItemDataRole.FontRole.value
ALIGNMENT = Qt.ItemDataRole.TextAlignmentRole.value
TOOLTIP = Qt.ItemDataRole.ToolTipRole.value
CENTER = Qt.AlignmentFlag.AlignCenter.value
ROW_FLAGS = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable


def _short(text: str) -> str:
    line = " ".join(text.split())
    return line if len(line) <= SUMMARY_CHARS else line[:SUMMARY_CHARS - 1] + "…"


class CaseTableModel(QAbstractTableModel):
    """Rows of the case list, fetched page by page; sorting and filtering re-query the database.

    The model holds only the rows already loaded; ``data()`` never queries. Loads run through
    the task runner (off the UI thread in the app, inline in tests); an answer to an outdated
    query is dropped.

    Signals:
        total_changed(int): the number of cases matching the filter.
        loading_changed(bool): a load started or ended.
        reset_done(): a new query's first page is shown.
        failed(object): a load raised this exception.
    """

    total_changed = Signal(int)
    loading_changed = Signal(bool)
    reset_done = Signal()
    failed = Signal(object)

    def __init__(self, ctx: ServiceContext, runner: TaskRunner, parent: QObject | None = None, *,
                 page_size: int = PAGE_SIZE) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._runner = runner
        self.page_size = page_size
        self._filter = CaseFilter()
        self._sort_column = DEFAULT_SORT_COLUMN
        self._descending = True
        self._rows: list[CaseRow] = []
        self._overdue: set[int] = set()
        self._total = 0
        self._offset = 0  # rows consumed from the query (may exceed len(_rows) after skips)
        self._generation = 0
        self._loading = False
        self._inline = SyncRunner()
        self._fast = True  # the last load was quick: run the next one inline
        self._overdue_brush = QBrush(OVERDUE_BACKGROUND)
        self._high_brush = QBrush(HIGH_RISK)
        self._medium_brush = QBrush(MEDIUM_RISK)
        self._bold = QFont()
        self._bold.setBold(True)

    # --- the query ------------------------------------------------------------------------
    @property
    def case_filter(self) -> CaseFilter:
        return self._filter

    @property
    def total(self) -> int:
        return self._total

    @property
    def loading(self) -> bool:
        return self._loading

    @property
    def sort_column(self) -> int:
        return self._sort_column

    @property
    def descending(self) -> bool:
        return self._descending

    def set_filter(self, f: CaseFilter) -> None:
        self._filter = f
        self.reload()

    def set_sort(self, column: int, descending: bool) -> None:
        """Order by a sortable column (no query if nothing changes)."""
        if COLUMNS[column].sort_key is None:
            return
        if (column, descending) == (self._sort_column, self._descending):
            return
        self._sort_column, self._descending = column, descending
        self.reload()

    def set_sort_quietly(self, column: int, descending: bool) -> None:
        """Set the order for the next query without running one (restoring saved settings)."""
        if COLUMNS[column].sort_key is not None:
            self._sort_column, self._descending = column, descending

    def reload(self, *, keep_rows: int = 0, on_loaded: Callable[[], None] | None = None) -> None:
        """Re-run the query from the start; ``keep_rows`` loads at least that many rows at once."""
        self._generation += 1
        generation = self._generation
        f, key, descending = self._filter, COLUMNS[self._sort_column].sort_key, self._descending
        limit = max(self.page_size, keep_rows)
        ctx = self._ctx
        # Guess before measuring: word search, overdue and unindexed orders scan the table.
        scans = f.text or f.overdue_on or f.mediator_id or f.risk_level
        self._fast = not scans and key in INDEXED_SORTS

        def load() -> CasePage:
            return case_page(ctx, f, offset=0, limit=limit, sort=key or "received_on",
                             descending=descending, with_total=True)

        def done(page: CasePage) -> None:
            if generation != self._generation:
                return
            self.beginResetModel()
            self._rows = list(page.rows)
            self._offset = len(page.rows)
            self._overdue = set(page.overdue_ids)
            self._total = page.total or 0
            self.endResetModel()
            self._set_loading(False)  # only now: see fetchMore
            self.total_changed.emit(self._total)
            self.reset_done.emit()
            if on_loaded is not None:
                on_loaded()

        self._start(load, done, generation)

    def _start(self, load: Callable[[], CasePage], done: Callable[[CasePage], None],
               generation: int) -> None:
        """Run a load inline when loads of this query are quick, else on the task runner."""
        def timed() -> tuple[CasePage, float]:
            started = time.perf_counter()
            page = load()
            return page, (time.perf_counter() - started) * 1000

        def finish(result: tuple[CasePage, float]) -> None:
            page, elapsed_ms = result
            if generation == self._generation:
                self._fast = elapsed_ms < INLINE_MS
            done(page)

        runner = self._inline if self._fast else self._runner
        self._set_loading(True)
        runner.run(timed, on_done=finish, on_error=lambda e: self._on_load_failed(generation, e))

    def _on_load_failed(self, generation: int, exc: BaseException) -> None:
        if generation != self._generation:
            return
        self._set_loading(False)
        self.failed.emit(exc)

    def _set_loading(self, loading: bool) -> None:
        if loading != self._loading:
            self._loading = loading
            self.loading_changed.emit(loading)

    # --- paging ---------------------------------------------------------------------------
    def canFetchMore(self, parent: AnyIndex = QModelIndex()) -> bool:  # noqa: B008
        if parent.isValid():
            return False
        return not self._loading and self._offset < self._total

    def fetchMore(self, parent: AnyIndex = QModelIndex()) -> None:  # noqa: B008
        if not self.canFetchMore(parent):
            return
        generation = self._generation
        f, key, descending = self._filter, COLUMNS[self._sort_column].sort_key, self._descending
        offset, limit, ctx = self._offset, self.page_size, self._ctx

        def load() -> CasePage:
            return case_page(ctx, f, offset=offset, limit=limit, sort=key or "received_on",
                             descending=descending)

        def done(page: CasePage) -> None:
            if generation != self._generation:
                return
            # Rows written meanwhile may shift pages: never show a case twice.
            known = {r.id for r in self._rows}
            rows = [r for r in page.rows if r.id not in known]
            self._offset += len(page.rows)
            if rows:
                start = len(self._rows)
                self.beginInsertRows(QModelIndex(), start, start + len(rows) - 1)
                self._rows.extend(rows)
                self._overdue |= page.overdue_ids
                self.endInsertRows()
            # The load ends once its rows are in: until endInsertRows (or endResetModel) has told
            # every listener, canFetchMore() is False, so a listener that asks for more cannot
            # start a nested insert before the others have heard of this one.
            self._set_loading(False)
            if not page.rows:
                self._total = self._offset = len(self._rows)  # the table shrank under us
                self.total_changed.emit(self._total)

        self._start(load, done, generation)

    # --- Qt model -------------------------------------------------------------------------
    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal:
            if role == Qt.ItemDataRole.DisplayRole:
                return COLUMNS[section].title
            if role == Qt.ItemDataRole.ToolTipRole:
                return "点击按此列排序" if COLUMNS[section].sort_key else None
            if role == Qt.ItemDataRole.InitialSortOrderRole:
                newest_first = section == RECEIVED
                order = Qt.SortOrder.DescendingOrder if newest_first else Qt.SortOrder.AscendingOrder
                return order.value
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        return ROW_FLAGS if index.isValid() else Qt.ItemFlag.NoItemFlags

    def data(self, index: AnyIndex, role: int = DISPLAY) -> Any:
        # Called thousands of times a repaint: plain int roles, precomputed labels and brushes.
        r = index.row()
        if r < 0 or r >= len(self._rows):
            return None
        row = self._rows[r]
        if role == DISPLAY:
            return self._display(row, index.column())
        if role == FOREGROUND:
            return self._foreground(row, index.column())
        if role == BACKGROUND:
            return self._overdue_brush if row.id in self._overdue else None
        if role == FONT:
            high = index.column() == RISK and row.risk_level == RiskLevel.HIGH.value
            return self._bold if high else None
        if role == ALIGNMENT:
            return CENTER if index.column() in (RECEIVED, RISK) else None
        if role == CaseRole.CASE_ID:
            return row.id
        if role == CaseRole.NUMBER:
            return row.number
        if role == CaseRole.OVERDUE:
            return row.id in self._overdue
        if role == TOOLTIP:
            return self._tooltip(row, index.column())
        return None

    def _display(self, row: CaseRow, column: int) -> str:
        if column == NUMBER:
            return row.number
        if column == RECEIVED:
            return row.received_on.isoformat()
        if column == PARTIES:
            return row.parties
        if column == CATEGORY:
            return CATEGORY_LABELS.get(row.category, row.category)
        if column == VILLAGE:
            return row.village
        if column == ORGANIZATION:
            return row.organization
        if column == TRACK:
            return TRACK_LABELS.get(row.track, row.track)
        if column == LEVEL:
            return LEVEL_LABELS.get(row.level, row.level)
        if column == RISK:
            return RISK_LABELS.get(row.risk_level, row.risk_level)
        if column == STATUS:
            status = STATUS_LABELS.get(row.status, row.status)
            return f"{status}（逾期）" if row.id in self._overdue else status
        return _short(row.summary)

    def _foreground(self, row: CaseRow, column: int) -> QBrush | None:
        if column == RISK or column == NUMBER:
            if row.risk_level == RiskLevel.HIGH.value:
                return self._high_brush
            if column == RISK and row.risk_level == RiskLevel.MEDIUM.value:
                return self._medium_brush
        if column == STATUS and row.id in self._overdue:
            return self._high_brush
        return None

    def _tooltip(self, row: CaseRow, column: int) -> str | None:
        if column == SUMMARY:
            return row.summary
        if column == STATUS and row.id in self._overdue:
            return "有期限已逾期"
        if column == RISK and row.risk_level == RiskLevel.HIGH.value:
            return "高风险纠纷"
        if column in (PARTIES, ORGANIZATION, NUMBER):
            return self._display(row, column)
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self.set_sort(column, order == Qt.SortOrder.DescendingOrder)

    # --- lookups for the view -------------------------------------------------------------
    def case_id_at(self, row: int) -> int | None:
        return self._rows[row].id if 0 <= row < len(self._rows) else None

    def row_of(self, case_id: int) -> int | None:
        for i, row in enumerate(self._rows):
            if row.id == case_id:
                return i
        return None

    def case_row(self, row: int) -> CaseRow:
        return self._rows[row]
