"""Village and grid picker: villages grouped under their township, grids of the chosen village."""
from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from mediator.services.places import choices as lookups
from mediator.services.places.choices import Choice
from mediator.ui.env import UiEnv
from mediator.ui.ops import run_query

NO_GRID = "（不指定网格）"


class RegionRole(IntEnum):
    CODE = Qt.ItemDataRole.UserRole + 1
    ID = Qt.ItemDataRole.UserRole + 2
    IS_HEADER = Qt.ItemDataRole.UserRole + 3


@dataclass(frozen=True)
class _Places:
    townships: list[Choice]
    villages: list[Choice]
    grids: list[Choice]


def _load_places(env: UiEnv) -> _Places:
    ctx = env.ctx
    return _Places(lookups.places(ctx, "township"), lookups.places(ctx, "village"),
                   lookups.places(ctx, "grid"))


class _IndentDelegate(QStyledItemDelegate):
    """Villages sit indented under their township's header in the popup."""

    def paint(self, painter, option, index) -> None:
        if not index.data(RegionRole.IS_HEADER):
            option = QStyleOptionViewItem(option)
            option.rect.adjust(18, 0, 0, 0)
        super().paint(painter, option, index)


class RegionPicker(QWidget):
    """Two combos: 村（社区） (grouped by township) and 网格 (grids of that village).

    Signals:
        village_changed(str): code of the chosen village, "" when none.
        grid_changed(str): name of the chosen grid, "" when none.
    """

    village_changed = Signal(str)
    grid_changed = Signal(str)

    def __init__(self, env: UiEnv, parent: QWidget | None = None, *,
                 with_grid: bool = True) -> None:
        super().__init__(parent)
        self.env = env
        self._grids: dict[int, list[Choice]] = {}
        self._pending: tuple[str | None, str | None] | None = None
        self._loaded = False

        self.village_combo = QComboBox()
        self.village_combo.setObjectName("village")
        self.village_combo.setPlaceholderText("请选择村（社区）")
        self.village_combo.setMinimumContentsLength(10)
        self.village_combo.setMaxVisibleItems(20)
        self._model = QStandardItemModel(self)
        self.village_combo.setModel(self._model)
        self.village_combo.view().setItemDelegate(_IndentDelegate(self.village_combo))
        self.grid_combo = QComboBox()
        self.grid_combo.setObjectName("grid")
        self.grid_combo.setMinimumContentsLength(8)
        self.grid_combo.setVisible(with_grid)
        self.grid_combo.setEnabled(False)

        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.village_combo, 3)
        layout.addWidget(self.grid_combo, 2)
        self.setFocusProxy(self.village_combo)

        self.village_combo.currentIndexChanged.connect(self._on_village_combo_current_index_changed)
        self.grid_combo.currentIndexChanged.connect(self._on_grid_combo_current_index_changed)
        env.signals.reference_changed.connect(self.reload)
        self.reload()

    # --- loading --------------------------------------------------------------------------
    def reload(self) -> None:
        """Read the places again (keeps the current choice when it still exists)."""
        if self._loaded and self._pending is None:
            self._pending = (self.village_code(), self.grid_name())
        run_query(self.env, self, lambda: _load_places(self.env), self._fill)

    def _fill(self, places: _Places) -> None:
        self._grids = {}
        for grid in places.grids:
            self._grids.setdefault(grid.parent_id, []).append(grid)
        by_township: dict[int | None, list[Choice]] = {}
        for village in places.villages:
            by_township.setdefault(village.parent_id, []).append(village)
        groups = [(t.name, by_township.pop(t.id, [])) for t in places.townships]
        orphans = [v for villages in by_township.values() for v in villages]
        if orphans:
            groups.append(("其他", orphans))

        self.village_combo.blockSignals(True)
        self._model.clear()
        bold = QFont()
        bold.setBold(True)
        for township, villages in groups:
            if not villages:
                continue
            header = QStandardItem(township)
            header.setFlags(Qt.ItemFlag.NoItemFlags)
            header.setFont(bold)
            header.setData(True, RegionRole.IS_HEADER)
            self._model.appendRow(header)
            for village in villages:
                item = QStandardItem(village.name)
                item.setData(village.code, RegionRole.CODE)
                item.setData(village.id, RegionRole.ID)
                item.setToolTip(f"{township} {village.name}（{village.code}）")
                self._model.appendRow(item)
        self.village_combo.setCurrentIndex(-1)
        self.village_combo.blockSignals(False)
        self._loaded = True
        village, grid = self._pending or (None, None)
        self._pending = None
        self._fill_grids()
        if village:
            self.set_village(village)
            if grid:
                self.set_grid(grid)

    def _fill_grids(self) -> None:
        village_id = self.village_id()
        grids = self._grids.get(village_id, []) if village_id is not None else []
        self.grid_combo.blockSignals(True)
        self.grid_combo.clear()
        self.grid_combo.addItem(NO_GRID, None)
        for grid in grids:
            self.grid_combo.addItem(grid.name, grid.id)
        self.grid_combo.setCurrentIndex(0)
        self.grid_combo.setEnabled(bool(grids))
        self.grid_combo.blockSignals(False)

    # --- reading and setting the choice ---------------------------------------------------
    def village_code(self) -> str | None:
        code = self.village_combo.currentData(RegionRole.CODE)
        return code or None

    def village_id(self) -> int | None:
        return self.village_combo.currentData(RegionRole.ID)

    def village_name(self) -> str | None:
        return self.village_combo.currentText() if self.village_code() else None

    def grid_name(self) -> str | None:
        return self.grid_combo.currentText() if self.grid_combo.currentData() is not None else None

    def grid_id(self) -> int | None:
        return self.grid_combo.currentData()

    def set_village(self, code: str | None) -> bool:
        """Choose the village with this code (None clears); False if there is no such village."""
        if not self._loaded:
            self._pending = (code, None)
            return True
        if not code:
            self.village_combo.setCurrentIndex(-1)
            return True
        for row in range(self._model.rowCount()):
            if self._model.item(row).data(RegionRole.CODE) == code:
                self.village_combo.setCurrentIndex(row)
                return True
        return False

    def set_grid(self, name: str | None) -> bool:
        """Choose a grid of the current village by name (None: no grid)."""
        if not self._loaded and self._pending is not None:
            self._pending = (self._pending[0], name)
            return True
        index = 0 if not name else self.grid_combo.findText(name, Qt.MatchFlag.MatchExactly)
        if index < 0:
            return False
        self.grid_combo.setCurrentIndex(index)
        return True

    # --- slots ------------------------------------------------------------------------------
    def _on_village_combo_current_index_changed(self, _index: int) -> None:
        self._fill_grids()
        self.village_changed.emit(self.village_code() or "")
        self.grid_changed.emit("")

    def _on_grid_combo_current_index_changed(self, _index: int) -> None:
        self.grid_changed.emit(self.grid_name() or "")
