"""Official documents of a case: the context built from the case and settings, rendered to PDF/DOCX.

`build_context` is pure (case detail dict + settings → `DocumentContext`), so renderers can be
tested without a database; `render_document` / `write_document` read the case and do the rest.
"""
from __future__ import annotations

import hashlib
import logging
import os
import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlmodel import select

from mediator import config
from mediator.documents.compose import chinese_ordinal, compose
from mediator.documents.context import (
    AgentInfo,
    AgreementInfo,
    DocumentContext,
    FollowUpInfo,
    OutcomeInfo,
    PartyInfo,
)
from mediator.documents.spec import FormSpec, form_path, load_form
from mediator.domain.enums import (
    FollowUpMethod,
    Gender,
    PartyRole,
    PerformanceResult,
    Satisfaction,
)
from mediator.domain.errors import DomainError, ValidationError
from mediator.domain.formatting import age_on, arabic_date, document_date, rmb_upper
from mediator.domain.validators import validate_id_number
from mediator.services.context import ServiceContext
from mediator.services.queries import case_detail
from mediator.services.settings import SETTINGS, all_settings
from mediator.store.models import Organization

log = logging.getLogger(__name__)

BUILTIN_FORMS = Path(__file__).resolve().parents[2] / "forms"
FONT_SETTING = "documents.font_path"  # honoured once declared in services/settings.py
FONT_ENV = "MEDIATOR_DOCUMENT_FONT"
FORMATS = ("pdf", "docx")
MEDIATOR_TITLES = {"people": "人民调解员", "administrative": "调解人员", "judicial": "调解员"}
MEDIA_TYPES = {"pdf": "application/pdf",
               "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}


def form_directories() -> list[Path]:
    """Where forms are looked up: the user's edited copies first, then the built-in forms."""
    return [config.data_dir() / "forms", BUILTIN_FORMS]


def get_form(form_id: str, directories: list[Path] | None = None) -> FormSpec:
    """The loaded form (cached per file version). Raises FormError for a faulty file."""
    try:
        path = form_path(form_id, directories or form_directories())
    except FileNotFoundError as exc:
        raise DomainError(str(exc)) from None
    return load_form(path)


# --- the context ---------------------------------------------------------------------------------


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


def _follow_up(detail: dict[str, Any]) -> FollowUpInfo | None:
    visits = detail.get("follow_ups") or []
    if not visits:
        return None
    v = visits[-1]
    return FollowUpInfo(on=_text_date(v["on"]), method=_label(FollowUpMethod, v.get("method")),
                        performance=_label(PerformanceResult, v.get("performance")),
                        satisfaction=_label(Satisfaction, v.get("satisfaction")),
                        note=v.get("note") or "", visitor=v.get("visitor") or "")


def document_day(detail: dict[str, Any], dated: str, today: date) -> date:
    """The date a form is dated by (its ``dated`` key), today when that event has no date."""
    if dated == "agreement" and detail.get("agreement"):
        return date.fromisoformat(detail["agreement"]["signed_on"])
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
                  on: date, organization: dict[str, str] | None = None) -> DocumentContext:
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
    )


def document_context(ctx: ServiceContext, case_id: int, form: FormSpec,
                     on: date | None = None) -> DocumentContext:
    """The context for ``form`` of one case, read from the database."""
    detail = case_detail(ctx, case_id)
    day = on or document_day(detail, form.dated, ctx.today())
    with ctx.read() as session:
        org = session.exec(select(Organization).where(Organization.name == detail["organization"])).first()
        organization = {"address": org.address or "", "phone": org.phone or ""} if org else {}
    return build_context(detail, all_settings(ctx), on=day, organization=organization)


# --- rendering --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RenderedDocument:
    """One rendered document: its bytes, a file name, its hash and any font warnings."""

    form_id: str
    fmt: str
    title: str
    filename: str
    data: bytes
    warnings: list[str] = field(default_factory=list)

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()

    @property
    def media_type(self) -> str:
        return MEDIA_TYPES[self.fmt]


def font_path_setting(ctx: ServiceContext) -> str | None:
    """An office's font file for documents (setting, else MEDIATOR_DOCUMENT_FONT)."""
    if FONT_SETTING in SETTINGS:
        value = all_settings(ctx).get(FONT_SETTING)
        if value:
            return str(value)
    return os.environ.get(FONT_ENV) or None


def _filename(number: str, title: str, fmt: str) -> str:
    stem = f"{number}{title}" if number else title
    return re.sub(r'[\\/:*?"<>|\s]+', "_", stem) + f".{fmt}"


def render_context(form: FormSpec, context: DocumentContext, fmt: str, *,
                   font_path: str | None = None) -> RenderedDocument:
    """Render a form for a ready context (no database): the pure half of ``render``."""
    if fmt not in FORMATS:
        raise ValidationError("fmt", f"不支持的文书格式：{fmt}（可用：pdf、docx）")
    composed = compose(form, context)
    if fmt == "pdf":
        from mediator.documents.fonts import find_fonts
        from mediator.documents.pdf import render_pdf

        result = render_pdf(composed, find_fonts(font_path), author=context.organization,
                            subject=context.number)
        data, warnings = result.data, result.warnings
    else:
        from mediator.documents.docx import render_docx

        data, warnings = render_docx(composed, author=context.organization), []
    return RenderedDocument(form.id, fmt, composed.title, _filename(context.number, composed.title, fmt),
                            data, warnings)


def render(ctx: ServiceContext, case_id: int, form_id: str, fmt: str = "pdf", *,
           on: date | None = None, directories: list[Path] | None = None) -> RenderedDocument:
    """Render form ``form_id`` of a case as ``pdf`` or ``docx``, with warnings.

    Raises:
        FormError: the form file is faulty (names file, line and name).
        FormRenderError: the case lacks what the form needs (e.g. no agreement yet).
        NotFoundError: no such case.
    """
    form = get_form(form_id, directories)
    context = document_context(ctx, case_id, form, on)
    return render_context(form, context, fmt, font_path=font_path_setting(ctx))


def render_document(ctx: ServiceContext, case_id: int, form_id: str, fmt: str = "pdf", *,
                    on: date | None = None, directories: list[Path] | None = None) -> bytes:
    """The bytes of form ``form_id`` for a case (warnings are logged; use ``render`` to get them)."""
    return render(ctx, case_id, form_id, fmt, on=on, directories=directories).data


def write_document(ctx: ServiceContext, case_id: int, form_id: str, fmt: str = "pdf",
                   target: Path | None = None, *, on: date | None = None,
                   directories: list[Path] | None = None) -> Path:
    """Render and save; ``target`` is a file path, or a directory (default: data dir/documents)."""
    document = render(ctx, case_id, form_id, fmt, on=on, directories=directories)
    target = Path(target) if target is not None else config.data_dir() / "documents"
    path = target if target.suffix.lower() == f".{fmt}" else target / document.filename
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".part")
    tmp.write_bytes(document.data)
    tmp.replace(path)
    return path
