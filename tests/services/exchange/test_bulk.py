"""The bulk loader gives exactly what the use-case importer gives: same rows, same errors."""
from __future__ import annotations

import copy
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlmodel import SQLModel

from mediator.domain.errors import ValidationErrors
from mediator.services.cases import lifecycle as uc
from mediator.services.cases.read import case_detail, find_case_id
from mediator.services.context import Clock, ServiceContext
from mediator.services.exchange.bulk import bulk_import_document
from mediator.services.exchange.demo import load_demo
from mediator.services.exchange.export import export_document
from mediator.services.exchange.importer import import_document
from tests.conftest import FIXED_NOW
from tests.helpers import case_input, drafted_document, sample_document, supplemented_document
from tests.templates import migrated_sqlite

TODAY = date(2026, 11, 29)
# Written when the row is written: the two paths may differ here, nowhere else.
_CLOCK_COLUMNS = {"at", "created_at", "updated_at"}


def _demo_document() -> dict:
    from mediator.services.exchange.demo_data import build_demo_document

    return build_demo_document(cases=300, seed=7, today=TODAY)


def _sqlite_ctx(path: Path) -> ServiceContext:
    db = migrated_sqlite(path)
    return ServiceContext(db, actor="测试员", clock=Clock(fixed=FIXED_NOW))


def _tables(ctx: ServiceContext) -> dict[str, list[tuple]]:
    """Every row of every table, in primary-key order, without the write-time clock columns."""
    out = {}
    with ctx.db.engine.connect() as conn:
        for table in SQLModel.metadata.sorted_tables:
            cols = [c for c in table.columns if c.name not in _CLOCK_COLUMNS]
            rows = conn.execute(sa.select(*cols).order_by(*table.primary_key.columns))
            out[table.name] = [tuple(r) for r in rows]
    return out


def _search_index(ctx: ServiceContext) -> dict[str, list[tuple]] | None:
    """SQLite: the rows of the FTS5 search tables the triggers of migration 0004 keep."""
    if not ctx.db.is_sqlite:
        return None
    with ctx.db.engine.connect() as conn:
        names = [n for (n,) in conn.exec_driver_sql(
            "SELECT name FROM sqlite_master WHERE name IN ('search_case', 'search_party')")]
        return {n: [tuple(r) for r in conn.exec_driver_sql(
                    f"SELECT rowid, * FROM {n} ORDER BY rowid")] for n in names}


def _without_ids(value):
    if isinstance(value, dict):
        return {k: _without_ids(v) for k, v in value.items() if k not in ("id", "at")}
    if isinstance(value, list):
        return [_without_ids(v) for v in value]
    return value


def _export(ctx: ServiceContext) -> dict:
    doc = export_document(ctx)
    doc.pop("exported_at")
    return doc


def _details(ctx: ServiceContext, refs: list[str]) -> dict[str, dict]:
    out = {}
    for ref in refs:
        detail = _without_ids(case_detail(ctx, find_case_id(ctx, ref)).as_json())
        # case_detail reads the links without ORDER BY: SQLite and PostgreSQL list them differently.
        detail["earlier_cases"].sort(key=lambda e: (e["number"], e["reason"]))
        out[ref] = detail
    return out


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    """What import_document makes of each document (SQLite, computed once per module)."""
    made: dict[str, tuple] = {}

    def get(name: str, document: dict):
        if name not in made:
            ctx = _sqlite_ctx(tmp_path_factory.mktemp("reference") / f"{name}.db")
            result = import_document(ctx, copy.deepcopy(document))
            refs = [c["ref"] for c in document["cases"]]
            made[name] = (result, _tables(ctx), _export(ctx), _details(ctx, refs),
                          _search_index(ctx))
            ctx.db.dispose()
        return made[name]

    return get


