"""The screening tables (矛盾纠纷排查): rounds planned per village/community or grid, what each held
round found."""
from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from mediator.store.models.base import aware_datetime


class ScreeningRound(SQLModel, table=True):
    """One round of 排查: planned (due by ``due_on``), then held (``held_on``, who, where, notes).

    A monthly round (``monthly``) plans the next month's when it is held.
    """

    __tablename__ = "screening_round"
    __table_args__ = (sa.Index("ix_screening_round_status_due", "status", "due_on"),
                      sa.Index("ix_screening_round_held", "held_on"))

    id: int | None = Field(default=None, primary_key=True)
    office_id: int | None = Field(default=None, foreign_key="organization.id", index=True)  # None: county
    organization_id: int = Field(foreign_key="organization.id", index=True)  # who screens (reports it)
    village_id: int = Field(foreign_key="region.id", index=True)
    grid_id: int | None = Field(default=None, foreign_key="region.id", index=True)  # None: the whole village
    kind: str = Field(max_length=16)
    risk: str = Field(default="", max_length=200)  # the festival or the named risk
    monthly: bool = False
    planned_on: date
    due_on: date
    status: str = Field(max_length=16)
    planned_by: str = Field(max_length=50)
    held_on: date | None = None
    held_by: str = Field(default="", max_length=200)  # who screened, 、-separated
    places_visited: str = Field(default="", sa_type=sa.Text)
    notes: str = Field(default="", sa_type=sa.Text)
    recorded_by: str = Field(default="", max_length=50)
    created_at: datetime = Field(sa_type=aware_datetime())
    version: int = 1


class ScreeningFinding(SQLModel, table=True):
    """What a held round found: a registered case, a dispute headed off (预防), or nothing."""

    __tablename__ = "screening_finding"

    id: int | None = Field(default=None, primary_key=True)
    round_id: int = Field(foreign_key="screening_round.id", index=True)
    kind: str = Field(max_length=16)
    case_id: int | None = Field(default=None, foreign_key="case_file.id", index=True)
    summary: str = Field(default="", sa_type=sa.Text)  # 预防: what the dispute was
    parties: str = Field(default="", max_length=200)  # 预防: who was involved
    people: int = 0
    how: str = Field(default="", sa_type=sa.Text)  # 预防: how it was headed off
    flags: str = Field(default="", max_length=100)  # PreventionFlag codes, comma-separated
