"""Tables of what a case produces: sessions, agreements and their terms, 变更/补充协议, performance,
follow-ups, judicial confirmations and attachments."""
from __future__ import annotations

from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from mediator.store.models.base import aware_datetime


class MediationSession(SQLModel, table=True):
    __tablename__ = "mediation_session"

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="case_file.id", index=True)
    on: date
    kind: str = Field(max_length=16)
    place: str = Field(default="", max_length=200)
    participants: str = Field(default="", max_length=500)
    record: str = Field(default="", sa_type=sa.Text)
    version: int = 1


class Agreement(SQLModel, table=True):
    __tablename__ = "agreement"
    __table_args__ = (sa.Index("ix_agreement_signed_stats", "signed_on", "case_id", "form", "amount_fen"),)

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="case_file.id", unique=True)
    form: str = Field(max_length=16)
    signed_on: date
    facts: str = Field(default="", sa_type=sa.Text)  # 纠纷主要事实、争议事项及责任
    performance_method: str = Field(default="", max_length=500)
    deadline: date | None = None
    amount_fen: int = Field(default=0, sa_type=sa.BigInteger)
    copies: int = 0
    version: int = 1


class DraftAgreement(SQLModel, table=True):
    """拟定协议: the agreement being drafted while the case is 调解中, the fields of ``Agreement``.

    ``revision`` counts the saves (the advisor reviews one revision); ``signed`` freezes the
    draft once the agreement is concluded from it.
    """

    __tablename__ = "draft_agreement"

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="case_file.id", unique=True)
    facts: str = Field(default="", sa_type=sa.Text)
    items: list[Any] = Field(default_factory=list, sa_type=sa.JSON)  # the terms' texts, in order
    performance_method: str = Field(default="", max_length=500)
    deadline: date | None = None
    amount_fen: int = Field(default=0, sa_type=sa.BigInteger)
    copies: int | None = None  # None: parties + 1
    revision: int = 1
    signed: bool = False
    updated_by: str = Field(default="", max_length=50)
    updated_at: datetime = Field(sa_type=aware_datetime())


class AgreementTerm(SQLModel, table=True):
    __tablename__ = "agreement_term"

    id: int | None = Field(default=None, primary_key=True)
    agreement_id: int = Field(foreign_key="agreement.id", index=True)
    seq: int
    text: str = Field(sa_type=sa.Text)


class SupplementaryAgreement(SQLModel, table=True):
    """A 变更协议 or 补充协议 recorded after the agreement was signed (that one stays as signed)."""

    __tablename__ = "supplementary_agreement"
    __table_args__ = (sa.UniqueConstraint("case_id", "seq", name="uq_supplementary_case_seq"),)

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="case_file.id", index=True)
    seq: int  # 1, 2, ... within the case
    kind: str = Field(max_length=16)  # SupplementKind
    signed_on: date
    terms: list[str] = Field(default_factory=list, sa_type=sa.JSON)
    reason: str = Field(default="", sa_type=sa.Text)
    recorded_at: datetime = Field(sa_type=aware_datetime())
    recorded_by: str = Field(max_length=50)


class Performance(SQLModel, table=True):
    __tablename__ = "performance"
    __table_args__ = (sa.Index("ix_performance_on_stats", "on", "case_id", "result"),)

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="case_file.id", index=True)
    on: date
    result: str = Field(max_length=16)
    note: str = Field(default="", sa_type=sa.Text)


class FollowUp(SQLModel, table=True):
    __tablename__ = "follow_up"
    __table_args__ = (sa.Index("ix_follow_up_on_stats", "on", "case_id", "satisfaction"),)

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="case_file.id", index=True)
    on: date
    method: str = Field(max_length=16)
    performance: str | None = Field(default=None, max_length=16)
    satisfaction: str | None = Field(default=None, max_length=16)
    note: str = Field(default="", sa_type=sa.Text)
    visitor: str = Field(default="", max_length=50)


class JudicialConfirmation(SQLModel, table=True):
    __tablename__ = "judicial_confirmation"

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="case_file.id", unique=True)
    applied_on: date
    court: str = Field(max_length=100)
    result: str = Field(default="pending", max_length=16)
    ruled_on: date | None = None
    version: int = 1


class Attachment(SQLModel, table=True):
    __tablename__ = "attachment"

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="case_file.id", index=True)
    filename: str = Field(max_length=255)
    sha256: str = Field(max_length=64, index=True)
    size: int = Field(sa_type=sa.BigInteger)
    content: bytes = Field(sa_type=sa.LargeBinary)
    added_at: datetime = Field(sa_type=aware_datetime())
    added_by: str = Field(max_length=50)
