"""卷宗销毁: the dossiers past their 保管期限, the supervised destruction, and the 销毁记录."""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from mediator.domain.retention import DESTRUCTION_METHODS
from mediator.services.safety.retention import (
    DestructionOrder,
    DestructionRow,
    DueDossier,
    destroy_dossiers,
    destruction_list_pdf,
    destruction_records,
    due_for_destruction,
)
from mediator.ui import errors as ui_errors
from mediator.ui.env import UiEnv
from mediator.ui.ops import run_query
from mediator.ui.save_dialog import ask_save_path
from mediator.ui.widgets.overview_bits import (
    MAX_TABLE_ROWS,
    MessageLine,
    fill_table,
    grey_note,
    heading,
    read_only_table,
    row_id,
    selected_id,
)
from mediator.ui.widgets.service_dialog import ServiceDialog

DUE_HEADERS = ["案号", "纠纷类型", "纠纷简要情况", "调解组织", "结案日期", "归档日期", "保管期限", "届满日期"]
RECORD_HEADERS = ["销毁日期", "案号", "纠纷类型", "纠纷简要情况", "归档日期", "保管期限", "届满日期",
                  "销毁方式", "销毁人", "监销人", "批准人/文号", "备注"]
SUMMARY_CHARS = 40


def _short(text: str) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= SUMMARY_CHARS else text[:SUMMARY_CHARS] + "…"


def _day(value: Any) -> str:
    return value.isoformat() if value else ""


class DestroyDialog(ServiceDialog):
    """监销人, 批准人/文号, 销毁方式, 备注; 确定 asks once more, then destroys in one go."""

    def __init__(self, env: UiEnv, dossiers: list[DueDossier], parent: QWidget | None = None) -> None:
        super().__init__(env, "销毁到期卷宗", parent)
        self.dossiers = dossiers
        self.ok_button.setText("销毁")
        numbers = "、".join(d.number for d in dossiers[:5]) + ("等" if len(dossiers) > 5 else "")
        self.count_label = self.add_info("销毁卷宗", f"共{len(dossiers)}件：{numbers}")
        self.count_label.setObjectName("destroy_count")
        self.destroyer = self.add_info("销毁人", env.ctx.actor)
        self.supervisor = self.add_field("supervisor", "监销人", QLineEdit())
        self.supervisor.setPlaceholderText("另一名工作人员，不能是销毁人本人")
        self.approved_by = self.add_field("approved_by", "批准人/批准文号", QLineEdit())
        self.approved_by.setPlaceholderText("如：张某某 或 城关司法所〔2037〕1号")
        self.method = self.add_field("method", "销毁方式", QComboBox())
        for method in DESTRUCTION_METHODS:
            self.method.addItem(method, method)
        self.note = self.add_field("note", "备注", QPlainTextEdit())
        self.note.setTabChangesFocus(True)
        self.note.setFixedHeight(self.note.fontMetrics().lineSpacing() * 3 + 14)
        self.form.addRow("", grey_note("销毁后案件及其全部记录、附件从系统中删除，不能恢复；"
                                       "系统保留销毁记录并写入审计日志。"))

    def task(self) -> Callable[[], Any]:
        order = DestructionOrder(case_ids=[d.case_id for d in self.dossiers],
                                 supervisor=self.supervisor.text().strip(),
                                 approved_by=self.approved_by.text().strip(),
                                 method=self.method.currentData(), note=self.note.toPlainText().strip())
        ctx = self.env.ctx
        return lambda: destroy_dossiers(ctx, order)

    def _on_buttons_accepted(self) -> None:
        question = (f"确定销毁这{len(self.dossiers)}件卷宗吗？\n"
                    "案件及其全部记录、附件将从系统中删除，不能恢复。")
        if ui_errors.ask(self, "销毁卷宗", question):
            super()._on_buttons_accepted()


