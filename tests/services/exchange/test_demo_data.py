"""The demo county (河湾县) is a valid, lifecycle-true ``mediator-case/1`` document."""
from __future__ import annotations

import json
from collections import Counter
from datetime import date, timedelta
from decimal import Decimal

import pytest

from mediator.domain.enums import (
    ADMINISTRATIVE_DETAILS,
    JUDICIAL_DETAILS,
    CaseStatus,
    Category,
    Gender,
    Level,
    OrganizationKind,
    Track,
    TrackDetail,
    VillageKind,
)
from mediator.domain.validators import (
    parse_money,
    validate_credit_code,
    validate_id_number,
    validate_phone,
)
from mediator.services.exchange.demo_data import build_demo_document

TODAY = date(2026, 11, 28)
CASES = 120

# The allowed-actions table of the brief, written out independently of mediator.domain.lifecycle:
# action -> {from status: to status}; None keeps the status.
ALLOWED: dict[str, dict[str, str | None]] = {
    "accept": {"registered": "accepted"},
    "reject": {"registered": "rejected"},
    "start": {"accepted": "mediating"},
    "agree": {"mediating": "agreed"},
    "fail": {"mediating": "failed"},
    "withdraw": {"mediating": "withdrawn"},
    "transfer": {"registered": "registered", "accepted": "registered",
                 "mediating": "registered", "failed": "registered"},
    "escalate": {"registered": None, "accepted": None, "mediating": None},
    "hand_down": {"registered": None, "accepted": None, "mediating": None},
    "extend": {"accepted": None, "mediating": None},
    "pause": {"accepted": None, "mediating": None},
    "resume": {"accepted": None, "mediating": None},
    "perform": {"agreed": "performed"},  # partial / none keep `agreed`
    "archive": {"agreed": "archived", "performed": "archived", "failed": "archived",
                "rejected": "archived", "withdrawn": "archived"},
}
EVENT_KEYS = {
    "accept": set(), "start": set(), "agree": set(), "archive": set(),
    "reject": {"reason"}, "fail": {"reason"}, "withdraw": {"reason"},
    "transfer": {"to_track", "to_organization", "reason", "to_track_detail"},
    "escalate": {"level", "reason"}, "hand_down": {"level", "reason"},
    "extend": {"until", "reason", "consent"}, "pause": {"reason"}, "resume": {"reason"},
    "perform": {"result"},
}
RANK = {"grid": 0, "village": 1, "township": 2, "county": 3}
CASE_KEYS = {
    "ref", "number", "track", "track_detail", "source", "procedure", "category", "organization",
    "village_code", "grid", "level", "received_on", "summary", "requests", "amount_yuan",
    "people_involved", "risk", "parties", "mediators", "events", "sessions", "agreement",
    "follow_ups", "judicial_confirmation",
}
PARTY_KEYS = {"role", "kind", "name", "gender", "ethnicity", "birth_date", "id_number", "phone",
              "address", "occupation", "credit_code", "representative", "agent"}
AGREEMENT_KEYS = {"form", "signed_on", "items", "performance", "deadline", "amount_yuan", "copies"}
COMMITTEES = {"village_committee", "township_committee", "professional_committee"}
ADMIN_DETAILS = {d.value for d in ADMINISTRATIVE_DETAILS}
COURT_DETAILS = {d.value for d in JUDICIAL_DETAILS}


@pytest.fixture(scope="module")
def doc() -> dict:
    return build_demo_document(cases=CASES, seed=7, today=TODAY)


@pytest.fixture(scope="module")
def orgs(doc) -> dict[str, dict]:
    return {o["name"]: o for o in doc["organizations"]}


def d(text: str) -> date:
    return date.fromisoformat(text)


