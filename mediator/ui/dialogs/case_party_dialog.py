"""The parties of a registered case, corrected in the workspace: add, edit (the intake dialog,
saved through the correction services) and remove with a reason."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QLabel, QWidget

from mediator.domain.case_detail import CaseDetail, PartyDetail
from mediator.domain.enums import Gender, PartyKind, PartyRole
from mediator.domain.errors import ValidationError
from mediator.services.cases.corrections import add_party, remove_party, update_party
from mediator.services.cases.inputs import AgentInput, PartyInput
from mediator.services.cases.personal_data import RevealedParty
from mediator.ui.dialogs.action_base import ActionDialog, required_text
from mediator.ui.dialogs.party_dialog import PartyDialog
from mediator.ui.env import UiEnv
from mediator.ui.ops import run_op
from mediator.ui.widgets.field_error import FieldError
from mediator.ui.workspace.fields import show_write_failure

FROZEN_HINT = ("协议已签订，当事人的身份、类型、姓名（名称）、身份证号和统一社会信用代码不能再修改；"
               "如有变更，请签订变更（补充）协议。")


def party_input(p: PartyDetail, revealed: RevealedParty | None) -> PartyInput:
    """A party of ``case_detail`` as the dialog edits it, with its real 身份证号 and phones."""
    agent = p.agent
    return PartyInput(
        role=PartyRole(p.role), kind=PartyKind(p.kind), name=p.name,
        gender=Gender(p.gender) if p.gender else None, ethnicity=p.ethnicity,
        birth_date=p.birth_date,
        id_number=revealed.id_number if revealed else p.id_number,
        phone=revealed.phone if revealed else p.phone, address=p.address,
        occupation=p.occupation, credit_code=p.credit_code,
        representative=p.representative,
        agent=None if not agent else AgentInput(
            name=agent.name, phone=revealed.agent_phone if revealed else agent.phone,
            relation=agent.relation),
    )


class CasePartyDialog(PartyDialog):
    """添加当事人 / 修改当事人 of a registered case: OK saves through the correction services.

    Checked live as at intake; the service's errors show beside their fields, a stale case
    version offers to reload (the dialog closes then). Accepted only once saved.

    Args:
        detail: ``case_detail`` of the case as the workspace shows it.
        party_id: the party edited, or None to add one.
        party: its current values (None to add).
        frozen_identity: the agreement is signed: who the party is cannot change.
        on_reload: what reloading the case means.
    """

    def __init__(self, env: UiEnv, detail: CaseDetail, party_id: int | None, party: PartyInput | None,
                 parent: QWidget | None = None, *, role: PartyRole | None = None,
                 frozen_identity: bool = False, on_reload: Callable[[], None] | None = None) -> None:
        super().__init__(env, party, parent, role=role)
        self.case_id: int = detail.id  # 读取身份证照片 offers to attach the photo to this case
        self.version: int = detail.version
        self.party_id = party_id
        self.on_reload = on_reload
        self.setWindowTitle(f"{'修改当事人' if party_id else '添加当事人'} — {detail.number}")
        self.general_error = FieldError()
        self.general_error.setObjectName("general_error")
        layout = self.layout()
        layout.insertWidget(layout.indexOf(self.buttons), self.general_error)
        self.frozen_hint = QLabel(FROZEN_HINT)
        self.frozen_hint.setObjectName("frozen_hint")
        self.frozen_hint.setWordWrap(True)
        self.frozen_hint.setStyleSheet("color: #ef6c00;")
        self.frozen_hint.setVisible(frozen_identity)
        layout.insertWidget(0, self.frozen_hint)
        for widget in (self.role_combo, self.kind_combo, self.name_edit, self.id_edit, self.credit_edit):
            widget.setEnabled(not frozen_identity)
            if frozen_identity:
                widget.setToolTip(FROZEN_HINT)
        self.adjustSize()

    def submit(self, party: PartyInput) -> None:
        ctx, case_id, party_id, version = self.env.ctx, self.case_id, self.party_id, self.version
        if party_id is None:
            def call():
                return add_party(ctx, case_id, party, expected_version=version)
        else:
            def call():
                return update_party(ctx, case_id, party_id, party, expected_version=version)
        self.general_error.show_message(None)
        self.ok_button.setEnabled(False)
        run_op(self.env, self, call, on_success=self._on_saved, on_failure=self._on_save_failed,
               label="正在保存…")

    def _on_saved(self, _changes: object) -> None:
        self.ok_button.setEnabled(True)
        PartyDialog.submit(self, self.party)

    def _on_save_failed(self, exc: BaseException) -> None:
        self.ok_button.setEnabled(True)
        show_write_failure(self, exc, self._show_validation, self._on_conflict_reload)

    def _show_validation(self, found: list[ValidationError]) -> None:
        errors = [ValidationError(e.path.removeprefix("party.") if e.path.startswith("party.") else "", e.message)
                  for e in found]
        left = self.errors.show(errors)
        self.general_error.show_message("\n".join(e.message for e in left) or None)

    def _on_conflict_reload(self) -> None:
        self.reject()
        if self.on_reload is not None:
            self.on_reload()


class RemovePartyDialog(ActionDialog):
    """删除当事人 (registered by mistake): the reason is kept on the timeline."""

    title = "删除当事人"
    ok_text = "删除"

    def __init__(self, env: UiEnv, detail: CaseDetail, party: PartyDetail,
                 parent: QWidget | None = None, on_reload: Callable[[], None] | None = None) -> None:
        self.party = party
        super().__init__(env, detail, parent, on_reload)

    def _build(self) -> None:
        role = PartyRole(self.party.role).label
        self.add_hint(f"将删除{role}“{self.party.name}”。删除的内容和理由记入流转记录。")
        self.reason_edit = self.add_text_row("删除理由", "reason", "如：登记时误录")

    def service_call(self) -> Callable[[], Any]:
        reason = required_text(self.reason_edit, "reason", "请填写删除当事人的理由")
        ctx, case_id, party_id, version = self.env.ctx, self.case_id, self.party.id, self.version
        return lambda: remove_party(ctx, case_id, party_id, reason, expected_version=version)
