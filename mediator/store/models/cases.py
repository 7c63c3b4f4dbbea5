"""Tables of the case itself: persons, cases, their parties, links, events, deadlines, numbers."""
from __future__ import annotations

from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from mediator.store.models.base import aware_datetime


class Person(SQLModel, table=True):
    """A natural person or organisation known across cases (links repeat disputes)."""

    __tablename__ = "person"
    __table_args__ = (sa.Index("ix_person_name_phone", "name", "phone"),)

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=100)
    id_number: str | None = Field(default=None, max_length=18, unique=True)
    phone: str | None = Field(default=None, max_length=32)


class Case(SQLModel, table=True):
    __tablename__ = "case_file"
    __table_args__ = (
        sa.UniqueConstraint("organization_id", "track", "number_year", "number_seq",
                            name="uq_case_number_seq"),
        sa.Index("ix_case_status_received", "status", "received_on"),
        sa.Index("ix_case_village_received", "village_id", "received_on"),
        sa.Index("ix_case_org_received", "organization_id", "received_on"),
        sa.Index("ix_case_track_received", "track", "received_on"),
        sa.Index("ix_case_category_received", "category", "received_on"),
        sa.Index("ix_case_risk_received", "risk_level", "received_on"),
        sa.Index("ix_case_grid_received", "grid_id", "received_on"),
        sa.Index("ix_case_level_received", "level", "received_on"),
        # The statistics read these without touching the wide rows: the year's received cases by
        # their breakdown, and a case's organisation, flags and people for agreements, outcomes, visits.
        sa.Index("ix_case_stats_received", "received_on", "status", "source", "category", "track", "level",
                 "organization_id", "people_involved"),
        sa.Index("ix_case_stats_unit", "id", "organization_id", "risk_flags", "people_involved"),
        # The reminder scan: a case's number by id, for the reminders' targets (migration 0015).
        sa.Index("ix_case_number_by_id", "id", "number"),
    )

    id: int | None = Field(default=None, primary_key=True)
    ref: str | None = Field(default=None, max_length=64, unique=True)
    number: str = Field(max_length=64, index=True)
    number_year: int
    number_seq: int
    track: str = Field(max_length=16)
    track_detail: str | None = Field(default=None, max_length=32)
    procedure: str | None = Field(default=None, max_length=16)
    source: str = Field(max_length=32)
    category: str = Field(max_length=32)
    organization_id: int = Field(foreign_key="organization.id")
    village_id: int = Field(foreign_key="region.id")
    grid_id: int | None = Field(default=None, foreign_key="region.id")
    level: str = Field(max_length=16)
    received_on: date = Field(index=True)
    accepted_on: date | None = None
    closed_on: date | None = None
    summary: str = Field(sa_type=sa.Text)
    requests: str = Field(default="", sa_type=sa.Text)
    amount_fen: int = Field(default=0, sa_type=sa.BigInteger)
    people_involved: int = 1
    risk_level: str = Field(default="low", max_length=16)
    risk_flags: str = Field(default="", max_length=100)  # comma-separated RiskFlag codes
    status: str = Field(max_length=16)
    needs_supervision: bool = False  # 督促履行 after partial or no performance
    # The account that registered the case (网格员 see their own); no FK so SQLite need not rebuild
    # case_file (and drop its search triggers) to add it.
    registered_by_id: int | None = Field(default=None, index=True)
    created_at: datetime = Field(sa_type=aware_datetime())
    updated_at: datetime = Field(sa_type=aware_datetime())
    version: int = 1


class CaseMediator(SQLModel, table=True):
    __tablename__ = "case_mediator"
    __table_args__ = (sa.Index("ix_case_mediator_mediator_case", "mediator_id", "case_id"),)

    case_id: int = Field(foreign_key="case_file.id", primary_key=True)
    mediator_id: int = Field(foreign_key="mediator.id", primary_key=True)
    seq: int = 0


class CaseParty(SQLModel, table=True):
    __tablename__ = "case_party"
    __table_args__ = (sa.Index("ix_case_party_name", "name"), sa.Index("ix_case_party_phone", "phone"))

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="case_file.id", index=True)
    person_id: int | None = Field(default=None, foreign_key="person.id", index=True)
    seq: int = 0
    role: str = Field(max_length=16)
    kind: str = Field(max_length=16)
    name: str = Field(max_length=100)
    gender: str | None = Field(default=None, max_length=8)
    ethnicity: str | None = Field(default=None, max_length=20)
    birth_date: date | None = None
    id_number: str | None = Field(default=None, max_length=18, index=True)
    phone: str | None = Field(default=None, max_length=32)
    address: str | None = Field(default=None, max_length=200)
    occupation: str | None = Field(default=None, max_length=100)
    credit_code: str | None = Field(default=None, max_length=18)
    representative: str | None = Field(default=None, max_length=50)
    agent_name: str | None = Field(default=None, max_length=50)
    agent_phone: str | None = Field(default=None, max_length=32)
    agent_relation: str | None = Field(default=None, max_length=50)
    version: int = 1


class CaseLink(SQLModel, table=True):
    """An earlier case of the same person (重复纠纷)."""

    __tablename__ = "case_link"

    case_id: int = Field(foreign_key="case_file.id", primary_key=True)
    earlier_case_id: int = Field(foreign_key="case_file.id", primary_key=True, index=True)
    reason: str = Field(max_length=100)


class TimelineEvent(SQLModel, table=True):
    """One step of the case's history (全流程追踪); append-only."""

    __tablename__ = "timeline_event"
    __table_args__ = (sa.UniqueConstraint("case_id", "seq", name="uq_timeline_case_seq"),
                      sa.Index("ix_timeline_action_on", "action", "on", "case_id"))

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="case_file.id", index=True)
    seq: int
    on: date
    at: datetime = Field(sa_type=aware_datetime())
    action: str = Field(max_length=32)
    from_status: str | None = Field(default=None, max_length=16)
    to_status: str | None = Field(default=None, max_length=16)
    actor: str = Field(max_length=50)
    note: str = Field(default="", sa_type=sa.Text)
    data: dict[str, Any] = Field(default_factory=dict, sa_type=sa.JSON)
    imported: bool = False


class CaseDeadline(SQLModel, table=True):
    """A computed deadline (rewritten whenever the case changes)."""

    __tablename__ = "case_deadline"
    __table_args__ = (sa.Index("ix_case_deadline_state_due_case", "state", "due", "case_id"),
                      sa.Index("ix_case_deadline_case_state_due", "case_id", "state", "due"),
                      # The reminder scan: the open deadlines' reminder keys from the index (0015).
                      sa.Index("ix_case_deadline_state_key", "state", "case_id", "kind", "leg", "start", "due"))

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="case_file.id")
    kind: str = Field(max_length=32)
    leg: int = 0
    start: date
    due: date
    nominal: date | None = None
    moved_reason: str | None = Field(default=None, max_length=200)
    state: str = Field(max_length=16)
    closed_on: date | None = None
    basis: str = Field(default="", max_length=300)


class CaseNumberCounter(SQLModel, table=True):
    """The last sequence number issued per organisation, track and year (gap-free numbers)."""

    __tablename__ = "case_number_counter"

    organization_id: int = Field(foreign_key="organization.id", primary_key=True)
    track: str = Field(max_length=16, primary_key=True)
    year: int = Field(primary_key=True)
    last: int = 0
