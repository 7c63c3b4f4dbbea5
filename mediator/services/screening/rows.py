"""The read side of screening: which rounds a user sees, and the rounds as plain rows."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, select

from mediator.domain.errors import NotFoundError
from mediator.domain.permissions import Role
from mediator.domain.screening import FindingKind, RoundStatus, ScreeningKind, is_due, is_overdue, parse_flags
from mediator.services.context import ServiceContext
from mediator.services.office_scope import office_of
from mediator.services.permissions import Permission, requires
from mediator.store.models import Case, Organization, Region, ScreeningFinding, ScreeningRound, User


def round_condition(session: Session, ctx: ServiceContext) -> Any:
    """A SQL condition on ScreeningRound: the rounds of the user's office (a 网格员: of their
    grid); None: every round (the system, a county-level account)."""
    user = ctx.user
    if user is None:
        return None
    if Role(user.role) is Role.GRID_WORKER:
        grid_id = session.exec(select(User.grid_id).where(User.id == user.id)).first()
        return ScreeningRound.grid_id == grid_id if grid_id is not None else sa.false()
    office = office_of(session, user.organization_id)
    return None if office is None else ScreeningRound.office_id == office


@dataclass(frozen=True)
class FindingRow:
    id: int
    kind: str
    case_id: int | None
    case_number: str
    summary: str
    parties: str
    people: int
    how: str
    flags: str

    @property
    def kind_label(self) -> str:
        return FindingKind(self.kind).label

    @property
    def flag_labels(self) -> list[str]:
        return [f.label for f in parse_flags(self.flags)]

    @property
    def text(self) -> str:
        """One line: 登记案件 SF-… / 预防：what（who，N人；how） / 未发现."""
        if self.kind == FindingKind.CASE.value:
            return f"登记案件 {self.case_number}"
        if self.kind == FindingKind.PREVENTED.value:
            flags = f"；{'、'.join(self.flag_labels)}" if self.flags else ""
            return f"预防：{self.summary}（{self.parties}，{self.people}人；{self.how.rstrip('。')}{flags}）"
        return "未发现矛盾纠纷"


@dataclass(frozen=True)
class ScreeningRow:
    id: int
    village: str
    village_id: int
    grid: str
    grid_id: int | None
    organization: str
    organization_id: int
    kind: str
    risk: str
    monthly: bool
    planned_on: date
    due_on: date
    status: str
    held_on: date | None
    held_by: str
    places_visited: str
    notes: str
    version: int
    findings: tuple[FindingRow, ...] = ()

    @property
    def place(self) -> str:
        return f"{self.village}{self.grid}" if self.grid else self.village

    @property
    def kind_label(self) -> str:
        label = ScreeningKind(self.kind).label
        return f"{label}（{self.risk}）" if self.risk else label

    @property
    def status_label(self) -> str:
        return RoundStatus(self.status).label

    @property
    def planned(self) -> bool:
        return self.status == RoundStatus.PLANNED.value

    def overdue(self, today: date) -> bool:
        return is_overdue(self.due_on, today, self.status)

    def due(self, today: date, warn_days: int) -> bool:
        return is_due(self.due_on, today, self.status, warn_days)

    @property
    def findings_text(self) -> str:
        cases = sum(f.kind == FindingKind.CASE.value for f in self.findings)
        prevented = sum(f.kind == FindingKind.PREVENTED.value for f in self.findings)
        parts = [f"登记案件{cases}件"] * bool(cases) + [f"预防{prevented}件"] * bool(prevented)
        if parts:
            return "、".join(parts)
        return "未发现" if self.findings else ""

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "place": self.place, "village": self.village, "grid": self.grid or None,
                "organization": self.organization, "kind": self.kind, "kind_label": self.kind_label,
                "risk": self.risk, "monthly": self.monthly, "planned_on": self.planned_on.isoformat(),
                "due_on": self.due_on.isoformat(), "status": self.status, "status_label": self.status_label,
                "held_on": self.held_on.isoformat() if self.held_on else None, "held_by": self.held_by,
                "places_visited": self.places_visited, "notes": self.notes,
                "findings": [{"kind": f.kind, "kind_label": f.kind_label, "case_number": f.case_number or None,
                              "summary": f.summary, "parties": f.parties, "people": f.people, "how": f.how,
                              "flags": [c.value for c in parse_flags(f.flags)]} for f in self.findings]}


def round_rows(session: Session, condition: Any = None, *, with_findings: bool = True) -> list[ScreeningRow]:
    """The rounds meeting ``condition``: the planned ones soonest due first, then the held ones
    newest first."""
    village = Region.__table__.alias("village")
    grid = Region.__table__.alias("grid")
    r = ScreeningRound
    stmt = (select(r.id, village.c.name, r.village_id, grid.c.name, r.grid_id, Organization.name, r.organization_id,
                   r.kind, r.risk, r.monthly, r.planned_on, r.due_on, r.status, r.held_on, r.held_by,
                   r.places_visited, r.notes, r.version)
            .join(village, village.c.id == r.village_id)
            .outerjoin(grid, grid.c.id == r.grid_id)
            .join(Organization, Organization.id == r.organization_id))
    if condition is not None:
        stmt = stmt.where(condition)
    found = list(session.exec(stmt))
    findings: dict[int, list[FindingRow]] = {}
    ids = [row[0] for row in found]
    if with_findings and ids:
        f = ScreeningFinding
        for round_id, *rest in session.exec(
                select(f.round_id, f.id, f.kind, f.case_id, Case.number, f.summary, f.parties, f.people, f.how,
                       f.flags)
                .outerjoin(Case, Case.id == f.case_id).where(f.round_id.in_(ids)).order_by(f.id)):
            fid, kind, case_id, number, summary, parties, people, how, flags = rest
            findings.setdefault(round_id, []).append(
                FindingRow(fid, kind, case_id, number or "", summary, parties, people, how, flags))
    rows = [ScreeningRow(i, v, vid, g or "", gid, org, org_id, kind, risk, monthly, planned_on, due_on, status,
                         held_on, held_by, places, notes, version, tuple(findings.get(i, ())))
            for i, v, vid, g, gid, org, org_id, kind, risk, monthly, planned_on, due_on, status, held_on, held_by,
            places, notes, version in found]
    planned = sorted((x for x in rows if x.planned), key=lambda x: (x.due_on, x.id))
    held = sorted((x for x in rows if not x.planned), key=lambda x: (x.held_on or x.due_on, x.id), reverse=True)
    return planned + held


@requires(Permission.CASE_READ)
def list_rounds(ctx: ServiceContext, *, status: RoundStatus | None = None) -> list[ScreeningRow]:
    """The rounds the user sees (of one status when given), with their findings."""
    with ctx.read() as session:
        condition = round_condition(session, ctx)
        if status is not None:
            wanted = ScreeningRound.status == status.value
            condition = wanted if condition is None else sa.and_(condition, wanted)
        return round_rows(session, condition)


@requires(Permission.CASE_READ)
def planned_rounds(ctx: ServiceContext) -> list[ScreeningRow]:
    """The rounds still to be held (for 日程提醒): plain columns, no findings."""
    with ctx.read() as session:
        condition = round_condition(session, ctx)
        planned = ScreeningRound.status == RoundStatus.PLANNED.value
        return round_rows(session, planned if condition is None else sa.and_(condition, planned),
                          with_findings=False)


def load_round(session: Session, round_id: int) -> ScreeningRound:
    found = session.exec(select(ScreeningRound).where(ScreeningRound.id == round_id).with_for_update()).first()
    if found is None:
        raise NotFoundError(f"排查计划（编号{round_id}）不存在")
    return found
