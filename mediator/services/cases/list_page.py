"""Read functions of the case list page beyond queries.py: pages with overdue marks, titles."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlmodel import select

from mediator.domain.enums import CaseStatus, DeadlineState
from mediator.domain.errors import NotFoundError
from mediator.services.access import check_case_visible
from mediator.services.cases.read import CaseFilter, CaseRow, count_cases, list_cases, searched_page
from mediator.services.context import ServiceContext
from mediator.services.permissions import Permission, requires
from mediator.store.models import Case, CaseDeadline


@dataclass(frozen=True)
class CasePage:
    """One page of the case list.

    Attributes:
        rows: the cases of the page, in list order.
        overdue_ids: ids of those cases with an open deadline past due on the page's day.
        total: the number of cases matching the filter (only when asked for, else None).
    """

    rows: list[CaseRow]
    overdue_ids: frozenset[int] = field(default_factory=frozenset)
    total: int | None = None


@requires(Permission.CASE_READ)
def overdue_case_ids(ctx: ServiceContext, case_ids: list[int], on: date) -> frozenset[int]:
    """Which of ``case_ids`` have an open deadline whose due day is before ``on``."""
    if not case_ids:
        return frozenset()
    with ctx.read() as session:
        stmt = (select(CaseDeadline.case_id).distinct()
                .where(CaseDeadline.case_id.in_(case_ids),
                       CaseDeadline.state == DeadlineState.OPEN.value,
                       CaseDeadline.due < on))
        return frozenset(session.exec(stmt))


@requires(Permission.CASE_READ)
def case_page(ctx: ServiceContext, f: CaseFilter, *, offset: int = 0, limit: int = 200,
              sort: str = "received_on", descending: bool = True,
              with_total: bool = False) -> CasePage:
    """A page of the case list with its overdue marks (and the total count when asked).

    Args:
        f: the filters (all run in the database).
        offset: rows to skip.
        limit: rows to return at most.
        sort: a key of ``queries.SORTABLE``.
        descending: order direction.
        with_total: also count every matching case (the first page of a new query).
    """
    searched = searched_page(ctx, f, offset=offset, limit=limit, sort=sort, descending=descending) \
        if with_total else None
    if searched is not None:  # a text search: its matches found once for the count and the page
        rows, total = searched
    else:
        total = count_cases(ctx, f) if with_total else None
        rows = list_cases(ctx, f, offset=offset, limit=limit, sort=sort, descending=descending)
    overdue = overdue_case_ids(ctx, [r.id for r in rows], ctx.today())
    return CasePage(rows, overdue, total)


@dataclass(frozen=True)
class CaseHeading:
    """What a tab title or a read-only header shows of a case."""

    id: int
    number: str
    status: str
    status_label: str
    version: int


@requires(Permission.CASE_READ)
def case_heading(ctx: ServiceContext, case_id: int) -> CaseHeading:
    """Number and status of one case (cheap: one row)."""
    check_case_visible(ctx, None, case_id)
    with ctx.read() as session:
        stmt = select(Case.number, Case.status, Case.version).where(Case.id == case_id)
        row = session.exec(stmt).first()
        if row is None:
            raise NotFoundError(f"案件（编号{case_id}）不存在")
        number, status, version = row
        return CaseHeading(case_id, number, status, CaseStatus(status).label, version)
