"""The dossier (卷宗) of a case: what goes in it (DOMAIN's list 1–13), the completeness check run
before archiving, and the one PDF with cover, contents, documents, attachments and back cover.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlmodel import select

from mediator.documents.context import DocumentContext, DossierInfo
from mediator.documents.spec import FormSpec
from mediator.domain.errors import ValidationError
from mediator.domain.formatting import arabic_date
from mediator.domain.retention import parse_period, setting_key
from mediator.services.context import ServiceContext
from mediator.services.documents.context import (
    DEFAULT_RETENTION,
    RETENTION_SETTING,
    build_context,
    document_day,
    document_detail,
    document_settings,
    follow_up_info,
    review_info,
)
from mediator.services.documents.rendering import RenderedDocument
from mediator.services.documents.issuing import IssuedFile, issued_form_ids, new_verify_code, register_issued
from mediator.store.models import Attachment
from mediator.services.permissions import Permission, requires

DOSSIER_FORM = "dossier"
# Attachments are filed by what their file name says (checked in this order; the rest is evidence).
ATTACHMENT_ITEMS: tuple[tuple[int, tuple[str, ...]], ...] = (
    (4, ("授权委托", "委托书", "授权书")),
    (11, ("司法确认", "裁定书", "法院")),
    (9, ("履行", "收据", "收条", "转账", "凭证", "付款", "汇款", "还款")),
    (3, ("身份证", "身份证明", "户口", "营业执照", "护照", "居住证", "法定代表人", "信用代码")),
)
EVIDENCE_ITEM = 6


@dataclass(frozen=True)
class AttachmentRef:
    id: int
    filename: str
    added_on: date


@dataclass(frozen=True)
class DossierPart:
    """One file in the dossier: a form rendered from the case, or an attachment."""

    title: str
    date: str = ""
    form_id: str = ""
    record: dict[str, Any] | None = None  # the session / visit / review a form prints
    record_kind: str = ""  # investigation, session, follow_up, advisor_review
    attachment: AttachmentRef | None = None


@dataclass(frozen=True)
class DossierItem:
    """An entry of DOMAIN's dossier list, with the files that fill it."""

    seq: int
    title: str
    required: bool
    parts: tuple[DossierPart, ...] = ()
    hint: str = ""  # how to fill a missing item

    @property
    def present(self) -> bool:
        return bool(self.parts)


@dataclass(frozen=True)
class DossierSource:
    """What a dossier is built from, as plain data (a case read from the database, or a sample)."""

    detail: dict[str, Any]
    organization: dict[str, str]
    attachments: tuple[AttachmentRef, ...]
    issued: frozenset[str]


def _day_text(value: str | None) -> str:
    return arabic_date(date.fromisoformat(value)) if value else ""


def _event(detail: dict[str, Any], *actions: str) -> dict[str, Any] | None:
    found = [e for e in detail.get("timeline", ()) if e["action"] in actions]
    return found[-1] if found else None


def attachment_item(filename: str) -> int:
    """The dossier item an attachment files under, by its name (证据材料 when nothing matches)."""
    for item, words in ATTACHMENT_ITEMS:
        if any(w in filename for w in words):
            return item
    return EVIDENCE_ITEM


def _attachments(source: DossierSource, item: int) -> tuple[DossierPart, ...]:
    return tuple(DossierPart(Path(a.filename).stem, arabic_date(a.added_on), attachment=a)
                 for a in source.attachments if attachment_item(a.filename) == item)


def _records(detail: dict[str, Any], kind: str, form_id: str, title: str) -> tuple[DossierPart, ...]:
    return tuple(DossierPart(title, _day_text(s["on"]), form_id, s, form_id)
                 for s in detail.get("sessions") or () if s.get("kind") == kind)


def _outcome_part(detail: dict[str, Any]) -> DossierPart | None:
    agreement = detail.get("agreement")
    if agreement:
        oral = agreement.get("form") == "oral"
        return DossierPart("调解口头协议登记表" if oral else "调解协议书", _day_text(agreement["signed_on"]),
                           "oral_agreement" if oral else "agreement")
    ended = _event(detail, "fail", "withdraw")
    if ended:
        return DossierPart("终止调解告知书", _day_text(ended["on"]), "termination")
    rejected = _event(detail, "reject")
    if rejected:
        return DossierPart("不予受理告知书", _day_text(rejected["on"]), "rejection")
    return None


