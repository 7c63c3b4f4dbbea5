"""Reading the registry: every advisor with their appointments, and the village × advisor grid."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlmodel import Session, select

from mediator.domain.enums import AdvisorKind, RegionLevel
from mediator.services.advisors.appointments import ENDING_WITHIN_DAYS
from mediator.services.advisors.roster import AdvisorInput
from mediator.services.context import ServiceContext
from mediator.store.models import Advisor, AdvisorAppointment, Region


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


def village_refs(session: Session) -> list[VillageRef]:
    villages = list(session.exec(select(Region).where(Region.level == RegionLevel.VILLAGE.value,
                                                      Region.active == True)  # noqa: E712
                                 .order_by(Region.code, Region.name)))
    parents = {r.id: r.name for r in session.exec(
        select(Region).where(Region.id.in_({v.parent_id for v in villages if v.parent_id})))}
    return [VillageRef(v.id, v.code, v.name, parents.get(v.parent_id, "")) for v in villages]


def appointment_grid(ctx: ServiceContext) -> AppointmentGrid:
    """Every active village against every advisor who ever served one (active advisors first)."""
    with ctx.read() as session:
        villages = village_refs(session)
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
