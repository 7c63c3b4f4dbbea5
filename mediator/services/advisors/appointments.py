"""Appointments of advisors to villages (聘任): add, change and end them, one primary per village
and day."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, select

from mediator.domain.enums import RegionLevel
from mediator.domain.errors import (
    ConflictError,
    NotFoundError,
    ValidationError,
)
from mediator.services.advisors.roster import ADVISORS, advisors_with_id, load_advisor, office_only
from mediator.services.changes import OpChanges, OpChangesWithId
from mediator.services.context import ServiceContext
from mediator.services.input_types import refuse_mistyped
from mediator.services.permissions import Permission, requires
from mediator.services.places.reference import region_by_code
from mediator.store.models import Advisor, AdvisorAppointment, Region

ENDING_WITHIN_DAYS = 30  # appointments ending this soon are listed as a warning


@dataclass
class AppointmentInput:
    advisor_id: int
    village_code: str
    start: date
    end: date
    legal_deputy: bool = False  # also the village's 法治副主任
    is_primary: bool = True


def _overlapping(session: Session, village_id: int, start: date, end: date,
                 exclude_id: int | None = None) -> list[tuple[AdvisorAppointment, Advisor]]:
    stmt = (select(AdvisorAppointment, Advisor).join(Advisor, Advisor.id == AdvisorAppointment.advisor_id)
            .where(AdvisorAppointment.village_id == village_id, AdvisorAppointment.start <= end,
                   AdvisorAppointment.end >= start).order_by(AdvisorAppointment.start))
    return [(a, adv) for a, adv in session.exec(stmt) if a.id != exclude_id]


def check_overlap(session: Session, village: Region, advisor_id: int, start: date, end: date,
                   is_primary: bool, exclude_id: int | None = None, path: str = "start") -> None:
    for other, other_advisor in _overlapping(session, village.id, start, end, exclude_id):
        span = f"{other.start.isoformat()}至{other.end.isoformat()}"
        if other.advisor_id == advisor_id:
            raise ValidationError(path, f"{other_advisor.name}在{span}已受聘于{village.name}，聘期不能重叠")
        if is_primary and other.is_primary:
            raise ValidationError(
                path, f"{village.name}在{span}已有法律顾问{other_advisor.name}，同一村（社区）同一日只能有"
                      "一名在聘法律顾问；请先结束原聘任或调整聘期")


def require_village(session: Session, code: str, path: str = "village_code") -> Region:
    """The village or community with this code; ValidationError naming ``path`` otherwise."""
    village = region_by_code(session, (code or "").strip())
    if village is None or village.level != RegionLevel.VILLAGE.value:
        raise ValidationError(path, f"村（社区）区划代码{code}不存在")
    return village


@requires(Permission.ADVISOR_MANAGE)
def add_appointment(ctx: ServiceContext, data: AppointmentInput) -> OpChangesWithId:
    """Appoint an advisor to a village for a term; overlapping primary terms are refused."""
    office_only(ctx, "办理聘任")
    refuse_mistyped(data)
    if data.end < data.start:
        raise ValidationError("end", "聘期结束日期不能早于开始日期")
    with ctx.transaction() as session:
        advisor = load_advisor(session, data.advisor_id)
        if not advisor.active:
            raise ValidationError("advisor_id", f"法律顾问{advisor.name}已停用，不能新增聘任")
        village = require_village(session, data.village_code)
        check_overlap(session, village, advisor.id, data.start, data.end, data.is_primary)
        row = AdvisorAppointment(advisor_id=advisor.id, village_id=village.id, start=data.start,
                                 end=data.end, legal_deputy=bool(data.legal_deputy),
                                 is_primary=bool(data.is_primary))
        session.add(row)
        session.flush()
        return advisors_with_id(row.id)


@requires(Permission.ADVISOR_MANAGE)
def update_appointment(ctx: ServiceContext, appointment_id: int, *, end: date | None = None,
                       legal_deputy: bool | None = None, expected_version: int | None = None) -> OpChanges:
    """Move the end of a term (end it early or extend it) or change 法治副主任."""
    office_only(ctx, "办理聘任")
    with ctx.transaction() as session:
        row = session.get(AdvisorAppointment, appointment_id)
        if row is None:
            raise NotFoundError(f"聘任记录（编号{appointment_id}）不存在")
        if expected_version is not None and row.version != expected_version:
            raise ConflictError("该聘任记录已被他人修改，请刷新后再操作")
        if end is not None:
            if end < row.start:
                raise ValidationError("end", f"聘期结束日期不能早于开始日期{row.start.isoformat()}")
            if end > row.end:
                village = session.get(Region, row.village_id)
                check_overlap(session, village, row.advisor_id, row.start, end, row.is_primary,
                               exclude_id=row.id, path="end")
            row.end = end
        if legal_deputy is not None:
            row.legal_deputy = legal_deputy
        row.version += 1
        session.add(row)
    return ADVISORS


@requires(Permission.ADVISOR_MANAGE)
def end_appointment(ctx: ServiceContext, appointment_id: int, end: date, *,
                    expected_version: int | None = None) -> OpChanges:
    """End a term on ``end`` (解聘 or 到期)."""
    return update_appointment(ctx, appointment_id, end=end, expected_version=expected_version)
