"""Every value of an exchange document set to each of eight wrong things: the import accepts the
document or refuses it with our field-named errors (a path and a Chinese message), never another
exception. The whole sweep runs over the reading step (no database); a sample of it, and a
hypothesis mutation of nested records, go through a real import."""
from __future__ import annotations

import copy
from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mediator.domain.errors import ValidationError, ValidationErrors
from mediator.services.context import Clock, ServiceContext
from mediator.services.exchange.document import read_document
from mediator.services.exchange.importer import import_document
from mediator.services.exchange.schema import dotted
from tests.bad_input import refusal
from tests.conftest import FIXED_NOW
from tests.helpers import drafted_document
from tests.templates import migrated_sqlite

WRONG = [None, 7, 1.5, True, ["x"], {"a": 1}, "长" * 10_000, ""]
TODAY = FIXED_NOW.date()


def _paths(value, at=()) -> Iterator[tuple]:
    """Every value's path in the document (objects and arrays too), the root left out."""
    if at:
        yield at
    children = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for key, child in children:
        yield from _paths(child, (*at, key))


def _mutated(doc: dict, at: tuple, value) -> dict:
    out = copy.deepcopy(doc)
    parent = out
    for key in at[:-1]:
        parent = parent[key]
    parent[at[-1]] = copy.deepcopy(value)
    return out


BASE = drafted_document()
MUTATIONS = [(at, w) for at in _paths(BASE) if at != ("format",) for w in WRONG]


def _read_faults(doc) -> dict[str, str]:
    """The reading step's faults (path → message); fails on anything but our errors."""
    try:
        read = read_document(doc, TODAY)
    except ValidationErrors as e:
        return refusal(e)
    if not read.reader.errors:
        return {}
    return refusal(ValidationErrors(read.reader.errors))


def test_every_value_set_to_every_wrong_type_is_read_or_refused_by_name():
    assert len(MUTATIONS) > 2000
    assert _read_faults(BASE) == {}
    doc = copy.deepcopy(BASE)
    for at, wrong in MUTATIONS:
        parent = doc
        for key in at[:-1]:
            parent = parent[key]
        kept, parent[at[-1]] = parent[at[-1]], wrong  # in place and put back: the sweep stays fast
        faults = _read_faults(doc)
        parent[at[-1]] = kept
        assert all(faults), (at, wrong, faults)  # every fault names its place
        if faults and isinstance(wrong, (list, dict)) and at[-1] not in ("amount_yuan",):
            # a container where the format has another container is fine only if it was one
            assert any(p.startswith(dotted(at)) for p in faults), (at, faults)


def test_a_non_string_event_action_and_advisor_village_code_are_named():
    doc = copy.deepcopy(BASE)
    doc["cases"][0]["events"][1]["action"] = ["start"]
    doc["advisors"][0]["villages"][0]["code"] = {"code": "419901100201"}
    doc["cases"][1]["summary"] = 5
    faults = _read_faults(doc)
    assert faults["cases[0].events[1].action"] == "办理动作应为字符串"
    assert faults["advisors[0].villages[0].code"] == "村（社区）区划代码应为字符串"
    assert faults["cases[1].summary"] == "纠纷简要情况应为字符串"


@pytest.fixture
def lite(tmp_path):
    db = migrated_sqlite(tmp_path / "types.db")
    yield ServiceContext(db, actor="测试员", clock=Clock(fixed=FIXED_NOW))
    db.dispose()


class _Rollback(Exception):
    """Undoes an import that succeeded, so the next one starts from the same database."""


def _import(ctx: ServiceContext, doc) -> dict[str, str]:
    """The import's refusal (path → message), {} when it was accepted; rolled back either way."""
    try:
        with ctx.transaction():
            import_document(ctx, doc)
            raise _Rollback
    except _Rollback:
        return {}
    except (ValidationErrors, ValidationError) as e:
        return refusal(e)


def test_a_sample_of_the_wrong_values_goes_through_a_real_import(lite):
    assert _import(lite, BASE) == {}
    for at, wrong in MUTATIONS[::37]:
        faults = _import(lite, _mutated(BASE, at, wrong))
        assert all(faults), (at, wrong, faults)


# --- hypothesis: nested records mutated -----------------------------------------------------------

NESTED = {
    "events": ("on", "action", "note", "reason", "to_track", "to_organization", "level", "until",
               "consent", "result", "number"),
    "sessions": ("on", "kind", "place", "participants", "record"),
    "follow_ups": ("on", "method", "performance", "satisfaction", "note"),
    "parties": ("role", "kind", "name", "gender", "birth_date", "id_number", "phone", "address",
                "agent", "representative"),
    "supplements": ("kind", "signed_on", "terms", "reason"),
}
VALUES = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), st.text(max_size=30),
    st.sampled_from(["长" * 10_000, "", "2026-02-30", "accept", "archive", "agree", "x" * 201,
                     "2026-06-05", "full", "county"]),
    st.lists(st.integers(), max_size=2), st.dictionaries(st.sampled_from(["a", "name"]), st.integers(), max_size=2),
)
FUZZ = settings(max_examples=40, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


@st.composite
def _nested_mutation(draw) -> tuple[tuple, object]:
    case = draw(st.integers(0, len(BASE["cases"]) - 1))
    where = draw(st.sampled_from(sorted(NESTED) + ["agreement", "draft", "advisors", "regions"]))
    value = draw(VALUES)
    if where in NESTED:
        items = BASE["cases"][case].get(where) or [{}]
        index = draw(st.integers(0, len(items)))  # one past the end: a new record
        return ("cases", case, where, index, draw(st.sampled_from(NESTED[where]))), value
    if where in ("agreement", "draft"):
        key = draw(st.sampled_from(["form", "signed_on", "items", "performance", "deadline", "amount_yuan",
                                    "copies", "revision", "signed", "facts"]))
        return ("cases", 0, where, key), value
    if where == "advisors":
        return ("advisors", 0, "villages", 0, draw(st.sampled_from(["code", "from", "to"]))), value
    return ("regions", draw(st.integers(0, len(BASE["regions"]) - 1)),
            draw(st.sampled_from(["code", "name", "level", "parent", "kind", "grids", "lat", "lon"]))), value


def _set_nested(doc: dict, at: tuple, value) -> dict:
    out = copy.deepcopy(doc)
    parent = out
    for key in at[:-1]:
        if isinstance(parent, list) and key >= len(parent):
            parent.append({"on": "2026-06-05", "action": "accept", "kind": "mediation", "method": "phone"}
                          if at[2] != "parties" else {"role": "applicant", "kind": "person", "name": "甲"})
            key = len(parent) - 1
        elif isinstance(parent, dict) and parent.get(key) is None:
            parent[key] = {}
        parent = parent[key]
    parent[at[-1]] = value
    return out


@FUZZ
@given(mutations=st.lists(_nested_mutation(), min_size=1, max_size=3))
def test_fuzzed_nested_records_import_or_are_refused_by_name(lite, mutations):
    doc = BASE
    for at, value in mutations:
        doc = _set_nested(doc, at, value)
    faults = _import(lite, doc)
    assert all(faults), faults