class RetentionPage(QWidget):
    """到期卷宗 (tick, then 销毁…) above, 销毁记录 below."""

    def __init__(self, env: UiEnv, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.env = env
        self.due: list[DueDossier] = []
        self.records: list[DestructionRow] = []
        self.dialog: DestroyDialog | None = None
        self.due_table = read_only_table(DUE_HEADERS, stretch=2)
        self.due_table.setObjectName("retention_due")
        self.record_table = read_only_table(RECORD_HEADERS, stretch=3)
        self.record_table.setObjectName("retention_records")
        self.due_count = QLabel()
        self.record_count = QLabel()
        self.select_all = QPushButton("全选")
        self.select_none = QPushButton("全不选")
        self.refresh_button = QPushButton("刷新")
        self.destroy_button = QPushButton("销毁…")
        self.destroy_button.setToolTip("销毁勾选的到期卷宗（须填写监销人和批准人）")
        self.list_button = QPushButton("销毁清册…")
        self.list_button.setToolTip("保存所选记录那一次销毁的清册（PDF），供销毁人、监销人签名归档")
        self.message = MessageLine()
        self._layout()
        self.select_all.clicked.connect(lambda _=False: self.set_all_checked(True))
        self.select_none.clicked.connect(lambda _=False: self.set_all_checked(False))
        self.refresh_button.clicked.connect(lambda _=False: self.refresh())
        self.destroy_button.clicked.connect(lambda _=False: self.destroy_checked())
        self.list_button.clicked.connect(lambda _=False: self.save_list())
        self.due_table.itemChanged.connect(lambda _item: self._update_buttons())
        self.record_table.itemSelectionChanged.connect(self._update_buttons)
        env.signals.cases_changed.connect(self._on_cases_changed)
        self._stale = True  # loaded when first shown: the query walks every archived case
        self._update_buttons()

    def _layout(self) -> None:
        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        bar = QHBoxLayout()
        bar.addWidget(heading("保管期限届满的卷宗"))
        bar.addWidget(self.due_count)
        bar.addStretch(1)
        for button in (self.select_all, self.select_none, self.refresh_button, self.destroy_button):
            bar.addWidget(button)
        top_layout.addLayout(bar)
        top_layout.addWidget(grey_note("保管期限按纠纷类型在“系统”页的办公设置中设定，自归档之日起计算。"
                                       "勾选要销毁的卷宗，纸质卷宗销毁后在此登记。"))
        top_layout.addWidget(self.due_table, 1)
        bottom = QWidget()
        bottom_layout = QVBoxLayout(bottom)
        bottom_layout.setContentsMargins(0, 0, 0, 0)
        bar = QHBoxLayout()
        bar.addWidget(heading("销毁记录"))
        bar.addWidget(self.record_count)
        bar.addStretch(1)
        bar.addWidget(self.list_button)
        bottom_layout.addLayout(bar)
        bottom_layout.addWidget(self.record_table, 1)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(top)
        splitter.addWidget(bottom)
        splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.addWidget(heading("卷宗销毁", 14))
        layout.addWidget(splitter, 1)
        layout.addWidget(self.message)

    # --- loading --------------------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            self.refresh()

    def refresh(self) -> None:
        self._stale = False
        ctx = self.env.ctx
        run_query(self.env, self, lambda: (due_for_destruction(ctx), destruction_records(ctx)), self._show)

    def _on_cases_changed(self, _ids: list) -> None:
        self._stale = True
        if self.isVisible():
            self.refresh()

    def _show(self, result: tuple[list[DueDossier], list[DestructionRow]]) -> None:
        self.due, self.records = result
        self.due_table.blockSignals(True)
        fill_table(self.due_table, [
            (d.number, d.category_label, _short(d.summary), d.organization, _day(d.closed_on),
             _day(d.archived_on), d.period_label, _day(d.due_on)) for d in self.due],
            ids=[d.case_id for d in self.due])
        for row in range(self.due_table.rowCount()):
            item = self.due_table.item(row, 0)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
        self.due_table.blockSignals(False)
        shown = min(len(self.due), MAX_TABLE_ROWS)
        self.due_count.setText(f"共{len(self.due)}件" + (f"（显示前{shown}件）" if shown < len(self.due) else ""))
        fill_table(self.record_table, [
            (_day(r.destroyed_on), r.case_number, r.category_label, _short(r.summary), _day(r.archived_on),
             r.retention_label, _day(r.due_on), r.method, r.destroyed_by, r.supervisor, r.approved_by,
             r.note) for r in self.records], ids=[r.id for r in self.records])
        self.record_count.setText(f"共{len(self.records)}件")
        self._update_buttons()

    # --- selecting and destroying -----------------------------------------------------------------

    def checked(self) -> list[DueDossier]:
        by_id = {d.case_id: d for d in self.due}
        out = []
        for row in range(self.due_table.rowCount()):
            item = self.due_table.item(row, 0)
            if item is not None and item.checkState() == Qt.CheckState.Checked:
                out.append(by_id[row_id(self.due_table, row)])
        return out

    def set_all_checked(self, checked: bool) -> None:
        state = Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked
        self.due_table.blockSignals(True)
        for row in range(self.due_table.rowCount()):
            self.due_table.item(row, 0).setCheckState(state)
        self.due_table.blockSignals(False)
        self._update_buttons()

    def _update_buttons(self) -> None:
        count = len(self.checked())
        self.destroy_button.setEnabled(count > 0)
        self.destroy_button.setText(f"销毁（{count}件）…" if count else "销毁…")
        self.select_all.setEnabled(bool(self.due))
        self.select_none.setEnabled(count > 0)
        self.list_button.setEnabled(selected_id(self.record_table) is not None)

    def destroy_checked(self) -> None:
        """Open the destruction dialog for the ticked dossiers (non-blocking: ``open``)."""
        dossiers = self.checked()
        if not dossiers:
            self.message.refused("请先勾选要销毁的卷宗")
            return
        self.message.clear_message()
        self.dialog = DestroyDialog(self.env, dossiers, self)
        self.dialog.accepted.connect(lambda: self._destroyed([d.case_id for d in dossiers]))
        self.dialog.open()

    def _destroyed(self, case_ids: list[int]) -> None:
        self.dialog = None  # the write's changes then say cases_changed: every list drops them
        self.message.done(f"已销毁{len(case_ids)}件卷宗，销毁记录已登记")

    def save_list(self, path: str | None = None) -> None:
        """Save the 销毁清册 of the selected record's destruction as a PDF."""
        record_id = selected_id(self.record_table)
        if record_id is None:
            self.message.refused("请先在销毁记录中选择一条")
            return
        record = next(r for r in self.records if r.id == record_id)
        if path is None:
            path = ask_save_path(
                self.env.settings, self, "保存销毁清册",
                f"卷宗销毁清册{record.destroyed_on.isoformat()}.pdf", "PDF 文件 (*.pdf)", ".pdf")
        if not path:
            return
        ctx = self.env.ctx
        run_query(self.env, self, lambda: Path(path).write_bytes(destruction_list_pdf(ctx, record_id).data),
                  lambda _n: self.message.done(f"已保存销毁清册：{path}"), label="正在生成…")
