"""Read models: the case list with its filters, one case in full, and open deadlines."""
from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import ARRAY
from sqlmodel import Session, func, select

from mediator.domain.case_detail import (
    AgreementDetail,
    CaseDetail,
    ConfirmationDetail,
    DeadlineEntry,
    EarlierCaseRef,
    FollowUpRecord,
    PartyDetail,
    PerformanceRecord,
    RiskDetail,
    SessionRecord,
    SupplementRecord,
    TimelineEntry,
)
from mediator.domain.enums import (
    CaseStatus,
    Category,
    DeadlineKind,
    DeadlineState,
    Level,
    RiskLevel,
    Source,
    Track,
    TrackDetail,
)
from mediator.domain.errors import NotFoundError
from mediator.domain.lifecycle import Action, allowed_actions
from mediator.domain.validators import fen_to_yuan
from mediator.services.access import case_condition, check_case_visible, restrict_cases
from mediator.services.cases.personal_data import protect_parties
from mediator.services.cases.search import matching_ids, text_condition
from mediator.services.context import ServiceContext
from mediator.services.permissions import Permission, requires
from mediator.store.models import (
    Agreement,
    AgreementTerm,
    Case,
    CaseDeadline,
    CaseLink,
    CaseMediator,
    CaseParty,
    FollowUp,
    JudicialConfirmation,
    MediationSession,
    Mediator,
    Organization,
    Performance,
    Region,
    SupplementaryAgreement,
    TimelineEvent,
)


@dataclass
class CaseFilter:
    """Filters of the case list; every one runs in the database."""

    status: list[str] = field(default_factory=list)
    track: str | None = None
    category: str | None = None
    village_code: str | None = None
    village_id: int | None = None
    grid_id: int | None = None
    township_id: int | None = None
    level: str | None = None
    risk_level: str | None = None
    mediator_id: int | None = None
    organization_id: int | None = None
    date_from: date | None = None
    date_to: date | None = None
    overdue_on: date | None = None  # only cases with a deadline overdue on that day
    text: str | None = None  # case number, party name, phone or words of the summary


@dataclass(frozen=True)
class CaseRow:
    id: int
    ref: str | None
    number: str
    track: str
    status: str
    category: str
    level: str
    risk_level: str
    received_on: date
    summary: str
    village: str
    organization: str
    parties: str
    version: int


def _filtered(stmt, f: CaseFilter, *, counting: bool = False):
    """``stmt`` with the filters of ``f``; ``counting``: for a count, which has no order to walk."""
    c = Case
    if f.status:
        stmt = stmt.where(c.status.in_(f.status))
    if f.track:
        stmt = stmt.where(c.track == f.track)
    if f.category:
        stmt = stmt.where(c.category == f.category)
    if f.village_id:
        stmt = stmt.where(c.village_id == f.village_id)
    if f.village_code:
        village = select(Region.id).where(Region.code == f.village_code).scalar_subquery()
        stmt = stmt.where(c.village_id == village)
    if f.township_id:
        stmt = stmt.where(c.village_id.in_(select(Region.id).where(Region.parent_id == f.township_id)))
    if f.grid_id:
        stmt = stmt.where(c.grid_id == f.grid_id)
    if f.level:
        stmt = stmt.where(c.level == f.level)
    if f.risk_level:
        stmt = stmt.where(c.risk_level == f.risk_level)
    if f.organization_id:
        stmt = stmt.where(c.organization_id == f.organization_id)
    if f.mediator_id:
        stmt = stmt.where(c.id.in_(select(CaseMediator.case_id).where(CaseMediator.mediator_id == f.mediator_id)))
    if f.date_from:
        stmt = stmt.where(c.received_on >= f.date_from)
    if f.date_to:
        stmt = stmt.where(c.received_on <= f.date_to)
    if f.overdue_on:
        # “id + 0”: a fifth of all cases are overdue; walking the list's order and checking each
        # case against the set is three times faster than fetching every one of them and sorting.
        # A count has no order: it looks the overdue cases up by id instead of walking every case.
        member = c.id if counting else c.id + 0
        stmt = stmt.where(member.in_(select(CaseDeadline.case_id).where(
            CaseDeadline.state == DeadlineState.OPEN.value, CaseDeadline.due < f.overdue_on)))
    if f.text and f.text.strip():
        found = text_condition(f.text)  # the FTS5 / trigram index of services/search.py
        if found is not None:
            stmt = stmt.where(found)
    return stmt


def _in_order(column, members) -> sa.Case:
    """Sort codes in the order people think of them (the enum's order), not alphabetically."""
    return sa.case({m.value: i for i, m in enumerate(members)}, value=column, else_=len(members))


