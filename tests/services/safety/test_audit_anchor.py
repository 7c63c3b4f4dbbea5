"""The audit chain's head kept outside the database: ``verify(anchor)`` catches a log wiped,
cut or recomputed by someone who knows the algorithm (issue 18 probe (a)), and a restore that
drops entries (probe (b))."""
from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlmodel import select

from mediator.domain.errors import ValidationError
from mediator.services import audit
from mediator.services.audit import GENESIS, AuditHead, entry_hash, head, parse_anchor, verify
from mediator.services.cases import lifecycle as uc
from mediator.services.safety.audit_log import verify_audit
from mediator.store.models import AuditEntry, Setting
from tests.audit_tamper import tamper
from tests.helpers import case_input, seed_county

WIPED = "日志条数少于锚点：被清空或截断"
REWRITTEN = "的校验值与锚点不符：日志被改写或重算"


@pytest.fixture
def logged(ctx):
    seed_county(ctx)
    case_id = uc.register_case(ctx, case_input()).id
    uc.accept_case(ctx, case_id)
    uc.start_mediation(ctx, case_id)
    return ctx


def _set_head(conn, value: AuditHead) -> None:
    table = Setting.__table__
    conn.execute(sa.update(table).where(table.c.key == audit.HEAD_KEY, table.c.organization_id.is_(None))
                 .values(value={"hash": value.hash, "count": value.count}))


def _rows(ctx) -> list:
    with ctx.read() as session:
        return list(session.exec(select(AuditEntry).order_by(AuditEntry.id)))


def test_an_intact_log_extends_its_anchor_after_more_entries(logged):
    anchor = head(logged)
    assert anchor.count == len(_rows(logged)) and anchor.hash == _rows(logged)[-1].hash
    uc.register_case(logged, case_input())
    assert verify(logged, anchor) == [] and verify(logged, head(logged)) == []
    assert verify(logged, AuditHead(0, GENESIS)) == []


def test_a_wiped_log_with_a_fresh_head_passes_alone_but_not_against_the_anchor(logged, database):
    anchor = head(logged)
    with database.engine.begin() as conn:
        tamper(conn, "DELETE FROM audit_entry")
        conn.execute(sa.delete(Setting.__table__).where(Setting.__table__.c.key == audit.HEAD_KEY))
    assert verify(logged) == []  # a consistent empty chain: only the anchor knows better
    problems = verify(logged, anchor)
    assert problems[0].message.startswith(WIPED)
    check = verify_audit(logged)
    assert check.intact  # the page's check without an anchor cannot tell


def test_a_cut_tail_with_a_fixed_head_is_caught(logged, database):
    anchor = head(logged)
    rows = _rows(logged)
    keep = rows[: len(rows) - 2]
    with database.engine.begin() as conn:
        tamper(conn, "DELETE FROM audit_entry WHERE id > :i", {"i": keep[-1].id})
        _set_head(conn, AuditHead(len(keep), keep[-1].hash))
    assert verify(logged) == []
    [problem] = verify(logged, anchor)
    assert problem.message.startswith(WIPED) and f"锚点为{anchor.count}条" in problem.message


def test_an_edit_with_every_hash_recomputed_is_caught(logged, database):
    anchor = head(logged)
    rows = _rows(logged)
    prev = GENESIS
    with database.engine.begin() as conn:
        for i, e in enumerate(rows):
            target = "篡改" if i == 1 else e.target
            digest = entry_hash(prev, e.at, e.username, e.action, target, e.detail or {})
            tamper(conn, "UPDATE audit_entry SET target = :t, prev_hash = :p, hash = :h WHERE id = :i",
                   {"t": target, "p": prev, "h": digest, "i": e.id})
            prev = digest
        _set_head(conn, AuditHead(len(rows), prev))
    assert verify(logged) == []  # the rebuilt chain is consistent in itself
    problems = verify(logged, anchor)
    assert problems[0].message == f"第{anchor.count}条{REWRITTEN}"


def test_the_anchor_parser_names_the_field_in_chinese():
    good = parse_anchor(f" 12:{'AB' * 32}\n")
    assert good == AuditHead(12, "ab" * 32) and str(good) == f"12:{'ab' * 32}"
    for bad in ("", "12", "x:" + "a" * 64, "12:" + "a" * 63, "12:" + "g" * 64):
        with pytest.raises(ValidationError) as info:
            parse_anchor(bad, "--anchor")
        assert info.value.path == "--anchor" and "审计日志锚点格式" in info.value.message


def test_an_anchor_of_no_entries_must_carry_the_genesis_hash(logged):
    assert verify(logged, AuditHead(0, "a" * 64))[0].message.startswith("锚点条数为0")


def test_the_app_itself_cannot_change_or_delete_audit_rows(logged, database):
    victim = _rows(logged)[0]
    for statement in ("UPDATE audit_entry SET target = 'x' WHERE id = :i", "DELETE FROM audit_entry WHERE id = :i"):
        with pytest.raises(sa.exc.DBAPIError) as info:
            with database.engine.begin() as conn:
                conn.execute(sa.text(statement), {"i": victim.id})
        assert "审计日志只能追加" in str(info.value)
    if not database.is_sqlite:
        with pytest.raises(sa.exc.DBAPIError) as info:
            with database.engine.begin() as conn:
                conn.execute(sa.text("TRUNCATE audit_entry"))
        assert "审计日志只能追加" in str(info.value)
    assert verify(logged) == [] and len(_rows(logged)) == head(logged).count
