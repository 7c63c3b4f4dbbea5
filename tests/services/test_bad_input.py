"""Bad input through the services: a clear Chinese message naming the field, or the value stored
exactly; never another exception, and nothing half-written after a refusal.

Hypothesis loops run on SQLite (``lite``); the hand-made cases run on both databases (``ctx``).
Rule for text fields: control characters other than ``\\n`` and ``\\t``, bidi controls and lone
surrogates are refused ("…含有不可见的控制字符"); names and the summary are stored stripped,
other texts exactly; a text longer than its column is refused with its limit.
"""
from __future__ import annotations

import io
import json
import zipfile
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mediator.domain.enums import FollowUpMethod, PartyKind, PartyRole, SessionKind
from mediator.domain.errors import DomainError, ValidationError, ValidationErrors
from mediator.services.advisors.sheets import import_advisors_xlsx
from mediator.services.cases import lifecycle as uc
from mediator.services.cases.corrections import update_case_info
from mediator.services.cases.inputs import AgentInput, FollowUpInput, PartyInput, SessionInput
from mediator.services.cases.list_page import case_page
from mediator.services.cases.read import CaseFilter, case_detail, count_cases
from mediator.services.context import Clock, ServiceContext
from mediator.services.exchange.importer import import_document, import_file
from tests.bad_input import NASTY, has_control, refusal, row_counts
from tests.conftest import FIXED_NOW
from tests.helpers import (
    agreement_input,
    applicant,
    case_input,
    respondent,
    sample_document,
    seed_county,
)
from tests.templates import migrated_sqlite

