"""Case use cases: register, and every lifecycle move. Each call is one transaction.

The rules of each move live in ``history.CaseHistory`` (shared with the bulk import); a use case
locks the case, loads its state, applies the move, writes what it added and audits it.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlmodel import Session, select

from mediator.domain.enums import (
    CaseStatus,
    ConfirmationResult,
    Level,
    PerformanceResult,
    Procedure,
    Track,
    TrackDetail,
)
from mediator.domain.errors import ValidationError, ValidationErrors
from mediator.domain.lifecycle import Action
from mediator.services import audit
from mediator.services.access import visible_case_ids
from mediator.services.cases.conflicts import check_conflicts
from mediator.services.cases.deadlines import refresh_case_deadlines
from mediator.services.cases.dossier_check import check_archive
from mediator.services.cases.drafts import freeze_for_signing
from mediator.services.cases.handlers import chosen_mediators, current_mediators, replace_mediators
from mediator.services.cases.history import CaseHistory, earlier_reason
from mediator.services.cases.inputs import (
    LOOKED_UP,
    AgreementInput,
    CaseInput,
    FollowUpInput,
    SessionInput,
    check_case_input,
    check_texts,
    normalized_party,
)
from mediator.services.cases.registration import register
from mediator.services.cases.reviews import review_gate, withdraw_pending_review
from mediator.services.cases.state import CaseState
from mediator.services.cases.stored import (
    StoredDirectory,
    earlier_cases,
    load_state,
    lock_case,
    write_state,
)
from mediator.services.changes import OpChanges, OpChangesWithId
from mediator.services.context import ServiceContext
from mediator.services.input_types import refuse_mistyped, type_problems
from mediator.services.permissions import Permission, requires
from mediator.services.risk.evaluate import evaluate_case
from mediator.store.models import Case, CaseMediator, Mediator

# --- registration -------------------------------------------------------------------------

@requires(Permission.CASE_REGISTER)
def register_case(ctx: ServiceContext, data: CaseInput, *,
                  acknowledge_conflicts: bool = False) -> OpChangesWithId:
    """Register a case with its parties (登记); ``.id`` is the new case's id.

    Validates everything first and reports every problem at once; links earlier cases of the
    same person (same 身份证号, or same name and phone) and sets the ``repeat`` flag. A mediator
    who may have to withdraw (``conflicts``) refuses it unless ``acknowledge_conflicts``.
    """
    refuse_mistyped(data)  # nothing below may meet a str for a date or a dict for a name
    errors = check_case_input(data, ctx.today())
    if any(e.path.startswith(LOOKED_UP) for e in errors):
        raise ValidationErrors(errors)  # e.g. a NUL in a name would break the lookups below
    with ctx.transaction() as session:
        history = CaseHistory(ctx, StoredDirectory(session), replaying=False)
        state = register(history, data, errors)
        write_state(session, state)
        session.flush()
        assigned = [r["mediator_id"] for r in state.added.get(CaseMediator, [])]
        if assigned:
            check_conflicts(session, list(session.exec(select(Mediator).where(Mediator.id.in_(assigned)))),
                            state.id, acknowledge_conflicts)
        _written(ctx, session, state)
        return OpChangesWithId(case_ids=(state.id,), reminders=True, id=state.id)


@dataclass(frozen=True)
class EarlierCase:
    """A case already on file for a party of a new case, and why it matches."""

    id: int
    number: str
    status: str  # its label
    received_on: date
    summary: str
    reason: str


@requires(Permission.CASE_READ)
def earlier_cases_of(ctx: ServiceContext, parties: list) -> list[EarlierCase]:
    """Cases already on file for these people (shown before saving a new case)."""
    with ctx.read() as session:
        found: dict[int, str] = {}
        for raw in parties:
            if check_texts([("name", raw.name, "", 100), ("id_number", raw.id_number, "", None),
                            ("phone", raw.phone, "", None)]):
                continue  # not searchable (a NUL would break the query); refused on saving
            try:
                party = normalized_party(raw)
            except ValidationError:
                continue
            for case_id, same_id in earlier_cases(session, party, -1):
                found.setdefault(case_id, earlier_reason(party.name, same_id))
        found = {k: v for k, v in found.items() if k in visible_case_ids(ctx, list(found))}
        rows = session.exec(select(Case).where(Case.id.in_(list(found)))).all() if found else []
        return [EarlierCase(c.id, c.number, CaseStatus(c.status).label, c.received_on, c.summary,
                            found[c.id])
                for c in sorted(rows, key=lambda c: c.received_on)]


# --- the machinery of a move --------------------------------------------------------------

Apply = Callable[[CaseHistory, CaseState, Session, Case], Any]
Prepare = Callable[[Session, Case], None]


def _change(ctx: ServiceContext, case_id: int, expected_version: int | None, apply: Apply,
            prepare: Prepare | None = None) -> Any:
    """Lock the case, apply one move of its history, write and audit what it added.

    ``prepare`` writes what goes on the timeline before the move (in the same transaction).
    """
    with ctx.transaction() as session:
        case = lock_case(session, case_id, expected_version)
        if prepare is not None:
            prepare(session, case)
        history = CaseHistory(ctx, StoredDirectory(session), replaying=False)
        state = load_state(session, case)
        result = apply(history, state, session, case)
        write_state(session, state, case)
        _written(ctx, session, state)
        return result


def _written(ctx: ServiceContext, session: Session, state: CaseState) -> None:
    for event in state.new_events:
        audit.record(ctx, session, f"case.{event['action']}", state.row["number"],
                     {"case_id": state.id, "on": event["on"].isoformat(), "to": event["to_status"]})
    refresh_case_deadlines(ctx, session, state.id)
    # 风险预警: every use case that changes a case passes here, so the rules look at it once.
    evaluate_case(ctx, session, state.id)


def _moved(case_id: int) -> OpChanges:
    return OpChanges.of_cases([case_id])


# --- lifecycle use cases ------------------------------------------------------------------

@requires(Permission.CASE_HANDLE)
def accept_case(ctx: ServiceContext, case_id: int, on: date | None = None, *, note: str = "",
                expected_version: int | None = None) -> OpChanges:
    """受理."""
    _change(ctx, case_id, expected_version, lambda h, s, *_: h.accept(s, on or ctx.today(), note))
    return _moved(case_id)


def _withdrawing(ctx: ServiceContext, on: date, why: str, confirmed: bool) -> Prepare:
    """Before a move that ends the case: its pending review withdrawn (refused unless confirmed)."""
    return lambda session, case: withdraw_pending_review(ctx, session, case, on, why, confirmed)


@requires(Permission.CASE_HANDLE)
def reject_case(ctx: ServiceContext, case_id: int, reason: str, on: date | None = None, *,
                expected_version: int | None = None, withdraw_review: bool = False) -> OpChanges:
    """不予受理 (e.g. a party clearly refuses mediation, 《人民调解法》 Art. 17).

    A review still pending refuses it unless ``withdraw_review`` (the user confirmed): the
    review is then closed as withdrawn (已撤回) with a timeline line. So for 调解不成 and 撤回.
    """
    on = on or ctx.today()
    _change(ctx, case_id, expected_version, lambda h, s, *_: h.reject(s, reason, on),
            _withdrawing(ctx, on, "不予受理", withdraw_review))
    return _moved(case_id)


@requires(Permission.CASE_HANDLE)
def start_mediation(ctx: ServiceContext, case_id: int, on: date | None = None, *, note: str = "",
                    expected_version: int | None = None) -> OpChanges:
    """开始调解."""
    _change(ctx, case_id, expected_version, lambda h, s, *_: h.start(s, on or ctx.today(), note))
    return _moved(case_id)


@requires(Permission.CASE_HANDLE)
def record_session(ctx: ServiceContext, case_id: int, data: SessionInput, *,
                   expected_version: int | None = None) -> OpChangesWithId:
    """记录调查/调解: files the record (``.id``); the case status does not change."""
    row = _change(ctx, case_id, expected_version, lambda h, s, *_: h.record_session(s, data))
    return OpChangesWithId(case_ids=(case_id,), reminders=True, id=row["id"])


@requires(Permission.CASE_HANDLE)
def conclude_agreement(ctx: ServiceContext, case_id: int, data: AgreementInput,
                       on: date | None = None, *, expected_version: int | None = None) -> OpChanges:
    """达成协议 (written or oral): the case becomes ``agreed``.

    A draft agreement (拟定协议) is signed as entered: what ``data`` changes of it is its last
    revision (on the timeline), then it is frozen. The advisor-review policy applies to written
    agreements (``cases.reviews.review_gate``): refused without an approving review of the
    current draft when the office requires one, else a warning is noted on the timeline.
    """
    wrong = type_problems(data, "agreement")
    if wrong:  # before the draft is frozen from it
        raise ValidationErrors(wrong)

    def apply(h: CaseHistory, s: CaseState, session: Session, case: Case) -> None:
        h.agree(s, data, on or data.signed_on, lambda: review_gate(ctx, session, case, data.form))

    _change(ctx, case_id, expected_version, apply,
            lambda session, case: freeze_for_signing(ctx, session, case, data))
    return _moved(case_id)


@requires(Permission.CASE_HANDLE)
def fail_mediation(ctx: ServiceContext, case_id: int, reason: str = "", on: date | None = None, *,
                   expected_version: int | None = None, withdraw_review: bool = False) -> OpChanges:
    """调解不成 (终止调解): the parties are told of arbitration, administrative and court routes.

    A pending review: as ``reject_case``."""
    on = on or ctx.today()
    _change(ctx, case_id, expected_version, lambda h, s, *_: h.end(s, Action.FAIL, reason, on),
            _withdrawing(ctx, on, "终止调解", withdraw_review))
    return _moved(case_id)


@requires(Permission.CASE_HANDLE)
def withdraw_case(ctx: ServiceContext, case_id: int, reason: str = "", on: date | None = None, *,
                  expected_version: int | None = None, withdraw_review: bool = False) -> OpChanges:
    """撤回 (a party ends the mediation, 《人民调解法》 Art. 23). A pending review: as ``reject_case``."""
    on = on or ctx.today()
    _change(ctx, case_id, expected_version, lambda h, s, *_: h.end(s, Action.WITHDRAW, reason, on),
            _withdrawing(ctx, on, "撤回调解", withdraw_review))
    return _moved(case_id)


@requires(Permission.CASE_SUPERVISE)
def transfer_case(
    ctx: ServiceContext, case_id: int, *, to_track: Track, to_organization: str, reason: str,
    to_track_detail: TrackDetail | None = None, procedure: Procedure | None = None,
    level: Level | None = None, number: str | None = None, on: date | None = None,
    expected_version: int | None = None, mediators: list[int] | None = None,
    acknowledge_conflicts: bool = False,
) -> OpChanges:
    """移送 to another track or organisation (三调联动): one case, its whole history kept.

    To another organisation, ``mediators`` (ids, at least one, of the receiving organisation)
    take the case over: a 更换调解员 line follows the move. Within the organisation they are
    optional (None keeps the case's mediators).
    """
    def apply(h: CaseHistory, s: CaseState, session: Session, case: Case) -> None:
        from_org = s.row["organization_id"]
        h.transfer(s, to_track=to_track, to_organization=to_organization, reason=reason,
                   to_track_detail=to_track_detail, procedure=procedure, level=level, number=number,
                   on=on or ctx.today())
        if s.row["organization_id"] != from_org and not mediators:
            raise ValidationError("mediators", f"移送至{to_organization}须指定接收组织的调解员（至少一名）")

    with ctx.transaction() as session:
        _change(ctx, case_id, expected_version, apply)
        if mediators:
            case = lock_case(session, case_id, None)
            after = chosen_mediators(session, case.organization_id, list(mediators))
            before = current_mediators(session, case.id)
            had = {m.id for m in before}
            check_conflicts(session, [m for m in after if m.id not in had], case.id, acknowledge_conflicts)
            if [m.id for m in after] != [m.id for m in before]:
                replace_mediators(ctx, session, case, before, after, f"随案移送至{to_organization}")
    return _moved(case_id)


@requires(Permission.CASE_SUPERVISE)
def escalate_case(ctx: ServiceContext, case_id: int, level: Level, reason: str,
                  on: date | None = None, *, expected_version: int | None = None) -> OpChanges:
    """上报 to a higher handling level."""
    _change(ctx, case_id, expected_version,
            lambda h, s, *_: h.change_level(s, Action.ESCALATE, level, reason, on or ctx.today()))
    return _moved(case_id)


@requires(Permission.CASE_SUPERVISE)
def hand_down_case(ctx: ServiceContext, case_id: int, level: Level, reason: str,
                   on: date | None = None, *, expected_version: int | None = None) -> OpChanges:
    """下交 to a lower handling level."""
    _change(ctx, case_id, expected_version,
            lambda h, s, *_: h.change_level(s, Action.HAND_DOWN, level, reason, on or ctx.today()))
    return _moved(case_id)


@requires(Permission.CASE_HANDLE)
def extend_handling(ctx: ServiceContext, case_id: int, until: date, reason: str, consent: bool,
                    on: date | None = None, *, expected_version: int | None = None) -> OpChanges:
    """延期: the parties consent, a reason is given, the handling clock gets a new date."""
    _change(ctx, case_id, expected_version,
            lambda h, s, *_: h.extend(s, until, reason, consent, on or ctx.today()))
    return _moved(case_id)


@requires(Permission.CASE_HANDLE)
def pause_clock(ctx: ServiceContext, case_id: int, reason: str, on: date | None = None, *,
                expected_version: int | None = None) -> OpChanges:
    """中止计时 (e.g. medical appraisal time does not count)."""
    _change(ctx, case_id, expected_version, lambda h, s, *_: h.pause(s, reason, on or ctx.today()))
    return _moved(case_id)


@requires(Permission.CASE_HANDLE)
def resume_clock(ctx: ServiceContext, case_id: int, reason: str = "", on: date | None = None, *,
                 expected_version: int | None = None) -> OpChanges:
    """恢复计时."""
    _change(ctx, case_id, expected_version, lambda h, s, *_: h.resume(s, reason, on or ctx.today()))
    return _moved(case_id)


@requires(Permission.CASE_HANDLE)
def record_performance(ctx: ServiceContext, case_id: int, result: PerformanceResult,
                       note: str = "", on: date | None = None, *,
                       expected_version: int | None = None) -> OpChanges:
    """记录履行: full → ``performed``; partial or none keep ``agreed`` and flag 督促履行."""
    _change(ctx, case_id, expected_version,
            lambda h, s, *_: h.perform(s, result, note, on or ctx.today()))
    return _moved(case_id)


@requires(Permission.CASE_HANDLE)
def record_follow_up(ctx: ServiceContext, case_id: int, data: FollowUpInput, *,
                     expected_version: int | None = None) -> OpChanges:
    """回访 after an agreement: how it is performed and whether the parties are satisfied."""
    _change(ctx, case_id, expected_version, lambda h, s, *_: h.follow_up(s, data))
    return _moved(case_id)


@requires(Permission.CASE_HANDLE)
def record_judicial_confirmation(
    ctx: ServiceContext, case_id: int, *, applied_on: date, court: str,
    result: ConfirmationResult = ConfirmationResult.PENDING, ruled_on: date | None = None,
    expected_version: int | None = None,
) -> OpChanges:
    """司法确认: the joint application (within 30 days of the agreement) and the court's ruling."""
    _change(ctx, case_id, expected_version, lambda h, s, *_: h.confirm(
        s, applied_on=applied_on, court=court, result=result, ruled_on=ruled_on))
    return _moved(case_id)


@requires(Permission.CASE_HANDLE)
def archive_case(ctx: ServiceContext, case_id: int, on: date | None = None, *, note: str = "",
                 expected_version: int | None = None, reason: str | None = None,
                 withdraw_review: bool = False) -> OpChanges:
    """归档 (立卷归档). A dossier lacking a required item needs ``reason`` (卷宗情况说明).

    A review still pending refuses it unless ``withdraw_review`` (the user confirmed): the
    review is then closed as withdrawn (已撤回) with a timeline line.
    """
    on = on or ctx.today()
    _change(ctx, case_id, expected_version, lambda h, s, *_: h.archive(
        s, on, note, lambda: check_archive(ctx, case_id, reason)),
        _withdrawing(ctx, on, "归档", withdraw_review))
    return _moved(case_id)
