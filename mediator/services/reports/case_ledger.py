"""The 台账 of any filter of the case list: plain columns read in a few set queries, then the .xlsx."""
from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import IO, Any

from sqlmodel import select

from mediator.domain.enums import CaseStatus, Category, Level, RiskLevel, Track
from mediator.domain.lifecycle import Action
from mediator.reporting.ledger import LedgerCase
from mediator.services.access import restrict_cases
from mediator.services.cases.read import CaseFilter, _filtered
from mediator.services.context import ServiceContext
from mediator.services.permissions import Permission, requires
from mediator.store.models import (
    Advisor,
    AdvisorAppointment,
    Agreement,
    Case,
    CaseMediator,
    CaseParty,
    FollowUp,
    Mediator,
    Organization,
    Performance,
    Region,
    TimelineEvent,
)

_OUTCOMES = [Action.AGREE.value, Action.FAIL.value, Action.WITHDRAW.value, Action.REJECT.value]


# The case columns the ledger shows: a plain row each, never an ORM object (72k of them in a year).
_CASE_COLUMNS = (Case.id, Case.number, Case.received_on, Case.accepted_on, Case.category, Case.village_id,
                 Case.grid_id, Case.summary, Case.source, Case.organization_id, Case.level, Case.risk_level,
                 Case.risk_flags, Case.status, Case.closed_on)


@requires(Permission.CASE_READ)
def ledger_cases(ctx: ServiceContext, f: CaseFilter) -> list[LedgerCase]:
    """Every case the filter selects, oldest received first, with what the ledger shows."""
    with ctx.read() as session:
        # Core rows straight from the connection: the ORM's row processing cost a second a year.
        conn = session.connection()
        cases = conn.execute(restrict_cases(ctx, _filtered(select(*_CASE_COLUMNS), f))
                             .order_by(Case.received_on, Case.id)).all()
        if not cases:
            return []
        ids = restrict_cases(ctx, _filtered(select(Case.id), f)).scalar_subquery()
        return _rows(conn, cases, ids)


def _rows(conn: Any, cases: list[Any], ids: Any) -> list[LedgerCase]:
    regions = dict(conn.execute(select(Region.id, Region.name)).all())
    orgs = dict(conn.execute(select(Organization.id, Organization.name)).all())
    parties: dict[int, list[str]] = {}
    for case_id, name in conn.execute(select(CaseParty.case_id, CaseParty.name)
                                      .where(CaseParty.case_id.in_(ids))
                                      .order_by(CaseParty.case_id, CaseParty.seq)):
        parties.setdefault(case_id, []).append(name)
    mediators: dict[int, list[str]] = {}
    for case_id, name in conn.execute(select(CaseMediator.case_id, Mediator.name)
                                      .join(Mediator, Mediator.id == CaseMediator.mediator_id)
                                      .where(CaseMediator.case_id.in_(ids))
                                      .order_by(CaseMediator.case_id, CaseMediator.seq)):
        mediators.setdefault(case_id, []).append(name)
    outcome = dict(conn.execute(
        select(TimelineEvent.case_id, TimelineEvent.action)
        .where(TimelineEvent.case_id.in_(ids), TimelineEvent.action.in_(_OUTCOMES))
        .order_by(TimelineEvent.case_id, TimelineEvent.seq)).all())  # the last one wins
    agreements = {case_id: (form, fen) for case_id, form, fen in conn.execute(
        select(Agreement.case_id, Agreement.form, Agreement.amount_fen).where(Agreement.case_id.in_(ids)))}
    performance = dict(conn.execute(
        select(Performance.case_id, Performance.result).where(Performance.case_id.in_(ids))
        .order_by(Performance.case_id, Performance.on, Performance.id)).all())
    visits = {case_id: (on, method, satisfaction) for case_id, on, method, satisfaction in conn.execute(
        select(FollowUp.case_id, FollowUp.on, FollowUp.method, FollowUp.satisfaction)
        .where(FollowUp.case_id.in_(ids)).order_by(FollowUp.case_id, FollowUp.on, FollowUp.id))}
    advisors = _advisors(conn)
    rows = []
    for c in cases:
        form, fen = agreements.get(c.id, (None, None))
        visit_on, visit_method, visit_satisfaction = visits.get(c.id, (None, None, None))
        rows.append(LedgerCase(
            number=c.number, received_on=c.received_on, accepted_on=c.accepted_on,
            category=c.category, parties=parties.get(c.id, []), village=regions.get(c.village_id, ""),
            grid=regions.get(c.grid_id) if c.grid_id else None, summary=c.summary, source=c.source,
            organization=orgs.get(c.organization_id, ""), mediators=mediators.get(c.id, []),
            level=c.level, risk_level=c.risk_level, risk_flags=c.risk_flags, status=c.status,
            outcome=outcome.get(c.id), agreement_form=form, agreement_fen=fen,
            performance=performance.get(c.id), follow_up_on=visit_on, follow_up_method=visit_method,
            follow_up_satisfaction=visit_satisfaction, closed_on=c.closed_on,
            advisor=_advisor_on(advisors, c.village_id, c.received_on)))
    return rows


