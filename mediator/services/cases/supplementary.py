"""变更/补充协议: after signing, the agreement is frozen; a change is a new, recorded agreement.

The signed agreement (``Agreement`` and its terms) is never edited in place. A 变更协议 changes
what was agreed, a 补充协议 adds to it; either is signed by the parties and kept here, in order,
on the timeline (action ``supplement``) and in the audit log.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlmodel import select

from mediator.domain.enums import CaseStatus, SupplementKind
from mediator.domain.errors import ValidationError
from mediator.services import audit
from mediator.services.access import check_case_visible
from mediator.services.cases.change_log import next_seq
from mediator.services.cases.inputs import supplement_note, supplement_reason, supplement_terms
from mediator.services.cases.stored import lock_case, next_in_case
from mediator.services.changes import OpChangesWithId
from mediator.services.context import ServiceContext
from mediator.services.permissions import Permission, requires
from mediator.store.models import Agreement, SupplementaryAgreement, TimelineEvent

SUPPLEMENT_ACTION = "supplement"  # a RECORD_ACTION: never moves the status
# The statuses after 达成协议 in which the parties may still agree on a change (not archived).
OPEN_AFTER_SIGNING = frozenset({CaseStatus.AGREED.value, CaseStatus.PERFORMED.value})


@dataclass(frozen=True)
class SupplementInfo:
    """One recorded 变更/补充协议 as the workspace lists it."""

    id: int
    seq: int
    kind: SupplementKind
    signed_on: date
    terms: tuple[str, ...]
    reason: str
    recorded_by: str

    @property
    def title(self) -> str:
        return f"第{self.seq}号{self.kind.label}"


@requires(Permission.CASE_HANDLE)
def add_supplementary_agreement(ctx: ServiceContext, case_id: int, kind: SupplementKind, signed_on: date,
                                terms: list[str], reason: str, *,
                                expected_version: int | None = None) -> OpChangesWithId:
    """签订变更（补充）协议 after the agreement; ``.id`` is the new row.

    Raises:
        ValidationError: no signed agreement, a closed case, a date before the agreement or
            after today, no terms, no reason.
        ConflictError: ``expected_version`` is stale.
    """
    kind = SupplementKind(kind)
    kept = supplement_terms(list(terms))
    reason = supplement_reason(reason)
    with ctx.transaction() as session:
        case = lock_case(session, case_id, expected_version)
        agreement = session.exec(select(Agreement).where(Agreement.case_id == case.id)).first()
        if agreement is None:
            raise ValidationError("kind", "尚未达成协议，不能签订变更（补充）协议")
        if case.status not in OPEN_AFTER_SIGNING:
            raise ValidationError("kind", f"案件{CaseStatus(case.status).label}，不能再签订变更（补充）协议")
        if signed_on > ctx.today():
            raise ValidationError("signed_on", "签订日期不能晚于今天")
        if signed_on < agreement.signed_on:
            raise ValidationError("signed_on", f"签订日期不能早于原协议签订日期{agreement.signed_on.isoformat()}")
        seq = next_in_case(session, SupplementaryAgreement, case.id)
        row = SupplementaryAgreement(case_id=case.id, seq=seq, kind=kind.value, signed_on=signed_on,
                                     terms=kept, reason=reason.strip(), recorded_at=ctx.now(),
                                     recorded_by=ctx.actor)
        session.add(row)
        session.flush()
        note = supplement_note(seq, kind, signed_on, kept, reason)
        session.add(TimelineEvent(case_id=case.id, seq=next_seq(session, case.id), on=ctx.today(),
                                  at=ctx.now(), action=SUPPLEMENT_ACTION, from_status=case.status,
                                  to_status=case.status, actor=ctx.actor, note=note,
                                  data={"supplement_id": row.id, "kind": kind.value, "seq": seq}))
        case.version += 1
        case.updated_at = ctx.now()
        session.add(case)
        audit.record(ctx, session, "case.supplement", case.number,
                     {"case_id": case.id, "kind": kind.value, "on": signed_on.isoformat(),
                      "reason": reason.strip()})
        return OpChangesWithId(case_ids=(case.id,), reminders=False, id=row.id)


@requires(Permission.CASE_READ)
def supplementary_agreements(ctx: ServiceContext, case_id: int) -> list[SupplementInfo]:
    """The case's 变更/补充协议, oldest first."""
    check_case_visible(ctx, None, case_id)
    with ctx.read() as session:
        rows = session.exec(select(SupplementaryAgreement).where(SupplementaryAgreement.case_id == case_id)
                            .order_by(SupplementaryAgreement.seq))
        return [SupplementInfo(r.id, r.seq, SupplementKind(r.kind), r.signed_on, tuple(r.terms), r.reason,
                               r.recorded_by) for r in rows]
