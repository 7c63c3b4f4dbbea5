"""文书 → 编辑: a form edited as a list of blocks, fields named in Chinese, previewed as it is typed.

Left the blocks (上移/下移/隐藏), in the middle the selected block's texts with 「字段」 and the
插入字段 list, right the form printed on the sample case (refreshed shortly after each edit).
保存 keeps the form in the office's database (with its history) for every PC of the office;
恢复默认 brings the shipped form back; 导出/导入 write and read the form file itself.
"""
from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QBrush, QColor, QSyntaxHighlighter, QTextCharFormat
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from mediator.domain.errors import DomainError
from mediator.services.documents import forms as library
from mediator.services.documents import office_forms
from mediator.services.documents.form_editing import (
    CONDITION_NOTE,
    FIELD_LIST,
    READ_ONLY,
    TYPE_NOTES,
    EditableBlock,
    EditableForm,
    EditError,
    FormError,
    block_errors,
    editable_form,
    editable_toml,
    save_editable,
)
from mediator.ui import errors as ui_errors
from mediator.ui.env import UiEnv
from mediator.ui.ops import run_query
from mediator.ui.widgets.overview_bits import MessageLine, grey_note
from mediator.ui.widgets.pdf_view import PdfPreview

PREVIEW_DELAY_MS = 700  # the preview is redrawn this long after the last edit
RED = "#c62828"
GREY = QColor("#999999")


class _FieldHighlighter(QSyntaxHighlighter):
    """「fields」 in blue, 〔conditions〕 grey on a light background: what the program fills in."""

    def __init__(self, document) -> None:
        super().__init__(document)
        self.field = QTextCharFormat()
        self.field.setForeground(QColor("#1565c0"))
        self.condition = QTextCharFormat()
        self.condition.setForeground(QColor("#6d4c41"))
        self.condition.setBackground(QColor("#f3ede4"))

    def highlightBlock(self, text: str) -> None:
        for pattern, fmt in ((r"「[^「」]*」", self.field), (r"〔[^〔〕]*〕", self.condition)):
            for match in re.finditer(pattern, text):
                self.setFormat(match.start(), match.end() - match.start(), fmt)


def _form_error_text(exc: FormError) -> str:
    """A form error without its file path: the reason and the name at fault."""
    return f"{exc.reason}：{exc.name}" if exc.name else exc.reason


