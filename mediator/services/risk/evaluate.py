"""Which rules a case hits, and the warnings the hits raise (one open warning per case and rule).

``evaluate_case`` runs inside the use case that changed the case (registration, a step, a
record, a failed mediation: ``cases.lifecycle._written``); ``scan_risks`` runs the time-based
rule (no step for N days) over every office's high-risk cases, daily with the reminder scan and
on demand. Both read plain columns; nothing loads a case as an ORM object.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, func, select

from mediator.domain.enums import OPEN_STATUSES, CaseStatus, RiskLevel
from mediator.domain.risk_rules import RiskRule, RuleKind, matched_words
from mediator.services.context import ServiceContext
from mediator.services.office_scope import office_of
from mediator.services.permissions import Permission, requires
from mediator.services.risk.rules import rules_in
from mediator.store.models import Case, CaseParty, MediationSession, RiskAlert, TimelineEvent

_OPEN = [s.value for s in OPEN_STATUSES]


@dataclass(frozen=True)
class Hit:
    """A rule that holds for a case since a day, and why (the warning's detail)."""

    case_id: int
    rule: RuleKind
    level: RiskLevel
    since: date
    detail: str


def _repeat(session: Session, case, rule: RiskRule) -> Hit | None:
    """Another case of one of its people received within N days before it (or the same day)."""
    mine = sa.alias(CaseParty.__table__, "mine")
    other = sa.alias(CaseParty.__table__, "other")
    row = session.execute(
        sa.select(Case.number, Case.received_on, mine.c.name)
        .select_from(mine.join(other, sa.and_(other.c.person_id == mine.c.person_id,
                                              other.c.case_id != mine.c.case_id))
                     .join(Case.__table__, Case.id == other.c.case_id))
        .where(mine.c.case_id == case.id, mine.c.person_id.is_not(None),
               Case.received_on <= case.received_on,
               Case.received_on >= case.received_on - timedelta(days=rule.number))
        .order_by(Case.received_on.desc()).limit(1)).first()
    if row is None:
        return None
    return Hit(case.id, rule.kind, rule.level, case.received_on,
               f"当事人{row.name}在{rule.number}天内另有纠纷：{row.number}（{row.received_on.isoformat()}受理）")


def _group(session: Session, case, rule: RiskRule) -> Hit | None:
    parties = session.exec(select(func.count()).select_from(CaseParty).where(CaseParty.case_id == case.id)).one()
    people = max(case.people_involved or 0, parties)
    if people < rule.number:
        return None
    return Hit(case.id, rule.kind, rule.level, case.received_on, f"涉及{people}人（达到{rule.number}人）")


def _words(session: Session, case, rule: RiskRule) -> Hit | None:
    """The words in the summary or requests (since the case was received), else in a record."""
    found = matched_words(f"{case.summary}\n{case.requests}", rule.words)
    if found:
        return Hit(case.id, rule.kind, rule.level, case.received_on, "案情含：" + "、".join(found))
    records = session.execute(select(MediationSession.on, MediationSession.record)
                              .where(MediationSession.case_id == case.id)
                              .order_by(MediationSession.on, MediationSession.id)).all()
    for on, text in records:
        found = matched_words(text, rule.words)
        if found:
            return Hit(case.id, rule.kind, rule.level, on,
                       f"{on.isoformat()}调解笔录含：" + "、".join(found))
    return None


def _stalled_hit(case_id: int, last_step: date, rule: RiskRule, today: date) -> Hit | None:
    since = last_step + timedelta(days=rule.number)
    if since > today:
        return None
    return Hit(case_id, rule.kind, rule.level, since,
               f"高风险案件已{(today - last_step).days}天无新步骤（最近一步{last_step.isoformat()}）")


def _stalled(session: Session, case, rule: RiskRule, today: date) -> Hit | None:
    if case.risk_level != RiskLevel.HIGH or case.status not in _OPEN:
        return None
    last = session.exec(select(func.max(TimelineEvent.on)).where(TimelineEvent.case_id == case.id)).one()
    return _stalled_hit(case.id, last or case.received_on, rule, today)


def _failed(case, rule: RiskRule) -> Hit | None:
    if case.risk_level != RiskLevel.HIGH or case.status != CaseStatus.FAILED:
        return None
    return Hit(case.id, rule.kind, rule.level, case.closed_on or case.received_on,
               "高风险案件调解终止" + (f"（{case.closed_on.isoformat()}）" if case.closed_on else ""))


def case_hits(session: Session, case_id: int, rules: tuple[RiskRule, ...], today: date) -> list[Hit]:
    """Every enabled rule the case hits as of ``today``."""
    case = session.execute(select(Case.id, Case.status, Case.risk_level, Case.received_on, Case.closed_on,
                                  Case.summary, Case.requests, Case.people_involved)
                           .where(Case.id == case_id)).first()
    if case is None:
        return []
    hits = []
    for rule in rules:
        if not rule.enabled:
            continue
        hit = {RuleKind.REPEAT: lambda r: _repeat(session, case, r),
               RuleKind.GROUP: lambda r: _group(session, case, r),
               RuleKind.WORDS: lambda r: _words(session, case, r),
               RuleKind.STALLED: lambda r: _stalled(session, case, r, today),
               RuleKind.FAILED: lambda r: _failed(case, r)}[rule.kind](rule)
        if hit is not None:
            hits.append(hit)
    return hits


def raise_alerts(ctx: ServiceContext, session: Session, hits: list[Hit]) -> list[int]:
    """A warning per hit, unless its (case, rule) has one open or this very hit was handled.

    A handled warning comes back only when the condition begins anew (a later ``since``).
    """
    if not hits:
        return []
    case_ids = sorted({h.case_id for h in hits})
    known = []
    for i in range(0, len(case_ids), _CHUNK):
        known += session.execute(select(RiskAlert.case_id, RiskAlert.rule, RiskAlert.since, RiskAlert.acknowledged_at)
                                 .where(RiskAlert.case_id.in_(case_ids[i:i + _CHUNK]))).all()
    open_pairs = {(r.case_id, r.rule) for r in known if r.acknowledged_at is None}
    seen = {(r.case_id, r.rule, r.since) for r in known}
    rows = []
    for hit in hits:
        if (hit.case_id, hit.rule.value) in open_pairs or (hit.case_id, hit.rule.value, hit.since) in seen:
            continue
        open_pairs.add((hit.case_id, hit.rule.value))
        rows.append({"case_id": hit.case_id, "rule": hit.rule.value, "level": hit.level.value, "since": hit.since,
                     "detail": hit.detail[:500], "raised_at": ctx.now(), "acknowledged_by": None,
                     "acknowledged_at": None, "follow_up_by": "", "follow_up": ""})
    return _insert_new(session, rows)


_CHUNK = 500


def _insert_new(session: Session, rows: list[dict]) -> list[int]:
    """Insert the warnings in a few statements; one another client raised at the same moment
    (same case, rule and since) is skipped, theirs stands. Returns the new ids."""
    insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    table = RiskAlert.__table__
    added: list[int] = []
    for i in range(0, len(rows), _CHUNK):
        stmt = (insert(table).values(rows[i:i + _CHUNK])
                .on_conflict_do_nothing(index_elements=["case_id", "rule", "since"]).returning(table.c.id))
        added += session.execute(stmt).scalars().all()
    return sorted(added)


def _office_rules(session: Session, organization_id: int, cache: dict[int, tuple[RiskRule, ...]]):
    if organization_id not in cache:
        cache[organization_id] = rules_in(session, office_of(session, organization_id))
    return cache[organization_id]


def evaluate_case(ctx: ServiceContext, session: Session, case_id: int) -> list[int]:
    """The warnings a change of the case raises (inside the use case's transaction)."""
    organization_id = session.execute(select(Case.organization_id).where(Case.id == case_id)).scalar()
    if organization_id is None:
        return []
    rules = _office_rules(session, organization_id, {})
    return raise_alerts(ctx, session, case_hits(session, case_id, rules, ctx.today()))


@requires(Permission.CASE_READ)
def scan_risks(ctx: ServiceContext, today: date | None = None) -> list[int]:
    """The time-based rule over every office: high-risk cases in hand without a step for N days.

    Returns the ids of the warnings raised (none twice: re-scans find the same hits).
    Every logged-in role's scan runs it; the warnings are derived data, shown by each one's scope.
    """
    today = today or ctx.today()
    with ctx.transaction() as session:
        candidates = (Case.risk_level == RiskLevel.HIGH.value, Case.status.in_(_OPEN))
        # The rules of the organisations that hold such cases only (a county has hundreds).
        orgs = session.execute(select(Case.organization_id).where(*candidates).distinct()).scalars().all()
        cache: dict[int, tuple[RiskRule, ...]] = {}
        by_org = {org: next(r for r in _office_rules(session, org, cache) if r.kind is RuleKind.STALLED)
                  for org in orgs}
        enabled = [r for r in by_org.values() if r.enabled]
        if not enabled:
            return []
        # The shortest N bounds the query; each case is then held to its own office's N.
        shortest = min(r.number for r in enabled)
        last_step = func.max(TimelineEvent.on)
        rows = session.execute(
            select(Case.id, Case.organization_id, last_step.label("last_step"))
            .join(TimelineEvent, TimelineEvent.case_id == Case.id)
            .where(*candidates)
            .group_by(Case.id, Case.organization_id)
            .having(last_step <= today - timedelta(days=shortest))).all()
        hits = []
        for row in rows:
            rule = by_org.get(row.organization_id)
            if rule is not None and rule.enabled:
                hit = _stalled_hit(row.id, row.last_step, rule, today)
                if hit is not None:
                    hits.append(hit)
        return raise_alerts(ctx, session, hits)
