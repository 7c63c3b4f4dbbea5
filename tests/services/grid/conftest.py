"""Fixtures of the grid tests: the seeded county, a 网格员 of 东关村一网格 and a 所长 of 城关镇."""
from __future__ import annotations

from dataclasses import dataclass

import pytest
from sqlmodel import select

from mediator.domain.enums import RegionLevel
from mediator.domain.permissions import Role
from mediator.services.context import CurrentUser, ServiceContext
from mediator.services.safety.auth import create_user
from mediator.store.models import Organization, Region, User
from tests.helpers import DONGGUAN, TOWNSHIP_COMMITTEE, seed_county

PASSWORD = "mima2026x"


@dataclass
class People:
    ctx: ServiceContext
    grid_worker: CurrentUser
    head: CurrentUser

    def as_user(self, user: CurrentUser | None) -> ServiceContext:
        self.ctx.user = user
        self.ctx.actor = user.display_name if user else "测试员"
        return self.ctx


def dongguan_grid_id(ctx: ServiceContext) -> int:
    with ctx.read() as session:
        village = session.exec(select(Region).where(Region.code == DONGGUAN)).one()
        return session.exec(select(Region.id).where(Region.parent_id == village.id,
                                                    Region.level == RegionLevel.GRID.value,
                                                    Region.name == "一网格")).one()


def make_grid_worker(ctx: ServiceContext, username: str = "wgy", name: str = "赵网格") -> CurrentUser:
    user = create_user(ctx, username=username, display_name=name, password=PASSWORD,
                       role=Role.GRID_WORKER, organization_id=None)
    grid_id = dongguan_grid_id(ctx)
    with ctx.transaction() as session:
        row = session.get(User, user.id)
        row.grid_id = grid_id
        session.add(row)
    return user


def make_head(ctx: ServiceContext) -> CurrentUser:
    with ctx.read() as session:
        org_id = session.exec(select(Organization.id).where(Organization.name == TOWNSHIP_COMMITTEE)).one()
    return create_user(ctx, username="suozhang", display_name="王所长", password=PASSWORD,
                       role=Role.HEAD, organization_id=org_id)


@pytest.fixture
def people(ctx) -> People:
    seed_county(ctx)
    return People(ctx, make_grid_worker(ctx), make_head(ctx))
