"""The county server under load: client processes each doing the daily mix, timed per operation.

Each client is a 调解员 of one organisation (its own account on a fresh copy of the county) and
repeats the mix: the case list's first page, a status filter, a village filter, a search, opening
a case (the workspace's read) and, now and then, recording a mediation session on one of the cases
of its organisation that no other client writes to. Between operations it pauses a random
think time (what a person does between two clicks; 0 for a stress run).
"""
from __future__ import annotations

import math
import multiprocessing as mp
import random
import time
import traceback
from dataclasses import dataclass, field

LOAD_P95_MS = 150
OPERATIONS = ("list_first_page", "filter_status", "filter_village", "search", "open_case", "record_session")
# One round of the daily mix: mostly reading, one write in eight.
MIX = ("list_first_page", "filter_status", "search", "open_case", "filter_village", "search", "open_case",
       "record_session")
WORDS = ("赡养", "宅基地", "墙", "土地流转费", "彩礼", "邻里")
PASSWORD = "load2026"


def percentile(values: list[float], q: float) -> float:
    """The ``q``-th percentile (0–100) by linear interpolation between closest ranks."""
    if not values:
        return math.nan
    ordered = sorted(values)
    rank = (len(ordered) - 1) * q / 100
    low = math.floor(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


@dataclass
class ClientPlan:
    """What one client process does: who it is, where it filters, which cases it writes."""

    index: int
    url: str
    username: str
    village_id: int
    case_ids: list[int]  # cases of its organisation to open
    write_case_ids: list[int]  # cases in mediation only this client records sessions on
    seconds: float
    think_ms: float


@dataclass
class ClientResult:
    index: int
    times_ms: dict[str, list[float]] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    started_at: float = 0.0
    ended_at: float = 0.0


def aggregate(results: list[ClientResult]) -> dict:
    """p50/p95 per operation and overall, operation counts, errors (first messages kept)."""
    per_op: dict[str, list[float]] = {}
    errors: list[str] = []
    for r in results:
        for op, times in r.times_ms.items():
            per_op.setdefault(op, []).extend(times)
        errors.extend(r.errors)
    every = [t for times in per_op.values() for t in times]
    span = max((r.ended_at for r in results), default=0) - min((r.started_at for r in results), default=0)
    out = {"clients": len(results), "operations": len(every), "errors": len(errors),
           "error_messages": sorted(set(errors))[:10],
           "p50_ms": percentile(every, 50), "p95_ms": percentile(every, 95),
           "max_ms": max(every, default=math.nan),
           "throughput_per_s": len(every) / span if span > 0 else math.nan,
           "per_operation": {op: {"count": len(t), "p50_ms": percentile(t, 50), "p95_ms": percentile(t, 95),
                                  "max_ms": max(t)} for op, t in sorted(per_op.items())}}
    return out


# --- in the client process -------------------------------------------------------------------
def _client(plan: ClientPlan, ready, start, queue) -> None:
    result = ClientResult(plan.index)
    try:
        ops = _operations(plan)
        for op in OPERATIONS:  # warm the connection and the caches once, untimed
            ops[op]()
    except Exception as e:  # a client that cannot start is an error, reported
        result.errors.append(f"start: {type(e).__name__}: {e}")
        ready.wait()
        queue.put(result)
        return
    ready.wait()
    start.wait()
    rng = random.Random(plan.index)
    result.started_at = time.time()
    deadline = time.perf_counter() + plan.seconds
    i = rng.randrange(len(MIX))
    while time.perf_counter() < deadline:
        op = MIX[i % len(MIX)]
        i += 1
        began = time.perf_counter()
        try:
            ops[op]()
        except Exception as e:  # any exception is an error of the load test
            result.errors.append(f"{op}: {type(e).__name__}: {str(e).splitlines()[0] if str(e) else ''}")
            if len(result.errors) == 1:
                traceback.print_exc()
        else:
            result.times_ms.setdefault(op, []).append((time.perf_counter() - began) * 1000)
        if plan.think_ms:
            time.sleep(rng.uniform(0, 2 * plan.think_ms) / 1000)
    result.ended_at = time.time()
    queue.put(result)


def _operations(plan: ClientPlan) -> dict:
    from mediator.domain.enums import CaseStatus, SessionKind
    from mediator.services.cases.deadline_settings import apply_deadline_settings
    from mediator.services.cases.inputs import SessionInput
    from mediator.services.cases.lifecycle import record_session
    from mediator.services.cases.read import CaseFilter
    from mediator.services.context import ServiceContext
    from mediator.services.safety.auth import authenticate
    from mediator.services.settings import all_settings
    from mediator.store.db import Database
    from mediator.ui.workspace.case_workspace import load_case_bundle
    from tests.bench.cache import bench_clock
    from tests.bench.figures_list import first_page

    ctx = ServiceContext(Database(plan.url), actor=plan.username, clock=bench_clock())
    apply_deadline_settings(ctx, all_settings(ctx))
    ctx.user = authenticate(ctx, plan.username, PASSWORD)
    rng = random.Random(1000 + plan.index)
    mediating = CaseFilter(status=[CaseStatus.MEDIATING.value])
    village = CaseFilter(village_id=plan.village_id)
    counter = iter(range(10**9))

    def record() -> None:
        n = next(counter)
        case_id = plan.write_case_ids[n % len(plan.write_case_ids)]
        record_session(ctx, case_id, SessionInput(
            on=ctx.today(), kind=SessionKind.MEDIATION, place="村委会调解室",
            participants="双方当事人", record=f"第{n + 1}次调解：双方陈述意见，调解员释法说理，约定下次再谈。"))

    return {
        "list_first_page": lambda: first_page(ctx, CaseFilter()),
        "filter_status": lambda: first_page(ctx, mediating),
        "filter_village": lambda: first_page(ctx, village),
        "search": lambda: first_page(ctx, CaseFilter(text=rng.choice(WORDS))),
        "open_case": lambda: load_case_bundle(ctx, rng.choice(plan.case_ids)),
        "record_session": record,
    }


# --- in the bench process --------------------------------------------------------------------
def plans(ctx, url: str, clients: int, seconds: float, think_ms: float) -> list[ClientPlan]:
    """One 调解员 account per client on the biggest organisations, each with cases of its own."""
    from sqlmodel import func, select

    from mediator.domain.enums import CaseStatus
    from mediator.domain.permissions import Role
    from mediator.services.safety.auth import create_user
    from mediator.store.models import Case

    with ctx.read() as s:
        count = func.count()
        orgs = [row[0] for row in s.exec(
            select(Case.organization_id, count).where(Case.status == CaseStatus.MEDIATING.value)
            .group_by(Case.organization_id).order_by(count.desc()).limit(clients)).all()]
    out = []
    for i in range(clients):
        org = orgs[i % len(orgs)]
        sharing = [j for j in range(clients) if orgs[j % len(orgs)] == org]  # clients of this organisation
        with ctx.read() as s:
            village = s.exec(select(Case.village_id, func.count()).where(Case.organization_id == org)
                             .group_by(Case.village_id).order_by(func.count().desc())).first()[0]
            ids = list(s.exec(select(Case.id).where(Case.organization_id == org).order_by(Case.id).limit(2000)))
            writable = list(s.exec(select(Case.id).where(Case.organization_id == org,
                                                         Case.status == CaseStatus.MEDIATING.value)
                                   .order_by(Case.id)))
        mine = writable[sharing.index(i)::len(sharing)][:50]
        if not mine:
            raise RuntimeError(f"organisation {org} has no case in mediation for client {i}")
        username = f"load{i + 1:02d}"
        create_user(ctx, username=username, display_name=f"压测调解员{i + 1}", password=PASSWORD,
                    role=Role.MEDIATOR, organization_id=org)
        out.append(ClientPlan(i, url, username, village, ids, mine, seconds, think_ms))
    return out


def run_load(client_plans: list[ClientPlan]) -> dict:
    """Start every client, let them all begin at once, collect and aggregate what they timed."""
    spawn = mp.get_context("spawn")  # no Qt, no open engine inherited from the bench process
    ready = spawn.Barrier(len(client_plans) + 1)
    start = spawn.Event()
    queue = spawn.Queue()
    processes = [spawn.Process(target=_client, args=(p, ready, start, queue), daemon=True) for p in client_plans]
    for p in processes:
        p.start()
    ready.wait(timeout=600)
    start.set()
    results = [queue.get(timeout=max(p.seconds for p in client_plans) + 300) for _ in processes]
    for p in processes:
        p.join(timeout=30)
    return aggregate(results)
