"""分流办理: the township's 待分流 queue. A report is dispatched (分派) to an organisation and its
mediators — a case is registered from it, source 网格上报, at the level of that organisation — or
resolved inside the grid (网格内化解, 小事不出网格) with a short record of how."""
from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, select

from mediator.domain.enums import Category, PartyKind, PartyRole, RegionLevel, RiskLevel, Source, Track
from mediator.domain.errors import ConflictError, ValidationError, ValidationErrors
from mediator.domain.grid import GridReportStatus, Urgency, level_of_organization, party_names
from mediator.domain.permissions import Role
from mediator.services import audit
from mediator.services.cases.inputs import LONG_TEXT_MAX, CaseInput, PartyInput, check_texts
from mediator.services.cases.lifecycle import register_case
from mediator.services.changes import OpChanges, OpChangesWithId
from mediator.services.context import ServiceContext
from mediator.services.grid.rows import GridReportRow, load_report, report_rows
from mediator.services.permissions import Permission, requires
from mediator.services.places.reference import organization_by_name
from mediator.store.models import Case, GridReport, Organization, Region

_RISK_OF_URGENCY = {Urgency.NORMAL: RiskLevel.LOW, Urgency.PRESSING: RiskLevel.MEDIUM,
                    Urgency.URGENT: RiskLevel.HIGH}


def _townships_of(session: Session, region_id: int) -> list[int] | None:
    """The townships an office at ``region_id`` dispatches for (None: every township)."""
    region = session.get(Region, region_id)
    while region is not None and region.level in (RegionLevel.GRID.value, RegionLevel.VILLAGE.value):
        region = session.get(Region, region.parent_id) if region.parent_id else None
    if region is None:
        return None
    if region.level == RegionLevel.TOWNSHIP.value:
        return [region.id]
    return list(session.exec(select(Region.id).where(Region.parent_id == region.id)))


def _queue_condition(ctx: ServiceContext, session: Session) -> Any:
    """Reports from the grids of the user's township (the office's whole area for 管理员/system)."""
    user = ctx.user
    if user is None or Role(user.role) is Role.ADMIN or user.organization_id is None:
        return None
    org = session.get(Organization, user.organization_id)
    townships = _townships_of(session, org.region_id) if org is not None else None
    if townships is None:
        return None
    villages = select(Region.id).where(Region.parent_id.in_(townships))
    grids = select(Region.id).where(Region.parent_id.in_(villages))
    return GridReport.grid_id.in_(grids)


@requires(Permission.CASE_SUPERVISE)
def grid_queue(ctx: ServiceContext, *, pending_only: bool = True) -> list[GridReportRow]:
    """待分流: the township's reports waiting to be handled (or all of them): the waiting ones
    first, the most urgent and then the longest waiting first; the handled ones newest first."""
    with ctx.read() as session:
        condition = _queue_condition(ctx, session)
        if pending_only:
            pending = GridReport.status == GridReportStatus.PENDING.value
            condition = pending if condition is None else sa.and_(condition, pending)
        rows = report_rows(session, condition)
    rank = {u.value: i for i, u in enumerate(Urgency)}
    waiting = sorted((r for r in rows if r.pending),
                     key=lambda r: (-rank[r.urgency], r.reported_on, r.id))
    return waiting + [r for r in rows if not r.pending]


def _open_report(ctx: ServiceContext, session: Session, report_id: int,
                 expected_version: int | None) -> GridReport:
    report = load_report(session, report_id, lock=True)
    condition = _queue_condition(ctx, session)
    if condition is not None and session.exec(
            select(GridReport.id).where(GridReport.id == report_id, condition)).first() is None:
        raise ValidationErrors([ValidationError("report", "该上报不属于本乡镇（街道），不能分流")])
    if expected_version is not None and report.version != expected_version:
        raise ConflictError("该上报已被他人处理，请刷新后重试")
    if report.status != GridReportStatus.PENDING.value:
        raise ValidationErrors([ValidationError(
            "report", f"该上报已{GridReportStatus(report.status).label}，不能再次分流")])
    return report


