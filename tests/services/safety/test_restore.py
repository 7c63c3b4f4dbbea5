"""Restores that lose nothing and erase nothing (SQLite: backups are SQLite files; PostgreSQL uses pg_dump).

Each probe of issue 18 point 2 is one test: another process has the file open, committed changes
still in the WAL, a hollow or newer file, a new path, an encrypted backup into a new database, file
names with ``#``, ``?``, ``%``, spaces and Chinese, and a 所长's reveals after the backup.
"""
from __future__ import annotations

import socket
import sqlite3
from pathlib import Path

import pytest
from sqlmodel import select

from mediator.domain.errors import DomainError, PermissionDenied, ValidationError
from mediator.domain.permissions import Role
from mediator.services import audit
from mediator.services.cases import lifecycle as uc
from mediator.services.cases.personal_data import reveal_party
from mediator.services.cases.read import CaseFilter, count_cases
from mediator.services.context import Clock, CurrentUser, ServiceContext
from mediator.services.safety import restore
from mediator.services.safety.backup import backup_to, check_backup
from mediator.services.safety.restore import restore_from, restore_into
from mediator.store import presence
from mediator.store.db import Database, sqlite_url
from mediator.store.migrate import head_revision
from mediator.store.models import CaseParty
from tests.conftest import FIXED_NOW
from tests.helpers import case_input, seed_county
from tests.procs.spawn import Child
from tests.templates import migrated_sqlite

ODD_NAME = "办公 室#1?a=b%20c"  # a space, #, ?, % and Chinese: all must reach the file itself


def _ctx(path: Path, **fields) -> ServiceContext:
    db = migrated_sqlite(path)
    ctx = ServiceContext(db, actor="管理员", clock=Clock(fixed=FIXED_NOW), **fields)
    seed_county(ctx)
    return ctx


@pytest.fixture
def office(tmp_path):
    ctx = _ctx(tmp_path / "office.db")
    uc.register_case(ctx, case_input(ref="BEFORE"))
    yield ctx
    ctx.db.dispose()


def _refs(path: Path) -> set[str]:
    with sqlite3.connect(path) as conn:
        return {row[0] for row in conn.execute("SELECT ref FROM case_file")}


def test_another_process_with_the_file_open_is_named_and_nothing_changes(office, tmp_path):
    backup = backup_to(office, tmp_path / "b.db").path
    uc.register_case(office, case_input(ref="AFTER"))
    holder = Child("holder", office.db.url, "--user", "张三")
    try:
        holder.wait_ready()
        holder.go()
        assert holder.next_line() == "held"
        with pytest.raises(DomainError) as refused:
            restore_from(office, backup, "误删案件")
        assert str(refused.value) == (f"数据库正被 张三（电脑 {socket.gethostname()}，进程 {holder.proc.pid}）"
                                      "使用，请其退出后再恢复")
        assert count_cases(office, CaseFilter()) == 2 and not list(tmp_path.glob("office-恢复前-*"))
    finally:
        holder.go()
        holder.result(timeout=30)
    restore_from(office, backup, "误删案件")  # it has gone: its lock file is stale and removed
    assert count_cases(office, CaseFilter()) == 1
    assert [p.name for p in presence.folder_of(tmp_path / "office.db").iterdir()] == [
        f"{socket.gethostname()}-{__import__('os').getpid()}.lock"]


