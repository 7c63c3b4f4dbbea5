"""文书: the official forms (《人民调解文书格式》) — previewed on a fictitious sample case, copied into
the data directory to be edited (the app uses the copy from then on), restored to the shipped one."""
from __future__ import annotations

from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from mediator.services.documents import forms as library
from mediator.services.documents.forms import FormError, official_forms
from mediator.services.documents.office_forms import sync_forms
from mediator.services.settings import all_settings
from mediator.ui import errors as ui_errors
from mediator.ui.dialogs.form_editor import FormEditorDialog
from mediator.ui.env import UiEnv
from mediator.ui.ops import run_query
from mediator.ui.widgets.overview_bits import (
    GREY,
    MessageLine,
    fill_table,
    grey_note,
    heading,
    read_only_table,
    selected_id,
)
from mediator.ui.widgets.pdf_view import PdfPreview

SEAL_SETTING = "office.seal_text"
OFFICE_FIELDS = (("office.name", "单位名称"), ("office.address", "地址"), ("office.phone", "电话"),
                 (SEAL_SETTING, "印章文字"))


class DocumentsPage(QWidget):
    """The forms; the selected one previewed on the sample case, its TOML editable as a copy.

    Args:
        env: the UI environment.
    """

    def __init__(self, env: UiEnv) -> None:
        super().__init__()
        self.env = env
        self.entries: dict[str, library.FormEntry] = {}
        self.current: str | None = None
        self.saved_text = ""  # the form file's text as on disk
        self.editor_dialog: FormEditorDialog | None = None
        self.table = read_only_table(["序号", "文书名称", "使用的格式"], stretch=1)
        self.table.setObjectName("forms")

        self.preview = PdfPreview("选择一种文书，在示例案件上预览")
        self.editor = QPlainTextEdit()
        self.editor.setObjectName("form_editor")
        self.editor.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.editor.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.editor.setReadOnly(True)
        self.editor_note = grey_note("")
        self.right = QTabWidget()
        self.right.addTab(self.preview, "预览（示例案件）")
        editor_page = QWidget()
        editor_layout = QVBoxLayout(editor_page)
        editor_layout.addWidget(self.editor_note)
        editor_layout.addWidget(self.editor, 1)
        self.right.addTab(editor_page, "格式文件")

        self.edit_button = QPushButton("编辑")
        self.edit_button.setToolTip("逐块修改文书的文字、顺序，插入字段，边改边预览；保存后本所各台电脑都使用")
        self.copy_button = QPushButton("复制并编辑")
        self.copy_button.setToolTip("把该文书的格式复制到本机数据目录，之后生成文书都使用这份副本")
        self.save_button = QPushButton("保存修改")
        self.check_button = QPushButton("检查并预览")
        self.reset_button = QPushButton("恢复默认")
        self.reset_button.setToolTip("删除本机副本，恢复程序自带的格式")
        self.message = MessageLine()
        buttons = QHBoxLayout()
        for button in (self.edit_button, self.copy_button, self.check_button, self.save_button, self.reset_button):
            buttons.addWidget(button)
        buttons.addStretch(1)

        self.office = QGroupBox("单位信息（文书落款等使用，在“系统”页修改）")
        self.office_labels: dict[str, QLabel] = {}
        office_form = QFormLayout(self.office)
        for key, label in OFFICE_FIELDS:
            value = QLabel()
            value.setObjectName(key)
            self.office_labels[key] = value
            office_form.addRow(label + "：", value)

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.table, 1)
        left_layout.addWidget(self.office)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addLayout(buttons)
        right_layout.addWidget(self.message)
        right_layout.addWidget(self.right, 1)
        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.addWidget(heading("文书", 14))
        layout.addWidget(grey_note("依据司法部《人民调解文书格式》。选中一种文书即在虚构的示例案件上预览；"
                                   "“编辑”逐块修改文字、顺序和字段并即时预览；“复制并编辑”直接修改格式文件；"
                                   "“恢复默认”删除副本。案件的文书在案件的“文书”页签中打印（Ctrl+P）。"))
        layout.addWidget(splitter, 1)

        self.table.itemSelectionChanged.connect(self._on_table_selection_changed)
        self.edit_button.clicked.connect(lambda _=False: self.edit_selected())
        self.copy_button.clicked.connect(lambda _=False: self.copy_selected())
        self.save_button.clicked.connect(lambda _=False: self.save_edit())
        self.check_button.clicked.connect(lambda _=False: self.check_edit())
        self.reset_button.clicked.connect(lambda _=False: self.reset_selected())
        self.editor.textChanged.connect(self._update_buttons)
        self.reload()
        if self.table.rowCount():
            self.table.selectRow(0)

    # --- loading ----------------------------------------------------------------------------
    def reload(self) -> None:
        """The form list and the office details again (shown pages call this when shown)."""
        titles = dict(official_forms())
        sync_forms(self.env.ctx)  # what another PC of the office saved meanwhile
        entries = library.list_forms()
        self.entries = {e.id: e for e in entries}
        rows = []
        for i, e in enumerate(entries, start=1):
            state = "有误：" + e.error if e.error else ("本所修改版" if e.customised else "默认")
            rows.append((i, titles.get(e.id, e.title), state))
        fill_table(self.table, rows, ids=[e.id for e in entries],
                   colors=[GREY if not (e.customised or e.error) else None for e in entries])
        if self.current is not None:
            for row, e in enumerate(entries):
                if e.id == self.current:
                    self.table.selectRow(row)
        settings = all_settings(self.env.ctx)
        for key, label in self.office_labels.items():
            label.setText(str(settings.get(key) or "（未设置）"))

    def on_shown(self) -> None:
        self.reload()

    def selected_form(self) -> str | None:
        return selected_id(self.table)

    def _on_table_selection_changed(self) -> None:
        form_id = self.selected_form()
        if form_id is None or form_id == self.current:
            return
        self.current = form_id
        self._show_source()
        self.preview_selected()

    def _show_source(self) -> None:
        entry = self.entries.get(self.current or "")
        if entry is None:
            return
        self.saved_text = library.form_text(entry.id)
        self.editor.setPlainText(self.saved_text)
        self.editor.setReadOnly(not entry.customised)
        self.editor_note.setText(
            f"本机副本：{entry.path}（可直接修改，保存前会检查）" if entry.customised
            else f"程序自带格式：{entry.path}（只读；先点“复制并编辑”）")
        self._update_buttons()

    def _update_buttons(self) -> None:
        entry = self.entries.get(self.current or "")
        customised = entry is not None and entry.customised
        self.edit_button.setEnabled(entry is not None)
        self.copy_button.setEnabled(entry is not None and not customised)
        self.reset_button.setEnabled(customised and entry is not None and entry.shipped)
        self.save_button.setEnabled(customised and self.editor.toPlainText() != self.saved_text)
        self.check_button.setEnabled(customised)

    # --- actions ----------------------------------------------------------------------------
    def preview_selected(self, text: str | None = None) -> None:
        """The selected form (or unsaved ``text`` of it) on the sample case."""
        form_id = self.current
        if form_id is None:
            return
        ctx = self.env.ctx
        run_query(self.env, self, lambda: library.preview_form(ctx, form_id, text=text),
                  lambda doc: self._on_previewed(form_id, doc), on_failure=self._on_preview_failed,
                  label="正在生成预览…")

    def _on_previewed(self, form_id: str, document) -> None:
        if form_id != self.current:
            return
        self.preview.show_pdf(document.data)

    def _on_preview_failed(self, exc: BaseException) -> None:
        if isinstance(exc, FormError):
            self.preview.show_message(f"格式文件有误，无法预览：\n{exc.message}")
            self.message.refused(exc.message)
            return
        ui_errors.show_error(self, exc)

    def edit_selected(self) -> FormEditorDialog | None:
        """编辑: the block editor for the selected form (the page shows the result when it closes)."""
        if self.current is None:
            return None
        self.editor_dialog = FormEditorDialog(self.env, self.current, self)
        self.editor_dialog.finished.connect(self._on_editor_closed)
        self.editor_dialog.open()
        return self.editor_dialog

    def _on_editor_closed(self, _result: int = 0) -> None:
        dialog = self.editor_dialog
        if dialog is None or not dialog.saved:
            return
        self.reload()
        self._show_source()
        self.preview_selected()

    def copy_selected(self) -> None:
        """复制并编辑: the copy is made and opened for editing; the app uses it from now on."""
        if self.current is None:
            return
        path = library.copy_form(self.env.ctx, self.current)
        self.reload()
        self._show_source()
        self.right.setCurrentIndex(1)
        self.editor.setFocus()
        self.message.done(f"已复制到 {path}，此后本机生成该文书都使用这份副本")

    def check_edit(self) -> None:
        """Check the edited text and preview it without saving."""
        self.right.setCurrentIndex(0)
        self.preview_selected(self.editor.toPlainText())

    def save_edit(self) -> None:
        if self.current is None:
            return
        text = self.editor.toPlainText()
        try:
            library.save_form(self.env.ctx, self.current, text)
        except FormError as exc:
            self.message.refused(f"未保存：{exc.message}")
            self._go_to_line(exc.line)
            return
        self.saved_text = text
        self.reload()
        self._update_buttons()
        self.message.done("已保存，此后本机生成该文书使用修改后的格式")
        self.preview_selected()

    def _go_to_line(self, line: int) -> None:
        if line < 1:
            return
        block = self.editor.document().findBlockByNumber(line - 1)
        cursor = self.editor.textCursor()
        cursor.setPosition(block.position())
        self.editor.setTextCursor(cursor)
        self.right.setCurrentIndex(1)

    def reset_selected(self) -> None:
        if self.current is None:
            return
        entry = self.entries[self.current]
        if not ui_errors.ask(self, "恢复默认", f"删除本机修改过的“{entry.title}”格式，恢复程序自带的格式？"):
            return
        library.reset_form(self.env.ctx, self.current)
        self.reload()
        self._show_source()
        self.message.done("已恢复程序自带的格式")
        self.preview_selected()

