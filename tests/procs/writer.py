"""A child that keeps writing until it is killed: imports, registrations and edits of cases.

    python -m tests.procs.writer sqlite:///path/to.db --prefix K07 --seed 7

After each commit it prints one line naming what must survive a crash:
``committed import <ref> <ref> …``, ``committed case <ref>`` or ``committed edit <ref> <version>``
(the case's version after the edit). A refused act (a rule of the domain) prints ``refused …``.
"""
from __future__ import annotations

import copy
import random
import sys
from datetime import date
from pathlib import Path

if __package__ in (None, ""):  # run by path: make the repository importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from sqlmodel import func, select

from mediator.domain.enums import CaseStatus, PerformanceResult, SessionKind
from mediator.domain.errors import DomainError
from mediator.services.cases import lifecycle as uc
from mediator.services.cases.corrections import update_case_info
from mediator.services.context import ServiceContext
from mediator.services.exchange.importer import import_document
from mediator.store.models import Case
from tests.helpers import agreement_input, case_input, sample_document
from tests.procs.child import arguments, emit, open_context, wait_for_go


class Writer:
    """Picks the next act at random (seeded) and prints what it committed."""

    def __init__(self, ctx: ServiceContext, prefix: str, seed: int) -> None:
        self.ctx = ctx
        self.prefix = prefix
        self.rng = random.Random(seed)
        self.document = sample_document()
        self.counter = 0

    def fresh_ref(self) -> str:
        self.counter += 1
        return f"{self.prefix}-{self.counter:04d}"

    def step(self) -> None:
        roll = self.rng.random()
        if roll < 0.2:
            self.import_cases()
        elif roll < 0.5:
            self.register()
        else:
            self.edit()

    def import_cases(self) -> None:
        doc = copy.deepcopy(self.document)
        for case in doc["cases"]:
            case["ref"] = self.fresh_ref()
        import_document(self.ctx, doc)
        emit("committed import " + " ".join(c["ref"] for c in doc["cases"]))

    def register(self) -> None:
        ref = self.fresh_ref()
        summary = f"{ref}：两户因宅前排水沟堵塞发生争执。"
        uc.register_case(self.ctx, case_input(ref=ref, summary=summary))
        emit(f"committed case {ref}")

    def edit(self) -> None:
        with self.ctx.read() as s:
            row = s.exec(select(Case.id, Case.ref, Case.status, Case.version)
                         .order_by(func.random()).limit(1)).first()
        if row is None:
            return self.register()
        case_id, ref, status, version = row
        today = self.ctx.today()
        act = self._act(CaseStatus(status), today)
        try:
            act(case_id, version)
        except DomainError as exc:  # e.g. a rule of the lifecycle; nothing was written
            emit(f"refused {ref} {exc.__class__.__name__}")
            return
        with self.ctx.read() as s:  # what was committed: an edit that changed nothing keeps the version
            after = s.exec(select(Case.version).where(Case.id == case_id)).one()
        emit(f"committed edit {ref} {after}")

    def _act(self, status: CaseStatus, today: date):
        ctx, pick = self.ctx, self.rng.random()

        def info(case_id: int, version: int) -> None:
            update_case_info(ctx, case_id, version,
                             requests=f"请求疏通排水沟（第{self.counter}次修改）。",
                             people_involved=2 + self.rng.randrange(5))

        def session(case_id: int, version: int) -> None:
            record = uc.SessionInput(on=today, kind=SessionKind.MEDIATION, place="村调解室",
                                     record="双方陈述了意见。")
            uc.record_session(ctx, case_id, record, expected_version=version)

        def accept(case_id: int, version: int) -> None:
            uc.accept_case(ctx, case_id, expected_version=version)

        def start(case_id: int, version: int) -> None:
            uc.start_mediation(ctx, case_id, expected_version=version)

        def agree(case_id: int, version: int) -> None:
            agreement = agreement_input(today, deadline=date(today.year + 1, 1, 31))
            uc.conclude_agreement(ctx, case_id, agreement, expected_version=version)

        def perform(case_id: int, version: int) -> None:
            uc.record_performance(ctx, case_id, PerformanceResult.FULL, expected_version=version)

        if status is CaseStatus.REGISTERED:
            return accept
        if status is CaseStatus.ACCEPTED:
            return start if pick < 0.7 else session
        if status is CaseStatus.MEDIATING:
            return agree if pick < 0.4 else session if pick < 0.7 else info
        if status is CaseStatus.AGREED and pick < 0.6:
            return perform
        return info


def main(argv: list[str] | None = None) -> None:
    parser = arguments(__doc__.splitlines()[0])
    parser.add_argument("--prefix", required=True, help="start of every ref this child makes")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--steps", type=int, default=0, help="stop after this many (0: never)")
    args = parser.parse_args(argv)
    writer = Writer(open_context(args, actor="写入进程"), args.prefix, args.seed)
    wait_for_go(args)
    done = 0
    while not args.steps or done < args.steps:
        writer.step()
        done += 1


if __name__ == "__main__":
    main()