def dossier_items(source: DossierSource) -> list[DossierItem]:
    """DOMAIN's dossier list for this case, each item with the files that fill it."""
    d = source.detail
    rejected = _event(d, "reject") is not None and not d.get("sessions")
    mediated = not rejected
    has_agent = any(p.get("agent") for p in d.get("parties", ()))
    first = [DossierPart("调解申请书", _day_text(d["received_on"]), "application")] \
        if d.get("source") == "application" else []
    first.append(DossierPart("受理登记表", _day_text(d["received_on"]), "registration"))
    notice = (DossierPart("当事人权利义务告知书", _day_text(d.get("accepted_on") or d["received_on"]),
                          "rights_notice"),) if "rights_notice" in source.issued else ()
    outcome = _outcome_part(d)
    reviews = tuple(DossierPart("法律顾问审查意见书", _day_text(r.get("reviewed_on") or r["requested_on"]),
                                "advisor_review", r, "advisor_review")
                    for r in d.get("advisor_reviews") or () if r.get("result") != "pending")
    visits = tuple(DossierPart("回访记录", _day_text(v["on"]), "follow_up", v, "follow_up")
                   for v in d.get("follow_ups") or ())
    confirmation = (DossierPart("司法确认申请书", _day_text(d["judicial_confirmation"]["applied_on"]),
                                "judicial_confirmation"),) \
        if d.get("judicial_confirmation") and d.get("agreement") else ()
    return [
        DossierItem(1, "申请书或受理登记表", True, tuple(first)),
        DossierItem(2, "权利义务告知书", mediated, notice, "在“文书”中打印权利义务告知书并由当事人签名"),
        DossierItem(3, "当事人身份证明", mediated, _attachments(source, 3),
                    "添加文件名含“身份证”或“营业执照”的附件"),
        DossierItem(4, "授权委托书", mediated and has_agent, _attachments(source, 4),
                    "添加文件名含“委托书”的附件"),
        DossierItem(5, "调查记录", False, _records(d, "investigation", "investigation", "调查记录")),
        DossierItem(6, "证据材料", False, _attachments(source, EVIDENCE_ITEM)),
        DossierItem(7, "调解记录", mediated, _records(d, "mediation", "session", "调解记录"),
                    "记录调解过程"),
        DossierItem(8, "协议书", True, (outcome,) if outcome else (),
                    "达成协议、终止调解或不予受理后才有此项"),
        DossierItem(8, "法律顾问审查意见书", False, reviews),
        DossierItem(9, "履行凭证", False, _attachments(source, 9)),
        DossierItem(10, "回访记录", False, visits),
        DossierItem(11, "司法确认有关材料", False, confirmation + _attachments(source, 11)),
    ]


def missing_items(items: list[DossierItem]) -> list[str]:
    """The titles of required items that have no file."""
    return [i.title for i in items if i.required and not i.present]


# --- reading a case -------------------------------------------------------------------------------


@requires(Permission.CASE_READ)
def dossier_source(ctx: ServiceContext, case_id: int) -> DossierSource:
    detail, organization = document_detail(ctx, case_id)
    with ctx.read() as session:
        rows = session.exec(select(Attachment.id, Attachment.filename, Attachment.added_at)
                            .where(Attachment.case_id == case_id).order_by(Attachment.id)).all()
    refs = tuple(AttachmentRef(i, name, _local_day(at)) for i, name, at in rows)
    return DossierSource(detail, organization, refs, frozenset(issued_form_ids(ctx, case_id)))


def _local_day(at: datetime) -> date:
    from mediator.services.context import SHANGHAI

    return at.astimezone(SHANGHAI).date() if at.tzinfo else at.date()


@dataclass(frozen=True)
class DossierStatus:
    items: tuple[DossierItem, ...]
    missing: tuple[str, ...]


@requires(Permission.CASE_READ)
def dossier_status(ctx: ServiceContext, case_id: int) -> DossierStatus:
    """The dossier list of a case and what required items it lacks (for the archive dialog)."""
    items = dossier_items(dossier_source(ctx, case_id))
    return DossierStatus(tuple(items), tuple(missing_items(items)))


@requires(Permission.CASE_READ)
def check_archive(ctx: ServiceContext, case_id: int, reason: str | None) -> dict[str, Any] | None:
    """The completeness check before archiving (DOMAIN: 卷宗).

    Returns the archive event's data (the written reason and what is missing), None when the
    dossier is complete and no reason was given.

    Raises:
        ValidationError: ``reason`` — a required item is missing and no reason was written.
    """
    missing = missing_items(dossier_items(dossier_source(ctx, case_id)))
    reason = (reason or "").strip()
    if missing and not reason:
        raise ValidationError("reason", f"卷宗缺少：{'、'.join(missing)}，请填写卷宗情况说明")
    if missing or reason:
        return {"reason": reason, "missing": missing}
    return None


