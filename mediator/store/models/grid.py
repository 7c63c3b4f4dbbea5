"""The grid intake table: events a 网格员 reported, before and after they were dispatched."""
from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from mediator.store.models.base import aware_datetime


class GridReport(SQLModel, table=True):
    """网格事件上报: what a 网格员 reported from their grid, until it is dispatched as a case or
    resolved inside the grid (小事不出网格), with the party's satisfaction afterwards."""

    __tablename__ = "grid_report"
    __table_args__ = (sa.Index("ix_grid_report_status_reported", "status", "reported_on"),)

    id: int | None = Field(default=None, primary_key=True)
    grid_id: int = Field(foreign_key="region.id", index=True)
    reported_by_id: int | None = Field(default=None, index=True)  # the 网格员's account
    reported_by: str = Field(max_length=50)
    reported_on: date
    reported_at: datetime = Field(sa_type=aware_datetime())
    parties: str = Field(max_length=200)  # names, 、-separated
    phone: str | None = Field(default=None, max_length=32)
    place: str = Field(max_length=200)
    summary: str = Field(sa_type=sa.Text)
    urgency: str = Field(max_length=16)
    status: str = Field(max_length=16)
    case_id: int | None = Field(default=None, foreign_key="case_file.id", index=True)
    handled_by: str = Field(default="", max_length=50)  # who dispatched or recorded the resolution
    handled_on: date | None = None
    resolution: str = Field(default="", sa_type=sa.Text)  # 网格内化解: how it was resolved
    satisfaction: str | None = Field(default=None, max_length=16)
    feedback_note: str = Field(default="", sa_type=sa.Text)
    feedback_on: date | None = None
    version: int = 1
