"""Choices for pickers and filters: organisations, mediators, villages and grids, as plain data."""
from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import select

from mediator.services.context import ServiceContext
from mediator.store.models import Mediator, Organization, Region


@dataclass(frozen=True)
class Choice:
    id: int
    name: str
    parent_id: int | None = None  # organisation of a mediator, village of a grid, township of a village
    code: str | None = None
    kind: str | None = None


def organizations(ctx: ServiceContext) -> list[Choice]:
    with ctx.read() as session:
        rows = session.exec(select(Organization).where(Organization.active == True)  # noqa: E712
                            .order_by(Organization.id))
        return [Choice(o.id, o.name, o.region_id, o.short, o.kind) for o in rows]


def mediators(ctx: ServiceContext, organization_id: int | None = None) -> list[Choice]:
    with ctx.read() as session:
        stmt = select(Mediator).where(Mediator.active == True).order_by(Mediator.id)  # noqa: E712
        if organization_id is not None:
            stmt = stmt.where(Mediator.organization_id == organization_id)
        return [Choice(m.id, m.name, m.organization_id, None, m.phone) for m in session.exec(stmt)]


def places(ctx: ServiceContext, level: str) -> list[Choice]:
    """Active regions of one level (county, township, village or grid), in code order."""
    with ctx.read() as session:
        rows = session.exec(select(Region).where(Region.level == level, Region.active == True)  # noqa: E712
                            .order_by(Region.code, Region.name, Region.id))
        return [Choice(r.id, r.name, r.parent_id, r.code, r.kind) for r in rows]
