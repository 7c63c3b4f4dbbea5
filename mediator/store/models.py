"""SQLModel tables: places, organisations, people, cases and everything that hangs off a case.

Enumerated columns hold the English codes of ``mediator.domain.enums``; money is integer fen;
dates are ``date``; times are timezone-aware. Editable rows carry ``version`` for optimistic
locking (services compare it and bump it on every write).
"""
from __future__ import annotations

from datetime import date, datetime, timezone
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

# Constraint names must be stable for Alembic (batch mode on SQLite needs them).
SQLModel.metadata.naming_convention = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class AwareDateTime(sa.TypeDecorator):
    """A timezone-aware datetime on every backend (SQLite keeps UTC without an offset)."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: sa.Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are not stored")
        if dialect.name == "sqlite":
            return value.astimezone(timezone.utc).replace(tzinfo=None)
        return value

    def process_result_value(self, value: datetime | None, dialect: sa.Dialect) -> datetime | None:
        if value is not None and value.tzinfo is None:
            return value.replace(tzinfo=timezone.utc)
        return value


def _tz() -> Any:
    return AwareDateTime()


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
    version: int = 1


class Mediator(SQLModel, table=True):
    __tablename__ = "mediator"
    __table_args__ = (sa.UniqueConstraint("organization_id", "name", name="uq_mediator_org_name"),)

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=50)
    organization_id: int = Field(foreign_key="organization.id", index=True)
    phone: str | None = Field(default=None, max_length=32)
    active: bool = True
    version: int = 1


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
    created_at: datetime = Field(sa_type=_tz())
    updated_at: datetime = Field(sa_type=_tz())
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
    at: datetime = Field(sa_type=_tz())
    action: str = Field(max_length=32)
    from_status: str | None = Field(default=None, max_length=16)
    to_status: str | None = Field(default=None, max_length=16)
    actor: str = Field(max_length=50)
    note: str = Field(default="", sa_type=sa.Text)
    data: dict[str, Any] = Field(default_factory=dict, sa_type=sa.JSON)
    imported: bool = False


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


class AgreementTerm(SQLModel, table=True):
    __tablename__ = "agreement_term"

    id: int | None = Field(default=None, primary_key=True)
    agreement_id: int = Field(foreign_key="agreement.id", index=True)
    seq: int
    text: str = Field(sa_type=sa.Text)


class Performance(SQLModel, table=True):
    __tablename__ = "performance"

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="case_file.id", index=True)
    on: date
    result: str = Field(max_length=16)
    note: str = Field(default="", sa_type=sa.Text)


class FollowUp(SQLModel, table=True):
    __tablename__ = "follow_up"

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
    added_at: datetime = Field(sa_type=_tz())
    added_by: str = Field(max_length=50)


class CaseDeadline(SQLModel, table=True):
    """A computed deadline (rewritten whenever the case changes)."""

    __tablename__ = "case_deadline"
    __table_args__ = (sa.Index("ix_case_deadline_state_due_case", "state", "due", "case_id"),
                      sa.Index("ix_case_deadline_case_state_due", "case_id", "state", "due"))

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


class User(SQLModel, table=True):
    """An account: who logs in, with which role, for which organisation."""

    __tablename__ = "app_user"

    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(max_length=50, unique=True)
    display_name: str = Field(max_length=50)
    password_hash: str = Field(max_length=200)
    role: str = Field(max_length=16)
    organization_id: int | None = Field(default=None, foreign_key="organization.id")
    advisor_id: int | None = Field(default=None, foreign_key="advisor.id")  # role advisor
    mediator_id: int | None = Field(default=None, foreign_key="mediator.id")
    active: bool = True
    failed_logins: int = 0
    locked_until: datetime | None = Field(default=None, sa_type=_tz())
    created_at: datetime = Field(sa_type=_tz())
    version: int = 1


class Setting(SQLModel, table=True):
    """An office setting (declared in services/settings.py with its type and default)."""

    __tablename__ = "setting"

    key: str = Field(max_length=64, primary_key=True)
    value: Any = Field(default=None, sa_type=sa.JSON)
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
    result: str = Field(default="pending", max_length=16)  # pending | approved | returned
    opinion: str = Field(default="", sa_type=sa.Text)
    reviewed_on: date | None = None
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
    created_at: datetime = Field(sa_type=_tz())
    version: int = 1


class Reminder(SQLModel, table=True):
    """A reminder of a deadline for a person to act on (the database is the truth)."""

    __tablename__ = "reminder"
    __table_args__ = (
        sa.UniqueConstraint("key", name="uq_reminder_key"),
        sa.Index("ix_reminder_state_due", "state", "due"),
    )

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(max_length=120)  # what it reminds of, e.g. "case:12:handling:0"
    kind: str = Field(max_length=32)
    due: date
    case_id: int | None = Field(default=None, foreign_key="case_file.id", index=True)
    target: str = Field(default="", max_length=200)  # what the reminder is about, in Chinese
    state: str = Field(default="pending", max_length=16)  # pending | done | snoozed | dismissed
    snoozed_until: date | None = None
    dismissed_reason: str = Field(default="", max_length=200)
    created_at: datetime = Field(sa_type=_tz())
    closed_at: datetime | None = Field(default=None, sa_type=_tz())
    version: int = 1


class IssuedDocument(SQLModel, table=True):
    """A document printed or saved for a case, with the hash that its QR code lets anyone check."""

    __tablename__ = "issued_document"

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="case_file.id", index=True)
    form_id: str = Field(max_length=40)
    fmt: str = Field(max_length=8)
    filename: str = Field(max_length=255)
    sha256: str = Field(max_length=64, index=True)
    verify_code: str = Field(max_length=32, unique=True)
    issued_at: datetime = Field(sa_type=_tz())
    issued_by: str = Field(max_length=50)
    content: bytes | None = Field(default=None, sa_type=sa.LargeBinary)


class AuditEntry(SQLModel, table=True):
    """One audited act (write, reveal, export, print, login); each entry holds the previous hash."""

    __tablename__ = "audit_entry"

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(sa_type=_tz(), index=True)
    username: str = Field(max_length=50)
    action: str = Field(max_length=32, index=True)
    target: str = Field(default="", max_length=200)
    detail: dict[str, Any] = Field(default_factory=dict, sa_type=sa.JSON)
    prev_hash: str = Field(max_length=64)
    hash: str = Field(max_length=64)


class DestructionRecord(SQLModel, table=True):
    """销毁记录: what was destroyed after its 保管期限, by whom, under whose supervision.

    The case itself is gone; this row (and the audit entry) is what remains of it.
    """

    __tablename__ = "destruction_record"

    id: int | None = Field(default=None, primary_key=True)
    case_number: str = Field(max_length=64, index=True)
    case_ref: str | None = Field(default=None, max_length=64)
    category: str = Field(max_length=32)
    organization_id: int | None = Field(default=None, foreign_key="organization.id")
    summary: str = Field(default="", max_length=200)  # 案由, shortened
    received_on: date
    archived_on: date | None = None
    retention: str = Field(max_length=16)  # 保管期限 code (e.g. "10y", "30y")
    due_on: date  # when the 保管期限 ran out
    destroyed_on: date
    destroyed_by: str = Field(max_length=50)  # 销毁人
    supervisor: str = Field(max_length=50)  # 监销人
    approved_by: str = Field(max_length=100)  # 批准人 / 批准文号
    method: str = Field(default="", max_length=32)  # 销毁方式
    note: str = Field(default="", sa_type=sa.Text)
    created_at: datetime = Field(sa_type=_tz())