def test_a_writer_in_this_process_blocks_the_exclusive_lock(office, tmp_path, monkeypatch):
    backup = backup_to(office, tmp_path / "b.db").path
    monkeypatch.setattr(restore, "EXCLUSIVE_WAIT", 0.2)
    writer = sqlite3.connect(tmp_path / "office.db", isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(DomainError, match="数据库正被其他程序使用（无法独占）"):
            restore_from(office, backup, "误删案件")
    finally:
        writer.rollback()
        writer.close()
    assert not list(tmp_path.glob("office-恢复前-*")) and not (tmp_path / "office.db.restoring").exists()


def test_the_kept_copy_holds_every_committed_change_even_those_still_in_the_wal(office, tmp_path):
    backup = backup_to(office, tmp_path / "b.db").path
    uc.register_case(office, case_input(ref="AFTER"))
    assert (tmp_path / "office.db-wal").stat().st_size > 0  # the change lives in the WAL
    result = restore_from(office, backup, "误删案件")
    assert result.kept_copy.name == "office-恢复前-20261129-100000.db"
    assert not Path(f"{result.kept_copy}-wal").exists()
    assert _refs(result.kept_copy) == {"BEFORE", "AFTER"}  # the file alone is the whole database
    assert _refs(tmp_path / "office.db") == {"BEFORE"}
    again = restore_from(office, backup, "再次恢复")  # the same second: the first copy stays
    assert again.kept_copy.name == "office-恢复前-20261129-100000-2.db" and result.kept_copy.exists()


def test_a_hollow_file_is_refused_before_anything_changes(office, tmp_path):
    hollow = tmp_path / "hollow.db"
    with sqlite3.connect(hollow) as conn:
        conn.execute("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL)")
        conn.execute("INSERT INTO alembic_version VALUES (?)", (head_revision(),))
    before = (tmp_path / "office.db").stat().st_mtime_ns
    with pytest.raises(DomainError, match="缺少数据表"):
        restore_from(office, hollow, "误删案件")
    assert count_cases(office, CaseFilter()) == 1 and not list(tmp_path.glob("office-恢复前-*"))
    assert (tmp_path / "office.db").stat().st_mtime_ns == before


def test_a_newer_file_and_dangling_references_are_refused(office, tmp_path):
    newer = backup_to(office, tmp_path / "newer.db").path
    with sqlite3.connect(newer) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999'")
    with pytest.raises(DomainError, match="比本程序新"):
        restore_from(office, newer, "误删案件")
    dangling = backup_to(office, tmp_path / "dangling.db").path
    with sqlite3.connect(dangling) as conn:
        conn.execute("UPDATE case_party SET case_id = 99999")
    with pytest.raises(DomainError, match="数据关联不一致"):
        check_backup(dangling)
    assert count_cases(office, CaseFilter()) == 1


def test_a_reason_and_an_administrator_are_required(office, tmp_path):
    backup = backup_to(office, tmp_path / "b.db").path
    with pytest.raises(ValidationError) as missing:
        restore_from(office, backup, "  ")
    assert missing.value.path == "reason" and "恢复原因" in str(missing.value)
    head = ServiceContext(office.db, actor="王所长", clock=office.clock,
                          user=CurrentUser(990, "head", "王所长", Role.HEAD, None))
    backup_to(head, tmp_path / "by-head.db")  # a 所长 may back up …
    with pytest.raises(PermissionDenied):  # … but not replace the database
        restore_from(head, backup, "误删案件")


def test_a_heads_reveals_after_the_backup_survive_the_restore(office, tmp_path):
    """所长 backs up, reveals 29 parties' ID numbers, an administrator restores: the reveals stay."""
    for n in range(14):
        uc.register_case(office, case_input(ref=f"R{n:02d}"))
    head = ServiceContext(office.db, actor="王所长", clock=office.clock,
                          user=CurrentUser(990, "head", "王所长", Role.HEAD, None))
    backup = backup_to(head, tmp_path / "b.db").path
    with office.read() as session:
        party_ids = list(session.exec(select(CaseParty.id).order_by(CaseParty.id)).all())[:29]
    for party_id in party_ids:
        reveal_party(head, party_id)
    # Since the copy: the backup's own entry (written after it) and the 29 reveals.
    before = list(reversed(audit.entries(office, limit=30)))
    assert [e.action for e in before] == ["backup"] + ["reveal"] * 29
    anchor = audit.head(office)  # kept on paper before the restore

    result = restore_from(office, backup, "误删案件")
    assert result.carried == 30 and (result.lost_from, result.lost_to) == (before[0].id, before[-1].id)
    assert audit.verify(office) == [] and audit.verify(office, anchor) == []  # the log still extends it
    latest = list(reversed(audit.entries(office, limit=31)))
    carried, last = latest[:30], latest[30]
    assert [(e.action, e.username, e.at, e.target) for e in carried] == [
        (e.action, e.username, e.at, e.target) for e in before]
    assert [e.detail for e in carried] == [e.detail for e in before]
    assert last.action == "restore" and last.username == "管理员"
    assert last.detail == {"reason": "误删案件", "backup": str(backup), "kept_copy": str(result.kept_copy),
                           "lost_from": before[0].id, "lost_to": before[-1].id, "carried": 30}


def test_nothing_since_the_backup_carries_nothing(office, tmp_path):
    backup = backup_to(office, tmp_path / "b.db").path
    result = restore_from(office, backup, "演练")
    # The backup's own entry was written after the copy: it is the one entry carried.
    assert result.carried == 1 and audit.entries(office, limit=2)[1].action == "backup"
    assert audit.verify(office) == []


def test_restore_into_a_new_path_with_an_odd_name(office, tmp_path):
    folder = tmp_path / ODD_NAME
    backup = backup_to(office, folder / f"{ODD_NAME}.db").path
    assert backup.name == f"{ODD_NAME}.db" and check_backup(backup) == head_revision()
    new = tmp_path / "新电脑" / f"{ODD_NAME}-新.db"
    result = restore_into(office, backup, new, "换电脑")
    assert result.database == new and new.is_file() and not Path(f"{new}{restore.TEMP_SUFFIX}").exists()
    db = Database(sqlite_url(new))
    try:
        moved = ServiceContext(db, actor="管理员", clock=office.clock)
        assert count_cases(moved, CaseFilter()) == 1 and audit.verify(moved) == []
        assert audit.entries(moved, limit=1)[0].detail["reason"] == "换电脑"
    finally:
        db.dispose()
    with pytest.raises(ValidationError, match="已存在"):
        restore_into(office, backup, new, "换电脑")


def test_a_database_with_an_odd_name_backs_up_and_restores_in_place(tmp_path):
    path = tmp_path / ODD_NAME / f"{ODD_NAME}.db"
    path.parent.mkdir()
    ctx = _ctx(path)
    try:
        assert Path(ctx.db.engine.url.database) == path
        uc.register_case(ctx, case_input(ref="BEFORE"))
        backup = backup_to(ctx, tmp_path / ODD_NAME).path
        uc.register_case(ctx, case_input(ref="AFTER"))
        restore_from(ctx, backup, "误删案件")
        assert _refs(path) == {"BEFORE"} and count_cases(ctx, CaseFilter()) == 1
    finally:
        ctx.db.dispose()


def test_an_encrypted_backup_into_a_new_database_with_its_key(tmp_path, monkeypatch):
    from mediator.services.safety.encryption import enable_encryption
    from mediator.store.cipher import KEY_ENV, WrongKey, is_encrypted

    monkeypatch.delenv(KEY_ENV, raising=False)
    key = "tiaojie-mima-2026"
    secret = _ctx(tmp_path / "secret.db")
    uc.register_case(secret, case_input(ref="SECRET"))
    enable_encryption(secret, key)
    backup = backup_to(secret, tmp_path / "加密 备份#1.db").path
    secret.db.dispose()
    assert is_encrypted(backup)

    other = _ctx(tmp_path / "other.db")  # a plain database on the new PC: a different key or none
    try:
        with pytest.raises(DomainError, match="须用数据库密码"):
            restore_into(other, backup, tmp_path / "new.db", "换电脑")
        with pytest.raises(WrongKey):
            restore_into(other, backup, tmp_path / "new.db", "换电脑", key="wrong")
        new = tmp_path / "新 库?.db"
        restore_into(other, backup, new, "换电脑", key=key)
    finally:
        other.db.dispose()
    assert is_encrypted(new)
    db = Database(sqlite_url(new), key=key)
    try:
        moved = ServiceContext(db, actor="管理员", clock=Clock(fixed=FIXED_NOW))
        assert count_cases(moved, CaseFilter()) == 1 and audit.verify(moved) == []
    finally:
        db.dispose()


def test_the_command_line_restores_into_a_new_file_and_asks_for_a_reason(office, tmp_path, capsys):
    from mediator.cli import main

    backup = backup_to(office, tmp_path / "b#1.db").path
    new = tmp_path / "新 库#2.db"
    assert main(["--db", office.db.url, "restore", str(backup), "--to", str(new)]) == 2
    assert "恢复原因不能为空" in capsys.readouterr().err and not new.exists()
    assert main(["--db", office.db.url, "restore", str(backup), "--to", str(new), "--reason", "换电脑"]) == 0
    assert f"恢复为新的数据库：{new}" in capsys.readouterr().out
    assert _refs(new) == {"BEFORE"}
    uc.register_case(office, case_input(ref="AFTER"))
    office.db.dispose()
    assert main(["--db", office.db.url, "restore", str(backup), "--reason", "误删案件"]) == 0
    out = capsys.readouterr().out
    assert "原数据库完整另存为" in out and "已转入恢复后的审计日志" in out
    assert _refs(tmp_path / "office.db") == {"BEFORE"}