# --- building -------------------------------------------------------------------------------------


@requires(Permission.DOCUMENT_PRINT)
def build_dossier(ctx: ServiceContext, case_id: int, *, verify_code: str = "") -> RenderedDocument:
    """The dossier of a case as one PDF."""
    from mediator.services.documents.rendering import font_path_setting
    from mediator.services.documents.dossier_pdf import build_dossier_pdf  # PDF libraries: only when built

    source = dossier_source(ctx, case_id)

    def content(attachment_id: int) -> bytes:
        with ctx.read() as session:
            row = session.get(Attachment, attachment_id)
            return bytes(row.content) if row is not None else b""

    return build_dossier_pdf(source, document_settings(ctx), today=ctx.today(), actor=ctx.actor,
                             content=content, font_path=font_path_setting(ctx),
                             verify_code=verify_code)


@requires(Permission.DOCUMENT_PRINT)
def issue_dossier(ctx: ServiceContext, case_id: int) -> IssuedFile:
    """Build the dossier with a verification code on its cover and register it as issued."""
    code = new_verify_code()
    document = build_dossier(ctx, case_id, verify_code=code)
    info = register_issued(ctx, case_id, document, code)
    return IssuedFile(info, document.data, tuple(document.warnings))


def dossier_context(source: DossierSource, settings: dict[str, Any], *, today: date, actor: str,
                    verify_code: str = "") -> DocumentContext:
    """The context of the dossier form itself, its contents not yet filled in."""
    d = source.detail
    archive = _event(d, "archive")
    day = date.fromisoformat(archive["on"]) if archive else today
    base = build_context(d, settings, on=day, organization=source.organization,
                         verify_code=verify_code)
    items = dossier_items(source)
    missing = tuple(missing_items(items))
    explanation = ((archive or {}).get("data") or {}).get("reason") or ""
    applicants, respondents = base.applicant_names, base.respondent_names
    title = (f"{applicants}与{respondents}" if applicants and respondents
             else base.party_names) + f"{base.category_label}纠纷"
    info = DossierInfo(title=title, result=_result(d), opened_on=base.accepted_on or base.received_on,
                       closed_on=_day_text(d.get("closed_on")), archived_on=arabic_date(day),
                       filed_by=archive["actor"] if archive else actor,
                       retention=_retention_text(d, settings),
                       explanation=explanation, missing=missing)
    return replace(base, dossier=info)


def _retention_text(detail: dict[str, Any], settings: dict[str, Any]) -> str:
    """The 保管期限 of the case's category; the old office-wide text for an unknown category."""
    try:
        return parse_period(settings[setting_key(detail.get("category") or "")]).label
    except (KeyError, ValueError):
        return settings.get(RETENTION_SETTING) or DEFAULT_RETENTION


def _result(detail: dict[str, Any]) -> str:
    agreement = detail.get("agreement")
    if agreement:
        return "调解成功（口头协议）" if agreement.get("form") == "oral" else "调解成功（书面协议）"
    if _event(detail, "withdraw"):
        return "当事人撤回，终止调解"
    if _event(detail, "fail"):
        return "调解不成，终止调解"
    if _event(detail, "reject"):
        return "不予受理"
    return detail.get("status_label") or ""


def part_context(part: DossierPart, source: DossierSource, settings: dict[str, Any],
                 form: FormSpec, today: date) -> DocumentContext:
    """The context of one file of the dossier (a session record prints that session)."""
    d = source.detail
    day = document_day(d, form.dated, today)
    record = part.record
    if record is not None and part.record_kind in ("investigation", "session", "follow_up"):
        day = date.fromisoformat(record["on"])
    if record is not None and part.record_kind == "advisor_review":
        day = date.fromisoformat(record.get("reviewed_on") or record["requested_on"])
    context = build_context(d, settings, on=day, organization=source.organization)
    if record is None:
        return context
    if part.record_kind == "follow_up":
        return replace(context, follow_up=follow_up_info(record))
    if part.record_kind == "advisor_review":
        return replace(context, advisor_review=review_info(record))
    index = next(i for i, s in enumerate(d.get("sessions") or []) if s is record)
    session = context.sessions[index]
    key = "investigation" if part.record_kind == "investigation" else "session"
    return replace(context, **{key: session})

