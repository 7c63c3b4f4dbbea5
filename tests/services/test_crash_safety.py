"""Crash safety: a writer killed (SIGKILL) at random points 50 times leaves a whole database.

Each run starts a fresh tests/procs/writer.py process on one SQLite file, waits until it has
committed its first change, lets it import, register and edit cases for a random 0.05–1.5 s more
and kills it. The processes are forked by tests/procs/forker.py, which loaded the Python modules
once, so no run waits a second for imports and every kill lands inside database work.
Afterwards the file passes ``PRAGMA integrity_check``, every case the writers reported committed
is there (with at least the version they reported), no case is half-written and the audit chain
holds. The same writers are killed ten times on PostgreSQL too (imports included): whatever a dead
client had not committed is gone whole. Kills during backups and restores: safety/test_crash_restore.py.
"""
from __future__ import annotations

import random
import sqlite3
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field

import pytest
import sqlalchemy as sa
from sqlmodel import select

from mediator.domain.deadlines import AgreementFacts, CaseEvent, compute_deadlines
from mediator.domain.enums import AgreementForm
from mediator.services import audit
from mediator.services.cases import lifecycle as uc
from mediator.services.context import Clock, ServiceContext
from mediator.store.models import (
    Agreement,
    AgreementTerm,
    Case,
    CaseDeadline,
    CaseMediator,
    CaseNumberCounter,
    CaseParty,
    MediationSession,
    Performance,
    TimelineEvent,
)
from tests.conftest import FIXED_NOW
from tests.helpers import case_input, seed_county
from tests.procs.spawn import ForkServer
from tests.templates import migrated_sqlite

RUNS = 50
WAIT = (0.05, 1.5)  # seconds of work before the kill
IMPORTED_PER_DOCUMENT = 3  # cases in the sample document


@dataclass
class Committed:
    """What the killed writers said they had committed."""

    refs: set[str] = field(default_factory=set)
    versions: dict[str, int] = field(default_factory=dict)  # ref -> least version it must have
    refused: int = 0
    runs_with_commits: int = 0

    def add(self, lines: list[str]) -> None:
        if any(line.startswith("committed ") for line in lines):
            self.runs_with_commits += 1
        for line in lines:
            word, *rest = line.split()
            if word == "refused":
                self.refused += 1
            elif word == "committed" and rest[0] in ("import", "case"):
                self.refs.update(rest[1:])
            elif word == "committed" and rest[0] == "edit":
                ref, version = rest[1], int(rest[2])
                self.versions[ref] = max(version, self.versions.get(ref, 0))
            else:
                raise AssertionError(f"unexpected line from a writer: {line!r}")


@pytest.fixture
def county(tmp_path):
    db = migrated_sqlite(tmp_path / 'crash.db')
    ctx = ServiceContext(db, actor="测试员", clock=Clock(fixed=FIXED_NOW))
    seed_county(ctx)
    yield ctx
    db.dispose()


def _kill_writers(url: str, runs: int = RUNS, schema: str | None = None) -> Committed:
    rng = random.Random(20261203)
    committed = Committed()
    where = ["--schema", schema] if schema else []
    with ForkServer("writer") as server:
        for run in range(runs):
            child = server.spawn(url, *where, "--prefix", f"K{run:02d}", "--seed", str(run))
            # The clock starts at its first commit: the kill lands in a process that is working,
            # however slowly a loaded machine lets it start.
            first = child.next_line()
            time.sleep(rng.uniform(*WAIT))
            committed.add([first, *child.kill()])
    return committed


def test_killed_writers_leave_every_committed_case_whole(county):
    committed = _kill_writers(county.db.url)
    county.db.dispose()  # read the file as the next program start would

    path = sa.make_url(county.db.url).database
    with sqlite3.connect(path) as raw:
        assert raw.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert raw.execute("PRAGMA foreign_key_check").fetchall() == []
    # Every run was killed while working, after its first commit (none ended by itself).
    assert committed.runs_with_commits >= RUNS - committed.refused
    _assert_committed_whole(county, committed)
    _assert_search_index_whole(county)
    assert audit.verify(county) == []
    # The database still takes writes after all the crashes.
    uc.register_case(county, case_input(ref="AFTER-CRASHES"))


PG_RUNS = 10  # each run's cases and imports are the same as on SQLite; fewer runs keep it short


def test_killed_writers_on_postgresql_leave_every_committed_case_whole(database):
    """The same kills on PostgreSQL: the server rolls a dead client's transaction back whole."""
    if database.is_sqlite:
        pytest.skip("the SQLite run is the test above (fifty kills)")
    ctx = ServiceContext(database, actor="测试员", clock=Clock(fixed=FIXED_NOW))
    seed_county(ctx)
    committed = _kill_writers(database.url, PG_RUNS, database.schema)
    assert committed.runs_with_commits >= PG_RUNS - committed.refused
    _assert_committed_whole(ctx, committed)
    assert audit.verify(ctx) == []
    uc.register_case(ctx, case_input(ref="AFTER-CRASHES"))


def _assert_committed_whole(county: ServiceContext, committed: Committed) -> None:
    """Every case and edit the writers reported is there, no case or import is half-written."""
    with county.read() as s:
        versions = dict(s.exec(select(Case.ref, Case.version)).all())
    missing = (committed.refs | set(committed.versions)) - set(versions)
    assert not missing, f"committed but lost: {sorted(missing)[:10]}"
    behind = {ref: (v, versions[ref]) for ref, v in committed.versions.items() if versions[ref] < v}
    assert not behind, f"committed edits lost (reported, found): {behind}"

    _assert_no_case_half_written(county)
    _assert_imports_whole(county)


