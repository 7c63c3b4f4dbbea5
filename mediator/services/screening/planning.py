"""计划排查: plan a round for a village/community or one of its grids (常规 monthly by default,
节前 or 专项 with the festival or the risk named)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session

from mediator.domain.enums import RegionLevel
from mediator.domain.errors import ValidationError, ValidationErrors
from mediator.domain.screening import RoundStatus, ScreeningKind, check_plan, first_due
from mediator.services import audit
from mediator.services.changes import OpChangesWithId
from mediator.services.context import ServiceContext
from mediator.services.office_scope import office_of
from mediator.services.permissions import Permission, requires
from mediator.services.places.reference import grid_by_name, organization_by_name, region_by_code
from mediator.store.models import Organization, Region, ScreeningRound


@dataclass
class PlanInput:
    """Where, what kind, when. ``due_on`` defaults to the end of the planned month."""

    village_code: str
    grid: str | None = None  # None: the whole village/community
    kind: ScreeningKind = ScreeningKind.REGULAR
    risk: str = ""  # the festival (节前) or the named risk (专项)
    planned_on: date | None = None  # default today
    due_on: date | None = None
    monthly: bool = False  # 常规 rounds repeat monthly: holding one plans the next
    organization: str | None = None  # who screens; default the user's organisation


def _place(session: Session, data: PlanInput) -> tuple[Region, Region | None]:
    village = region_by_code(session, (data.village_code or "").strip())
    if village is None or village.level != RegionLevel.VILLAGE.value:
        raise ValidationErrors([ValidationError("village_code", f"村（社区）区划代码{data.village_code}不存在")])
    if not village.active:
        raise ValidationErrors([ValidationError("village_code", f"{village.name}已停用，不能计划排查")])
    if not (data.grid or "").strip():
        return village, None
    grid = grid_by_name(session, village.id, data.grid.strip())
    if grid is None:
        raise ValidationErrors([ValidationError("grid", f"{village.name}没有名为“{data.grid}”的网格")])
    return village, grid


def _organization(ctx: ServiceContext, session: Session, name: str | None) -> Organization:
    if name and name.strip():
        org = organization_by_name(session, name.strip())
        if org is None:
            raise ValidationErrors([ValidationError("organization", f"调解组织“{name}”不存在")])
        return org
    org_id = ctx.user.organization_id if ctx.user is not None else None
    org = session.get(Organization, org_id) if org_id is not None else None
    if org is None:
        raise ValidationErrors([ValidationError("organization", "请指定负责排查的调解组织")])
    return org


def new_round(session: Session, ctx: ServiceContext, *, organization: Organization, village_id: int,
              grid_id: int | None, kind: ScreeningKind, risk: str, monthly: bool, planned_on: date,
              due_on: date) -> ScreeningRound:
    """A planned round in the session (the office follows the organisation)."""
    row = ScreeningRound(office_id=office_of(session, organization.id), organization_id=organization.id,
                         village_id=village_id, grid_id=grid_id, kind=kind.value, risk=risk.strip(),
                         monthly=monthly, planned_on=planned_on, due_on=due_on,
                         status=RoundStatus.PLANNED.value, planned_by=ctx.actor[:50], created_at=ctx.now())
    session.add(row)
    session.flush()
    return row


@requires(Permission.CASE_HANDLE)
def plan_round(ctx: ServiceContext, data: PlanInput) -> OpChangesWithId:
    """计划排查: store a planned round (``.id``); it shows in 日程提醒 when it is due. Audited."""
    planned_on = data.planned_on or ctx.today()
    errors = check_plan(data.kind, planned_on, data.due_on, data.risk, data.monthly)
    if errors:
        raise ValidationErrors(errors)
    with ctx.transaction() as session:
        village, grid = _place(session, data)
        org = _organization(ctx, session, data.organization)
        row = new_round(session, ctx, organization=org, village_id=village.id,
                        grid_id=grid.id if grid else None, kind=data.kind, risk=data.risk,
                        monthly=data.monthly, planned_on=planned_on, due_on=data.due_on or first_due(planned_on))
        audit.record(ctx, session, "screening.plan", f"排查计划{row.id}",
                     {"round_id": row.id, "village": village.name, "grid": grid.name if grid else None,
                      "kind": row.kind, "due_on": row.due_on.isoformat()})
        return OpChangesWithId(reminders=True, id=row.id)
