"""The region tree: county → township → village/community → grid, with codes, kinds and state."""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush
from PySide6.QtWidgets import QHeaderView, QTreeWidget, QTreeWidgetItem

from mediator.services.places.admin import RegionItem
from mediator.ui.widgets.overview_bits import GREY

ITEM_ROLE = Qt.ItemDataRole.UserRole
COLUMNS = ["名称", "区划代码", "层级", "类型", "状态"]


class RegionTree(QTreeWidget):
    """Shows ``RegionItem``s as a tree; inactive places are grey (or hidden).

    Signals:
        region_selected(object): the selected ``RegionItem``, or None.
    """

    region_selected = Signal(object)

    def __init__(self) -> None:
        super().__init__()
        self.setColumnCount(len(COLUMNS))
        self.setHeaderLabels(COLUMNS)
        self.setAlternatingRowColors(True)
        self.setUniformRowHeights(True)
        self.setStyleSheet("QTreeView::item { padding: 3px 8px 3px 0px; }")
        header = self.header()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in range(1, len(COLUMNS)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(False)
        self.show_inactive = True
        self._items: dict[int, QTreeWidgetItem] = {}
        self.currentItemChanged.connect(self._on_self_current_item_changed)

    def load(self, regions: list[RegionItem], *, select: int | None = None) -> None:
        """Rebuild from ``regions`` (parents before children), keeping expansion and selection.

        Selects ``select`` if given and shown, else the place selected before, else the first;
        ``region_selected`` is emitted once for the outcome.
        """
        selected = self.selected()
        expanded = {rid for rid, item in self._items.items() if item.isExpanded()}
        first_load = not self._items
        self.blockSignals(True)
        self.clear()
        self._items = {}
        for region in regions:
            if not region.active and not self.show_inactive:
                continue
            parent = self._items.get(region.parent_id) if region.parent_id else None
            if region.parent_id is not None and parent is None:
                continue  # below a hidden (inactive) place
            item = QTreeWidgetItem([region.name, region.code or "", region.level.label,
                                    region.kind_label, "启用" if region.active else "已停用"])
            item.setData(0, ITEM_ROLE, region)
            if not region.active:
                for column in range(len(COLUMNS)):
                    item.setForeground(column, QBrush(GREY))
            if parent is None:
                self.addTopLevelItem(item)
            else:
                parent.addChild(item)
            self._items[region.id] = item
        for rid, item in self._items.items():
            level = item.data(0, ITEM_ROLE).level.value
            item.setExpanded(rid in expanded or (first_load and level in ("county", "township")))
        self.blockSignals(False)
        wanted = select if select in self._items else selected.id if selected is not None else None
        if wanted in self._items:
            self.select_region(wanted)
        elif self.topLevelItemCount():
            self.setCurrentItem(self.topLevelItem(0))
        else:
            self.region_selected.emit(None)

    def selected(self) -> RegionItem | None:
        item = self.currentItem()
        return None if item is None else item.data(0, ITEM_ROLE)

    def region(self, region_id: int) -> RegionItem | None:
        item = self._items.get(region_id)
        return None if item is None else item.data(0, ITEM_ROLE)

    def select_region(self, region_id: int) -> bool:
        item = self._items.get(region_id)
        if item is None:
            return False
        parent = item.parent()
        while parent is not None:
            parent.setExpanded(True)
            parent = parent.parent()
        self.scrollToItem(item)
        if self.currentItem() is item:
            self.region_selected.emit(item.data(0, ITEM_ROLE))
        else:
            self.setCurrentItem(item)  # emits through currentItemChanged
        return True

    def _on_self_current_item_changed(self, current: QTreeWidgetItem | None,
                                      _previous: QTreeWidgetItem | None) -> None:
        self.region_selected.emit(None if current is None else current.data(0, ITEM_ROLE))
