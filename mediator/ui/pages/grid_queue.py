"""待分流 (the township's page, 所长/管理员): the grid reports waiting to be handled; each one is
dispatched to an organisation and its mediators (分派: a case is registered) or resolved inside
the grid (网格内化解) with a short record of how."""
from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from mediator.domain.enums import Category
from mediator.domain.grid import Urgency
from mediator.services.cases.conflicts import ACKNOWLEDGE, AssignmentConflicts
from mediator.services.grid import dispatch
from mediator.services.grid.rows import GridReportRow
from mediator.services.places.choices import Choice, mediators, organizations
from mediator.ui.env import UiEnv
from mediator.ui.errors import show_error
from mediator.ui.ops import run_op, run_query
from mediator.ui.pages.grid_reports import validation_errors
from mediator.ui.widgets.field_error import FieldError
from mediator.ui.widgets.overview_bits import GREY, RED, MessageLine, fill_table, read_only_table, selected_id

HEADERS = ["上报日期", "紧急程度", "村（社区）", "网格", "当事人", "事件", "状态", "网格员"]


def report_html(row: GridReportRow) -> str:
    def p(label: str, text: str) -> str:
        return f"<p><span style='color:#666'>{label}：</span>{escape(text or '—')}</p>"
    return (f"<h3>{escape(row.village)}{escape(row.grid)}　{escape(row.urgency_label)}</h3>"
            + p("上报", f"{row.reported_by}于{row.reported_on.isoformat()}上报") + p("当事人", row.parties)
            + p("联系电话", row.phone) + p("事发地点", row.place) + p("事件简要情况", row.summary)
            + p("状态", row.status_label) + (p("处理结果", row.result) if row.result else ""))


