"""导入旧台账: choose the Excel file → match its columns → preview and problems → 导入 → result.

The columns are guessed from the header (or taken from the mapping saved for the same header
row); the person corrects them with one combo per column. 检查 runs the whole import as a trial
(nothing kept), so the problems listed are those the import will meet; 导入 writes every good row
in one transaction and saves the mapping for next time.
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from mediator.domain.errors import ValidationErrors
from mediator.domain.ledger_columns import LedgerField, mapping_problems
from mediator.domain.ledger_values import cell_text
from mediator.services.exchange.old_ledger import (
    PREVIEW_HEADERS,
    LedgerImportResult,
    LedgerPlan,
    check_ledger,
    import_ledger,
    open_ledger,
    preview_row,
)
from mediator.services.places.choices import organizations, places
from mediator.services.settings import get_setting
from mediator.ui.env import UiEnv
from mediator.ui.errors import describe, show_error
from mediator.ui.ops import run_op, run_query
from mediator.ui.widgets.overview_bits import MessageLine, fill_table, grey_note, heading, read_only_table

PREVIEW_ROWS = 20
STEPS = ["第1步：选择台账文件", "第2步：核对列的对应关系", "第3步：预览与问题", "第4步：导入结果"]


class OldLedgerDialog(QDialog):
    """The wizard of 导入旧台账 (one page per step; 上一步 / 下一步 / 导入 / 关闭)."""

    def __init__(self, env: UiEnv, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.env = env
        self.plan: LedgerPlan | None = None
        self.trial: LedgerImportResult | None = None
        self.result: LedgerImportResult | None = None
        self.setWindowTitle("导入旧台账")
        self.resize(900, 620)
        self.step_title = heading(STEPS[0], 12)
        self.stack = QStackedWidget()
        self.stack.addWidget(self._file_page())
        self.stack.addWidget(self._mapping_page())
        self.stack.addWidget(self._preview_page())
        self.stack.addWidget(self._result_page())
        self.message = MessageLine()
        self.back_button = QPushButton("上一步")
        self.next_button = QPushButton("下一步")
        self.import_button = QPushButton("导入")
        self.close_button = QPushButton("关闭")
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        for b in (self.back_button, self.next_button, self.import_button, self.close_button):
            buttons.addWidget(b)
        layout = QVBoxLayout(self)
        layout.addWidget(self.step_title)
        layout.addWidget(self.stack, 1)
        layout.addWidget(self.message)
        layout.addLayout(buttons)
        self.back_button.clicked.connect(self._on_back_button_clicked)
        self.next_button.clicked.connect(self._on_next_button_clicked)
        self.import_button.clicked.connect(self._on_import_button_clicked)
        self.close_button.clicked.connect(self.reject)
        self._show_step(0)

    # --- the pages ------------------------------------------------------------------------
    def _file_page(self) -> QWidget:
        page = QWidget()
        self.path = QLineEdit()
        self.path.setPlaceholderText("Excel台账文件")
        self.browse_button = QPushButton("选择文件…")
        self.browse_button.clicked.connect(self._on_browse_button_clicked)
        row = QHBoxLayout()
        row.addWidget(self.path, 1)
        row.addWidget(self.browse_button)
        self.organization = QComboBox()
        self.village = QComboBox()
        own = get_setting(self.env.ctx, "office.organization")
        self.org_choices = organizations(self.env.ctx)
        self.villages = places(self.env.ctx, "village")
        for c in self.org_choices:
            self.organization.addItem(c.name, c.id)
        index = next((i for i, c in enumerate(self.org_choices)
                      if c.name == own or (not own and c.id == self.env.user.organization_id)), 0)
        self.organization.setCurrentIndex(index)
        self.organization.currentIndexChanged.connect(self._on_organization_current_index_changed)
        self._fill_villages()
        form = QFormLayout()
        form.addRow("台账文件", row)
        form.addRow("导入到调解组织", self.organization)
        form.addRow("默认村（社区）", self.village)
        layout = QVBoxLayout(page)
        layout.addLayout(form)
        layout.addWidget(grey_note(
            "台账第一行可以是合并的标题行：程序找含有至少3个可识别列名（如 当事人、受理日期、纠纷类型、"
            "调解结果）的一行作为表头。台账没有“村（社区）”列，或某行未填写时，案件归入默认村（社区）。"
            "同一台账可以再次导入：已导入过的行不会重复。"))
        layout.addStretch(1)
        return page

    def _mapping_page(self) -> QWidget:
        page = QWidget()
        self.mapping_note = QLabel()
        self.mapping_note.setWordWrap(True)
        self.mapping_table = QTableWidget(0, 3)
        self.mapping_table.setHorizontalHeaderLabels(["台账的列", "第一行数据", "导入为"])
        self.mapping_table.horizontalHeader().setStretchLastSection(True)
        self.mapping_table.verticalHeader().setVisible(False)
        layout = QVBoxLayout(page)
        layout.addWidget(self.mapping_note)
        layout.addWidget(self.mapping_table, 1)
        layout.addWidget(grey_note("每一列选择导入为哪一项；不需要的列选“（不导入）”。"
                                   "导入后，这份对应关系按表头保存，下次导入同样格式的台账时自动沿用。"))
        return page

    def _preview_page(self) -> QWidget:
        page = QWidget()
        self.preview_note = QLabel()
        self.preview_note.setWordWrap(True)
        self.preview = read_only_table(PREVIEW_HEADERS, stretch=1)
        self.problems = read_only_table(["行号", "列", "问题"], stretch=2)
        layout = QVBoxLayout(page)
        layout.addWidget(self.preview_note)
        layout.addWidget(QLabel(f"预览（前{PREVIEW_ROWS}行将导入的案件）"))
        layout.addWidget(self.preview, 1)
        layout.addWidget(QLabel("逐行问题（有问题的行跳过不导入；标“提示”的行仍导入）"))
        layout.addWidget(self.problems, 1)
        return page

    def _result_page(self) -> QWidget:
        page = QWidget()
        self.result_label = QLabel()
        self.result_label.setWordWrap(True)
        self.result_problems = read_only_table(["行号", "列", "问题"], stretch=2)
        layout = QVBoxLayout(page)
        layout.addWidget(self.result_label)
        layout.addWidget(self.result_problems, 1)
        return page

    # --- moving between the steps -----------------------------------------------------------
    def _show_step(self, step: int) -> None:
        self.stack.setCurrentIndex(step)
        self.step_title.setText(STEPS[step])
        self.back_button.setEnabled(step in (1, 2))
        self.next_button.setVisible(step in (0, 1))
        self.import_button.setVisible(step == 2)
        self.import_button.setEnabled(step == 2 and self.trial is not None and self.trial.imported > 0)
        self.back_button.setVisible(step != 3)

    def _on_back_button_clicked(self) -> None:
        self.message.clear_message()
        self._show_step(max(0, self.stack.currentIndex() - 1))

    def _on_next_button_clicked(self) -> None:
        self.message.clear_message()
        if self.stack.currentIndex() == 0:
            self._open_file()
        elif self.stack.currentIndex() == 1:
            self._check()

    def _on_browse_button_clicked(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "选择旧台账", "", "Excel 台账 (*.xlsx *.xlsm *.xls);;所有文件 (*)")
        if path:
            self.path.setText(path)

    def _on_organization_current_index_changed(self, _index: int) -> None:
        self._fill_villages()

    def _fill_villages(self) -> None:
        self.village.clear()
        self.village.addItem("（按台账中的“村（社区）”列）", None)
        org = next((c for c in self.org_choices if c.id == self.organization.currentData()), None)
        if org is None:
            return
        own = [v for v in self.villages if v.parent_id == org.parent_id or v.id == org.parent_id]
        for v in own:
            self.village.addItem(v.name, v.code)
        if len(own) == 1:
            self.village.setCurrentIndex(1)

    # --- step 1 → 2: read the file --------------------------------------------------------
    def _open_file(self) -> None:
        text = self.path.text().strip()
        if not text:
            self.message.refused("请选择台账文件")
            return
        run_query(self.env, self, lambda: open_ledger(self.env.ctx, Path(text)), self._on_opened,
                  on_failure=self._on_failure, label="正在读取台账…")

    def _on_opened(self, plan: LedgerPlan) -> None:
        self.plan = plan
        sheet = plan.sheet
        self.mapping_note.setText(
            f"工作表“{sheet.name}”：表头在第{sheet.header_row}行，数据{len(sheet.rows)}行。"
            + ("已沿用上次为同样表头保存的对应关系。" if plan.saved else "已按表头自动识别，请核对。"))
        first = next((r for r in sheet.rows if any(cell_text(v) for v in r)), [])
        self.mapping_table.setRowCount(len(sheet.headers))
        self.combos: list[QComboBox] = []
        for i, header in enumerate(sheet.headers):
            self.mapping_table.setItem(i, 0, QTableWidgetItem(header or f"（第{i + 1}列，无表头）"))
            sample = cell_text(first[i]) if i < len(first) else ""
            self.mapping_table.setItem(i, 1, QTableWidgetItem(sample.replace("\n", " ")[:40]))
            combo = QComboBox()
            for f in LedgerField:
                combo.addItem(f.label, f.value)
            combo.setCurrentIndex(list(LedgerField).index(plan.mapping[i]))
            self.mapping_table.setCellWidget(i, 2, combo)
            self.combos.append(combo)
        self.mapping_table.resizeColumnsToContents()
        self._show_step(1)

    def mapping(self) -> list[LedgerField]:
        return [LedgerField(c.currentData()) for c in self.combos]

    # --- step 2 → 3: the trial import -------------------------------------------------------
    def _options(self) -> dict:
        return {"organization": self.organization.currentText() or None,
                "village_code": self.village.currentData()}

    def _check(self) -> None:
        assert self.plan is not None
        mapping = self.mapping()
        faults = mapping_problems(mapping)
        if faults:
            self.message.refused("；".join(faults))
            return
        sheet, options, ctx = self.plan.sheet, self._options(), self.env.ctx

        def work() -> tuple[LedgerImportResult, list[list[str]]]:
            trial = import_ledger(ctx, sheet, mapping, dry_run=True, **options)
            cases = check_ledger(sheet, mapping, ctx.today()).cases
            return trial, [preview_row(c) for c in cases[:PREVIEW_ROWS]]

        run_query(self.env, self, work, self._on_checked, on_failure=self._on_failure,
                  label="正在逐行检查台账…")

    def _on_checked(self, checked: tuple[LedgerImportResult, list[list[str]]]) -> None:
        trial, preview = checked
        self.trial = trial
        fill_table(self.preview, preview)
        fill_table(self.problems, _problem_rows(trial))
        self.preview_note.setText(f"可导入{trial.imported}件，跳过{trial.skipped}行"
                                  f"（其中以前已导入{trial.already}行）。"
                                  + ("" if trial.imported else "没有可导入的行。"))
        self._show_step(2)

    # --- step 3 → 4: the import -------------------------------------------------------------
    def _on_import_button_clicked(self) -> None:
        assert self.plan is not None
        sheet, mapping, options = self.plan.sheet, self.mapping(), self._options()
        done: list[LedgerImportResult] = []

        def work(cancel):
            result = import_ledger(self.env.ctx, sheet, mapping, cancel=lambda: cancel.cancelled, **options)
            done.append(result)
            return result.changes

        run_op(self.env, self, work, on_success=lambda _changes: self._on_imported(done[0]),
               on_failure=self._on_failure, label="正在导入旧台账…", cancellable=True)

    def _on_imported(self, result: LedgerImportResult) -> None:
        self.result = result
        self.result_label.setText(result.summary())
        fill_table(self.result_problems, _problem_rows(result))
        self._show_step(3)

    def _on_failure(self, exc: BaseException) -> None:
        if isinstance(exc, ValidationErrors):
            self.message.refused(describe(exc).replace("\n", " "))
            return
        show_error(self, exc, action="导入旧台账")


def _problem_rows(result: LedgerImportResult) -> list[list[str]]:
    return [[str(p.row), p.column, p.message + ("（提示，仍导入）" if p.warning else "")]
            for p in result.problems]
