"""Dialogs of the 区划网格 page: add, rename and move places; organisations; mediators; import faults."""
from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QVBoxLayout,
    QWidget,
)

from mediator.domain.enums import OrganizationKind, RegionLevel, VillageKind
from mediator.domain.errors import ValidationError
from mediator.services.places import admin as ra
from mediator.services.places import choices
from mediator.services.places.admin import MediatorItem, OrganizationItem, RegionItem
from mediator.ui.env import UiEnv
from mediator.ui.ops import run_query
from mediator.ui.widgets.service_dialog import ServiceDialog

_PREFIX = {RegionLevel.COUNTY: 6, RegionLevel.TOWNSHIP: 9}


def _combo(choices: list[tuple[str, str]], current: str | None = None) -> QComboBox:
    combo = QComboBox()
    for value, label in choices:
        combo.addItem(label, value)
    if current is not None:
        combo.setCurrentIndex(max(0, combo.findData(current)))
    return combo


def _place(region: RegionItem) -> str:
    return f"{region.name}（{region.code}）" if region.code else region.name


class AddRegionDialog(ServiceDialog):
    """新增下级: a township under a county, a village under a township, a grid under a village.

    With no parent the new place is a county.
    """

    def __init__(self, env: UiEnv, parent_region: RegionItem | None, parent: QWidget | None = None) -> None:
        self.parent_region = parent_region
        self.level = (RegionLevel.COUNTY if parent_region is None
                      else ra.CHILD_LEVEL[parent_region.level])
        super().__init__(env, f"新增{self.level.label}", parent)
        if parent_region is not None:
            self.add_info("上级", _place(parent_region))
        self.name = self.add_field("name", "名称", QLineEdit())
        self.code: QLineEdit | None = None
        self.kind: QComboBox | None = None
        if self.level is not RegionLevel.GRID:
            self.code = QLineEdit()
            self.code.setMaxLength(12)
            prefix = ""
            if parent_region is not None and parent_region.code:
                prefix = parent_region.code[:_PREFIX[parent_region.level]]
            self.code.setText(prefix)
            self.code.setPlaceholderText("12位统计用区划代码")
            self.add_field("code", "区划代码", self.code)
        if self.level is RegionLevel.VILLAGE:
            self.kind = self.add_field("kind", "类型", _combo(VillageKind.choices()))
        self.name.setFocus()

    def task(self) -> Callable[[], Any]:
        kind = VillageKind(self.kind.currentData()) if self.kind is not None else None
        return partial(ra.add_region, self.env.ctx,
                       self.parent_region.id if self.parent_region else None,
                       name=self.name.text(), code=self.code.text() if self.code else None, kind=kind)


class RenameRegionDialog(ServiceDialog):
    """重命名 a place (and for a village, its kind)."""

    def __init__(self, env: UiEnv, region: RegionItem, parent: QWidget | None = None) -> None:
        super().__init__(env, f"重命名{region.level.label}", parent)
        self.region = region
        if region.code:
            self.add_info("区划代码", region.code)
        self.name = self.add_field("name", "名称", QLineEdit(region.name))
        self.name.selectAll()
        self.kind: QComboBox | None = None
        if region.level is RegionLevel.VILLAGE:
            self.kind = self.add_field("kind", "类型", _combo(VillageKind.choices(),
                                                              region.kind.value if region.kind else None))

    def task(self) -> Callable[[], Any]:
        kind = VillageKind(self.kind.currentData()) if self.kind is not None else None
        return partial(ra.rename_region, self.env.ctx, self.region.id, self.name.text(), kind=kind,
                       expected_version=self.region.version)


class MoveRegionDialog(ServiceDialog):
    """移动 a grid to another village or a village to another township (with a new code)."""

    def __init__(self, env: UiEnv, region: RegionItem, targets: list[RegionItem],
                 parent: QWidget | None = None) -> None:
        super().__init__(env, f"移动{region.level.label}", parent)
        self.region = region
        self.add_info(region.level.label, _place(region))
        self.target = QComboBox()
        for target in targets:
            self.target.addItem(_place(target), target)
        self.add_field("parent", f"移到{ra.MOVABLE[region.level].label}", self.target)
        if not targets:
            self.target.setEnabled(False)
            self.ok_button.setEnabled(False)
            self.add_info("", f"没有其他可移入的{ra.MOVABLE[region.level].label}，请先新增。")
        self.code: QLineEdit | None = None
        if region.level is RegionLevel.VILLAGE:
            self.code = QLineEdit()
            self.code.setMaxLength(12)
            self.add_field("code", "新区划代码", self.code)
            self.add_info("", "村（社区）的区划代码须以所属乡镇（街道）代码的前9位开头，移动后须使用新代码。")
            self.target.currentIndexChanged.connect(self._on_target_current_index_changed)
            self._on_target_current_index_changed(self.target.currentIndex())

    def _on_target_current_index_changed(self, index: int) -> None:
        target: RegionItem | None = self.target.itemData(index)
        if self.code is None or target is None or not target.code:
            return
        tail = (self.region.code or "")[9:]
        self.code.setText(target.code[:9] + tail)

    def task(self) -> Callable[[], Any]:
        target: RegionItem | None = self.target.currentData()
        if target is None:
            raise ValidationError("parent", f"没有可移入的{ra.MOVABLE[self.region.level].label}")
        return partial(ra.move_region, self.env.ctx, self.region.id, target.id,
                       new_code=self.code.text() if self.code else None,
                       expected_version=self.region.version)


