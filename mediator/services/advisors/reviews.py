"""Review of a case file by the village's legal advisor: request, opinion, queue, policy, deadline.

A review is sent to the advisor of the case's village (chosen from the appointments; the office
may pick another), with the draft agreement (拟定协议) as it stands: the review keeps that revision
and a snapshot of it, so the advisor reads exactly what was sent. The advisor answers 同意,
修改后同意 or 不同意 (the last two with reasons). Both steps go on the case
timeline (actions ``review_request`` and ``review``); an open review has a ``review`` deadline
(setting ``advisors.review_working_days``, default 3 working days); a decided review adds a line
to the advisor's service ledger. The printed opinion is the form ``advisor_review``.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlmodel import Session, select

from mediator.domain.calendar import working_days_after
from mediator.domain.case_detail import CaseDetail, DraftText
from mediator.domain.enums import CaseStatus, LedgerKind, ReviewResult
from mediator.domain.errors import (
    ConflictError,
    NotFoundError,
    PermissionDenied,
    ValidationError,
)
from mediator.services import audit
from mediator.services.access import (
    advisor_scope_of,
    case_condition,
    check_case_visible,
    is_advisor,
)
from mediator.services.advisors.coverage import current_appointment
from mediator.services.cases.change_log import next_seq
from mediator.services.cases.deadlines import refresh_case_deadlines
from mediator.services.cases.drafts import stored_draft, text_of
from mediator.services.cases.read import case_detail
from mediator.services.cases.stored import lock_case
from mediator.services.changes import OpChanges, OpChangesWithId
from mediator.services.context import ServiceContext
from mediator.services.permissions import Permission, requires
from mediator.services.settings import get_setting
from mediator.store.models import (
    Advisor,
    AdvisorReview,
    Case,
    CaseParty,
    LedgerEntry,
    Region,
    TimelineEvent,
)

REQUEST_ACTION, OPINION_ACTION = "review_request", "review"
# Cases that are closed for good are not sent for review.
_NOT_REVIEWABLE = (CaseStatus.REJECTED, CaseStatus.WITHDRAWN, CaseStatus.ARCHIVED)


@dataclass(frozen=True)
class ReviewRow:
    """One review as lists and the case workspace show it."""

    id: int
    case_id: int
    case_number: str
    case_status: str
    village: str
    parties: str
    advisor_id: int
    advisor: str
    requested_on: date
    requested_by: str
    request_note: str
    due: date
    result: str
    opinion: str
    reviewed_on: date | None
    version: int
    draft_revision: int | None = None  # the draft revision sent (None: no draft then)

    @property
    def result_label(self) -> str:
        return ReviewResult(self.result).label

    @property
    def pending(self) -> bool:
        return self.result == ReviewResult.PENDING.value

    def overdue(self, on: date) -> bool:
        return self.pending and on > self.due

    @property
    def turnaround_days(self) -> int | None:
        """Days from the request to the opinion (None while pending)."""
        return (self.reviewed_on - self.requested_on).days if self.reviewed_on else None


def _rows(session: Session, reviews: list[AdvisorReview]) -> list[ReviewRow]:
    if not reviews:
        return []
    case_ids = {r.case_id for r in reviews}
    cases = {c.id: c for c in session.exec(select(Case).where(Case.id.in_(case_ids)))}
    villages = dict(session.exec(select(Region.id, Region.name).where(
        Region.id.in_({c.village_id for c in cases.values()}))).all())
    advisors = dict(session.exec(select(Advisor.id, Advisor.name).where(
        Advisor.id.in_({r.advisor_id for r in reviews}))).all())
    names: dict[int, list[str]] = {}
    for case_id, name in session.exec(select(CaseParty.case_id, CaseParty.name)
                                      .where(CaseParty.case_id.in_(case_ids)).order_by(CaseParty.seq)):
        names.setdefault(case_id, []).append(name)
    out = []
    for r in reviews:
        c = cases[r.case_id]
        out.append(ReviewRow(r.id, c.id, c.number, c.status, villages.get(c.village_id, ""),
                             "、".join(names.get(c.id, [])), r.advisor_id, advisors.get(r.advisor_id, ""),
                             r.requested_on, r.requested_by, r.request_note, r.due, r.result, r.opinion,
                             r.reviewed_on, r.version, r.draft_revision))
    return out


def _timeline(ctx: ServiceContext, session: Session, case: Case, action: str, on: date, note: str,
              data: dict[str, Any]) -> None:
    session.add(TimelineEvent(case_id=case.id, seq=next_seq(session, case.id), on=on, at=ctx.now(), action=action,
                              from_status=case.status, to_status=case.status, actor=ctx.actor,
                              note=note, data=data))


# --- use cases ------------------------------------------------------------------------------


@requires(Permission.CASE_HANDLE)
def request_review(ctx: ServiceContext, case_id: int, *, advisor_id: int | None = None,
                   note: str = "", on: date | None = None) -> OpChangesWithId:
    """送法律顾问审查: to the village's current advisor, or to ``advisor_id`` (the office's pick).

    Returns the review's id. Refused while another review of the case is pending.
    """
    if is_advisor(ctx.user):
        raise PermissionDenied("送法律顾问审查由调解员或司法所办理")
    on = on or ctx.today()
    if on > ctx.today():
        raise ValidationError("on", "送审日期不能晚于今天")
    with ctx.transaction() as session:
        case = lock_case(session, case_id, None)
        status = CaseStatus(case.status)
        if status in _NOT_REVIEWABLE:
            raise ValidationError("case", f"{status.label}的案件不能送法律顾问审查")
        if on < case.received_on:
            raise ValidationError("on", f"送审日期不能早于收案日期{case.received_on.isoformat()}")
        pending = session.exec(select(AdvisorReview, Advisor).join(Advisor, Advisor.id == AdvisorReview.advisor_id)
                               .where(AdvisorReview.case_id == case.id,
                                      AdvisorReview.result == ReviewResult.PENDING.value)).first()
        if pending is not None:
            raise ValidationError("case", f"该案件已于{pending[0].requested_on.isoformat()}送{pending[1].name}"
                                          "审查，尚未办结")
        found = current_appointment(session, case.village_id, on)
        automatic = found[1] if found else None
        if advisor_id is None:
            if automatic is None:
                village = session.get(Region, case.village_id)
                raise ValidationError("advisor_id", f"{village.name}目前没有在聘的法律顾问，请指定一名法律顾问")
            advisor = automatic
        else:
            advisor = session.get(Advisor, advisor_id)
            if advisor is None:
                raise ValidationError("advisor_id", f"法律顾问（编号{advisor_id}）不存在")
            if not advisor.active:
                raise ValidationError("advisor_id", f"法律顾问{advisor.name}已停用")
        draft = stored_draft(session, case.id)
        text = text_of(draft) if draft is not None and not draft.signed else None
        how = "按聘任自动分派" if automatic is not None and advisor.id == automatic.id else "司法所指定"
        days = int(get_setting(ctx, "advisors.review_working_days"))
        due = working_days_after(on, days, ctx.calendar).due
        review = AdvisorReview(case_id=case.id, advisor_id=advisor.id, requested_on=on,
                               requested_by=ctx.actor, request_note=(note or "").strip(), due=due,
                               draft_revision=text.revision if text else None,
                               draft=text.to_json() if text else None)
        session.add(review)
        session.flush()
        what = f"协议草稿（第{text.revision}稿）" if text else ""
        line = f"送法律顾问{advisor.name}审查{what}（{how}），应于{due.isoformat()}前办结"
        if review.request_note:
            line += f"：{review.request_note}"
        _timeline(ctx, session, case, REQUEST_ACTION, on, line,
                  {"review_id": review.id, "advisor": advisor.name, "due": due.isoformat(),
                   "draft_revision": review.draft_revision})
        refresh_case_deadlines(ctx, session, case.id)
        audit.record(ctx, session, "review.request", case.number,
                     {"case_id": case.id, "review_id": review.id, "advisor": advisor.name, "due": due.isoformat()})
        return OpChangesWithId(case_ids=(case.id,), reminders=True, id=review.id)  # its timeline, the review deadline


@requires(Permission.ADVISOR_REVIEW)
def decide_review(ctx: ServiceContext, review_id: int, result: ReviewResult, opinion: str, *,
                  on: date | None = None, expected_version: int | None = None) -> OpChanges:
    """The advisor's answer: 同意, 修改后同意 (what to change) or 不同意 (why).

    An advisor may decide only the reviews sent to them; the office may record an opinion given
    on paper. The opinion goes on the timeline and into the advisor's service ledger.
    """
    if result not in ReviewResult.answers():
        raise ValidationError("result", "请选择审查结论：同意、修改后同意或不同意")
    opinion = (opinion or "").strip()
    if not opinion and result is ReviewResult.AMENDED:
        raise ValidationError("opinion", "修改后同意须写明需要修改的内容")
    if not opinion and result is ReviewResult.DISAPPROVED:
        raise ValidationError("opinion", "不同意须写明理由")
    opinion = opinion or "同意。"
    on = on or ctx.today()
    if on > ctx.today():
        raise ValidationError("on", "审查日期不能晚于今天")
    scope = advisor_scope_of(ctx)
    with ctx.transaction() as session:
        review = session.get(AdvisorReview, review_id)
        if review is None:
            raise NotFoundError(f"审查请求（编号{review_id}）不存在")
        if scope is not None and scope.advisor_id != review.advisor_id:
            raise PermissionDenied("只能办理送给您本人的审查")
        if expected_version is not None and review.version != expected_version:
            raise ConflictError("该审查已被他人办理或修改，请刷新后再操作")
        if review.result != ReviewResult.PENDING.value:
            done = ReviewResult(review.result).label
            raise ValidationError("result", f"该审查已于{review.reviewed_on}办结（{done}），不能重复提交")
        if on < review.requested_on:
            raise ValidationError("on", f"审查日期不能早于送审日期{review.requested_on.isoformat()}")
        case = lock_case(session, review.case_id, None)
        advisor = session.get(Advisor, review.advisor_id)
        review.result, review.opinion, review.reviewed_on = result.value, opinion, on
        review.version += 1
        session.add(review)
        session.add(LedgerEntry(advisor_id=advisor.id, village_id=case.village_id, on=on,
                                kind=LedgerKind.CONSULTATION.value,
                                content=f"审查调解案件{case.number}，意见：{result.label}", case_id=case.id,
                                review_id=review.id, source="review", created_at=ctx.now()))
        _timeline(ctx, session, case, OPINION_ACTION, on,
                  f"法律顾问{advisor.name}审查意见：{result.label}。{opinion}",
                  {"review_id": review.id, "advisor": advisor.name, "result": result.value})
        refresh_case_deadlines(ctx, session, case.id)
        audit.record(ctx, session, "review.decide", case.number,
                     {"case_id": case.id, "review_id": review.id, "result": result.value})
        return OpChanges.of_cases([case.id])  # its review state, its deadlines, the ledger


# --- reading ---------------------------------------------------------------------------------


@requires(Permission.CASE_READ)
def review_queue(ctx: ServiceContext, *, advisor_id: int | None = None,
                 pending_only: bool = True) -> list[ReviewRow]:
    """待我审查: pending reviews soonest due first, then decided ones newest first.

    An advisor always sees only their own reviews, whatever ``advisor_id`` says.
    """
    scope = advisor_scope_of(ctx)
    if scope is not None:
        if scope.advisor_id is None:
            return []
        advisor_id = scope.advisor_id
    condition = case_condition(ctx)  # the office: reviews of the cases it may see
    with ctx.read() as session:
        stmt = select(AdvisorReview)
        if condition is not None:
            stmt = stmt.join(Case, Case.id == AdvisorReview.case_id).where(condition)
        if advisor_id is not None:
            stmt = stmt.where(AdvisorReview.advisor_id == advisor_id)
        if pending_only:
            stmt = stmt.where(AdvisorReview.result == ReviewResult.PENDING.value)
        rows = _rows(session, list(session.exec(stmt)))
    pending = sorted((r for r in rows if r.pending), key=lambda r: (r.due, r.id))
    done = sorted((r for r in rows if not r.pending), key=lambda r: (r.reviewed_on, r.id), reverse=True)
    return pending + done


@requires(Permission.CASE_READ)
def reviews_for_case(ctx: ServiceContext, case_id: int) -> list[ReviewRow]:
    """Every review of one case, oldest first (the agreement tab and the dossier show them)."""
    check_case_visible(ctx, None, case_id)
    with ctx.read() as session:
        reviews = list(session.exec(select(AdvisorReview).where(AdvisorReview.case_id == case_id)
                                    .order_by(AdvisorReview.requested_on, AdvisorReview.id)))
        return _rows(session, reviews)


@requires(Permission.CASE_READ)
def review_row(ctx: ServiceContext, review_id: int) -> ReviewRow:
    """One review; the reader must be allowed to read its case."""
    with ctx.read() as session:
        review = session.get(AdvisorReview, review_id)
        if review is None:
            raise NotFoundError(f"审查请求（编号{review_id}）不存在")
    check_case_visible(ctx, None, review.case_id)
    with ctx.read() as session:
        return _rows(session, [review])[0]


@dataclass(frozen=True)
class ReviewDetail:
    """What the advisor reads: the review, the draft as sent and the case file."""

    review: ReviewRow
    case: CaseDetail
    draft: DraftText | None = None  # the draft agreement as it was sent
    current_revision: int | None = None  # the draft's revision now (the mediator may have revised it)
    draft_signed: bool = False


@requires(Permission.CASE_READ)
def review_detail(ctx: ServiceContext, review_id: int) -> ReviewDetail:
    """A review with the draft it was sent with and the whole case file (what the advisor reads)."""
    row = review_row(ctx, review_id)
    with ctx.read() as session:
        snapshot = session.get(AdvisorReview, review_id).draft
        current = stored_draft(session, row.case_id)
        revision, signed = (current.revision, current.signed) if current is not None else (None, False)
    return ReviewDetail(row, case_detail(ctx, row.case_id), DraftText.from_json(snapshot) if snapshot else None,
                        revision, signed)


__all__ = ["OPINION_ACTION", "REQUEST_ACTION", "ReviewDetail", "ReviewRow", "decide_review",
           "request_review", "review_detail",
           "review_queue", "review_row", "reviews_for_case"]
