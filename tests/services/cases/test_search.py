"""Case search finds any substring of number, summary, requests, party name or phone, and stays in sync."""
from __future__ import annotations

import copy
from datetime import date

import pytest
import sqlalchemy as sa

from mediator.domain.enums import Track, TrackDetail
from mediator.services.cases import lifecycle as uc
from mediator.services.cases.corrections import update_case_info
from mediator.services.cases.list_page import case_page
from mediator.services.cases.read import CaseFilter, _filtered, count_cases, list_cases
from mediator.services.cases.search import rebuild_index, search_words
from mediator.services.exchange.bulk import bulk_import_document
from mediator.services.exchange.importer import import_document
from mediator.store.models import Case
from tests.helpers import (
    LAND_OFFICE,
    add_mediator,
    applicant,
    case_input,
    respondent,
    sample_document,
    seed_county,
)
from tests.templates import migrated_sqlite

SUMMARY = "两户因彩礼返还发生争执，女方要求退还全部彩礼8.8万元。"


@pytest.fixture
def county(ctx):
    seed_county(ctx)
    return ctx


@pytest.fixture
def case_id(county) -> int:
    return uc.register_case(county, case_input(
        summary=SUMMARY, requests="请求返还彩礼。",
        parties=[applicant(name="王芳", phone="13912345678"), respondent(name="欧阳建华", phone=None)])).id


@pytest.fixture
def other_id(county) -> int:
    return uc.register_case(county, case_input(
        summary="相邻两户因宅基地界址发生纠纷。", requests="请求确认界址。",
        parties=[applicant(id_number=None, phone="13800000003"),
                 respondent(id_number=None, phone="13800000004")])).id


def found(ctx, text: str, **filters) -> set[int]:
    ids = {r.id for r in list_cases(ctx, CaseFilter(text=text, **filters), limit=1000)}
    assert count_cases(ctx, CaseFilter(text=text, **filters)) == len(ids)
    return ids


def test_every_substring_of_the_summary_finds_the_case(county, case_id, other_id):
    for size in (1, 2, 3, 4, 7):
        for start in range(len(SUMMARY) - size + 1):
            word = SUMMARY[start:start + size]
            if word.strip() and word.strip() == word:
                assert case_id in found(county, word), word


def test_one_two_and_three_character_words(county, case_id, other_id):
    assert found(county, "彩礼") == {case_id}  # the commonest kind of search: two characters
    assert found(county, "彩") == {case_id}
    assert found(county, "礼。") == {case_id}  # the very end of the summary
    assert found(county, "宅基地") == {other_id}
    assert found(county, "户") == {case_id, other_id}
    assert found(county, "两户因") == {case_id, other_id}
    assert found(county, "离婚") == set()
    assert found(county, "婚") == set()
    assert found(county, "彩礼返还纠纷") == set()


def test_party_names_of_two_characters_and_their_parts(county, case_id, other_id):
    assert found(county, "王芳") == {case_id}
    assert found(county, "芳") == {case_id}
    assert found(county, "欧阳") == {case_id}
    assert found(county, "阳建华") == {case_id}
    assert found(county, "刘桂兰") == {other_id}
    assert found(county, "兰") == {other_id}


def test_phone_numbers_requests_and_case_numbers(county, case_id, other_id):
    assert found(county, "13912345678") == {case_id}
    assert found(county, "2345") == {case_id}
    assert found(county, "78") == {case_id}
    assert found(county, "请求返还") == {case_id}
    number = list_cases(county, CaseFilter(text="王芳"))[0].number
    assert found(county, number) == {case_id}
    assert found(county, "城关") == {case_id, other_id}


def test_several_words_must_all_be_found(county, case_id, other_id):
    assert found(county, "王芳 彩礼") == {case_id}
    assert found(county, " 刘桂兰  界址 ") == {other_id}
    assert found(county, "王芳 界址") == set()
    assert search_words(" a\tb\n c ") == ["a", "b", "c"]
    assert search_words("   ") == []


