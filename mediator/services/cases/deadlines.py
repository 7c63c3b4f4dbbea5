"""Keeps the computed deadline rows of a case in step with its history."""
from __future__ import annotations

from sqlmodel import Session, delete, select

from mediator.domain.deadlines import AgreementFacts, CaseEvent, Deadline, compute_deadlines
from mediator.domain.enums import AgreementForm
from mediator.services.cases.office_deadlines import settings_for_case
from mediator.services.cases.reviews import review_deadlines
from mediator.services.context import ServiceContext
from mediator.store.models import Agreement, CaseDeadline, TimelineEvent


def case_events(session: Session, case_id: int) -> list[CaseEvent]:
    rows = session.exec(
        select(TimelineEvent).where(TimelineEvent.case_id == case_id).order_by(TimelineEvent.seq)
    )
    return [CaseEvent(r.on, r.action, dict(r.data or {})) for r in rows]


def agreement_facts(session: Session, case_id: int) -> AgreementFacts | None:
    row = session.exec(select(Agreement).where(Agreement.case_id == case_id)).first()
    if row is None:
        return None
    return AgreementFacts(AgreementForm(row.form), row.signed_on, row.deadline)


def compute_for_case(ctx: ServiceContext, session: Session, case_id: int) -> list[Deadline]:
    return compute_deadlines(case_events(session, case_id), agreement_facts(session, case_id),
                             ctx.calendar, settings_for_case(ctx, session, case_id), ctx.today())


def deadline_row(case_id: int, d: Deadline) -> dict:
    """The ``case_deadline`` row of a computed deadline (without its id)."""
    return {"case_id": case_id, "kind": d.kind.value, "leg": d.leg, "start": d.start, "due": d.due,
            "nominal": d.nominal, "moved_reason": d.moved_reason, "state": d.state.value,
            "closed_on": d.closed_on, "basis": d.basis[:300]}


def refresh_case_deadlines(ctx: ServiceContext, session: Session, case_id: int) -> None:
    """Recompute and store the case's deadlines after a change to it."""
    session.flush()
    session.execute(delete(CaseDeadline).where(CaseDeadline.case_id == case_id))
    for d in compute_for_case(ctx, session, case_id):
        session.add(CaseDeadline(**deadline_row(case_id, d)))
    for row in review_deadlines(ctx, session, case_id):
        session.add(row)
    session.flush()
