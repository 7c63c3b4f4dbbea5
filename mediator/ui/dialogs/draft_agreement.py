"""拟定协议 / 修改协议草稿: the draft agreement of a case in mediation, in the agreement editor."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QWidget

from mediator.domain.case_detail import CaseDetail
from mediator.services.cases.drafts import DraftAgreement, save_draft_agreement
from mediator.ui.dialogs.action_base import EditorDialog
from mediator.ui.env import UiEnv
from mediator.ui.workspace.agreement_editor import AgreementEditor


class DraftAgreementDialog(EditorDialog):
    """The draft's facts, terms, performance, deadline, amount and copies; each save is a revision
    (the timeline keeps what it replaced). A second user's stale save gets the conflict dialog."""

    ok_text = "保存草稿"
    expanding = True

    def __init__(self, env: UiEnv, detail: CaseDetail, draft: DraftAgreement | None,
                 parent: QWidget | None = None, on_reload: Callable[[], None] | None = None) -> None:
        self.draft = draft
        self.title = "修改协议草稿" if draft is not None else "拟定协议"
        super().__init__(env, detail, parent, on_reload)

    def _build(self) -> None:
        self.setMinimumSize(760, 600)
        self.resize(820, 680)
        received = self.detail.received_on
        self.editor = AgreementEditor(len(self.detail.parties), self.today, minimum=received, drafting=True)
        if self.draft is not None:
            self.editor.fill(self.draft.text)
            self.add_hint(f"当前为第{self.draft.revision}稿（{self.draft.updated_by}"
                          f"于{self.draft.saved_at}保存）。保存后为第{self.draft.revision + 1}稿，"
                          "流转记录中保留每处修改前后的内容。")
        else:
            self.editor.facts_edit.setPlainText(self.detail.summary or "")
            self.editor.add_term()
            self.add_hint("协议草稿可送法律顾问审查；审查后修改并签订协议（达成协议时以草稿为准）。")
        self.body.addWidget(self.editor, 1)

    def service_call(self) -> Callable[[], Any]:
        data = self.editor.draft_value()
        ctx, case_id, version = self.env.ctx, self.case_id, self.version
        return lambda: save_draft_agreement(ctx, case_id, data, version)
