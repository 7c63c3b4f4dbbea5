"""Open deadlines of the cases as rows for the lists: the 工作台, the CLI and the reminders page."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa
from sqlmodel import select

from mediator.domain.enums import CaseStatus, DeadlineKind, DeadlineState
from mediator.services.access import restrict_cases
from mediator.services.context import ServiceContext
from mediator.services.permissions import Permission, requires
from mediator.store.models import Case, CaseDeadline, CaseParty, Organization


def _running(stmt: Any, on: date, kinds: list[str] | None) -> Any:
    """``stmt`` limited to deadlines running on ``on`` (started, not yet met or void then)."""
    stmt = (stmt.where(CaseDeadline.start <= on)
            .where(sa.or_(CaseDeadline.state == DeadlineState.OPEN.value, CaseDeadline.closed_on > on)))
    return stmt.where(CaseDeadline.kind.in_(kinds)) if kinds else stmt


@requires(Permission.CASE_READ)
def open_deadlines(ctx: ServiceContext, on: date, *, kinds: list[str] | None = None) -> list[dict[str, Any]]:
    """Deadlines running on ``on`` (started, not yet met or void then), soonest first."""
    with ctx.read() as session:
        stmt = _running(select(CaseDeadline.case_id, CaseDeadline.kind, CaseDeadline.due, Case.ref, Case.number)
                        .join(Case, Case.id == CaseDeadline.case_id), on, kinds)
        stmt = restrict_cases(ctx, stmt.order_by(CaseDeadline.due, Case.number, CaseDeadline.kind))
        return [{"ref": ref, "number": number, "kind": kind, "due": due.isoformat(),
                 "overdue": on > due, "case_id": case_id, "label": DeadlineKind(kind).label}
                for case_id, kind, due, ref, number in session.exec(stmt)]


BUCKETS = {"overdue": "逾期", "today": "今天", "week": "本周", "later": "以后"}


def deadline_bucket(due: date, on: date) -> str:
    """逾期 / 今天 / 本周 (the rest of the calendar week, Monday to Sunday) / 以后."""
    if due < on:
        return "overdue"
    if due == on:
        return "today"
    if due <= on + timedelta(days=6 - on.weekday()):
        return "week"
    return "later"


@dataclass(frozen=True)
class DeadlineRow:
    """An open deadline of a case, as the reminder lists show it."""

    case_id: int
    number: str
    kind: str
    label: str
    due: date
    days_left: int  # negative: days overdue
    status_label: str
    organization: str
    parties: str

    @property
    def overdue(self) -> bool:
        return self.days_left < 0

    def bucket(self, on: date) -> str:
        return deadline_bucket(self.due, on)

    @property
    def days_text(self) -> str:
        if self.days_left < 0:
            return f"逾期{-self.days_left}天"
        if self.days_left == 0:
            return "今天到期"
        return f"还有{self.days_left}天"


@requires(Permission.CASE_READ)
def deadline_rows(ctx: ServiceContext, on: date, *, organization_id: int | None = None,
                  kinds: list[str] | None = None, limit: int | None = None) -> list[DeadlineRow]:
    """Open deadlines on ``on`` (as ``open_deadlines``) with their case's status and parties,
    soonest first: one query of plain rows (the first ``limit`` when given), then the parties of
    those cases."""
    with ctx.read() as session:
        stmt = _running(select(CaseDeadline.case_id, Case.number, CaseDeadline.kind, CaseDeadline.due,
                               Case.status, Organization.name)
                        .join(Case, Case.id == CaseDeadline.case_id)
                        .join(Organization, Organization.id == Case.organization_id), on, kinds)
        if organization_id is not None:
            stmt = stmt.where(Case.organization_id == organization_id)
        stmt = restrict_cases(ctx, stmt.order_by(CaseDeadline.due, Case.number, CaseDeadline.kind))
        if limit is not None:
            stmt = stmt.limit(limit)
        found = list(session.exec(stmt))
        names: dict[int, list[str]] = {}
        ids = sorted({row[0] for row in found})
        for i in range(0, len(ids), 500):
            for case_id, name in session.exec(select(CaseParty.case_id, CaseParty.name)
                                              .where(CaseParty.case_id.in_(ids[i:i + 500]))
                                              .order_by(CaseParty.case_id, CaseParty.seq)):
                names.setdefault(case_id, []).append(name)
    return [DeadlineRow(case_id, number, kind, DeadlineKind(kind).label, due, (due - on).days,
                        CaseStatus(status).label, org_name, "、".join(names.get(case_id, [])))
            for case_id, number, kind, due, status, org_name in found]
