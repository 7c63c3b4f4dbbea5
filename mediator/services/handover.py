"""Handover (移交): a mediator leaves, and every case still in their hands goes to a colleague.

The checklist shows what is handed over; ``hand_over`` moves every case in one transaction, so a
refusal leaves everything as it was. The handover is a timeline record beside the lifecycle
(like ``edit``): the exchange format carries a case's current mediators, not this history, so an
export → import → export round trip stays identical.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, select

from mediator.domain.enums import TERMINAL_STATUSES, CaseStatus, DeadlineKind, DeadlineState
from mediator.domain.errors import (
    ConflictError,
    NotFoundError,
    PermissionDenied,
    ValidationError,
    ValidationErrors,
)
from mediator.domain.permissions import Permission
from mediator.services import audit
from mediator.services.cases.change_log import next_seq
from mediator.services.cases.conflicts import check_conflicts
from mediator.services.changes import OpChanges
from mediator.services.context import ServiceContext
from mediator.services.permissions import requires
from mediator.store.models import (
    Advisor,
    AdvisorReview,
    Case,
    CaseDeadline,
    CaseMediator,
    CaseParty,
    Mediator,
    Organization,
    TimelineEvent,
)

ACTION = "handover"  # timeline action (cases._RECORDS: not ordered with the lifecycle moves)
NOTE_MAX = 500
# Still in someone's hands: besides the open cases, agreed/performed/failed ones await 回访,
# 督促履行 or 归档, so a leaving mediator hands them over too.
_FINISHED = sorted(s.value for s in TERMINAL_STATUSES)


@dataclass(frozen=True)
class MediatorChoice:
    id: int
    name: str


@dataclass(frozen=True)
class HandoverCase:
    """One line of the checklist."""

    case_id: int
    number: str
    parties: str  # names, 、-separated
    status: CaseStatus
    next_deadline: str  # label of the soonest open deadline ("" when none)
    next_due: date | None
    overdue: bool
    review_pending: str  # advisor reviewing the case now ("" when none)
    reminders: int  # open reminders of the case
    only_mediator: bool  # nobody else handles the case
    co_mediators: list[str]
    version: int

    @property
    def status_label(self) -> str:
        return self.status.label


@dataclass(frozen=True)
class HandoverChecklist:
    mediator_id: int
    mediator_name: str
    organization: str
    active: bool
    mediator_version: int
    cases: list[HandoverCase]
    candidates: list[MediatorChoice]  # active colleagues of the same organisation

    @property
    def versions(self) -> dict[int, int]:
        return {c.case_id: c.version for c in self.cases}


@dataclass
class HandoverOrder:
    """What the office decided: who takes over each case."""

    from_mediator_id: int
    assignments: dict[int, int]  # case id -> id of the mediator taking it over
    note: str = ""
    deactivate: bool = False
    versions: dict[int, int] | None = None  # case versions from the checklist (stale: ConflictError)
    mediator_version: int | None = None
    acknowledge_conflicts: bool = False  # the successors' conflicts (回避) were shown and accepted


@dataclass(frozen=True)
class HandoverSummary(OpChanges):
    """What a handover did, and (as ``OpChanges``) what it changed: the moved cases and their
    reminders; the mediator list when the mediator was deactivated."""

    mediator_name: str = ""
    moved: tuple[tuple[int, str, str], ...] = ()  # (case id, number, taken by)
    deactivated: bool = False

    @classmethod
    def of(cls, mediator_name: str, moved: list[tuple[int, str, str]], deactivated: bool) -> HandoverSummary:
        return cls(case_ids=tuple(case_id for case_id, _, _ in moved), reminders=bool(moved),
                   reference=deactivated, mediator_name=mediator_name, moved=tuple(moved),
                   deactivated=deactivated)

    def text(self) -> str:
        parts = [f"已将调解员{self.mediator_name}的{len(self.moved)}件案件移交"]
        if self.deactivated:
            parts.append(f"并停用{self.mediator_name}")
        return "，".join(parts)


# --- the checklist ----------------------------------------------------------------------------

@requires(Permission.CASE_HANDOVER)
def handover_checklist(ctx: ServiceContext, mediator_id: int) -> HandoverChecklist:
    """The mediator and every case still in their hands, with what the successor must know."""
    today = ctx.today()
    with ctx.read() as session:
        mediator = _mediator(session, mediator_id)
        org = session.get(Organization, mediator.organization_id)
        cases = _cases_of(session, mediator.id)
        _check_scope(ctx, mediator, cases)
        ids = [c.id for c in cases]
        parties = _names_by_case(session, select(CaseParty.case_id, CaseParty.name)
                                 .where(CaseParty.case_id.in_(ids)).order_by(CaseParty.seq))
        mediators = _names_by_case(session, select(CaseMediator.case_id, Mediator.name)
                                   .join(Mediator, Mediator.id == CaseMediator.mediator_id)
                                   .where(CaseMediator.case_id.in_(ids), Mediator.id != mediator.id)
                                   .order_by(CaseMediator.seq))
        soonest = _next_deadlines(session, ids)
        reviews = dict(session.exec(
            select(AdvisorReview.case_id, Advisor.name)
            .join(Advisor, Advisor.id == AdvisorReview.advisor_id)
            .where(AdvisorReview.case_id.in_(ids), AdvisorReview.result == "pending")).all())
        candidates = [MediatorChoice(m.id, m.name) for m in session.exec(
            select(Mediator).where(Mediator.organization_id == mediator.organization_id,
                                   Mediator.active == True, Mediator.id != mediator.id)  # noqa: E712
            .order_by(Mediator.id))]
        name, active, version = mediator.name, mediator.active, mediator.version
        org_name = org.name if org else ""
    reminders = _open_reminders(ctx, mediator_id, today) if ids else {}
    lines = []
    for c in cases:
        kind, due = soonest.get(c.id, ("", None))
        lines.append(HandoverCase(
            c.id, c.number, "、".join(parties.get(c.id, [])), CaseStatus(c.status), kind, due,
            due is not None and due < today, reviews.get(c.id, ""), reminders.get(c.id, 0),
            not mediators.get(c.id), mediators.get(c.id, []), c.version))
    return HandoverChecklist(mediator_id, name, org_name, active, version, lines, candidates)


def _cases_of(session: Session, mediator_id: int) -> list[Case]:
    return list(session.exec(
        select(Case).join(CaseMediator, CaseMediator.case_id == Case.id)
        .where(CaseMediator.mediator_id == mediator_id, Case.status.not_in(_FINISHED))
        .order_by(Case.received_on, Case.id)))


def _names_by_case(session: Session, stmt) -> dict[int, list[str]]:
    out: dict[int, list[str]] = {}
    for case_id, name in session.exec(stmt):
        out.setdefault(case_id, []).append(name)
    return out


def _next_deadlines(session: Session, case_ids: list[int]) -> dict[int, tuple[str, date]]:
    """The soonest open deadline of each case: (label, due)."""
    out: dict[int, tuple[str, date]] = {}
    if not case_ids:
        return out
    rows = session.exec(select(CaseDeadline.case_id, CaseDeadline.kind, CaseDeadline.due)
                        .where(CaseDeadline.case_id.in_(case_ids),
                               CaseDeadline.state == DeadlineState.OPEN.value)
                        .order_by(CaseDeadline.due, CaseDeadline.id))
    for case_id, kind, due in rows:
        out.setdefault(case_id, (DeadlineKind(kind).label, due))
    return out


def _open_reminders(ctx: ServiceContext, mediator_id: int, today: date) -> dict[int, int]:
    """Reminders nobody has done, snoozed or dismissed, per case (the 提醒 page's list)."""
    from mediator.services.reminders.due import due_items

    counts: dict[int, int] = {}
    for item in due_items(ctx, today, mediator_id=mediator_id):
        if item.case_id is not None:
            counts[item.case_id] = counts.get(item.case_id, 0) + 1
    return counts


def _mediator(session: Session, mediator_id: int) -> Mediator:
    mediator = session.get(Mediator, mediator_id)
    if mediator is None:
        raise NotFoundError(f"调解员（编号{mediator_id}）不存在")
    return mediator


def _check_scope(ctx: ServiceContext, mediator: Mediator, cases: list[Case]) -> None:
    """A 所长 hands over only mediators whose cases all lie within their organisations."""
    if ctx.user is None or not cases:
        return
    from mediator.services.access import visible_case_ids

    visible = visible_case_ids(ctx, [c.id for c in cases])
    outside = [c.number for c in cases if c.id not in visible]
    if outside:
        raise PermissionDenied(f"调解员{mediator.name}承办的案件{outside[0]}不属于您所辖的调解组织，"
                               "请联系管理员办理移交")


# --- the handover ------------------------------------------------------------------------------

@requires(Permission.CASE_HANDOVER)
def hand_over(ctx: ServiceContext, order: HandoverOrder) -> HandoverSummary:
    """Move every case of the leaving mediator to the colleagues chosen, in one transaction.

    Each case keeps its co-mediators and their order (the successor takes the leaver's place),
    gets a timeline entry and a new version (an open workspace then sees a conflict). Deadlines
    do not depend on who mediates, so they stay as they are. Every problem is reported at once,
    naming the case; nothing is written then.
    """
    note = (order.note or "").strip()
    if len(note) > NOTE_MAX:
        raise ValidationError("note", f"备注不能超过{NOTE_MAX}字")
    with ctx.transaction() as session:
        leaving = _locked_mediator(session, order.from_mediator_id)
        if order.mediator_version is not None and leaving.version != order.mediator_version:
            raise ConflictError(f"调解员{leaving.name}的信息已被他人修改，请刷新后再移交")
        cases = _locked_cases(session, leaving.id)
        _check_scope(ctx, leaving, cases)
        targets = _targets(session, order.assignments)
        errors = _problems(leaving, cases, order.assignments, targets)
        if errors:
            raise ValidationErrors(errors)
        if not cases and not order.deactivate:
            raise ValidationError("assignments", f"调解员{leaving.name}没有在办案件，无需移交")
        for case in cases:
            seen = (order.versions or {}).get(case.id)
            if seen is not None and seen != case.version:
                raise ConflictError(f"案件{case.number}已被他人修改（您看到的是第{seen}版，"
                                    f"当前为第{case.version}版），请刷新移交清单后再操作")
        for case in cases:
            successor = targets[order.assignments[case.id]]
            if not session.exec(select(CaseMediator).where(CaseMediator.case_id == case.id,
                                                           CaseMediator.mediator_id == successor.id)).first():
                check_conflicts(session, [successor], case.id, order.acknowledge_conflicts)
        moved: list[tuple[int, str, str]] = []
        for case in cases:
            successor = targets[order.assignments[case.id]]
            _move_case(ctx, session, case, leaving, successor, note)
            moved.append((case.id, case.number, successor.name))
        if order.deactivate and leaving.active:
            leaving.active = False
            leaving.version += 1
            session.add(leaving)
        # One entry for the whole handover (audit_log labels it 移交案件), one per case above.
        audit.record(ctx, session, "handover", leaving.name,
                     {"mediator_id": leaving.id, "cases": len(cases), "deactivated": order.deactivate})
        return HandoverSummary.of(leaving.name, moved, order.deactivate)


def _locked_mediator(session: Session, mediator_id: int) -> Mediator:
    stmt = select(Mediator).where(Mediator.id == mediator_id)
    if session.get_bind().dialect.name == "postgresql":
        stmt = stmt.with_for_update()
    mediator = session.exec(stmt).first()
    if mediator is None:
        raise NotFoundError(f"调解员（编号{mediator_id}）不存在")
    session.refresh(mediator)
    return mediator


def _locked_cases(session: Session, mediator_id: int) -> list[Case]:
    stmt = (select(Case).where(Case.id.in_(select(CaseMediator.case_id)
                                            .where(CaseMediator.mediator_id == mediator_id)),
                               Case.status.not_in(_FINISHED))
            .order_by(Case.received_on, Case.id))
    if session.get_bind().dialect.name == "postgresql":
        stmt = stmt.with_for_update()
    cases = list(session.exec(stmt))
    for case in cases:
        session.refresh(case)
    return cases


def _targets(session: Session, assignments: dict[int, int]) -> dict[int, Mediator]:
    ids = sorted({m for m in assignments.values() if m is not None})
    if not ids:
        return {}
    return {m.id: m for m in session.exec(select(Mediator).where(Mediator.id.in_(ids)))}


def _problems(leaving: Mediator, cases: list[Case], assignments: dict[int, int],
              targets: dict[int, Mediator]) -> list[ValidationError]:
    errors = []
    for case in cases:
        path = f"assignments[{case.id}]"
        target_id = assignments.get(case.id)
        target = targets.get(target_id) if target_id is not None else None
        if target_id is None:
            errors.append(ValidationError(path, f"案件{case.number}：请指定接手的调解员"))
        elif target is None:
            errors.append(ValidationError(path, f"案件{case.number}：接手的调解员（编号{target_id}）不存在"))
        elif target.id == leaving.id:
            errors.append(ValidationError(path, f"案件{case.number}：接手的调解员不能是离岗的{leaving.name}本人"))
        elif not target.active:
            errors.append(ValidationError(path, f"案件{case.number}：调解员{target.name}已停用，不能接手"))
        elif target.organization_id != leaving.organization_id:
            # Case files name mediators of the registering organisation (exchange import too).
            errors.append(ValidationError(path, f"案件{case.number}：{target.name}与{leaving.name}"
                                                "不属于同一调解组织，不能接手"))
    in_hand = {c.id for c in cases}
    for case_id in sorted(set(assignments) - in_hand):
        errors.append(ValidationError(f"assignments[{case_id}]",
                                      f"案件（编号{case_id}）不是{leaving.name}的在办案件，可能已办结或已移交，"
                                      "请刷新移交清单"))
    return errors


def _move_case(ctx: ServiceContext, session: Session, case: Case, leaving: Mediator,
               successor: Mediator, note: str) -> None:
    rows = list(session.exec(select(CaseMediator).where(CaseMediator.case_id == case.id)))
    mine = next(r for r in rows if r.mediator_id == leaving.id)
    seq = mine.seq
    session.delete(mine)
    if not any(r.mediator_id == successor.id for r in rows):  # a co-mediator simply carries on
        session.flush()
        session.add(CaseMediator(case_id=case.id, mediator_id=successor.id, seq=seq))
    text = f"调解员{leaving.name}离岗，案件移交{successor.name}承办"
    if note:
        text += f"：{note}"
    session.add(TimelineEvent(case_id=case.id, seq=next_seq(session, case.id), on=ctx.today(), at=ctx.now(),
                              action=ACTION, from_status=case.status, to_status=case.status,
                              actor=ctx.actor, note=text,
                              data={"from": leaving.name, "to": successor.name,
                                    "_from_id": leaving.id, "_to_id": successor.id}))
    case.version += 1
    case.updated_at = ctx.now()
    session.add(case)
    audit.record(ctx, session, "case.handover", case.number,
                 {"case_id": case.id, "from": leaving.name, "to": successor.name})


__all__ = ["HandoverCase", "HandoverChecklist", "HandoverOrder", "HandoverSummary", "MediatorChoice",
           "hand_over", "handover_checklist"]
