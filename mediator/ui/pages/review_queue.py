"""待我审查: the reviews waiting for an advisor, the case file read-only, and the opinion form."""
from __future__ import annotations

from html import escape
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from mediator.domain.enums import PartyRole, ReviewResult, SessionKind
from mediator.domain.errors import ValidationError, ValidationErrors
from mediator.domain.permissions import Permission
from mediator.services.access import is_advisor
from mediator.services.advisors import reviews as reviews
from mediator.services.advisors.registry import advisor_choices
from mediator.services.documents import review_opinion
from mediator.ui.env import UiEnv
from mediator.ui.errors import show_error
from mediator.ui.ops import run_op, run_query
from mediator.ui.save_dialog import ask_save_path
from mediator.ui.widgets.field_error import FieldError
from mediator.ui.widgets.overview_bits import (
    GREY,
    RED,
    MessageLine,
    fill_table,
    read_only_table,
    selected_id,
)
from mediator.ui.workspace.record_tabs import agreement_html, draft_html
from mediator.ui.workspace.tables import label_of


def _agreement_part(found: reviews.ReviewDetail) -> str:
    """The signed agreement, else the draft as it was sent (and whether it was revised since)."""
    detail = found.case
    if detail.agreement:
        return agreement_html(detail.agreement, len(detail.parties), detail.track)
    if found.draft is None:
        return "<p style='color:#666'>送审时尚未拟定协议草稿。</p>"
    note = ""
    if found.current_revision is not None and found.current_revision != found.draft.revision:
        note = (f"<p style='color:#c62828'>送审后调解员已修改协议草稿（现为第{found.current_revision}稿），"
                "以下为送审时的第{0}稿。</p>".format(found.draft.revision))
    return note + draft_html(found.draft, len(detail.parties))


def case_file_html(found: reviews.ReviewDetail) -> str:
    """The case file as the advisor reads it: the request, facts, parties, sessions, the draft."""
    detail, review = found.case, found.review
    def p(label: str, text: str) -> str:
        body = escape(text or "—").replace("\n", "<br>")
        return f"<p><span style='color:#666'>{label}：</span>{body}</p>"

    parties = "".join(
        f"<tr><td>{escape(label_of(PartyRole, x.role))}</td><td>{escape(x.name)}</td>"
        f"<td>{escape(x.address or '')}</td></tr>" for x in detail.parties)
    sessions = "".join(
        f"<p><b>{s.on} {escape(label_of(SessionKind, s.kind))}</b>　{escape(s.place or '')}<br>"
        f"{escape(s.record or '').replace(chr(10), '<br>')}</p>" for s in detail.sessions) or "<p>—</p>"
    agreement = _agreement_part(found)
    return (f"<h3>{escape(detail.number)}　{escape(detail.category_label)}纠纷</h3>"
            + p("调解类型", f"{detail.track_label}　状态：{detail.status_label}")
            + p("所在村（社区）", detail.village) + p("调解组织", detail.organization)
            + p("调解员", "、".join(detail.mediators)) + p("收案日期", detail.received_on.isoformat())
            + p("送审说明", f"{review.requested_by}于{review.requested_on.isoformat()}送审。{review.request_note}")
            + p("纠纷简要情况", detail.summary) + p("申请事项", detail.requests)
            + f"<p style='color:#666'>当事人：</p><table cellpadding='3'>{parties}</table>"
            + "<p style='color:#666'>调查与调解记录：</p>" + sessions + agreement)