def test_ascii_ignores_case_and_special_characters_are_plain_text(county, case_id, other_id):
    with county.transaction() as session:
        session.execute(sa.text("UPDATE case_file SET ref = 'HW-2026-07', requests = '要求100%_退还\"全部\"'"
                                " WHERE id = :id"), {"id": case_id})
    assert found(county, "hw-2026") == {case_id}
    assert found(county, "Hw") == {case_id}
    assert found(county, "%") == {case_id}
    assert found(county, "0%_") == {case_id}
    assert found(county, '"全部"') == {case_id}
    assert found(county, "_") == {case_id}
    assert found(county, '"') == {case_id}


def test_text_combines_with_the_other_filters(county, case_id, other_id):
    assert found(county, "户", date_from=date(2026, 10, 1)) == {case_id, other_id}
    assert found(county, "户", status=["accepted"]) == set()
    page = case_page(county, CaseFilter(text="户"), limit=1, with_total=True)
    assert page.total == 2 and len(page.rows) == 1


def test_an_edit_of_the_summary_is_searchable_at_once(county, case_id):
    version = list_cases(county, CaseFilter(text="彩礼"))[0].version
    update_case_info(county, case_id, version, summary="双方因土地承包经营权发生争执。",
                        requests="请求确认承包地边界。")
    assert found(county, "彩礼") == set()
    assert found(county, "承包") == {case_id}
    assert found(county, "包地边") == {case_id}
    assert found(county, "王芳") == {case_id}  # the parties are untouched


def test_a_transfer_is_found_by_its_new_number_only(county, case_id):
    old = list_cases(county, CaseFilter(text="王芳"))[0].number
    uc.transfer_case(county, case_id, to_track=Track.ADMINISTRATIVE, to_organization=LAND_OFFICE,
                     to_track_detail=TrackDetail.LAND, reason="涉及土地权属", on=date(2026, 10, 20),
                     mediators=[add_mediator(county, "孙立平")])
    new = list_cases(county, CaseFilter(text="王芳"))[0].number
    assert new != old
    assert found(county, new) == {case_id}
    assert found(county, "资行调") == {case_id}
    assert found(county, old) == set()


@pytest.mark.parametrize("importer", [import_document, bulk_import_document])
def test_imported_cases_are_searchable(ctx, importer):
    document = sample_document()
    importer(ctx, copy.deepcopy(document))
    for case in document["cases"]:
        for text in (case["summary"][3:5], case["summary"][2:9], case["parties"][0]["name"],
                     case["parties"][-1]["name"][-1], case["ref"]):
            hits = {r.ref for r in list_cases(ctx, CaseFilter(text=text), limit=1000)}
            assert case["ref"] in hits, text


def test_rebuilding_the_index_gives_the_same_answers(county, case_id, other_id):
    before = {w: found(county, w) for w in ("彩礼", "户", "王芳", "宅基地", "78")}
    indexed = rebuild_index(county)
    if county.db.is_sqlite:
        assert indexed == 2
    assert {w: found(county, w) for w in before} == before