SORTABLE = {"received_on": Case.received_on, "number": Case.number,
            "status": _in_order(Case.status, CaseStatus),
            "category": _in_order(Case.category, Category), "level": _in_order(Case.level, Level),
            "track": _in_order(Case.track, Track), "risk_level": _in_order(Case.risk_level, RiskLevel),
            "id": Case.id}


@requires(Permission.CASE_READ)
def count_cases(ctx: ServiceContext, f: CaseFilter) -> int:
    with ctx.read() as session:
        if f.overdue_on and replace(f, overdue_on=None) == CaseFilter() and case_condition(ctx) is None:
            # Only 逾期, seen whole: counted on the deadline index alone, no case row read.
            return session.exec(select(func.count(sa.distinct(CaseDeadline.case_id))).where(
                CaseDeadline.state == DeadlineState.OPEN.value, CaseDeadline.due < f.overdue_on)).one()
        stmt = restrict_cases(ctx, _filtered(select(func.count()).select_from(Case), f, counting=True))
        return session.exec(stmt).one()


@requires(Permission.CASE_READ)
def list_cases(ctx: ServiceContext, f: CaseFilter, *, offset: int = 0, limit: int = 200,
               sort: str = "received_on", descending: bool = True) -> list[CaseRow]:
    column = SORTABLE.get(sort, Case.received_on)
    order = [column.desc(), Case.id.desc()] if descending else [column.asc(), Case.id.asc()]
    with ctx.read() as session:
        # Two steps: the page's ids by filters and order (often from an index alone), then their
        # rows as plain columns (no Case objects); a sort never carries the summaries of every match.
        page = restrict_cases(ctx, _filtered(select(Case.id), f))  # an advisor: their villages only
        page = page.order_by(*order).offset(offset).limit(limit).correlate(None)
        stmt = (select(*_LIST_COLUMNS).select_from(Case)
                .join(Region, Region.id == Case.village_id)
                .join(Organization, Organization.id == Case.organization_id)
                .where(Case.id.in_(page)).order_by(*order))
        cases = list(session.exec(stmt))
        return _rows(session, cases)


# Above this many matches the page walks the sort's index probing the set (a few hundred rows to
# fill a page); below it, fetching the matches by id and sorting them is cheaper than the walk.
_DENSE_MATCHES = 3000


@requires(Permission.CASE_READ)
def searched_page(ctx: ServiceContext, f: CaseFilter, *, offset: int = 0, limit: int = 200,
                  sort: str = "received_on", descending: bool = True) -> tuple[list[CaseRow], int] | None:
    """A page of a text search with its total, the words' matches found once; None without words.

    The match ids are read once (SQLite: the FTS index; PostgreSQL: the trigram indexes) and
    handed back as one parameter (SQLite: a JSON array for ``json_each``; PostgreSQL: an int
    array for ``unnest``): the count and the page both come from that set.
    """
    with ctx.read() as session:
        dialect = session.get_bind().dialect.name
        matches = matching_ids(f.text, dialect)
        if matches is None:
            return None
        ids = list(session.execute(matches).scalars())
        if not ids:
            return [], 0
        if dialect == "sqlite":
            hits = select(func.json_each(json.dumps(ids)).table_valued("value").c.value)
        else:
            hits = select(func.unnest(sa.literal(ids, ARRAY(sa.Integer))))
        others = restrict_cases(ctx, _filtered(select(Case.id), replace(f, text=None)))
        total = len(ids) if others.whereclause is None else \
            session.execute(select(func.count()).select_from(others.where(Case.id.in_(hits)).subquery())).scalar_one()
        column = SORTABLE.get(sort, Case.received_on)
        order = [column.desc(), Case.id.desc()] if descending else [column.asc(), Case.id.asc()]
        member = Case.id + 0 if len(ids) > _DENSE_MATCHES else Case.id  # “+ 0”: walk the sort's index
        page = [row[0] for row in session.execute(
            others.where(member.in_(hits)).order_by(*order).offset(offset).limit(limit))]
        if not page:
            return [], total
        cases = list(session.exec(select(*_LIST_COLUMNS).select_from(Case)
                                  .join(Region, Region.id == Case.village_id)
                                  .join(Organization, Organization.id == Case.organization_id)
                                  .where(Case.id.in_(page)).order_by(*order)))
        return _rows(session, cases), total


_LIST_COLUMNS = (Case.id, Case.ref, Case.number, Case.track, Case.status, Case.category, Case.level,
                 Case.risk_level, Case.received_on, Case.summary, Region.name, Organization.name,
                 Case.version)


