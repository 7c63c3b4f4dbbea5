"""拟定协议: the draft agreement of a case in mediation, revised with its history kept.

The mediator drafts the agreement while the case is 调解中 (the same fields as the signed one),
sends it to the village's legal advisor (``advisors.reviews``), revises it and signs it
(``lifecycle.conclude_agreement`` starts from the draft and freezes it). The first save puts
拟定协议 on the timeline; every later save 修改协议草稿 with each changed field from → to.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlmodel import Session, func, select

from mediator.domain.case_detail import DraftText
from mediator.domain.enums import AgreementForm, CaseStatus
from mediator.domain.errors import NotFoundError, ValidationError, ValidationErrors
from mediator.domain.validators import fen_to_yuan, parse_money, yuan_to_fen
from mediator.services import audit
from mediator.services.access import check_case_visible
from mediator.services.cases.change_log import Change, add_timeline_event, record_changes, shown
from mediator.services.cases.inputs import AgreementInput, check_agreement
from mediator.services.cases.stored import lock_case
from mediator.services.changes import OpChanges
from mediator.services.context import SHANGHAI, ServiceContext
from mediator.services.input_types import refuse_mistyped
from mediator.services.permissions import Permission, requires
from mediator.store.models import Case, CaseParty
from mediator.store.models import DraftAgreement as DraftRow

DRAFT_ACTION, DRAFT_EDIT_ACTION = "draft_agreement", "draft_edit"


@dataclass(frozen=True)
class DraftInput:
    """What the mediator enters for the draft (the fields of ``AgreementInput`` but the form and date)."""

    items: list[str]
    facts: str = ""
    performance: str = ""
    deadline: date | None = None
    amount_yuan: Decimal | str | int = Decimal("0")
    copies: int | None = None  # None: parties + 1

    @classmethod
    def of_agreement(cls, data: AgreementInput) -> DraftInput:
        return cls(list(data.items), data.facts, data.performance, data.deadline, data.amount_yuan, data.copies)


@dataclass(frozen=True)
class DraftAgreement:
    """A case's draft agreement with who saved it last; ``case_version`` is what a save expects."""

    case_id: int
    text: DraftText
    signed: bool
    updated_by: str
    updated_at: datetime
    case_version: int
    parties: list[str] = field(default_factory=list)

    @property
    def revision(self) -> int:
        return self.text.revision

    @property
    def saved_at(self) -> str:
        """When it was last saved, Beijing time (年-月-日 时:分)."""
        return f"{self.updated_at.astimezone(SHANGHAI):%Y-%m-%d %H:%M}"


def text_of(row: DraftRow) -> DraftText:
    """The text of a stored draft row."""
    return DraftText(row.revision, tuple(row.items or ()), row.facts, row.performance_method, row.deadline,
                     f"{fen_to_yuan(row.amount_fen):.2f}", row.copies)


def stored_draft(session: Session, case_id: int) -> DraftRow | None:
    """The ``draft_agreement`` row of a case, if any."""
    return session.exec(select(DraftRow).where(DraftRow.case_id == case_id)).first()


def check_draft(draft: DraftInput, parties: int, today: date | None,
                path: str = "agreement") -> list[ValidationError]:
    """What is wrong with a draft: the checks of a written agreement signed today.

    ``today`` None: a draft of an imported history, whose day of saving is not known; its
    履行期限 is then not held against a date.
    """
    signed_on = today if today is not None else (draft.deadline or date.min)
    errors = check_agreement(AgreementInput(AgreementForm.WRITTEN, signed_on, list(draft.items), draft.performance,
                                            draft.deadline, draft.amount_yuan, draft.copies, draft.facts),
                             parties, path)
    out = []
    for e in errors:
        if e.path == f"{path}.items":
            out.append(ValidationError(e.path, "协议草稿至少需要一条协议内容"))
        elif e.path == f"{path}.deadline":
            out.append(ValidationError(e.path, "履行期限不能早于今天"))
        else:
            out.append(e)
    return out


# --- what changed between two revisions -------------------------------------------------------

def _copies(value: int | None) -> str:
    return "按当事人人数加一" if value is None else f"{value}份"


def _term(text: str | None) -> str:
    """A term reads in full (up to 200 characters): a change of a word matters."""
    if text is None:
        return "（无）"
    return text if len(text) <= 200 else text[:200] + "…"


def changes_between(before: DraftText, after: DraftText) -> list[Change]:
    """Each changed field from → to; terms one by one (第N条), added and removed ones too."""
    out: list[Change] = []

    def change(path: str, label: str, old: Any, new: Any, how=shown) -> None:
        if old != new:
            out.append(Change(path, label, old, new, how(old), how(new)))

    change("facts", "纠纷事实", before.facts, after.facts)
    for i in range(max(len(before.items), len(after.items))):
        old = before.items[i] if i < len(before.items) else None
        new = after.items[i] if i < len(after.items) else None
        change(f"items[{i}]", f"协议条款第{i + 1}条", old, new, _term)
    change("performance", "履行方式", before.performance, after.performance)
    change("deadline", "履行期限", before.deadline, after.deadline, lambda v: v.isoformat() if v else "未约定")
    change("amount_yuan", "协议金额", before.amount_yuan, after.amount_yuan, lambda v: f"{v}元")
    change("copies", "协议份数", before.copies, after.copies, _copies)
    return out


