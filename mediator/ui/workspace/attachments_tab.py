"""The 附件 tab: files kept with the case (with their SHA-256), added, opened and removed."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from mediator.domain.errors import ValidationError, ValidationErrors
from mediator.services.cases import attachments
from mediator.services.cases.attachments import AttachmentInfo
from mediator.services.changes import OpChanges
from mediator.services.context import SHANGHAI
from mediator.ui import errors as ui_errors
from mediator.ui.env import UiEnv
from mediator.ui.ops import run_op, run_query
from mediator.ui.workspace.tables import fill_table, read_only_table


def human_size(size: int) -> str:
    if size < 1024:
        return f"{size} B"
    if size < 1024 * 1024:
        return f"{size / 1024:.1f} KB"
    return f"{size / 1024 / 1024:.1f} MB"


class AttachmentsTab(QWidget):
    """Lists the case's files; 添加…, 打开 and 删除 call ``mediator.services.cases.attachments``.

    Signals:
        changed(): a file was added or removed (the case timeline has a new entry).
    """

    changed = Signal()

    def __init__(self, env: UiEnv, case_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.env = env
        self.case_id = case_id
        self.files: list[AttachmentInfo] = []
        self.table = read_only_table(["文件名", "大小", "文件校验值", "添加人", "添加时间"], stretch=0)
        self.add_button = QPushButton("添加…")
        self.add_button.setObjectName("add_attachment")
        self.open_button = QPushButton("打开")
        self.open_button.setObjectName("open_attachment")
        self.remove_button = QPushButton("删除")
        self.remove_button.setObjectName("remove_attachment")
        self.count_label = QLabel()
        self.count_label.setStyleSheet("color: #666;")
        buttons = QHBoxLayout()
        buttons.addWidget(self.count_label)
        buttons.addStretch(1)
        for button in (self.add_button, self.open_button, self.remove_button):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addWidget(self.table, 1)
        self.add_button.clicked.connect(self._on_add_button_clicked)
        self.open_button.clicked.connect(self.open_selected)
        self.remove_button.clicked.connect(self.remove_selected)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.table.itemDoubleClicked.connect(lambda _item: self.open_selected())
        self._update_buttons()

    # --- list -------------------------------------------------------------------------------
    def load(self, files: list[AttachmentInfo]) -> None:
        self.files = list(files)
        fill_table(self.table, [
            [f.filename, human_size(f.size), f.sha256[:12] + "…", f.added_by,
             f.added_at.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M")]
            for f in self.files])
        for r, f in enumerate(self.files):
            self.table.item(r, 2).setToolTip(f.sha256)
        self.count_label.setText(f"共{len(self.files)}个附件" if self.files else "尚无附件。")
        self._update_buttons()

    def refresh(self) -> None:
        ctx, case_id = self.env.ctx, self.case_id
        run_query(self.env, self, lambda: attachments.list_attachments(ctx, case_id), self.load)

    def selected(self) -> AttachmentInfo | None:
        rows = self.table.selectionModel().selectedRows()
        return self.files[rows[0].row()] if rows else None

    def _update_buttons(self) -> None:
        has = self.selected() is not None
        self.open_button.setEnabled(has)
        self.remove_button.setEnabled(has)

    # --- add --------------------------------------------------------------------------------
    def _on_add_button_clicked(self) -> None:
        paths, _filter = QFileDialog.getOpenFileNames(self, "添加附件", "", "所有文件 (*)")
        if paths:
            self.add_files(paths)

    def add_files(self, paths: list[str]) -> None:
        """Store the files with the case; files refused (too big, duplicate) are reported together."""
        ctx, case_id = self.env.ctx, self.case_id

        refused: list[ValidationError] = []

        def add() -> OpChanges:
            changes = OpChanges()
            for path in paths:  # each file on its own: a refused one does not stop the others
                try:
                    changes |= attachments.add_attachment(ctx, case_id, path)
                except ValidationError as exc:
                    refused.append(ValidationError(exc.path, f"{Path(path).name}：{exc.message}"))
            return changes

        run_op(self.env, self, add, on_success=lambda _c: self._on_files_added(refused),
               label="正在添加附件…")

    def _on_files_added(self, refused: list[ValidationError]) -> None:
        self.refresh()
        self.changed.emit()
        if refused:
            ui_errors.show_error(self, ValidationErrors(refused))

    # --- open and remove --------------------------------------------------------------------
    def open_selected(self) -> None:
        info = self.selected()
        if info is None:
            return
        ctx = self.env.ctx
        run_query(self.env, self, lambda: attachments.export_attachment(ctx, info.id), self._on_exported)

    def _on_exported(self, path: Path) -> None:
        if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))):
            ui_errors.inform(self, "无法打开附件", f"没有可以打开该文件的程序。文件已导出到：\n{path}")

    def remove_selected(self) -> None:
        info = self.selected()
        if info is None:
            return
        if not ui_errors.ask(self, "删除附件", f"确定删除附件“{info.filename}”吗？删除后不能恢复。"):
            return
        ctx = self.env.ctx
        run_op(self.env, self, lambda: attachments.remove_attachment(ctx, info.id),
               on_success=self._on_removed)

    def _on_removed(self, _result: object) -> None:
        self.refresh()
        self.changed.emit()