FUZZ = settings(max_examples=60, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
TEXTS = st.one_of(st.sampled_from(NASTY), st.text(max_size=120),
                  st.text(st.characters(codec="utf-8"), min_size=95, max_size=210))
# Party text fields and their column limits (CaseParty).
PARTY_LIMITS = {"name": 100, "ethnicity": 20, "address": 200, "occupation": 100}
ORG_LIMITS = {"representative": 50}
AGENT_LIMITS = {"name": 50, "relation": 50}
SUMMARY_LIMIT = 20000


@pytest.fixture
def county(ctx):
    seed_county(ctx)
    return ctx


@pytest.fixture
def lite(tmp_path):
    """The sample county on SQLite only (hypothesis runs many examples on one database)."""
    db = migrated_sqlite(tmp_path / 'fuzz.db')
    ctx = ServiceContext(db, actor="测试员", clock=Clock(fixed=FIXED_NOW))
    seed_county(ctx)
    yield ctx
    db.dispose()


def _register(ctx, data) -> tuple[int | None, dict[str, str]]:
    """Register; (case id, {}) on success, (None, refusal) after checking nothing was written."""
    before = row_counts(ctx)
    try:
        return uc.register_case(ctx, data).id, {}
    except (ValidationErrors, ValidationError) as exc:
        assert row_counts(ctx) == before, "a refused registration wrote rows"
        return None, refusal(exc)


def _expect_text_outcome(case_id, paths, path, value, limit, stored, *, strip):
    """Stored exactly (stripped for names), or refused at ``path`` for a stated reason."""
    kept = value.strip() if strip else (value or None)
    if strip:
        value = kept  # leading and trailing white space (\r too) is dropped before the checks
    if case_id is not None:
        assert not has_control(value), f"control characters accepted at {path}: {value!r}"
        assert stored == kept
        assert kept is None or len(kept) <= limit
        return
    assert path in paths, paths
    message = paths[path]
    if has_control(value):
        assert "控制字符" in message
    elif kept and len(kept) > limit:
        assert str(limit) in message
    else:
        assert not (kept or "").strip(), f"{value!r} refused: {message}"


# --- registering: party texts, summary, numbers ---------------------------------------------------

@FUZZ
@given(field=st.sampled_from(sorted(PARTY_LIMITS)), value=TEXTS)
def test_person_texts_are_stored_exactly_or_refused_by_name(lite, field, value):
    case_id, paths = _register(lite, case_input(parties=[applicant(**{field: value}), respondent()]))
    stored = getattr(case_detail(lite, case_id).parties[0], field) if case_id else None
    _expect_text_outcome(case_id, paths, f"parties[0].{field}", value, PARTY_LIMITS[field], stored,
                         strip=field == "name")


@FUZZ
@given(field=st.sampled_from(["representative", "agent.name", "agent.relation"]), value=TEXTS)
def test_organisation_and_agent_texts_are_stored_exactly_or_refused(lite, field, value):
    org = PartyInput(role=PartyRole.RESPONDENT, kind=PartyKind.ORGANIZATION, name="示范县宏达建材有限公司",
                     representative="赵宏达", agent=AgentInput(name="周小军", relation="儿子"))
    if field == "representative":
        org.representative = value
    else:
        setattr(org.agent, field.split(".")[1], value)
    case_id, paths = _register(lite, case_input(parties=[applicant(), org]))
    limit = ORG_LIMITS.get(field) or AGENT_LIMITS[field.split(".")[1]]
    stored = None
    if case_id:
        party = case_detail(lite, case_id).parties[1]
        stored = party.representative if field == "representative" else getattr(
            party.agent, field.split(".")[1], None)
    if field == "agent.name":
        # A blank agent name is refused; the name is stored as typed.
        if case_id is not None:
            assert not has_control(value) and value.strip() and stored == value
            assert len(value) <= limit
        else:
            assert "parties[1].agent.name" in paths
        return
    if field == "agent.relation" and case_id is not None:
        assert stored == value  # the agent's texts are kept exactly, even empty
        stored = value or None
    _expect_text_outcome(case_id, paths, f"parties[1].{field}", value, limit, stored, strip=False)


@FUZZ
@given(field=st.sampled_from(["summary", "requests"]),
       value=st.one_of(TEXTS, st.just("长" * (SUMMARY_LIMIT + 1)), st.just("长" * SUMMARY_LIMIT)))
def test_summary_and_requests_are_stored_or_refused(lite, field, value):
    case_id, paths = _register(lite, case_input(**{field: value}))
    stored = getattr(case_detail(lite, case_id), field) if case_id else None
    value = value.strip()  # white space around (\r too) is dropped before the checks
    if case_id is not None:
        assert not has_control(value) and stored == value
        assert len(stored) <= SUMMARY_LIMIT
        return
    assert field in paths, paths
    if has_control(value):
        assert "控制字符" in paths[field]
    elif len(value.strip()) > SUMMARY_LIMIT:
        assert str(SUMMARY_LIMIT) in paths[field]
    else:
        assert field == "summary" and not value.strip()


ID_NUMBERS = ["41990119480315212Y", "419901194803152121", "4199011948031521", "4199011948031521200",
              "419901190002300012", "419901190002300010", "419901190002290016", "000000000000000000",
              "41990119480315212x", " 419901 1948 0315 212X ", "４１９９０１１９４８０３１５２１２Ｘ",
              "41990119480315212X\x00", "4199011948031521\u202e2X", "41990120300101001X", "'; --"]


@FUZZ
@given(value=st.one_of(st.sampled_from(ID_NUMBERS), st.text("0123456789Xx ", max_size=20), st.text(max_size=20)))
def test_identity_numbers_are_validated_or_refused_at_the_field(lite, value):
    case_id, paths = _register(lite, case_input(parties=[applicant(id_number=value, gender=None,
                                                                   birth_date=None), respondent()]))
    if case_id is None:  # (the respondent's own number is refused as a duplicate at parties[1])
        assert [m for p, m in paths.items() if p.endswith(".id_number") and "身份证号" in m], paths
    else:
        stored = case_detail(lite, case_id).parties[0].id_number
        assert stored is None or len(stored) == 18


@FUZZ
@given(value=st.one_of(st.sampled_from(["13800000000", "138 0000 0000", "０５７１-８８８８６６６６", "1380000000",
                                        "+8613800000000", "'; --", "\x00", "1" * 100]),
                       st.text("0123456789-+ ", max_size=16), st.text(max_size=40)))
def test_phones_are_normalised_or_refused(lite, value):
    case_id, paths = _register(lite, case_input(parties=[applicant(phone=value), respondent()]))
    if case_id is None:
        assert "parties[0].phone" in paths, paths
    else:
        stored = case_detail(lite, case_id).parties[0].phone
        assert stored is None or (stored.replace("-", "").isdigit() and len(stored) <= 13)


MONEY = ["-1", "-0", "0.001", "1e3", "NaN", "nan", "Infinity", "-Infinity", "1,000", "１２３", "",
         "9" * 40, " 12.5 ", "12.50", "0x10", "１２３．４５", 10**30, -5, 0, True, 1.5,
         Decimal("NaN"), Decimal("sNaN"), Decimal("-Infinity"), Decimal("1E+40"), None, ["1"]]


@FUZZ
@given(value=st.one_of(st.sampled_from(MONEY), st.integers(), st.decimals(), st.text(max_size=30)))
def test_amounts_are_stored_in_fen_or_refused(lite, value):
    case_id, paths = _register(lite, case_input(amount_yuan=value))
    if case_id is None:
        assert "amount_yuan" in paths and "涉及金额" in paths["amount_yuan"], paths
    else:
        amount = Decimal(str(case_detail(lite, case_id).amount_yuan))
        assert 0 <= amount < Decimal(10) ** 12


@FUZZ
@given(value=st.one_of(st.integers(), st.sampled_from([10**30, -1, 0, True, "3", None, 2**31])))
def test_people_involved_is_a_sensible_whole_number(lite, value):
    case_id, paths = _register(lite, case_input(people_involved=value))
    if case_id is None:
        assert "people_involved" in paths, paths
    else:
        assert 1 <= case_detail(lite, case_id).people_involved <= 1_000_000


@pytest.mark.parametrize("received", [date(2027, 1, 1), date(9999, 12, 31), date(1948, 12, 31),
                                      date(1900, 1, 1), date(1, 1, 1)])
def test_wrong_received_dates_are_refused(county, received):
    case_id, paths = _register(county, case_input(received_on=received))
    assert case_id is None and "received_on" in paths


@pytest.mark.parametrize("birth", [date(1, 1, 1), date(1899, 12, 31), date(2027, 1, 1)])
def test_impossible_birth_dates_are_refused(county, birth):
    party = applicant(id_number=None, gender=None, birth_date=birth)
    case_id, paths = _register(county, case_input(parties=[party, respondent()]))
    assert case_id is None and "parties[0].birth_date" in paths


# --- hand-made cases on both databases (VARCHAR limits and NUL bytes bite on PostgreSQL) ---------

HAND_MADE = [
    ("party name with NUL", dict(parties=[applicant(name="王\x00五"), respondent()]), "parties[0].name"),
    ("101-character name", dict(parties=[applicant(name="王" * 101), respondent()]), "parties[0].name"),
    ("long address", dict(parties=[applicant(address="村" * 201), respondent()]), "parties[0].address"),
    ("long ethnicity", dict(parties=[applicant(ethnicity="族" * 21), respondent()]), "parties[0].ethnicity"),
    ("summary with escape", dict(summary="\x1b[2J清屏"), "summary"),
    ("summary with NUL", dict(summary="排水沟\x00堵塞"), "summary"),
    ("requests with bidi override", dict(requests="请求\u202e疏通"), "requests"),
    ("organisation with NUL", dict(organization="城关镇\x00"), "organization"),
    ("village code with NUL", dict(village_code="4199011002\x0001"), "village_code"),
    ("grid with NUL", dict(grid="一网格\x00"), "grid"),
    ("mediator with NUL", dict(mediators=["李建国\x00"]), "mediators[0]"),
    ("ref with NUL", dict(ref="REF\x00"), "ref"),
    ("long ref", dict(ref="R" * 65), "ref"),
    ("long number", dict(number="号" * 65), "number"),
    ("huge people", dict(people_involved=10**30), "people_involved"),
    ("huge amount", dict(amount_yuan=10**30), "amount_yuan"),
    ("amount NaN", dict(amount_yuan="NaN"), "amount_yuan"),
    ("blank summary", dict(summary=" \u3000\n"), "summary"),
]


@pytest.mark.parametrize("overrides, path", [c[1:] for c in HAND_MADE], ids=[c[0] for c in HAND_MADE])
def test_hand_made_bad_registrations_are_refused_at_the_field(county, overrides, path):
    case_id, paths = _register(county, case_input(**overrides))
    assert case_id is None and path in paths, paths


GOOD_ODD = [
    dict(summary="'; DROP TABLE case_file; -- 100% _x_ \\"),
    dict(parties=[applicant(name="王𠀀明", address="👨‍👩‍👧 𪚥㐀𰀀"), respondent(name="O'Brien")]),
    dict(summary="长" * SUMMARY_LIMIT, requests="第一行\n\t第二行"),
    dict(parties=[applicant(name="名" * 100, address="址" * 200, occupation="业" * 100), respondent()]),
]


@pytest.mark.parametrize("overrides", GOOD_ODD)
def test_odd_but_valid_text_is_stored_exactly(county, overrides):
    case_id, paths = _register(county, case_input(**overrides))
    assert paths == {}
    detail = case_detail(county, case_id)
    for key, value in overrides.items():
        if key == "parties":
            for stored, given_party in zip(detail.parties, value):
                assert stored.name == given_party.name
                assert stored.address == given_party.address
                assert stored.occupation == given_party.occupation
        else:
            assert getattr(detail, key) == value


# --- editing ------------------------------------------------------------------------------------

EDITS = [("summary", v) for v in NASTY] + [("requests", v) for v in NASTY] + [
    ("people_involved", 10**30), ("people_involved", -1), ("people_involved", "3"),
    ("amount_yuan", "NaN"), ("amount_yuan", 10**30), ("amount_yuan", "-1"), ("amount_yuan", 1.5),
    ("grid", "一网格\x00"), ("grid", "'; DROP TABLE case_file; --"), ("grid", "网" * 500),
]


def _edit(ctx, case_id, field, value) -> dict[str, str]:
    version = case_detail(ctx, case_id).version
    before = row_counts(ctx)
    try:
        update_case_info(ctx, case_id, version, **{field: value})
    except (ValidationError, ValidationErrors) as exc:
        assert row_counts(ctx) == before
        assert case_detail(ctx, case_id).version == version
        return refusal(exc)
    return {}


@pytest.mark.parametrize("field, value", EDITS, ids=[f"{f}-{i}" for i, (f, _) in enumerate(EDITS)])
def test_editing_with_bad_values_is_refused_or_stored_exactly(county, field, value):
    case_id = uc.register_case(county, case_input()).id
    paths = _edit(county, case_id, field, value)
    if paths:
        assert field in paths, paths
        return
    detail = case_detail(county, case_id)
    assert isinstance(value, str) and not has_control(value)
    if field in ("summary", "requests"):
        assert getattr(detail, field) == value.strip()


@FUZZ
@given(field=st.sampled_from(["summary", "requests"]), value=TEXTS)
def test_fuzzed_edits_keep_the_case_consistent(lite, field, value):
    case_id = uc.register_case(lite, case_input()).id
    paths = _edit(lite, case_id, field, value)
    if paths:
        assert field in paths
        value = value.strip()
        assert has_control(value) or not value or len(value) > SUMMARY_LIMIT
    else:
        assert getattr(case_detail(lite, case_id), field) == value.strip()


# --- search -------------------------------------------------------------------------------------

@pytest.mark.parametrize("text", NASTY + ["\ud800", "a" * 5000, "\"\"", "NEAR(a b)", "* OR *"])
def test_search_with_nasty_text_never_fails(county, text):
    uc.register_case(county, case_input())
    page = case_page(county, CaseFilter(text=text), with_total=True)
    assert page.total == len(page.rows)
    if text in ("'; DROP TABLE case_file; --", "%", "_", "\\"):
        assert page.total == 0


@FUZZ
@given(text=st.text(max_size=60))
def test_fuzzed_search_never_fails(lite, text):
    count_cases(lite, CaseFilter(text=text))


# --- import of exchange documents ---------------------------------------------------------------

def _import_refused(ctx, call) -> dict[str, str]:
    before = row_counts(ctx)
    with pytest.raises((ValidationErrors, ValidationError, DomainError)) as info:
        call()
    assert row_counts(ctx) == before
    if isinstance(info.value, (ValidationErrors, ValidationError)):
        return refusal(info.value)
    assert any("\u4e00" <= ch <= "\u9fff" for ch in info.value.message)
    return {info.value.path: info.value.message}


def _deep(levels: int):
    value: object = "底"
    for _ in range(levels):
        value = {"a": value}
    return value


BROKEN_FILES = {
    "truncated": b'{"format": "mediator-case/1", "cases": [{"ref": ',
    "not json": "这不是JSON文件".encode(),
    "empty": b"",
    "gbk": json.dumps({"format": "mediator-case/1", "cases": [], "x": "调解"},
                      ensure_ascii=False).encode("gbk"),
    "nested": b"[" * 100_000 + b"]" * 100_000,
    "binary": bytes(range(256)),
    "list": b"[1, 2, 3]",
    "null": b"null",
    "lone surrogate": b'{"format": "mediator-case/1", "regions": [{"code": "419901000000", '
                      b'"name": "\\ud800", "level": "county"}]}',
    "huge number": b'{"format": "mediator-case/1", "cases": [], "x": ' + b"9" * 5000 + b"}",
}


@pytest.mark.parametrize("name", sorted(BROKEN_FILES))
def test_broken_json_files_are_refused_and_write_nothing(county, tmp_path, name):
    path = tmp_path / "broken.json"
    path.write_bytes(BROKEN_FILES[name])
    _import_refused(county, lambda: import_file(county, path))


def test_a_file_with_a_byte_order_mark_is_read(county, tmp_path):
    path = tmp_path / "bom.json"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps(sample_document(), ensure_ascii=False).encode())
    assert import_file(county, path).cases == 3