class OrganizationDialog(ServiceDialog):
    """新增 or 修改 an organisation located at a place."""

    def __init__(self, env: UiEnv, region: RegionItem, organization: OrganizationItem | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(env, "修改调解组织" if organization else "新增调解组织", parent)
        self.region, self.organization = region, organization
        self.add_info("所在区划", _place(region))
        self.name = self.add_field("name", "组织名称", QLineEdit(organization.name if organization else ""))
        self.name.setPlaceholderText("例如：东关村人民调解委员会")
        default_kind = (OrganizationKind.VILLAGE_COMMITTEE if region.level is RegionLevel.VILLAGE
                        else OrganizationKind.TOWNSHIP_COMMITTEE)
        self.kind = self.add_field("kind", "组织类型", _combo(
            OrganizationKind.choices(), organization.kind.value if organization else default_kind.value))
        self.short = self.add_field("short", "案号简称", QLineEdit(organization.short if organization else ""))
        self.short.setPlaceholderText("用于案号，如“东关”→（2026）东关人调字第1号")

    def task(self) -> Callable[[], Any]:
        kind = OrganizationKind(self.kind.currentData())
        if self.organization is None:
            return partial(ra.add_organization, self.env.ctx, self.region.id, name=self.name.text(),
                           kind=kind, short=self.short.text())
        return partial(ra.update_organization, self.env.ctx, self.organization.id,
                       name=self.name.text(), kind=kind, short=self.short.text(),
                       expected_version=self.organization.version)


class MediatorDialog(ServiceDialog):
    """新增 or 修改 a mediator of an organisation."""

    def __init__(self, env: UiEnv, organization: OrganizationItem, mediator: MediatorItem | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(env, "修改调解员" if mediator else "新增调解员", parent)
        self.organization, self.mediator = organization, mediator
        self.add_info("调解组织", organization.name)
        self.name = self.add_field("name", "姓名", QLineEdit(mediator.name if mediator else ""))
        self.phone = self.add_field("phone", "联系电话", QLineEdit(mediator.phone or "" if mediator else ""))
        self.phone.setPlaceholderText("手机或带区号的固定电话，可不填")
        # Who the mediator is and where they live: assigning them checks for 回避 (conflicts).
        self.id_number = self.add_field("id_number", "身份证号", QLineEdit(
            mediator.id_number or "" if mediator else ""))
        self.id_number.setPlaceholderText("可不填；用于指派案件时提示是否需要回避")
        self.village = self.add_field("village", "居住村（社区）", QComboBox())
        self.village.addItem("（未填写）", None)
        self._village_id = mediator.village_id if mediator else None
        run_query(env, self, lambda: choices.places(env.ctx, RegionLevel.VILLAGE.value), self._on_villages_loaded)

    def _on_villages_loaded(self, villages: list[choices.Choice]) -> None:
        for village in villages:
            self.village.addItem(village.name, village.id)
        self.village.setCurrentIndex(max(0, self.village.findData(self._village_id)))

    def task(self) -> Callable[[], Any]:
        identity = dict(id_number=self.id_number.text(), village_id=self.village.currentData())
        if self.mediator is None:
            return partial(ra.add_mediator, self.env.ctx, self.organization.id,
                           name=self.name.text(), phone=self.phone.text(), **identity)
        return partial(ra.update_mediator, self.env.ctx, self.mediator.id, name=self.name.text(),
                       phone=self.phone.text(), expected_version=self.mediator.version, **identity)


class ImportFaultsDialog(QDialog):
    """The faults of a refused import, one "位置: 问题" a line; nothing was written."""

    def __init__(self, lines: list[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("导入失败")
        self.resize(640, 420)
        intro = QLabel(f"文件中发现{len(lines)}处问题，未导入任何数据。请修改文件后重新导入：")
        intro.setWordWrap(True)
        self.faults = QListWidget()
        self.faults.addItems(lines)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("关闭")
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.faults, 1)
        layout.addWidget(buttons)
