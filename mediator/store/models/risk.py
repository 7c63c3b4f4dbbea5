"""风险预警: a warning raised on a case by one of the office's risk rules, until it is followed up."""
from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from mediator.store.models.base import aware_datetime


class RiskAlert(SQLModel, table=True):
    """One warning: a rule hit on a case since a day; open until acknowledged with a follow-up.

    ``since`` is the day the condition began (the case received, the step that went stale…):
    the same hit found again by a re-scan is the same (case, rule, since) and is not raised twice.
    """

    __tablename__ = "risk_alert"
    __table_args__ = (
        sa.UniqueConstraint("case_id", "rule", "since", name="uq_risk_alert_case_rule_since"),
        sa.Index("ix_risk_alert_open", "acknowledged_at", "case_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="case_file.id", index=True)
    rule: str = Field(max_length=16)  # RuleKind code
    level: str = Field(max_length=16)  # RiskLevel code
    since: date
    detail: str = Field(default="", max_length=500)
    raised_at: datetime = Field(sa_type=aware_datetime())
    acknowledged_by: str | None = Field(default=None, max_length=50)
    acknowledged_at: datetime | None = Field(default=None, sa_type=aware_datetime())
    follow_up_by: str = Field(default="", max_length=50)  # who followed up
    follow_up: str = Field(default="", sa_type=sa.Text)  # what was done
