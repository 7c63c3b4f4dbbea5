"""Village-level advisor deadlines: the monthly visit, the quarterly lecture, a term ending (聘期届满).

Computed from the appointments and the service ledger each time, never stored; the reminders read
them as one source among the case deadlines and the pending reviews.
"""
from __future__ import annotations

import calendar as month_calendar
from dataclasses import dataclass
from datetime import date, timedelta

from sqlmodel import select

from mediator.domain.enums import DeadlineKind, LedgerKind
from mediator.services.access import AdvisorScope, advisor_scope_of
from mediator.services.advisors.coverage import coverage
from mediator.services.advisors.ledger import ledger_rows, visit_minimum
from mediator.services.context import ServiceContext
from mediator.services.settings import get_setting
from mediator.store.models import Advisor, AdvisorAppointment, Region


@dataclass(frozen=True)
class VillageDeadline:
    """One open village-level deadline.

    Attributes:
        kind: ``ADVISOR_VISIT`` (到村服务 this month, or this quarter's law lecture, not yet met) or
            ``APPOINTMENT_END`` (a term ending within 30 days, or ended within the last 30, not renewed).
        due: the month's or quarter's last day, or the term's last day.
        target: what it is about, e.g. ``东关村：本月到村服务0次/0.0小时，应至少1次、4小时``.
        village_code: the village's 12-digit code (None for a village without one).
        advisor: the advisor's name.
        key: stable per occurrence (``advisor_visit:419901100201:2026-11``, ``appointment_end:12``).
    """

    kind: DeadlineKind
    due: date
    target: str
    village_code: str | None
    advisor: str
    key: str


def _month_end(on: date) -> date:
    return date(on.year, on.month, month_calendar.monthrange(on.year, on.month)[1])


def advisor_deadlines(ctx: ServiceContext, on: date) -> list[VillageDeadline]:
    """The village-level advisor deadlines open on ``on`` (computed, not stored), soonest first.

    An advisor user gets only the deadlines of their own villages.
    """
    visits, hours = visit_minimum(ctx)
    lectures = int(get_setting(ctx, "advisors.quarterly_lectures"))
    cov = coverage(ctx, on)
    scope = advisor_scope_of(ctx)
    month_start = date(on.year, on.month, 1)
    q = (on.month - 1) // 3
    quarter_start, quarter_end = date(on.year, 3 * q + 1, 1), _month_end(date(on.year, 3 * q + 3, 1))
    rows = [r for r in ledger_rows(ctx, date_from=quarter_start, date_to=on) if r.village_id is not None]
    out: list[VillageDeadline] = []
    for v in cov.villages:
        if not v.covered or (scope is not None and scope.advisor_id != v.advisor_id):
            continue
        here = [r for r in rows if r.village_id == v.village_id]
        month = [r for r in here if r.on_site and r.on >= month_start]
        minutes = sum(r.minutes for r in month)
        if (visits or hours) and (len(month) < visits or minutes < hours * 60):
            out.append(VillageDeadline(
                DeadlineKind.ADVISOR_VISIT, _month_end(on),
                f"{v.village}：本月到村服务{len(month)}次/{minutes / 60:.1f}小时，"
                f"应至少{visits}次、{hours}小时",
                v.village_code, v.advisor, f"advisor_visit:{v.village_code}:{on:%Y-%m}"))
        held = sum(r.kind == LedgerKind.LECTURE.value for r in here)
        if lectures and held < lectures:
            out.append(VillageDeadline(
                DeadlineKind.ADVISOR_VISIT, quarter_end,
                f"{v.village}：本季度法治讲座{held}次，应至少{lectures}次",
                v.village_code, v.advisor, f"advisor_visit:{v.village_code}:{on.year}Q{q + 1}:lecture"))
    for e in cov.ending:
        if e.renewed_by is None and (scope is None or scope.advisor_id == e.advisor_id):
            out.append(_appointment_end(e.appointment_id, e.end, e.village, e.village_code, e.advisor))
    out += _recently_ended(ctx, on, {v.village_id for v in cov.uncovered}, scope)
    out.sort(key=lambda d: (d.due, d.key))
    return out


def _appointment_end(appointment_id: int, end: date, village: str, code: str | None,
                     advisor: str) -> VillageDeadline:
    return VillageDeadline(DeadlineKind.APPOINTMENT_END, end,
                           f"{village}法律顾问{advisor}聘期至{end.isoformat()}届满，尚未续聘",
                           code, advisor, f"appointment_end:{appointment_id}")


def _recently_ended(ctx: ServiceContext, on: date, uncovered: set[int],
                    scope: AdvisorScope | None) -> list[VillageDeadline]:
    if not uncovered:
        return []
    with ctx.read() as session:
        found = session.exec(
            select(AdvisorAppointment, Advisor, Region)
            .join(Advisor, Advisor.id == AdvisorAppointment.advisor_id)
            .join(Region, Region.id == AdvisorAppointment.village_id)
            .where(AdvisorAppointment.village_id.in_(uncovered), AdvisorAppointment.is_primary == True,  # noqa: E712
                   AdvisorAppointment.end < on, AdvisorAppointment.end >= on - timedelta(days=30))
            .order_by(AdvisorAppointment.end.desc()))
        out, seen = [], set()
        for a, adv, village in found:
            if village.id in seen or (scope is not None and scope.advisor_id != adv.id):
                continue
            seen.add(village.id)
            following = session.exec(select(AdvisorAppointment.id).where(
                AdvisorAppointment.village_id == village.id, AdvisorAppointment.start > a.end,
                AdvisorAppointment.is_primary == True)).first()  # noqa: E712
            if following is not None:
                continue
            out.append(_appointment_end(a.id, a.end, village.name, village.code, adv.name))
        return out
