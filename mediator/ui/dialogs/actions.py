"""Case action dialogs: the simple ones (a date and a reason) and the one place that picks a dialog."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from PySide6.QtWidgets import QWidget

from mediator.domain.case_detail import CaseDetail
from mediator.domain.lifecycle import Action
from mediator.services.cases import lifecycle as cases
from mediator.services.context import ServiceContext
from mediator.ui.dialogs.action_base import ActionDialog, plain, required_text
from mediator.ui.dialogs.pending_review import PendingReviewCheck
from mediator.ui.env import UiEnv

# (ctx, case_id, on, text, expected_version, withdraw_review) -> None
SimpleCall = Callable[[ServiceContext, int, date, str, int, bool], None]


@dataclass(frozen=True)
class SimpleSpec:
    """What a date-and-text action asks for."""

    date_label: str
    text_label: str
    text_path: str
    call: SimpleCall
    required: str | None = None  # the message when the text is left empty; None: optional
    placeholder: str = ""
    hint: str = ""
    ok_text: str = "确定"
    withdraws_review: str = ""  # the move, named in the question, when it ends a pending review


SIMPLE_SPECS: dict[Action, SimpleSpec] = {
    Action.ACCEPT: SimpleSpec(
        "受理日期", "备注", "note",
        lambda ctx, i, on, text, v, _w: cases.accept_case(ctx, i, on, note=text, expected_version=v),
        ok_text="受理"),
    Action.REJECT: SimpleSpec(
        "决定日期", "不予受理理由", "reason",
        lambda ctx, i, on, text, v, w: cases.reject_case(ctx, i, text, on, expected_version=v,
                                                         withdraw_review=w),
        required="请填写不予受理的理由",
        placeholder="如：一方当事人明确拒绝调解",
        hint="当事人一方明确拒绝调解的，不得调解（《人民调解法》第十七条）。", ok_text="不予受理",
        withdraws_review="不予受理"),
    Action.START: SimpleSpec(
        "开始日期", "备注", "note",
        lambda ctx, i, on, text, v, _w: cases.start_mediation(ctx, i, on, note=text, expected_version=v),
        ok_text="开始调解"),
    Action.FAIL: SimpleSpec(
        "终止日期", "终止原因", "reason",
        lambda ctx, i, on, text, v, w: cases.fail_mediation(ctx, i, text, on, expected_version=v,
                                                            withdraw_review=w),
        placeholder="如：双方分歧较大，经多次调解未能达成协议",
        hint="调解不成的，应当终止调解，并告知当事人可以依法通过仲裁、行政、司法等途径维护"
             "自己的权利（《人民调解法》第二十六条）。", ok_text="终止调解",
        withdraws_review="终止调解"),
    Action.WITHDRAW: SimpleSpec(
        "撤回日期", "撤回原因", "reason",
        lambda ctx, i, on, text, v, w: cases.withdraw_case(ctx, i, text, on, expected_version=v,
                                                           withdraw_review=w),
        hint="当事人有权要求终止调解（《人民调解法》第二十三条）。", ok_text="撤回",
        withdraws_review="撤回"),
    Action.PAUSE: SimpleSpec(
        "中止日期", "中止理由", "reason",
        lambda ctx, i, on, text, v, _w: cases.pause_clock(ctx, i, text, on, expected_version=v),
        required="请填写中止计时的理由",
        placeholder="如：医疗损害鉴定期间不计入调解期限", ok_text="中止计时"),
    Action.RESUME: SimpleSpec(
        "恢复日期", "说明", "reason",
        lambda ctx, i, on, text, v, _w: cases.resume_clock(ctx, i, text, on, expected_version=v),
        placeholder="如：鉴定意见已送达", ok_text="恢复计时"),
    Action.ARCHIVE: SimpleSpec(
        "归档日期", "备注", "note",
        lambda ctx, i, on, text, v, w: cases.archive_case(ctx, i, on, note=text, expected_version=v,
                                                           withdraw_review=w),
        hint="归档后案件不能再办理，请确认卷宗材料齐全。", ok_text="归档"),
}


class SimpleActionDialog(ActionDialog):
    """A date (today by default, not later) and a reason or note."""

    def __init__(self, env: UiEnv, detail: CaseDetail, action: Action,
                 parent: QWidget | None = None, on_reload: Callable[[], None] | None = None) -> None:
        self.action = action
        self.spec = SIMPLE_SPECS[action]
        self.title = action.label
        self.ok_text = self.spec.ok_text
        super().__init__(env, detail, parent, on_reload)

    def _build(self) -> None:
        self.date_edit = self.add_date_row(self.spec.date_label, None, "on", maximum=self.today)
        label = self.spec.text_label + ("" if self.spec.required else "（可不填）")
        self.text_edit = self.add_text_row(label, self.spec.text_path, self.spec.placeholder)
        if self.spec.hint:
            self.add_hint(self.spec.hint)
        self.review_check = PendingReviewCheck(self.env, self, self.case_id, self.spec.withdraws_review) \
            if self.spec.withdraws_review else None

    def accept(self) -> None:
        """A move that ends the case with a review pending asks before it withdraws the review
        (once the form is filled in: a missing reason is shown first)."""
        missing = bool(self.spec.required) and not plain(self.text_edit)
        if self.review_check is None or missing or self.review_check.ask(self.title):
            super().accept()

    def service_call(self) -> Callable[[], None]:
        if self.spec.required:
            text = required_text(self.text_edit, self.spec.text_path, self.spec.required)
        else:
            text = plain(self.text_edit)
        on = self.date_of(self.date_edit)
        ctx, case_id, version, call = self.env.ctx, self.case_id, self.version, self.spec.call
        withdraw = self.review_check is not None and self.review_check.confirmed
        return lambda: call(ctx, case_id, on, text, version, withdraw)


def dialog_for_action(action: Action | str, env: UiEnv, detail: CaseDetail,
                      parent: QWidget | None = None,
                      on_reload: Callable[[], None] | None = None) -> ActionDialog:
    """The dialog that carries out ``action`` on the case in ``detail``."""
    from mediator.ui.dialogs.action_forms import (
        ExtendDialog,
        LevelDialog,
        SessionDialog,
        TransferDialog,
    )
    from mediator.ui.dialogs.action_records import (
        AgreementDialog,
        FollowUpDialog,
        JudicialConfirmationDialog,
        PerformanceDialog,
    )

    action = Action(action)
    if action is Action.ARCHIVE:  # asks for the 卷宗情况说明 when the dossier lacks an item
        from mediator.ui.dialogs.archive import ArchiveDialog

        return ArchiveDialog(env, detail, parent, on_reload)
    if action in SIMPLE_SPECS:
        return SimpleActionDialog(env, detail, action, parent, on_reload)
    if action in (Action.ESCALATE, Action.HAND_DOWN):
        return LevelDialog(env, detail, action, parent, on_reload)
    classes: dict[Action, type[ActionDialog]] = {
        Action.RECORD_SESSION: SessionDialog,
        Action.AGREE: AgreementDialog,
        Action.TRANSFER: TransferDialog,
        Action.EXTEND: ExtendDialog,
        Action.PERFORM: PerformanceDialog,
        Action.FOLLOW_UP: FollowUpDialog,
        Action.JUDICIAL_CONFIRMATION: JudicialConfirmationDialog,
    }
    if action not in classes:
        raise ValueError(f"no dialog for action {action.value!r}")
    return classes[action](env, detail, parent, on_reload)
