"""Tables of the legal advisors: advisors, their village appointments, reviews and ledger."""
from __future__ import annotations

from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from mediator.store.models.base import aware_datetime


class Advisor(SQLModel, table=True):
    """A legal advisor (一村（社区）一法律顾问): a lawyer or a grassroots legal-service worker."""

    __tablename__ = "advisor"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=50)
    kind: str = Field(max_length=16)
    firm: str = Field(default="", max_length=100)
    license_no: str | None = Field(default=None, max_length=32, unique=True)
    phone: str | None = Field(default=None, max_length=32)
    specialties: str = Field(default="", max_length=200)
    active: bool = True
    version: int = 1


class AdvisorAppointment(SQLModel, table=True):
    __tablename__ = "advisor_appointment"

    id: int | None = Field(default=None, primary_key=True)
    advisor_id: int = Field(foreign_key="advisor.id", index=True)
    village_id: int = Field(foreign_key="region.id", index=True)
    start: date
    end: date
    legal_deputy: bool = False  # also the village's 法治副主任
    is_primary: bool = True  # at most one current primary appointment per village and day
    version: int = 1


class AdvisorReview(SQLModel, table=True):
    """A legal advisor's review of a case file before the agreement is signed."""

    __tablename__ = "advisor_review"

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="case_file.id", index=True)
    advisor_id: int = Field(foreign_key="advisor.id", index=True)
    requested_on: date
    requested_by: str = Field(max_length=50)
    request_note: str = Field(default="", sa_type=sa.Text)
    due: date
    result: str = Field(default="pending", max_length=16)  # a ReviewResult code
    opinion: str = Field(default="", sa_type=sa.Text)
    reviewed_on: date | None = None
    # The draft agreement as sent (its revision and a snapshot of its fields); None: no draft yet.
    draft_revision: int | None = None
    draft: dict[str, Any] | None = Field(default=None, sa_type=sa.JSON)
    version: int = 1


class LedgerEntry(SQLModel, table=True):
    """One line of an advisor's service ledger (法律顾问服务台账)."""

    __tablename__ = "ledger_entry"
    __table_args__ = (sa.Index("ix_ledger_advisor_on", "advisor_id", "on"),)

    id: int | None = Field(default=None, primary_key=True)
    advisor_id: int = Field(foreign_key="advisor.id")
    village_id: int | None = Field(default=None, foreign_key="region.id", index=True)
    on: date
    kind: str = Field(max_length=32)
    content: str = Field(default="", sa_type=sa.Text)
    people_served: int = 0
    minutes: int = 0  # time given, in minutes
    on_site: bool = False  # 到村现场服务
    case_id: int | None = Field(default=None, foreign_key="case_file.id")
    review_id: int | None = Field(default=None, foreign_key="advisor_review.id")
    source: str = Field(default="manual", max_length=16)  # manual | review | mediation
    created_at: datetime = Field(sa_type=aware_datetime())
    version: int = 1
