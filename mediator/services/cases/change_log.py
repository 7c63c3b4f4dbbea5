"""A correction kept on the case timeline: who changed which field from what to what, and when.

Shared by every correction after registration: the case's facts and parties (``corrections``),
its session records (``session_corrections``), the revisions of its draft agreement (``drafts``).
The event's ``changes`` are what everyone reads; its hidden ``_changes`` keep the exact values.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlmodel import Session

from mediator.services import audit
from mediator.services.cases.stored import next_in_case
from mediator.services.context import ServiceContext
from mediator.services.risk.evaluate import evaluate_case
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


def shown(value: Any) -> str:
    """How a value reads in a timeline line (long texts cut at 40 characters)."""
    if value is None or value == "":
        return "（空）"
    if isinstance(value, date):
        return value.isoformat()
    text = str(value)
    return text if len(text) <= 40 else text[:40] + "…"


def plain(value: Any) -> Any:
    """A value as JSON keeps it (dates as ISO text)."""
    return value.isoformat() if isinstance(value, date) else value


def change(path: str, label: str, before: Any, after: Any, show=shown) -> Change:
    """A ``Change`` whose shown values come from ``show``."""
    return Change(path, label, before, after, show(before), show(after))


def next_seq(session: Session, case_id: int) -> int:
    """The ``seq`` the case's next timeline event takes."""
    return next_in_case(session, TimelineEvent, case_id)


def add_timeline_event(ctx: ServiceContext, session: Session, case: Case, action: str, note: str,
                       data: dict[str, Any], on: date | None = None) -> None:
    """A record line on the case's timeline (the status stays), numbered after the last one."""
    session.add(TimelineEvent(case_id=case.id, seq=next_seq(session, case.id), on=on or ctx.today(), at=ctx.now(),
                              action=action, from_status=case.status, to_status=case.status,
                              actor=ctx.actor, note=note, data=data))
    session.flush()


def record_changes(ctx: ServiceContext, session: Session, case: Case, title: str, changes: list[Change],
                   extra: dict[str, Any] | None = None, *, action: str = EDIT_ACTION,
                   audit_action: str = "case.edit") -> None:
    """The timeline event and the audit entry of a correction; the case's version moves on."""
    note = title + "：" + "；".join(f"{c.label} {c.shown_before} → {c.shown_after}" for c in changes)
    data = {
        "changes": [{"field": c.path, "label": c.label, "from": c.shown_before, "to": c.shown_after}
                    for c in changes],
        "_changes": [{"field": c.path, "from": plain(c.before), "to": plain(c.after)} for c in changes],
        **(extra or {}),
    }
    add_timeline_event(ctx, session, case, action, note, data)
    case.version += 1
    case.updated_at = ctx.now()
    session.add(case)
    audit.record(ctx, session, audit_action, case.number,
                 {"case_id": case.id, "fields": [c.path for c in changes]})
    # A corrected summary, head count or party may now hit a 风险预警 rule (as a step would).
    session.flush()
    evaluate_case(ctx, session, case.id)