def _case_doc(**changes) -> dict:
    doc = sample_document()
    case = doc["cases"][0]
    for key, value in changes.items():
        target, leaf = case, key
        if "." in key:
            head, leaf = key.split(".", 1)
            target = case["parties"][0] if head == "party" else case[head]
        target[leaf] = value
    doc["cases"] = [case]
    return doc


BAD_DOCUMENTS = {
    "a list": [sample_document()],
    "a string": "mediator-case/1",
    "deeply nested": {"format": "mediator-case/1", "cases": [_deep(2000)]},
    "nested in a known key": _case_doc(risk=_deep(500)),
    "nulls everywhere": {"format": "mediator-case/1", "regions": [None], "organizations": [None],
                         "mediators": [None], "advisors": [None], "cases": [None]},
    "null fields": _case_doc(**{k: None for k in sample_document()["cases"][0]}),
    "null party fields": _case_doc(**{f"party.{k}": None
                                      for k in sample_document()["cases"][0]["parties"][0]}),
    "wrong types": _case_doc(track=1, received_on=20260601, summary=["a"], people_involved="4",
                             parties={"a": 1}, mediators="李建国", risk=[1]),
    "unhashable enum": _case_doc(track=["people"], source={"a": 1}, **{"party.role": ["x"]}),
    "huge numbers": _case_doc(people_involved=10**30, amount_yuan=10**30),
    "float amount": _case_doc(amount_yuan=1e308),
    "huge agreement copies": _case_doc(**{"agreement.copies": 10**30}),
    "5 MB summary": _case_doc(summary="长" * 5_000_000),
    "NUL in summary": _case_doc(summary="排水\x00沟"),
    "escape in party name": _case_doc(**{"party.name": "\x1b[31m刘桂兰"}),
    "lone surrogate in name": _case_doc(**{"party.name": "刘\ud800兰"}),
    "long party name": _case_doc(**{"party.name": "刘" * 101}),
    "agent of wrong types": _case_doc(**{"party.agent": {"name": 5, "phone": 13800000000,
                                                         "relation": ["x"]}}),
    "party texts of wrong types": _case_doc(**{"party.address": 5, "party.ethnicity": ["汉族"]}),
    "feb 30 received": _case_doc(received_on="2026-02-30"),
    "before 1949": _case_doc(received_on="1900-01-01"),
    "future received": _case_doc(received_on="2027-01-01"),
    "feb 30 birth": _case_doc(**{"party.birth_date": "1948-02-30"}),
    "year zero": _case_doc(received_on="0000-01-01"),
    "event on feb 30": _case_doc(events=[{"on": "2026-02-30", "action": "accept"}]),
    "region name of wrong type": {"format": "mediator-case/1",
                                  "regions": [{"code": "419901000000", "name": 5, "level": "county"}]},
    "region with odd coordinates": {"format": "mediator-case/1", "regions": [
        {"code": "419902000000", "name": "新县", "level": "county", "lat": "北纬", "lon": 10**30}]},
    "region name too long": {"format": "mediator-case/1", "regions": [
        {"code": "419902000000", "name": "县" * 101, "level": "county"}]},
    "region code of wrong type": {"format": "mediator-case/1", "regions": [
        {"code": 419902000000, "name": "新县", "level": "county"}]},
    "organisation fields of wrong types": {"format": "mediator-case/1", "organizations": [
        {"name": ["x"], "kind": "township_committee", "region": 5, "short": 1}]},
    "organisation short too long": {"format": "mediator-case/1", "organizations": [
        {"name": "新调委会", "kind": "township_committee", "region": "419901100000", "short": "简" * 21}]},
    "mediator name too long": {"format": "mediator-case/1", "mediators": [
        {"name": "李" * 51, "organization": "城关镇人民调解委员会"}]},
    "mediator of wrong types": {"format": "mediator-case/1", "mediators": [
        {"name": 5, "organization": ["城关镇人民调解委员会"], "phone": 13800000000}]},
    "advisor of wrong types": {"format": "mediator-case/1", "advisors": [
        {"name": "陈立新", "kind": "lawyer", "firm": 5, "license_no": 10**30, "villages": "x"}]},
    "advisor firm too long": {"format": "mediator-case/1", "advisors": [
        {"name": "陈立新", "kind": "lawyer", "firm": "所" * 101}]},
    "grid of control characters": {"format": "mediator-case/1", "regions": [
        {"code": "419901100201", "name": "东关村", "level": "village", "parent": "419901100000",
         "kind": "rural", "grids": ["\x00"]}]},
}


