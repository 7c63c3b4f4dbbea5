"""The 文书 tab of a case: the forms this case can fill — previewed, printed, saved as PDF or
DOCX (each issue registered with its verification code) — the dossier, and the register."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from mediator import config
from mediator.services.documents.dossier_pdf import build_dossier, issue_dossier, prepare_dossier
from mediator.services.documents.forms import CaseForm, forms_for_case
from mediator.services.documents.issuing import (
    IssuedFile,
    IssuedInfo,
    PreparedDocument,
    issue_document,
    issued_documents,
    issued_file,
    prepare_document,
    register_prepared,
)
from mediator.services.documents.rendering import render
from mediator.ui import errors as ui_errors
from mediator.ui.env import UiEnv
from mediator.ui.ops import run_op, run_query
from mediator.ui.save_dialog import ask_save_path
from mediator.ui.widgets.overview_bits import (
    GREY,
    MessageLine,
    fill_table,
    read_only_table,
    selected_id,
)
from mediator.ui.widgets.pdf_view import PdfPreview, PdfPrintJob

DOSSIER = "dossier"
# The form Ctrl+P prints when none is selected, by the case's status.
MAIN_FORM = {"agreed": "agreement", "performed": "agreement", "failed": "termination",
             "withdrawn": "termination", "rejected": "rejection", "archived": DOSSIER}


def _load(ctx, case_id: int) -> tuple[list[CaseForm], list[IssuedInfo]]:
    return forms_for_case(ctx, case_id), issued_documents(ctx, case_id)


class DocumentsTab(QWidget):
    """Forms of one case with 预览 / 打印… / 保存PDF… / 保存DOCX… / 用文字处理软件打开, and the
    register of what was issued (另存为… saves a registered file as it was issued).

    Signals:
        issued(): a document was issued (the register and the case's audit changed).
    """

    issued = Signal()

    def __init__(self, env: UiEnv, case_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.env = env
        self.case_id = case_id
        self.forms: list[CaseForm] = []
        self.register: list[IssuedInfo] = []
        self.status = ""
        self.number = ""  # the case number, for file names 「案号-文书名」
        self.print_job: PdfPrintJob | None = None  # keeps the QPrinter alive (STACK.md)
        self.print_dialog = None

        self.forms_table = read_only_table(["文书", "说明"], stretch=1)
        self.forms_table.setObjectName("case_forms")
        self.preview_button = QPushButton("预览")
        self.print_button = QPushButton("打印…")
        self.pdf_button = QPushButton("保存PDF…")
        self.docx_button = QPushButton("保存DOCX…")
        self.word_button = QPushButton("用文字处理软件打开")
        self.word_button.setToolTip("出具DOCX并用本机的Word或WPS打开")
        self.message = MessageLine()
        buttons = QHBoxLayout()
        for button in (self.preview_button, self.print_button, self.pdf_button, self.docx_button,
                       self.word_button):
            buttons.addWidget(button)
        buttons.addStretch(1)

        self.preview = PdfPreview("选择文书，点“预览”查看草稿（草稿不登记、不带验证码）")
        self.register_table = read_only_table(["出具时间", "文书", "格式", "出具人", "验证码", "文件校验值"],
                                              stretch=5)
        self.register_table.setObjectName("issued_register")
        self.save_copy_button = QPushButton("另存为…")
        self.register_label = QLabel("出具记录")
        self.register_label.setStyleSheet("font-weight: bold;")
        register_head = QHBoxLayout()
        register_head.addWidget(self.register_label)
        register_head.addStretch(1)
        register_head.addWidget(self.save_copy_button)

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.forms_table, 3)
        left_layout.addLayout(buttons)
        left_layout.addWidget(self.message)
        left_layout.addLayout(register_head)
        left_layout.addWidget(self.register_table, 2)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(self.preview)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([640, 560])
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)

        self.forms_table.itemSelectionChanged.connect(self._update_buttons)
        self.forms_table.doubleClicked.connect(lambda _index: self.preview_selected())
        self.register_table.itemSelectionChanged.connect(self._update_buttons)
        self.preview_button.clicked.connect(lambda _=False: self.preview_selected())
        self.print_button.clicked.connect(lambda _=False: self.print_selected())
        self.pdf_button.clicked.connect(lambda _=False: self.save_selected("pdf"))
        self.docx_button.clicked.connect(lambda _=False: self.save_selected("docx"))
        self.word_button.clicked.connect(lambda _=False: self.open_in_word_processor())
        self.save_copy_button.clicked.connect(lambda _=False: self.save_issued_copy())
        self._update_buttons()

    # --- loading ----------------------------------------------------------------------------
    def load(self, status: str, number: str | None = None) -> None:
        """Read the forms and the register again (after the case changed)."""
        self.status = status
        if number is not None:
            self.number = number
        ctx, case_id = self.env.ctx, self.case_id
        run_query(self.env, self, lambda: _load(ctx, case_id), self._show)

    def _show(self, loaded: tuple[list[CaseForm], list[IssuedInfo]]) -> None:
        chosen = self.selected_form()
        self.forms, self.register = loaded
        fill_table(self.forms_table, [(f.title, "" if f.available else f.reason) for f in self.forms],
                   ids=[f.id for f in self.forms],
                   colors=[None if f.available else GREY for f in self.forms])
        for row, form in enumerate(self.forms):
            if form.id == chosen:
                self.forms_table.selectRow(row)
        fill_table(self.register_table,
                   [(r.issued_at.strftime("%Y-%m-%d %H:%M"), r.title, r.fmt.upper(), r.issued_by,
                     r.verify_code, r.sha256[:16] + "…") for r in self.register],
                   ids=[r.id for r in self.register])
        self.register_label.setText(f"出具记录（{len(self.register)}）")
        self._update_buttons()

    def count(self) -> int:
        return len(self.register)

    # --- selection --------------------------------------------------------------------------
    def selected_form(self) -> str | None:
        return selected_id(self.forms_table)

    def select_form(self, form_id: str) -> bool:
        for row, form in enumerate(self.forms):
            if form.id == form_id:
                self.forms_table.selectRow(row)
                return True
        return False

    def _form(self, form_id: str | None) -> CaseForm | None:
        return next((f for f in self.forms if f.id == form_id), None)

    def _update_buttons(self) -> None:
        form = self._form(self.selected_form())
        usable = form is not None and form.available
        self.preview_button.setEnabled(usable)
        self.print_button.setEnabled(usable)
        self.pdf_button.setEnabled(usable)
        docx = usable and form is not None and form.id != DOSSIER
        self.docx_button.setEnabled(docx)
        self.word_button.setEnabled(docx)
        self.save_copy_button.setEnabled(selected_id(self.register_table) is not None)

    def _usable(self, form_id: str | None) -> CaseForm | None:
        form = self._form(form_id or self.selected_form())
        if form is None:
            self.message.refused("请先选择一种文书")
            return None
        if not form.available:
            self.message.refused(f"不能生成“{form.title}”：{form.reason}")
            return None
        return form

    # --- actions ----------------------------------------------------------------------------
    def preview_selected(self) -> None:
        """A draft of the selected form in the preview pane (not registered)."""
        form = self._usable(None)
        if form is None:
            return
        ctx, case_id = self.env.ctx, self.case_id
        call = (lambda: build_dossier(ctx, case_id)) if form.id == DOSSIER else \
            (lambda: render(ctx, case_id, form.id, "pdf"))
        run_query(self.env, self, call, lambda doc: self._on_previewed(form, doc),
                  on_failure=self._on_failed, label="正在生成预览…")

    def _on_previewed(self, form: CaseForm, document) -> None:
        self.preview.show_pdf(document.data)
        self.message.done(f"“{form.title}”草稿，共{self.preview.page_count()}页")

    def _issue(self, form: CaseForm, fmt: str, on_done) -> None:
        ctx, case_id = self.env.ctx, self.case_id
        call = (lambda: issue_dossier(ctx, case_id)) if form.id == DOSSIER else \
            (lambda: issue_document(ctx, case_id, form.id, fmt))

        def done(result: IssuedFile) -> None:
            self.issued.emit()
            self.load(self.status)
            on_done(result)

        run_op(self.env, self, call, on_success=done, on_failure=self._on_failed, label="正在生成文书…")

    def print_selected(self, form_id: str | None = None) -> None:
        """Open Qt's print preview of the form (Ctrl+P); it is issued only when it is printed."""
        if form_id is None and self.selected_form() is None:
            form_id = MAIN_FORM.get(self.status, "registration")
            self.select_form(form_id)
        form = self._usable(form_id)
        if form is None:
            return
        ctx, case_id = self.env.ctx, self.case_id
        call = (lambda: prepare_dossier(ctx, case_id)) if form.id == DOSSIER else \
            (lambda: prepare_document(ctx, case_id, form.id, "pdf"))
        run_query(self.env, self, call, lambda prepared: self._open_print_preview(form, prepared),
                  on_failure=self._on_failed, label="正在生成文书…")

    def _open_print_preview(self, form: CaseForm, prepared: PreparedDocument) -> None:
        if self.print_dialog is not None:
            self.print_dialog.deleteLater()
        document = prepared.document
        self.print_job = PdfPrintJob(document.data, document.filename, form.copies, self)
        self.print_dialog = self.print_job.preview_dialog(self)
        # Qt's preview accepts once it has printed; closing it prints nothing and issues nothing.
        self.print_dialog.accepted.connect(lambda: self._printed(form, prepared))
        self.print_dialog.rejected.connect(
            lambda: self.message.done(f"未打印“{form.title}”，未登记出具记录"))
        self.message.done(f"“{form.title}”打印预览" + (f"，默认打印{form.copies}份" if form.copies > 1 else ""))
        self.print_dialog.open()

    def _printed(self, form: CaseForm, prepared: PreparedDocument) -> None:
        def done(result: IssuedFile) -> None:
            self.issued.emit()
            self.load(self.status)
            self.message.done(f"已打印并出具“{form.title}”，验证码 {result.info.verify_code}")

        ctx = self.env.ctx
        run_op(self.env, self, lambda: register_prepared(ctx, prepared), on_success=done,
               on_failure=self._on_failed)

    def save_selected(self, fmt: str) -> None:
        form = self._usable(None)
        if form is None:
            return
        kind = "PDF 文件 (*.pdf)" if fmt == "pdf" else "Word 文档 (*.docx)"
        name = f"{self.number}-{form.title}.{fmt}" if self.number else f"{form.title}.{fmt}"
        target = ask_save_path(self.env.settings, self, f"保存{form.title}", name, kind, f".{fmt}")
        if target is None:
            return
        self._issue(form, fmt, lambda result: self._write(target, result))

    def _write(self, target: Path, result: IssuedFile) -> None:
        try:
            target.write_bytes(result.data)
        except OSError as exc:
            self.message.refused(f"无法写入{target}：{exc.strerror or exc}")
            return
        self.message.done(f"已保存 {target.name}（验证码 {result.info.verify_code}）")

    def open_in_word_processor(self) -> None:
        """Issue the DOCX into the data directory and open it with the system's word processor."""
        form = self._usable(None)
        if form is None:
            return

        def opened(result: IssuedFile) -> None:
            folder = config.data_dir() / "documents"
            try:
                folder.mkdir(parents=True, exist_ok=True)
                target = folder / result.info.filename
                target.write_bytes(result.data)
            except OSError as exc:
                self.message.refused(f"无法写入文书目录：{exc.strerror or exc}")
                return
            if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(target))):
                self.message.refused(f"本机没有可打开DOCX的程序；文件已保存在{target}")
                return
            self.message.done(f"已用文字处理软件打开 {target.name}")

        self._issue(form, "docx", opened)

    def save_issued_copy(self) -> None:
        """Save a registered document exactly as it was issued."""
        issued_id = selected_id(self.register_table)
        if issued_id is None:
            return
        info, data = issued_file(self.env.ctx, issued_id)
        target = ask_save_path(self.env.settings, self, "另存出具的文书", info.filename,
                               "所有文件 (*)", Path(info.filename).suffix)
        if target is not None:
            self._write(target, IssuedFile(info=info, data=data))

    def _on_failed(self, exc: BaseException) -> None:
        ui_errors.show_error(self, exc)

