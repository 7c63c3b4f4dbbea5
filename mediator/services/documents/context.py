"""The document context of a case: ``case_detail`` plus settings → what a form may print.

`build_context` is pure (case detail dict + settings → `DocumentContext`), so forms can be tested
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
    FollowUpInfo,
    OutcomeInfo,
    PartyInfo,
    ReviewInfo,
    SessionInfo,
)
from mediator.documents.spec import FormSpec
from mediator.domain.enums import (
    ConfirmationResult,
    FollowUpMethod,
    Gender,
    PartyRole,
    PerformanceResult,
    ReviewResult,
    Satisfaction,
    SessionKind,
)
from mediator.domain.errors import ValidationError
from mediator.domain.formatting import age_on, arabic_date, document_date, rmb_upper
from mediator.domain.validators import validate_id_number
from mediator.services.cases.read import case_detail
from mediator.services.context import ServiceContext
from mediator.services.permissions import Permission, requires
from mediator.services.settings import SETTINGS, all_settings
from mediator.store.models import Advisor, AdvisorReview, Organization

log = logging.getLogger(__name__)

SEAL_SETTING = "office.seal_text"  # honoured once declared in services/settings.py
RETENTION_SETTING = "documents.retention"  # likewise: the dossier's 保管期限
DEFAULT_RETENTION = "长期"
REVIEW_RESULTS = dict(ReviewResult.choices())
MEDIATOR_TITLES = {"people": "人民调解员", "administrative": "调解人员", "judicial": "调解员"}


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _text_date(value: str | None) -> str:
    day = _day(value)
    return arabic_date(day) if day else ""


def _names(parties: list[PartyInfo], role: str | None = None) -> str:
    return "、".join(p.name for p in parties if role is None or p.role == role)


def _label(enum: Any, value: str | None) -> str:
    if not value:
        return ""
    try:
        return enum(value).label
    except ValueError:
        return value


def _birth(party: dict[str, Any], on: date) -> date | None:
    birth = _day(party.get("birth_date"))
    if birth is None and party.get("id_number"):
        try:  # the number encodes the birth date
            birth = validate_id_number(party["id_number"], today=on).birth_date
        except ValidationError:
            return None
    return birth


def _party(party: dict[str, Any], on: date) -> PartyInfo:
    birth = _birth(party, on)
    age = f"{age_on(birth, on)}岁" if birth and birth <= on else ""
    agent = party.get("agent")
    return PartyInfo(
        role=party["role"], role_label=_label(PartyRole, party["role"]), kind=party["kind"],
        name=party["name"], gender=_label(Gender, party.get("gender")),
        ethnicity=party.get("ethnicity") or "", age=age,
        birth_date=arabic_date(birth) if birth else "", occupation=party.get("occupation") or "",
        address=party.get("address") or "", phone=party.get("phone") or "",
        id_number=party.get("id_number") or "", credit_code=party.get("credit_code") or "",
        representative=party.get("representative") or "",
        agent=AgentInfo(agent["name"], agent.get("relation") or "", agent.get("phone") or "")
        if agent else None,
    )


def _agreement(detail: dict[str, Any], parties: int) -> AgreementInfo | None:
    a = detail.get("agreement")
    if not a:
        return None
    amount = Decimal(a.get("amount_yuan") or "0")
    upper = rmb_upper(amount) if amount > 0 else ""
    figures = f"¥{amount:,.2f}" if amount > 0 else ""
    copies = a.get("copies") or parties + 1
    return AgreementInfo(
        form=a.get("form") or "written", signed_on=_text_date(a["signed_on"]),
        facts=(a.get("facts") or "").strip() or detail.get("summary", ""),
        terms=tuple(a.get("items") or ()), performance=a.get("performance") or "",
        deadline=_text_date(a.get("deadline")), amount_figures=figures, amount_upper=upper,
        amount_text=f"{upper}（{figures}）" if upper else "", copies=copies,
        copies_text=chinese_ordinal(copies),
    )


def _last_event(detail: dict[str, Any], actions: tuple[str, ...]) -> dict[str, Any] | None:
    found = [e for e in detail.get("timeline", ()) if e["action"] in actions]
    return found[-1] if found else None


def _outcome(event: dict[str, Any] | None) -> OutcomeInfo | None:
    if event is None:
        return None
    reason = (event.get("data") or {}).get("reason") or event.get("note") or ""
    return OutcomeInfo(on=_text_date(event["on"]), reason=reason, note=event.get("note") or "")


def _termination(detail: dict[str, Any]) -> OutcomeInfo | None:
    event = _last_event(detail, ("fail", "withdraw"))
    outcome = _outcome(event)
    if outcome and event and event["action"] == "withdraw" and not outcome.reason:
        outcome = OutcomeInfo(outcome.on, "当事人要求终止调解", outcome.note)
    return outcome


def follow_up_info(v: dict[str, Any]) -> FollowUpInfo:
    """One follow-up visit of ``case_detail`` as a form prints it."""
    return FollowUpInfo(on=_text_date(v["on"]), method=_label(FollowUpMethod, v.get("method")),
                        performance=_label(PerformanceResult, v.get("performance")),
                        satisfaction=_label(Satisfaction, v.get("satisfaction")),
                        note=v.get("note") or "", visitor=v.get("visitor") or "")


def _follow_up(detail: dict[str, Any]) -> FollowUpInfo | None:
    visits = detail.get("follow_ups") or []
    return follow_up_info(visits[-1]) if visits else None


def _session_result(detail: dict[str, Any], last: bool) -> str:
    if not last:
        return "未达成协议，继续调解"
    if detail.get("agreement"):
        return "达成调解协议"
    if _last_event(detail, ("fail", "withdraw")):
        return "调解不成，终止调解"
    return "未达成协议，继续调解"


def _sessions(detail: dict[str, Any], party_names: str) -> tuple[SessionInfo, ...]:
    rows = detail.get("sessions") or []
    mediations = [s for s in rows if s.get("kind") == SessionKind.MEDIATION.value]
    last = mediations[-1] if mediations else None
    return tuple(
        SessionInfo(on=_text_date(s["on"]), kind=s.get("kind") or "",
                    kind_label=_label(SessionKind, s.get("kind")), place=s.get("place") or "",
                    participants=(s.get("participants") or "").strip() or party_names,
                    record=s.get("record") or "",
                    result=_session_result(detail, s is last)
                    if s.get("kind") == SessionKind.MEDIATION.value else "")
        for s in rows)


def _latest(sessions: tuple[SessionInfo, ...], kind: SessionKind) -> SessionInfo | None:
    found = [s for s in sessions if s.kind == kind.value]
    return found[-1] if found else None


def _confirmation(detail: dict[str, Any]) -> ConfirmationInfo | None:
    j = detail.get("judicial_confirmation")
    if not j:
        return None
    return ConfirmationInfo(applied_on=_text_date(j.get("applied_on")), court=j.get("court") or "",
                            result_label=_label(ConfirmationResult, j.get("result")),
                            ruled_on=_text_date(j.get("on")))


def _review(detail: dict[str, Any]) -> ReviewInfo | None:
    reviews = detail.get("advisor_reviews") or []
    done = [r for r in reviews if r.get("result") not in ("pending", "voided")]
    r = (done or reviews or [None])[-1]
    return review_info(r) if r is not None else None


def review_info(r: dict[str, Any]) -> ReviewInfo:
    """One advisor review (``document_detail``'s ``advisor_reviews``) as the form prints it."""
    return ReviewInfo(advisor=r["advisor"], requested_on=_text_date(r["requested_on"]),
                      requested_by=r.get("requested_by") or "", request_note=r.get("request_note") or "",
                      result_label=REVIEW_RESULTS.get(r.get("result") or "", r.get("result") or ""),
                      opinion=r.get("opinion") or "", reviewed_on=_text_date(r.get("reviewed_on")))


def document_day(detail: dict[str, Any], dated: str, today: date) -> date:
    """The date a form is dated by (its ``dated`` key), today when that event has no date."""
    if dated == "agreement" and detail.get("agreement"):
        return date.fromisoformat(detail["agreement"]["signed_on"])
    if dated in ("investigation", "session"):
        kind = SessionKind.INVESTIGATION if dated == "investigation" else SessionKind.MEDIATION
        found = [s for s in detail.get("sessions") or () if s.get("kind") == kind.value]
        return date.fromisoformat(found[-1]["on"]) if found else today
    if dated == "confirmation" and detail.get("judicial_confirmation"):
        return date.fromisoformat(detail["judicial_confirmation"]["applied_on"])
    if dated == "review" and detail.get("advisor_reviews"):
        r = detail["advisor_reviews"][-1]
        return date.fromisoformat(r.get("reviewed_on") or r["requested_on"])
    if dated == "archive":
        event = _last_event(detail, ("archive",))
        return date.fromisoformat(event["on"]) if event else today
    events = {"termination": ("fail", "withdraw"), "rejection": ("reject",)}
    if dated in events:
        event = _last_event(detail, events[dated])
        return date.fromisoformat(event["on"]) if event else today
    if dated == "follow_up" and detail.get("follow_ups"):
        return date.fromisoformat(detail["follow_ups"][-1]["on"])
    if dated == "received":
        return date.fromisoformat(detail["received_on"])
    if dated == "accepted":
        return date.fromisoformat(detail.get("accepted_on") or detail["received_on"])
    return today


def build_context(detail: dict[str, Any], settings: dict[str, Any] | None = None, *,
                  on: date, organization: dict[str, str] | None = None,
                  verify_code: str = "") -> DocumentContext:
    """The document context of a case (``case_detail`` output) dated ``on``.

    Args:
        detail: what ``queries.case_detail`` returns.
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
    parties = [_party(p, on) for p in detail.get("parties", ())]
    mediators = tuple(detail.get("mediators", ()))
    register = _last_event(detail, ("register",))
    org = organization or {}
    sessions = _sessions(detail, _names(parties))
    return DocumentContext(
        number=detail.get("number") or "", organization=detail.get("organization") or "",
        date=on, date_text=date_text, track=detail.get("track") or "people",
        track_label=detail.get("track_label") or "", track_detail=detail.get("track_detail") or "",
        track_detail_label=detail.get("track_detail_label") or "",
        organization_address=org.get("address") or "", organization_phone=org.get("phone") or "",
        office_name=settings.get("office.name") or "",
        office_address=settings.get("office.address") or "",
        office_phone=settings.get("office.phone") or "",
        category=detail.get("category") or "", category_label=detail.get("category_label") or "",
        source_label=detail.get("source_label") or "", village=detail.get("village") or "",
        grid=detail.get("grid") or "", received_on=_text_date(detail.get("received_on")),
        accepted_on=_text_date(detail.get("accepted_on")), summary=detail.get("summary") or "",
        requests=detail.get("requests") or "", parties=tuple(parties),
        party_names=_names(parties), applicant_names=_names(parties, "applicant"),
        respondent_names=_names(parties, "respondent"), mediators=mediators,
        mediator_names="、".join(mediators), recorder="",
        mediator_title=MEDIATOR_TITLES.get(detail.get("track") or "people", "调解员"),
        registrar=register["actor"] if register else "", status_label=detail.get("status_label") or "",
        agreement=_agreement(detail, len(parties)), termination=_termination(detail),
        rejection=_outcome(_last_event(detail, ("reject",))), follow_up=_follow_up(detail),
        sessions=sessions, investigation=_latest(sessions, SessionKind.INVESTIGATION),
        session=_latest(sessions, SessionKind.MEDIATION), confirmation=_confirmation(detail),
        advisor_review=_review(detail), office_seal=settings.get(SEAL_SETTING) or "",
        verify_code=verify_code,
    )


@requires(Permission.CASE_READ)
def document_detail(ctx: ServiceContext, case_id: int) -> tuple[dict[str, Any], dict[str, str]]:
    """``case_detail`` plus the advisor reviews, and the mediating organisation's address/phone."""
    detail = case_detail(ctx, case_id)
    with ctx.read() as session:
        org = session.exec(select(Organization).where(Organization.name == detail["organization"])).first()
        organization = {"address": org.address or "", "phone": org.phone or ""} if org else {}
        reviews = session.exec(select(AdvisorReview, Advisor.name)
                               .join(Advisor, Advisor.id == AdvisorReview.advisor_id)
                               .where(AdvisorReview.case_id == case_id)
                               .order_by(AdvisorReview.requested_on, AdvisorReview.id))
        detail["advisor_reviews"] = [
            {"advisor": name, "requested_on": r.requested_on.isoformat(),
             "requested_by": r.requested_by, "request_note": r.request_note, "result": r.result,
             "opinion": r.opinion, "reviewed_on": r.reviewed_on.isoformat() if r.reviewed_on else None}
            for r, name in reviews]
    return detail, organization


@requires(Permission.CASE_READ)
def document_context(ctx: ServiceContext, case_id: int, form: FormSpec,
                     on: date | None = None, *, verify_code: str = "") -> DocumentContext:
    """The context for ``form`` of one case, read from the database."""
    detail, organization = document_detail(ctx, case_id)
    day = on or document_day(detail, form.dated, ctx.today())
    return build_context(detail, document_settings(ctx), on=day, organization=organization,
                         verify_code=verify_code)


def document_settings(ctx: ServiceContext) -> dict[str, Any]:
    settings = all_settings(ctx)
    if RETENTION_SETTING not in SETTINGS:
        settings[RETENTION_SETTING] = DEFAULT_RETENTION
    return settings
