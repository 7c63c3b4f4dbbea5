"""The 流转记录 tab: the case timeline (全流程追踪) and its deadlines."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QGroupBox, QSplitter, QVBoxLayout, QWidget

from mediator.domain.case_detail import CaseDetail, DeadlineEntry, TimelineEntry
from mediator.domain.enums import CaseStatus, DeadlineState
from mediator.ui.workspace.tables import cell, fill_table, label_of, read_only_table

STATE_COLORS = {"overdue": "#c62828", "open": "#1565c0", "met": "#2e7d32", "void": "#888888"}


def status_change(event: TimelineEntry) -> str:
    """``已受理 → 调解中``; one label when the status stayed."""
    before, after = event.from_status, event.to_status
    if before and after and before == after:
        return label_of(CaseStatus, after)
    return f"{label_of(CaseStatus, before) if before else '—'} → {label_of(CaseStatus, after)}"


def timeline_row(event: TimelineEntry) -> list[str]:
    return [cell(event.on), event.label, status_change(event), cell(event.actor),
            cell(event.note), "导入" if event.imported else ""]


def deadline_row(d: DeadlineEntry) -> list[str]:
    return [d.label, cell(d.start), cell(d.due), label_of(DeadlineState, d.state),
            cell(d.moved_reason), cell(d.basis)]


class HistoryTab(QWidget):
    """Every move of the case, oldest first, above the deadlines it has had."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.timeline_table = read_only_table(["日期", "事项", "状态", "办理人", "说明", "来源"], stretch=4)
        self.deadline_table = read_only_table(["期限", "起算日", "届满日", "状态", "顺延说明", "依据"],
                                              stretch=5)
        splitter = QSplitter(Qt.Orientation.Vertical)
        for title, table in (("流转记录", self.timeline_table), ("办理期限", self.deadline_table)):
            box = QGroupBox(title)
            inner = QVBoxLayout(box)
            inner.addWidget(table)
            splitter.addWidget(box)
        splitter.setSizes([320, 180])
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)

    def load(self, detail: CaseDetail) -> None:
        fill_table(self.timeline_table, [timeline_row(e) for e in detail.timeline])
        fill_table(self.deadline_table, [deadline_row(d) for d in detail.deadlines])
        for r, d in enumerate(detail.deadlines):
            item = self.deadline_table.item(r, 3)
            item.setForeground(QBrush(QColor(STATE_COLORS.get(d.state, "#333333"))))
