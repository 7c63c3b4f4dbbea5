"""Dialogs of what is recorded after the fact: 更正 a session record, 变更/补充协议 after signing."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QPlainTextEdit, QWidget

from mediator.domain.case_detail import CaseDetail, SessionRecord
from mediator.domain.enums import SessionKind, SupplementKind
from mediator.domain.errors import ValidationError
from mediator.services.cases.inputs import SessionInput
from mediator.services.cases.session_corrections import correct_session
from mediator.services.cases.supplementary import add_supplementary_agreement
from mediator.ui.dialogs.action_base import ActionDialog, plain, required_text
from mediator.ui.dialogs.action_forms import SessionDialog
from mediator.ui.env import UiEnv
from mediator.ui.workspace.fields import EnumCombo, qdate


class CorrectSessionDialog(SessionDialog):
    """更正调查/调解记录: the record's fields, filled in; what changes is kept on the timeline."""

    title = "更正调查/调解记录"
    ok_text = "保存更正"

    def __init__(self, env: UiEnv, detail: CaseDetail, record: SessionRecord,
                 parent: QWidget | None = None, on_reload: Callable[[], None] | None = None) -> None:
        self.record = record
        super().__init__(env, detail, parent, on_reload)

    def _build(self) -> None:
        super()._build()
        r = self.record
        self.date_edit.setDate(qdate(r.on))
        self.kind_combo.set_current(SessionKind(r.kind))
        self.place_edit.setText(r.place or "")
        self.participants_edit.setText(r.participants or "")
        self.record_edit.setPlainText(r.record or "")
        self.add_hint("更正后，原记录的内容保留在流转记录中。")

    def service_call(self) -> Callable[[], Any]:
        record = required_text(self.record_edit, "record", "请填写调查或调解经过")
        data = SessionInput(on=self.date_of(self.date_edit), kind=self.kind_combo.current(),
                            place=plain(self.place_edit), participants=plain(self.participants_edit),
                            record=record)
        ctx, case_id, session_id, version = self.env.ctx, self.case_id, self.record.id, self.version
        return lambda: correct_session(ctx, case_id, session_id, data, expected_version=version)


class SupplementDialog(ActionDialog):
    """签订变更（补充）协议: the signed agreement stays as it is; this one is recorded beside it."""

    title = "变更（补充）协议"
    ok_text = "保存协议"

    def _build(self) -> None:
        self.setMinimumWidth(600)
        self.kind_combo = EnumCombo(SupplementKind, SupplementKind.SUPPLEMENT)
        self.add_row("协议类别", self.kind_combo, "kind")
        agreement = self.detail.agreement
        signed = agreement.signed_on if agreement else None
        self.date_edit = self.add_date_row("签订日期", None, "signed_on", maximum=self.today, minimum=signed)
        self.terms_edit: QPlainTextEdit = self.add_note_row(
            "协议内容", "terms", "每行一条，如：被申请人的付款期限变更为2026年12月31日前", lines=6)
        self.reason_edit = self.add_text_row("变更（补充）原因", "reason", "如：被申请人因病申请延期履行")
        self.add_hint("原调解协议已签订，不再修改；变更或补充的内容另行签订本协议，原协议内容保留。")

    def terms(self) -> list[str]:
        return [line.strip() for line in self.terms_edit.toPlainText().splitlines() if line.strip()]

    def service_call(self) -> Callable[[], Any]:
        terms = self.terms()
        if not terms:
            raise ValidationError("terms", "请至少填写一条协议内容")
        reason = required_text(self.reason_edit, "reason", "请填写变更或补充的原因")
        kind, signed_on = self.kind_combo.current(), self.date_of(self.date_edit)
        ctx, case_id, version = self.env.ctx, self.case_id, self.version
        return lambda: add_supplementary_agreement(ctx, case_id, kind, signed_on, terms, reason,
                                                   expected_version=version)
