"""The case workspace: one case's header, its action buttons and the tabs of its record."""
from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget

from mediator.domain.case_detail import CaseDetail
from mediator.domain.enums import CaseStatus
from mediator.domain.lifecycle import Action
from mediator.domain.permissions import Permission
from mediator.services.cases import attachments
from mediator.services.cases.attachments import AttachmentInfo
from mediator.services.cases.corrections import update_case_info
from mediator.services.cases.drafts import DraftAgreement, draft_agreement
from mediator.services.cases.read import case_detail
from mediator.services.cases.supplementary import OPEN_AFTER_SIGNING
from mediator.services.changes import OpChanges
from mediator.services.places import choices as lookups
from mediator.services.risk.alerts import risk_alerts
from mediator.ui import errors as ui_errors
from mediator.ui.dialogs.action_base import ActionDialog
from mediator.ui.dialogs.actions import dialog_for_action
from mediator.ui.dialogs.draft_agreement import DraftAgreementDialog
from mediator.ui.dialogs.reassign import ReassignDialog, RecusalDialog
from mediator.ui.env import UiEnv
from mediator.ui.ops import run_op, run_query
from mediator.ui.workspace.action_bar import ActionBar, clock_paused, refusal
from mediator.ui.workspace.attachments_tab import AttachmentsTab
from mediator.ui.workspace.correction_actions import CaseCorrections
from mediator.ui.workspace.documents_tab import DocumentsTab
from mediator.ui.workspace.fields import validation_errors
from mediator.ui.workspace.header import CaseHeader
from mediator.ui.workspace.history_tab import HistoryTab
from mediator.ui.workspace.info_tab import CaseInfoTab
from mediator.ui.workspace.record_tabs import AgreementTab, PartiesTab, PerformanceTab, SessionsTab
from mediator.ui.workspace.review_panel import ReviewPanel
from mediator.ui.workspace.similar_tab import SimilarCasesTab
from mediator.ui.workspace.supplements_box import SupplementsBox


@dataclass(frozen=True)
class CaseBundle:
    """What the workspace shows, read in one task."""

    detail: CaseDetail
    files: list[AttachmentInfo]
    grids: list[str]
    draft: DraftAgreement | None = None
    alerts: tuple = ()  # the case's open 风险预警 (AlertRow), a badge in the header


def load_case_bundle(ctx, case_id: int) -> CaseBundle:
    detail = case_detail(ctx, case_id)
    files = attachments.list_attachments(ctx, case_id)
    village = next((v.id for v in lookups.places(ctx, "village") if v.code == detail.village_code), None)
    grids = [g.name for g in lookups.places(ctx, "grid") if g.parent_id == village] if village else []
    return CaseBundle(detail, files, grids, draft_agreement(ctx, case_id),
                      tuple(risk_alerts(ctx, case_id=case_id)))


# Lifecycle acts that move a case between organisations or levels: 指派和督办 (the rest: 办理).
SUPERVISE_ACTIONS = {Action.TRANSFER.value: Permission.CASE_SUPERVISE,
                     Action.ESCALATE.value: Permission.CASE_SUPERVISE,
                     Action.HAND_DOWN.value: Permission.CASE_SUPERVISE}


