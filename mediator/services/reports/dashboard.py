"""Read models of the 工作台 charts and the village map, each a handful of GROUP BY queries."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

import sqlalchemy as sa
from sqlmodel import func, select

from mediator.domain.enums import (
    OPEN_STATUSES,
    CaseStatus,
    Category,
    DeadlineState,
    Level,
    RegionLevel,
)
from mediator.domain.lifecycle import Action
from mediator.reporting.stats import Period
from mediator.services.access import restrict_cases
from mediator.services.context import ServiceContext
from mediator.services.permissions import Permission, requires
from mediator.services.reports.statistics import ALL, ReportScope, scan_friendly, visible_in_scope
from mediator.store.models import (
    Agreement,
    Case,
    CaseDeadline,
    CaseMediator,
    Mediator,
    Organization,
    Region,
    TimelineEvent,
)

OPEN = sorted(s.value for s in OPEN_STATUSES)


@dataclass(frozen=True)
class MonthPoint:
    """One calendar month: cases received, agreements reached, mediations ended."""

    year: int
    month: int
    received: int
    succeeded: int
    concluded: int  # agreements + failures + withdrawals in the month

    @property
    def period(self) -> Period:
        return Period.month(self.year, self.month)

    @property
    def label(self) -> str:
        return f"{self.year % 100:02d}年{self.month}月"

    @property
    def success_rate(self) -> Decimal | None:
        if not self.concluded:
            return None
        return (Decimal(self.succeeded) / Decimal(self.concluded)).quantize(
            Decimal("0.0001"), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class MediatorLoad:
    """A mediator and how many of their cases have an overdue deadline."""

    mediator_id: int
    name: str
    organization: str
    overdue_cases: int


@dataclass(frozen=True)
class Dashboard:
    months: list[MonthPoint]  # the last 12 months, oldest first, the current one last
    categories: list[tuple[str, int]]  # cases received in those months, every category
    open_by_level: list[tuple[str, int]]  # open cases by handling level, every level
    overdue_by_mediator: list[MediatorLoad]  # most overdue first

    @property
    def window(self) -> tuple[date, date]:
        return self.months[0].period.date_from, self.months[-1].period.date_to


def _last_months(today: date, n: int) -> list[tuple[int, int]]:
    index = today.year * 12 + today.month - 1
    return [((i // 12), i % 12 + 1) for i in range(index - n + 1, index + 1)]


def _monthly(rows) -> dict[tuple[int, int], int]:
    """Fold (day, count) rows into (year, month) → count (a year has at most 366 such rows)."""
    months: dict[tuple[int, int], int] = {}
    for day, n in rows:
        months[(day.year, day.month)] = months.get((day.year, day.month), 0) + n
    return months


@requires(Permission.CASE_READ)  # every role's 工作台 (scoped to the cases it sees)
def dashboard(ctx: ServiceContext, today: date, scope: ReportScope = ALL, months: int = 12) -> Dashboard:
    """The charts of the 工作台 for ``scope``: 12 months up to ``today``'s month and the present."""
    keys = _last_months(today, months)
    start = date(keys[0][0], keys[0][1], 1)
    end = Period.month(*keys[-1]).date_to
    where = visible_in_scope(ctx, scope)
    with ctx.read() as session:
        # Grouped by day: SQLite reads the date index in order and needs no sort.
        received = _monthly(session.exec(
            select(Case.received_on, func.count()).where(Case.received_on >= start, Case.received_on <= end, where)
            .group_by(Case.received_on)))
        agreed = _monthly(session.exec(
            select(Agreement.signed_on, func.count()).select_from(Agreement).join(Case, Case.id == Agreement.case_id)
            .where(Agreement.signed_on >= start, Agreement.signed_on <= end, where).group_by(Agreement.signed_on)))
        ended = _monthly(session.exec(
            select(TimelineEvent.on, func.count(sa.distinct(TimelineEvent.case_id))).select_from(TimelineEvent)
            .join(Case, Case.id == TimelineEvent.case_id)
            .where(TimelineEvent.action.in_([Action.FAIL.value, Action.WITHDRAW.value]),
                   TimelineEvent.on >= start, TimelineEvent.on <= end, where).group_by(TimelineEvent.on)))
        received_on = scan_friendly(session, Case.received_on, Period.custom(start, end))
        categories = dict(session.exec(
            select(Case.category, func.count())
            .where(received_on >= start, received_on <= end, where).group_by(Case.category)).all())
        levels = dict(session.exec(select(Case.level, func.count())
                                   .where(Case.status.in_(OPEN), where).group_by(Case.level)).all())
        overdue = (select(CaseDeadline.case_id)
                   .where(CaseDeadline.state == DeadlineState.OPEN.value, CaseDeadline.due < today))
        loads = session.exec(
            select(Mediator.id, Mediator.name, Organization.short, func.count(sa.distinct(Case.id)))
            .select_from(CaseMediator)
            .join(Mediator, Mediator.id == CaseMediator.mediator_id)
            .join(Organization, Organization.id == Mediator.organization_id)
            .join(Case, Case.id == CaseMediator.case_id)
            .where(Case.id.in_(overdue), where)
            .group_by(Mediator.id, Mediator.name, Organization.short))
        by_mediator = sorted((MediatorLoad(i, name, short, n) for i, name, short, n in loads),
                             key=lambda r: (-r.overdue_cases, r.name, r.mediator_id))
    points = [MonthPoint(a, b, received.get((a, b), 0), agreed.get((a, b), 0),
                         agreed.get((a, b), 0) + ended.get((a, b), 0)) for a, b in keys]
    return Dashboard(points, [(c.value, categories.get(c.value, 0)) for c in Category],
                     [(lv.value, levels.get(lv.value, 0)) for lv in Level], by_mediator)


