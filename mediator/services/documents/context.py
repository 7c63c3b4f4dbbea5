"""The document context of a case: ``case_detail`` plus settings → what a form may print.

`build_context` is pure (`CaseDetail` + settings → `DocumentContext`), so forms can be tested
without a database; `document_context` reads the case first.
"""
from __future__ import annotations

import logging
from datetime import date
from decimal import Decimal
from typing import Any

from sqlmodel import select

from mediator.documents.compose import chinese_ordinal
from mediator.documents.context import (
    AgentInfo,
    AgreementInfo,
    ConfirmationInfo,
    DocumentContext,
    DraftInfo,
    FollowUpInfo,
    OutcomeInfo,
    PartyInfo,
    ReviewInfo,
    SessionInfo,
    SupplementInfo,
)
from mediator.documents.spec import FormSpec
from mediator.domain.case_detail import (
    CaseDetail,
    DraftText,
    FollowUpRecord,
    PartyDetail,
    ReviewRecord,
    SupplementRecord,
    TimelineEntry,
)
from mediator.domain.enums import (
    ConfirmationResult,
    FollowUpMethod,
    Gender,
    PartyRole,
    PerformanceResult,
    ReviewResult,
    Satisfaction,
    SessionKind,
    SupplementKind,
)
from mediator.domain.errors import ValidationError
from mediator.domain.formatting import age_on, arabic_date, document_date, rmb_upper
from mediator.domain.validators import validate_id_number
from mediator.services.cases.read import case_detail
from mediator.services.context import ServiceContext
from mediator.services.office_scope import office_of
from mediator.services.permissions import Permission, requires
from mediator.services.settings import COUNTY, SETTINGS, all_settings
from mediator.store.models import Advisor, AdvisorReview, Case, Organization

log = logging.getLogger(__name__)

SEAL_SETTING = "office.seal_text"  # honoured once declared in services/settings.py
RETENTION_SETTING = "documents.retention"  # likewise: the dossier's 保管期限
DEFAULT_RETENTION = "长期"
REVIEW_RESULTS = dict(ReviewResult.choices())
MEDIATOR_TITLES = {"people": "人民调解员", "administrative": "调解人员", "judicial": "调解员"}


def _text_date(value: date | None) -> str:
    return arabic_date(value) if value else ""


def _names(parties: list[PartyInfo], role: str | None = None) -> str:
    return "、".join(p.name for p in parties if role is None or p.role == role)


def _label(enum: Any, value: str | None) -> str:
    if not value:
        return ""
    try:
        return enum(value).label
    except ValueError:
        return value


def _birth(party: PartyDetail, on: date) -> date | None:
    birth = party.birth_date
    if birth is None and party.id_number:
        try:  # the number encodes the birth date
            birth = validate_id_number(party.id_number, today=on).birth_date
        except ValidationError:
            return None
    return birth


def _party(party: PartyDetail, on: date) -> PartyInfo:
    birth = _birth(party, on)
    age = f"{age_on(birth, on)}岁" if birth and birth <= on else ""
    agent = party.agent
    return PartyInfo(
        role=party.role, role_label=_label(PartyRole, party.role), kind=party.kind,
        name=party.name, gender=_label(Gender, party.gender), ethnicity=party.ethnicity or "", age=age,
        birth_date=arabic_date(birth) if birth else "", occupation=party.occupation or "",
        address=party.address or "", phone=party.phone or "", id_number=party.id_number or "",
        credit_code=party.credit_code or "", representative=party.representative or "",
        agent=AgentInfo(agent.name, agent.relation or "", agent.phone or "") if agent else None,
    )


def _amount(yuan: str | None) -> tuple[str, str]:
    """(upper, figures) of an amount; both "" when no money is involved."""
    amount = Decimal(yuan or "0")
    return (rmb_upper(amount), f"¥{amount:,.2f}") if amount > 0 else ("", "")


def _agreement(detail: CaseDetail, parties: int) -> AgreementInfo | None:
    a = detail.agreement
    if a is None:
        return None
    upper, figures = _amount(a.amount_yuan)
    copies = a.copies or parties + 1
    return AgreementInfo(
        form=a.form or "written", signed_on=_text_date(a.signed_on),
        facts=(a.facts or "").strip() or detail.summary, terms=tuple(a.items),
        performance=a.performance or "", deadline=_text_date(a.deadline), amount_figures=figures,
        amount_upper=upper, amount_text=f"{upper}（{figures}）" if upper else "", copies=copies,
        copies_text=chinese_ordinal(copies),
    )


def supplement_info(detail: CaseDetail, record: SupplementRecord) -> SupplementInfo:
    """One 变更/补充协议 of the case as the form prints it."""
    change = record.kind == SupplementKind.CHANGE.value
    original = detail.agreement.signed_on if detail.agreement else None
    return SupplementInfo(seq=record.seq, kind=record.kind, title="变更协议书" if change else "补充协议书",
                          action="变更" if change else "补充", signed_on=_text_date(record.signed_on),
                          terms=tuple(record.terms), reason=record.reason or "",
                          original_signed_on=_text_date(original))


