"""Two writers at the same moment on the same case, for every kind of write: each try ends in
success or one of our Chinese errors, never a raw database error (issue 18, point 6).

The writers are threads with their own engine (their own connections), started together by a
barrier, on SQLite and on PostgreSQL. A per-case sequence (timeline, parties, supplements) and
a case number taken twice would raise a unique violation; a lock wait past the limit 「database
is locked」 — both must have become a wait or our message.
"""
from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable
from datetime import date

import pytest
import sqlalchemy as sa
from sqlmodel import func, select

from mediator.domain.enums import FollowUpMethod, SessionKind, SupplementKind
from mediator.domain.errors import DomainError
from mediator.services.advisors import reviews
from mediator.services.cases import lifecycle as uc
from mediator.services.cases.attachments import add_attachment
from mediator.services.cases.corrections import add_party, update_case_info
from mediator.services.cases.drafts import DraftInput, save_draft_agreement
from mediator.services.cases.inputs import FollowUpInput, SessionInput
from mediator.services.cases.read import case_detail
from mediator.services.cases.supplementary import add_supplementary_agreement
from mediator.services.context import Clock, ServiceContext
from mediator.services.handover import HandoverOrder, hand_over
from mediator.store import write_lock
from mediator.store.db import Database
from mediator.store.models import Case, CaseMediator, Mediator, Region, TimelineEvent
from tests.conftest import FIXED_NOW
from tests.helpers import (
    DONGGUAN,
    TOWNSHIP_COMMITTEE,
    add_mediator,
    agreement_input,
    applicant,
    case_input,
    respondent,
    seed_county,
)

TRIES = 3  # rounds per kind: each round both writers start at once
D = date
Write = Callable[[ServiceContext, int, str], object]  # (ctx, case id, this writer's token)


def _mediating(ctx: ServiceContext, ref: str) -> int:
    case_id = uc.register_case(ctx, case_input(ref=ref)).id
    uc.accept_case(ctx, case_id, D(2026, 10, 15))
    uc.start_mediation(ctx, case_id, D(2026, 10, 16))
    return case_id


def _agreed(ctx: ServiceContext, ref: str) -> int:
    case_id = _mediating(ctx, ref)
    uc.conclude_agreement(ctx, case_id, agreement_input(D(2026, 10, 20)), D(2026, 10, 20))
    return case_id


def _drafted(ctx: ServiceContext, ref: str) -> int:
    case_id = _mediating(ctx, ref)
    save_draft_agreement(ctx, case_id, DraftInput(items=["被申请人疏通排水沟。"], facts="排水沟堵塞。"),
                         case_detail(ctx, case_id).version)
    return case_id


def _session(ctx, case_id, token):
    return uc.record_session(ctx, case_id, SessionInput(on=D(2026, 10, 17), kind=SessionKind.MEDIATION,
                                                        record=f"第{token}次调解"))


def _party(ctx, case_id, token):
    n = abs(hash(token)) % 10**8
    return add_party(ctx, case_id, respondent(name=f"王{token}", id_number=None, phone=f"139{n:08d}"))


def _correction(ctx, case_id, token):
    return update_case_info(ctx, case_id, case_detail(ctx, case_id).version, requests=f"请求{token}")


def _supplement(ctx, case_id, token):
    return add_supplementary_agreement(ctx, case_id, SupplementKind.SUPPLEMENT, D(2026, 10, 25),
                                       [f"补充条款{token}。"], "原协议未约定。")


def _follow_up(ctx, case_id, token):
    return uc.record_follow_up(ctx, case_id, FollowUpInput(on=D(2026, 10, 26), method=FollowUpMethod.PHONE,
                                                           note=f"回访{token}"))


def _review(ctx, case_id, token):
    return reviews.request_review(ctx, case_id, note=f"送审{token}")  # the second: 「尚未办结」


def _attachment(ctx, case_id, token):
    path = ctx.scratch / f"材料{token}.txt"
    path.write_text(f"附件内容{token}", encoding="utf-8")
    return add_attachment(ctx, case_id, path)


KINDS: dict[str, tuple[Callable[[ServiceContext, str], int], Write, Write]] = {
    "record a session": (_mediating, _session, _session),
    "add a party": (_mediating, _party, _party),
    "correct the case": (_mediating, _correction, _correction),
    "supplementary agreement": (_agreed, _supplement, _supplement),
    "follow-up": (_agreed, _follow_up, _follow_up),
    "review request": (_drafted, _review, _session),
    "attachment": (_mediating, _attachment, _attachment),
}


@pytest.fixture
def county(ctx, tmp_path):
    seed_county(ctx)
    ctx.scratch = tmp_path
    return ctx


def _writers(ctx: ServiceContext, tmp_path) -> list[ServiceContext]:
    """Two writers, each with its own engine on the same database (as two programs would be)."""
    out = []
    for name in ("甲", "乙"):
        writer = ServiceContext(Database(ctx.db.url, schema=ctx.db.schema), actor=f"并发{name}",
                                clock=Clock(fixed=FIXED_NOW))
        writer.scratch = tmp_path
        out.append(writer)
    return out


def _on(case_id: int, write: Write) -> Callable[[ServiceContext, str], object]:
    return lambda ctx, token: write(ctx, case_id, token)


def _handing_over(order: HandoverOrder) -> Callable[[ServiceContext, str], object]:
    return lambda ctx, _token: hand_over(ctx, order)


