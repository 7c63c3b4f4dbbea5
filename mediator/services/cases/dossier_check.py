"""The completeness check of a case's dossier (卷宗) before it is archived (DOMAIN: 卷宗).

The list of what a dossier holds is ``domain.dossier``; this reads the case's side of it: the case,
its attachments and the forms ever issued for it.
"""
from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlmodel import select

from mediator.domain.dossier import AttachmentRef, DossierSource, dossier_items, missing_items
from mediator.domain.errors import ValidationError
from mediator.services.cases.read import case_detail
from mediator.services.context import SHANGHAI, ServiceContext
from mediator.services.permissions import Permission, requires
from mediator.store.models import Attachment, IssuedDocument


def _local_day(at: datetime) -> date:
    return at.astimezone(SHANGHAI).date() if at.tzinfo else at.date()


def case_files(ctx: ServiceContext, case_id: int) -> tuple[tuple[AttachmentRef, ...], frozenset[str]]:
    """The case's attachments, and the ids of the forms ever issued for it."""
    with ctx.read() as session:
        rows = session.exec(select(Attachment.id, Attachment.filename, Attachment.added_at)
                            .where(Attachment.case_id == case_id).order_by(Attachment.id)).all()
        issued = session.exec(select(IssuedDocument.form_id)
                              .where(IssuedDocument.case_id == case_id)).all()
    return tuple(AttachmentRef(i, name, _local_day(at)) for i, name, at in rows), frozenset(issued)


@requires(Permission.CASE_READ)
def check_archive(ctx: ServiceContext, case_id: int, reason: str | None) -> dict[str, Any] | None:
    """The completeness check before archiving (DOMAIN: 卷宗).

    Returns the archive event's data (the written reason and what is missing), None when the
    dossier is complete and no reason was given.

    Raises:
        ValidationError: ``reason`` — a required item is missing and no reason was written.
    """
    attachments, issued = case_files(ctx, case_id)
    source = DossierSource(case_detail(ctx, case_id), {}, attachments, issued)
    missing = missing_items(dossier_items(source))
    reason = (reason or "").strip()
    if missing and not reason:
        raise ValidationError("reason", f"卷宗缺少：{'、'.join(missing)}，请填写卷宗情况说明")
    if missing or reason:
        return {"reason": reason, "missing": missing}
    return None
