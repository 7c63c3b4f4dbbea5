"""What a case's lifecycle asks of the legal advisor's reviews: the gate before a written agreement
is signed, and the review clock among the case's deadlines (the reviews themselves are ``advisors``).
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta

from sqlmodel import Session, select

from mediator.domain.enums import AgreementForm, DeadlineKind, DeadlineState, ReviewResult
from mediator.domain.errors import ValidationError
from mediator.services import audit
from mediator.services.access import check_case_visible
from mediator.services.cases.change_log import add_timeline_event
from mediator.services.cases.drafts import DraftInput, changes_between, draft_text, stored_draft, text_of
from mediator.services.cases.inputs import AgreementInput, check_agreement
from mediator.services.context import ServiceContext
from mediator.services.permissions import Permission, requires
from mediator.services.settings import get_setting
from mediator.store.models import Advisor, AdvisorReview, Case, CaseDeadline, TimelineEvent

# A rejected, withdrawn or archived case voids a review still pending.
VOIDING_ACTIONS = ("reject", "withdraw", "archive")
VOID_ACTION = "review_void"


@dataclass(frozen=True)
class ReviewStanding:
    """Where the agreement stands with the advisor's review, before it is signed.

    ``approved``: the latest review approves the current draft (同意, or 修改后同意 — the
    revisions after it are the changes it asked for). ``why`` says what is missing otherwise;
    ``required``: the office's setting 须经法律顾问审查 refuses signing without an approval.
    """

    approved: bool
    required: bool
    why: str = ""
    result: str | None = None  # the latest review's ReviewResult code
    reviewed_revision: int | None = None
    draft_revision: int | None = None
    refused: bool = False  # the agreement as entered is refused anyway (its fields say why)

    @property
    def ask(self) -> bool:
        """Whether the 达成协议 dialog asks before it signs."""
        return not (self.approved or self.required or self.refused)

    @property
    def question(self) -> str:
        """What the 达成协议 dialog asks when the agreement may be signed unapproved."""
        return f"本协议尚未经法律顾问审查同意（{self.why}），确定签订吗？"


def latest_review(session: Session, case_id: int) -> AdvisorReview | None:
    return session.exec(select(AdvisorReview).where(AdvisorReview.case_id == case_id)
                        .order_by(AdvisorReview.requested_on.desc(), AdvisorReview.id.desc())).first()


def review_standing(ctx: ServiceContext, session: Session, case_id: int) -> ReviewStanding:
    """How the latest review stands to the case's current draft (see ``ReviewStanding``)."""
    required = bool(int(get_setting(ctx, "advisors.require_review_approval") or 0))
    draft = stored_draft(session, case_id)
    current = draft.revision if draft is not None else None
    latest = latest_review(session, case_id)
    result = ReviewResult(latest.result) if latest is not None else None
    reviewed = latest.draft_revision if latest is not None else None
    why = ""
    if latest is None or result is ReviewResult.VOIDED:
        why = "未经法律顾问审查"
    elif result is ReviewResult.PENDING:
        why = "法律顾问审查尚未办结"
    elif not result.approves:
        why = f"法律顾问审查意见为{result.label}"
    elif current is not None and reviewed is None:
        why = "协议草稿未经法律顾问审查（送审时尚未拟定协议草稿）"
    elif current is not None and result is ReviewResult.APPROVED and reviewed != current:
        why = f"协议草稿第{current}稿未经法律顾问审查（法律顾问同意的是第{reviewed}稿，此后又作了修改）"
    return ReviewStanding(not why, required, why, result.value if result else None, reviewed, current)


