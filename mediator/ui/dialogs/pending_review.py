"""A move that ends a case (不予受理, 调解不成, 撤回, 归档) withdraws a review still pending at the
legal advisor's: the dialog reads whether there is one and asks before it goes ahead."""
from __future__ import annotations

from PySide6.QtWidgets import QWidget

from mediator.services.advisors.reviews import ReviewRow, reviews_for_case
from mediator.ui import errors as ui_errors
from mediator.ui.env import UiEnv
from mediator.ui.ops import run_query


class PendingReviewCheck:
    """The case's pending review (read when the dialog opens) and whether the user confirmed
    withdrawing it; ``what`` names the move in the question (归档, 不予受理, …)."""

    def __init__(self, env: UiEnv, dialog: QWidget, case_id: int, what: str) -> None:
        self.dialog = dialog
        self.what = what
        self.pending: ReviewRow | None = None
        self.confirmed = False
        ctx = env.ctx
        run_query(env, dialog, lambda: reviews_for_case(ctx, case_id), self._show)

    def _show(self, rows: list[ReviewRow]) -> None:
        self.pending = next((r for r in rows if r.pending), None)

    def ask(self, title: str) -> bool:
        """Whether the move may go ahead: no pending review, or the user agreed to withdraw it."""
        if self.pending is None or self.confirmed:
            return True
        r = self.pending
        if not ui_errors.ask(self.dialog, title,
                             f"该案件于{r.requested_on.isoformat()}送法律顾问{r.advisor}的审查尚未办结。"
                             f"{self.what}将撤回该审查（流转记录中注明），确定{self.what}吗？"):
            return False
        self.confirmed = True
        return True