@pytest.mark.parametrize("name", sorted(BAD_DOCUMENTS))
def test_bad_documents_are_refused_with_a_path_and_write_nothing(county, name):
    paths = _import_refused(county, lambda: import_document(county, BAD_DOCUMENTS[name]))
    assert paths


def _json_containers(children):  # a named function: hypothesis inspects a lambda's source
    return st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=5), children, max_size=3)


JSON_VALUES = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=30),
              st.sampled_from(NASTY[:-2] + ["2026-02-30", "1900-01-01", "2026-06-01", "people"])),
    _json_containers, max_leaves=6)
CASE_KEYS = sorted(sample_document()["cases"][0])
PARTY_KEYS = sorted(sample_document()["cases"][0]["parties"][0])


@FUZZ
@given(key=st.one_of(st.sampled_from(CASE_KEYS), st.sampled_from([f"party.{k}" for k in PARTY_KEYS])),
       value=JSON_VALUES)
def test_fuzzed_case_documents_import_or_are_refused_cleanly(lite, key, value):
    doc = _case_doc(**{key: value})
    doc["cases"][0]["ref"] = doc["cases"][0]["ref"] if key == "ref" else f"FZ-{row_counts(lite)['case_file']}"
    before = row_counts(lite)
    try:
        import_document(lite, doc)
    except ValidationErrors as exc:
        refusal(exc)
        assert row_counts(lite) == before


