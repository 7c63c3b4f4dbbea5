"""The office's risk rules: stored as the setting ``risk.rules`` of the office (else the county's),
over the shipped defaults of ``domain/risk_rules.py``."""
from __future__ import annotations

from sqlmodel import Session

from mediator.domain.risk_rules import RiskRule, RuleKind, rules_from_json, rules_to_json
from mediator.services import audit
from mediator.services.changes import OpChanges
from mediator.services.context import ServiceContext
from mediator.services.office_scope import user_office
from mediator.services.permissions import Permission, requires
from mediator.store.models import Organization, Setting, setting_row

RULES_KEY = "risk.rules"


def rules_in(session: Session, office_id: int | None) -> tuple[RiskRule, ...]:
    """The rules that office applies: its own row, else the county row, else the defaults."""
    row = setting_row(session, RULES_KEY, office_id) if office_id is not None else None
    if row is None:
        row = setting_row(session, RULES_KEY)
    return rules_from_json(row.value if row is not None else None)


@requires(Permission.CASE_READ)
def office_rules(ctx: ServiceContext) -> tuple[RiskRule, ...]:
    """The rules of the user's office (the 预警规则 dialog shows them)."""
    office = user_office(ctx)
    with ctx.read() as session:
        return rules_in(session, office)


@requires(Permission.CASE_SUPERVISE)
def save_rules(ctx: ServiceContext, rules: list[RiskRule] | tuple[RiskRule, ...]) -> OpChanges:
    """Store the rules for the user's office (the county row without one); checked, audited.

    Warnings already raised stay; new ones follow the new rules from the next evaluation on.
    """
    value = rules_to_json(rules)  # ValidationError naming the rule's field, before anything is written
    office = user_office(ctx)
    with ctx.transaction() as session:
        row = setting_row(session, RULES_KEY, office)
        before = row.value if row is not None else None
        if row is None:
            session.add(Setting(key=RULES_KEY, organization_id=office, value=value))
        elif row.value != value:
            row.value = value
            row.version += 1
            session.add(row)
        if before != value:
            detail = {"changed": [RuleKind(k).label for k in value if (before or {}).get(k) != value[k]]}
            if office is not None:
                detail["office"] = session.get(Organization, office).name
            audit.record(ctx, session, "risk.rules", RULES_KEY, detail)
    return OpChanges()
