"""移交案件: a leaving mediator's cases, one successor chosen per case, handed over at once.

确定 stays disabled until every case has a successor; the service refuses anything else anyway,
and every refusal is shown inside the dialog (a stale checklist is reloaded, choices kept).
"""
from __future__ import annotations

from functools import partial

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from mediator.domain.errors import ConflictError, DomainError, ValidationErrors
from mediator.services.cases.conflicts import ACKNOWLEDGE, AssignmentConflicts
from mediator.services.handover import (
    NOTE_MAX,
    HandoverCase,
    HandoverChecklist,
    HandoverOrder,
    HandoverSummary,
    hand_over,
    handover_checklist,
)
from mediator.ui.env import UiEnv
from mediator.ui.errors import describe, show_error
from mediator.ui.ops import run_op, run_query

HEADERS = ["案号", "当事人", "状态", "下一期限", "到期日", "提示", "接手调解员"]
TARGET_COLUMN = HEADERS.index("接手调解员")
CHOOSE = "请选择…"
RED = QColor("#c62828")


def hints(line: HandoverCase) -> str:
    """What the successor must look at first, in a few words."""
    out = []
    if line.overdue:
        out.append("已逾期")
    if line.review_pending:
        out.append(f"法律顾问{line.review_pending}审查中")
    if line.reminders:
        out.append(f"待办提醒{line.reminders}项")
    if line.co_mediators:
        out.append("另有调解员" + "、".join(line.co_mediators))
    return "；".join(out)


