"""Coverage and routing: who serves a village on a day, villages without one, terms ending soon,
and the advisor a case goes to."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlmodel import Session, select

from mediator.domain.enums import AdvisorKind
from mediator.domain.errors import (
    NotFoundError,
)
from mediator.services.advisors.appointments import ENDING_WITHIN_DAYS
from mediator.services.advisors.overview import village_refs
from mediator.services.context import ServiceContext
from mediator.services.permissions import Permission, requires
from mediator.store.models import Advisor, AdvisorAppointment, Case, Region


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
        villages = village_refs(session)
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