@requires(Permission.CASE_READ)
def signing_review(ctx: ServiceContext, case_id: int, data: AgreementInput) -> ReviewStanding:
    """How signing ``data`` would stand with the review (the 达成协议 dialog asks before it signs).

    An agreement that changes the draft after a plain 同意 signs a revision nobody reviewed.
    """
    check_case_visible(ctx, None, case_id)
    with ctx.read() as session:
        standing = review_standing(ctx, session, case_id)
        if check_agreement(data, 0):
            return replace(standing, refused=True)
        row = stored_draft(session, case_id)
        if not standing.approved or row is None or standing.result != ReviewResult.APPROVED.value:
            return standing
        if not changes_between(text_of(row), draft_text(DraftInput.of_agreement(data), row.revision)):
            return standing
        why = (f"协议草稿第{row.revision + 1}稿未经法律顾问审查（法律顾问同意的是第{row.revision}稿，"
               "签订时又作了修改）")
        return ReviewStanding(False, standing.required, why, standing.result, standing.reviewed_revision,
                              row.revision + 1)


def review_gate(ctx: ServiceContext, session: Session, case: Case, form: AgreementForm) -> str:
    """Checked when a written agreement is concluded; returns a warning for the timeline note.

    With ``advisors.require_review_approval`` set (须经法律顾问审查), a written agreement whose
    current draft the latest review does not approve is refused; otherwise it is allowed and the
    warning (on the timeline only: the printed agreement is the same) says what was missing.
    """
    if form is not AgreementForm.WRITTEN:
        return ""
    standing = review_standing(ctx, session, case.id)
    if standing.approved:
        return ""
    if standing.required:
        raise ValidationError("review", f"本单位规定书面调解协议须经法律顾问审查同意后方可签订（{standing.why}）。"
                                        "请将协议草稿送法律顾问审查，审查意见为同意或修改后同意后再签订。")
    return f"警示：{standing.why}即签订书面协议"


def pending_review(session: Session, case_id: int) -> tuple[AdvisorReview, str] | None:
    """The case's review still waiting for the advisor, with the advisor's name."""
    found = session.exec(select(AdvisorReview, Advisor.name).join(Advisor, Advisor.id == AdvisorReview.advisor_id)
                         .where(AdvisorReview.case_id == case_id,
                                AdvisorReview.result == ReviewResult.PENDING.value)).first()
    return None if found is None else (found[0], found[1])


def withdraw_pending_review(ctx: ServiceContext, session: Session, case: Case, on: date, why: str,
                            confirmed: bool) -> None:
    """Close the case's pending review as withdrawn (已撤回), on the timeline; unless
    ``confirmed``, a pending review refuses the move (the dialog asks first)."""
    found = pending_review(session, case.id)
    if found is None:
        return
    review, advisor = found
    if not confirmed:
        raise ValidationError("review", f"该案件于{review.requested_on.isoformat()}送法律顾问{advisor}的审查尚未办结，"
                                        f"{why}将撤回该审查。请确认后再{why}。")
    review.result, review.reviewed_on = ReviewResult.VOIDED.value, max(on, review.requested_on)
    review.opinion = f"因{why}撤回（{ctx.actor}）"
    review.version += 1
    session.add(review)
    add_timeline_event(ctx, session, case, VOID_ACTION,
                       f"撤回送法律顾问{advisor}的审查（{review.requested_on.isoformat()}送审，尚未办结）：因{why}",
                       {"review_id": review.id, "advisor": advisor}, on=on)
    audit.record(ctx, session, "review.void", case.number, {"case_id": case.id, "review_id": review.id})


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
        if r.result == ReviewResult.VOIDED.value:
            state, closed = DeadlineState.VOID, r.reviewed_on
        elif r.result != ReviewResult.PENDING.value:
            state, closed = DeadlineState.MET, r.reviewed_on
        elif voided is not None:
            state, closed = DeadlineState.VOID, max(voided, r.requested_on)
        days = sum(1 for i in range(1, (r.due - r.requested_on).days + 1)
                   if ctx.calendar.is_working_day(r.requested_on + timedelta(days=i)))
        out.append(CaseDeadline(case_id=case_id, kind=DeadlineKind.REVIEW.value, leg=leg,
                                start=r.requested_on, due=r.due, nominal=r.due, state=state.value,
                                closed_on=closed, basis=f"法律顾问审查：自送审之日起{days}个工作日内办结"))
    return out