def _rows(session: Session, cases: list[Any]) -> list[CaseRow]:
    if not cases:
        return []
    names: dict[int, list[str]] = {}
    for case_id, name in session.exec(select(CaseParty.case_id, CaseParty.name)
                                      .where(CaseParty.case_id.in_([c[0] for c in cases]))
                                      .order_by(CaseParty.seq)):
        names.setdefault(case_id, []).append(name)
    # Rows of _LIST_COLUMNS, unpacked by position (a named lookup per field costs more than the query).
    return [CaseRow(i, ref, number, track, status, category, level, risk, received, summary, village,
                    organization, "、".join(names.get(i, [])), version)
            for (i, ref, number, track, status, category, level, risk, received, summary, village,
                 organization, version) in cases]


@requires(Permission.CASE_READ)
def find_case_id(ctx: ServiceContext, ref: str) -> int:
    """The case with this import ``ref`` or case number (or numeric id)."""
    with ctx.read() as session:
        found = session.exec(select(Case.id).where(sa.or_(Case.ref == ref, Case.number == ref))).first()
        if found is None and ref.isdigit():
            found = session.exec(select(Case.id).where(Case.id == int(ref))).first()
        if found is None:
            # An earlier number of a transferred case still finds it.
            for case_id, data in session.exec(select(TimelineEvent.case_id, TimelineEvent.data)
                                              .where(TimelineEvent.action.in_(["register", "transfer"]))):
                if (data or {}).get("number") == ref:
                    return case_id
            raise NotFoundError(f"找不到案号或编号为“{ref}”的案件")
        return found


@requires(Permission.CASE_READ)
def case_detail(ctx: ServiceContext, case_id: int, on: date | None = None) -> CaseDetail:
    """Everything about one case (``as_json`` of it is what `case show --json` prints)."""
    on = on or ctx.today()
    check_case_visible(ctx, None, case_id)  # an advisor may not read cases outside their villages
    with ctx.read() as session:
        c = session.get(Case, case_id)
        if c is None:
            raise NotFoundError(f"案件（编号{case_id}）不存在")
        org = session.get(Organization, c.organization_id)
        village = session.get(Region, c.village_id)
        grid = session.get(Region, c.grid_id) if c.grid_id else None
        parties = session.exec(select(CaseParty).where(CaseParty.case_id == c.id).order_by(CaseParty.seq))
        mediators = session.exec(select(Mediator.name).join(CaseMediator, CaseMediator.mediator_id == Mediator.id)
                                 .where(CaseMediator.case_id == c.id).order_by(CaseMediator.seq))
        events = session.exec(select(TimelineEvent).where(TimelineEvent.case_id == c.id)
                              .order_by(TimelineEvent.seq))
        deadlines = session.exec(select(CaseDeadline).where(CaseDeadline.case_id == c.id)
                                 .order_by(CaseDeadline.due, CaseDeadline.kind))
        links = session.exec(select(Case.id, Case.number, CaseLink.reason)
                             .join(CaseLink, CaseLink.earlier_case_id == Case.id)
                             .where(CaseLink.case_id == c.id))
        status = CaseStatus(c.status)
        return CaseDetail(
            id=c.id, ref=c.ref, number=c.number, version=c.version,
            track=c.track, track_label=Track(c.track).label, track_detail=c.track_detail,
            track_detail_label=TrackDetail(c.track_detail).label if c.track_detail else None,
            procedure=c.procedure, status=c.status, status_label=status.label,
            level=c.level, level_label=Level(c.level).label,
            source=c.source, source_label=Source(c.source).label,
            category=c.category, category_label=Category(c.category).label,
            organization=org.name, village_code=village.code, village=village.name,
            grid=grid.name if grid else None,
            received_on=c.received_on, accepted_on=c.accepted_on, closed_on=c.closed_on,
            summary=c.summary, requests=c.requests,
            amount_yuan=f"{fen_to_yuan(c.amount_fen):.2f}", people_involved=c.people_involved,
            risk=RiskDetail(c.risk_level, RiskLevel(c.risk_level).label,
                            tuple(f for f in c.risk_flags.split(",") if f)),
            needs_supervision=c.needs_supervision,
            mediators=tuple(mediators),
            # Masked for a role that may not see 身份证号 and phones (documents read this too).
            parties=tuple(PartyDetail.from_json(p)
                          for p in protect_parties(ctx, [_party_dict(p) for p in parties])),
            earlier_cases=tuple(EarlierCaseRef(i, n, r) for i, n, r in links),
            allowed_actions=tuple(a.value for a in allowed_actions(status)),
            timeline=tuple(
                TimelineEntry(seq=e.seq, on=e.on, at=e.at.replace(microsecond=0), action=e.action,
                              label=_action_label(e.action), from_status=e.from_status,
                              to_status=e.to_status, actor=e.actor, note=e.note, imported=e.imported,
                              data={k: v for k, v in (e.data or {}).items() if not k.startswith("_")})
                for e in events),
            deadlines=tuple(_deadline(d, on) for d in deadlines),
            sessions=_sessions(session, c.id),
            agreement=_agreement(session, c.id),
            supplements=tuple(SupplementRecord(s.seq, s.kind, s.signed_on, tuple(s.terms or ()), s.reason,
                                               s.recorded_by)
                              for s in session.exec(select(SupplementaryAgreement)
                                                    .where(SupplementaryAgreement.case_id == c.id)
                                                    .order_by(SupplementaryAgreement.seq))),
            performance=tuple(PerformanceRecord(p.on, p.result, p.note)
                              for p in session.exec(select(Performance).where(Performance.case_id == c.id)
                                                    .order_by(Performance.on, Performance.id))),
            follow_ups=tuple(FollowUpRecord(f.on, f.method, f.performance, f.satisfaction, f.note, f.visitor)
                             for f in session.exec(select(FollowUp).where(FollowUp.case_id == c.id)
                                                   .order_by(FollowUp.on, FollowUp.id))),
            judicial_confirmation=_confirmation(session, c.id),
        )


