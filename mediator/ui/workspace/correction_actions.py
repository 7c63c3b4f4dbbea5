"""The corrections a workspace offers after registration, each in its own window-modal dialog:
parties added, edited and removed, a session record corrected, a 变更/补充协议 recorded."""
from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QDialog, QWidget

from mediator.domain.case_detail import CaseDetail, PartyDetail, SessionRecord
from mediator.domain.enums import PartyRole
from mediator.services.cases.personal_data import RevealedParty, reveal_party
from mediator.ui.dialogs.case_party_dialog import CasePartyDialog, RemovePartyDialog, party_input
from mediator.ui.dialogs.correction_dialogs import CorrectSessionDialog, SupplementDialog
from mediator.ui.env import UiEnv
from mediator.ui.ops import run_query


class CaseCorrections:
    """Opens the correction dialogs of one case; ``on_saved`` runs once one of them saved.

    Args:
        env: the UI environment.
        parent: the workspace (the dialogs' parent).
        detail: the case as the workspace shows it now (None before it loaded).
        on_saved: a dialog saved (the workspace reloads and announces).
        on_reload: what reloading the case means (after a conflict).
    """

    def __init__(self, env: UiEnv, parent: QWidget, detail: Callable[[], CaseDetail | None],
                 on_saved: Callable[[], None], on_reload: Callable[[], None]) -> None:
        self.env = env
        self.parent = parent
        self.detail = detail
        self.on_saved = on_saved
        self.on_reload = on_reload
        self.current_dialog: QDialog | None = None

    # --- parties ----------------------------------------------------------------------------
    def add_party(self) -> QDialog | None:
        detail = self.detail()
        if detail is None:
            return None
        has_applicant = any(p.role == PartyRole.APPLICANT.value for p in detail.parties)
        role = PartyRole.RESPONDENT if has_applicant else PartyRole.APPLICANT
        return self._open(CasePartyDialog(self.env, detail, None, None, self.parent, role=role,
                                          on_reload=self.on_reload))

    def edit_party(self, party: PartyDetail | None) -> None:
        """Open the party with its real 身份证号 and phones (the reveal is audited as 编辑)."""
        if party is None or self.detail() is None:
            return
        ctx, party_id = self.env.ctx, party.id
        run_query(self.env, self.parent, lambda: reveal_party(ctx, party_id, purpose="edit"),
                  lambda revealed: self._open_party(party, revealed))

    def _open_party(self, party: PartyDetail, revealed: RevealedParty) -> None:
        detail = self.detail()
        if detail is None:
            return
        self._open(CasePartyDialog(self.env, detail, party.id, party_input(party, revealed), self.parent,
                                   frozen_identity=detail.agreement is not None,
                                   on_reload=self.on_reload))

    def remove_party(self, party: PartyDetail | None) -> QDialog | None:
        detail = self.detail()
        if party is None or detail is None:
            return None
        return self._open(RemovePartyDialog(self.env, detail, party, self.parent, self.on_reload))

    # --- records ----------------------------------------------------------------------------
    def correct_session(self, record: SessionRecord | None) -> QDialog | None:
        detail = self.detail()
        if record is None or detail is None:
            return None
        return self._open(CorrectSessionDialog(self.env, detail, record, self.parent, self.on_reload))

    def add_supplement(self) -> QDialog | None:
        detail = self.detail()
        if detail is None or detail.agreement is None:
            return None
        return self._open(SupplementDialog(self.env, detail, self.parent, self.on_reload))

    # --- the dialog -------------------------------------------------------------------------
    def _open(self, dialog: QDialog) -> QDialog:
        dialog.accepted.connect(self.on_saved)
        dialog.finished.connect(lambda _result, d=dialog: self._on_dialog_finished(d))
        self.current_dialog = dialog
        dialog.open()
        return dialog

    def _on_dialog_finished(self, dialog: QDialog) -> None:
        if self.current_dialog is dialog:
            self.current_dialog = None
        dialog.deleteLater()