def _race(writers: list[ServiceContext], writes: list[Callable[[ServiceContext, str], object]],
          token: str) -> list[object]:
    """Run the writes at once, one per writer; what each returned or raised."""
    barrier = threading.Barrier(len(writers))
    outcomes: list[object] = [None] * len(writers)

    def run(i: int) -> None:
        barrier.wait()
        try:
            outcomes[i] = writes[i](writers[i], f"{token}{i}")
        except BaseException as exc:  # judged below: ours, or a raw database error
            outcomes[i] = exc

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(writers))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return outcomes


def _assert_ours(outcomes: list[object]) -> int:
    """Every outcome is a success or a DomainError (Chinese); returns how many succeeded."""
    for outcome in outcomes:
        if isinstance(outcome, BaseException) and not isinstance(outcome, DomainError):
            raise AssertionError(f"a raw error reached the caller: {outcome!r}") from outcome
    return sum(not isinstance(o, BaseException) for o in outcomes)


def _timeline_is_gap_free(ctx: ServiceContext, case_id: int) -> None:
    with ctx.read() as s:
        seqs = s.exec(select(TimelineEvent.seq).where(TimelineEvent.case_id == case_id)
                      .order_by(TimelineEvent.seq)).all()
    assert seqs == list(range(1, len(seqs) + 1))


@pytest.fixture
def writers(county, tmp_path):
    out = _writers(county, tmp_path)
    yield out
    for w in out:
        w.db.dispose()


def test_two_writers_on_one_case_for_every_kind_of_write(county, writers, caplog):
    caplog.set_level(logging.INFO, logger="mediator")
    for kind, (prepare, first, second) in KINDS.items():
        case_id = prepare(county, f"RACE-{kind}")
        succeeded = 0
        for n in range(TRIES):
            succeeded += _assert_ours(_race(writers, [_on(case_id, first), _on(case_id, second)], f"{n}-"))
        assert succeeded >= TRIES, kind  # at least one writer of every round got through
        _timeline_is_gap_free(county, case_id)
    # The case lock made them queue: no sequence number was taken twice and run again.
    assert not [r for r in caplog.records if "lost a race" in r.getMessage()]


def test_a_handover_while_the_case_is_written(county, writers):
    case_id = _mediating(county, "RACE-handover")
    with county.read() as s:
        li = s.exec(select(Mediator.id).where(Mediator.name == "李建国")).one()
        village = s.exec(select(Region.id).where(Region.code == DONGGUAN)).one()
    sun = add_mediator(county, "孙志远", TOWNSHIP_COMMITTEE, village_id=village)
    for n in range(TRIES):
        leaving, taking = (li, sun) if n % 2 == 0 else (sun, li)  # back and forth
        with county.read() as s:
            in_hand = s.exec(select(CaseMediator.case_id).where(CaseMediator.mediator_id == leaving)).all()
        order = HandoverOrder(leaving, dict.fromkeys(in_hand, taking), acknowledge_conflicts=True)
        outcomes = _race(writers, [_handing_over(order), _on(case_id, _attachment)], f"h{n}-")
        assert _assert_ours(outcomes) == 2
    _timeline_is_gap_free(county, case_id)


def test_two_registrations_at_once_take_two_numbers(county, writers):
    def register(c: ServiceContext, token: str):
        return uc.register_case(c, case_input(ref=f"REG-{token}", parties=[
            applicant(name=f"申{token}", id_number=None, phone="13700000021"),
            respondent(name=f"被{token}", id_number=None, phone="13700000022")]))

    for n in range(TRIES):
        assert _assert_ours(_race(writers, [register, register], f"{n}-")) == 2
    with county.read() as s:
        numbers = s.exec(select(Case.number)).all()
        assert s.exec(select(func.count(func.distinct(Case.number)))).one() == len(numbers) == 2 * TRIES


def test_an_edit_while_a_big_import_runs_waits_and_gets_through(county, writers, monkeypatch):
    """SQLite: the edit starts once the import holds the write lock; it waits, is told, and writes."""
    from mediator.services.exchange.demo_data import build_demo_document
    from mediator.services.exchange.importer import import_file

    if not county.db.is_sqlite:
        pytest.skip("PostgreSQL has no database-wide write lock")
    monkeypatch.setattr(write_lock, "NOTICE_AFTER", 0.2)
    case_id = _mediating(county, "RACE-import")
    path = county.scratch / "县里的案件.json"
    path.write_text(json.dumps(build_demo_document(cases=300, seed=3, today=FIXED_NOW.date()),
                               ensure_ascii=False, default=str), encoding="utf-8")
    importer, editor = writers
    locked = threading.Event()
    sa.event.listen(importer.db.engine, "begin", lambda _conn: locked.set())  # after BEGIN IMMEDIATE
    told: list[bool] = []
    editor.db.on_wait = told.append

    def edit_once_the_import_holds_the_lock(c: ServiceContext, token: str):
        assert locked.wait(20)
        return _session(c, case_id, token)

    outcomes = _race([importer, editor], [lambda c, _t: import_file(c, path), edit_once_the_import_holds_the_lock],
                     "i")
    assert _assert_ours(outcomes) == 2  # the edit waited for the import and went through
    assert told == [True, False]  # and it was told it waited
    _timeline_is_gap_free(county, case_id)
