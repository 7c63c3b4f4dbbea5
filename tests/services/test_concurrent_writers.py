"""Two processes edit the same cases 1,000 times: every stale write is refused, none is lost.

Each child (tests/procs/racer.py) reads a case, appends its own token and saves with the version
it read; ConflictError makes it re-read and retry. Runs on SQLite and on PostgreSQL (the
``database`` fixture of tests/conftest.py).
"""
from __future__ import annotations

import re

import pytest
from sqlmodel import func, select

from mediator.services import audit
from mediator.services.cases import lifecycle as uc
from mediator.store.models import Case, TimelineEvent
from tests.helpers import case_input, seed_county
from tests.procs.spawn import Child

EDITS = 500  # per writer: 1,000 edits in all
CASES = 4
TAGS = ("A", "B")
TOKEN = re.compile(r"^[AB]\d+$")


@pytest.fixture
def county(ctx):
    seed_county(ctx)
    return ctx


def _race(db, case_ids: list[int]) -> list[list[str]]:
    """Run both writers from one start signal; the lines each printed."""
    common = [db.url, "--cases", ",".join(map(str, case_ids)), "--edits", str(EDITS)]
    if db.schema:
        common += ["--schema", db.schema]
    writers = [Child("racer", *common, "--tag", tag, "--seed", str(i))
               for i, tag in enumerate(TAGS)]
    try:
        for w in writers:
            w.wait_ready()
        for w in writers:
            w.go()
        return [w.result(timeout=240) for w in writers]
    finally:
        for w in writers:
            w.discard()


def _report(lines: list[str]) -> tuple[int, int, dict[int, int]]:
    """(edits, conflicts, edits per case) from one writer's lines."""
    done = next(line.split() for line in lines if line.startswith("done "))
    per_case = {int(p[1]): int(p[2]) for p in (line.split() for line in lines) if p[0] == "case"}
    return int(done[1]), int(done[2]), per_case


def test_two_writers_lose_no_update(county):
    case_ids = [uc.register_case(county, case_input(ref=f"RACE-{i}")).id for i in range(CASES)]
    reports = [_report(lines) for lines in _race(county.db, case_ids)]

    assert [r[0] for r in reports] == [EDITS] * len(TAGS)
    conflicts = sum(r[1] for r in reports)
    assert conflicts > 0, "the writers never collided: the test did not race"
    with county.read() as s:
        cases = {c.id: c for c in s.exec(select(Case).where(Case.id.in_(case_ids)))}
        edit_events = dict(s.exec(select(TimelineEvent.case_id, func.count())
                                  .where(TimelineEvent.action == "edit")
                                  .group_by(TimelineEvent.case_id)).all())
    seen: list[str] = []
    for case_id in case_ids:
        case = cases[case_id]
        edits = sum(r[2].get(case_id, 0) for r in reports)
        words = case.requests.split()
        assert words[0] == "请求疏通排水沟。"
        tokens = words[1:]
        assert all(TOKEN.match(t) for t in tokens)
        # No lost update: the case holds one token per successful edit, and the counters agree.
        assert len(tokens) == edits
        assert case.people_involved == 2 + edits
        assert case.version == 1 + edits
        assert edit_events.get(case_id, 0) == edits
        seen += tokens
    expected = {f"{tag}{n}" for tag in TAGS for n in range(EDITS)}
    assert len(seen) == len(expected) and set(seen) == expected
    assert audit.verify(county) == []
