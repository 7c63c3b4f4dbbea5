"""化解层级: how many disputes were resolved at each handling level, and the share resolved without
leaving the grid, the village/community and the township (小事不出网格、大事不出社区、难事不出街道).

Counted for a period (both days included):

- at 网格: the grid reports recorded 网格内化解 in the period, plus the cases at grid level whose
  agreement was reached in the period;
- at 村/社区, 乡镇/街道, 县: the cases at that level (the level they are held at now) whose agreement
  (written or oral) was reached in the period — the 调解成功数 of the statistics, by level.

``share_in_grid`` = grid ÷ total, ``share_in_village`` = (grid + village) ÷ total,
``share_in_township`` = (grid + village + township) ÷ total; four places, None when nothing was
resolved. Two GROUP BY queries; the user's scope applies (a 网格员 counts their own reports).
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import sqlalchemy as sa
from sqlmodel import func, select

from mediator.domain.enums import Level
from mediator.domain.grid import GridReportStatus
from mediator.domain.permissions import Role
from mediator.reporting.stats import Period
from mediator.services.context import ServiceContext
from mediator.services.permissions import Permission, requires
from mediator.services.reports.statistics import ALL, ReportScope, visible_in_scope
from mediator.store.models import Agreement, Case, GridReport, Region


@dataclass(frozen=True)
class LevelResolution:
    period: Period
    by_level: dict[str, int]  # every Level code
    grid_reports: int  # of the grid count: reports resolved inside the grid (no case)

    @property
    def total(self) -> int:
        return sum(self.by_level.values())

    def _share(self, levels: tuple[Level, ...]) -> Decimal | None:
        if not self.total:
            return None
        part = sum(self.by_level[level.value] for level in levels)
        return (Decimal(part) / Decimal(self.total)).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)

    @property
    def share_in_grid(self) -> Decimal | None:
        return self._share((Level.GRID,))

    @property
    def share_in_village(self) -> Decimal | None:
        return self._share((Level.GRID, Level.VILLAGE))

    @property
    def share_in_township(self) -> Decimal | None:
        return self._share((Level.GRID, Level.VILLAGE, Level.TOWNSHIP))

    def as_json(self) -> dict[str, Any]:
        def text(d: Decimal | None) -> str | None:
            return None if d is None else str(d)
        return {"from": self.period.date_from.isoformat(), "to": self.period.date_to.isoformat(),
                "by_level": dict(self.by_level), "grid_reports_resolved": self.grid_reports,
                "total": self.total, "share_in_grid": text(self.share_in_grid),
                "share_in_village": text(self.share_in_village),
                "share_in_township": text(self.share_in_township)}


def _reports_in_scope(ctx: ServiceContext, scope: ReportScope) -> Any:
    """A condition on GridReport for the scope (an organisation's report counts no grid records)."""
    user = ctx.user
    conditions = []
    if user is not None and Role(user.role) is Role.GRID_WORKER:
        conditions.append(GridReport.reported_by_id == user.id)
    grid_village = select(Region.parent_id).where(Region.id == GridReport.grid_id).scalar_subquery()
    if scope.kind == "organization":
        conditions.append(sa.false())
    elif scope.kind == "township":
        conditions.append(grid_village.in_(select(Region.id).where(Region.parent_id == scope.id)))
    elif scope.kind == "county":
        townships = select(Region.id).where(Region.parent_id == scope.id)
        conditions.append(grid_village.in_(select(Region.id).where(Region.parent_id.in_(townships))))
    return sa.and_(sa.true(), *conditions)


@requires(Permission.CASE_READ)  # shown on every role's 工作台, scoped to what the role sees
def resolution_by_level(ctx: ServiceContext, period: Period, scope: ReportScope = ALL) -> LevelResolution:
    """Disputes resolved in ``period`` at each level (see the module for what counts)."""
    period.check()
    lo, hi = period.date_from, period.date_to
    by_level = {level.value: 0 for level in Level}
    with ctx.read() as session:
        for level, n in session.exec(
                select(Case.level, func.count(sa.distinct(Agreement.case_id)))
                .select_from(Agreement).join(Case, Case.id == Agreement.case_id)
                .where(Agreement.signed_on >= lo, Agreement.signed_on <= hi, visible_in_scope(ctx, scope))
                .group_by(Case.level)):
            if level in by_level:
                by_level[level] += n
        in_grid = session.exec(
            select(func.count()).select_from(GridReport)
            .where(GridReport.status == GridReportStatus.RESOLVED.value, GridReport.handled_on >= lo,
                   GridReport.handled_on <= hi, _reports_in_scope(ctx, scope))).one()
    by_level[Level.GRID.value] += in_grid
    return LevelResolution(period, by_level, in_grid)
