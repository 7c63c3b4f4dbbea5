"""归档: the date, a note, and — when the dossier lacks a required item — the written reason that
goes into its 卷宗情况说明 (DOMAIN: 卷宗). A review still pending is withdrawn only when the
user confirms it."""
from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QLabel, QWidget

from mediator.domain.case_detail import CaseDetail
from mediator.services.cases import lifecycle as cases
from mediator.services.documents.dossier import DossierStatus, dossier_status
from mediator.ui.dialogs.action_base import ActionDialog, plain
from mediator.ui.dialogs.pending_review import PendingReviewCheck
from mediator.ui.env import UiEnv
from mediator.ui.ops import run_query


class ArchiveDialog(ActionDialog):
    """Archive the case; the dossier's completeness is shown and a missing item needs a reason."""

    title = "归档"
    ok_text = "归档"

    def __init__(self, env: UiEnv, detail: CaseDetail, parent: QWidget | None = None,
                 on_reload: Callable[[], None] | None = None) -> None:
        self.status: DossierStatus | None = None
        super().__init__(env, detail, parent, on_reload)

    def _build(self) -> None:
        self.date_edit = self.add_date_row("归档日期", None, "on", maximum=self.today)
        self.note_edit = self.add_text_row("备注（可不填）", "note")
        self.completeness = QLabel("正在检查卷宗材料…")
        self.completeness.setObjectName("dossier_completeness")
        self.completeness.setWordWrap(True)
        self.form.addRow("卷宗材料", self.completeness)
        self.reason_edit = self.add_note_row("卷宗情况说明", "reason",
                                             "缺少必备材料时必填：说明缺少的原因，如“身份证明为纸质存档”",
                                             lines=4)
        self.add_hint("归档后案件不能再办理。缺少的必备材料及其说明将写入卷宗的“卷宗情况说明”和备考表。")
        ctx, case_id = self.env.ctx, self.case_id
        run_query(self.env, self, lambda: dossier_status(ctx, case_id), self._show_status)
        self.review_check = PendingReviewCheck(self.env, self, case_id, "归档")

    def accept(self) -> None:
        """A review still pending: ask whether to withdraw it with the archiving."""
        if self.review_check.ask("归档"):
            super().accept()

    def _show_status(self, status: DossierStatus) -> None:
        self.status = status
        if status.missing:
            self.completeness.setText("缺少必备材料：" + "、".join(status.missing)
                                      + "。请补齐（如上传附件、出具告知书）或填写卷宗情况说明。")
            self.completeness.setStyleSheet("color: #c62828;")
        else:
            self.completeness.setText("必备材料齐全。")
            self.completeness.setStyleSheet("color: #2e7d32;")

    def service_call(self) -> Callable[[], None]:
        on = self.date_of(self.date_edit)
        note, reason = plain(self.note_edit), plain(self.reason_edit)
        ctx, case_id, version = self.env.ctx, self.case_id, self.version
        withdraw = self.review_check.confirmed
        return lambda: cases.archive_case(ctx, case_id, on, note=note, expected_version=version,
                                          reason=reason or None, withdraw_review=withdraw)
