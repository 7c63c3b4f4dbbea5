"""Tables of the running system: users, settings, reminders, issued documents, audit log and
destruction records."""
from __future__ import annotations

from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, Session, SQLModel, select

from mediator.store.models.base import aware_datetime


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
    grid_id: int | None = Field(default=None, foreign_key="region.id")  # role grid_worker: their grid
    must_change_password: bool = False  # set by a password reset: changed at the next login
    active: bool = True
    failed_logins: int = 0
    locked_until: datetime | None = Field(default=None, sa_type=aware_datetime())
    created_at: datetime = Field(sa_type=aware_datetime())
    version: int = 1


_COUNTY_ROW = sa.text("organization_id IS NULL")


class Setting(SQLModel, table=True):
    """A setting (declared in services/settings.py with its type and default).

    ``organization_id`` NULL: the county default (and every county-wide value); otherwise the
    value of that office (司法所), which wins over the county default for that office.
    """

    __tablename__ = "setting"
    __table_args__ = (
        # NULLs are distinct in a unique constraint, so the county rows get a partial index.
        sa.UniqueConstraint("key", "organization_id", name="uq_setting_key_organization"),
        sa.Index("uq_setting_county_key", "key", unique=True,
                 sqlite_where=_COUNTY_ROW, postgresql_where=_COUNTY_ROW),
    )

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(max_length=64)
    organization_id: int | None = Field(default=None, foreign_key="organization.id")
    value: Any = Field(default=None, sa_type=sa.JSON)
    version: int = 1


def setting_row(session: Session, key: str, organization_id: int | None = None) -> Setting | None:
    """The row of ``key`` for that office (None: the county row), if there is one."""
    office = (Setting.organization_id.is_(None) if organization_id is None
              else Setting.organization_id == organization_id)
    return session.exec(select(Setting).where(Setting.key == key, office)).first()


class OfficeForm(SQLModel, table=True):
    """One saved version of an office's form (文书模板); the newest row per form is in use.

    Every save keeps a row (who, when): the history. ``action`` ``reset`` (恢复默认) means the
    shipped form is in use again. ``organization_id`` NULL: a county-wide form.
    """

    __tablename__ = "office_form"
    __table_args__ = (sa.Index("ix_office_form_org_form", "organization_id", "form_id", "id"),)

    id: int | None = Field(default=None, primary_key=True)
    organization_id: int | None = Field(default=None, foreign_key="organization.id")
    form_id: str = Field(max_length=40)
    action: str = Field(max_length=16)  # copy | save | import | reset
    text: str = Field(default="", sa_type=sa.Text)
    saved_by: str = Field(max_length=50)
    saved_at: datetime = Field(sa_type=aware_datetime())


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
    created_at: datetime = Field(sa_type=aware_datetime())
    closed_at: datetime | None = Field(default=None, sa_type=aware_datetime())
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
    issued_at: datetime = Field(sa_type=aware_datetime())
    issued_by: str = Field(max_length=50)
    content: bytes | None = Field(default=None, sa_type=sa.LargeBinary)


class AuditEntry(SQLModel, table=True):
    """One audited act (write, reveal, export, print, login); each entry holds the previous hash."""

    __tablename__ = "audit_entry"

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(sa_type=aware_datetime(), index=True)
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
    created_at: datetime = Field(sa_type=aware_datetime())
