"""The deadline settings a case is computed with: on a server with several offices, those of the
case's office (its own, else the county's); with one office, the context's (as before)."""
from __future__ import annotations

import dataclasses
from typing import Any

from sqlmodel import Session, select

from mediator.domain.deadlines import DeadlineSettings
from mediator.services.context import ServiceContext
from mediator.services.office_scope import active_office_count, office_of
from mediator.services.settings import office_value
from mediator.store.models import Case

DEADLINE_FIELDS = {
    "deadlines.follow_up_days": "follow_up_days",
    "deadlines.default_handling_days": "default_handling_days",
    "deadlines.warn_days": "warn_days",
}

ESCALATION_FIELDS = {
    "deadlines.escalation_grid_days": "grid",
    "deadlines.escalation_village_days": "village",
    "deadlines.escalation_township_days": "township",
}


def with_values(current: DeadlineSettings, values: dict[str, Any]) -> DeadlineSettings:
    """``current`` with the deadline settings among ``values`` (keys as declared)."""
    changes = {field: values[key] for key, field in DEADLINE_FIELDS.items() if key in values}
    escalation = dict(current.escalation_days)
    escalation.update({level: values[key] for key, level in ESCALATION_FIELDS.items() if key in values})
    return dataclasses.replace(current, escalation_days=escalation, **changes)


def settings_for_case(ctx: ServiceContext, session: Session, case_id: int) -> DeadlineSettings:
    if active_office_count(session) < 2:
        return ctx.deadline_settings
    organization_id = session.exec(select(Case.organization_id).where(Case.id == case_id)).first()
    office = office_of(session, organization_id)
    values = {key: office_value(session, key, office) for key in (*DEADLINE_FIELDS, *ESCALATION_FIELDS)}
    return with_values(ctx.deadline_settings, values)
