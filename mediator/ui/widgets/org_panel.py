"""The right side of 区划网格: the organisations at the selected place and their mediators."""
from __future__ import annotations

from functools import partial

from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from mediator.domain.enums import RegionLevel
from mediator.domain.permissions import Permission
from mediator.services.places.admin import OrganizationItem, RegionItem, organizations_at
from mediator.ui.dialogs.handover import HandoverDialog
from mediator.ui.env import UiEnv
from mediator.ui.ops import run_query
from mediator.ui.widgets.overview_bits import (
    GREY,
    fill_table,
    grey_note,
    heading,
    read_only_table,
    selected_id,
)
from mediator.ui.widgets.region_forms import MediatorDialog, OrganizationDialog


class OrganizationPanel(QWidget):
    """Lists and edits the organisations of one place; every change emits ``reference_changed``."""

    def __init__(self, env: UiEnv) -> None:
        super().__init__()
        self.env = env
        self.region: RegionItem | None = None
        self.organizations: list[OrganizationItem] = []
        self.dialog: OrganizationDialog | MediatorDialog | HandoverDialog | None = None

        self.title = heading("", 13)
        self.details = QLabel()
        self.details.setStyleSheet("color: #555;")
        self.add_org_button = QPushButton("新增组织…")
        self.edit_org_button = QPushButton("修改组织…")
        self.org_table = read_only_table(["组织名称", "组织类型", "案号简称", "调解员", "状态"], stretch=0)
        self.mediator_title = heading("调解员")
        self.add_mediator_button = QPushButton("新增调解员…")
        self.edit_mediator_button = QPushButton("修改调解员…")
        self.handover_button = QPushButton("移交案件…")
        self.handover_button.setToolTip("调解员离岗：将其未办结的案件移交其他调解员承办")
        self.handover_button.setVisible(env.can(Permission.CASE_HANDOVER))
        for button in (self.add_org_button, self.edit_org_button, self.add_mediator_button,
                       self.edit_mediator_button):
            button.setVisible(env.can(Permission.REFERENCE_EDIT))  # the role matrix hides, not greys
        self.mediator_table = read_only_table(["姓名", "联系电话", "状态"], stretch=0)
        self.empty_note = grey_note("")

        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.details)
        layout.addSpacing(6)
        layout.addLayout(self._bar(heading("调解组织"), self.add_org_button, self.edit_org_button))
        layout.addWidget(self.org_table, 3)
        layout.addWidget(self.empty_note)
        layout.addSpacing(6)
        layout.addLayout(self._bar(self.mediator_title, self.add_mediator_button,
                                   self.edit_mediator_button, self.handover_button))
        layout.addWidget(self.mediator_table, 2)

        self.add_org_button.clicked.connect(self._on_add_org_button_clicked)
        self.edit_org_button.clicked.connect(self._on_edit_org_button_clicked)
        self.add_mediator_button.clicked.connect(self._on_add_mediator_button_clicked)
        self.edit_mediator_button.clicked.connect(self._on_edit_mediator_button_clicked)
        self.handover_button.clicked.connect(self._on_handover_button_clicked)
        self.org_table.itemSelectionChanged.connect(self._on_org_table_item_selection_changed)
        self.org_table.doubleClicked.connect(self._on_edit_org_button_clicked)
        self.mediator_table.itemSelectionChanged.connect(self._update_buttons)
        self.mediator_table.doubleClicked.connect(self._on_edit_mediator_button_clicked)
        self.show_region(None)

    @staticmethod
    def _bar(title: QWidget, *buttons: QPushButton) -> QHBoxLayout:
        bar = QHBoxLayout()
        bar.addWidget(title)
        bar.addStretch(1)
        for button in buttons:
            bar.addWidget(button)
        return bar

    # --- loading ------------------------------------------------------------------------------
    def show_region(self, region: RegionItem | None) -> None:
        self.region = region
        if region is None:
            self.title.setText("请在左侧选择区划")
            self.details.clear()
            self._show_organizations([])
            return
        self.title.setText(region.name)
        parts = [region.level.label]
        if region.code:
            parts.insert(0, f"区划代码 {region.code}")
        if region.kind:
            parts.append(region.kind.label)
        parts.append("启用" if region.active else "已停用")
        self.details.setText(" · ".join(parts))
        run_query(self.env, self, partial(organizations_at, self.env.ctx, region.id),
                  self._show_organizations)

    def _show_organizations(self, organizations: list[OrganizationItem]) -> None:
        previous = selected_id(self.org_table)
        self.organizations = organizations
        fill_table(self.org_table,
                   [(o.name, o.kind.label, o.short, len(o.mediators), "启用" if o.active else "已停用")
                    for o in organizations],
                   ids=[o.id for o in organizations],
                   colors=[None if o.active else GREY for o in organizations])
        if self.region is None:
            self.empty_note.setText("")
        elif not organizations:
            self.empty_note.setText("此处尚无调解组织。" if self.region.level is not RegionLevel.GRID
                                    else "网格不设调解组织，请选择所属村（社区）。")
        self.empty_note.setVisible(bool(self.region) and not organizations)
        ids = [o.id for o in organizations]
        row = ids.index(previous) if previous in ids else (0 if ids else -1)
        if row >= 0:
            self.org_table.selectRow(row)
        else:
            self._on_org_table_item_selection_changed()

    def current_organization(self) -> OrganizationItem | None:
        org_id = selected_id(self.org_table)
        return next((o for o in self.organizations if o.id == org_id), None)

    def current_mediator(self):
        org = self.current_organization()
        mediator_id = selected_id(self.mediator_table)
        if org is None:
            return None
        return next((m for m in org.mediators if m.id == mediator_id), None)

    def _on_org_table_item_selection_changed(self) -> None:
        org = self.current_organization()
        self.mediator_title.setText(f"调解员 — {org.name}" if org else "调解员")
        mediators = org.mediators if org else []
        fill_table(self.mediator_table,
                   [(m.name, m.phone or "", "启用" if m.active else "已停用") for m in mediators],
                   ids=[m.id for m in mediators],
                   colors=[None if m.active else GREY for m in mediators])
        self._update_buttons()

    def _update_buttons(self) -> None:
        region = self.region
        self.add_org_button.setEnabled(region is not None and region.active
                                       and region.level is not RegionLevel.GRID)
        org = self.current_organization()
        self.edit_org_button.setEnabled(org is not None)
        self.add_mediator_button.setEnabled(org is not None)
        self.edit_mediator_button.setEnabled(self.current_mediator() is not None)
        self.handover_button.setEnabled(self.current_mediator() is not None)

    # --- editing ------------------------------------------------------------------------------
    def _open(self, dialog: OrganizationDialog | MediatorDialog) -> None:
        self.dialog = dialog  # its write says reference_changed: the page reloads, this panel too
        dialog.open()

    def _on_add_org_button_clicked(self) -> None:
        if self.region is not None and self.add_org_button.isEnabled():
            self._open(OrganizationDialog(self.env, self.region, parent=self))

    def _on_edit_org_button_clicked(self) -> None:
        org = self.current_organization()
        if self.region is not None and org is not None and self.env.can(Permission.REFERENCE_EDIT):
            self._open(OrganizationDialog(self.env, self.region, org, parent=self))

    def _on_add_mediator_button_clicked(self) -> None:
        org = self.current_organization()
        if org is not None:
            self._open(MediatorDialog(self.env, org, parent=self))

    def _on_edit_mediator_button_clicked(self) -> None:
        org, mediator = self.current_organization(), self.current_mediator()
        if org is not None and mediator is not None and self.env.can(Permission.REFERENCE_EDIT):
            self._open(MediatorDialog(self.env, org, mediator, parent=self))

    def _on_handover_button_clicked(self) -> None:
        mediator = self.current_mediator()
        if mediator is not None and self.env.can(Permission.CASE_HANDOVER):
            self.dialog = HandoverDialog(self.env, mediator.id, parent=self)
            self.dialog.open()  # the dialog emits cases_changed / reference_changed itself
