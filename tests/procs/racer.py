"""A child that edits the same few cases as another one, with optimistic versions.

    python -m tests.procs.racer URL --cases 1,2,3,4 --edits 500 --tag A

Each edit reads a case's current version, appends a unique token (``<tag><n>``) to its 申请事项
and adds one to its 涉及人数, and saves with the version it read. A stale write is refused with
ConflictError; the edit then re-reads and retries, so no edit is lost. At the end it prints
``done <edits> <conflicts>`` and one ``case <id> <edits>`` line per case.
"""
from __future__ import annotations

import random
import sys
from pathlib import Path

if __package__ in (None, ""):  # run by path: make the repository importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from mediator.domain.errors import ConflictError
from mediator.services.cases.corrections import update_case_info
from mediator.services.context import ServiceContext
from mediator.store.models import Case
from tests.procs.child import arguments, emit, open_context, wait_for_go

MAX_TRIES = 1000  # a writer that never gets through is a bug, not bad luck


def edit(ctx: ServiceContext, case_id: int, token: str) -> int:
    """Append ``token`` to the case with a version check; returns the conflicts met on the way."""
    for conflicts in range(MAX_TRIES):
        with ctx.read() as s:
            case = s.get(Case, case_id)
            version, requests, people = case.version, case.requests, case.people_involved
        try:
            update_case_info(ctx, case_id, version, requests=f"{requests} {token}",
                             people_involved=people + 1)
        except ConflictError:
            continue  # someone saved in between: read again and redo the edit
        return conflicts
    raise RuntimeError(f"case {case_id}: still refused after {MAX_TRIES} tries")


def main(argv: list[str] | None = None) -> None:
    parser = arguments(__doc__.splitlines()[0])
    parser.add_argument("--cases", required=True, help="comma-separated case ids")
    parser.add_argument("--edits", type=int, default=500)
    parser.add_argument("--tag", required=True, help="start of this writer's tokens")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    case_ids = [int(x) for x in args.cases.split(",")]
    rng = random.Random(args.seed)
    ctx = open_context(args, actor=f"并发{args.tag}")
    wait_for_go(args)
    per_case = dict.fromkeys(case_ids, 0)
    conflicts = 0
    for n in range(args.edits):
        case_id = rng.choice(case_ids)
        conflicts += edit(ctx, case_id, f"{args.tag}{n}")
        per_case[case_id] += 1
    emit(f"done {args.edits} {conflicts}")
    for case_id, count in per_case.items():
        emit(f"case {case_id} {count}")


if __name__ == "__main__":
    main()