# --- broken .xlsx sheets ----------------------------------------------------------------------------

def _empty_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w"):
        pass
    return buffer.getvalue()


def _sheet(rows: list[list[object]]) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


HEADERS = ["姓名", "类别", "执业机构", "执业证号", "联系电话", "专长", "在职", "村（社区）区划代码",
           "村（社区）", "聘期开始", "聘期结束", "法治副主任"]
BAD_SHEETS = {
    "text renamed": "这不是Excel文件".encode(),
    "empty zip": _empty_zip(),
    "empty bytes": b"",
    "wrong headers": _sheet([["名字", "类型"], ["陈立新", "律师"]]),
    "no rows at all": _sheet([]),
    "wrong kind": _sheet([HEADERS, ["陈立新", 123, "所", "1", "13903710001"]]),
    "feb 30": _sheet([HEADERS, ["陈立新", "律师", "所", "141992012100333", "13903710001", "", "是",
                                "419901100201", "东关村", "2026-02-30", "2026-12-31"]]),
    "huge license number": _sheet([HEADERS, ["陈立新", "律师", "所", 10**30, "13903710001"]]),
    "bidi override": _sheet([HEADERS, ["陈\u202e立新", "律师", "所", "", "13903710001"]]),
    "long name": _sheet([HEADERS, ["陈" * 51, "律师", "所", "", "13903710001"]]),
    "long firm": _sheet([HEADERS, ["陈立新", "律师", "所" * 101, "", "13903710001"]]),
    "bad phone": _sheet([HEADERS, ["陈立新", "律师", "所", "", "'; DROP TABLE advisor; --"]]),
    "bad flag": _sheet([HEADERS, ["陈立新", "律师", "所", "", "13903710001", "", "也许"]]),
}


