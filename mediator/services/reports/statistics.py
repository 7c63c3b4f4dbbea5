"""Statistics reports and the 台账: grouped counts from the database, handed to ``reporting``.

Every count runs as one ``GROUP BY`` in the database (by organisation and the breakdown), so a
year of 100,000 cases reads a few hundred rows, not 100,000 cases.

Which cases count (the period's days both included; the scope on the case's village or its
organisation; a transferred case counts at the organisation and on the track that hold it now):

- ``received`` (纠纷受理数): cases whose received date (收案日期) lies in the period, except those
  not accepted (不予受理: counted apart, as ``rejected``); ``by_source``, ``by_category``,
  ``by_track``, ``by_level`` break those cases down (every code present).
- ``succeeded``: cases whose agreement (written or oral) was reached in the period
  (= ``agreements_written`` + ``agreements_oral``); ``agreement_amount_yuan`` is the sum of those
  agreements' amounts, a decimal string with two places.
- ``failed`` / ``withdrawn`` / ``rejected``: cases with a 调解不成 / 撤回 / 不予受理 step dated in
  the period (each case once per measure).
- ``success_rate``: succeeded ÷ (succeeded + failed + withdrawn) of the period, four places, or
  null when no mediation ended in it.
- ``performed``: cases whose full performance (全部履行) was recorded in the period;
  ``performed_partial`` / ``performed_none`` the same for partial and no performance.
- ``judicial_confirmation_applied``: applications for 司法确认 made in the period;
  ``judicial_confirmed``: confirmations the court ruled valid in the period.
- ``follow_ups``: follow-up visits made in the period; ``satisfaction`` by answer.
- ``prevented_criminal``: agreements reached in the period on cases flagged ``criminal`` (民转刑);
  ``prevented_group_petition``: on cases flagged ``group`` and ``petition`` (群体性上访);
  ``prevented_group_fight``: on cases flagged ``group`` without ``petition`` (群体性械斗);
  each with ``*_people``, the people those cases involve.
- ``transfers``: 移送 steps dated in the period, by the track left and the track entered.
- ``screenings`` (排查次数): screening rounds held in the period (by the organisation that
  screened, the scope on the round's village); ``screening_found`` (排查发现纠纷数): their
  findings that are disputes, registered as cases or headed off; ``screening_prevented``
  (预防纠纷数): those headed off (预防). A 预防 record's flags add to ``prevented_*`` (and give
  ``prevented_suicide``, 防止民间纠纷引起自杀), with its people.

A period without any of these gives the zero report (零上报), never an error.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import IO, Any

import sqlalchemy as sa
from sqlmodel import Session, func, select

from mediator.domain.enums import CaseStatus, ConfirmationResult, PerformanceResult, RegionLevel
from mediator.domain.errors import NotFoundError
from mediator.domain.lifecycle import Action
from mediator.domain.screening import FindingKind, RoundStatus, parse_flags
from mediator.reporting.present import Line, anchor_line, report_lines, to_json
from mediator.reporting.stats import (
    QUARTERS,
    AgreementRow,
    CountRow,
    FlaggedAgreementRow,
    FollowUpRow,
    Period,
    PreventionRow,
    ReceivedRow,
    StatsReport,
    TransferRow,
    Unit,
    aggregate,
)
from mediator.services import audit
from mediator.services.access import case_condition
from mediator.services.context import ServiceContext
from mediator.services.permissions import Permission, requires
from mediator.services.screening.rows import round_condition
from mediator.store.models import (
    Agreement,
    Case,
    FollowUp,
    JudicialConfirmation,
    Organization,
    Performance,
    Region,
    ScreeningFinding,
    ScreeningRound,
    TimelineEvent,
)


@dataclass(frozen=True)
class ReportScope:
    """Whom a report covers: everything, a county or township (by the cases' villages), or one
    organisation (the cases it holds)."""

    kind: str = "all"  # all | county | township | organization
    id: int | None = None
    name: str = "全部"
    depth: int = field(default=0, compare=False)  # in the picker's tree: 0 全部 and counties

    @property
    def key(self) -> str:
        return self.kind if self.id is None else f"{self.kind}:{self.id}"


ALL = ReportScope()


def case_in_scope(scope: ReportScope) -> Any:
    """A SQL condition on ``Case`` for the scope."""
    return in_scope(scope, Case.organization_id, Case.village_id)


def in_scope(scope: ReportScope, organization: Any, village: Any) -> Any:
    """A SQL condition for the scope on any row with an organisation and a village column."""
    if scope.kind == "organization":
        return organization == scope.id
    if scope.kind == "township":
        return village.in_(select(Region.id).where(Region.parent_id == scope.id))
    if scope.kind == "county":
        townships = select(Region.id).where(Region.parent_id == scope.id)
        return village.in_(select(Region.id).where(Region.parent_id.in_(townships)))
    return sa.true()


def visible_in_scope(ctx: ServiceContext, scope: ReportScope) -> Any:
    """``case_in_scope``, limited to the cases the user may see (``case_scope``)."""
    condition = case_condition(ctx)
    where = case_in_scope(scope)
    return where if condition is None else sa.and_(where, condition)


@requires(Permission.REPORT)
def scope_choices(ctx: ServiceContext) -> list[ReportScope]:
    """全部, then a tree of the active places: each county, its own organisations, then each of its
    townships followed by the organisations in it (at the township or one of its villages).

    ``depth`` says how deep each sits (全部 and counties 0, townships and county organisations 1,
    township organisations 2).
    """
    with ctx.read() as session:
        regions = {r.id: r for r in session.exec(select(Region).where(Region.active == True))}  # noqa: E712
        orgs = list(session.exec(select(Organization).where(Organization.active == True)  # noqa: E712
                                 .order_by(Organization.id)))

    def ancestor(region_id: int | None, level: RegionLevel) -> Region | None:
        region = regions.get(region_id) if region_id is not None else None
        while region is not None and region.level != level.value:
            region = regions.get(region.parent_id) if region.parent_id is not None else None
        return region

    by_place: dict[int | None, list[Organization]] = {}
    for org in orgs:
        township = ancestor(org.region_id, RegionLevel.TOWNSHIP)
        place = township or ancestor(org.region_id, RegionLevel.COUNTY)
        by_place.setdefault(place.id if place is not None else None, []).append(org)

    def key(r: Region) -> tuple[str, str]:
        return (r.code or "", r.name)

    scopes = [ALL]
    for county in sorted((r for r in regions.values() if r.level == RegionLevel.COUNTY.value), key=key):
        scopes.append(ReportScope(county.level, county.id, county.name, 0))
        scopes += [ReportScope("organization", o.id, o.name, 1) for o in by_place.get(county.id, [])]
        for township in sorted((r for r in regions.values() if r.level == RegionLevel.TOWNSHIP.value
                                and r.parent_id == county.id), key=key):
            scopes.append(ReportScope(township.level, township.id, township.name, 1))
            scopes += [ReportScope("organization", o.id, o.name, 2) for o in by_place.get(township.id, [])]
    scopes += [ReportScope("organization", o.id, o.name, 0) for o in by_place.get(None, [])]
    return scopes


@requires(Permission.REPORT)
def organization_scope(ctx: ServiceContext, name: str) -> ReportScope:
    """The scope of the organisation with this name (NotFoundError otherwise)."""
    with ctx.read() as session:
        org = session.exec(select(Organization).where(Organization.name == name)).first()
    if org is None:
        raise NotFoundError(f"调解组织“{name}”不存在")
    return ReportScope("organization", org.id, org.name)


@requires(Permission.REPORT)
def region_scope(ctx: ServiceContext, code_or_name: str) -> ReportScope:
    """The scope of a county or township given by its 12-digit code or its name."""
    with ctx.read() as session:
        region = session.exec(
            select(Region).where(sa.or_(Region.code == code_or_name, Region.name == code_or_name),
                                 Region.level.in_([RegionLevel.COUNTY.value, RegionLevel.TOWNSHIP.value]))
        ).first()
    if region is None:
        raise NotFoundError(f"找不到县或乡镇（街道）“{code_or_name}”")
    return ReportScope(region.level, region.id, region.name)


def _scope_label(session: Session, scope: ReportScope) -> str:
    if scope.kind != "all":
        return scope.name
    counties = list(session.exec(select(Region.name).where(Region.level == RegionLevel.COUNTY.value)))
    return counties[0] if len(counties) == 1 else "全部"


# --- the statistics -------------------------------------------------------------------------------

@requires(Permission.REPORT)
def period_stats(ctx: ServiceContext, period: Period, scope: ReportScope = ALL) -> StatsReport:
    """The statistics of ``period`` for ``scope`` (what each figure counts: see the module)."""
    period.check()
    lo, hi = period.date_from, period.date_to
    where = visible_in_scope(ctx, scope)
    with ctx.read() as session:
        received_on = Case.received_on  # a range of ix_case_stats_received, which covers the query
        received = [ReceivedRow(org, source, category, track, level, n, people)
                    for source, category, track, level, org, n, people in session.exec(
            select(Case.source, Case.category, Case.track, Case.level, Case.organization_id,
                   func.count(), func.coalesce(func.sum(Case.people_involved), 0))
            .where(received_on >= lo, received_on <= hi, Case.status != CaseStatus.REJECTED.value, where)
            .group_by(Case.source, Case.category, Case.track, Case.level, Case.organization_id))]
        agreements, flagged = [], []
        for form, flags, org, n, fen, people in session.exec(
                select(Agreement.form, Case.risk_flags, Case.organization_id, func.count(),
                       func.coalesce(func.sum(Agreement.amount_fen), 0),
                       func.coalesce(func.sum(Case.people_involved), 0))
                .select_from(Agreement).join(Case, Case.id == Agreement.case_id)
                .where(Agreement.signed_on >= lo, Agreement.signed_on <= hi, where)
                .group_by(Agreement.form, Case.risk_flags, Case.organization_id)):
            agreements.append(AgreementRow(org, form, n, fen))
            if flags:
                flagged.append(FlaggedAgreementRow(org, flags, n, people))
        counts = _outcomes(session, lo, hi, where) + _performance(session, lo, hi, where) \
            + _confirmations(session, lo, hi, where)
        visits = [FollowUpRow(*row) for row in session.exec(
            select(Case.organization_id, FollowUp.satisfaction, func.count())
            .join(Case, Case.id == FollowUp.case_id)
            .where(FollowUp.on >= lo, FollowUp.on <= hi, where)
            .group_by(FollowUp.satisfaction, Case.organization_id))]
        transfers = _transfers(session, lo, hi, scope, case_condition(ctx))
        screened, preventions = _screening(ctx, session, lo, hi, scope)
        counts += screened
        unit_ids = {r.unit_id for r in [*received, *agreements, *flagged, *counts, *visits, *preventions]}
        if scope.kind == "organization" and scope.id is not None:
            unit_ids.add(scope.id)
        units = [Unit(o.id, o.name, o.kind) for o in session.exec(
            select(Organization).where(Organization.id.in_(unit_ids)))] if unit_ids else []
        label = _scope_label(session, scope)
        anchor = str(audit.head_in(session))  # read with the figures: the head they were counted at
    report = aggregate(period, label, units, received=received, agreements=agreements,
                       flagged=flagged, counts=counts, follow_ups=visits, transfers=transfers,
                       preventions=preventions)
    return replace(report, audit_anchor=anchor)


def round_in_scope(scope: ReportScope) -> Any:
    """``case_in_scope`` for screening rounds: the organisation that screened, or the round's village."""
    return in_scope(scope, ScreeningRound.organization_id, ScreeningRound.village_id)


def _screening(ctx: ServiceContext, session: Session, lo: date, hi: date,
               scope: ReportScope) -> tuple[list[CountRow], list[PreventionRow]]:
    """Rounds held in the period, the disputes they found and those headed off; the 预防 flags."""
    r = ScreeningRound
    where = [r.status == RoundStatus.HELD.value, r.held_on >= lo, r.held_on <= hi, round_in_scope(scope)]
    visible = round_condition(session, ctx)
    if visible is not None:
        where.append(visible)
    counts = [CountRow(org, "screenings", n) for org, n in session.exec(
        select(r.organization_id, func.count()).where(*where).group_by(r.organization_id))]
    f = ScreeningFinding
    disputes = [FindingKind.CASE.value, FindingKind.PREVENTED.value]
    preventions: dict[tuple[int, str], list[int]] = {}
    for org, kind, flags, n, people in session.exec(
            select(r.organization_id, f.kind, f.flags, func.count(), func.coalesce(func.sum(f.people), 0))
            .join(r, r.id == f.round_id).where(f.kind.in_(disputes), *where)
            .group_by(r.organization_id, f.kind, f.flags)):
        counts.append(CountRow(org, "screening_found", n))
        if kind == FindingKind.PREVENTED.value:
            counts.append(CountRow(org, "screening_prevented", n))
            for flag in parse_flags(flags):
                total = preventions.setdefault((org, flag.value), [0, 0])
                total[0] += n
                total[1] += people
    return counts, [PreventionRow(org, kind, n, people) for (org, kind), (n, people) in preventions.items()]


def scan_friendly(session: Session, column: Any, period: Period) -> Any:
    """The date column to filter on. SQLite walks its date index row by row, which is slower
    than reading the whole table once when the period holds a large share of the cases, so for
    periods over a quarter the column is wrapped to keep the index out."""
    if session.get_bind().dialect.name == "sqlite" and (period.date_to - period.date_from).days > 92:
        return func.date(column, type_=sa.Date)
    return column


def _outcomes(session: Session, lo: date, hi: date, where: Any) -> list[CountRow]:
    measure = {Action.FAIL.value: "failed", Action.WITHDRAW.value: "withdrawn",
               Action.REJECT.value: "rejected"}
    rows = session.exec(
        select(Case.organization_id, TimelineEvent.action, func.count(sa.distinct(TimelineEvent.case_id)))
        .join(Case, Case.id == TimelineEvent.case_id)
        .where(TimelineEvent.action.in_(list(measure)), TimelineEvent.on >= lo, TimelineEvent.on <= hi,
               where)
        .group_by(TimelineEvent.action, Case.organization_id))
    return [CountRow(org, measure[action], n) for org, action, n in rows]


def _performance(session: Session, lo: date, hi: date, where: Any) -> list[CountRow]:
    measure = {PerformanceResult.FULL.value: "performed", PerformanceResult.PARTIAL.value: "performed_partial",
               PerformanceResult.NONE.value: "performed_none"}
    rows = session.exec(
        select(Case.organization_id, Performance.result, func.count(sa.distinct(Performance.case_id)))
        .join(Case, Case.id == Performance.case_id)
        .where(Performance.on >= lo, Performance.on <= hi, where)
        .group_by(Performance.result, Case.organization_id))
    return [CountRow(org, measure[result], n) for org, result, n in rows if result in measure]


def _confirmations(session: Session, lo: date, hi: date, where: Any) -> list[CountRow]:
    applied = session.exec(
        select(Case.organization_id, func.count()).select_from(JudicialConfirmation)
        .join(Case, Case.id == JudicialConfirmation.case_id)
        .where(JudicialConfirmation.applied_on >= lo, JudicialConfirmation.applied_on <= hi, where)
        .group_by(Case.organization_id))
    confirmed = session.exec(
        select(Case.organization_id, func.count()).select_from(JudicialConfirmation)
        .join(Case, Case.id == JudicialConfirmation.case_id)
        .where(JudicialConfirmation.result == ConfirmationResult.CONFIRMED.value,
               JudicialConfirmation.ruled_on >= lo, JudicialConfirmation.ruled_on <= hi, where)
        .group_by(Case.organization_id))
    return ([CountRow(org, "judicial_confirmation_applied", n) for org, n in applied]
            + [CountRow(org, "judicial_confirmed", n) for org, n in confirmed])


def _transfers(session: Session, lo: date, hi: date, scope: ReportScope,
               visible: Any = None) -> list[TransferRow]:
    """移送 steps in the period, counted by the track left and the track entered, in SQL.

    The track a case left is the one its previous register or transfer step put it on (``lag``
    over the case's steps); an organisation's report shows the moves leaving or entering it.
    """
    data = TimelineEvent.data
    track = func.coalesce(func.nullif(data["to_track"].as_string(), ""),
                          func.nullif(data["track"].as_string(), ""), "")
    moved = (select(TimelineEvent.case_id).join(Case, Case.id == TimelineEvent.case_id)
             .where(TimelineEvent.action == Action.TRANSFER.value, TimelineEvent.on >= lo, TimelineEvent.on <= hi))
    if scope.kind != "organization":
        moved = moved.where(case_in_scope(scope))
    if visible is not None:  # the user's case scope
        moved = moved.where(visible)
    steps = (select(TimelineEvent.action, TimelineEvent.on, track.label("track"),
                    func.lag(track).over(partition_by=TimelineEvent.case_id, order_by=TimelineEvent.seq)
                    .label("before"),
                    data["to_organization"].as_string().label("to_org"),
                    data["_from_organization_id"].as_integer().label("from_org"))
             .where(TimelineEvent.case_id.in_(moved),
                    TimelineEvent.action.in_([Action.REGISTER.value, Action.TRANSFER.value]))
             .subquery())
    stmt = (select(func.coalesce(steps.c.before, steps.c.track), steps.c.track, func.count())
            .where(steps.c.action == Action.TRANSFER.value, steps.c.on >= lo, steps.c.on <= hi))
    if scope.kind == "organization":
        stmt = stmt.where(sa.or_(steps.c.from_org == scope.id, steps.c.to_org == scope.name))
    stmt = stmt.group_by(func.coalesce(steps.c.before, steps.c.track), steps.c.track)
    return [TransferRow(from_track, to_track, n) for from_track, to_track, n in session.execute(stmt)]


@requires(Permission.REPORT)
def stats_json(ctx: ServiceContext, period: Period, scope: ReportScope = ALL) -> dict[str, Any]:
    """The statistics as ``mediator-cli report stats --json`` prints them (the CLI adds the
    化解层级 of ``reports/resolution.py`` as ``resolved_by_level``)."""
    return to_json(period_stats(ctx, period, scope))


def office_name(ctx: ServiceContext, fallback: str = "") -> str:
    """The office named in the settings (填报单位), else ``fallback``."""
    from mediator.services.settings import get_setting

    return str(get_setting(ctx, "office.name") or "").strip() or fallback


@requires(Permission.DATA_EXPORT)
def export_report(ctx: ServiceContext, period: Period, scope: ReportScope,
                  target: str | Path | IO[bytes]) -> StatsReport:
    """Write the official statistics table of the period to an .xlsx file; returns the report."""
    from mediator.reporting.xlsx import write_report

    report = period_stats(ctx, period, scope)
    write_report(report, target, office=office_name(ctx, report.scope), filled_on=ctx.today())
    audit.log(ctx, "export", f"统计表 {report.scope} {period.label}",
              {"kind": "report", "from": period.date_from.isoformat(), "to": period.date_to.isoformat(),
               "scope": scope.key})
    return report


__all__ = ["ALL", "QUARTERS", "Line", "Period", "ReportScope", "StatsReport", "anchor_line", "case_in_scope",
           "export_report", "office_name", "organization_scope", "period_stats", "region_scope",
           "report_lines", "scope_choices", "stats_json", "to_json"]

