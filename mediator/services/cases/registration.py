"""Registering a case (登记): its row, mediators, parties, persons and links to earlier cases of
the same people (重复纠纷), and its first timeline event — for the use case and both importers."""
from __future__ import annotations

from typing import Any

from mediator.domain.enums import CaseStatus, RegionLevel, RiskFlag
from mediator.domain.errors import ValidationError, ValidationErrors
from mediator.domain.lifecycle import Action
from mediator.domain.validators import parse_money, yuan_to_fen
from mediator.services.cases.history import CaseHistory, earlier_reason
from mediator.services.cases.inputs import CaseInput, normalized_party
from mediator.services.cases.state import CaseState
from mediator.store.models import Case, CaseLink, CaseMediator, CaseParty, Person


def _v(member: Any) -> str | None:
    return None if member is None else member._value_


def party_row(row_id: int, case_id: int, seq: int, party: Any, person_id: int | None) -> dict[str, Any]:
    """The ``case_party`` row of a normalised party (at registration and when one is added)."""
    agent = party.agent
    return {
        "id": row_id, "case_id": case_id, "person_id": person_id, "seq": seq,
        "role": party.role.value, "kind": party.kind.value, "name": party.name,
        "gender": _v(party.gender), "ethnicity": party.ethnicity,
        "birth_date": party.birth_date, "id_number": party.id_number, "phone": party.phone,
        "address": party.address, "occupation": party.occupation,
        "credit_code": party.credit_code, "representative": party.representative,
        "agent_name": agent.name if agent else None,
        "agent_phone": agent.phone if agent else None,
        "agent_relation": agent.relation if agent else None, "version": 1,
    }


def register(history: CaseHistory, data: CaseInput,
             found: list[ValidationError] | None = None) -> CaseState:
    """登记: the case, its mediators, parties, persons, links to earlier cases, first event.

    ``found`` are the faults ``check_case_input`` reported (none of them a name looked up
    here): raised together with those of the names.
    """
    d = history.directory
    errors: list[ValidationError] = list(found or [])
    org = d.organization(data.organization)
    if org is None:
        errors.append(ValidationError("organization", f"调解组织“{data.organization}”不存在"))
    village = d.region(data.village_code)
    if village is None or village[1] != RegionLevel.VILLAGE.value:
        errors.append(ValidationError("village_code", f"村（社区）区划代码{data.village_code}不存在"))
    grid_id = None
    if data.grid and village is not None:
        grid_id = d.grid(village[0], data.grid)
        if grid_id is None:
            errors.append(ValidationError("grid", f"{village[2]}没有名为“{data.grid}”的网格"))
    mediator_ids = []
    for i, name in enumerate(data.mediators):
        m = d.mediator(org[0], name) if org else None
        if org is not None and m is None:
            errors.append(ValidationError(f"mediators[{i}]", f"{data.organization}没有名为“{name}”的调解员"))
        mediator_ids.append(m)
    if data.ref and d.ref_taken(data.ref):
        errors.append(ValidationError("ref", f"编号为“{data.ref}”的案件已存在，不能重复导入"))
    if errors:
        raise ValidationErrors(errors)

    track, year = data.track, data.received_on.year
    number, seq = d.assign_number(org[0], org[1], track, year, data.number, "number")
    flags = list(dict.fromkeys(f.value for f in data.risk_flags))
    user = history.ctx.user
    row = {
        "id": d.new_id(Case), "ref": data.ref or None, "number": number, "number_year": year,
        "number_seq": seq, "track": track.value, "track_detail": _v(data.track_detail),
        "procedure": _v(data.procedure), "source": data.source.value,
        "category": data.category.value, "organization_id": org[0], "village_id": village[0],
        "grid_id": grid_id, "level": data.level.value, "received_on": data.received_on,
        "accepted_on": None, "closed_on": None, "summary": data.summary.strip(),
        "requests": (data.requests or "").strip(),
        "amount_fen": yuan_to_fen(parse_money(data.amount_yuan)),
        "people_involved": data.people_involved, "risk_level": data.risk_level.value,
        "risk_flags": ",".join(flags), "status": CaseStatus.REGISTERED.value,
        "needs_supervision": False, "created_at": history.now, "updated_at": history.now,
        "version": 1, "registered_by_id": user.id if user is not None else None,  # 网格员 see their own
    }
    state = CaseState(row, CaseStatus.REGISTERED)
    state.add(Case, row)
    case_id = state.id
    for i, m in enumerate(mediator_ids):
        state.add(CaseMediator, {"case_id": case_id, "mediator_id": m, "seq": i})
    earlier: dict[int, str] = {}
    for i, raw in enumerate(data.parties):
        party = normalized_party(raw)
        person_id, created = d.person(party)
        if created:
            state.add(Person, {"id": person_id, "name": party.name, "id_number": party.id_number,
                               "phone": party.phone})
        for other_id, same_id in d.earlier_cases(party, case_id):
            earlier.setdefault(other_id, earlier_reason(party.name, same_id))
        state.add(CaseParty, party_row(d.new_id(CaseParty), case_id, i, party, person_id))
    state.parties = len(data.parties)
    for earlier_id, reason in earlier.items():
        state.add(CaseLink, {"case_id": case_id, "earlier_case_id": earlier_id, "reason": reason})
    if earlier and RiskFlag.REPEAT.value not in flags:
        row["risk_flags"] = ",".join([*flags, RiskFlag.REPEAT.value])
    snapshot = {
        "track": track.value, "track_detail": _v(data.track_detail),
        "procedure": _v(data.procedure), "organization": data.organization,
        "level": data.level.value, "number": number,
    }
    history.append_event(state, Action.REGISTER, data.received_on, None, CaseStatus.REGISTERED, snapshot,
                f"关联既往纠纷{len(earlier)}件" if earlier else "")
    state.last_on = data.received_on
    d.registered(state)
    return state
