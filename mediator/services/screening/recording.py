"""登记排查结果: record a held round — when, who, where — and what it found, in one transaction:
each dispute found is registered as a case (source 排查发现) or kept as a 预防 record, or the round
found nothing. A monthly round plans the next month's."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlmodel import Session, select

from mediator.domain.enums import Category, PartyKind, PartyRole, RiskFlag, Source, Track
from mediator.domain.errors import ConflictError, PermissionDenied, ValidationError, ValidationErrors
from mediator.domain.grid import level_of_organization, party_names
from mediator.domain.permissions import Role
from mediator.domain.screening import (
    FindingKind,
    Prevention,
    RoundStatus,
    ScreeningKind,
    check_held,
    check_prevention,
    flags_text,
    next_monthly_round,
)
from mediator.services import audit
from mediator.services.cases.inputs import CaseInput, PartyInput
from mediator.services.cases.lifecycle import register_case
from mediator.services.changes import OpChanges
from mediator.services.context import ServiceContext
from mediator.services.permissions import Permission, requires
from mediator.services.screening.planning import new_round
from mediator.services.screening.rows import load_round, round_condition
from mediator.store.models import Organization, Region, ScreeningFinding, ScreeningRound, User


@dataclass
class CaseFinding:
    """登记为案件: the compact registration of a dispute found (the rest is added on the case)."""

    parties: str  # names, 、-separated; the first is the applicant
    summary: str
    mediators: list[str]
    category: Category = Category.OTHER
    organization: str | None = None  # default the round's organisation
    risk_flags: list[RiskFlag] = field(default_factory=list)


@dataclass
class FindingInput:
    kind: FindingKind
    case: CaseFinding | None = None
    prevention: Prevention | None = None


@dataclass
class HeldInput:
    held_on: date
    held_by: str  # who screened, 、-separated
    places_visited: str
    findings: list[FindingInput]
    notes: str = ""


def check_findings(findings: list[FindingInput]) -> list[ValidationError]:
    errors = []
    if not findings:
        return [ValidationError("findings", "请登记排查结果：登记为案件、预防记录，或未发现矛盾纠纷")]
    kinds = [f.kind for f in findings]
    if FindingKind.NOTHING in kinds and len(kinds) > 1:
        errors.append(ValidationError("findings", "已登记发现的纠纷，不能同时登记为未发现"))
    for i, f in enumerate(findings):
        path = f"findings[{i}]"
        if f.kind is FindingKind.CASE and f.case is None:
            errors.append(ValidationError(path, "请填写要登记的案件"))
        elif f.kind is FindingKind.PREVENTED:
            if f.prevention is None:
                errors.append(ValidationError(path, "请填写预防记录"))
            else:
                errors += check_prevention(f.prevention, path)
        elif not isinstance(f.kind, FindingKind):
            errors.append(ValidationError(f"{path}.kind", "排查结果应为登记案件、预防或未发现"))
    return errors


def _check_may_record(ctx: ServiceContext, session: Session, row: ScreeningRound) -> None:
    user = ctx.user
    if user is not None and Role(user.role) is Role.GRID_WORKER:
        grid_id = session.exec(select(User.grid_id).where(User.id == user.id)).first()
        if grid_id is None or row.grid_id != grid_id:
            raise PermissionDenied("网格员只能登记本网格的排查结果")
    condition = round_condition(session, ctx)
    if condition is not None and session.exec(
            select(ScreeningRound.id).where(ScreeningRound.id == row.id, condition)).first() is None:
        raise PermissionDenied("该排查计划不属于本单位，不能登记结果")


def _case_input(session: Session, row: ScreeningRound, found: CaseFinding, held_on: date) -> CaseInput:
    village = session.get(Region, row.village_id)
    grid = session.get(Region, row.grid_id) if row.grid_id else None
    org = session.get(Organization, row.organization_id)
    organization = (found.organization or "").strip() or org.name
    if organization != org.name:
        org = session.exec(select(Organization).where(Organization.name == organization)).first() or org
    names = party_names(found.parties)
    parties = [PartyInput(role=PartyRole.APPLICANT if i == 0 else PartyRole.RESPONDENT,
                          kind=PartyKind.PERSON, name=name) for i, name in enumerate(names)]
    return CaseInput(track=Track.PEOPLE, source=Source.SCREENING, category=found.category,
                     organization=organization, village_code=village.code or "",
                     level=level_of_organization(org.kind), received_on=held_on,
                     summary=(found.summary or "").strip(), parties=parties, grid=grid.name if grid else None,
                     people_involved=max(1, len(names)), risk_flags=list(found.risk_flags),
                     mediators=[m.strip() for m in found.mediators if m.strip()])


def _register(ctx: ServiceContext, session: Session, row: ScreeningRound, found: CaseFinding,
              held_on: date, path: str) -> int:
    if not party_names(found.parties):
        raise ValidationErrors([ValidationError(f"{path}.case.parties",
                                                "当事人不能为空，请填写当事人姓名（多人用顿号分隔）")])
    try:
        return register_case(ctx, _case_input(session, row, found, held_on)).id  # joins the transaction
    except ValidationErrors as exc:
        raise ValidationErrors([e.at(f"{path}.case") for e in exc.errors]) from None
    except ValidationError as exc:
        raise ValidationErrors([exc.at(f"{path}.case")]) from None


@requires(Permission.CASE_REGISTER)
def record_round(ctx: ServiceContext, round_id: int, data: HeldInput, *,
                 expected_version: int | None = None) -> OpChanges:
    """登记排查结果 of a planned round, all or nothing; a 网格员 records the rounds of their grid."""
    errors = check_held(data.held_on, ctx.today(), data.held_by, data.places_visited, data.notes)
    errors += check_findings(data.findings)
    if errors:
        raise ValidationErrors(errors)
    with ctx.transaction() as session:
        row = load_round(session, round_id)
        _check_may_record(ctx, session, row)
        if expected_version is not None and row.version != expected_version:
            raise ConflictError("该排查计划已被他人修改，请刷新后重试")
        if row.status != RoundStatus.PLANNED.value:
            raise ValidationErrors([ValidationError("round", "该轮排查已登记结果，不能重复登记")])
        case_ids = []
        for i, found in enumerate(data.findings):
            finding = ScreeningFinding(round_id=row.id, kind=found.kind.value)
            if found.kind is FindingKind.CASE:
                finding.case_id = _register(ctx, session, row, found.case, data.held_on, f"findings[{i}]")
                case_ids.append(finding.case_id)
            elif found.kind is FindingKind.PREVENTED:
                p = found.prevention
                finding.summary, finding.parties, finding.how = p.summary.strip(), p.parties.strip(), p.how.strip()
                finding.people, finding.flags = p.people, flags_text(p.flags)
            session.add(finding)
        row.status = RoundStatus.HELD.value
        row.held_on, row.held_by = data.held_on, data.held_by.strip()
        row.places_visited, row.notes = data.places_visited.strip(), (data.notes or "").strip()
        row.recorded_by = ctx.actor[:50]
        row.version += 1
        session.add(row)
        next_id = None
        if row.monthly:
            planned_on, due_on = next_monthly_round(row.due_on, data.held_on)
            org = session.get(Organization, row.organization_id)
            next_id = new_round(session, ctx, organization=org, village_id=row.village_id, grid_id=row.grid_id,
                                kind=ScreeningKind(row.kind), risk=row.risk, monthly=True,
                                planned_on=planned_on, due_on=due_on).id
        audit.record(ctx, session, "screening.record", f"排查计划{row.id}",
                     {"round_id": row.id, "held_on": data.held_on.isoformat(), "case_ids": case_ids,
                      "findings": [f.kind.value for f in data.findings], "next_round_id": next_id})
    return OpChanges.of_cases(case_ids) if case_ids else OpChanges(reminders=True)
