"""网格事件上报 and 评价反馈: a 网格员 reports what they found in their grid with the short form,
follows their reports, and records the party's satisfaction once a report is handled."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, select

from mediator.domain.enums import RegionLevel, Satisfaction
from mediator.domain.errors import ConflictError, PermissionDenied, ValidationError, ValidationErrors
from mediator.domain.grid import GridReportStatus, Urgency, party_names
from mediator.domain.permissions import Role
from mediator.domain.validators import validate_phone
from mediator.services import audit
from mediator.services.cases.inputs import LONG_TEXT_MAX, check_texts
from mediator.services.changes import NOTHING, OpChanges, OpChangesWithId
from mediator.services.context import ServiceContext
from mediator.services.grid.rows import GridReportRow, load_report, report_rows
from mediator.services.input_types import type_problems
from mediator.services.permissions import Permission, requires
from mediator.services.places.reference import grid_by_name, region_by_code
from mediator.store.models import GridReport, User

NO_GRID = "您的账号未设置所在网格，请联系管理员在账号中设置网格后再上报"


@dataclass
class GridReportInput:
    """The short form (简易上报): who, where, what, how urgent."""

    parties: str  # names, 、-separated
    place: str
    summary: str
    urgency: Urgency = Urgency.NORMAL
    phone: str | None = None
    reported_on: date | None = None  # default today
    # The grid, for reports not made by a 网格员's own account (command line, the office):
    village_code: str | None = None
    grid: str | None = None


def check_report_input(data: GridReportInput, today: date) -> list[ValidationError]:
    wrong = type_problems(data)
    if wrong:
        return wrong  # the checks below assume the annotated types
    errors = check_texts([("parties", data.parties, "当事人", 200), ("place", data.place, "事发地点", 200),
                          ("summary", data.summary, "事件简要情况", LONG_TEXT_MAX),
                          ("phone", data.phone, "联系电话", None)])
    if errors:
        return errors
    names = party_names(data.parties)
    if not names:
        errors.append(ValidationError("parties", "当事人不能为空，请填写当事人姓名（多人用顿号分隔）"))
    elif any(len(n) > 100 for n in names):
        errors.append(ValidationError("parties", "当事人姓名（名称）不能超过100个字"))
    if not (data.place or "").strip():
        errors.append(ValidationError("place", "事发地点不能为空"))
    if not (data.summary or "").strip():
        errors.append(ValidationError("summary", "事件简要情况不能为空"))
    if not isinstance(data.urgency, Urgency):
        errors.append(ValidationError("urgency", "紧急程度应为一般、较急或紧急"))
    if data.phone and data.phone.strip():
        try:
            validate_phone(data.phone, path="phone")
        except ValidationError as e:
            errors.append(e)
    if data.reported_on is not None and data.reported_on > today:
        errors.append(ValidationError("reported_on", "上报日期不能晚于今天"))
    return errors


def _grid_of(ctx: ServiceContext, session: Session, data: GridReportInput) -> int:
    user = ctx.user
    if user is not None and Role(user.role) is Role.GRID_WORKER:
        grid_id = session.exec(select(User.grid_id).where(User.id == user.id)).first()
        if grid_id is None:
            raise ValidationErrors([ValidationError("grid", NO_GRID)])
        return grid_id
    if not data.village_code or not data.grid:
        raise ValidationErrors([ValidationError("grid", "请指定上报事件所在的村（社区）区划代码和网格")])
    village = region_by_code(session, data.village_code)
    if village is None or village.level != RegionLevel.VILLAGE.value:
        raise ValidationErrors([ValidationError("village_code", f"村（社区）区划代码{data.village_code}不存在")])
    grid = grid_by_name(session, village.id, data.grid)
    if grid is None:
        raise ValidationErrors([ValidationError("grid", f"{village.name}没有名为“{data.grid}”的网格")])
    return grid.id


@requires(Permission.CASE_REGISTER)
def report_event(ctx: ServiceContext, data: GridReportInput) -> OpChangesWithId:
    """上报事件: store the report, 待分流 (``.id`` is the report's id). One transaction, audited."""
    errors = check_report_input(data, ctx.today())
    if errors:
        raise ValidationErrors(errors)
    with ctx.transaction() as session:
        grid_id = _grid_of(ctx, session, data)
        phone = validate_phone(data.phone, path="phone") if data.phone and data.phone.strip() else None
        report = GridReport(
            grid_id=grid_id, reported_by_id=ctx.user.id if ctx.user else None,
            reported_by=(ctx.user.display_name if ctx.user else ctx.actor)[:50],
            reported_on=data.reported_on or ctx.today(), reported_at=ctx.now(),
            parties="、".join(party_names(data.parties)), phone=phone, place=data.place.strip(),
            summary=data.summary.strip(), urgency=data.urgency.value,
            status=GridReportStatus.PENDING.value)
        session.add(report)
        session.flush()
        audit.record(ctx, session, "grid.report", f"网格上报{report.id}",
                     {"report_id": report.id, "grid_id": grid_id, "urgency": report.urgency})
        return OpChangesWithId(id=report.id)


@requires(Permission.CASE_READ)
def my_reports(ctx: ServiceContext) -> list[GridReportRow]:
    """The reports of the logged-in account (all of them for the system), newest first."""
    with ctx.read() as session:
        user = ctx.user
        condition = None if user is None else GridReport.reported_by_id == user.id
        return report_rows(session, condition)


@requires(Permission.CASE_REGISTER)
def record_feedback(ctx: ServiceContext, report_id: int, satisfaction: Satisfaction, note: str = "",
                    *, on: date | None = None, expected_version: int | None = None) -> OpChanges:
    """评价反馈: the party's satisfaction with how a handled report ended (the 网格员's follow-up)."""
    errors = check_texts([("note", note, "回访情况", LONG_TEXT_MAX)])
    if not isinstance(satisfaction, Satisfaction):
        errors.append(ValidationError("satisfaction", "满意度应为满意、基本满意或不满意"))
    on = on or ctx.today()
    if on > ctx.today():
        errors.append(ValidationError("on", "回访日期不能晚于今天"))
    if errors:
        raise ValidationErrors(errors)
    with ctx.transaction() as session:
        report = load_report(session, report_id, lock=True)
        user = ctx.user
        if user is not None and Role(user.role) is Role.GRID_WORKER and report.reported_by_id != user.id:
            raise PermissionDenied("只能对本人上报的事件记录评价反馈")
        if expected_version is not None and report.version != expected_version:
            raise ConflictError("该上报已被他人修改，请刷新后重试")
        if report.status == GridReportStatus.PENDING.value:
            raise ValidationErrors([ValidationError("satisfaction", "该事件尚未分流办理，不能记录评价")])
        report.satisfaction = satisfaction.value
        report.feedback_note = (note or "").strip()
        report.feedback_on = on
        report.version += 1
        session.add(report)
        audit.record(ctx, session, "grid.feedback", f"网格上报{report.id}",
                     {"report_id": report.id, "satisfaction": satisfaction.value})
    return NOTHING

