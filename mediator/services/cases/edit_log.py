"""How a correction is kept: one ``edit`` timeline event naming each field from what to what.

Shared by every correction after registration (the case's facts, its parties, its session
records, a 变更/补充协议). The note is what everyone reads (personal data already masked by the
caller in ``shown_*``); the exact values stay in the event's hidden ``_changes``.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlmodel import Session, func, select

from mediator.services import audit
from mediator.services.context import ServiceContext
from mediator.store.models import Case, TimelineEvent

EDIT_ACTION = "edit"  # a RECORD_ACTION: filed beside the lifecycle, never moves the status


@dataclass(frozen=True)
class Change:
    """One field changed: what everyone reads (``shown_*``) and the exact values."""

    path: str
    label: str
    before: Any
    after: Any
    shown_before: str
    shown_after: str


def shown_text(value: Any) -> str:
    """A value as the timeline shows it: empty as （空）, long text cut at 40 characters."""
    if value is None or value == "":
        return "（空）"
    if isinstance(value, date):
        return value.isoformat()
    text = str(value)
    return text if len(text) <= 40 else text[:40] + "…"


def plain(value: Any) -> Any:
    """A value as JSON keeps it (dates as ISO text)."""
    return value.isoformat() if isinstance(value, date) else value


def change(path: str, label: str, before: Any, after: Any, show=shown_text) -> Change:
    """A ``Change`` whose shown values come from ``show``."""
    return Change(path, label, before, after, show(before), show(after))


def next_seq(session: Session, case_id: int) -> int:
    """The ``seq`` the case's next timeline event takes."""
    last = session.exec(select(func.max(TimelineEvent.seq)).where(TimelineEvent.case_id == case_id)).one()
    return (last or 0) + 1


def record_edit(ctx: ServiceContext, session: Session, case: Case, title: str, changes: list[Change],
                extra: dict[str, Any] | None = None, *, audit_action: str = "case.edit") -> None:
    """The ``edit`` event and the audit entry of a correction; the case's version moves on."""
    note = title + "：" + "；".join(f"{c.label} {c.shown_before} → {c.shown_after}" for c in changes)
    data = {
        "changes": [{"field": c.path, "label": c.label, "from": c.shown_before, "to": c.shown_after}
                    for c in changes],
        "_changes": [{"field": c.path, "from": plain(c.before), "to": plain(c.after)} for c in changes],
        **(extra or {}),
    }
    session.add(TimelineEvent(case_id=case.id, seq=next_seq(session, case.id), on=ctx.today(),
                              at=ctx.now(), action=EDIT_ACTION, from_status=case.status,
                              to_status=case.status, actor=ctx.actor, note=note, data=data))
    case.version += 1
    case.updated_at = ctx.now()
    session.add(case)
    audit.record(ctx, session, audit_action, case.number,
                 {"case_id": case.id, "fields": [c.path for c in changes]})