class GridQueuePage(QWidget):
    def __init__(self, env: UiEnv, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.env = env
        self.rows: list[GridReportRow] = []
        self.org_choices: list[Choice] = []
        self.pending_only = QCheckBox("只看待分流")
        self.pending_only.setChecked(True)
        self.count = QLabel()
        self.table = read_only_table(HEADERS, stretch=5)
        self.table.setObjectName("grid_queue_table")
        self.detail = QTextBrowser()
        self.organization = QComboBox()
        self.organization.setObjectName("grid_dispatch_organization")
        self.mediator_list = QListWidget()
        self.mediator_list.setObjectName("grid_dispatch_mediators")
        self.mediator_list.setMaximumHeight(110)
        self.category = QComboBox()
        for c in Category:
            self.category.addItem(c.label, c)
        self.category.setCurrentIndex(self.category.findData(Category.OTHER))
        self.dispatch_button = QPushButton("分派")
        self.dispatch_error = FieldError()
        # Shown once a dispatch was refused for a possible 回避: the 所长 decides, knowingly.
        self.acknowledge = QCheckBox(ACKNOWLEDGE)
        self.acknowledge.setObjectName("grid_dispatch_acknowledge")
        self.acknowledge.setVisible(False)
        self.note = QPlainTextEdit()
        self.note.setTabChangesFocus(True)
        self.note.setPlaceholderText("如何化解：谁做了什么工作，双方怎样达成一致")
        self.note.setFixedHeight(self.note.fontMetrics().lineSpacing() * 3 + 14)
        self.resolve_button = QPushButton("网格内化解")
        self.resolve_error = FieldError()
        self.message = MessageLine()
        self._layout()
        self.pending_only.toggled.connect(lambda _on: self.refresh())
        self.table.itemSelectionChanged.connect(self._on_selection_changed)
        self.table.itemDoubleClicked.connect(lambda _item: self.open_case())
        self.organization.currentIndexChanged.connect(lambda _i: self._fill_mediators())
        self.dispatch_button.clicked.connect(lambda _=False: self.dispatch())
        self.resolve_button.clicked.connect(lambda _=False: self.resolve())
        env.signals.reference_changed.connect(self._fill_organizations)
        env.signals.cases_changed.connect(self._on_cases_changed)  # a dispatched case moved
        self._fill_organizations()
        self.refresh()

    def _layout(self) -> None:
        bar = QHBoxLayout()
        bar.addWidget(self.pending_only)
        bar.addStretch(1)
        bar.addWidget(self.count)
        send = QGroupBox("分派（登记为案件，交调解组织办理）")
        form = QFormLayout(send)
        form.addRow("调解组织", self.organization)
        form.addRow("调解员", self.mediator_list)
        form.addRow("纠纷类型", self.category)
        row = QHBoxLayout()
        row.addWidget(self.dispatch_error, 1)
        row.addWidget(self.acknowledge)
        row.addWidget(self.dispatch_button)
        form.addRow(row)
        settle = QGroupBox("网格内化解（小事不出网格）")
        settle_layout = QVBoxLayout(settle)
        settle_layout.addWidget(self.note)
        row = QHBoxLayout()
        row.addWidget(self.resolve_error, 1)
        row.addWidget(self.resolve_button)
        settle_layout.addLayout(row)
        side = QWidget()
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(0, 0, 0, 0)
        side_layout.addWidget(self.detail, 1)
        side_layout.addWidget(send)
        side_layout.addWidget(settle)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.table)
        splitter.addWidget(side)
        splitter.setSizes([640, 480])
        splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.message)

    # --- choices ------------------------------------------------------------------------------
    def _fill_organizations(self) -> None:
        ctx = self.env.ctx
        run_query(self.env, self, lambda: organizations(ctx), self._show_organizations)

    def _show_organizations(self, choices: list[Choice]) -> None:
        self.org_choices = choices
        current = self.organization.currentText()
        self.organization.blockSignals(True)
        self.organization.clear()
        self.organization.addItem("请选择调解组织", None)
        for c in choices:
            self.organization.addItem(c.name, c.id)
        found = self.organization.findText(current)
        self.organization.setCurrentIndex(max(found, 0))
        self.organization.blockSignals(False)
        row = self.current()
        if row is not None and row.pending:
            self._suggest_organization(row)  # the list may arrive after the queue (threads)
        self._fill_mediators()

    def _fill_mediators(self) -> None:
        org_id = self.organization.currentData()
        if org_id is None:
            self.mediator_list.clear()
            return
        ctx = self.env.ctx
        run_query(self.env, self, lambda: mediators(ctx, org_id), self._show_mediators)

    def _show_mediators(self, choices: list[Choice]) -> None:
        self.mediator_list.clear()
        for c in choices:
            item = QListWidgetItem(c.name)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.mediator_list.addItem(item)

    def chosen_mediators(self) -> list[str]:
        return [self.mediator_list.item(i).text() for i in range(self.mediator_list.count())
                if self.mediator_list.item(i).checkState() == Qt.CheckState.Checked]

    # --- the queue ----------------------------------------------------------------------------
    def _on_cases_changed(self, _ids: list) -> None:
        if self.isVisible():  # hidden, it reloads when shown
            self.refresh()

    def on_shown(self) -> None:
        self.refresh()  # reports and their cases move on other desks too

    def refresh(self) -> None:
        ctx, pending = self.env.ctx, self.pending_only.isChecked()
        run_query(self.env, self, lambda: dispatch.grid_queue(ctx, pending_only=pending), self._show)

    def _show(self, rows: list[GridReportRow]) -> None:
        previous = selected_id(self.table)
        self.rows = rows
        fill_table(self.table, [(r.reported_on.isoformat(), r.urgency_label, r.village, r.grid, r.parties,
                                 r.summary, r.status_label, r.reported_by) for r in rows],
                   ids=[r.id for r in rows],
                   colors=[RED if r.urgency == Urgency.URGENT.value and r.pending else
                           None if r.pending else GREY for r in rows])
        self.count.setText(f"待分流{sum(r.pending for r in rows)}件")
        ids = [r.id for r in rows]
        if ids:
            self.table.selectRow(ids.index(previous) if previous in ids else 0)
        self._on_selection_changed()

    def open_case(self) -> None:
        """Double-click: the case a dispatched report became (the main window opens it)."""
        row = self.current()
        if row is not None and row.case_id is not None:
            self.env.signals.open_case_requested.emit(row.case_id)

    def current(self) -> GridReportRow | None:
        report_id = selected_id(self.table)
        return next((r for r in self.rows if r.id == report_id), None)

    def _on_selection_changed(self) -> None:
        row = self.current()
        pending = row is not None and row.pending
        for widget in (self.organization, self.mediator_list, self.category, self.dispatch_button,
                       self.note, self.resolve_button):
            widget.setEnabled(pending)
        self.dispatch_error.show_message(None)
        self.resolve_error.show_message(None)
        self.acknowledge.setChecked(False)
        self.acknowledge.setVisible(False)
        if row is None:
            self.detail.setHtml("<p style='color:#888'>没有待分流的网格上报。</p>")
        else:
            self.detail.setHtml(report_html(row))
            if pending:
                self._suggest_organization(row)

    def _suggest_organization(self, row: GridReportRow) -> None:
        """The village's own committee first (大事不出社区), while nothing else is chosen."""
        if self.organization.currentData() is not None:
            return
        local = next((c for c in self.org_choices if c.parent_id == row.village_id), None)
        if local is not None:
            self.organization.setCurrentIndex(self.organization.findData(local.id))

    # --- acts ---------------------------------------------------------------------------------
    def dispatch(self) -> None:
        row = self.current()
        if row is None or not row.pending:
            return
        self.message.clear_message()
        self.dispatch_error.show_message(None)
        org = self.organization.currentText() if self.organization.currentData() is not None else ""
        names, category, ctx = self.chosen_mediators(), Category(self.category.currentData()), self.env.ctx
        acknowledged = not self.acknowledge.isHidden() and self.acknowledge.isChecked()
        run_op(self.env, self,
               lambda: dispatch.dispatch_report(ctx, row.id, org, names, category=category,
                                                expected_version=row.version,
                                                acknowledge_conflicts=acknowledged),
               on_success=lambda _c: self._dispatched(org),
               on_failure=lambda exc: self._failed(exc, self.dispatch_error), label="正在分派…")

    def resolve(self) -> None:
        row = self.current()
        if row is None or not row.pending:
            return
        self.message.clear_message()
        self.resolve_error.show_message(None)
        ctx, note = self.env.ctx, self.note.toPlainText()
        run_op(self.env, self,
               lambda: dispatch.resolve_in_grid(ctx, row.id, note, expected_version=row.version),
               on_success=lambda _c: self._resolved(), on_failure=lambda exc: self._failed(exc, self.resolve_error))

    def _dispatched(self, org: str) -> None:
        self.message.done(f"已分派给{org}，已登记为案件")
        self.refresh()

    def _resolved(self) -> None:
        self.note.clear()
        self.message.done("已记录为网格内化解")
        self.refresh()

    def _failed(self, exc: BaseException, target: FieldError) -> None:
        errors = validation_errors(exc)
        if isinstance(exc, AssignmentConflicts) or any(isinstance(e, AssignmentConflicts) for e in errors or ()):
            self.acknowledge.setVisible(True)
        if errors is None:
            show_error(self, exc, on_reload=self.refresh)
            return
        target.show_message("；".join(e.message for e in errors))