def _supplement(detail: CaseDetail) -> SupplementInfo | None:
    return supplement_info(detail, detail.supplements[-1]) if detail.supplements else None


def _outcome(event: TimelineEntry | None) -> OutcomeInfo | None:
    if event is None:
        return None
    reason = event.data.get("reason") or event.note or ""
    return OutcomeInfo(on=_text_date(event.on), reason=reason, note=event.note or "")


def _termination(detail: CaseDetail) -> OutcomeInfo | None:
    event = detail.last_event("fail", "withdraw")
    outcome = _outcome(event)
    if outcome and event and event.action == "withdraw" and not outcome.reason:
        outcome = OutcomeInfo(outcome.on, "当事人要求终止调解", outcome.note)
    return outcome


def follow_up_info(v: FollowUpRecord) -> FollowUpInfo:
    """One follow-up visit of the case as a form prints it."""
    return FollowUpInfo(on=_text_date(v.on), method=_label(FollowUpMethod, v.method),
                        performance=_label(PerformanceResult, v.performance),
                        satisfaction=_label(Satisfaction, v.satisfaction),
                        note=v.note or "", visitor=v.visitor or "")


def _follow_up(detail: CaseDetail) -> FollowUpInfo | None:
    return follow_up_info(detail.follow_ups[-1]) if detail.follow_ups else None


def _session_result(detail: CaseDetail, last: bool) -> str:
    if not last:
        return "未达成协议，继续调解"
    if detail.agreement:
        return "达成调解协议"
    if detail.last_event("fail", "withdraw"):
        return "调解不成，终止调解"
    return "未达成协议，继续调解"


def _sessions(detail: CaseDetail, party_names: str) -> tuple[SessionInfo, ...]:
    mediations = [s for s in detail.sessions if s.kind == SessionKind.MEDIATION.value]
    last = mediations[-1] if mediations else None
    return tuple(
        SessionInfo(on=_text_date(s.on), kind=s.kind or "", kind_label=_label(SessionKind, s.kind),
                    place=s.place or "", participants=(s.participants or "").strip() or party_names,
                    record=s.record or "",
                    result=_session_result(detail, s is last) if s.kind == SessionKind.MEDIATION.value else "")
        for s in detail.sessions)


def _latest(sessions: tuple[SessionInfo, ...], kind: SessionKind) -> SessionInfo | None:
    found = [s for s in sessions if s.kind == kind.value]
    return found[-1] if found else None


def _confirmation(detail: CaseDetail) -> ConfirmationInfo | None:
    j = detail.judicial_confirmation
    if j is None:
        return None
    return ConfirmationInfo(applied_on=_text_date(j.applied_on), court=j.court or "",
                            result_label=_label(ConfirmationResult, j.result), ruled_on=_text_date(j.on))


def _review(detail: CaseDetail) -> ReviewInfo | None:
    reviews = detail.advisor_reviews
    done = [r for r in reviews if r.result not in ("pending", "voided")]
    r = (done or list(reviews) or [None])[-1]
    return review_info(r) if r is not None else None


def _draft(d: DraftText | None) -> DraftInfo | None:
    if d is None:
        return None
    upper, figures = _amount(d.amount_yuan)
    return DraftInfo(revision=d.revision, revision_text=f"第{d.revision}稿", facts=d.facts or "",
                     terms=tuple(d.items), performance=d.performance or "", deadline=_text_date(d.deadline),
                     amount_text=f"{upper}（{figures}）" if upper else "")


def review_info(r: ReviewRecord) -> ReviewInfo:
    """One advisor review (``document_detail``'s ``advisor_reviews``) as the form prints it."""
    return ReviewInfo(advisor=r.advisor, requested_on=_text_date(r.requested_on),
                      requested_by=r.requested_by or "", request_note=r.request_note or "",
                      result_label=REVIEW_RESULTS.get(r.result or "", r.result or ""),
                      opinion=r.opinion or "", reviewed_on=_text_date(r.reviewed_on), draft=_draft(r.draft))


def document_day(detail: CaseDetail, dated: str, today: date) -> date:
    """The date a form is dated by (its ``dated`` key), today when that event has no date."""
    if dated == "agreement" and detail.agreement:
        return detail.agreement.signed_on
    if dated in ("investigation", "session"):
        kind = SessionKind.INVESTIGATION if dated == "investigation" else SessionKind.MEDIATION
        found = [s for s in detail.sessions if s.kind == kind.value]
        return found[-1].on if found else today
    if dated == "supplement" and detail.supplements:
        return detail.supplements[-1].signed_on
    if dated == "confirmation" and detail.judicial_confirmation:
        return detail.judicial_confirmation.applied_on
    if dated == "review" and detail.advisor_reviews:
        return detail.advisor_reviews[-1].day
    if dated == "archive":
        event = detail.last_event("archive")
        return event.on if event else today
    events = {"termination": ("fail", "withdraw"), "rejection": ("reject",)}
    if dated in events:
        event = detail.last_event(*events[dated])
        return event.on if event else today
    if dated == "follow_up" and detail.follow_ups:
        return detail.follow_ups[-1].on
    if dated == "received":
        return detail.received_on
    if dated == "accepted":
        return detail.accepted_on or detail.received_on
    return today