def draft_text(draft: DraftInput, revision: int) -> DraftText:
    """What a draft input stores as revision ``revision`` (texts stripped, blank terms left out)."""
    return DraftText(revision, tuple(t.strip() for t in draft.items if t and t.strip()),
                     (draft.facts or "").strip(), (draft.performance or "").strip(), draft.deadline,
                     f"{fen_to_yuan(yuan_to_fen(parse_money(draft.amount_yuan))):.2f}", draft.copies)


def _store(row: DraftRow, text: DraftText, ctx: ServiceContext) -> None:
    row.facts, row.items, row.performance_method = text.facts, list(text.items), text.performance
    row.deadline, row.copies, row.revision = text.deadline, text.copies, text.revision
    row.amount_fen = yuan_to_fen(Decimal(text.amount_yuan))
    row.updated_by, row.updated_at = ctx.actor, ctx.now()


def revise(ctx: ServiceContext, session: Session, case: Case, row: DraftRow, draft: DraftInput,
           title: str = "修改协议草稿") -> bool:
    """Write a new revision of a stored draft if anything changed (with its timeline line)."""
    before = text_of(row)
    after = draft_text(draft, before.revision + 1)
    changes = changes_between(before, after)
    if not changes:
        return False
    _store(row, after, ctx)
    session.add(row)
    record_changes(ctx, session, case, f"{title}（第{after.revision}稿）", changes,
                   {"revision": after.revision}, action=DRAFT_EDIT_ACTION, audit_action="agreement.draft_edit")
    return True


# --- use cases --------------------------------------------------------------------------------

@requires(Permission.CASE_HANDLE)
def save_draft_agreement(ctx: ServiceContext, case_id: int, draft: DraftInput,
                         expected_version: int | None) -> OpChanges:
    """拟定协议 or 修改协议草稿 (调解中 only); a stale ``expected_version`` raises ConflictError.

    Saving what is already stored writes nothing.
    """
    refuse_mistyped(draft, "agreement")  # where the draft's other faults are named
    check_case_visible(ctx, None, case_id)
    with ctx.transaction() as session:
        case = lock_case(session, case_id, expected_version)
        row = stored_draft(session, case.id)
        if row is not None and row.signed:
            raise ValidationError("agreement", "协议已签订，协议草稿不能再修改；如有变更，请签订变更（补充）协议")
        if case.status != CaseStatus.MEDIATING.value:
            raise ValidationError("agreement", f"{CaseStatus(case.status).label}的案件不能拟定协议，"
                                               "请在调解中拟定协议草稿")
        parties = session.exec(select(func.count()).select_from(CaseParty)
                               .where(CaseParty.case_id == case.id)).one()
        errors = check_draft(draft, parties, ctx.today())
        if errors:
            raise ValidationErrors(errors)
        if row is not None:
            if not revise(ctx, session, case, row, draft):
                return OpChanges()
            return OpChanges.of_cases([case.id], reminders=False)
        text = draft_text(draft, 1)
        row = DraftRow(case_id=case.id, updated_at=ctx.now())
        _store(row, text, ctx)
        session.add(row)
        add_timeline_event(ctx, session, case, DRAFT_ACTION,
                           f"拟定协议（第1稿）：协议条款{len(text.items)}条", {"revision": 1, "_draft": text.to_json()})
        case.version += 1
        case.updated_at = ctx.now()
        session.add(case)
        audit.record(ctx, session, "agreement.draft", case.number, {"case_id": case.id, "revision": 1})
        return OpChanges.of_cases([case.id], reminders=False)


@requires(Permission.CASE_READ)
def draft_agreement(ctx: ServiceContext, case_id: int) -> DraftAgreement | None:
    """The case's draft agreement (None before one is drafted)."""
    check_case_visible(ctx, None, case_id)
    with ctx.read() as session:
        case = session.get(Case, case_id)
        if case is None:
            raise NotFoundError(f"案件（编号{case_id}）不存在")
        row = stored_draft(session, case_id)
        if row is None:
            return None
        names = list(session.exec(select(CaseParty.name).where(CaseParty.case_id == case_id)
                                  .order_by(CaseParty.seq)))
        return DraftAgreement(case_id, text_of(row), row.signed, row.updated_by, row.updated_at, case.version,
                              names)


def freeze_for_signing(ctx: ServiceContext, session: Session, case: Case, data: AgreementInput) -> None:
    """达成协议 from the draft: what the signed text changes is a last revision; then it is frozen."""
    row = stored_draft(session, case.id)
    if row is None or row.signed:
        return
    parties = session.exec(select(func.count()).select_from(CaseParty).where(CaseParty.case_id == case.id)).one()
    if check_agreement(data, parties):
        return  # the agreement is refused with these errors; the draft stays as it is
    revise(ctx, session, case, row, DraftInput.of_agreement(data), "签订时修改协议草稿")
    row.signed = True
    session.add(row)
    session.flush()


__all__ = ["DRAFT_ACTION", "DRAFT_EDIT_ACTION", "DraftAgreement", "DraftInput", "DraftText", "changes_between",
           "check_draft", "draft_agreement", "draft_text", "freeze_for_signing", "save_draft_agreement", "stored_draft",
           "text_of"]