@pytest.mark.parametrize("name", sorted(BAD_SHEETS))
def test_broken_xlsx_is_refused_and_writes_nothing(county, tmp_path, name):
    data = BAD_SHEETS[name]
    if name == "huge license number":  # Excel made it a number: 31 digits are taken as written
        result = import_advisors_xlsx(county, data)
        assert result.advisors_added + result.advisors_updated == 1
        return
    if name == "no rows at all":
        paths = _import_refused(county, lambda: import_advisors_xlsx(county, data))
        assert paths
        return
    _import_refused(county, lambda: import_advisors_xlsx(county, data))
    path = tmp_path / "advisors.xlsx"
    path.write_bytes(data)
    _import_refused(county, lambda: import_advisors_xlsx(county, path))


# --- lifecycle records --------------------------------------------------------------------------

def _in_mediation(ctx) -> int:
    case_id = uc.register_case(ctx, case_input()).id
    uc.accept_case(ctx, case_id, date(2026, 10, 15))
    uc.start_mediation(ctx, case_id, date(2026, 10, 16))
    return case_id


def _agreed(ctx) -> int:
    case_id = _in_mediation(ctx)
    uc.conclude_agreement(ctx, case_id, agreement_input(date(2026, 10, 20)), date(2026, 10, 20))
    return case_id