def _assert_same(ctx: ServiceContext, result, expected) -> None:
    want_result, want_tables, want_export, want_details, want_search = expected
    assert result == want_result
    got_tables = _tables(ctx)
    for name, rows in want_tables.items():
        assert got_tables[name] == rows, f"table {name} differs"
    got_search = _search_index(ctx)
    if want_search is not None and got_search is not None:
        assert got_search == want_search
    assert _export(ctx) == want_export
    assert _details(ctx, list(want_details)) == want_details


@pytest.mark.parametrize("name", ["sample", "supplemented", "drafted", "demo"])
def test_bulk_import_writes_exactly_what_import_document_writes(ctx, reference, name):
    document = {"sample": sample_document, "supplemented": supplemented_document,
                "drafted": drafted_document, "demo": _demo_document}[name]()
    expected = reference(name, document)
    result = bulk_import_document(ctx, copy.deepcopy(document), chunk=64)
    _assert_same(ctx, result, expected)


def test_the_demo_document_has_transfers_repeats_and_every_record(reference):
    """The demo document holds what the bulk loader must get right (guards the test above)."""
    _, tables, _, _, _ = reference("demo", _demo_document())
    actions = {row[4] for row in tables["timeline_event"]}  # (id, case_id, seq, on, action, …)
    assert {"register", "accept", "start", "agree", "transfer", "perform", "archive",
            "record_session", "follow_up", "judicial_confirmation"} <= actions
    assert tables["case_link"] and tables["performance"] and tables["case_deadline"]


def test_the_drafted_document_writes_drafts(reference):
    """Guards the drafted case above: both kinds of draft reach the table."""
    _, tables, exported, _, _ = reference("drafted", drafted_document())
    # (id, case_id, …, revision, signed, updated_by): the clock column is left out
    assert [(row[1], row[-3], row[-2]) for row in tables["draft_agreement"]] == [(1, 3, True), (2, 2, False)]
    assert {c["ref"]: c["draft"] is not None for c in exported["cases"]} == {
        "SF-2026-001": True, "SF-2026-002": True, "SF-2026-003": False}


def test_importing_beside_existing_cases_links_people_and_continues_numbers(ctx, tmp_path):
    """Persons, repeat links and counters reach into cases already in the database."""
    second = sample_document()
    for i, case in enumerate(second["cases"]):
        case["ref"] = f"SF-2027-{i}"
        case["number"] = None
    second["cases"][1]["number"] = "（2026）城关人调字第7号"  # moves the counter up to 7
    second["cases"][2]["parties"][0]["id_number"] = None  # found again by name and phone only
    second["cases"][2]["parties"][0]["birth_date"] = None

    other = _sqlite_ctx(tmp_path / "other.db")
    import_document(other, sample_document())
    expected_result = import_document(other, copy.deepcopy(second))
    refs = [c["ref"] for c in sample_document()["cases"] + second["cases"]]
    expected = (expected_result, _tables(other), _export(other), _details(other, refs),
                _search_index(other))
    other.db.dispose()

    import_document(ctx, sample_document())
    result = bulk_import_document(ctx, copy.deepcopy(second), chunk=1)
    _assert_same(ctx, result, expected)
    assert _details(ctx, ["SF-2027-0"])["SF-2027-0"]["earlier_cases"]


def test_ids_and_numbers_go_on_after_a_bulk_import(ctx):
    """On PostgreSQL the id sequences must be moved past the ids the loader handed out."""
    bulk_import_document(ctx, sample_document())
    case_id = uc.register_case(ctx, case_input(received_on=date(2026, 11, 2))).id
    uc.accept_case(ctx, case_id, date(2026, 11, 3))
    detail = case_detail(ctx, case_id)
    # 城关 people's numbers of 2026: 第1号 SF-2026-001, 第2号 SF-2026-003 before its transfer
    assert detail.number == "（2026）城关人调字第3号"
    assert [e.number for e in detail.earlier_cases] == ["（2026）城关人调字第1号"]
    assert [e.seq for e in detail.timeline] == [1, 2]


