"""Who handles a case: its mediators changed at any time (更换调解员), and a party's request that
a mediator withdraw (回避, 《人民调解法》 第二十三条). Each is one transaction, a timeline record
beside the lifecycle (like the handover) and an audit entry; every newly assigned mediator goes
through the conflict check (``conflicts``).

A 所长 or 管理员 (``CASE_SUPERVISE``) changes the mediators of any case they see; a mediator
(``CASE_HANDLE``) only of a case they handle themselves.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, select

from mediator.domain.enums import CaseStatus
from mediator.domain.errors import NotFoundError, PermissionDenied, ValidationError, ValidationErrors
from mediator.domain.permissions import Permission
from mediator.services import audit
from mediator.services.cases.change_log import add_timeline_event
from mediator.services.cases.conflicts import ConflictCase, check_conflicts, conflicts_of
from mediator.services.cases.inputs import check_texts
from mediator.services.cases.stored import lock_case
from mediator.services.changes import OpChanges
from mediator.services.context import ServiceContext
from mediator.services.permissions import can, requires
from mediator.store.models import Case, CaseMediator, CaseParty, Mediator, Organization, User

REASSIGN = "reassign"  # timeline actions (state.RECORD_ACTIONS: not ordered with the moves)
RECUSAL = "recusal"
REASON_MAX = 500


@dataclass(frozen=True)
class MediatorOption:
    id: int
    name: str
    current: bool  # handles the case now


@dataclass(frozen=True)
class CaseHandlers:
    """What the 更换调解员 and 申请回避 dialogs offer: the case's mediators and the colleagues."""

    case_id: int
    organization: str
    mediators: list[MediatorOption]  # current ones first (in their order), then the others
    parties: list[tuple[int, str]]  # (party id, name) of the case

    @property
    def current(self) -> list[MediatorOption]:
        return [m for m in self.mediators if m.current]


# --- reading ---------------------------------------------------------------------------------

@requires(Permission.CASE_READ)
def case_handlers(ctx: ServiceContext, case_id: int) -> CaseHandlers:
    with ctx.read() as session:
        case = _case(session, case_id)
        org = session.get(Organization, case.organization_id)
        current = current_mediators(session, case.id)
        others = session.exec(select(Mediator).where(
            Mediator.organization_id == case.organization_id, Mediator.active == True)  # noqa: E712
            .order_by(Mediator.id)).all()
        options = [MediatorOption(m.id, m.name, True) for m in current]
        options += [MediatorOption(m.id, m.name, False) for m in others if m.id not in {c.id for c in current}]
        parties = [(p.id, p.name) for p in session.exec(
            select(CaseParty).where(CaseParty.case_id == case.id).order_by(CaseParty.seq))]
        return CaseHandlers(case.id, org.name if org else "", options, parties)


@requires(Permission.CASE_READ)
def assignment_conflicts(ctx: ServiceContext, case_id: int, mediator_ids: list[int]) -> list[ConflictCase]:
    """The conflicts assigning these mediators to the case would raise (those already on it skipped)."""
    with ctx.read() as session:
        case = _case(session, case_id)
        on_case = {m.id for m in current_mediators(session, case.id)}
        mediators = [m for m in _mediators(session, mediator_ids) if m.id not in on_case]
        return [c for m in mediators for c in conflicts_of(session, m, case.id)]


# --- writing ---------------------------------------------------------------------------------

@requires(Permission.CASE_HANDLE)
def reassign_mediators(ctx: ServiceContext, case_id: int, mediator_ids: list[int], reason: str, *,
                       expected_version: int | None = None,
                       acknowledge_conflicts: bool = False) -> OpChanges:
    """更换调解员: the case is handled by ``mediator_ids`` (in this order) from now on."""
    reason = _reason(reason, "请填写更换调解员的理由")
    with ctx.transaction() as session:
        case = lock_case(session, case_id, expected_version)
        before = current_mediators(session, case.id)
        _check_may_change(ctx, session, case, before)
        _check_open(case)
        after = _chosen(session, case, mediator_ids)
        if [m.id for m in after] == [m.id for m in before]:
            raise ValidationError("mediators", "调解员没有变化，无需更换")
        had = {m.id for m in before}
        check_conflicts(session, [m for m in after if m.id not in had], case.id, acknowledge_conflicts)
        replace_mediators(ctx, session, case, before, after, reason)
    return OpChanges.of_cases([case_id])


@requires(Permission.CASE_HANDLE)
def recuse_mediator(ctx: ServiceContext, case_id: int, *, mediator_id: int, party_id: int, reason: str,
                    new_mediator_id: int, expected_version: int | None = None,
                    acknowledge_conflicts: bool = False) -> OpChanges:
    """回避: a party asked that a mediator withdraw; the new one takes the recused one's place."""
    reason = _reason(reason, "请填写当事人申请回避的理由")
    with ctx.transaction() as session:
        case = lock_case(session, case_id, expected_version)
        before = current_mediators(session, case.id)
        _check_may_change(ctx, session, case, before)
        _check_open(case)
        errors = []
        party = session.get(CaseParty, party_id)
        if party is None or party.case_id != case.id:
            errors.append(ValidationError("party", "请选择申请回避的当事人（须是本案当事人）"))
        leaving = next((m for m in before if m.id == mediator_id), None)
        if leaving is None:
            errors.append(ValidationError("mediator", "请选择申请回避的调解员（须是本案的调解员）"))
        successor = None
        try:
            successor = _chosen(session, case, [new_mediator_id], path="new_mediator")[0]
        except ValidationError as exc:
            errors.append(exc)
        if successor is not None and any(m.id == successor.id for m in before):
            errors.append(ValidationError("new_mediator", f"{successor.name}已是本案调解员，"
                                                          "请选择其他调解员接替"))
        if errors:
            raise ValidationErrors(errors)
        check_conflicts(session, [successor], case.id, acknowledge_conflicts)
        after = [successor if m.id == leaving.id else m for m in before]
        note = f"当事人{party.name}申请调解员{leaving.name}回避，改由{successor.name}承办：{reason}"
        replace_mediators(ctx, session, case, before, after, reason, action=RECUSAL, note=note,
                          extra={"party": party.name, "_party_id": party.id, "recused": leaving.name,
                                 "_recused_id": leaving.id})
    return OpChanges.of_cases([case_id])