def test_the_database_maintains_the_index_itself(database):
    """SQLite: triggers on the case and party tables; PostgreSQL: trigram indexes."""
    with database.engine.connect() as conn:
        if database.is_sqlite:
            triggers = set(conn.execute(sa.text(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'search%'")).scalars())
            assert triggers == {f"search_{t}_{e}" for t in ("case", "party")
                                for e in ("insert", "update", "delete")}
        else:
            names = set(conn.execute(sa.text(
                "SELECT indexname FROM pg_indexes WHERE schemaname = current_schema() "
                "AND indexname LIKE 'ix_search%'")).scalars())
            assert names == {"ix_search_case_number", "ix_search_case_ref", "ix_search_case_summary",
                             "ix_search_case_requests",
                             "ix_search_party_name", "ix_search_party_phone"}


def test_sqlite_looks_words_up_in_the_index_not_case_by_case(tmp_path):
    """The plan starts from the FTS tables and fetches cases by id (a scan would cost ~100 ms)."""
    database = migrated_sqlite(tmp_path / 'plan.db')
    with database.engine.connect() as conn:
        for word in ("彩礼", "宅基地"):
            stmt = _filtered(sa.select(Case.id), CaseFilter(text=word))
            sql = str(stmt.compile(conn, compile_kwargs={"literal_binds": True}))
            assert ") = 1" not in sql
            plan = " | ".join(row[3] for row in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + sql))
            assert "SEARCH case_file USING INTEGER PRIMARY KEY" in plan, plan
            assert "VIRTUAL TABLE" in plan, plan
    database.dispose()


@pytest.mark.parametrize("dense", [False, True], ids=["sorted-matches", "index-walk"])
def test_a_search_page_and_its_total_are_those_of_the_plain_queries(county, monkeypatch, dense):
    """The first page of a search reads its matches once; same rows and total as count + list."""
    from mediator.services.cases import read

    if dense:  # every search takes the index walk
        monkeypatch.setattr(read, "_DENSE_MATCHES", 0)
    ids = [uc.register_case(county, case_input(
        summary=f"第{i}户因{'宅基地' if i % 2 else '彩礼'}发生纠纷。", received_on=date(2026, 10, 1 + i % 20),
        parties=[applicant(id_number=None, phone=f"1380000{i:04d}"), respondent(id_number=None, phone=None)])).id
        for i in range(12)]
    uc.accept_case(county, ids[0], on=date(2026, 10, 22))
    for text, filters in (("户", {}), ("宅基地", {}), ("户 彩礼", {}), ("户", {"status": ["accepted"]}),
                          ("户", {"date_from": date(2026, 10, 5)}), ("没有的词", {}), ("13800000003", {})):
        for sort, descending, offset in (("received_on", True, 0), ("received_on", False, 3),
                                         ("number", True, 0), ("status", False, 2)):
            f = CaseFilter(text=text, **filters)
            page = case_page(county, f, offset=offset, limit=4, sort=sort, descending=descending, with_total=True)
            expected = list_cases(county, f, offset=offset, limit=4, sort=sort, descending=descending)
            assert [r.id for r in page.rows] == [r.id for r in expected], (text, filters, sort)
            assert page.total == count_cases(county, f), (text, filters)


def test_a_bulk_load_indexes_its_rows_once_and_keeps_the_triggers(ctx):
    """The insert triggers are off during a bulk load and back after it, or after its rollback."""
    from mediator.domain.errors import ValidationErrors

    def triggers() -> set[str]:
        with ctx.db.engine.connect() as conn:
            return set(conn.execute(sa.text("SELECT name FROM sqlite_master WHERE type = 'trigger'")).scalars())

    def index_rows() -> tuple[int, int]:
        with ctx.db.engine.connect() as conn:
            return (conn.execute(sa.text("SELECT count(*) FROM search_case")).scalar_one(),
                    conn.execute(sa.text("SELECT count(*) FROM search_party")).scalar_one())

    if not ctx.db.is_sqlite:
        pytest.skip("the FTS5 index is SQLite's; PostgreSQL's trigram indexes maintain themselves")
    before = triggers()
    assert {"search_case_insert", "search_party_insert"} <= before
    broken = sample_document()
    broken["cases"][0]["received_on"] = "not a date"
    with pytest.raises(ValidationErrors):
        bulk_import_document(ctx, broken)
    assert triggers() == before and index_rows() == (0, 0)
    bulk_import_document(ctx, sample_document())
    assert triggers() == before
    with ctx.read() as session:
        cases = session.execute(sa.select(sa.func.count()).select_from(Case)).scalar_one()
        parties = session.execute(sa.text("SELECT count(*) FROM case_party")).scalar_one()
    assert index_rows() == (cases, parties)
    seed_id = uc.register_case(ctx, case_input(summary="新登记的案件关于鱼塘承包。")).id  # triggers work again
    assert found(ctx, "鱼塘承包") == {seed_id}
