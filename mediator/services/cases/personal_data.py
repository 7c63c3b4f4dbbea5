"""Personal data of parties (身份证号, phones): who gets it unmasked, and the audited 显示.

Screens always show these masked; a user whose role has ``Permission.PERSONAL_DATA`` asks for
one party's values with ``reveal_party``, which writes an audit entry in the same transaction.
Read models, exports and documents call ``protect_parties`` so a role without the permission
never receives the real values at all (a context without a user is the system: unmasked).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from mediator.domain.errors import NotFoundError, ValidationError
from mediator.domain.masking import mask_party
from mediator.domain.permissions import Permission
from mediator.domain.validators import validate_id_number
from mediator.services import audit
from mediator.services.access import check_case_visible
from mediator.services.context import ServiceContext
from mediator.services.permissions import can, requires
from mediator.store.models import Case, CaseParty

FIELD_LABELS = {"id_number": "身份证号", "phone": "联系电话", "agent_phone": "委托代理人电话"}
PURPOSES = {"view": "显示", "edit": "编辑"}


@dataclass(frozen=True)
class RevealedParty:
    """One party's personal data in full (None where nothing is recorded)."""

    id_number: str | None
    phone: str | None
    agent_phone: str | None = None
    party_id: int | None = None
    name: str = ""


def sees_personal_data(ctx: ServiceContext) -> bool:
    """Whether the context's user receives personal data unmasked (the system always does)."""
    return can(ctx.user, Permission.PERSONAL_DATA)


def _with_birth_date(party: dict[str, Any], today: date) -> dict[str, Any]:
    # The masked number no longer tells the birth date that documents print as an age.
    if party.get("birth_date") or not party.get("id_number"):
        return party
    try:
        birth = validate_id_number(party["id_number"], today=today).birth_date
    except ValidationError:
        return party
    return {**party, "birth_date": birth.isoformat()}


def protect_parties(ctx: ServiceContext, parties: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """``parties`` (dicts with ``id_number``, ``phone``, ``agent.phone``) as the user may get them."""
    if sees_personal_data(ctx):
        return parties
    today = ctx.today()
    return [mask_party(_with_birth_date(p, today)) for p in parties]


@requires(Permission.PERSONAL_DATA)
def reveal_party(ctx: ServiceContext, party_id: int, *, purpose: str = "view") -> RevealedParty:
    """The 身份证号 and phones of one party, recorded in the audit log as a ``reveal``.

    Args:
        party_id: the party (``case_party`` row).
        purpose: ``view`` (the 显示 action) or ``edit`` (opening the party for editing).
    """
    if purpose not in PURPOSES:
        raise ValueError(f"unknown purpose {purpose!r}")
    with ctx.transaction() as session:
        party = session.get(CaseParty, party_id)
        if party is None:
            raise NotFoundError(f"当事人（编号{party_id}）不存在")
        check_case_visible(ctx, None, party.case_id)
        case = session.get(Case, party.case_id)
        revealed = RevealedParty(party.id_number, party.phone, party.agent_phone, party.id, party.name)
        fields = [label for key, label in FIELD_LABELS.items() if getattr(party, key)]
        audit.record(ctx, session, "reveal", case.number,
                     detail={"party": party.name, "fields": fields, "purpose": PURPOSES[purpose]})
        return revealed


__all__ = ["RevealedParty", "protect_parties", "reveal_party", "sees_personal_data"]
