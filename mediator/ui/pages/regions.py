"""区划网格: the place tree with its organisations and mediators; add, rename, move, (de)activate, import."""
from __future__ import annotations

from functools import partial

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QFileDialog,
    QHBoxLayout,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from mediator.domain.enums import RegionLevel
from mediator.domain.errors import ConflictError, DomainError, ValidationErrors
from mediator.domain.permissions import Permission
from mediator.services.changes import OpChangesWithCount
from mediator.services.exchange.importer import ImportCancelled, ImportResult, import_file
from mediator.services.places import admin as ra
from mediator.services.places.admin import RegionItem
from mediator.services.places.choices import organizations
from mediator.ui.env import UiEnv
from mediator.ui.errors import ask, show_error
from mediator.ui.ops import emit_changes, run_op, run_query
from mediator.ui.widgets.org_panel import OrganizationPanel
from mediator.ui.widgets.overview_bits import MessageLine, heading
from mediator.ui.widgets.region_forms import (
    AddRegionDialog,
    ImportFaultsDialog,
    MoveRegionDialog,
    RenameRegionDialog,
)
from mediator.ui.widgets.region_tree import RegionTree


class RegionsPage(QWidget):
    """The county's places (县 → 乡镇 → 村（社区） → 网格) and who mediates where."""

    def __init__(self, env: UiEnv) -> None:
        super().__init__()
        self.env = env
        self.regions: list[RegionItem] = []
        self.dialog = None  # the dialog opened last (tests reach it here)
        self._select_after: int | None = None

        self.add_button = QPushButton("新增下级…")
        self.rename_button = QPushButton("重命名…")
        self.move_button = QPushButton("移动…")
        self.active_button = QPushButton("停用")
        self.import_button = QPushButton("导入…")
        self.import_button.setToolTip("导入交换文件（mediator-case/1 JSON）：区划、组织、调解员、法律顾问及案件")
        self.show_inactive = QCheckBox("显示已停用")
        self.show_inactive.setChecked(True)
        self.tree = RegionTree()
        self.message = MessageLine()
        self.panel = OrganizationPanel(env)

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 8, 0)
        bar = QHBoxLayout()
        for button in (self.add_button, self.rename_button, self.move_button, self.active_button):
            bar.addWidget(button)
        bar.addStretch(1)
        bar.addWidget(self.import_button)
        for button in (self.add_button, self.rename_button, self.move_button, self.active_button):
            button.setVisible(env.can(Permission.REFERENCE_EDIT))  # the role matrix hides, not greys
        self.import_button.setVisible(env.can(Permission.DATA_IMPORT))
        left_layout.addLayout(bar)
        left_layout.addWidget(self.tree, 1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.message, 1)
        bottom.addWidget(self.show_inactive, 0, Qt.AlignmentFlag.AlignTop)
        left_layout.addLayout(bottom)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(self.panel)
        splitter.setStretchFactor(0, 5)
        splitter.setStretchFactor(1, 4)
        splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 12)
        layout.addWidget(heading("区划网格", 14))
        layout.addWidget(splitter)

        self.add_button.clicked.connect(self._on_add_button_clicked)
        self.rename_button.clicked.connect(self._on_rename_button_clicked)
        self.move_button.clicked.connect(self._on_move_button_clicked)
        self.active_button.clicked.connect(self._on_active_button_clicked)
        self.import_button.clicked.connect(self._on_import_button_clicked)
        self.show_inactive.toggled.connect(self._on_show_inactive_toggled)
        self.tree.region_selected.connect(self._on_tree_region_selected)
        QShortcut(QKeySequence(Qt.Key.Key_F2), self.tree, self._on_rename_button_clicked)
        env.signals.reference_changed.connect(self.refresh)
        self._select_after = self._home_region()
        self.refresh()

    def _home_region(self) -> int | None:
        """The place of the user's own organisation: where the page opens."""
        org_id = self.env.user.organization_id
        return next((o.parent_id for o in organizations(self.env.ctx) if o.id == org_id), None)

    # --- loading ------------------------------------------------------------------------------
    def refresh(self) -> None:
        run_query(self.env, self, partial(ra.region_tree, self.env.ctx), self._show_regions)

    def on_shown(self) -> None:
        self.refresh()

    def _show_regions(self, regions: list[RegionItem]) -> None:
        self.regions = regions
        select, self._select_after = self._select_after, None
        self.tree.load(regions, select=select)

    def _on_tree_region_selected(self, region: RegionItem | None) -> None:
        self.panel.show_region(region)
        self._update_buttons(region)

    def _on_show_inactive_toggled(self, checked: bool) -> None:
        self.tree.show_inactive = checked
        self.tree.load(self.regions)

    def _update_buttons(self, region: RegionItem | None) -> None:
        can_add = region is None or (region.active and region.level is not RegionLevel.GRID)
        self.add_button.setEnabled(can_add)
        if region is None:
            self.add_button.setText("新增县（市、区）…")
        elif region.level is RegionLevel.GRID:
            self.add_button.setText("新增下级…")
        else:
            self.add_button.setText(f"新增{ra.CHILD_LEVEL[region.level].label}…")
        self.rename_button.setEnabled(region is not None)
        self.move_button.setEnabled(region is not None and region.level in ra.MOVABLE)
        self.active_button.setEnabled(region is not None)
        self.active_button.setText("启用" if region is not None and not region.active else "停用")

    # --- actions ------------------------------------------------------------------------------
    def _open(self, dialog) -> None:
        self.dialog = dialog
        dialog.accepted.connect(lambda: self._after_dialog(dialog))
        self.message.clear_message()
        dialog.open()

    def _after_dialog(self, dialog) -> None:
        if isinstance(dialog, AddRegionDialog):
            self._select_after = dialog.value.id
            self.message.done(f"已新增{dialog.level.label}“{dialog.name.text().strip()}”")
        # the dialog's write then says reference_changed: the tree reloads and selects the new place

    def _on_add_button_clicked(self) -> None:
        if self.add_button.isEnabled():
            self._open(AddRegionDialog(self.env, self.tree.selected(), parent=self))

    def _on_rename_button_clicked(self) -> None:
        region = self.tree.selected()
        if region is not None and self.env.can(Permission.REFERENCE_EDIT):  # F2 as well
            self._open(RenameRegionDialog(self.env, region, parent=self))

    def _on_move_button_clicked(self) -> None:
        region = self.tree.selected()
        if region is None or region.level not in ra.MOVABLE:
            return
        level = ra.MOVABLE[region.level]
        targets = [r for r in self.regions
                   if r.level is level and r.active and r.id != region.parent_id]
        self._open(MoveRegionDialog(self.env, region, targets, parent=self))

    def _on_active_button_clicked(self) -> None:
        region = self.tree.selected()
        if region is None:
            return
        activate = not region.active
        if not activate and not ask(self, "停用区划",
                                    f"停用“{region.name}”及其全部下级区划？\n"
                                    "停用后不再出现在登记案件等选择列表中，已有记录不受影响。"):
            return
        self.message.clear_message()

        def done(changes: OpChangesWithCount) -> None:
            verb = "启用" if activate else "停用"
            changed = changes.count
            self.message.done(f"已{verb}“{region.name}”" + (f"及其下级（共{changed}处）" if changed > 1 else ""))

        run_op(self.env, self, partial(ra.set_region_active, self.env.ctx, region.id, activate,
                                       expected_version=region.version),
               on_success=done, on_failure=self._on_action_error)

    def _on_action_error(self, exc: BaseException) -> None:
        if isinstance(exc, DomainError) and not isinstance(exc, (ConflictError, ValidationErrors)):
            self.message.refused(exc.message)
        else:
            show_error(self, exc, on_reload=self.refresh)

    # --- import -------------------------------------------------------------------------------
    def _on_import_button_clicked(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "导入交换文件", "", "交换文件 (*.json);;所有文件 (*)")
        if path:
            self.import_file(path)

    def import_file(self, path: str) -> None:
        """Import an exchange file off the UI thread; faults are listed, nothing half-written."""
        self.message.clear_message()
        def task(cancel) -> ImportResult:
            return import_file(self.env.ctx, path, cancel=lambda: cancel.cancelled)

        run_query(self.env, self, task, self._on_import_done, on_failure=self._on_import_error,
                  label="正在导入…（可取消，取消后不写入任何数据）", cancellable=True)

    def _on_import_done(self, result: ImportResult) -> None:
        self.message.done(f"导入完成：{result.summary()}")
        emit_changes(self.env.signals, result.changes)  # the import result carries its changes

    def _on_import_error(self, exc: BaseException) -> None:
        if isinstance(exc, ImportCancelled):  # the person chose this: a note, not an alarm
            self.message.refused(exc.message)
            return
        if isinstance(exc, ValidationErrors):
            self.message.refused(f"导入失败：发现{len(exc.errors)}处问题，未导入任何数据")
            self.dialog = ImportFaultsDialog(exc.lines(), parent=self)
            self.dialog.open()
        else:
            show_error(self, exc)
