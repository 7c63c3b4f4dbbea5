"""What a case's lifecycle asks of the legal advisor's reviews: the gate before a written agreement
is signed, and the review clock among the case's deadlines (the reviews themselves are ``advisors``).
"""
from __future__ import annotations

from datetime import timedelta

from sqlmodel import Session, select

from mediator.domain.enums import AgreementForm, DeadlineKind, DeadlineState, ReviewResult
from mediator.domain.errors import ValidationError
from mediator.services.context import ServiceContext
from mediator.services.settings import get_setting
from mediator.store.models import AdvisorReview, Case, CaseDeadline, TimelineEvent

# A rejected, withdrawn or archived case voids a review still pending.
VOIDING_ACTIONS = ("reject", "withdraw", "archive")


def review_gate(ctx: ServiceContext, session: Session, case: Case, form: AgreementForm) -> str:
    """Checked when a written agreement is concluded; returns a warning for the timeline note.

    With ``advisors.require_review_approval`` set, a written agreement without an approved latest
    review is refused; otherwise it is allowed and the warning says what was missing.
    """
    if form is not AgreementForm.WRITTEN:
        return ""
    latest = session.exec(select(AdvisorReview).where(AdvisorReview.case_id == case.id)
                          .order_by(AdvisorReview.requested_on.desc(), AdvisorReview.id.desc())).first()
    if latest is not None and latest.result == ReviewResult.APPROVED.value:
        return ""
    if latest is None:
        why = "未经法律顾问审查"
    elif latest.result == ReviewResult.PENDING.value:
        why = "法律顾问审查尚未办结"
    else:
        why = "法律顾问审查意见为退回修改"
    if int(get_setting(ctx, "advisors.require_review_approval") or 0):
        raise ValidationError("review", f"本单位规定书面调解协议须经法律顾问审查同意后方可签订（{why}）")
    return f"警示：{why}即签订书面协议"


def review_deadlines(ctx: ServiceContext, session: Session, case_id: int) -> list[CaseDeadline]:
    """The ``review`` deadline rows of a case (``deadlines.refresh_case_deadlines`` stores them)."""
    reviews = list(session.exec(select(AdvisorReview).where(AdvisorReview.case_id == case_id)
                                .order_by(AdvisorReview.requested_on, AdvisorReview.id)))
    if not reviews:
        return []
    voided = session.exec(select(TimelineEvent.on).where(TimelineEvent.case_id == case_id,
                                                         TimelineEvent.action.in_(VOIDING_ACTIONS))
                          .order_by(TimelineEvent.seq)).first()
    out = []
    for leg, r in enumerate(reviews):
        state, closed = DeadlineState.OPEN, None
        if r.result != ReviewResult.PENDING.value:
            state, closed = DeadlineState.MET, r.reviewed_on
        elif voided is not None:
            state, closed = DeadlineState.VOID, max(voided, r.requested_on)
        days = sum(1 for i in range(1, (r.due - r.requested_on).days + 1)
                   if ctx.calendar.is_working_day(r.requested_on + timedelta(days=i)))
        out.append(CaseDeadline(case_id=case_id, kind=DeadlineKind.REVIEW.value, leg=leg,
                                start=r.requested_on, due=r.due, nominal=r.due, state=state.value,
                                closed_on=closed, basis=f"法律顾问审查：自送审之日起{days}个工作日内办结"))
    return out