def replay(case: dict, orgs: dict[str, dict]) -> str:
    """Walk the events through the table; return the final status or fail the test."""
    status = "registered"
    level = case["level"]
    on = d(case["received_on"])
    assert on <= TODAY
    for k, ev in enumerate(case["events"]):
        where = f"{case['ref']} events[{k}] {ev}"
        action = ev["action"]
        assert action in ALLOWED, where
        assert set(ev) - {"on", "action"} <= EVENT_KEYS[action], where
        assert status in ALLOWED[action], f"{where}: not allowed in {status}"
        day = d(ev["on"])
        assert on <= day <= TODAY, where
        on = day
        if action == "transfer":
            to_track, to_org = ev["to_track"], ev["to_organization"]
            kind = orgs[to_org]["kind"]
            if to_track == "people":
                assert kind in COMMITTEES and "to_track_detail" not in ev, where
            elif to_track == "administrative":
                assert kind == "administrative" and ev["to_track_detail"] in ADMIN_DETAILS, where
            else:
                assert kind in COMMITTEES | {"court"}, where
                assert ev["to_track_detail"] in COURT_DETAILS, where
            assert ev["reason"], where
        elif action == "escalate":
            assert RANK[ev["level"]] > RANK[level], where
            level = ev["level"]
        elif action == "hand_down":
            assert RANK[ev["level"]] < RANK[level], where
            level = ev["level"]
        elif action == "extend":
            assert ev["consent"] is True and ev["reason"] and d(ev["until"]) >= day, where
        elif action in ("pause", "resume"):
            assert case["track_detail"] == "medical", where
        elif action == "reject":
            assert ev["reason"], where
        elif action == "perform":
            assert ev["result"] in ("full", "partial", "none"), where
        target = ALLOWED[action][status]
        if action == "perform" and ev["result"] != "full":
            target = None
        status = status if target is None else target
    return status


def test_document_is_deterministic_and_json_serialisable(doc):
    again = build_demo_document(cases=CASES, seed=7, today=TODAY)
    assert again == doc
    text = json.dumps(doc, ensure_ascii=False)
    assert json.loads(text) == doc
    assert build_demo_document(cases=CASES, seed=8, today=TODAY) != doc
    assert doc["format"] == "mediator-case/1"
    assert len(doc["cases"]) == CASES


def test_default_today_is_the_current_day():
    small = build_demo_document(cases=20, seed=3)
    assert max(c["received_on"] for c in small["cases"]) <= date.today().isoformat()
    assert build_demo_document(cases=0)["cases"] == []


def test_regions_make_a_county_with_townships_villages_and_grids(doc):
    regions = doc["regions"]
    by_level = Counter(r["level"] for r in regions)
    assert by_level["county"] == 1 and by_level["township"] >= 3 and by_level["village"] >= 20
    codes = [r["code"] for r in regions]
    assert len(codes) == len(set(codes))
    county = next(r for r in regions if r["level"] == "county")
    assert county["code"] == "419902000000" and county["parent"] is None
    townships = {r["code"]: r for r in regions if r["level"] == "township"}
    kinds = set()
    for r in regions:
        assert len(r["code"]) == 12 and r["code"].startswith("419902")
        if r["level"] == "township":
            assert set(r) == {"code", "name", "level", "parent"} and r["parent"] == county["code"]
        if r["level"] == "village":
            assert set(r) == {"code", "name", "level", "kind", "parent", "grids"}
            assert r["parent"] in townships and r["code"][:9] == r["parent"][:9]
            assert 2 <= len(r["grids"]) <= 4 and len(set(r["grids"])) == len(r["grids"])
            number = int(r["code"][9:])
            expected = {VillageKind.URBAN_COMMUNITY: range(1, 200),
                        VillageKind.RURAL_VILLAGE: range(200, 400),
                        VillageKind.INDUSTRIAL_PARK: range(400, 1000)}[VillageKind(r["kind"])]
            assert number in expected, r
            kinds.add(r["kind"])
    assert kinds == {k.value for k in VillageKind}
    township_numbers = {int(c[6:9]) for c in townships}
    assert any(n < 100 for n in township_numbers)  # a 街道
    assert sum(100 <= n < 200 for n in township_numbers) >= 2  # two 镇
    assert any(200 <= n < 400 for n in township_numbers)  # a 乡


