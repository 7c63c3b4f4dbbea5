"""The warnings: listed in each user's scope, acknowledged with their follow-up (who, what was done),
and the new ones a 所长 is told of once in the tray."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import sqlalchemy as sa
from sqlmodel import select

from mediator.domain.enums import RiskLevel
from mediator.domain.errors import ConflictError, NotFoundError, ValidationError, ValidationErrors
from mediator.domain.risk_rules import RuleKind
from mediator.domain.validators import text_problem
from mediator.services import audit
from mediator.services.access import check_case_visible, restrict_cases
from mediator.services.changes import OpChanges
from mediator.services.context import SHANGHAI, ServiceContext
from mediator.services.permissions import Permission, requires
from mediator.store.models import Case, RiskAlert, Setting, setting_row


@dataclass(frozen=True)
class AlertRow:
    id: int
    case_id: int
    ref: str | None
    number: str
    rule: str  # RuleKind code
    level: str  # RiskLevel code
    since: date
    detail: str
    acknowledged_by: str | None
    acknowledged_at: datetime | None
    follow_up_by: str
    follow_up: str

    @property
    def rule_label(self) -> str:
        return RuleKind(self.rule).label

    @property
    def level_label(self) -> str:
        return RiskLevel(self.level).label

    @property
    def handled(self) -> bool:
        return self.acknowledged_at is not None

    def as_json(self) -> dict:
        """The row of ``mediator-cli risk alerts --json``: the rule as its Chinese name, level 低/中/高."""
        return {"ref": self.ref, "number": self.number, "rule": self.rule_label, "level": self.level_label,
                "since": self.since.isoformat()}


_COLUMNS = (RiskAlert.id, RiskAlert.case_id, Case.ref, Case.number, RiskAlert.rule, RiskAlert.level,
            RiskAlert.since, RiskAlert.detail, RiskAlert.acknowledged_by, RiskAlert.acknowledged_at,
            RiskAlert.follow_up_by, RiskAlert.follow_up)
_LEVEL_ORDER = sa.case({"high": 0, "medium": 1}, value=RiskAlert.level, else_=2)


@requires(Permission.CASE_READ)
def risk_alerts(ctx: ServiceContext, *, handled: bool = False, on: date | None = None,
                case_id: int | None = None) -> list[AlertRow]:
    """The open warnings (``handled``: the acknowledged ones) of the cases the user sees.

    ``on``: as the list stood that day: raised by then and not yet acknowledged by its end.
    Open warnings come highest level first, then oldest first; handled ones newest first.
    """
    stmt = select(*_COLUMNS).join(Case, Case.id == RiskAlert.case_id)
    if on is not None:
        end = datetime.combine(on + timedelta(days=1), time(0), SHANGHAI)
        stmt = stmt.where(RiskAlert.since <= on)
        stmt = stmt.where(RiskAlert.acknowledged_at < end if handled
                          else sa.or_(RiskAlert.acknowledged_at.is_(None), RiskAlert.acknowledged_at >= end))
    else:
        stmt = stmt.where(RiskAlert.acknowledged_at.is_not(None) if handled else RiskAlert.acknowledged_at.is_(None))
    if case_id is not None:
        stmt = stmt.where(RiskAlert.case_id == case_id)
    stmt = restrict_cases(ctx, stmt)
    order = ((RiskAlert.acknowledged_at.desc(), RiskAlert.id.desc()) if handled
             else (_LEVEL_ORDER, RiskAlert.since, RiskAlert.id))
    with ctx.read() as session:
        return [AlertRow(*row) for row in session.execute(stmt.order_by(*order)).all()]


def _follow_up_problems(follow_up_by: str, follow_up: str) -> list[ValidationError]:
    problems = []
    for path, label, value, limit in (("follow_up_by", "跟进人", follow_up_by, 50),
                                      ("follow_up", "跟进情况", follow_up, 2000)):
        if not value:
            problems.append(ValidationError(path, f"{label}不能为空"))
            continue
        problem = text_problem(value, path=path, label=label, max_length=limit)
        if problem is not None:
            problems.append(problem)
    return problems


@requires(Permission.CASE_HANDLE)
def acknowledge_alert(ctx: ServiceContext, alert_id: int, follow_up_by: str, follow_up: str) -> OpChanges:
    """确认并记录跟进: who followed the warning up and what was done; it leaves the open list."""
    follow_up_by, follow_up = (follow_up_by or "").strip(), (follow_up or "").strip()
    problems = _follow_up_problems(follow_up_by, follow_up)
    if problems:
        raise problems[0] if len(problems) == 1 else ValidationErrors(problems)
    with ctx.transaction() as session:
        alert = session.get(RiskAlert, alert_id, with_for_update=True)
        if alert is None:
            raise NotFoundError(f"预警（编号{alert_id}）不存在")
        check_case_visible(ctx, None, alert.case_id)
        if alert.acknowledged_at is not None:
            raise ConflictError(f"该预警已由{alert.acknowledged_by}确认处理")
        alert.acknowledged_by = ctx.actor
        alert.acknowledged_at = ctx.now()
        alert.follow_up_by = follow_up_by
        alert.follow_up = follow_up
        session.add(alert)
        number = session.execute(select(Case.number).where(Case.id == alert.case_id)).scalar()
        audit.record(ctx, session, "risk.ack", number,
                     {"case_id": alert.case_id, "rule": RuleKind(alert.rule).label, "follow_up_by": follow_up_by})
        return OpChanges.of_cases([alert.case_id], reminders=False)


def _told_key(owner: str) -> str:
    return f"risk_told:{owner}"[:64]


@requires(Permission.CASE_SUPERVISE)
def alerts_to_tell(ctx: ServiceContext, owner: str) -> list[AlertRow]:
    """The open warnings raised since ``owner`` was last told (each told once): the tray's message."""
    rows = risk_alerts(ctx)
    with ctx.transaction() as session:
        row = setting_row(session, _told_key(owner))
        last = int(row.value or 0) if row is not None else 0
        new = [r for r in rows if r.id > last]
        if new:
            top = max(r.id for r in new)
            if row is None:
                session.add(Setting(key=_told_key(owner), value=top))
            else:
                row.value = top
                session.add(row)
    return new