def _action_label(action: str) -> str:
    try:
        return Action(action).label
    except ValueError:
        return {"edit": "修改信息", "supplement": "变更（补充）协议", "attach": "添加附件", "detach": "删除附件",
                "review_request": "送法律顾问审查", "review": "法律顾问审查意见",
                "review_void": "撤回法律顾问审查", "draft_agreement": "拟定协议", "draft_edit": "修改协议草稿",
                "handover": "移交调解员",
                "reassign": "更换调解员", "recusal": "调解员回避"}.get(action, action)


def _party_dict(p: CaseParty) -> dict[str, Any]:
    """A party as plain data, the shape personal-data masking works on."""
    return {
        "id": p.id, "role": p.role, "kind": p.kind, "name": p.name, "gender": p.gender,
        "ethnicity": p.ethnicity, "birth_date": p.birth_date.isoformat() if p.birth_date else None,
        "id_number": p.id_number, "phone": p.phone, "address": p.address,
        "occupation": p.occupation, "credit_code": p.credit_code,
        "representative": p.representative,
        "agent": None if not p.agent_name else {"name": p.agent_name, "phone": p.agent_phone,
                                                "relation": p.agent_relation},
    }


def _sessions(session: Session, case_id: int) -> tuple[SessionRecord, ...]:
    rows = session.exec(select(MediationSession).where(MediationSession.case_id == case_id)
                        .order_by(MediationSession.on, MediationSession.id))
    return tuple(SessionRecord(id=s.id, on=s.on, kind=s.kind, place=s.place, participants=s.participants,
                               record=s.record) for s in rows)


def _agreement(session: Session, case_id: int) -> AgreementDetail | None:
    a = session.exec(select(Agreement).where(Agreement.case_id == case_id)).first()
    if a is None:
        return None
    terms = session.exec(select(AgreementTerm.text).where(AgreementTerm.agreement_id == a.id)
                         .order_by(AgreementTerm.seq))
    return AgreementDetail(form=a.form, signed_on=a.signed_on, facts=a.facts, items=tuple(terms),
                           performance=a.performance_method, deadline=a.deadline,
                           amount_yuan=f"{fen_to_yuan(a.amount_fen):.2f}", copies=a.copies, version=a.version)


def _confirmation(session: Session, case_id: int) -> ConfirmationDetail | None:
    j = session.exec(select(JudicialConfirmation).where(JudicialConfirmation.case_id == case_id)).first()
    if j is None:
        return None
    return ConfirmationDetail(applied_on=j.applied_on, court=j.court, result=j.result, on=j.ruled_on)


def _deadline(d: CaseDeadline, on: date) -> DeadlineEntry:
    state = DeadlineState(d.state)
    if state is DeadlineState.OPEN and on > d.due:
        state = DeadlineState.OVERDUE
    return DeadlineEntry(kind=d.kind, label=DeadlineKind(d.kind).label, start=d.start, due=d.due,
                         state=state.value, nominal=d.nominal, moved=bool(d.nominal and d.nominal != d.due),
                         moved_reason=d.moved_reason, closed_on=d.closed_on, basis=d.basis)
