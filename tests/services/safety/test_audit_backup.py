"""The hash-chained audit log and SQLite backups."""
from __future__ import annotations

import sqlite3
import threading

import pytest

from mediator.cli import main
from mediator.domain.errors import DomainError
from mediator.services.audit import entries, verify
from mediator.services.cases import lifecycle as uc
from mediator.services.cases.read import CaseFilter, count_cases
from mediator.services.context import ServiceContext
from mediator.services.exchange.importer import import_document
from mediator.services.safety.backup import backup_rotating, backup_to, check_backup
from mediator.services.safety.restore import restore_from
from tests.audit_tamper import tamper
from tests.helpers import case_input, sample_document, seed_county
from tests.templates import migrated_sqlite


def test_every_write_is_audited_and_the_chain_verifies(ctx):
    seed_county(ctx)
    case_id = uc.register_case(ctx, case_input()).id
    uc.accept_case(ctx, case_id)
    actions = [e.action for e in entries(ctx)]
    assert actions[:3] == ["case.accept", "case.register", "import"]
    assert verify(ctx) == []


def test_editing_one_byte_of_an_entry_is_found_and_named(ctx, database):
    seed_county(ctx)
    case_id = uc.register_case(ctx, case_input()).id
    uc.accept_case(ctx, case_id)
    target = entries(ctx)[1]
    with database.engine.begin() as conn:
        tamper(conn, "UPDATE audit_entry SET target = :t WHERE id = :i",
               {"t": target.target + "x", "i": target.id})
    problems = verify(ctx)
    assert [p.entry_id for p in problems] == [target.id]
    assert "内容被改动" in problems[0].message


def test_deleting_an_entry_breaks_the_chain(ctx, database):
    seed_county(ctx)
    case_id = uc.register_case(ctx, case_input()).id
    uc.accept_case(ctx, case_id)
    uc.start_mediation(ctx, case_id)
    middle = entries(ctx)[1]
    with database.engine.begin() as conn:
        tamper(conn, "DELETE FROM audit_entry WHERE id = :i", {"i": middle.id})
    problems = verify(ctx)
    assert any("删除" in p.message for p in problems)


def test_deleting_the_newest_entry_is_found_too(ctx, database):
    seed_county(ctx)
    uc.register_case(ctx, case_input())
    newest = entries(ctx)[0]
    with database.engine.begin() as conn:
        tamper(conn, "DELETE FROM audit_entry WHERE id = :i", {"i": newest.id})
    assert verify(ctx)


def test_concurrent_writers_keep_one_unbroken_chain(ctx):
    seed_county(ctx)
    errors = []

    def work() -> None:
        own = ServiceContext(ctx.db, actor="并发", clock=ctx.clock)
        try:
            for _ in range(5):
                uc.register_case(own, case_input())
        except Exception as exc:
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == [] and verify(ctx) == []


def test_audit_verify_cli_names_the_broken_entry(tmp_path, capsys):
    url = f"sqlite:///{tmp_path / 'a.db'}"
    main(["--db", url, "init"])
    from tests.conftest import SAMPLE_CASES

    main(["--db", url, "import", str(SAMPLE_CASES)])
    capsys.readouterr()
    assert main(["--db", url, "audit", "verify"]) == 0
    conn = sqlite3.connect(tmp_path / "a.db")
    tamper(conn, "UPDATE audit_entry SET username = 'x' WHERE id = 1")
    conn.commit()
    conn.close()
    assert main(["--db", url, "audit", "verify"]) == 2
    assert "第1条记录" in capsys.readouterr().out


def _sqlite_ctx(tmp_path, name="live.db"):
    from mediator.services.context import Clock
    from tests.conftest import FIXED_NOW

    db = migrated_sqlite(tmp_path / name)
    return ServiceContext(db, actor="备份员", clock=Clock(fixed=FIXED_NOW))


def test_a_backup_taken_while_writing_restores_every_committed_case(tmp_path):
    ctx = _sqlite_ctx(tmp_path)
    import_document(ctx, sample_document())
    stop = threading.Event()
    written = []

    def writer() -> None:
        own = ServiceContext(ctx.db, actor="写入", clock=ctx.clock)
        while not stop.is_set() and len(written) < 30:
            written.append(uc.register_case(own, case_input()).id)

    thread = threading.Thread(target=writer)
    thread.start()
    info = backup_to(ctx, tmp_path / "backups")
    stop.set()
    thread.join()
    assert check_backup(info.path)
    conn = sqlite3.connect(info.path)
    in_backup = conn.execute("SELECT count(*) FROM case_file").fetchone()[0]
    conn.close()
    assert 3 <= in_backup <= 3 + len(written)

    restore_from(ctx, info.path, "测试恢复")
    assert count_cases(ctx, CaseFilter()) == in_backup
    assert verify(ctx) == []
    ctx.db.dispose()


def test_rotation_keeps_the_newest_backups(tmp_path):
    from datetime import timedelta

    from mediator.services.context import Clock

    ctx = _sqlite_ctx(tmp_path)
    folder = tmp_path / "rot"
    for i in range(4):
        ctx.clock = Clock(fixed=ctx.clock.now() + timedelta(minutes=i + 1))
        backup_rotating(ctx, folder, keep=2)
    kept = sorted(p.name for p in folder.glob("mediator-backup-*.db"))
    assert len(kept) == 2
    assert sorted(p.name for p in folder.glob("*.anchor")) == [f"{name}.anchor" for name in kept]
    ctx.db.dispose()


def test_a_damaged_backup_is_refused_before_anything_changes(tmp_path):
    ctx = _sqlite_ctx(tmp_path)
    import_document(ctx, sample_document())
    broken = tmp_path / "broken.db"
    broken.write_bytes(b"SQLite format 3\x00" + b"\x00" * 100)
    with pytest.raises(DomainError):
        restore_from(ctx, broken, "测试恢复")
    assert count_cases(ctx, CaseFilter()) == 3
    ctx.db.dispose()


def test_postgresql_backups_are_not_claimed(ctx, database, tmp_path):
    if database.is_sqlite:
        pytest.skip("this checks the PostgreSQL refusal")
    with pytest.raises(DomainError) as info:
        backup_to(ctx, tmp_path)
    assert "pg_dump" in str(info.value)


def test_a_backup_that_cannot_be_written_says_why_and_leaves_nothing(tmp_path):
    ctx = _sqlite_ctx(tmp_path, "live.db")
    blocker = tmp_path / "不是文件夹"
    blocker.write_text("备份文件夹被一个同名文件占用", encoding="utf-8")
    with pytest.raises(DomainError) as info:
        backup_to(ctx, blocker / "backup.db")
    assert "备份失败" in info.value.message and str(blocker) in info.value.message
    assert sorted(p.name for p in tmp_path.iterdir() if ".part" in p.name) == []
    assert [e.action for e in entries(ctx)][0] == "backup.failed"
    ctx.db.dispose()


def test_a_leftover_partial_file_is_replaced_not_appended_to(tmp_path):
    ctx = _sqlite_ctx(tmp_path, "live.db")
    target = tmp_path / "copy.db"
    target.with_name("copy.db.part").write_bytes(b"\0" * 100)  # a crash left it
    info = backup_to(ctx, target)
    assert check_backup(info.path) and not target.with_name("copy.db.part").exists()
    ctx.db.dispose()