RECORDS = {
    "session place with NUL": (_in_mediation, lambda ctx, cid: uc.record_session(ctx, cid, SessionInput(
        on=date(2026, 10, 17), kind=SessionKind.MEDIATION, place="调解室\x00", record="经过")), "place"),
    "session place too long": (_in_mediation, lambda ctx, cid: uc.record_session(ctx, cid, SessionInput(
        on=date(2026, 10, 17), kind=SessionKind.MEDIATION, place="室" * 201, record="经过")), "place"),
    "session record with escape": (_in_mediation, lambda ctx, cid: uc.record_session(ctx, cid, SessionInput(
        on=date(2026, 10, 17), kind=SessionKind.MEDIATION, record="\x1b[2J经过")), "record"),
    "agreement item with NUL": (_in_mediation, lambda ctx, cid: uc.conclude_agreement(
        ctx, cid, agreement_input(date(2026, 10, 20), items=["支付\x00八千元"]), date(2026, 10, 20)),
        "agreement.items[0]"),
    "agreement performance too long": (_in_mediation, lambda ctx, cid: uc.conclude_agreement(
        ctx, cid, agreement_input(date(2026, 10, 20), performance="付" * 501), date(2026, 10, 20)),
        "agreement.performance"),
    "reason with NUL": (_in_mediation, lambda ctx, cid: uc.fail_mediation(
        ctx, cid, "双方\x00分歧大", date(2026, 10, 20)), "note"),
    "follow-up visitor too long": (_agreed, lambda ctx, cid: uc.record_follow_up(ctx, cid, FollowUpInput(
        on=date(2026, 10, 25), method=FollowUpMethod.PHONE, visitor="访" * 51)), "visitor"),
    "court with bidi override": (_agreed, lambda ctx, cid: uc.record_judicial_confirmation(
        ctx, cid, applied_on=date(2026, 10, 25), court="示范县\u202e人民法院"), "court"),
}


@pytest.mark.parametrize("name", sorted(RECORDS))
def test_bad_texts_in_lifecycle_records_are_refused(county, name):
    prepare, act, path = RECORDS[name]
    case_id = prepare(county)
    before = row_counts(county)
    version = case_detail(county, case_id).version
    with pytest.raises((ValidationErrors, ValidationError)) as info:
        act(county, case_id)
    paths = refusal(info.value)
    assert any(p.endswith(path) for p in paths), paths
    assert row_counts(county) == before and case_detail(county, case_id).version == version