class HandoverDialog(QDialog):
    """Hands over every case still in a mediator's hands; ``summary`` holds the result."""

    def __init__(self, env: UiEnv, mediator_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.env = env
        self.mediator_id = mediator_id
        self.checklist: HandoverChecklist | None = None
        self.summary: HandoverSummary | None = None
        self.combos: list[QComboBox] = []
        self.setWindowTitle("移交案件")
        self.resize(900, 520)

        self.intro = QLabel("正在读取在办案件…")
        self.intro.setWordWrap(True)
        self.table = QTableWidget(0, len(HEADERS))
        self.table.setHorizontalHeaderLabels(HEADERS)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(HEADERS.index("提示"), QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(TARGET_COLUMN, QHeaderView.ResizeMode.Fixed)
        self.table.setColumnWidth(TARGET_COLUMN, 140)  # room for the combo's longest name
        self.all_to = QComboBox()
        self.note = QLineEdit()
        self.note.setMaxLength(NOTE_MAX)
        self.note.setPlaceholderText("如：调往县司法局工作，自12月1日起由接手调解员承办")
        self.deactivate = QCheckBox("同时停用该调解员（不再出现在登记案件等选择列表中）")
        # Shown once the service found a successor who may have to withdraw (回避).
        self.acknowledge = QCheckBox(ACKNOWLEDGE)
        self.acknowledge.setObjectName("acknowledge_conflicts")
        self.acknowledge.hide()
        self.error = QLabel()
        self.error.setObjectName("field_error")
        self.error.setStyleSheet("color: #c62828;")
        self.error.setWordWrap(True)
        self.error.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("确定移交")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")

        form = QFormLayout()
        form.addRow("全部移交给", self.all_to)
        form.addRow("备注", self.note)
        form.addRow("", self.deactivate)
        form.addRow("", self.acknowledge)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.table, 1)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)

        self.all_to.activated.connect(self._on_all_to_activated)
        self.deactivate.toggled.connect(self._update_ok)
        self.buttons.accepted.connect(self._on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)
        self._update_ok()
        self.load()

    # --- loading ------------------------------------------------------------------------------
    def load(self) -> None:
        run_query(self.env, self, partial(handover_checklist, self.env.ctx, self.mediator_id), self._show,
                  on_failure=self._on_load_error)

    def _on_load_error(self, exc: BaseException) -> None:
        if isinstance(exc, DomainError):
            self.intro.setText("无法读取在办案件。")
            self._show_error(describe(exc))
        else:
            show_error(self, exc)

    def _show(self, checklist: HandoverChecklist) -> None:
        chosen = self.assignments()  # kept across a reload after a conflict
        self.checklist = checklist
        count = len(checklist.cases)
        state = "" if checklist.active else "（已停用）"
        if count:
            self.intro.setText(f"调解员{checklist.mediator_name}{state}（{checklist.organization}）"
                               f"尚有{count}件案件未办结，请为每件案件指定接手的调解员。")
        else:
            self.intro.setText(f"调解员{checklist.mediator_name}{state}（{checklist.organization}）"
                               "没有未办结的案件，无需移交；可直接停用。")
        if not checklist.candidates and count:
            self._show_error(f"{checklist.organization}没有其他在用的调解员，请先新增调解员再移交")
        self.all_to.clear()
        self.all_to.addItem(CHOOSE, None)
        for m in checklist.candidates:
            self.all_to.addItem(m.name, m.id)
        self.table.setRowCount(count)
        self.combos = []
        for row, line in enumerate(checklist.cases):
            due = line.next_due.isoformat() if line.next_due else ""
            values = [line.number, line.parties, line.status_label, line.next_deadline, due, hints(line)]
            for column, value in enumerate(values):
                item = QTableWidgetItem(value)
                item.setData(Qt.ItemDataRole.UserRole, line.case_id)
                if line.overdue and column in (3, 4):
                    item.setForeground(RED)
                self.table.setItem(row, column, item)
            combo = QComboBox()
            combo.addItem(CHOOSE, None)
            for m in checklist.candidates:
                combo.addItem(m.name, m.id)
            if chosen.get(line.case_id) is not None:
                combo.setCurrentIndex(max(0, combo.findData(chosen[line.case_id])))
            combo.currentIndexChanged.connect(self._update_ok)
            self.table.setCellWidget(row, TARGET_COLUMN, combo)
            self.combos.append(combo)
        self._update_ok()

    # --- choosing -----------------------------------------------------------------------------
    def _on_all_to_activated(self, index: int) -> None:
        target = self.all_to.itemData(index)
        if target is None:
            return
        for combo in self.combos:
            combo.setCurrentIndex(combo.findData(target))

    def assignments(self) -> dict[int, int | None]:
        if self.checklist is None:
            return {}
        return {line.case_id: combo.currentData()
                for line, combo in zip(self.checklist.cases, self.combos, strict=True)}

    def _update_ok(self) -> None:
        ready = self.checklist is not None and (
            all(target is not None for target in self.assignments().values())
            if self.checklist.cases else self.deactivate.isChecked())
        self.ok_button.setEnabled(bool(ready))

    # --- handing over -------------------------------------------------------------------------
    def order(self) -> HandoverOrder:
        checklist = self.checklist
        assert checklist is not None
        return HandoverOrder(checklist.mediator_id, dict(self.assignments()), note=self.note.text(),
                             deactivate=self.deactivate.isChecked(), versions=checklist.versions,
                             mediator_version=checklist.mediator_version,
                             acknowledge_conflicts=self.acknowledge.isVisibleTo(self) and self.acknowledge.isChecked())

    def _on_buttons_accepted(self) -> None:
        if not self.ok_button.isEnabled():
            return
        self._clear_error()
        self.ok_button.setEnabled(False)
        run_op(self.env, self, partial(hand_over, self.env.ctx, self.order()), on_success=self._on_done,
               on_failure=self._on_error, label="正在移交…")

    def _on_done(self, summary: HandoverSummary) -> None:
        """Moved; ``run_op`` then emits the summary's changes (cases, reminders, mediators)."""
        self.summary = summary
        self.accept()

    def _on_error(self, exc: BaseException) -> None:
        self._update_ok()
        if isinstance(exc, AssignmentConflicts):
            self._show_error(exc.message)
            self.acknowledge.setChecked(False)
            self.acknowledge.show()
        elif isinstance(exc, ValidationErrors):
            self._show_error("\n".join(e.message for e in exc.errors))
        elif isinstance(exc, ConflictError):
            self._show_error(f"{exc.message}\n已重新读取移交清单，请核对后再确定。")
            self.load()
        elif isinstance(exc, DomainError):
            self._show_error(exc.message)
        else:
            show_error(self, exc)

    def _show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()

    def _clear_error(self) -> None:
        self.error.clear()
        self.error.hide()

    def error_text(self) -> str:
        return self.error.text()
