"""Over-long texts are refused before the database, naming the field and its limit, on both
databases (PostgreSQL refuses a VARCHAR overflow with StringDataRightTruncation; SQLite would
store it). The import's limits come from its format table, the services' from the model columns."""
from __future__ import annotations

import copy
from datetime import date

import pytest

from mediator.domain.enums import FollowUpMethod, SessionKind
from mediator.domain.errors import ValidationError, ValidationErrors
from mediator.services.cases import lifecycle as uc
from mediator.services.cases.inputs import AgentInput, FollowUpInput, SessionInput
from mediator.services.exchange.importer import import_document
from mediator.services.exchange.schema import DOCUMENT, Leaf
from mediator.services.opening import ACTOR_MAX, checked_actor, open_context
from mediator.store.models import AuditEntry, CaseParty, FollowUp, MediationSession, TimelineEvent
from mediator.store.widths import width
from tests.bad_input import refusal
from tests.helpers import agreement_input, applicant, case_input, drafted_document, respondent, seed_county


class _Rollback(Exception):
    pass


def _refusal(ctx, call) -> dict[str, str]:
    try:
        with ctx.transaction():
            call()
            raise _Rollback
    except _Rollback:
        return {}
    except (ValidationErrors, ValidationError) as e:
        return refusal(e)


def _limited_places(schema, value, at=()):
    """(path in the sample document, limit) of every limited text the sample has an object for."""
    if isinstance(schema, dict) and isinstance(value, dict):
        for key, child in schema.items():
            if isinstance(child, Leaf):
                if child.limit is not None:
                    yield (*at, key), child.limit
            else:
                yield from _limited_places(child, value.get(key), (*at, key))
    elif isinstance(schema, list) and isinstance(value, list) and value:
        yield from _limited_places(schema[0], value[0], (*at, 0))


def _dotted(at) -> str:
    return "".join(f"[{k}]" if isinstance(k, int) else (f".{k}" if i else k) for i, k in enumerate(at))


def test_every_limited_text_of_the_import_is_refused_at_its_limit(ctx):
    base = drafted_document()
    places = list(_limited_places(DOCUMENT, base))
    assert len(places) >= 35
    for at, limit in places:
        doc = copy.deepcopy(base)
        parent = doc
        for key in at[:-1]:
            parent = parent[key]
        parent[at[-1]] = "字" * (limit + 1)
        faults = _refusal(ctx, lambda d=doc: import_document(ctx, d))
        assert f"不能超过{limit}个字" in faults.get(_dotted(at), ""), (at, faults)


PARTY_TEXTS = {"name": CaseParty.name, "ethnicity": CaseParty.ethnicity, "address": CaseParty.address,
               "occupation": CaseParty.occupation}
AGENT_TEXTS = {"name": CaseParty.agent_name, "relation": CaseParty.agent_relation}


def test_every_limited_text_of_the_case_services_is_refused_at_its_limit(ctx):
    seed_county(ctx)
    for field, column in PARTY_TEXTS.items():
        over = "字" * (width(column) + 1)
        faults = _refusal(ctx, lambda o=over, f=field: uc.register_case(
            ctx, case_input(parties=[applicant(**{f: o}), respondent()])))
        assert f"不能超过{width(column)}" in faults.get(f"parties[0].{field}", ""), (field, faults)
    for field, column in AGENT_TEXTS.items():
        agent = AgentInput(**{"name": "周小军", "relation": "儿子", field: "字" * (width(column) + 1)})
        faults = _refusal(ctx, lambda a=agent: uc.register_case(
            ctx, case_input(parties=[applicant(agent=a), respondent()])))
        assert str(width(column)) in faults.get(f"parties[0].agent.{field}", ""), (field, faults)
    for field, limit in {"ref": 64, "number": 64, "grid": 100, "organization": 100}.items():
        faults = _refusal(ctx, lambda f=field, n=limit: uc.register_case(ctx, case_input(**{f: "字" * (n + 1)})))
        assert str(limit) in faults.get(field, ""), (field, faults)
    case_id = uc.register_case(ctx, case_input()).id
    uc.accept_case(ctx, case_id, date(2026, 10, 15))
    uc.start_mediation(ctx, case_id, date(2026, 10, 16))
    for field in ("place", "participants"):
        limit = width(getattr(MediationSession, field))
        data = SessionInput(on=date(2026, 10, 17), kind=SessionKind.MEDIATION, record="经过",
                            **{field: "字" * (limit + 1)})
        faults = _refusal(ctx, lambda d=data: uc.record_session(ctx, case_id, d))
        assert str(limit) in faults.get(field, ""), (field, faults)
    faults = _refusal(ctx, lambda: uc.conclude_agreement(
        ctx, case_id, agreement_input(date(2026, 10, 20), performance="付" * 501), date(2026, 10, 20)))
    assert "500" in faults["agreement.performance"]
    uc.conclude_agreement(ctx, case_id, agreement_input(date(2026, 10, 20)), date(2026, 10, 20))
    visitor = "访" * (width(FollowUp.visitor) + 1)
    faults = _refusal(ctx, lambda: uc.record_follow_up(ctx, case_id, FollowUpInput(
        on=date(2026, 10, 25), method=FollowUpMethod.PHONE, visitor=visitor)))
    assert str(width(FollowUp.visitor)) in faults["visitor"]


def test_the_acting_name_fits_every_who_column():
    """``--user`` over 50 characters is refused before any database is opened (PostgreSQL raised
    StringDataRightTruncation on the first timeline row or audit entry)."""
    assert ACTOR_MAX == width(TimelineEvent.actor) == width(AuditEntry.username)
    with pytest.raises(ValidationError) as info:
        open_context("postgresql+psycopg://nobody@127.0.0.1:1/none", actor="张" * (ACTOR_MAX + 1))
    assert info.value.path == "user" and str(ACTOR_MAX) in info.value.message
    assert checked_actor("张" * ACTOR_MAX) == "张" * ACTOR_MAX