def case_input_of(session: Session, report: GridReport, organization: str, mediators: list[str],
                  category: Category) -> CaseInput:
    """The registration a dispatched report becomes (the names checked by the registration).

    It is received (收案) on the day the 网格员 took it in: intake is one for all (统一受理).
    """
    grid = session.get(Region, report.grid_id)
    village = session.get(Region, grid.parent_id)
    org = organization_by_name(session, organization)
    names = party_names(report.parties)
    parties = [PartyInput(role=PartyRole.APPLICANT if i == 0 else PartyRole.RESPONDENT,
                          kind=PartyKind.PERSON, name=name, phone=report.phone if i == 0 else None)
               for i, name in enumerate(names)]
    return CaseInput(
        track=Track.PEOPLE, source=Source.GRID_REPORT, category=category, organization=organization,
        village_code=village.code or "", level=level_of_organization(org.kind if org else None),
        received_on=report.reported_on, summary=f"{report.summary}（事发地点：{report.place}）", parties=parties,
        grid=grid.name, people_involved=max(1, len(names)),
        risk_level=_RISK_OF_URGENCY[Urgency(report.urgency)], mediators=list(mediators))


@requires(Permission.CASE_SUPERVISE)
def dispatch_report(ctx: ServiceContext, report_id: int, organization: str, mediators: list[str],
                    *, category: Category = Category.OTHER, expected_version: int | None = None,
                    acknowledge_conflicts: bool = False) -> OpChangesWithId:
    """分派: register a case from the report at ``organization`` with ``mediators``; ``.id`` is the case.

    A mediator who may have to withdraw (同姓同村, an earlier party) refuses it unless
    ``acknowledge_conflicts`` (``services.cases.conflicts``).

    The case counts as the 网格员's (they see what they reported); its level is the
    organisation's (村调委会 → 村/社区, 乡镇调委会/司法所 → 乡镇/街道, others → 县).
    """
    errors = []
    if not (organization or "").strip():
        errors.append(ValidationError("organization", "请选择承办的调解组织"))
    if not [m for m in mediators if m.strip()]:
        errors.append(ValidationError("mediators", "请至少选择一名调解员"))
    if errors:
        raise ValidationErrors(errors)
    with ctx.transaction() as session:
        report = _open_report(ctx, session, report_id, expected_version)
        data = case_input_of(session, report, organization.strip(), [m.strip() for m in mediators if m.strip()],
                             category)
        created = register_case(ctx, data, acknowledge_conflicts=acknowledge_conflicts)  # joins it
        case = session.get(Case, created.id)
        if report.reported_by_id is not None:
            case.registered_by_id = report.reported_by_id
            session.add(case)
        report.status = GridReportStatus.DISPATCHED.value
        report.case_id = case.id
        report.handled_by = ctx.actor[:50]
        report.handled_on = ctx.today()
        report.version += 1
        session.add(report)
        audit.record(ctx, session, "grid.dispatch", f"网格上报{report.id}",
                     {"report_id": report.id, "case_id": case.id, "case_number": case.number,
                      "organization": organization})
        return created


@requires(Permission.CASE_SUPERVISE)
def resolve_in_grid(ctx: ServiceContext, report_id: int, note: str, *,
                    expected_version: int | None = None) -> OpChanges:
    """网格内化解: record how the event was resolved inside the grid and close it at grid level."""
    errors = check_texts([("note", note, "化解情况", LONG_TEXT_MAX)])
    if not errors and not (note or "").strip():
        errors.append(ValidationError("note", "化解情况不能为空，请简要写明如何化解"))
    if errors:
        raise ValidationErrors(errors)
    with ctx.transaction() as session:
        report = _open_report(ctx, session, report_id, expected_version)
        report.status = GridReportStatus.RESOLVED.value
        report.resolution = note.strip()
        report.handled_by = ctx.actor[:50]
        report.handled_on = ctx.today()
        report.version += 1
        session.add(report)
        audit.record(ctx, session, "grid.resolve", f"网格上报{report.id}", {"report_id": report.id})
    return OpChanges()