def build_context(detail: CaseDetail, settings: dict[str, Any] | None = None, *,
                  on: date, organization: dict[str, str] | None = None,
                  verify_code: str = "") -> DocumentContext:
    """The document context of a case dated ``on``.

    Args:
        detail: the case as read (``document_detail``, or a sample).
        settings: office settings (``all_settings``); ``documents.date_style`` picks the date style.
        on: the document date (ages are counted on it).
        organization: address and phone of the mediating organisation, when known.
    """
    settings = settings or {}
    style = settings.get("documents.date_style") or "chinese"
    try:
        date_text = document_date(on, style)
    except ValueError:
        log.warning("未知的文书日期样式 %r，已按中文大写日期落款", style)
        date_text = document_date(on, "chinese")
    parties = [_party(p, on) for p in detail.parties]
    mediators = tuple(detail.mediators)
    register = detail.last_event("register")
    org = organization or {}
    sessions = _sessions(detail, _names(parties))
    return DocumentContext(
        number=detail.number or "", organization=detail.organization or "",
        date=on, date_text=date_text, track=detail.track or "people",
        track_label=detail.track_label or "", track_detail=detail.track_detail or "",
        track_detail_label=detail.track_detail_label or "",
        organization_address=org.get("address") or "", organization_phone=org.get("phone") or "",
        office_name=settings.get("office.name") or "",
        office_address=settings.get("office.address") or "",
        office_phone=settings.get("office.phone") or "",
        category=detail.category or "", category_label=detail.category_label or "",
        source_label=detail.source_label or "", village=detail.village or "",
        grid=detail.grid or "", received_on=_text_date(detail.received_on),
        accepted_on=_text_date(detail.accepted_on), summary=detail.summary or "",
        requests=detail.requests or "", parties=tuple(parties),
        party_names=_names(parties), applicant_names=_names(parties, "applicant"),
        respondent_names=_names(parties, "respondent"), mediators=mediators,
        mediator_names="、".join(mediators), recorder="",
        mediator_title=MEDIATOR_TITLES.get(detail.track or "people", "调解员"),
        registrar=register.actor if register else "", status_label=detail.status_label or "",
        agreement=_agreement(detail, len(parties)), supplement=_supplement(detail),
        termination=_termination(detail),
        rejection=_outcome(detail.last_event("reject")), follow_up=_follow_up(detail),
        sessions=sessions, investigation=_latest(sessions, SessionKind.INVESTIGATION),
        session=_latest(sessions, SessionKind.MEDIATION), confirmation=_confirmation(detail),
        advisor_review=_review(detail), office_seal=settings.get(SEAL_SETTING) or "",
        verify_code=verify_code,
    )


@requires(Permission.CASE_READ)
def document_detail(ctx: ServiceContext, case_id: int) -> tuple[CaseDetail, dict[str, str]]:
    """``case_detail`` with the advisor reviews, and the mediating organisation's address/phone."""
    detail = case_detail(ctx, case_id)
    with ctx.read() as session:
        org = session.exec(select(Organization).where(Organization.name == detail.organization)).first()
        organization = {"address": org.address or "", "phone": org.phone or ""} if org else {}
        reviews = session.exec(select(AdvisorReview, Advisor.name)
                               .join(Advisor, Advisor.id == AdvisorReview.advisor_id)
                               .where(AdvisorReview.case_id == case_id)
                               .order_by(AdvisorReview.requested_on, AdvisorReview.id))
        records = tuple(ReviewRecord(advisor=name, requested_on=r.requested_on, result=r.result,
                                     requested_by=r.requested_by, request_note=r.request_note,
                                     opinion=r.opinion, reviewed_on=r.reviewed_on,
                                     draft=DraftText.from_json(r.draft) if r.draft else None)
                        for r, name in reviews)
    return detail.with_changes(advisor_reviews=records), organization


@requires(Permission.CASE_READ)
def document_context(ctx: ServiceContext, case_id: int, form: FormSpec,
                     on: date | None = None, *, verify_code: str = "") -> DocumentContext:
    """The context for ``form`` of one case, read from the database."""
    detail, organization = document_detail(ctx, case_id)
    day = on or document_day(detail, form.dated, ctx.today())
    return build_context(detail, document_settings(ctx, case_id), on=day, organization=organization,
                         verify_code=verify_code)


def document_settings(ctx: ServiceContext, for_case: int | None = None) -> dict[str, Any]:
    """The settings a document prints with: those of the case's office (its name, seal text,
    date style), else of the user's office."""
    office = None
    if for_case is not None:
        with ctx.read() as session:
            organization_id = session.exec(select(Case.organization_id).where(Case.id == for_case)).first()
            office = office_of(session, organization_id)
        office = COUNTY if office is None else office
    settings = all_settings(ctx, office)
    if RETENTION_SETTING not in SETTINGS:
        settings[RETENTION_SETTING] = DEFAULT_RETENTION
    return settings