# --- the village map ----------------------------------------------------------------------------

@dataclass(frozen=True)
class MapPlace:
    """A township, village or grid on the map with its case counts."""

    id: int
    name: str
    level: str
    parent_id: int | None
    code: str | None = None
    kind: str | None = None
    lat: float | None = None
    lon: float | None = None
    open_cases: int = 0
    period_cases: int = 0


@dataclass(frozen=True)
class VillageMap:
    period: Period
    townships: list[MapPlace]
    villages: list[MapPlace]
    grids: list[MapPlace] = field(default_factory=list)

    @property
    def has_coordinates(self) -> bool:
        """Draw from coordinates when every village has them (else the schematic map)."""
        return bool(self.villages) and all(v.lat is not None and v.lon is not None for v in self.villages)


@requires(Permission.CASE_READ)  # every role's 工作台 (scoped to the cases it sees)
def village_map(ctx: ServiceContext, period: Period, scope: ReportScope = ALL) -> VillageMap:
    """Townships, villages and grids with open cases (now) and cases received in ``period``."""
    where = visible_in_scope(ctx, scope)
    with ctx.read() as session:
        regions = list(session.exec(select(Region).where(Region.active == True)  # noqa: E712
                                    .order_by(Region.code, Region.name, Region.id)))

        def counts(column, *conditions) -> dict[int, int]:
            return dict(session.exec(select(column, func.count()).where(*conditions, where)
                                     .group_by(column)).all())

        received_on = scan_friendly(session, Case.received_on, period)
        in_period = (received_on >= period.date_from, received_on <= period.date_to)
        open_v, period_v = counts(Case.village_id, Case.status.in_(OPEN)), counts(Case.village_id, *in_period)
        open_g = counts(Case.grid_id, Case.status.in_(OPEN), Case.grid_id.is_not(None))
        period_g = counts(Case.grid_id, Case.grid_id.is_not(None), *in_period)
    townships = [r for r in regions if r.level == RegionLevel.TOWNSHIP.value]
    if scope.kind == "township":
        townships = [t for t in townships if t.id == scope.id]
    elif scope.kind == "county":
        townships = [t for t in townships if t.parent_id == scope.id]
    kept = {t.id for t in townships}
    villages = [r for r in regions if r.level == RegionLevel.VILLAGE.value and r.parent_id in kept]
    village_ids = {v.id for v in villages}
    grids = [r for r in regions if r.level == RegionLevel.GRID.value and r.parent_id in village_ids]

    def place(r: Region, open_: dict[int, int], period_: dict[int, int]) -> MapPlace:
        return MapPlace(r.id, r.name, r.level, r.parent_id, r.code, r.kind, r.lat, r.lon,
                        open_.get(r.id, 0), period_.get(r.id, 0))

    villages_out = [place(v, open_v, period_v) for v in villages]
    by_township: dict[int | None, list[MapPlace]] = {}
    for v in villages_out:
        by_township.setdefault(v.parent_id, []).append(v)
    townships_out = [MapPlace(t.id, t.name, t.level, t.parent_id, t.code, t.kind, t.lat, t.lon,
                              sum(v.open_cases for v in by_township.get(t.id, [])),
                              sum(v.period_cases for v in by_township.get(t.id, [])))
                     for t in townships]
    return VillageMap(period, townships_out, villages_out, [place(g, open_g, period_g) for g in grids])


@dataclass(frozen=True)
class StatusCount:
    status: CaseStatus
    count: int


@requires(Permission.CASE_READ)
def status_counts(ctx: ServiceContext) -> list[StatusCount]:
    """How many cases are in each status (every status, zeros included)."""
    with ctx.read() as session:
        found = dict(session.exec(restrict_cases(ctx, select(Case.status, func.count()))
                                  .group_by(Case.status)).all())
    return [StatusCount(s, found.get(s.value, 0)) for s in CaseStatus]
