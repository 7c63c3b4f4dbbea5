"""The dossier (卷宗) of a case as one PDF: cover, contents, documents, attachments and back cover.

What goes in it is ``domain.dossier``; the completeness check before archiving is the cases
feature's (``cases.dossier_check``).
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from mediator.documents.context import DocumentContext, DossierInfo
from mediator.documents.spec import FormSpec
from mediator.domain.case_detail import CaseDetail, FollowUpRecord, ReviewRecord, SupplementRecord
from mediator.domain.dossier import (
    DossierItem,
    DossierPart,
    DossierSource,
    day_text,
    dossier_items,
    missing_items,
)
from mediator.domain.formatting import arabic_date
from mediator.domain.retention import parse_period, setting_key
from mediator.services.cases.dossier_check import case_files
from mediator.services.context import ServiceContext
from mediator.services.documents.context import (
    DEFAULT_RETENTION,
    RETENTION_SETTING,
    build_context,
    document_day,
    document_detail,
    follow_up_info,
    review_info,
    supplement_info,
)
from mediator.services.permissions import Permission, requires

DOSSIER_FORM = "dossier"
# --- reading a case -------------------------------------------------------------------------------


@requires(Permission.CASE_READ)
def dossier_source(ctx: ServiceContext, case_id: int) -> DossierSource:
    detail, organization = document_detail(ctx, case_id)
    attachments, issued = case_files(ctx, case_id)
    return DossierSource(detail, organization, attachments, issued)


@dataclass(frozen=True)
class DossierStatus:
    items: tuple[DossierItem, ...]
    missing: tuple[str, ...]


@requires(Permission.CASE_READ)
def dossier_status(ctx: ServiceContext, case_id: int) -> DossierStatus:
    """The dossier list of a case and what required items it lacks (for the archive dialog)."""
    items = dossier_items(dossier_source(ctx, case_id))
    return DossierStatus(tuple(items), tuple(missing_items(items)))


# --- the dossier form's contexts -------------------------------------------------------------


def dossier_context(source: DossierSource, settings: dict[str, Any], *, today: date, actor: str,
                    verify_code: str = "") -> DocumentContext:
    """The context of the dossier form itself, its contents not yet filled in."""
    d = source.detail
    archive = d.last_event("archive")
    day = archive.on if archive else today
    base = build_context(d, settings, on=day, organization=source.organization,
                         verify_code=verify_code)
    items = dossier_items(source)
    missing = tuple(missing_items(items))
    explanation = (archive.data.get("reason") if archive else "") or ""
    applicants, respondents = base.applicant_names, base.respondent_names
    title = (f"{applicants}与{respondents}" if applicants and respondents
             else base.party_names) + f"{base.category_label}纠纷"
    info = DossierInfo(title=title, result=_result(d), opened_on=base.accepted_on or base.received_on,
                       closed_on=day_text(d.closed_on), archived_on=arabic_date(day),
                       filed_by=archive.actor if archive else actor,
                       retention=_retention_text(d, settings),
                       explanation=explanation, missing=missing)
    return replace(base, dossier=info)


def _retention_text(detail: CaseDetail, settings: dict[str, Any]) -> str:
    """The 保管期限 of the case's category; the old office-wide text for an unknown category."""
    try:
        return parse_period(settings[setting_key(detail.category or "")]).label
    except (KeyError, ValueError):
        return settings.get(RETENTION_SETTING) or DEFAULT_RETENTION


def _result(detail: CaseDetail) -> str:
    agreement = detail.agreement
    if agreement:
        return "调解成功（口头协议）" if agreement.form == "oral" else "调解成功（书面协议）"
    if detail.last_event("withdraw"):
        return "当事人撤回，终止调解"
    if detail.last_event("fail"):
        return "调解不成，终止调解"
    if detail.last_event("reject"):
        return "不予受理"
    return detail.status_label or ""


def part_context(part: DossierPart, source: DossierSource, settings: dict[str, Any],
                 form: FormSpec, today: date) -> DocumentContext:
    """The context of one file of the dossier (a session record prints that session)."""
    d = source.detail
    day = document_day(d, form.dated, today)
    record = part.record
    if isinstance(record, ReviewRecord):
        day = record.day
    elif isinstance(record, SupplementRecord):
        day = record.signed_on
    elif record is not None:
        day = record.on
    context = build_context(d, settings, on=day, organization=source.organization)
    if record is None:
        return context
    if isinstance(record, FollowUpRecord):
        return replace(context, follow_up=follow_up_info(record))
    if isinstance(record, ReviewRecord):
        return replace(context, advisor_review=review_info(record))
    if isinstance(record, SupplementRecord):
        return replace(context, supplement=supplement_info(d, record))
    index = next(i for i, s in enumerate(d.sessions) if s is record)
    session = context.sessions[index]
    key = "investigation" if part.record_kind == "investigation" else "session"
    return replace(context, **{key: session})

