"""The village map widget: drawn from coordinates when every village has them, else schematic."""
from __future__ import annotations

from mediator.services.reports.dashboard import MapPlace, VillageMap
from mediator.services.reports.statistics import Period
from mediator.ui.widgets.village_map import SCALE, VillageMapPanel, shade


def _map(with_coordinates: bool) -> VillageMap:
    def village(i, name, lat, lon, open_cases):
        return MapPlace(10 + i, name, "village", 1, f"41990110020{i}", "rural_village",
                        lat if with_coordinates else None, lon if with_coordinates else None, open_cases, 0)

    return VillageMap(Period.year(2026), [MapPlace(1, "城关镇", "township", None, "419901100000")],
                      [village(1, "西村", 34.70, 113.60, 0), village(2, "东村", 34.70, 113.70, 4),
                       village(3, "北村", 34.80, 113.65, 2)],
                      [MapPlace(100, "一网格", "grid", 12, open_cases=3),
                       MapPlace(101, "二网格", "grid", 12, open_cases=1)])


def test_villages_are_placed_by_their_coordinates(qtbot):
    panel = VillageMapPanel()
    qtbot.addWidget(panel)
    panel.resize(900, 500)
    panel.show()
    panel.show_map(_map(True))
    items = {i.place.name: i for i in panel.view.village_items.values()}
    assert all(i.round for i in items.values()) and "按坐标绘制" in panel.kind.text()
    west, east, north = (items[n].rect().center() for n in ("西村", "东村", "北村"))
    assert west.x() < north.x() < east.x() and north.y() < west.y() == east.y()
    assert items["东村"].brush().color() == shade(4, 4) and items["西村"].brush().color().name() == SCALE[0]
    assert items["东村"].rect().width() > items["西村"].rect().width()  # busier, bigger
    panel.view.zoom_by(2.0)
    assert all(g.isVisible() for g in panel.view.grid_items.values())
    panel.view.fit()
    assert not any(g.isVisible() for g in panel.view.grid_items.values())


def test_without_coordinates_the_map_is_schematic(qtbot):
    panel = VillageMapPanel()
    qtbot.addWidget(panel)
    panel.show_map(_map(False))
    assert not any(i.round for i in panel.view.village_items.values())
    assert "示意图" in panel.kind.text()


def test_shades_grow_with_the_count():
    assert shade(0, 10).name() == SCALE[0] and shade(5, 0).name() == SCALE[0]
    assert [shade(n, 8).name() for n in (1, 4, 6, 8)] == list(SCALE[1:])
