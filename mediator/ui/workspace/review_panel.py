"""法律顾问审查 in the case workspace: send the file for review, and the reviews with their opinions."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from mediator.domain.case_detail import CaseDetail
from mediator.services.access import is_advisor
from mediator.services.advisors import registry as adv
from mediator.services.advisors import reviews as reviews
from mediator.services.documents import review_opinion
from mediator.ui.dialogs.advisor_dialogs import RequestReviewDialog
from mediator.ui.env import UiEnv
from mediator.ui.ops import run_query
from mediator.ui.save_dialog import ask_save_path
from mediator.ui.widgets.overview_bits import (
    GREY,
    RED,
    MessageLine,
    fill_table,
    read_only_table,
    selected_id,
)

CLOSED = ("rejected", "withdrawn", "archived")
NOT_APPROVED = ("returned", "disapproved")


@dataclass(frozen=True)
class ReviewState:
    reviews: list[reviews.ReviewRow]
    choice: adv.AdvisorChoice | None
    advisors: list[tuple[int, str]]


def load_review_state(ctx, case_id: int) -> ReviewState:
    return ReviewState(reviews.reviews_for_case(ctx, case_id), adv.advisor_for_case(ctx, case_id),
                       adv.advisor_choices(ctx))


class ReviewPanel(QGroupBox):
    """The case's advisor reviews, its village's advisor and the 送法律顾问审查 action.

    Signals:
        changed(): a review was requested; the workspace reloads the case.
    """

    changed = Signal()

    def __init__(self, env: UiEnv, case_id: int, parent: QWidget | None = None) -> None:
        super().__init__("法律顾问审查", parent)
        self.setObjectName("review_panel")
        self.env = env
        self.case_id = case_id
        self.detail: CaseDetail | None = None
        self.state: ReviewState | None = None
        self.dialog: RequestReviewDialog | None = None
        self.office = not is_advisor(env.user)
        self.advisor_label = QLabel()
        self.advisor_label.setObjectName("review_advisor")
        self.advisor_label.setWordWrap(True)
        self.table = read_only_table(["送审日期", "法律顾问", "应办结", "结果", "审查日期", "审查意见"], stretch=5)
        self.table.setMinimumHeight(90)
        self.table.setMaximumHeight(200)
        self.request_button = QPushButton("送法律顾问审查…")
        self.request_button.setObjectName("request_review")
        self.request_button.setVisible(self.office)
        self.print_button = QPushButton("审查意见书…")
        self.print_button.setToolTip("保存所选审查的法律顾问审查意见书（PDF）")
        self.message = MessageLine()
        top = QHBoxLayout()
        top.addWidget(self.advisor_label, 1)
        top.addWidget(self.print_button)
        top.addWidget(self.request_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table)
        layout.addWidget(self.message)
        self.request_button.clicked.connect(lambda _=False: self.request_review())
        self.print_button.clicked.connect(lambda _=False: self.save_opinion())
        self.table.itemSelectionChanged.connect(self._update_buttons)

    def show_case(self, detail: CaseDetail) -> None:
        """Called whenever the workspace shows the case (after every reload)."""
        self.detail = detail
        ctx, case_id = self.env.ctx, self.case_id
        run_query(self.env, self, lambda: load_review_state(ctx, case_id), self._show)

    def _show(self, state: ReviewState) -> None:
        self.state = state
        today = self.env.ctx.today()
        village = self.detail.village if self.detail else ""
        if state.choice is not None:
            self.advisor_label.setText(f"{village}法律顾问：{state.choice.name}"
                                       f"（聘期至{state.choice.appointment_end.isoformat()}）")
            self.advisor_label.setStyleSheet("")
        else:
            self.advisor_label.setText(f"{village}目前没有在聘的法律顾问，送审时须指定一名。")
            self.advisor_label.setStyleSheet("color: #c62828;")
        rows = state.reviews
        fill_table(self.table, [(r.requested_on.isoformat(), r.advisor, r.due.isoformat(),
                                 "已逾期" if r.overdue(today) else r.result_label
                                 + (f"（第{r.draft_revision}稿）" if r.draft_revision else ""),
                                 r.reviewed_on.isoformat() if r.reviewed_on else "", r.opinion or r.request_note)
                                for r in rows], ids=[r.id for r in rows],
                   colors=[RED if r.overdue(today) or r.result in NOT_APPROVED else None if r.pending else GREY
                           for r in rows])
        self.setTitle(f"法律顾问审查（{len(rows)}）" if rows else "法律顾问审查")
        if rows:
            self.table.selectRow(len(rows) - 1)
        self._update_buttons()

    def current(self) -> reviews.ReviewRow | None:
        review_id = selected_id(self.table)
        return next((r for r in (self.state.reviews if self.state else []) if r.id == review_id), None)

    def _update_buttons(self) -> None:
        pending = any(r.pending for r in (self.state.reviews if self.state else []))
        closed = self.detail is None or self.detail.status in CLOSED
        self.request_button.setEnabled(self.state is not None and not pending and not closed)
        self.request_button.setToolTip("该案件已有待办结的审查" if pending else "")
        row = self.current()
        self.print_button.setEnabled(row is not None and not row.pending)

    def request_review(self) -> RequestReviewDialog | None:
        """Open the request dialog (window-modal, not blocking); returns it."""
        if self.state is None or not self.request_button.isEnabled():
            return None
        dialog = RequestReviewDialog(self.env, self.case_id, self.state.choice, self.state.advisors, self)
        dialog.accepted.connect(self._on_dialog_accepted)
        self.dialog = dialog
        dialog.open()
        return dialog

    def _on_dialog_accepted(self) -> None:
        self.message.done("已送法律顾问审查")  # the dialog's write then says reminders_changed
        self.changed.emit()

    def save_opinion(self, path: str | None = None) -> None:
        row = self.current()
        if row is None or row.pending:
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