def _faulty_documents() -> dict[str, dict]:
    docs = {}
    doc = sample_document()
    case = doc["cases"][0]
    case["parties"][0]["id_number"] = "419901194803152120"  # wrong check digit
    case["amount_yuan"] = "-10.00"
    doc["cases"][1]["village_code"] = "419901100299"  # no such village
    doc["cases"][2]["agreement"] = None
    docs["static"] = doc

    doc = sample_document()
    doc["cases"][1]["events"] = [{"on": "2026-11-20", "action": "start"}]
    doc["cases"][0]["events"][1]["on"] = "2026-05-31"
    docs["order"] = doc

    doc = sample_document()
    doc["cases"].append(copy.deepcopy(doc["cases"][1]))  # duplicate ref in the file
    doc["cases"][0]["mediators"] = ["不存在"]
    doc["cases"][2]["events"].append({"on": "2026-11-01", "action": "transfer",
                                      "to_track": "people", "to_organization": "城关镇人民调解委员会",
                                      "reason": " "})
    docs["register"] = doc

    doc = sample_document()
    events = doc["cases"][1]["events"]
    events += [{"on": "2026-11-21", "action": "pause"}, {"on": "2026-11-22", "action": "pause"},
               {"on": "2026-11-23", "action": "extend", "until": "2026-11-24", "reason": "鉴定",
                "consent": True}]
    doc["cases"][2]["number"] = "（2026）城关资行调字第1号"
    doc["cases"][0]["number"] = "（2026）城关人调字第3号"
    doc["cases"].append(copy.deepcopy(doc["cases"][0]))
    doc["cases"][-1]["ref"] = "SF-2026-009"  # the same number twice
    doc["regions"][2]["code"] = "419902100201"
    docs["replay"] = doc

    doc = drafted_document()
    doc["cases"][0]["draft"]["signed"] = False  # 已履行: an open draft is refused
    doc["cases"][1]["draft"]["amount_yuan"] = "1.001"
    doc["cases"][2]["draft"] = {"revision": 1, "items": ["x"], "signed": True}  # never agreed
    docs["draft"] = doc
    return docs


@pytest.mark.parametrize("name", ["static", "order", "register", "replay", "draft"])
def test_a_faulty_document_gives_the_same_errors_and_writes_nothing(ctx, tmp_path, name):
    doc = _faulty_documents()[name]
    other = _sqlite_ctx(tmp_path / "other.db")
    with pytest.raises(ValidationErrors) as want:
        import_document(other, copy.deepcopy(doc))
    other.db.dispose()
    before = _tables(ctx)
    with pytest.raises(ValidationErrors) as got:
        bulk_import_document(ctx, copy.deepcopy(doc), chunk=1)  # rows of good cases were written
    assert [(e.path, e.message) for e in got.value.errors] == \
           [(e.path, e.message) for e in want.value.errors]
    assert _tables(ctx) == before


def test_a_case_already_in_the_database_is_refused_like_import_document(ctx):
    bulk_import_document(ctx, sample_document())
    doc = sample_document()
    doc["cases"] = doc["cases"][:1]
    with pytest.raises(ValidationErrors) as info:
        bulk_import_document(ctx, doc)
    assert "不能重复导入" in {e.path: e.message for e in info.value.errors}["cases[0].ref"]


def test_load_demo_goes_through_the_bulk_loader(ctx):
    result = load_demo(ctx, cases=40, seed=3)
    assert result.cases == 40 and len(result.case_ids) == 40


def test_a_document_that_is_not_a_mediator_file_is_refused(ctx):
    with pytest.raises(ValidationErrors) as info:
        bulk_import_document(ctx, {"format": "x"})
    assert [e.path for e in info.value.errors] == ["format"]


def test_an_exported_file_with_every_number_given_loads_the_same(ctx, reference):
    """Re-importing an export: every case brings its number, so numbers are checked and kept."""
    _, _, exported, _, _ = reference("demo", _demo_document())
    expected = reference("demo-export", exported)
    result = bulk_import_document(ctx, copy.deepcopy(exported), chunk=50)
    _assert_same(ctx, result, expected)
