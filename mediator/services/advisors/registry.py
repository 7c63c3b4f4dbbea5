"""Legal advisors (一村（社区）一法律顾问): the registry, appointments, coverage and routing.

Reviews live in ``advisor_reviews``, the service ledger and the yearly summary in
``advisor_ledger``, who may read what in ``advisor_scope``.

The appointment rule: a village has at most one current primary appointment on any day; an
advisor may serve several villages. Only active advisors cover a village.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlmodel import Session, select

from mediator.domain.enums import AdvisorKind, RegionLevel
from mediator.domain.errors import (
    ConflictError,
    NotFoundError,
    PermissionDenied,
    ValidationError,
    ValidationErrors,
)
from mediator.domain.validators import text_problem, validate_phone
from mediator.services.access import is_advisor
from mediator.services.changes import NOTHING, OpChanges, OpChangesWithId
from mediator.services.context import ServiceContext
from mediator.services.permissions import Permission, requires
from mediator.services.places.reference import region_by_code
from mediator.store.models import Advisor, AdvisorAppointment, Case, Region, User

ENDING_WITHIN_DAYS = 30  # appointments ending this soon are listed as a warning
_LICENSE = re.compile(r"^[0-9A-Za-z]{6,32}$")


# --- the registry ---------------------------------------------------------------------------


@dataclass
class AdvisorInput:
    """What the registry form asks of an advisor."""

    name: str
    kind: AdvisorKind
    firm: str = ""  # 律师事务所 / 法律服务所
    license_no: str | None = None  # 执业证号
    phone: str | None = None
    specialties: str = ""
    active: bool = True


def _check_advisor(session: Session, data: AdvisorInput, advisor_id: int | None) -> dict[str, Any]:
    errors = [e for key, label in (("name", "姓名"), ("firm", "执业机构"), ("license_no", "执业证号"),
                                   ("phone", "联系电话"), ("specialties", "专长"))
              if (e := text_problem(getattr(data, key), path=key, label=label)) is not None]
    if errors:  # the checks below assume plain texts (a NUL would also break the lookup)
        raise ValidationErrors(errors)
    name = (data.name or "").strip()
    if not name:
        errors.append(ValidationError("name", "请填写法律顾问姓名"))
    elif len(name) > 50:
        errors.append(ValidationError("name", "姓名不能超过50个字"))
    if not isinstance(data.kind, AdvisorKind):
        errors.append(ValidationError("kind", "请选择法律顾问类别（律师或基层法律服务工作者）"))
    firm = (data.firm or "").strip()
    if len(firm) > 100:
        errors.append(ValidationError("firm", "执业机构名称不能超过100个字"))
    license_no = (data.license_no or "").strip() or None
    if license_no is not None:
        if not _LICENSE.match(license_no):
            errors.append(ValidationError("license_no", "执业证号应为6至32位数字或字母"))
        else:
            other = session.exec(select(Advisor).where(Advisor.license_no == license_no)).first()
            if other is not None and other.id != advisor_id:
                errors.append(ValidationError("license_no", f"执业证号{license_no}已登记为{other.name}"))
    phone = (data.phone or "").strip() or None
    if phone is not None:
        try:
            phone = validate_phone(phone, path="phone")
        except ValidationError as e:
            errors.append(e)
    specialties = (data.specialties or "").strip()
    if len(specialties) > 200:
        errors.append(ValidationError("specialties", "专长不能超过200个字"))
    if errors:
        raise ValidationErrors(errors)
    return {"name": name, "kind": data.kind.value, "firm": firm, "license_no": license_no,
            "phone": phone, "specialties": specialties, "active": bool(data.active)}


def _office_only(ctx: ServiceContext, what: str) -> None:
    if is_advisor(ctx.user):
        raise PermissionDenied(f"法律顾问账号不能{what}，请由司法所办理")


# Advisors and their terms are reference data; their terms move the advisor deadlines (reminders).
ADVISORS = OpChanges(reference=True, reminders=True)


def _advisors_with_id(row_id: int) -> OpChangesWithId:
    return OpChangesWithId(reference=True, reminders=True, id=row_id)


@requires(Permission.ADVISOR_MANAGE)
def add_advisor(ctx: ServiceContext, data: AdvisorInput) -> OpChangesWithId:
    """Register an advisor; returns the new id with the change. Every invalid field is reported at once."""
    _office_only(ctx, "登记法律顾问")
    with ctx.transaction() as session:
        values = _check_advisor(session, data, None)
        advisor = Advisor(**values)
        session.add(advisor)
        session.flush()
        return _advisors_with_id(advisor.id)


def _advisor(session: Session, advisor_id: int) -> Advisor:
    advisor = session.get(Advisor, advisor_id)
    if advisor is None:
        raise NotFoundError(f"法律顾问（编号{advisor_id}）不存在")
    return advisor


@requires(Permission.ADVISOR_MANAGE)
def update_advisor(ctx: ServiceContext, advisor_id: int, data: AdvisorInput, *,
                   expected_version: int | None = None) -> OpChanges:
    """Change an advisor's details; a stale ``expected_version`` raises ConflictError."""
    _office_only(ctx, "修改法律顾问信息")
    with ctx.transaction() as session:
        advisor = _advisor(session, advisor_id)
        if expected_version is not None and advisor.version != expected_version:
            raise ConflictError(f"法律顾问{advisor.name}的信息已被他人修改，请刷新后再操作")
        for key, value in _check_advisor(session, data, advisor_id).items():
            setattr(advisor, key, value)
        advisor.version += 1
        session.add(advisor)
    return ADVISORS


