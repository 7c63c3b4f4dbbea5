"""The village map (可视化地图), offline: villages drawn from coordinates, else a schematic map.

With coordinates on every village, each is a dot at its place (townships labelled at the middle
of their villages). Without them, townships are areas and their villages tiles. Colour says how
many cases (open now, or received in the period); zooming in shows each village's grids; hovering
tells the counts; clicking a village or grid asks for the case list of that place.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QPainter, QPen, QWheelEvent
from PySide6.QtWidgets import (
    QComboBox,
    QGraphicsItem,
    QGraphicsRectItem,
    QGraphicsScene,
    QGraphicsSceneHoverEvent,
    QGraphicsSceneMouseEvent,
    QGraphicsSimpleTextItem,
    QGraphicsView,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from mediator.services.reports.dashboard import MapPlace, VillageMap

# Light to dark: none, few, some, many, most (by share of the busiest village).
SCALE = ("#f1f3f4", "#fff3b0", "#ffd166", "#f4845f", "#d62828")
TILE_W, TILE_H, GAP, PAD = 120.0, 64.0, 8.0, 12.0
GRID_DETAIL_SCALE = 1.6  # from this zoom on, villages show their grids


def shade(count: int, busiest: int) -> QColor:
    """The colour of a place with ``count`` cases when the busiest place has ``busiest``."""
    if count <= 0 or busiest <= 0:
        return QColor(SCALE[0])
    share = count / busiest
    return QColor(SCALE[1] if share <= 0.25 else SCALE[2] if share <= 0.5 else
                  SCALE[3] if share <= 0.75 else SCALE[4])


def _count(place: MapPlace, mode: str) -> int:
    return place.open_cases if mode == "open" else place.period_cases


@dataclass(frozen=True)
class PlaceKey:
    """What was clicked: a village (``grid_id`` None) or one grid of it."""

    village_id: int
    grid_id: int | None = None


class _PlaceItem(QGraphicsRectItem):
    """A clickable, hoverable village or grid tile (or village dot, when ``round``)."""

    def __init__(self, rect: QRectF, place: MapPlace, key: PlaceKey, view: VillageMapView,
                 text: str, color: QColor, round_: bool = False) -> None:
        super().__init__(rect)
        self.place, self.key, self._view = place, key, view
        self.round = round_
        self.setBrush(QBrush(color))
        self.setPen(QPen(QColor("#5f6368"), 0.8))
        self.setAcceptHoverEvents(True)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setToolTip(text)
        self.tooltip_text = text

    def paint(self, painter: QPainter, option, widget=None) -> None:
        if not self.round:
            super().paint(painter, option, widget)
            return
        painter.setPen(self.pen())
        painter.setBrush(self.brush())
        painter.drawEllipse(self.rect())

    def hoverEnterEvent(self, event: QGraphicsSceneHoverEvent) -> None:
        self.setPen(QPen(QColor("#1a73e8"), 2))
        self._view.place_hovered.emit(self.tooltip_text)
        super().hoverEnterEvent(event)

    def hoverLeaveEvent(self, event: QGraphicsSceneHoverEvent) -> None:
        self.setPen(QPen(QColor("#5f6368"), 0.8))
        self._view.place_hovered.emit("")
        super().hoverLeaveEvent(event)

    def mousePressEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            event.accept()
            return
        super().mousePressEvent(event)

    def mouseReleaseEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton and self.contains(event.pos()):
            self._view.place_clicked.emit(self.key)
            event.accept()
            return
        super().mouseReleaseEvent(event)


class VillageMapView(QGraphicsView):
    """The map itself. Wheel or ``zoom_by`` zooms; grids show from ``GRID_DETAIL_SCALE`` on.

    Signals:
        place_clicked(PlaceKey): a village or grid was clicked.
        place_hovered(str): the counts of the place under the mouse ("" when it leaves).
    """

    place_clicked = Signal(object)
    place_hovered = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setScene(QGraphicsScene(self))
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.setBackgroundBrush(QColor("#fafafa"))
        self.data: VillageMap | None = None
        self.mode = "open"
        self.village_items: dict[int, _PlaceItem] = {}
        self.grid_items: dict[int, _PlaceItem] = {}
        self.zoom = 1.0
        self._fitted = True  # follow the view's size until the user zooms

    # --- drawing ------------------------------------------------------------------------------
    def show_map(self, data: VillageMap, mode: str = "open") -> None:
        """Draw ``data`` coloured by ``mode`` (``open`` or ``period``) and fit it in the view."""
        self.data, self.mode = data, mode
        scene = self.scene()
        scene.clear()
        self.village_items.clear()
        self.grid_items.clear()
        busiest = max((_count(v, mode) for v in data.villages), default=0)
        if data.has_coordinates:
            self._draw_by_coordinates(data, busiest)
        else:
            self._draw_schematic(data, busiest)
        rect = scene.itemsBoundingRect().adjusted(-PAD, -PAD, PAD, PAD)
        scene.setSceneRect(rect)
        self.fit()

    def _label(self, text: str, x: float, y: float, size: int = 9, bold: bool = False,
               parent: QGraphicsItem | None = None) -> QGraphicsSimpleTextItem:
        item = QGraphicsSimpleTextItem(text, parent)
        font = QFont(item.font())
        font.setPointSize(size)
        font.setBold(bold)
        item.setFont(font)
        item.setPos(x, y)
        item.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        if parent is None:
            self.scene().addItem(item)
        return item

    def _tooltip(self, place: MapPlace, township: str) -> str:
        where = f"{township} {place.name}" if township else place.name
        return f"{where}：办理中{place.open_cases}件，期间收案{place.period_cases}件"

    def _draw_schematic(self, data: VillageMap, busiest: int) -> None:
        by_township: dict[int | None, list[MapPlace]] = {}
        for v in data.villages:
            by_township.setdefault(v.parent_id, []).append(v)
        townships = [t for t in data.townships if by_township.get(t.id)]
        # The view is wide: lay the townships out about two and a half times wider than high.
        columns = min(len(townships), max(1, round(math.sqrt(len(townships) * 2.5))))
        cursor_x, cursor_y, row_height = 0.0, 0.0, 0.0
        for i, township in enumerate(townships):
            villages = by_township[township.id]
            per_row = max(1, min(4, math.ceil(math.sqrt(len(villages)))))
            rows = math.ceil(len(villages) / per_row)
            width = per_row * (TILE_W + GAP) + GAP
            height = 28 + rows * (TILE_H + GAP) + GAP
            if i and i % columns == 0:
                cursor_x, cursor_y, row_height = 0.0, cursor_y + row_height + 2 * GAP, 0.0
            area = self.scene().addRect(QRectF(cursor_x, cursor_y, width, height),
                                        QPen(QColor("#9aa0a6"), 1, Qt.PenStyle.DashLine),
                                        QBrush(QColor("#eef3f8")))
            area.setZValue(-1)
            self._label(f"{township.name}（{_count(township, self.mode)}件）", cursor_x + GAP,
                        cursor_y + 6, 10, True)
            for k, village in enumerate(villages):
                x = cursor_x + GAP + (k % per_row) * (TILE_W + GAP)
                y = cursor_y + 28 + (k // per_row) * (TILE_H + GAP)
                self._village_tile(village, township.name, QRectF(x, y, TILE_W, TILE_H), busiest)
            cursor_x += width + 2 * GAP
            row_height = max(row_height, height)

    def _village_tile(self, village: MapPlace, township: str, rect: QRectF, busiest: int) -> None:
        count = _count(village, self.mode)
        item = _PlaceItem(rect, village, PlaceKey(village.id), self, self._tooltip(village, township),
                          shade(count, busiest))
        self.scene().addItem(item)
        self.village_items[village.id] = item
        self._label(village.name, rect.x() + 6, rect.y() + 6, 9, False, item)
        self._label(f"{count}件", rect.x() + 6, rect.y() + rect.height() - 22, 11, True, item)
        self._grid_tiles(village, township, rect)

    def _grid_tiles(self, village: MapPlace, township: str, rect: QRectF) -> None:
        grids = [g for g in (self.data.grids if self.data else []) if g.parent_id == village.id]
        if not grids:
            return
        busiest = max((_count(g, self.mode) for g in grids), default=0)
        per_row = max(1, math.ceil(math.sqrt(len(grids))))
        rows = math.ceil(len(grids) / per_row)
        inner = rect.adjusted(4, 22, -4, -4)
        w, h = inner.width() / per_row, inner.height() / rows
        for k, grid in enumerate(grids):
            cell = QRectF(inner.x() + (k % per_row) * w + 1, inner.y() + (k // per_row) * h + 1, w - 2, h - 2)
            text = f"{township} {village.name} {grid.name}：办理中{grid.open_cases}件，期间收案{grid.period_cases}件"
            item = _PlaceItem(cell, grid, PlaceKey(village.id, grid.id), self, text,
                              shade(_count(grid, self.mode), busiest))
            item.setZValue(2)
            font_size = 4 if w < 40 else 5
            self._label(f"{grid.name} {_count(grid, self.mode)}", cell.x() + 2, cell.y() + 1,
                        font_size, False, item)
            item.setVisible(False)
            self.scene().addItem(item)
            self.grid_items[grid.id] = item

    def _draw_by_coordinates(self, data: VillageMap, busiest: int) -> None:
        lons = [v.lon for v in data.villages if v.lon is not None]
        lats = [v.lat for v in data.villages if v.lat is not None]
        span = max(max(lons) - min(lons), max(lats) - min(lats), 1e-6)
        scale = 900.0 / span
        squeeze = math.cos(math.radians(sum(lats) / len(lats)))  # keep east-west distances true

        def at(lat: float, lon: float) -> QPointF:
            return QPointF((lon - min(lons)) * scale * squeeze, (max(lats) - lat) * scale)

        names = {t.id: t.name for t in data.townships}
        members: dict[int | None, list[QPointF]] = {}
        for v in data.villages:
            p = at(v.lat, v.lon)
            members.setdefault(v.parent_id, []).append(p)
            count = _count(v, self.mode)
            radius = 9 + (13 * count / busiest if busiest else 0)
            rect = QRectF(p.x() - radius, p.y() - radius, 2 * radius, 2 * radius)
            item = _PlaceItem(rect, v, PlaceKey(v.id), self, self._tooltip(v, names.get(v.parent_id, "")),
                              shade(count, busiest), round_=True)
            self.scene().addItem(item)
            self.village_items[v.id] = item
            self._label(f"{v.name} {count}", p.x() - radius, p.y() + radius + 1, 8, False, item)
            self._grid_tiles(v, names.get(v.parent_id, ""), QRectF(p.x() - 30, p.y() - 40, 60, 52))
        for township in data.townships:
            points = members.get(township.id)
            if points:
                cx = sum(p.x() for p in points) / len(points)
                cy = min(p.y() for p in points) - 40
                label = self._label(township.name, cx, cy, 11, True)
                label.setBrush(QColor("#5f6368"))

    # --- zoom -----------------------------------------------------------------------------------
    def fit(self) -> None:
        rect = self.scene().sceneRect()
        if rect.isEmpty():
            return
        self.resetTransform()
        self.fitInView(rect, Qt.AspectRatioMode.KeepAspectRatio)
        self.zoom = 1.0
        self._fitted = True
        self._update_detail()

    def zoom_by(self, factor: float) -> None:
        new = min(max(self.zoom * factor, 0.5), 12.0)
        factor = new / self.zoom
        self.zoom = new
        self._fitted = False
        self.scale(factor, factor)
        self._update_detail()

    def zoom_to_village(self, village_id: int) -> None:
        """Zoom until the village fills the view, showing its grids."""
        item = self.village_items.get(village_id)
        if item is None:
            return
        self.fit()
        scale_now = self.transform().m11()
        target = min(self.viewport().width() / (item.rect().width() * 1.4),
                     self.viewport().height() / (item.rect().height() * 1.4))
        self.zoom_by(max(target / scale_now, GRID_DETAIL_SCALE))
        self.centerOn(item.rect().center())

    def shows_grids(self) -> bool:
        return self.zoom >= GRID_DETAIL_SCALE

    def _update_detail(self) -> None:
        detail = self.shows_grids()
        for item in self.grid_items.values():
            item.setVisible(detail)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if self._fitted:
            self.fit()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self._fitted:
            self.fit()

    def wheelEvent(self, event: QWheelEvent) -> None:
        self.zoom_by(1.25 if event.angleDelta().y() > 0 else 0.8)
        event.accept()


class VillageMapPanel(QWidget):
    """The map with its colour picker, zoom buttons, legend and the hovered place's counts.

    Signals:
        place_clicked(PlaceKey, str): a place was clicked, with the colour mode (open/period).
    """

    place_clicked = Signal(object, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.view = VillageMapView()
        self.mode = QComboBox()
        self.mode.addItem("按办理中案件着色", "open")
        self.mode.addItem("按期间收案着色", "period")
        self.zoom_in = QPushButton("放大")
        self.zoom_out = QPushButton("缩小")
        self.fit_button = QPushButton("全图")
        self.info = QLabel("鼠标移到村（社区）上查看案件数，点击查看案件；放大后显示网格。")
        self.info.setStyleSheet("color: #555;")
        self.kind = QLabel()
        self.kind.setStyleSheet("color: #777;")
        bar = QHBoxLayout()
        bar.addWidget(self.mode)
        for button in (self.zoom_in, self.zoom_out, self.fit_button):
            bar.addWidget(button)
        bar.addSpacing(12)
        bar.addWidget(_legend())
        bar.addStretch(1)
        bar.addWidget(self.kind)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.info)
        self.data: VillageMap | None = None
        self.mode.currentIndexChanged.connect(self._on_mode_current_index_changed)
        self.zoom_in.clicked.connect(lambda: self.view.zoom_by(1.5))
        self.zoom_out.clicked.connect(lambda: self.view.zoom_by(1 / 1.5))
        self.fit_button.clicked.connect(self.view.fit)
        self.view.place_hovered.connect(self._on_view_place_hovered)
        self.view.place_clicked.connect(self._on_view_place_clicked)

    def current_mode(self) -> str:
        return self.mode.currentData()

    def show_map(self, data: VillageMap) -> None:
        self.data = data
        self.view.show_map(data, self.current_mode())
        self.kind.setText(("按坐标绘制" if data.has_coordinates else "示意图（区划无坐标）")
                          + f" · 期间：{data.period.label}")

    def _on_mode_current_index_changed(self, _index: int) -> None:
        if self.data is not None:
            self.view.show_map(self.data, self.current_mode())

    def _on_view_place_hovered(self, text: str) -> None:
        self.info.setText(text or "鼠标移到村（社区）上查看案件数，点击查看案件；放大后显示网格。")

    def _on_view_place_clicked(self, key: PlaceKey) -> None:
        self.place_clicked.emit(key, self.current_mode())


def _legend() -> QWidget:
    box = QWidget()
    row = QHBoxLayout(box)
    row.setContentsMargins(0, 0, 0, 0)
    row.setSpacing(2)
    row.addWidget(QLabel("少"))
    for color in SCALE:
        swatch = QLabel()
        swatch.setFixedSize(18, 12)
        swatch.setStyleSheet(f"background: {color}; border: 1px solid #9aa0a6;")
        row.addWidget(swatch)
    row.addWidget(QLabel("多"))
    return box
