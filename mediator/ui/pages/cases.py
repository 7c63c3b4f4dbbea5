"""The 案件 page: the filtered case list in its first tab, one closable tab per open case."""
from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QModelIndex, QSignalBlocker, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMainWindow,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from mediator.domain.errors import DomainError
from mediator.domain.permissions import Permission
from mediator.services.cases.list_page import case_heading
from mediator.services.cases.read import CaseFilter
from mediator.ui.env import UiEnv
from mediator.ui.errors import ask, show_error
from mediator.ui.models.case_table import COLUMNS, DEFAULT_SORT_COLUMN, CaseRole, CaseTableModel
from mediator.ui.widgets.case_filters import CaseFilterBar

log = logging.getLogger("mediator")

SORT_KEY = "cases/sort"
KEEP_ROWS_MAX = 2000  # a refresh reloads at most this many rows to keep the position


class CasesPage(QWidget):
    """The case list with filters, and the open cases as tabs.

    Args:
        env: services, user, signals, runner and settings.
    """

    def _fit_number_column(self, *_args) -> None:
        metrics = self.table.fontMetrics()
        widest = max((metrics.horizontalAdvance(str(self.model.index(r, 0).data() or ""))
                      for r in range(self.model.rowCount())), default=0)
        header = self.table.horizontalHeader()
        header.resizeSection(0, max(COLUMNS[0].width, widest + 24))

    def __init__(self, env: UiEnv, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.env = env
        self._stale = False
        self.model = CaseTableModel(env.ctx, env.runner, self)
        self._build()
        self._restore_sort()
        self._connect()
        self.model.set_filter(self.filters.current_filter())

    # --- building -------------------------------------------------------------------------
    def _build(self) -> None:
        self.filters = CaseFilterBar(self.env.ctx, self.env.settings)
        self.total_label = QLabel("共0件")
        self.total_label.setObjectName("case_total")
        self.status_label = QLabel("")
        self.status_label.setStyleSheet("color: #666;")
        self.new_button = QPushButton("新建案件")
        self.new_button.setToolTip("登记一件新的纠纷（Ctrl+N）")
        self.refresh_button = QPushButton("刷新")
        self.refresh_button.setToolTip("重新读取案件列表（F5）")
        info = QHBoxLayout()
        info.addWidget(self.total_label)
        info.addWidget(self.status_label)
        info.addStretch(1)
        info.addWidget(self.refresh_button)
        info.addWidget(self.new_button)
        self.new_button.setVisible(self.env.can(Permission.CASE_REGISTER))

        self.table = QTableView()
        self.table.setObjectName("case_table")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.table.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.table.setSortingEnabled(False)  # the header asks the database instead
        rows = self.table.verticalHeader()
        rows.setVisible(False)
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(self.table.fontMetrics().height() + 10)
        header = self.table.horizontalHeader()
        header.setSectionsClickable(True)
        header.setSortIndicatorShown(True)
        header.setHighlightSections(False)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setMinimumSectionSize(36)
        for i, column in enumerate(COLUMNS[:-1]):
            header.resizeSection(i, column.width)
        header.setStretchLastSection(True)  # the summary takes what is left
        # 案号 is read whole: the column grows to the longest number shown (never narrower).
        self.model.modelReset.connect(self._fit_number_column)
        self.model.rowsInserted.connect(self._fit_number_column)

        list_tab = QWidget()
        list_layout = QVBoxLayout(list_tab)
        list_layout.setContentsMargins(8, 8, 8, 8)
        list_layout.setSpacing(6)
        list_layout.addWidget(self.filters)
        list_layout.addLayout(info)
        list_layout.addWidget(self.table, 1)

        self.tabs = QTabWidget()
        self.tabs.setObjectName("case_tabs")
        self.tabs.setTabsClosable(True)
        self.tabs.setMovable(False)
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(list_tab, "案件列表")
        bar = self.tabs.tabBar()
        for side in (bar.ButtonPosition.LeftSide, bar.ButtonPosition.RightSide):
            button = bar.tabButton(0, side)
            bar.setTabButton(0, side, None)  # the list stays
            if button is not None:  # a button taken off stays a hidden child unless deleted
                button.setParent(None)
                button.deleteLater()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tabs)

        self.close_shortcut = QShortcut(QKeySequence(QKeySequence.StandardKey.Close), self)
        self.close_shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)

    def _connect(self) -> None:
        self.filters.changed.connect(self._on_filters_changed)
        self.model.total_changed.connect(self._on_model_total_changed)
        self.model.loading_changed.connect(self._on_model_loading_changed)
        self.model.failed.connect(self._on_model_failed)
        self.table.activated.connect(self._on_table_activated)
        header = self.table.horizontalHeader()
        header.sortIndicatorChanged.connect(self._on_header_sort_indicator_changed)
        self.tabs.tabCloseRequested.connect(self._on_tabs_tab_close_requested)
        self.new_button.clicked.connect(self.new_case)
        self.refresh_button.clicked.connect(self.refresh)
        self.close_shortcut.activated.connect(self._on_close_shortcut_activated)
        self.env.signals.cases_changed.connect(self._on_signals_cases_changed)
        self.env.signals.reference_changed.connect(self._on_signals_reference_changed)

    def _restore_sort(self) -> None:
        raw = str(self.env.settings.value(SORT_KEY, "") or "")
        column, descending = DEFAULT_SORT_COLUMN, True
        try:
            col, order = raw.split(",")
            if 0 <= int(col) < len(COLUMNS) and COLUMNS[int(col)].sort_key:
                column, descending = int(col), order == "desc"
        except ValueError:
            pass
        self.model.set_sort_quietly(column, descending)
        self._show_sort_indicator()

    def _show_sort_indicator(self) -> None:
        order = Qt.SortOrder.DescendingOrder if self.model.descending else Qt.SortOrder.AscendingOrder
        header = self.table.horizontalHeader()
        with QSignalBlocker(header):
            header.setSortIndicator(self.model.sort_column, order)

    # --- what others call -----------------------------------------------------------------
    def open_case(self, case_id: int) -> None:
        """Show the case in its own tab (the existing tab if it is open)."""
        index = self._tab_of(case_id)
        if index is not None:
            self.tabs.setCurrentIndex(index)
            return
        try:
            heading = case_heading(self.env.ctx, case_id)
            widget = self._workspace(case_id)
        except DomainError as exc:
            show_error(self, exc)
            return
        widget.setProperty("case_id", case_id)
        index = self.tabs.addTab(widget, heading.number)
        self.tabs.setTabToolTip(index, f"{heading.number}（{heading.status_label}）")
        close = self.tabs.tabBar().tabButton(index, self.tabs.tabBar().ButtonPosition.RightSide)
        if close is not None:  # Qt's own button says “Close Tab” where its translation lacks it
            close.setToolTip(f"关闭{heading.number}")
            close.setAccessibleName("关闭")
        self.tabs.setCurrentIndex(index)

    def new_case(self) -> None:
        """Register a new case in the dialog, then list and open it."""
        if not self.env.can(Permission.CASE_REGISTER):
            return
        from mediator.ui.dialogs.new_case import NewCaseDialog  # built on first use: a quicker start

        dialog = NewCaseDialog(self.env, parent=self)
        try:
            accepted = dialog.exec() == QDialog.DialogCode.Accepted.value
            case_id = getattr(dialog, "case_id", None)
        finally:
            dialog.deleteLater()
        if accepted and case_id:
            self.refresh()
            self.open_case(int(case_id))

    def apply_filter(self, f: CaseFilter) -> None:
        """Show the list with ``f`` (drill-down from the workbench, the map or the reports).

        The filter bar shows what it can; the list uses the whole filter (an organisation too).
        """
        self.tabs.setCurrentIndex(0)
        self.filters.set_filter(f)
        self.model.set_filter(f)

    def focus_search(self) -> None:
        self.tabs.setCurrentIndex(0)
        self.filters.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.filters.search.selectAll()

    def refresh(self) -> None:
        """Re-read the list (keeping the selected case and scroll position) and the open case."""
        self.refresh_list()
        current = self.current_workspace()
        if current is not None and hasattr(current, "refresh"):
            current.refresh()

    def refresh_list(self) -> None:
        """Re-read only the list, keeping the selected case and the scroll position."""
        self._stale = False
        selected = self.selected_case_id()
        scroll = self.table.verticalScrollBar().value()

        def restore() -> None:
            if selected is not None:
                row = self.model.row_of(selected)
                if row is not None:
                    self.table.selectRow(row)
            self.table.verticalScrollBar().setValue(scroll)

        self.model.reload(keep_rows=min(self.model.rowCount(), KEEP_ROWS_MAX), on_loaded=restore)

    def on_shown(self) -> None:
        if self._stale:
            self.refresh()

    def save(self) -> None:
        self._forward("save", "保存")

    def print_(self) -> None:
        self._forward("print_", "打印")

    def current_workspace(self) -> QWidget | None:
        return self.tabs.currentWidget() if self.tabs.currentIndex() > 0 else None

    def selected_case_id(self) -> int | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.case_id_at(rows[0].row()) if rows else None

    def open_case_ids(self) -> list[int]:
        return [self.tabs.widget(i).property("case_id") for i in range(1, self.tabs.count())]

    # --- helpers --------------------------------------------------------------------------
    def _workspace(self, case_id: int) -> QWidget:
        from mediator.ui.workspace.case_workspace import CaseWorkspace  # built on first use

        return CaseWorkspace(self.env, case_id)

    def _tab_of(self, case_id: int) -> int | None:
        for i in range(1, self.tabs.count()):
            if self.tabs.widget(i).property("case_id") == case_id:
                return i
        return None

    def _forward(self, method: str, verb: str) -> None:
        handler = getattr(self.current_workspace(), method, None)
        if handler is not None:
            handler()
            return
        window = self.window()
        if isinstance(window, QMainWindow):
            window.statusBar().showMessage(f"请先打开一个案件再{verb}", 3000)

    def _retitle_tabs(self, case_ids: list[int]) -> None:
        for i in range(1, self.tabs.count()):
            case_id = self.tabs.widget(i).property("case_id")
            if case_ids and case_id not in case_ids:
                continue
            try:
                heading = case_heading(self.env.ctx, case_id)
            except DomainError:
                continue
            self.tabs.setTabText(i, heading.number)
            self.tabs.setTabToolTip(i, f"{heading.number}（{heading.status_label}）")

    # --- slots ----------------------------------------------------------------------------
    def _on_filters_changed(self, f: CaseFilter) -> None:
        self.model.set_filter(f)

    def _on_model_total_changed(self, total: int) -> None:
        text = f"共{total}件"
        if total == 0 and self.filters.is_filtered():
            text += "，没有符合筛选条件的案件"
        self.total_label.setText(text)

    def _on_model_loading_changed(self, loading: bool) -> None:
        self.status_label.setText("正在加载…" if loading else "")

    def _on_model_failed(self, exc: BaseException) -> None:
        show_error(self, exc)

    def _on_table_activated(self, index: QModelIndex) -> None:
        case_id = index.data(CaseRole.CASE_ID)
        if case_id is not None:
            self.open_case(int(case_id))

    def _on_header_sort_indicator_changed(self, column: int, order: Qt.SortOrder) -> None:
        if COLUMNS[column].sort_key is None:
            self._show_sort_indicator()  # not sortable: keep the current order shown
            return
        descending = order == Qt.SortOrder.DescendingOrder
        self.env.settings.setValue(SORT_KEY, f"{column},{'desc' if descending else 'asc'}")
        self.model.set_sort(column, descending)

    def _on_tabs_tab_close_requested(self, index: int) -> None:
        if index <= 0:
            return
        widget = self.tabs.widget(index)
        is_dirty: Any = getattr(widget, "is_dirty", None)
        if callable(is_dirty) and is_dirty():
            self.tabs.setCurrentIndex(index)
            if not ask(self, "关闭案件", "此案件有未保存的修改，关闭后修改将丢失。确定关闭吗？"):
                return
        self.tabs.removeTab(index)
        widget.deleteLater()

    def _on_close_shortcut_activated(self) -> None:
        self._on_tabs_tab_close_requested(self.tabs.currentIndex())

    def _on_signals_cases_changed(self, case_ids: list) -> None:
        self._retitle_tabs(list(case_ids))
        if self.isVisible():
            self.refresh_list()
        else:
            self._stale = True

    def _on_signals_reference_changed(self) -> None:
        self.filters.refresh_choices()