@requires(Permission.ACCOUNTS)
def link_user_to_advisor(ctx: ServiceContext, user_id: int, advisor_id: int | None) -> OpChanges:
    """Make an account the login of an advisor (role ``advisor``), or unlink it (None)."""
    _office_only(ctx, "设置账号")
    with ctx.transaction() as session:
        user = session.get(User, user_id)
        if user is None:
            raise NotFoundError(f"账号（编号{user_id}）不存在")
        if advisor_id is not None:
            _advisor(session, advisor_id)
            user.role = "advisor"
        user.advisor_id = advisor_id
        user.version += 1
        session.add(user)
    return NOTHING  # accounts are no list the views show


# --- appointments ---------------------------------------------------------------------------


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


def _check_overlap(session: Session, village: Region, advisor_id: int, start: date, end: date,
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
    _office_only(ctx, "办理聘任")
    if data.end < data.start:
        raise ValidationError("end", "聘期结束日期不能早于开始日期")
    with ctx.transaction() as session:
        advisor = _advisor(session, data.advisor_id)
        if not advisor.active:
            raise ValidationError("advisor_id", f"法律顾问{advisor.name}已停用，不能新增聘任")
        village = require_village(session, data.village_code)
        _check_overlap(session, village, advisor.id, data.start, data.end, data.is_primary)
        row = AdvisorAppointment(advisor_id=advisor.id, village_id=village.id, start=data.start,
                                 end=data.end, legal_deputy=bool(data.legal_deputy),
                                 is_primary=bool(data.is_primary))
        session.add(row)
        session.flush()
        return _advisors_with_id(row.id)


@requires(Permission.ADVISOR_MANAGE)
def update_appointment(ctx: ServiceContext, appointment_id: int, *, end: date | None = None,
                       legal_deputy: bool | None = None, expected_version: int | None = None) -> OpChanges:
    """Move the end of a term (end it early or extend it) or change 法治副主任."""
    _office_only(ctx, "办理聘任")
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
                _check_overlap(session, village, row.advisor_id, row.start, end, row.is_primary,
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


# --- reading: the registry and the village × advisor view -------------------------------------


@dataclass(frozen=True)
class AppointmentInfo:
    id: int
    advisor_id: int
    advisor: str
    village_id: int
    village_code: str | None
    village: str
    start: date
    end: date
    legal_deputy: bool
    is_primary: bool
    version: int

    def state(self, on: date) -> str:
        """在聘 / 即将届满 / 已届满 / 未开始."""
        if on < self.start:
            return "未开始"
        if on > self.end:
            return "已届满"
        return "即将届满" if self.end <= on + timedelta(days=ENDING_WITHIN_DAYS) else "在聘"


@dataclass(frozen=True)
class AdvisorInfo:
    id: int
    name: str
    kind: str
    kind_label: str
    firm: str
    license_no: str | None
    phone: str | None
    specialties: str
    active: bool
    version: int
    appointments: tuple[AppointmentInfo, ...] = ()

    def current_villages(self, on: date) -> list[str]:
        return [a.village for a in self.appointments if a.start <= on <= a.end]

    def to_input(self) -> AdvisorInput:
        return AdvisorInput(self.name, AdvisorKind(self.kind), self.firm, self.license_no,
                            self.phone, self.specialties, self.active)


def _appointments(session: Session, advisors: dict[int, Advisor]) -> list[AppointmentInfo]:
    rows = session.exec(select(AdvisorAppointment, Region)
                        .join(Region, Region.id == AdvisorAppointment.village_id)
                        .order_by(Region.code, AdvisorAppointment.start))
    return [AppointmentInfo(a.id, a.advisor_id, advisors[a.advisor_id].name, r.id, r.code, r.name,
                            a.start, a.end, a.legal_deputy, a.is_primary, a.version)
            for a, r in rows if a.advisor_id in advisors]


def advisor_registry(ctx: ServiceContext) -> list[AdvisorInfo]:
    """Every advisor (active first, by name) with all their appointments."""
    with ctx.read() as session:
        advisors = {a.id: a for a in session.exec(select(Advisor))}
        by_advisor: dict[int, list[AppointmentInfo]] = {}
        for info in _appointments(session, advisors):
            by_advisor.setdefault(info.advisor_id, []).append(info)
    ordered = sorted(advisors.values(), key=lambda a: (not a.active, a.name, a.id))
    return [AdvisorInfo(a.id, a.name, a.kind, AdvisorKind(a.kind).label, a.firm, a.license_no,
                        a.phone, a.specialties, a.active, a.version,
                        tuple(sorted(by_advisor.get(a.id, []), key=lambda p: p.start, reverse=True)))
            for a in ordered]


@dataclass(frozen=True)
class VillageRef:
    id: int
    code: str | None
    name: str
    township: str


@dataclass(frozen=True)
class AppointmentGrid:
    """Villages (rows) × advisors (columns); each cell holds that pair's appointments."""

    villages: list[VillageRef]
    advisors: list[tuple[int, str]]
    cells: dict[tuple[int, int], list[AppointmentInfo]] = field(default_factory=dict)
    inactive: frozenset[int] = frozenset()  # advisors no longer active: their terms cover nothing


def _villages(session: Session) -> list[VillageRef]:
    villages = list(session.exec(select(Region).where(Region.level == RegionLevel.VILLAGE.value,
                                                      Region.active == True)  # noqa: E712
                                 .order_by(Region.code, Region.name)))
    parents = {r.id: r.name for r in session.exec(
        select(Region).where(Region.id.in_({v.parent_id for v in villages if v.parent_id})))}
    return [VillageRef(v.id, v.code, v.name, parents.get(v.parent_id, "")) for v in villages]


def appointment_grid(ctx: ServiceContext) -> AppointmentGrid:
    """Every active village against every advisor who ever served one (active advisors first)."""
    with ctx.read() as session:
        villages = _villages(session)
        advisors = {a.id: a for a in session.exec(select(Advisor))}
        infos = _appointments(session, advisors)
    cells: dict[tuple[int, int], list[AppointmentInfo]] = {}
    for info in infos:
        cells.setdefault((info.village_id, info.advisor_id), []).append(info)
    serving = {i.advisor_id for i in infos}
    columns = sorted((a for a in advisors.values() if a.id in serving or a.active),
                     key=lambda a: (not a.active, a.name, a.id))
    return AppointmentGrid(villages, [(a.id, a.name) for a in columns], cells,
                           frozenset(a.id for a in columns if not a.active))


# --- coverage and routing -------------------------------------------------------------------


def current_appointment(session: Session, village_id: int,
                        on: date) -> tuple[AdvisorAppointment, Advisor] | None:
    """The village's primary appointment running on ``on`` with an active advisor."""
    return session.exec(
        select(AdvisorAppointment, Advisor).join(Advisor, Advisor.id == AdvisorAppointment.advisor_id)
        .where(AdvisorAppointment.village_id == village_id, AdvisorAppointment.start <= on,
               AdvisorAppointment.end >= on, AdvisorAppointment.is_primary == True,  # noqa: E712
               Advisor.active == True)  # noqa: E712
        .order_by(AdvisorAppointment.start.desc(), AdvisorAppointment.id.desc())).first()


@dataclass(frozen=True)
class VillageCoverage:
    village_id: int
    village_code: str | None
    village: str
    township: str
    advisor_id: int | None = None
    advisor: str | None = None
    advisor_kind: str | None = None
    firm: str = ""
    phone: str | None = None
    appointment_id: int | None = None
    start: date | None = None
    end: date | None = None
    legal_deputy: bool = False

    @property
    def covered(self) -> bool:
        return self.advisor_id is not None


@dataclass(frozen=True)
class EndingAppointment:
    appointment_id: int
    advisor_id: int
    advisor: str
    village_code: str | None
    village: str
    end: date
    days_left: int
    renewed_by: str | None  # the advisor of a term that already follows this one


@dataclass(frozen=True)
class Coverage:
    on: date
    villages: list[VillageCoverage]
    ending: list[EndingAppointment]

    @property
    def uncovered(self) -> list[VillageCoverage]:
        return [v for v in self.villages if not v.covered]

    def to_json(self) -> dict[str, Any]:
        def iso(d: date | None) -> str | None:
            return d.isoformat() if d else None

        return {
            "on": self.on.isoformat(),
            "villages": [{"code": v.village_code, "name": v.village, "township": v.township,
                          "advisor": v.advisor, "advisor_kind": v.advisor_kind, "firm": v.firm,
                          "phone": v.phone, "from": iso(v.start), "to": iso(v.end),
                          "legal_deputy": v.legal_deputy} for v in self.villages],
            "without_advisor": [{"code": v.village_code, "name": v.village, "township": v.township}
                                for v in self.uncovered],
            "ending_within_30_days": [{"code": e.village_code, "name": e.village, "advisor": e.advisor,
                                       "to": e.end.isoformat(), "days_left": e.days_left,
                                       "renewed_by": e.renewed_by} for e in self.ending],
        }


def coverage(ctx: ServiceContext, on: date | None = None) -> Coverage:
    """Every active village with its advisor on ``on``, and the terms ending within 30 days."""
    on = on or ctx.today()
    horizon = on + timedelta(days=ENDING_WITHIN_DAYS)
    with ctx.read() as session:
        villages = _villages(session)
        advisors = {a.id: a for a in session.exec(select(Advisor))}
        running = list(session.exec(
            select(AdvisorAppointment).where(AdvisorAppointment.end >= on,
                                             AdvisorAppointment.is_primary == True)  # noqa: E712
            .order_by(AdvisorAppointment.start.desc(), AdvisorAppointment.id.desc())))
    by_village: dict[int, list[AdvisorAppointment]] = {}
    for a in running:
        by_village.setdefault(a.village_id, []).append(a)
    rows, ending = [], []
    for v in villages:
        terms = by_village.get(v.id, [])
        now = next((a for a in terms if a.start <= on and advisors[a.advisor_id].active), None)
        if now is None:
            rows.append(VillageCoverage(v.id, v.code, v.name, v.township))
            continue
        adv = advisors[now.advisor_id]
        rows.append(VillageCoverage(v.id, v.code, v.name, v.township, adv.id, adv.name,
                                    AdvisorKind(adv.kind).label, adv.firm, adv.phone, now.id,
                                    now.start, now.end, now.legal_deputy))
        if now.end <= horizon:
            successor = next((a for a in terms if a.start > now.end and advisors[a.advisor_id].active), None)
            ending.append(EndingAppointment(now.id, adv.id, adv.name, v.code, v.name, now.end,
                                            (now.end - on).days,
                                            advisors[successor.advisor_id].name if successor else None))
    ending.sort(key=lambda e: (e.end, e.village_code or ""))
    return Coverage(on, rows, ending)


@dataclass(frozen=True)
class AdvisorChoice:
    """The advisor a case goes to: the village's current advisor, chosen automatically."""

    advisor_id: int
    name: str
    village: str
    appointment_end: date


@requires(Permission.CASE_READ)
def advisor_for_case(ctx: ServiceContext, case_id: int, on: date | None = None) -> AdvisorChoice | None:
    """The current advisor of the case's village (None when the village has none today)."""
    on = on or ctx.today()
    with ctx.read() as session:
        case = session.get(Case, case_id)
        if case is None:
            raise NotFoundError(f"案件（编号{case_id}）不存在")
        village = session.get(Region, case.village_id)
        found = current_appointment(session, case.village_id, on)
        if found is None:
            return None
        appointment, advisor = found
        return AdvisorChoice(advisor.id, advisor.name, village.name, appointment.end)


def advisor_choices(ctx: ServiceContext, *, active_only: bool = True) -> list[tuple[int, str]]:
    """(id, "name（firm）") of the advisors an office may pick."""
    with ctx.read() as session:
        stmt = select(Advisor).order_by(Advisor.name, Advisor.id)
        if active_only:
            stmt = stmt.where(Advisor.active == True)  # noqa: E712
        return [(a.id, f"{a.name}（{a.firm}）" if a.firm else a.name) for a in session.exec(stmt)]


__all__ = ["ENDING_WITHIN_DAYS", "AdvisorChoice", "AdvisorInfo", "AdvisorInput", "AppointmentGrid",
           "AppointmentInfo", "AppointmentInput", "Coverage", "EndingAppointment",
           "VillageCoverage", "VillageRef", "add_advisor", "add_appointment",
           "advisor_choices", "advisor_for_case", "advisor_registry", "appointment_grid",
           "coverage", "current_appointment", "end_appointment", "link_user_to_advisor", "require_village",
           "update_advisor", "update_appointment"]