class FormEditorDialog(QDialog):
    """Edit one of the office's forms block by block.

    Args:
        env: the UI environment.
        form_id: the form (``agreement`` …).

    Attributes:
        saved: True once the form was saved, restored or imported (the 文书 page reloads).
    """

    def __init__(self, env: UiEnv, form_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.env = env
        self.form_id = form_id
        self.saved = False
        self.dirty = False  # edits not saved yet
        self.form: EditableForm = EditableForm({}, "", [])
        self.current = -1  # the selected block
        self.errors: dict[int, str] = {}
        self._loading = False
        self.setWindowTitle("编辑文书格式")
        self.resize(1280, 780)

        self.title_edit = QLineEdit()
        self.title_edit.setPlaceholderText("文书名称")
        self.block_list = QListWidget()
        self.block_list.setObjectName("blocks")
        self.up_button = QPushButton("上移")
        self.down_button = QPushButton("下移")
        self.add_button = QPushButton("添加段落")
        self.add_button.setToolTip("在选中的块之后添加一个新段落")
        self.remove_button = QPushButton("删除")
        self.remove_button.setToolTip("删除选中的块（行政调解、司法调解另有文字的块只能隐藏）")
        self.hidden_box = QCheckBox("隐藏此块")
        self.hidden_box.setToolTip("隐藏的块不打印；取消勾选即恢复")

        self.part_choice = QComboBox()
        self.text = QPlainTextEdit()
        self.text.setObjectName("block_text")
        self.highlighter = _FieldHighlighter(self.text.document())
        self.note = grey_note("")
        self.block_error = QLabel()
        self.block_error.setObjectName("block_error")
        self.block_error.setWordWrap(True)
        self.block_error.setStyleSheet(f"color: {RED};")
        self.block_error.hide()
        self.field_filter = QLineEdit()
        self.field_filter.setPlaceholderText("查找字段，如 金额、日期、当事人")
        self.field_filter.setClearButtonEnabled(True)
        self.field_list = QListWidget()
        self.field_list.setObjectName("fields")
        for name in FIELD_LIST:
            self.field_list.addItem(name)
        self.insert_button = QPushButton("插入字段")
        self.insert_button.setToolTip("在光标处插入选中的字段，打印时换成本案的内容")

        self.preview = PdfPreview("修改后在此预览（示例案件）")
        self.preview_seq = 0  # the latest preview asked for
        self.preview_timer = QTimer(self)
        self.preview_timer.setSingleShot(True)
        self.preview_timer.setInterval(PREVIEW_DELAY_MS)

        self.save_button = QPushButton("保存")
        self.reset_button = QPushButton("恢复默认")
        self.reset_button.setToolTip("删除本所修改版，恢复程序自带的格式")
        self.export_button = QPushButton("导出格式文件…")
        self.import_button = QPushButton("导入格式文件…")
        self.close_button = QPushButton("关闭")
        self.message = MessageLine()

        self._build_layout()
        self.block_list.currentRowChanged.connect(self._on_block_selected)
        self.part_choice.currentIndexChanged.connect(self._on_part_selected)
        self.text.textChanged.connect(self._on_text_changed)
        self.title_edit.textChanged.connect(self._on_title_changed)
        self.up_button.clicked.connect(lambda _=False: self.move_block(-1))
        self.down_button.clicked.connect(lambda _=False: self.move_block(1))
        self.hidden_box.toggled.connect(self._on_hidden_toggled)
        self.add_button.clicked.connect(lambda _=False: self.add_paragraph())
        self.remove_button.clicked.connect(lambda _=False: self.remove_block())
        self.insert_button.clicked.connect(lambda _=False: self.insert_field())
        self.field_filter.textChanged.connect(self._filter_fields)
        self.field_list.itemDoubleClicked.connect(lambda item: self.insert_field(item.text()))
        self.preview_timer.timeout.connect(self.refresh_preview)
        self.save_button.clicked.connect(lambda _=False: self.save())
        self.reset_button.clicked.connect(lambda _=False: self.reset())
        self.export_button.clicked.connect(lambda _=False: self.export_file())
        self.import_button.clicked.connect(lambda _=False: self.import_file())
        self.close_button.clicked.connect(self.reject)
        self.load()
        self.refresh_preview()

    def _build_layout(self) -> None:
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(QLabel("文书的各块（按打印顺序）"))
        left_layout.addWidget(self.block_list, 1)
        moves = QHBoxLayout()
        moves.addWidget(self.up_button)
        moves.addWidget(self.down_button)
        moves.addWidget(self.hidden_box)
        left_layout.addLayout(moves)
        changes = QHBoxLayout()
        changes.addWidget(self.add_button)
        changes.addWidget(self.remove_button)
        left_layout.addLayout(changes)

        middle = QWidget()
        middle_layout = QVBoxLayout(middle)
        middle_layout.setContentsMargins(0, 0, 0, 0)
        chooser = QHBoxLayout()
        chooser.addWidget(QLabel("修改："))
        chooser.addWidget(self.part_choice, 1)
        middle_layout.addLayout(chooser)
        middle_layout.addWidget(self.block_error)
        middle_layout.addWidget(self.text, 2)
        middle_layout.addWidget(self.note)
        middle_layout.addWidget(QLabel("可插入的字段（双击或点“插入字段”，打印时换成本案内容）"))
        middle_layout.addWidget(self.field_filter)
        middle_layout.addWidget(self.field_list, 1)
        middle_layout.addWidget(self.insert_button)

        splitter = QSplitter()
        for widget, stretch in ((left, 2), (middle, 3), (self.preview, 4)):
            splitter.addWidget(widget)
            splitter.setStretchFactor(splitter.count() - 1, stretch)

        title_row = QHBoxLayout()
        title_row.addWidget(QLabel("文书名称："))
        title_row.addWidget(self.title_edit, 1)
        buttons = QHBoxLayout()
        for button in (self.save_button, self.reset_button, self.export_button, self.import_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addLayout(title_row)
        layout.addWidget(grey_note("字段写作「字段名称」，打印时换成本案的内容；〔〕中是自动判断的条件，不能删改。"
                                   "保存后本所各台电脑打印该文书都使用修改后的格式。"))
        layout.addWidget(splitter, 1)
        layout.addWidget(self.message)
        layout.addLayout(buttons)

    # --- the form ----------------------------------------------------------------------------
    def load(self) -> None:
        """Show the form in use as blocks (a faulty office copy: the shipped one instead)."""
        form, fell_back = editable_form(self.form_id)
        if fell_back:
            self.message.refused("本所修改版的格式文件有误，已载入程序自带的格式")
        self.form = form
        self.dirty = False
        self._loading = True
        self.title_edit.setText(form.title)
        self._loading = False
        self.current = -1
        self._refresh_list(0)
        entry = library.form_entry(self.form_id)
        self.reset_button.setEnabled(entry.customised and entry.shipped)

    def _refresh_list(self, select: int) -> None:
        self.errors = block_errors(self.form)
        self.block_list.blockSignals(True)
        self.block_list.clear()
        for index, block in enumerate(self.form.blocks):
            item = QListWidgetItem(self._item_text(index, block))
            if index in self.errors:
                item.setForeground(QBrush(QColor(RED)))
            elif block.hidden:
                item.setForeground(QBrush(GREY))
            self.block_list.addItem(item)
        self.block_list.blockSignals(False)
        if self.form.blocks:
            self.block_list.setCurrentRow(max(0, min(select, len(self.form.blocks) - 1)))
            self._on_block_selected(self.block_list.currentRow())

    def _item_text(self, index: int, block: EditableBlock) -> str:
        text = f"{index + 1}. {block.summary()}"
        if block.hidden:
            text += "（已隐藏）"
        if index in self.errors:
            text += "（有误）"
        return text

    def _update_item(self, index: int) -> None:
        self.errors = block_errors(self.form)
        for row in range(self.block_list.count()):
            item = self.block_list.item(row)
            block = self.form.blocks[row]
            item.setText(self._item_text(row, block))
            color = QColor(RED) if row in self.errors else (GREY if block.hidden else None)
            item.setForeground(QBrush(color) if color is not None else QBrush())
        self._show_error(index)

    def _show_error(self, index: int) -> None:
        error = self.errors.get(index, "")
        self.block_error.setText(error)
        self.block_error.setVisible(bool(error))

    def selected_block(self) -> EditableBlock | None:
        return self.form.blocks[self.current] if 0 <= self.current < len(self.form.blocks) else None

    def _on_block_selected(self, row: int) -> None:
        if row == self.current and row >= 0:
            return
        self.current = row
        block = self.selected_block()
        self._loading = True
        self.part_choice.clear()
        for part in block.parts if block else []:
            self.part_choice.addItem(part.label, part.key)
        main = self.part_choice.findData("text")  # the block's own text first (not its label)
        self.part_choice.setCurrentIndex(max(main, 0))
        self.hidden_box.setChecked(bool(block and block.hidden))
        self._loading = False
        self.remove_button.setEnabled(block is not None and not self.form.referenced(block))
        self.up_button.setEnabled(row > 0)
        self.down_button.setEnabled(0 <= row < len(self.form.blocks) - 1)
        self._show_error(row)
        self._on_part_selected()

    def _selected_part(self):
        block = self.selected_block()
        key = self.part_choice.currentData()
        return block.part(key) if block is not None and key is not None else None

    def _on_part_selected(self, _index: int = 0) -> None:
        if self._loading:
            return
        part = self._selected_part()
        self._loading = True
        self.text.setPlainText(part.text if part else "")
        self._loading = False
        editable = part is not None and part.editable
        self.text.setReadOnly(not editable)
        self.insert_button.setEnabled(editable)
        block = self.selected_block()
        notes = []
        if part is not None and not part.editable:
            notes.append(READ_ONLY)
        elif part is not None and part.tokens:
            notes.append(CONDITION_NOTE)
        if block is not None:
            notes.append(TYPE_NOTES.get(block.type, "" if part else "此块没有可修改的文字，可上移、下移或隐藏"))
            notes.append(self.form.variant_note(block))
        self.note.setText("\n".join(n for n in notes if n))

    def _on_text_changed(self) -> None:
        if self._loading:
            return
        part = self._selected_part()
        if part is None or not part.editable:
            return
        part.text = self.text.toPlainText()
        self._edited(self.current)

    def _on_title_changed(self, text: str) -> None:
        if self._loading:
            return
        self.form.title = text
        self.dirty = True
        self.preview_timer.start()

    def _on_hidden_toggled(self, hidden: bool) -> None:
        block = self.selected_block()
        if self._loading or block is None:
            return
        block.hidden = hidden
        self._edited(self.current)

    def _edited(self, index: int) -> None:
        self.dirty = True
        self._update_item(index)
        self.message.clear_message()
        self.preview_timer.start()

    def move_block(self, step: int) -> None:
        if self.selected_block() is None:
            return
        target = self.form.move(self.current, step)
        self._restructured(target)

    def add_paragraph(self) -> None:
        """A new paragraph after the selected block, ready to be typed."""
        self._restructured(self.form.add_paragraph(self.current))
        self.text.setFocus()

    def remove_block(self) -> None:
        if self.selected_block() is None:
            return
        try:
            self.form.remove(self.current)
        except EditError as exc:
            self.message.refused(exc.message)
            return
        self._restructured(self.current)

    def _restructured(self, select: int) -> None:
        self.dirty = True
        self.current = -1
        self._refresh_list(select)
        self.preview_timer.start()

    def insert_field(self, name: str | None = None) -> None:
        """Put 「name」 (the selected field) at the cursor of the block's text."""
        if name is None:
            item = self.field_list.currentItem()
            if item is None:
                self.message.refused("请先在字段列表中选中一个字段")
                return
            name = item.text()
        if self.text.isReadOnly():
            return
        self.text.insertPlainText(f"「{name}」")
        self.text.setFocus()

    def _filter_fields(self, words: str) -> None:
        words = words.strip()
        for row in range(self.field_list.count()):
            item = self.field_list.item(row)
            item.setHidden(bool(words) and words not in item.text())

    # --- preview -----------------------------------------------------------------------------
    def refresh_preview(self) -> None:
        self.preview_timer.stop()
        try:
            text = editable_toml(self.form)
        except EditError as exc:
            self.preview.show_message(f"有误，无法预览：\n{exc.message}")
            return
        ctx, form_id = self.env.ctx, self.form_id
        self.preview_seq += 1
        seq = self.preview_seq
        run_query(self.env, self, lambda: library.preview_form(ctx, form_id, text=text),
                  lambda doc: self._on_previewed(seq, doc.data),
                  on_failure=lambda exc: self._on_preview_failed(exc, seq), label="正在生成预览…")

    def _on_previewed(self, seq: int, data: bytes) -> None:
        if seq == self.preview_seq:  # an older preview finishing late is dropped
            self.preview.show_pdf(data)

    def _on_preview_failed(self, exc: BaseException, seq: int = 0) -> None:
        if seq and seq != self.preview_seq:
            return
        if isinstance(exc, FormError):
            self.preview.show_message(f"有误，无法预览：\n{_form_error_text(exc)}")
        elif isinstance(exc, DomainError):
            self.preview.show_message(f"无法预览：\n{exc.message}")
        else:
            ui_errors.show_error(self, exc)

    # --- saving ------------------------------------------------------------------------------
    def save(self) -> bool:
        """保存: checked, then kept in the office's database and used on every PC of the office."""
        try:
            save_editable(self.env.ctx, self.form_id, self.form)
        except EditError as exc:
            if exc.block >= 0:
                self.block_list.setCurrentRow(exc.block)
            self.message.refused(f"未保存：{exc.message}")
            return False
        except FormError as exc:
            self.message.refused(f"未保存：{_form_error_text(exc)}")
            return False
        self.saved = True
        self.dirty = False
        self.reset_button.setEnabled(library.form_entry(self.form_id).shipped)
        self.message.done("已保存，本所各台电脑此后打印该文书都使用修改后的格式")
        self.refresh_preview()
        return True

    def reset(self) -> None:
        """恢复默认: the office's version removed, the shipped form shown again."""
        if not ui_errors.ask(self, "恢复默认", "删除本所修改过的格式，恢复程序自带的格式？"):
            return
        library.reset_form(self.env.ctx, self.form_id)
        self.saved = True
        self.load()
        self.message.done("已恢复程序自带的格式")
        self.refresh_preview()

    def export_file(self, path: str | None = None) -> None:
        """导出 the saved form as a file (for power users and other offices)."""
        if path is None:
            path, _ = QFileDialog.getSaveFileName(self, "导出格式文件", f"{self.form_id}.toml",
                                                  "格式文件 (*.toml)")
        if not path:
            return
        office_forms.export_form(self.env.ctx, self.form_id, Path(path))
        self.message.done(f"已导出已保存的格式到 {path}")

    def import_file(self, path: str | None = None) -> None:
        """导入 a form file as the office's form (checked first; a faulty file changes nothing)."""
        if path is None:
            path, _ = QFileDialog.getOpenFileName(self, "导入格式文件", "", "格式文件 (*.toml)")
        if not path:
            return
        try:
            office_forms.import_form(self.env.ctx, self.form_id, Path(path))
        except FormError as exc:
            where = f"第{exc.line}行：" if exc.line else ""
            self.message.refused(f"未导入：{where}{_form_error_text(exc)}")
            return
        except DomainError as exc:
            self.message.refused(f"未导入：{exc.message}")
            return
        self.saved = True
        self.load()
        self.message.done("已导入，本所此后使用导入的格式")
        self.refresh_preview()

    def reject(self) -> None:
        """关闭 (or Esc, or the window's close box): unsaved edits are given up only when confirmed."""
        if self.dirty and not ui_errors.ask(self, "关闭", "修改还没有保存，放弃这些修改？"):
            return
        self.dirty = False
        super().reject()

    def keyPressEvent(self, event) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not self.text.hasFocus():
            return  # Enter in the title field must not close the dialog
        super().keyPressEvent(event)
