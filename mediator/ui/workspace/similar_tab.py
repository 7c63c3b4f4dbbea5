"""The 类案参考 tab: earlier cases of the office like this one, and how each was settled.

Read when the tab is first shown (and again when shown after the case changed): the ranking
looks through the office's cases, which a user who never opens the tab should not wait for.
"""
from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSplitter, QTextBrowser, QVBoxLayout, QWidget

from mediator.services.cases.similar import SimilarCase, similar_cases
from mediator.ui.env import UiEnv
from mediator.ui.ops import run_query
from mediator.ui.widgets.overview_bits import fill_table, grey_note, read_only_table, selected_id

EMPTY = "暂无相似的既往案件"
NOTE = ("本所已办结的既往案件中，与本案纠纷类型相同、同村（社区）或纠纷简要情况用词相近的案件，"
        "按相似程度排列（最多10件）。双击或点“打开案件”查看全案。")


def similar_row(case: SimilarCase) -> list[str]:
    return [case.number, case.received_on.isoformat(), case.category_label, case.village, case.outcome,
            case.amount_yuan if case.signed_on else "—", "、".join(case.reasons)]


def settlement_html(case: SimilarCase) -> str:
    """The selected case: its summary, outcome and, when agreed, the agreement's terms."""
    head = (f"<h3>{escape(case.number)}　{escape(case.outcome)}</h3>"
            f"<p style='color:#666'>纠纷简要情况：</p><p>{escape(case.summary)}"
            f"{'…' if len(case.summary) >= 80 else ''}</p>")
    if case.signed_on is None:
        return head + "<p style='color:#666'>未达成调解协议。</p>"
    items = "".join(f"<p style='margin-left:1em'>{i}. {escape(t)}</p>" for i, t in enumerate(case.terms, start=1))
    rows = [("签订日期", case.signed_on.isoformat()), ("履行方式", case.performance or "—"),
            ("履行期限", case.deadline.isoformat() if case.deadline else "未约定"),
            ("协议金额", f"{case.amount_yuan} 元")]
    table = "".join(f"<tr><td style='color:#666;padding-right:12px'>{k}</td><td>{escape(v)}</td></tr>"
                    for k, v in rows)
    return head + f"<p style='color:#666'>协议内容：</p>{items or '<p>—</p>'}<table>{table}</table>"


class SimilarCasesTab(QWidget):
    """类案参考: the list of similar earlier cases above the settlement of the selected one."""

    def __init__(self, env: UiEnv, case_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.env = env
        self.case_id = case_id
        self.cases: list[SimilarCase] = []
        self._stale = True  # read on the first show, and on a show after the case changed

        self.table = read_only_table(["案号", "受理日期", "纠纷类型", "村（社区）", "调解结果", "协议金额（元）",
                                      "相似之处"], stretch=6)
        self.table.setObjectName("similar_cases")
        self.empty_label = QLabel(EMPTY)
        self.empty_label.setStyleSheet("color: #888;")
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.empty_label.hide()
        self.open_button = QPushButton("打开案件")
        self.open_button.setObjectName("open_similar_case")
        self.view = QTextBrowser()
        self.view.setObjectName("similar_settlement")
        top = QHBoxLayout()
        top.addWidget(grey_note(NOTE), 1)
        top.addWidget(self.open_button)
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(self.view)
        self.splitter.setSizes([300, 260])
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.empty_label)
        layout.addWidget(self.splitter, 1)

        self.table.itemSelectionChanged.connect(self._on_table_selection_changed)
        self.table.doubleClicked.connect(lambda _index: self.open_selected())
        self.open_button.clicked.connect(lambda _=False: self.open_selected())
        self._on_table_selection_changed()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            self.refresh()

    def invalidate(self) -> None:
        """The case changed (its summary, category or village may have): read again when seen."""
        self._stale = True
        if self.isVisible():
            self.refresh()

    def refresh(self) -> None:
        self._stale = False
        ctx, case_id = self.env.ctx, self.case_id
        run_query(self.env, self, lambda: similar_cases(ctx, case_id), self._show)

    def _show(self, cases: list[SimilarCase]) -> None:
        self.cases = cases
        fill_table(self.table, [similar_row(c) for c in cases], ids=[c.id for c in cases])
        self.splitter.setVisible(bool(cases))
        self.empty_label.setVisible(not cases)
        if cases:
            self.table.selectRow(0)
        self._on_table_selection_changed()

    def selected(self) -> SimilarCase | None:
        chosen = selected_id(self.table)
        return next((c for c in self.cases if c.id == chosen), None)

    def _on_table_selection_changed(self) -> None:
        case = self.selected()
        self.open_button.setEnabled(case is not None)
        self.view.setHtml(settlement_html(case) if case else "")

    def open_selected(self) -> None:
        """Open the selected case in its own workspace (every case listed is one the user may see)."""
        case = self.selected()
        if case is not None:
            self.env.signals.open_case_requested.emit(case.id)
