"""The dossier (卷宗) of a case: what goes in it (DOMAIN's list 1–13) and what a complete one needs.

Pure rules over plain data: the case as read (``DossierSource.detail``), its attachments and the
forms issued for it. The documents feature renders the files; the archive step checks completeness.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from mediator.domain.case_detail import (
    CaseDetail,
    FollowUpRecord,
    ReviewRecord,
    SessionRecord,
    SupplementRecord,
)
from mediator.domain.formatting import arabic_date

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
    # What a form prints (one of several records of its kind).
    record: SessionRecord | FollowUpRecord | ReviewRecord | SupplementRecord | None = None
    record_kind: str = ""  # investigation, session, follow_up, advisor_review, supplement
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

    detail: CaseDetail
    organization: dict[str, str]
    attachments: tuple[AttachmentRef, ...]
    issued: frozenset[str]


def day_text(value: date | None) -> str:
    """A date as the documents print it (2026年11月29日), or nothing."""
    return arabic_date(value) if value else ""


def attachment_item(filename: str) -> int:
    """The dossier item an attachment files under, by its name (证据材料 when nothing matches)."""
    for item, words in ATTACHMENT_ITEMS:
        if any(w in filename for w in words):
            return item
    return EVIDENCE_ITEM


def _attachments(source: DossierSource, item: int) -> tuple[DossierPart, ...]:
    return tuple(DossierPart(Path(a.filename).stem, arabic_date(a.added_on), attachment=a)
                 for a in source.attachments if attachment_item(a.filename) == item)


def _records(detail: CaseDetail, kind: str, form_id: str, title: str) -> tuple[DossierPart, ...]:
    return tuple(DossierPart(title, day_text(s.on), form_id, s, form_id)
                 for s in detail.sessions if s.kind == kind)


def _outcome_part(detail: CaseDetail) -> DossierPart | None:
    agreement = detail.agreement
    if agreement:
        oral = agreement.form == "oral"
        return DossierPart("调解口头协议登记表" if oral else "调解协议书", day_text(agreement.signed_on),
                           "oral_agreement" if oral else "agreement")
    ended = detail.last_event("fail", "withdraw")
    if ended:
        return DossierPart("终止调解告知书", day_text(ended.on), "termination")
    rejected = detail.last_event("reject")
    if rejected:
        return DossierPart("不予受理告知书", day_text(rejected.on), "rejection")
    return None


SUPPLEMENT_TITLES = {"change": "变更协议书", "supplement": "补充协议书"}


def _supplements(detail: CaseDetail) -> tuple[DossierPart, ...]:
    """The 变更/补充协议 signed after the agreement, filed after it."""
    if detail.agreement is None:
        return ()
    return tuple(DossierPart(SUPPLEMENT_TITLES.get(s.kind, "变更（补充）协议书"), day_text(s.signed_on),
                             "supplementary_agreement", s, "supplement") for s in detail.supplements)


def dossier_items(source: DossierSource) -> list[DossierItem]:
    """DOMAIN's dossier list for this case, each item with the files that fill it."""
    d = source.detail
    rejected = d.last_event("reject") is not None and not d.sessions
    mediated = not rejected
    has_agent = any(p.agent for p in d.parties)
    first = [DossierPart("调解申请书", day_text(d.received_on), "application")] \
        if d.source == "application" else []
    first.append(DossierPart("受理登记表", day_text(d.received_on), "registration"))
    notice = (DossierPart("当事人权利义务告知书", day_text(d.accepted_on or d.received_on),
                          "rights_notice"),) if "rights_notice" in source.issued else ()
    outcome = _outcome_part(d)
    reviews = tuple(DossierPart("法律顾问审查意见书", day_text(r.day), "advisor_review", r, "advisor_review")
                    for r in d.advisor_reviews if r.result not in ("pending", "voided"))
    visits = tuple(DossierPart("回访记录", day_text(v.on), "follow_up", v, "follow_up") for v in d.follow_ups)
    confirmation = (DossierPart("司法确认申请书", day_text(d.judicial_confirmation.applied_on),
                                "judicial_confirmation"),) \
        if d.judicial_confirmation and d.agreement else ()
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
        DossierItem(8, "协议书", True, ((outcome,) + _supplements(d)) if outcome else (),
                    "达成协议、终止调解或不予受理后才有此项"),
        DossierItem(8, "法律顾问审查意见书", False, reviews),
        DossierItem(9, "履行凭证", False, _attachments(source, 9)),
        DossierItem(10, "回访记录", False, visits),
        DossierItem(11, "司法确认有关材料", False, confirmation + _attachments(source, 11)),
    ]


def missing_items(items: list[DossierItem]) -> list[str]:
    """The titles of required items that have no file."""
    return [i.title for i in items if i.required and not i.present]
