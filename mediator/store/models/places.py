"""Tables of places and offices: regions, organisations and their mediators."""
from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from sqlmodel import Field, SQLModel


class Region(SQLModel, table=True):
    """A place: county → township → village/community → grid (grids have no code)."""

    __tablename__ = "region"
    __table_args__ = (sa.UniqueConstraint("parent_id", "name", name="uq_region_parent_name"),)

    id: int | None = Field(default=None, primary_key=True)
    code: str | None = Field(default=None, max_length=12, unique=True)
    name: str = Field(max_length=100)
    level: str = Field(max_length=16, index=True)
    kind: str | None = Field(default=None, max_length=32)  # villages: VillageKind
    parent_id: int | None = Field(default=None, foreign_key="region.id", index=True)
    lat: float | None = None
    lon: float | None = None
    active: bool = True
    version: int = 1


class Organization(SQLModel, table=True):
    __tablename__ = "organization"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=100, unique=True)
    kind: str = Field(max_length=32)
    region_id: int = Field(foreign_key="region.id", index=True)
    short: str = Field(max_length=20)
    address: str | None = Field(default=None, max_length=200)
    phone: str | None = Field(default=None, max_length=32)
    active: bool = True
    # A 司法所 with its own settings and admin on a county server: "active", or "pending" while
    # its request to join waits for an administrator's approval; None: not an office.
    office_status: str | None = Field(default=None, max_length=16)
    version: int = 1


class Mediator(SQLModel, table=True):
    __tablename__ = "mediator"
    __table_args__ = (sa.UniqueConstraint("organization_id", "name", name="uq_mediator_org_name"),)

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=50)
    organization_id: int = Field(foreign_key="organization.id", index=True)
    phone: str | None = Field(default=None, max_length=32)
    # Who the mediator is and where they live: the conflict check when one is assigned (回避).
    id_number: str | None = Field(default=None, max_length=18)
    birth_date: date | None = None
    village_id: int | None = Field(default=None, foreign_key="region.id")
    active: bool = True
    version: int = 1