def _grouped(session, stmt) -> dict[int, list]:
    out: dict[int, list] = defaultdict(list)
    for row in session.exec(stmt):
        out[row[0]].append(row[1:] if len(row) > 2 else row[1])
    return out


def _assert_no_case_half_written(ctx: ServiceContext) -> None:
    """Every case has all the rows its use cases write together, and nothing that disagrees."""
    problems: list[str] = []
    with ctx.read() as s:
        cases = list(s.exec(select(Case)))
        parties = _grouped(s, select(CaseParty.case_id, CaseParty.seq, CaseParty.role)
                           .order_by(CaseParty.seq))
        mediators = _grouped(s, select(CaseMediator.case_id, CaseMediator.mediator_id))
        events = _grouped(s, select(TimelineEvent.case_id, TimelineEvent.seq, TimelineEvent.on,
                                    TimelineEvent.action, TimelineEvent.to_status,
                                    TimelineEvent.data).order_by(TimelineEvent.seq))
        deadlines = _grouped(s, select(CaseDeadline.case_id, CaseDeadline.kind, CaseDeadline.leg,
                                       CaseDeadline.start, CaseDeadline.due, CaseDeadline.state))
        agreements = {a.case_id: a for a in s.exec(select(Agreement))}
        terms = Counter(s.exec(select(AgreementTerm.agreement_id)))
        sessions = Counter(s.exec(select(MediationSession.case_id)))
        performances = Counter(s.exec(select(Performance.case_id)))
        counters = {(c.organization_id, c.track, c.year): c.last
                    for c in s.exec(select(CaseNumberCounter))}
    for case in cases:
        name = case.ref or case.number
        history = events[case.id]
        actions = [e[2] for e in history]
        # Every case the writers make has an applicant and a respondent, in that order.
        if parties[case.id] != [(0, "applicant"), (1, "respondent")]:
            problems.append(f"{name}: parties {parties[case.id]}")
        if not mediators[case.id]:
            problems.append(f"{name}: no mediator")
        if [e[0] for e in history] != list(range(1, len(history) + 1)) \
                or actions[:1] != ["register"]:
            problems.append(f"{name}: timeline {actions}")
            continue
        # Every committed act adds one event and one version; the last event says the status.
        if case.version != len(history) or history[-1][3] != case.status:
            problems.append(f"{name}: version {case.version}, status {case.status}, "
                            f"events {actions}")
        if ("agree" in actions) != (case.id in agreements):
            problems.append(f"{name}: agreement row does not match the timeline")
        elif case.id in agreements and terms[agreements[case.id].id] == 0:
            problems.append(f"{name}: agreement without its terms")
        if actions.count("record_session") != sessions[case.id]:
            problems.append(f"{name}: {actions.count('record_session')} session events, "
                            f"{sessions[case.id]} session records")
        if actions.count("perform") != performances[case.id]:
            problems.append(f"{name}: performance rows do not match the timeline")
        # The stored deadlines are the ones its history gives.
        agreement = agreements.get(case.id)
        facts = (AgreementFacts(AgreementForm(agreement.form), agreement.signed_on,
                                agreement.deadline) if agreement else None)
        expected = compute_deadlines([CaseEvent(e[1], e[2], dict(e[4] or {})) for e in history],
                                     facts, ctx.calendar, ctx.deadline_settings, ctx.today())
        want = sorted((d.kind.value, d.leg, d.start, d.due, d.state.value) for d in expected)
        if sorted(deadlines[case.id]) != want or not want:
            problems.append(f"{name}: deadlines {sorted(deadlines[case.id])}, expected {want}")
        last = counters.get((case.organization_id, case.track, case.number_year))
        if last is None or last < case.number_seq:
            problems.append(f"{name}: number {case.number} beyond its counter {last}")
    assert not problems, f"{len(problems)} half-written cases:\n" + "\n".join(problems[:20])


def _assert_search_index_whole(ctx: ServiceContext) -> None:
    """The FTS index has exactly one row per case and per party, holding the current text."""
    with ctx.read() as s:
        def count(sql: str) -> int:
            return s.execute(sa.text(sql)).scalar_one()

        assert count("SELECT count(*) FROM search_case") == count("SELECT count(*) FROM case_file")
        assert (count("SELECT count(*) FROM search_party")
                == count("SELECT count(*) FROM case_party"))
        stale = count("SELECT count(*) FROM case_file c LEFT JOIN search_case x ON x.rowid = c.id "
                      "WHERE x.rowid IS NULL OR x.summary != c.summary || char(31, 31) "
                      "OR x.requests != c.requests || char(31, 31)")
        assert stale == 0
        assert count("SELECT count(*) FROM case_party p LEFT JOIN search_party x ON x.rowid = p.id "
                     "WHERE x.rowid IS NULL OR x.name != p.name || char(31, 31)") == 0


def _assert_imports_whole(ctx: ServiceContext) -> None:
    """An import is all or nothing: each writer's imported cases come in whole documents."""
    with ctx.read() as s:
        imported = s.exec(select(Case.ref).join(TimelineEvent, TimelineEvent.case_id == Case.id)
                          .where(TimelineEvent.seq == 1, TimelineEvent.imported)).all()
    per_writer = Counter(ref.split("-")[0] for ref in imported)
    partial = {w: n for w, n in per_writer.items() if n % IMPORTED_PER_DOCUMENT}
    assert not partial, f"imports cut short: {partial}"