def _advisors(conn: Any) -> dict[int, list[tuple[date, date, bool, str]]]:
    by_village: dict[int, list[tuple[date, date, bool, str]]] = {}
    for village_id, start, end, primary, name in conn.execute(
            select(AdvisorAppointment.village_id, AdvisorAppointment.start, AdvisorAppointment.end,
                   AdvisorAppointment.is_primary, Advisor.name)
            .join(Advisor, Advisor.id == AdvisorAppointment.advisor_id)):
        by_village.setdefault(village_id, []).append((start, end, primary, name))
    return by_village


def _advisor_on(advisors: dict[int, list[tuple[date, date, bool, str]]], village_id: int,
                on: date) -> str | None:
    """The village's legal advisor on that day (the primary one when there are several)."""
    running = [a for a in advisors.get(village_id, []) if a[0] <= on <= a[1]]
    running.sort(key=lambda a: (not a[2], a[0]))
    return running[0][3] if running else None


@requires(Permission.CASE_READ)
def describe_filter(ctx: ServiceContext, f: CaseFilter) -> str:
    """The filter in words, for the ledger's subtitle (全部案件 when there is none)."""
    parts = []
    if f.date_from or f.date_to:
        parts.append(f"收案日期：{f.date_from.isoformat() if f.date_from else '不限'}至"
                     f"{f.date_to.isoformat() if f.date_to else '不限'}")
    if f.status:
        parts.append("状态：" + "、".join(CaseStatus(s).label for s in f.status))
    for value, enum, title in ((f.track, Track, "调解类型"), (f.category, Category, "纠纷类型"),
                               (f.level, Level, "处理层级"), (f.risk_level, RiskLevel, "风险等级")):
        if value:
            parts.append(f"{title}：{enum(value).label}")
    with ctx.read() as session:
        for region_id in (f.township_id, f.village_id, f.grid_id):
            if region_id:
                region = session.get(Region, region_id)
                parts.append(f"区域：{region.name}" if region else "")
        if f.village_code:
            region = session.exec(select(Region).where(Region.code == f.village_code)).first()
            parts.append(f"村（社区）：{region.name if region else f.village_code}")
        if f.organization_id:
            org = session.get(Organization, f.organization_id)
            parts.append(f"调解组织：{org.name if org else f.organization_id}")
        if f.mediator_id:
            m = session.get(Mediator, f.mediator_id)
            parts.append(f"调解员：{m.name if m else f.mediator_id}")
    if f.overdue_on:
        parts.append("仅逾期案件")
    if f.text:
        parts.append(f"关键词：{f.text}")
    parts = [p for p in parts if p]
    return "；".join(parts) if parts else "全部案件"


@requires(Permission.DATA_EXPORT)
def export_ledger(ctx: ServiceContext, f: CaseFilter, target: str | Path | IO[bytes]) -> int:
    """Write the 台账 of the filtered cases to an .xlsx file; returns how many cases it holds.

    The export holds parties' names, so it is recorded in the audit log.
    """
    from mediator.reporting.ledger_xlsx import write_ledger
    from mediator.services import audit
    from mediator.services.reports.statistics import office_name

    cases = ledger_cases(ctx, f)
    description = describe_filter(ctx, f)
    write_ledger(cases, target, office=office_name(ctx), description=description, made_on=ctx.today())
    audit.log(ctx, "export", f"台账 {len(cases)}件", {"kind": "ledger", "filter": description})
    return len(cases)