def test_organisations_mediators_and_advisors(doc, orgs):
    organizations = doc["organizations"]
    region_codes = {r["code"]: r for r in doc["regions"]}
    assert {o["kind"] for o in organizations} == {k.value for k in OrganizationKind}
    shorts = [o["short"] for o in organizations]
    assert len(shorts) == len(set(shorts)) and all(2 <= len(s) <= 4 for s in shorts)
    assert len(orgs) == len(organizations)
    for o in organizations:
        assert set(o) == {"name", "kind", "region", "short"} and o["region"] in region_codes
    townships = [r for r in doc["regions"] if r["level"] == "township"]
    for kind in ("township_committee", "judicial_office"):
        assert sorted(o["region"] for o in organizations if o["kind"] == kind) == \
            sorted(t["code"] for t in townships)
    assert sum(o["kind"] == "village_committee" for o in organizations) >= 15
    assert sum(o["kind"] == "court" for o in organizations) == 2

    staff = Counter(m["organization"] for m in doc["mediators"])
    names = [m["name"] for m in doc["mediators"]]
    assert len(names) == len(set(names))
    for o in organizations:
        if o["kind"] != "judicial_office":
            assert 2 <= staff[o["name"]] <= 4, o["name"]
    for m in doc["mediators"]:
        assert set(m) == {"name", "organization", "phone"} and m["organization"] in orgs
        validate_phone(m["phone"])

    villages = {r["code"] for r in doc["regions"] if r["level"] == "village"}
    covered: set[str] = set()
    ending_soon = 0
    assert 6 <= len(doc["advisors"]) <= 10
    for a in doc["advisors"]:
        assert set(a) == {"name", "kind", "firm", "license_no", "phone", "villages"}
        assert a["kind"] in ("lawyer", "legal_worker") and len(a["license_no"]) == 17
        validate_phone(a["phone"])
        for term in a["villages"]:
            assert set(term) == {"code", "from", "to"} and term["code"] in villages
            assert d(term["from"]) <= TODAY <= d(term["to"])
            covered.add(term["code"])
            ending_soon += d(term["to"]) - TODAY <= timedelta(days=30)
    assert len(villages - covered) >= 3 and len(covered) >= len(villages) // 2
    assert ending_soon >= 1


def test_every_status_track_detail_and_category_occurs(doc):
    cases = doc["cases"]
    assert {c["track"] for c in cases} == {t.value for t in Track}
    assert {c["track_detail"] for c in cases} - {None} == {t.value for t in TrackDetail}
    assert {c["category"] for c in cases} == {c.value for c in Category}
    orgs = {o["name"]: o for o in doc["organizations"]}
    finals = Counter(replay(c, orgs) for c in cases)
    assert set(finals) == {s.value for s in CaseStatus}


def test_the_first_sixty_cases_already_cover_everything():
    cases = build_demo_document(cases=60, seed=123, today=TODAY)["cases"]
    assert {c["category"] for c in cases} == {c.value for c in Category}
    assert {c["track_detail"] for c in cases} - {None} == {t.value for t in TrackDetail}
    orgs = {o["name"]: o for o in build_demo_document(cases=0, today=TODAY)["organizations"]}
    assert {replay(c, orgs) for c in cases} == {s.value for s in CaseStatus}


def test_case_fields_fit_the_track_organisation_and_village(doc, orgs):
    regions = {r["code"]: r for r in doc["regions"]}
    staff: dict[str, set[str]] = {}
    for m in doc["mediators"]:
        staff.setdefault(m["organization"], set()).add(m["name"])
    refs = [c["ref"] for c in doc["cases"]]
    assert len(refs) == len(set(refs))
    for c in doc["cases"]:
        where = c["ref"]
        assert set(c) == CASE_KEYS, where
        assert c["number"] is None
        org = orgs[c["organization"]]
        kind = org["kind"]
        if c["track"] == "people":
            assert c["track_detail"] is None and kind in COMMITTEES, where
        elif c["track"] == "administrative":
            assert c["track_detail"] in ADMIN_DETAILS and kind == "administrative", where
        else:
            assert c["track_detail"] in COURT_DETAILS and kind in COMMITTEES | {"court"}, where
        if c["track_detail"] in ("entrusted", "in_litigation"):
            assert c["procedure"] in ("ordinary", "simple"), where
        else:
            assert c["procedure"] is None, where
        region_level = regions[org["region"]]["level"]
        if kind == "village_committee":
            assert c["level"] in ("grid", "village"), where
        elif kind == "court" or region_level == "county":
            assert c["level"] == "county", where
        else:
            assert c["level"] == "township", where
        Level(c["level"])
        village = regions[c["village_code"]]
        assert village["level"] == "village", where
        assert c["grid"] is None or c["grid"] in village["grids"], where
        assert c["mediators"] and set(c["mediators"]) <= staff[c["organization"]], where
        assert c["summary"] and c["requests"] and "{" not in c["summary"] + c["requests"], where
        parse_money(c["amount_yuan"])  # a decimal string, two decimals at most
        assert c["people_involved"] >= len(c["parties"]), where
        assert c["risk"]["level"] in ("low", "medium", "high"), where
        flags = c["risk"]["flags"]
        assert len(flags) == len(set(flags)) and set(flags) <= {"criminal", "group", "petition"}
        if c["source"] == "grid_report" and kind == "village_committee":
            assert c["level"] == "grid" and c["grid"] is not None, where