class CaseWorkspace(QWidget):
    """One case, to read and to move along its lifecycle.

    Args:
        env: the UI environment.
        case_id: the case shown.
        parent: usually the 案件 page's tab widget.

    Signals:
        title_changed(str): the case number, once loaded or after a transfer renumbered it.
        dirty_changed(bool): the 基本信息 tab has (no longer) unsaved edits.
    """

    title_changed = Signal(str)
    dirty_changed = Signal(bool)

    TAB_TITLES = ["基本信息", "当事人", "调查与调解记录", "协议", "履行与回访", "流转记录", "附件", "文书", "类案参考"]

    def __init__(self, env: UiEnv, case_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.env = env
        self.case_id = case_id
        self.detail: CaseDetail | None = None
        self.current_dialog: ActionDialog | None = None
        self.draft: DraftAgreement | None = None
        self._own_change_pending = False

        self.header = CaseHeader()
        self.action_bar = ActionBar(self.run_action)
        self.info_tab = CaseInfoTab()
        self.parties_tab = PartiesTab(env)  # 身份证号 and phones masked; 显示 when the role may
        self.sessions_tab = SessionsTab()
        self.agreement_tab = AgreementTab()
        self.performance_tab = PerformanceTab()
        self.history_tab = HistoryTab()
        self.attachments_tab = AttachmentsTab(env, case_id)
        self.documents_tab = DocumentsTab(env, case_id)
        self.similar_tab = SimilarCasesTab(env, case_id)  # read when first shown
        self.review_panel = ReviewPanel(env, case_id)  # 法律顾问审查, under the agreement
        self.supplements_box = SupplementsBox()  # 变更/补充协议, after signing
        self.agreement_tab.add_below(self.supplements_box)
        self.agreement_tab.add_below(self.review_panel)
        self.corrections = CaseCorrections(env, self, lambda: self.detail, self._own_change, self.reload)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("case_tabs")
        self.tabs.setDocumentMode(True)
        for title, tab in zip(self.TAB_TITLES, (self.info_tab, self.parties_tab, self.sessions_tab,
                                                self.agreement_tab, self.performance_tab,
                                                self.history_tab, self.attachments_tab,
                                                self.documents_tab, self.similar_tab), strict=True):
            self.tabs.addTab(tab, title)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.setSpacing(6)
        layout.addWidget(self.header)
        layout.addWidget(self.action_bar)
        layout.addWidget(self.tabs, 1)

        self.sessions_tab.record_button.clicked.connect(
            lambda _=False: self.run_action(Action.RECORD_SESSION.value))
        self.agreement_tab.conclude_button.clicked.connect(lambda _=False: self.run_action(Action.AGREE.value))
        self.agreement_tab.draft_button.clicked.connect(lambda _=False: self.edit_draft())
        self.info_tab.save_button.clicked.connect(lambda _=False: self.save())
        self.info_tab.reassign_button.clicked.connect(lambda _=False: self.reassign())
        self.info_tab.recuse_button.clicked.connect(lambda _=False: self.recuse())
        self._connect_corrections()
        self.info_tab.dirty_changed.connect(self._on_info_tab_dirty_changed)
        self.attachments_tab.changed.connect(self._on_attachments_tab_changed)
        self.review_panel.changed.connect(self._on_attachments_tab_changed)  # reload and announce
        env.signals.cases_changed.connect(self._on_signals_cases_changed)
        self._hide_what_the_role_may_not_do()
        self.reload()

    def _connect_corrections(self) -> None:
        parties, fix = self.parties_tab, self.corrections
        parties.add_button.clicked.connect(lambda _=False: fix.add_party())
        parties.edit_button.clicked.connect(lambda _=False: fix.edit_party(parties.selected_party()))
        parties.remove_button.clicked.connect(lambda _=False: fix.remove_party(parties.selected_party()))
        self.sessions_tab.correct_button.clicked.connect(
            lambda _=False: fix.correct_session(self.sessions_tab.selected_session()))
        self.supplements_box.add_button.clicked.connect(lambda _=False: fix.add_supplement())

    # --- loading ----------------------------------------------------------------------------
    def reload(self) -> None:
        """Read the case again; unsaved edits of 基本信息 are dropped."""
        self._load(keep_edits=False)

    def refresh(self) -> None:
        """Read the case again, keeping unsaved edits (F5, or someone else changed the case).

        The edits keep the version they were made on, so saving them over another user's
        change still raises a conflict.
        """
        self._load(keep_edits=True)

    def _load(self, *, keep_edits: bool, rebase: bool = False) -> None:
        ctx, case_id = self.env.ctx, self.case_id
        run_query(self.env, self, lambda: load_case_bundle(ctx, case_id),
                  lambda bundle: self._show(bundle, keep_edits, rebase))

    def _reload_after_own_change(self) -> None:
        # Lifecycle moves and attachments never touch the editable facts, so unsaved edits
        # may move on to the new version.
        self._load(keep_edits=True, rebase=True)

    def _show(self, bundle: CaseBundle, keep_edits: bool, rebase: bool = False) -> None:
        detail = bundle.detail
        old_number = self.detail.number if self.detail else None
        self.detail = detail
        self.draft = bundle.draft
        today = self.env.ctx.today()
        self.header.show_case(detail, today, paused=clock_paused(detail))
        self.header.show_alerts(bundle.alerts)
        self.action_bar.show_case(detail)
        self.info_tab.load(detail, bundle.grids, keep_edits=keep_edits, rebase=rebase)
        self.parties_tab.load(detail)
        self.sessions_tab.load(detail)
        self.agreement_tab.load(detail, bundle.draft)
        signed = detail.agreement is not None
        self.supplements_box.load(detail.supplements, signed=signed)
        self.supplements_box.add_button.setEnabled(detail.status in OPEN_AFTER_SIGNING)
        self.review_panel.show_case(detail)
        self.performance_tab.load(detail)
        self.history_tab.load(detail)
        self.attachments_tab.load(bundle.files)
        self.documents_tab.load(detail.status, detail.number)
        self.similar_tab.invalidate()
        self.sessions_tab.record_button.setEnabled(refusal(detail, Action.RECORD_SESSION) is None)
        self.agreement_tab.conclude_button.setEnabled(refusal(detail, Action.AGREE) is None)
        handled = detail.status != CaseStatus.ARCHIVED.value
        self.info_tab.reassign_button.setEnabled(handled)
        self.info_tab.recuse_button.setEnabled(handled and bool(detail.mediators))
        self._hide_what_the_role_may_not_do()  # loading shows some buttons again
        self._update_tab_titles()
        if detail.number != old_number:
            self.title_changed.emit(detail.number)

    def _hide_what_the_role_may_not_do(self) -> None:
        """Hide (not just disable) the acts the user's role lacks; the services refuse them anyway."""
        can = self.env.can
        handle, printing = can(Permission.CASE_HANDLE), can(Permission.DOCUMENT_PRINT)
        shown = False
        for code, button in self.action_bar.buttons.items():
            allowed = can(SUPERVISE_ACTIONS.get(code, Permission.CASE_HANDLE))
            button.setVisible(allowed)
            shown = shown or allowed
        self.action_bar.setVisible(shown)
        parties = self.parties_tab
        for button in (self.sessions_tab.record_button, self.info_tab.save_button,
                       self.info_tab.revert_button, self.attachments_tab.add_button,
                       self.attachments_tab.remove_button, parties.add_button, parties.remove_button,
                       self.sessions_tab.correct_button, self.supplements_box.add_button,
                       self.info_tab.reassign_button, self.info_tab.recuse_button):
            button.setVisible(handle)
        # Editing a party shows its real 身份证号 and phones.
        parties.edit_button.setVisible(handle and can(Permission.PERSONAL_DATA))
        if not handle:
            self.agreement_tab.conclude_button.setVisible(False)
            self.agreement_tab.draft_button.setVisible(False)
            self.review_panel.request_button.setVisible(False)
        self.attachments_tab.open_button.setVisible(printing)
        self.review_panel.print_button.setVisible(printing)
        self.tabs.setTabVisible(self.tabs.indexOf(self.documents_tab), printing)

    def _update_tab_titles(self) -> None:
        detail = self.detail or {}
        counts = {1: len(detail.parties), 2: len(detail.sessions),
                  6: len(self.attachments_tab.files)}
        for index, title in enumerate(self.TAB_TITLES):
            text = title + (f"（{counts[index]}）" if counts.get(index) else "")
            if index == 0 and self.info_tab.is_dirty():
                text += " *"
            self.tabs.setTabText(index, text)

    def case_number(self) -> str:
        return self.detail.number if self.detail else ""

    def is_dirty(self) -> bool:
        return self.info_tab.is_dirty()

    # --- actions ----------------------------------------------------------------------------
    def run_action(self, code: str) -> ActionDialog | None:
        """Open the dialog of a lifecycle action (window-modal, not blocking); returns it."""
        if self.detail is None or refusal(self.detail, Action(code)) is not None:
            return None
        return self._open(dialog_for_action(code, self.env, self.detail, self, on_reload=self.reload))

    def edit_draft(self) -> ActionDialog | None:
        """拟定协议 / 修改协议草稿 (调解中); returns the dialog."""
        if self.detail is None or not self.agreement_tab.draft_button.isEnabled():
            return None
        return self._open(DraftAgreementDialog(self.env, self.detail, self.draft, self, on_reload=self.reload))

    def reassign(self) -> ActionDialog | None:
        """更换调解员; returns the dialog."""
        if self.detail is None or not self.info_tab.reassign_button.isEnabled():
            return None
        return self._open(ReassignDialog(self.env, self.detail, self, on_reload=self.reload))

    def recuse(self) -> ActionDialog | None:
        """申请回避; returns the dialog."""
        if self.detail is None or not self.info_tab.recuse_button.isEnabled():
            return None
        return self._open(RecusalDialog(self.env, self.detail, self, on_reload=self.reload))

    def _open(self, dialog: ActionDialog) -> ActionDialog:
        dialog.accepted.connect(self._on_action_dialog_accepted)
        dialog.finished.connect(lambda _result, d=dialog: self._on_action_dialog_finished(d))
        self.current_dialog = dialog
        dialog.open()
        return dialog

    def _on_action_dialog_accepted(self) -> None:
        self._own_change()

    def _on_action_dialog_finished(self, dialog: ActionDialog) -> None:
        if self.current_dialog is dialog:
            self.current_dialog = None
        dialog.deleteLater()

    def _on_attachments_tab_changed(self) -> None:
        self._own_change()

    def _own_change(self) -> None:
        """A write made here (a dialog, a tab): reload at once, keeping the edits; the
        ``cases_changed`` its ``run_op`` emits right after is this change, already shown."""
        self._own_change_pending = True
        self._reload_after_own_change()

    def _on_signals_cases_changed(self, ids: list) -> None:
        if ids and self.case_id not in ids:
            return
        if self._own_change_pending:
            self._own_change_pending = False
            return
        self.refresh()

    # --- save and print ---------------------------------------------------------------------
    def save(self) -> None:
        """Save the 基本信息 edits, if any (Ctrl+S); a stale version offers to reload."""
        if self.detail is None or not self.info_tab.is_dirty():
            return
        changes = self.info_tab.changes()
        version = self.info_tab.base_version
        ctx, case_id = self.env.ctx, self.case_id
        self.info_tab.errors.clear()
        run_op(self.env, self, lambda: update_case_info(ctx, case_id, version, **changes),
               on_success=self._on_saved, on_failure=self._on_save_failed, label="正在保存…")

    def _on_saved(self, changes: OpChanges) -> None:
        self._own_change_pending = not changes.empty  # the emit that follows is this save
        self.reload()

    def _on_save_failed(self, exc: BaseException) -> None:
        found = validation_errors(exc)
        if found is not None:
            self.tabs.setCurrentWidget(self.info_tab)
            self.info_tab.show_errors(found)
            return
        ui_errors.show_error(self, exc, on_reload=self.reload)

    def print_(self) -> None:
        """Ctrl+P: the 文书 tab prints the selected form (or the case's main one) via print preview."""
        if self.detail is None:
            return
        self.tabs.setCurrentWidget(self.documents_tab)
        self.documents_tab.print_selected()

    def _on_info_tab_dirty_changed(self, dirty: bool) -> None:
        self._update_tab_titles()
        self.dirty_changed.emit(dirty)