def replace_mediators(ctx: ServiceContext, session: Session, case: Case, before: list[Mediator],
                      after: list[Mediator], reason: str, *, action: str = REASSIGN, note: str = "",
                      extra: dict | None = None) -> None:
    """Write the case's new mediators, its timeline line and audit entry; the version moves on."""
    for row in session.exec(select(CaseMediator).where(CaseMediator.case_id == case.id)):
        session.delete(row)
    session.flush()
    for seq, m in enumerate(after):
        session.add(CaseMediator(case_id=case.id, mediator_id=m.id, seq=seq))
    old, new = _names(before), _names(after)
    data = {"from": old, "to": new, "reason": reason, "_from_ids": [m.id for m in before],
            "_to_ids": [m.id for m in after], **(extra or {})}
    add_timeline_event(ctx, session, case, action, note or f"调解员由{old or '（无）'}更换为{new}：{reason}", data)
    case.version += 1
    case.updated_at = ctx.now()
    session.add(case)
    audit.record(ctx, session, f"case.{action}", case.number,
                 {"case_id": case.id, "from": old, "to": new, **({"party": extra["party"]} if extra else {})})


# --- helpers ---------------------------------------------------------------------------------

def _case(session: Session, case_id: int) -> Case:
    case = session.get(Case, case_id)
    if case is None:
        raise NotFoundError(f"案件（编号{case_id}）不存在")
    return case


def current_mediators(session: Session, case_id: int) -> list[Mediator]:
    return list(session.exec(select(Mediator).join(CaseMediator, CaseMediator.mediator_id == Mediator.id)
                             .where(CaseMediator.case_id == case_id).order_by(CaseMediator.seq)))


def _mediators(session: Session, ids: list[int]) -> list[Mediator]:
    found = {m.id: m for m in session.exec(select(Mediator).where(Mediator.id.in_(list(ids))))} if ids else {}
    return [found[i] for i in ids if i in found]


def _names(mediators: list[Mediator]) -> str:
    return "、".join(m.name for m in mediators)


def _reason(reason: str, missing: str) -> str:
    """The reason, stripped; control characters, a non-text or an over-long one are refused."""
    errors = check_texts([("reason", reason, "理由", REASON_MAX)])
    if errors:
        raise errors[0]
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError("reason", missing)
    return reason


def chosen_mediators(session: Session, organization_id: int, ids: list[int], *,
                     path: str = "mediators") -> list[Mediator]:
    """The mediators chosen for a case of this organisation: at least one, active, of it, once each."""
    if not ids:
        raise ValidationError(path, "请至少指定一名调解员")
    if len(set(ids)) != len(ids):
        raise ValidationError(path, "同一调解员不能重复指定")
    found = {m.id: m for m in _mediators(session, ids)}
    errors = []
    for i, mediator_id in enumerate(ids):
        m = found.get(mediator_id)
        where = f"{path}[{i}]" if path == "mediators" else path
        if m is None:
            errors.append(ValidationError(where, f"调解员（编号{mediator_id}）不存在"))
        elif not m.active:
            errors.append(ValidationError(where, f"调解员{m.name}已停用，不能指派"))
        elif m.organization_id != organization_id:
            org = session.get(Organization, organization_id)
            errors.append(ValidationError(where, f"{m.name}不是{org.name if org else '本组织'}的调解员，不能指派"))
    if errors:
        raise errors[0] if len(errors) == 1 else ValidationErrors(errors)
    return [found[i] for i in ids]


def _chosen(session: Session, case: Case, ids: list[int], *, path: str = "mediators") -> list[Mediator]:
    return chosen_mediators(session, case.organization_id, ids, path=path)


def _check_open(case: Case) -> None:
    if case.status == CaseStatus.ARCHIVED.value:
        raise ValidationError("mediators", f"案件{case.number}已归档，不能再更换调解员")


def _check_may_change(ctx: ServiceContext, session: Session, case: Case, current: list[Mediator]) -> None:
    """A mediator changes who handles only a case they handle; the office any case it sees."""
    if can(ctx.user, Permission.CASE_SUPERVISE):
        return
    mine = session.exec(select(User.mediator_id).where(User.id == ctx.user.id)).first()
    if mine is None or all(m.id != mine for m in current):
        raise PermissionDenied(f"只有本案的调解员或所长、管理员才能更换案件{case.number}的调解员")


__all__ = ["CaseHandlers", "MediatorOption", "assignment_conflicts", "case_handlers", "chosen_mediators",
           "reassign_mediators", "recuse_mediator", "replace_mediators"]