def test_parties_carry_valid_identity_numbers_and_credit_codes(doc):
    seen: dict[str, dict] = {}
    appearances: Counter[str] = Counter()
    organisations = 0
    regions = {r["code"]: r for r in doc["regions"]}
    for c in doc["cases"]:
        roles = [p["role"] for p in c["parties"]]
        assert "applicant" in roles and "respondent" in roles, c["ref"]
        ids_in_case = [p["id_number"] for p in c["parties"] if p["kind"] == "person"]
        assert len(ids_in_case) == len(set(ids_in_case)), c["ref"]
        village = regions[c["village_code"]]["name"]
        organisations += any(p["kind"] == "organization" for p in c["parties"])
        for p in c["parties"]:
            assert set(p) == PARTY_KEYS, c["ref"]
            validate_phone(p["phone"])
            if p["agent"] is not None:
                assert set(p["agent"]) == {"name", "phone", "relation"}
                validate_phone(p["agent"]["phone"])
            if p["kind"] == "organization":
                assert validate_credit_code(p["credit_code"]) == p["credit_code"]
                assert p["representative"] and p["id_number"] is None and p["gender"] is None
                continue
            number = p["id_number"]
            info = validate_id_number(number, today=TODAY)
            assert number.startswith("419902")
            assert info.gender == Gender(p["gender"])
            assert info.birth_date == d(p["birth_date"])
            assert p["credit_code"] is None and p["representative"] is None
            assert village in p["address"], (c["ref"], p["address"])
            if number in seen:  # the same person everywhere they appear
                assert seen[number] == {k: v for k, v in p.items() if k not in ("role", "agent")}
            seen[number] = {k: v for k, v in p.items() if k not in ("role", "agent")}
            appearances[number] += 1
    assert any(n >= 2 for n in appearances.values())  # repeat disputes
    assert 0.04 * CASES <= organisations <= 0.4 * CASES  # the first 60 favour offices' cases


def test_events_follow_the_lifecycle(doc, orgs):
    for c in doc["cases"]:
        status = replay(c, orgs)
        actions = [e["action"] for e in c["events"]]
        if actions and actions[0] not in ("escalate", "transfer"):
            assert actions[0] in ("accept", "reject"), c["ref"]
        if status == "mediating":
            assert TODAY - d(c["received_on"]) <= timedelta(days=120), c["ref"]
        assert "repeat" not in c["risk"]["flags"]


def test_mediating_cases_have_open_and_overdue_clocks():
    """People's cases still in mediation: some within the one-month target, some past it."""
    big = build_demo_document(cases=600, seed=7, today=TODAY)
    orgs = {o["name"]: o for o in big["organizations"]}
    days_since_acceptance = []
    for c in big["cases"]:
        actions = {e["action"] for e in c["events"]}
        if c["track"] == "people" and not actions & {"transfer", "extend"} and \
                replay(c, orgs) == "mediating":
            accepted = d(next(e["on"] for e in c["events"] if e["action"] == "accept"))
            days_since_acceptance.append((TODAY - accepted).days)
    assert min(days_since_acceptance) < 25 and max(days_since_acceptance) > 35