class ReviewQueuePage(QWidget):
    """The advisor's queue (an advisor sees only their own reviews; the office sees all of them)."""

    def __init__(self, env: UiEnv, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.env = env
        self.office = not is_advisor(env.user)
        self.rows: list[reviews.ReviewRow] = []
        self.advisor_filter = QComboBox()
        self.advisor_filter.setObjectName("review_advisor_filter")
        self.pending_only = QCheckBox("只看待审查")
        self.pending_only.setChecked(True)
        self.count = QLabel()
        self.table = read_only_table(["状态", "应办结", "案号", "村（社区）", "法律顾问", "当事人"])
        self.case_view = QTextBrowser()
        self.case_view.setObjectName("review_case_file")
        self.result_buttons = {result: QRadioButton(result.label) for result in ReviewResult.answers()}
        self.approve = self.result_buttons[ReviewResult.APPROVED]
        self.amend = self.result_buttons[ReviewResult.AMENDED]
        self.disapprove = self.result_buttons[ReviewResult.DISAPPROVED]
        self.result_group = QButtonGroup(self)
        for button in self.result_buttons.values():
            self.result_group.addButton(button)
        self.result_error = FieldError()
        self.opinion = QPlainTextEdit()
        self.opinion.setTabChangesFocus(True)
        self.opinion.setPlaceholderText("审查意见：协议内容是否合法、明确、可履行。"
                                        "同意可不填；修改后同意请逐条写明需要修改之处；不同意请写明理由")
        self.opinion_error = FieldError()
        self.submit_button = QPushButton("提交审查意见")
        self.submit_button.setDefault(True)
        self.print_button = QPushButton("审查意见书…")
        self.print_button.setToolTip("保存法律顾问审查意见书（PDF）")
        self.submit_button.setVisible(env.can(Permission.ADVISOR_REVIEW))  # hide, not grey
        self.print_button.setVisible(env.can(Permission.DOCUMENT_PRINT))
        self.message = MessageLine()
        self._layout()
        self.advisor_filter.currentIndexChanged.connect(lambda _i: self.refresh())
        self.pending_only.toggled.connect(lambda _on: self.refresh())
        self.table.itemSelectionChanged.connect(self._on_table_item_selection_changed)
        self.submit_button.clicked.connect(lambda _=False: self.submit())
        self.print_button.clicked.connect(lambda _=False: self.save_opinion())
        env.signals.cases_changed.connect(self._on_signals_cases_changed)
        self._fill_advisors()

    def _layout(self) -> None:
        bar = QHBoxLayout()
        if self.office:
            bar.addWidget(QLabel("法律顾问"))
            bar.addWidget(self.advisor_filter)
        else:
            self.advisor_filter.hide()
        bar.addWidget(self.pending_only)
        bar.addStretch(1)
        bar.addWidget(self.count)
        form = QWidget()
        form_layout = QVBoxLayout(form)
        form_layout.setContentsMargins(0, 0, 0, 0)
        form_layout.addWidget(self.case_view, 1)
        results = QHBoxLayout()
        results.addWidget(QLabel("审查结论："))
        for button in self.result_buttons.values():
            results.addWidget(button)
        results.addStretch(1)
        form_layout.addLayout(results)
        form_layout.addWidget(self.result_error)
        self.opinion.setFixedHeight(self.opinion.fontMetrics().lineSpacing() * 5 + 14)
        form_layout.addWidget(self.opinion)
        form_layout.addWidget(self.opinion_error)
        buttons = QHBoxLayout()
        buttons.addWidget(self.print_button)
        buttons.addStretch(1)
        buttons.addWidget(self.submit_button)
        form_layout.addLayout(buttons)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.table)
        splitter.addWidget(form)
        splitter.setSizes([620, 560])
        splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.message)

    def _fill_advisors(self) -> None:
        if not self.office:
            self.refresh()
            return
        ctx = self.env.ctx
        run_query(self.env, self, lambda: advisor_choices(ctx, active_only=False), self._show_advisors)

    def _show_advisors(self, choices: list[tuple[int, str]]) -> None:
        self.advisor_filter.blockSignals(True)
        self.advisor_filter.clear()
        self.advisor_filter.addItem("全部法律顾问", None)
        for advisor_id, label in choices:
            self.advisor_filter.addItem(label, advisor_id)
        self.advisor_filter.blockSignals(False)
        self.refresh()

    # --- loading ------------------------------------------------------------------------------
    def _on_signals_cases_changed(self, _ids: list) -> None:
        self.refresh()  # e.g. a review was requested or decided

    def refresh(self) -> None:
        ctx, advisor_id, pending = self.env.ctx, self.advisor_filter.currentData(), self.pending_only.isChecked()
        run_query(self.env, self, lambda: reviews.review_queue(ctx, advisor_id=advisor_id, pending_only=pending),
                  self._show)

    def _show(self, rows: list[reviews.ReviewRow]) -> None:
        today = self.env.ctx.today()
        previous = selected_id(self.table)
        self.rows = rows
        states = ["已逾期" if r.overdue(today) else r.result_label for r in rows]
        fill_table(self.table, [(s, r.due.isoformat(), r.case_number, r.village, r.advisor, r.parties)
                                for s, r in zip(states, rows, strict=True)],
                   ids=[r.id for r in rows],
                   colors=[RED if r.overdue(today) else None if r.pending else GREY for r in rows])
        waiting = sum(r.pending for r in rows)
        self.count.setText(f"待审查{waiting}件" + (f"，其中逾期{sum(r.overdue(today) for r in rows)}件"
                                                 if any(r.overdue(today) for r in rows) else ""))
        ids = [r.id for r in rows]
        if ids:
            self.table.selectRow(ids.index(previous) if previous in ids else 0)
        self._on_table_item_selection_changed()

    def current(self) -> reviews.ReviewRow | None:
        review_id = selected_id(self.table)
        return next((r for r in self.rows if r.id == review_id), None)

    def _on_table_item_selection_changed(self) -> None:
        row = self.current()
        self._clear_errors()
        pending = row is not None and row.pending
        for widget in (*self.result_buttons.values(), self.opinion, self.submit_button):
            widget.setEnabled(pending)
        self.print_button.setEnabled(row is not None and not row.pending)
        self.result_group.setExclusive(False)
        for result, button in self.result_buttons.items():
            button.setChecked(row is not None and row.result == result.value)
        self.result_group.setExclusive(True)
        self.opinion.setPlainText(row.opinion if row else "")
        if row is None:
            self.case_view.setHtml("<p style='color:#888'>没有选中的审查。</p>")
            return
        ctx = self.env.ctx
        run_query(self.env, self, lambda: reviews.review_detail(ctx, row.id),
                  lambda found: self.case_view.setHtml(case_file_html(found)))

    # --- the opinion --------------------------------------------------------------------------
    def _clear_errors(self) -> None:
        self.result_error.show_message(None)
        self.opinion_error.show_message(None)

    def submit(self) -> None:
        row = self.current()
        if row is None or not row.pending:
            return
        self._clear_errors()
        self.message.clear_message()
        result = next((r for r, b in self.result_buttons.items() if b.isChecked()), ReviewResult.PENDING)
        ctx, opinion = self.env.ctx, self.opinion.toPlainText()
        run_op(self.env, self,
               lambda: reviews.decide_review(ctx, row.id, result, opinion, expected_version=row.version),
               on_success=lambda _changes: self._on_decided(row, result), on_failure=self._on_submit_failed,
               label="正在提交…")

    def _on_decided(self, row: reviews.ReviewRow, result: ReviewResult) -> None:
        # the changes then say cases_changed([case]): this queue and the ledger reload
        self.message.done(f"已提交{row.case_number}的审查意见：{result.label}")

    def _on_submit_failed(self, exc: BaseException) -> None:
        errors = (exc.errors if isinstance(exc, ValidationErrors)
                  else [exc] if isinstance(exc, ValidationError) else None)
        if errors is None:
            show_error(self, exc, on_reload=self.refresh)
            return
        for error in errors:
            target = self.opinion_error if error.path == "opinion" else self.result_error
            target.show_message(error.message)

    def save_opinion(self, path: str | None = None) -> None:
        row = self.current()
        if row is None:
            return
        if path is None:
            path = ask_save_path(
                self.env.settings, self, "保存审查意见书",
                f"{row.case_number}-法律顾问审查意见书.pdf", "PDF 文件 (*.pdf)", ".pdf")
        if not path:
            return
        ctx = self.env.ctx
        run_query(self.env, self,
                  lambda: Path(path).write_bytes(review_opinion.render_review_opinion(ctx, row.id).data),
                  lambda _n: self.message.done(f"已保存审查意见书：{path}"), label="正在生成…")
