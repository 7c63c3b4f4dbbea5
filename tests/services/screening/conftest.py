"""Fixtures of the screening tests: the sample county with 柳树村 (one grid) added to 城关镇."""
from __future__ import annotations

from sqlmodel import select

from mediator.domain.enums import VillageKind
from mediator.services.context import ServiceContext
from mediator.services.places.admin import add_region
from mediator.store.models import Region

LIUSHU = "419901100202"


def add_liushu(ctx: ServiceContext) -> int:
    """柳树村 under 城关镇, with its 一网格; the village's id."""
    with ctx.read() as session:
        township = session.exec(select(Region.id).where(Region.code == "419901100000")).one()
    village = add_region(ctx, township, name="柳树村", code=LIUSHU, kind=VillageKind.RURAL_VILLAGE).id
    add_region(ctx, village, name="一网格")
    return village