def test_agreements_follow_ups_and_confirmations(doc):
    for c in doc["cases"]:
        where = c["ref"]
        events = c["events"]
        agree = [e for e in events if e["action"] == "agree"]
        a = c["agreement"]
        assert (a is not None) == bool(agree), where
        if a is None:
            assert c["follow_ups"] == [] and c["judicial_confirmation"] is None, where
        else:
            assert set(a) == AGREEMENT_KEYS, where
            signed = d(a["signed_on"])
            assert signed == d(agree[0]["on"]), where
            assert a["form"] in ("written", "oral") and 1 <= len(a["items"]) <= 4, where
            assert all(item and "{" not in item for item in a["items"]), where
            if a["deadline"] is None:
                assert a["form"] == "oral", where
            else:
                assert d(a["deadline"]) > signed, where
            parse_money(a["amount_yuan"])
            assert Decimal(a["amount_yuan"]) <= Decimal(c["amount_yuan"]), where
            assert a["copies"] == len(c["parties"]) + 1, where
            for e in events:
                if e["action"] == "perform":
                    assert d(e["on"]) >= signed, where
            for f in c["follow_ups"]:
                assert set(f) == {"on", "method", "performance", "satisfaction", "note"}, where
                assert signed < d(f["on"]) <= TODAY, where
                assert f["method"] in ("visit", "phone", "other")
                assert f["performance"] in ("full", "partial", "none")
                assert f["satisfaction"] in ("satisfied", "basically", "dissatisfied")
            jc = c["judicial_confirmation"]
            if jc is not None:
                assert a["form"] == "written", where
                assert set(jc) == {"applied_on", "court", "result", "on"}, where
                applied = d(jc["applied_on"])
                assert signed <= applied <= signed + timedelta(days=30) and applied <= TODAY
                if jc["result"] == "pending":
                    assert jc["on"] is None, where
                else:
                    assert jc["result"] in ("confirmed", "rejected"), where
                    assert applied <= d(jc["on"]) <= min(applied + timedelta(days=15), TODAY)
        # Sessions take place while the case is accepted or mediating: from an acceptance to
        # the next conclusion or transfer (an open case's span reaches up to today).
        windows: list[list[date]] = []
        for e in events:
            if e["action"] == "accept":
                windows.append([d(e["on"]), TODAY])
            elif e["action"] in ("agree", "fail", "withdraw", "transfer") and windows:
                windows[-1][1] = min(windows[-1][1], d(e["on"]))
        for s in c["sessions"]:
            assert set(s) == {"on", "kind", "place", "record"}, where
            assert s["kind"] in ("investigation", "mediation") and s["place"] and s["record"]
            assert any(lo <= d(s["on"]) <= hi for lo, hi in windows), (where, s["on"], windows)
        days = [s["on"] for s in c["sessions"]]
        assert days == sorted(days), where


def test_coverage_of_rarer_moves_in_a_larger_document():
    big = build_demo_document(cases=1500, seed=2, today=TODAY)
    orgs = {o["name"]: o for o in big["organizations"]}
    actions = Counter(e["action"] for c in big["cases"] for e in c["events"])
    assert set(actions) == set(ALLOWED)
    results = Counter(e["result"] for c in big["cases"] for e in c["events"]
                      if e["action"] == "perform")
    assert set(results) == {"full", "partial", "none"}
    for c in big["cases"]:
        replay(c, orgs)
    tracks = Counter(c["track"] for c in big["cases"][60:])
    assert 0.6 < tracks["people"] / sum(tracks.values()) < 0.8
    received = sorted(d(c["received_on"]) for c in big["cases"])
    assert TODAY - received[0] >= timedelta(days=600) and received[-1] <= TODAY
    forms = Counter(c["agreement"]["form"] for c in big["cases"] if c["agreement"])
    assert 0.7 < forms["written"] / sum(forms.values()) < 0.9
    organisations = sum(any(p["kind"] == "organization" for p in c["parties"])
                        for c in big["cases"])
    assert 0.06 < organisations / len(big["cases"]) < 0.16
    confirmations = Counter(c["judicial_confirmation"]["result"] for c in big["cases"]
                            if c["judicial_confirmation"])
    assert {"confirmed", "rejected"} <= set(confirmations)
