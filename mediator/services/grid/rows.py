"""The grid reports as the pages and the CLI list them, each with its result and satisfaction."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlmodel import Session, select

from mediator.domain.enums import CaseStatus, Satisfaction
from mediator.domain.errors import NotFoundError
from mediator.domain.grid import GridReportStatus, Urgency
from mediator.store.models import Case, FollowUp, GridReport, Region


@dataclass(frozen=True)
class GridReportRow:
    id: int
    reported_on: date
    reported_by: str
    grid: str
    village: str
    village_id: int
    parties: str
    phone: str
    place: str
    summary: str
    urgency: str
    status: str
    case_id: int | None
    case_number: str
    handled_by: str
    handled_on: date | None
    resolution: str
    result: str  # the case's outcome, or how it was resolved in the grid; "" while open
    satisfaction: str | None  # code: the grid worker's answer, else the case's last follow-up
    feedback_note: str
    version: int

    @property
    def urgency_label(self) -> str:
        return Urgency(self.urgency).label

    @property
    def status_label(self) -> str:
        return GridReportStatus(self.status).label

    @property
    def satisfaction_label(self) -> str:
        return Satisfaction(self.satisfaction).label if self.satisfaction else ""

    @property
    def pending(self) -> bool:
        return self.status == GridReportStatus.PENDING.value

    def as_json(self) -> dict[str, Any]:
        return {"id": self.id, "reported_on": self.reported_on.isoformat(), "reported_by": self.reported_by,
                "grid": self.grid, "village": self.village, "parties": self.parties, "phone": self.phone,
                "place": self.place, "summary": self.summary, "urgency": self.urgency,
                "urgency_label": self.urgency_label, "status": self.status, "status_label": self.status_label,
                "case_number": self.case_number or None, "result": self.result,
                "satisfaction": self.satisfaction, "satisfaction_label": self.satisfaction_label}


_CLOSED = {CaseStatus.AGREED, CaseStatus.PERFORMED, CaseStatus.FAILED, CaseStatus.WITHDRAWN,
           CaseStatus.REJECTED, CaseStatus.ARCHIVED}


def _case_result(status: str, closed_on: date | None) -> str:
    s = CaseStatus(status)
    if s not in _CLOSED:
        return f"办理中（{s.label}）"
    return f"{s.label}（{closed_on.isoformat()}结案）" if closed_on else s.label


def report_rows(session: Session, condition: Any = None) -> list[GridReportRow]:
    """The reports meeting ``condition`` (a SQL condition on GridReport), newest first."""
    village = Region.__table__.alias("village")
    stmt = (select(GridReport, Region.name, village.c.name, village.c.id, Case.number, Case.status,
                   Case.closed_on)
            .join(Region, Region.id == GridReport.grid_id)
            .join(village, village.c.id == Region.parent_id)
            .outerjoin(Case, Case.id == GridReport.case_id)
            .order_by(GridReport.reported_on.desc(), GridReport.id.desc()))
    if condition is not None:
        stmt = stmt.where(condition)
    found = list(session.exec(stmt))
    case_ids = [r.case_id for r, *_ in found if r.case_id is not None]
    visited: dict[int, str] = {}
    if case_ids:  # the last answered follow-up of each case (few rows: the dispatched cases' visits)
        for case_id, answer in session.exec(
                select(FollowUp.case_id, FollowUp.satisfaction)
                .where(FollowUp.case_id.in_(case_ids), FollowUp.satisfaction.is_not(None))
                .order_by(FollowUp.on, FollowUp.id)):
            visited[case_id] = answer
    rows = []
    for r, grid, village_name, village_id, number, status, closed_on in found:
        if r.status == GridReportStatus.RESOLVED.value:
            result = f"网格内化解：{r.resolution}"
        elif status is not None:
            result = _case_result(status, closed_on)
        else:
            result = ""
        rows.append(GridReportRow(
            r.id, r.reported_on, r.reported_by, grid, village_name, village_id, r.parties, r.phone or "", r.place,
            r.summary, r.urgency, r.status, r.case_id, number or "", r.handled_by, r.handled_on,
            r.resolution, result, r.satisfaction or visited.get(r.case_id), r.feedback_note, r.version))
    return rows


def load_report(session: Session, report_id: int, *, lock: bool = False) -> GridReport:
    stmt = select(GridReport).where(GridReport.id == report_id)
    if lock:
        stmt = stmt.with_for_update()
    report = session.exec(stmt).first()
    if report is None:
        raise NotFoundError(f"网格上报（编号{report_id}）不存在")
    return report
