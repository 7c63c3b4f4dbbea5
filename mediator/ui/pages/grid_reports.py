"""网格上报 (a 网格员's page): 上报事件 with the short form, and the list of their reports with the
status, the result and the party's satisfaction (评价反馈)."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from mediator.domain.enums import Satisfaction
from mediator.domain.errors import ValidationError, ValidationErrors
from mediator.domain.grid import Urgency
from mediator.services.grid import intake
from mediator.services.grid.rows import GridReportRow
from mediator.ui.env import UiEnv
from mediator.ui.errors import show_error
from mediator.ui.ops import run_op, run_query
from mediator.ui.widgets.field_error import FieldError, FieldErrors, FieldWithError
from mediator.ui.widgets.overview_bits import GREY, RED, MessageLine, fill_table, heading, read_only_table, selected_id

HEADERS = ["上报日期", "紧急程度", "当事人", "事发地点", "状态", "案号", "处理结果", "满意度"]


def _lines(widget: QPlainTextEdit, n: int) -> QPlainTextEdit:
    widget.setTabChangesFocus(True)
    widget.setFixedHeight(widget.fontMetrics().lineSpacing() * n + 14)
    return widget


def validation_errors(exc: BaseException) -> list[ValidationError] | None:
    if isinstance(exc, ValidationErrors):
        return exc.errors
    if isinstance(exc, ValidationError):
        return [exc]
    return None


class GridReportsPage(QWidget):
    """The 网格员's reports: the short form above, their list below, feedback on the selected one."""

    def __init__(self, env: UiEnv, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.env = env
        self.rows: list[GridReportRow] = []
        self.parties = QLineEdit()
        self.parties.setPlaceholderText("姓名，多人用顿号分隔，如：张三、李四")
        self.phone = QLineEdit()
        self.phone.setPlaceholderText("当事人联系电话（可不填）")
        self.place = QLineEdit()
        self.place.setPlaceholderText("事发地点，如：一组张家门前")
        self.summary = _lines(QPlainTextEdit(), 3)
        self.summary.setPlaceholderText("发生了什么：起因、争执的事情、现在的情况")
        self.urgency = QComboBox()
        for u in Urgency:
            self.urgency.addItem(u.label, u)
        self.report_button = QPushButton("上报事件")
        self.report_button.setDefault(True)
        self.form_error = FieldError()
        self.fields = {name: FieldWithError(widget) for name, widget in (
            ("parties", self.parties), ("phone", self.phone), ("place", self.place),
            ("summary", self.summary), ("urgency", self.urgency))}
        self.errors = FieldErrors(self.form_error)
        for name, field in self.fields.items():
            self.errors.add(name, field)

        self.table = read_only_table(HEADERS, stretch=6)
        self.table.setObjectName("grid_reports_table")
        self.satisfaction = QComboBox()
        self.satisfaction.addItem("请选择满意度", None)
        for s in Satisfaction:
            self.satisfaction.addItem(s.label, s)
        self.feedback_note = QLineEdit()
        self.feedback_note.setPlaceholderText("回访情况（可不填）")
        self.feedback_button = QPushButton("记录评价")
        self.feedback_error = FieldError()
        self.message = MessageLine()
        self._layout()
        self.report_button.clicked.connect(lambda _=False: self.submit())
        self.feedback_button.clicked.connect(lambda _=False: self.save_feedback())
        self.table.itemSelectionChanged.connect(self._on_selection_changed)
        self.table.itemDoubleClicked.connect(lambda _item: self.open_case())
        env.signals.cases_changed.connect(self._on_cases_changed)  # a dispatched case moved
        self.refresh()

    def _layout(self) -> None:
        form = QFormLayout()
        form.addRow("当事人", self.fields["parties"])
        form.addRow("联系电话", self.fields["phone"])
        form.addRow("事发地点", self.fields["place"])
        form.addRow("事件简要情况", self.fields["summary"])
        form.addRow("紧急程度", self.fields["urgency"])
        buttons = QHBoxLayout()
        buttons.addWidget(self.form_error, 1)
        buttons.addWidget(self.report_button)
        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.addWidget(heading("上报事件"))
        top_layout.addLayout(form)
        top_layout.addLayout(buttons)
        feedback = QHBoxLayout()
        feedback.addWidget(self.satisfaction)
        feedback.addWidget(self.feedback_note, 1)
        feedback.addWidget(self.feedback_button)
        bottom = QWidget()
        bottom_layout = QVBoxLayout(bottom)
        bottom_layout.setContentsMargins(0, 0, 0, 0)
        bottom_layout.addWidget(heading("我的上报"))
        bottom_layout.addWidget(self.table, 1)
        bottom_layout.addLayout(feedback)
        bottom_layout.addWidget(self.feedback_error)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(top)
        splitter.addWidget(bottom)
        splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 10, 16, 10)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.message)

    # --- the list -----------------------------------------------------------------------------
    def _on_cases_changed(self, _ids: list) -> None:
        if self.isVisible():  # hidden, it reloads when shown
            self.refresh()

    def on_shown(self) -> None:
        self.refresh()  # reports and their cases move on other desks too

    def refresh(self) -> None:
        ctx = self.env.ctx
        run_query(self.env, self, lambda: intake.my_reports(ctx), self._show)

    def _show(self, rows: list[GridReportRow]) -> None:
        previous = selected_id(self.table)
        self.rows = rows
        fill_table(self.table, [(r.reported_on.isoformat(), r.urgency_label, r.parties, r.place,
                                 r.status_label, r.case_number, r.result, r.satisfaction_label)
                                for r in rows],
                   ids=[r.id for r in rows],
                   colors=[RED if r.urgency == Urgency.URGENT.value and r.pending else
                           GREY if r.satisfaction else None for r in rows])
        ids = [r.id for r in rows]
        if previous in ids:
            self.table.selectRow(ids.index(previous))
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
        handled = row is not None and not row.pending
        for widget in (self.satisfaction, self.feedback_note, self.feedback_button):
            widget.setEnabled(handled)
        self.feedback_error.show_message(None)

    # --- 上报事件 -------------------------------------------------------------------------------
    def submit(self) -> None:
        self.errors.clear()
        self.message.clear_message()
        data = intake.GridReportInput(parties=self.parties.text(), phone=self.phone.text() or None,
                                      place=self.place.text(), summary=self.summary.toPlainText(),
                                      urgency=Urgency(self.urgency.currentData()))
        ctx = self.env.ctx
        run_op(self.env, self, lambda: intake.report_event(ctx, data),
               on_success=lambda _c: self._reported(), on_failure=self._failed, label="正在上报…")

    def _reported(self) -> None:
        for widget in (self.parties, self.phone, self.place):
            widget.clear()
        self.summary.clear()
        self.urgency.setCurrentIndex(0)
        self.message.done("已上报，等待乡镇（街道）分流办理")
        self.refresh()

    def _failed(self, exc: BaseException) -> None:
        errors = validation_errors(exc)
        if errors is None:
            show_error(self, exc, on_reload=self.refresh)
            return
        self.errors.show(errors)

    # --- 评价反馈 -------------------------------------------------------------------------------
    def save_feedback(self) -> None:
        row = self.current()
        if row is None:
            return
        code = self.satisfaction.currentData()
        if code is None:
            self.feedback_error.show_message("请选择当事人的满意度")
            return
        satisfaction = Satisfaction(code)
        ctx, note = self.env.ctx, self.feedback_note.text()
        run_op(self.env, self,
               lambda: intake.record_feedback(ctx, row.id, satisfaction, note, expected_version=row.version),
               on_success=lambda _c: self._rated(satisfaction), on_failure=self._feedback_failed)

    def _rated(self, satisfaction: Satisfaction) -> None:
        self.satisfaction.setCurrentIndex(0)
        self.feedback_note.clear()
        self.message.done(f"已记录评价：{satisfaction.label}")
        self.refresh()

    def _feedback_failed(self, exc: BaseException) -> None:
        errors = validation_errors(exc)
        if errors is None:
            show_error(self, exc, on_reload=self.refresh)
            return
        self.feedback_error.show_message("；".join(e.message for e in errors))
