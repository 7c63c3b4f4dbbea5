"""Crash safety of backups and restores: a child killed (SIGKILL) at random points, ten times each.

Afterwards the database opens, passes ``integrity_check`` and ``foreign_key_check``, holds every
case a child reported committed, its audit chain holds, and a restore still works. Every backup a
child reported is a sound backup; a killed one leaves at most a ``.part`` file, never a bad backup.
SQLite only: backups and restores are of SQLite files (PostgreSQL is backed up with pg_dump).
"""
from __future__ import annotations

import random
import sqlite3
import time
from pathlib import Path

import pytest

from mediator.services import audit
from mediator.services.cases import lifecycle as uc
from mediator.services.context import Clock, ServiceContext
from mediator.services.safety.backup import backup_to, check_backup
from mediator.services.safety.restore import TEMP_SUFFIX, restore_from
from mediator.store import presence
from mediator.store.db import Database, sqlite_url
from tests.conftest import FIXED_NOW
from tests.helpers import case_input, seed_county
from tests.procs.spawn import ForkServer
from tests.templates import migrated_sqlite

RUNS = 10
WAIT = (0.0, 0.8)  # seconds of work before the kill


@pytest.fixture
def office(tmp_path):
    """A database with a few cases, opened by nobody (the children open it)."""
    path = tmp_path / "office.db"
    db = migrated_sqlite(path)
    ctx = ServiceContext(db, actor="管理员", clock=Clock(fixed=FIXED_NOW))
    seed_county(ctx)
    for n in range(3):
        uc.register_case(ctx, case_input(ref=f"BASE-{n}"))
    db.dispose()
    presence.withdraw(path)  # this test process only looks: a restore in a child must not wait for it
    return path


def _assert_whole(path: Path) -> set[str]:
    """The file opens alone, is sound, and its audit chain holds; its case refs."""
    with sqlite3.connect(path) as raw:
        assert raw.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert raw.execute("PRAGMA foreign_key_check").fetchall() == []
        refs = {row[0] for row in raw.execute("SELECT ref FROM case_file")}
    db = Database(sqlite_url(path), announce=False)
    try:
        assert audit.verify(ServiceContext(db, actor="检查")) == []
    finally:
        db.dispose()
    return refs


def _kill_runs(path: Path, args_of_run) -> list[list[str]]:
    rng = random.Random(20261208)
    said = []
    with ForkServer("restorer") as server:
        for run in range(RUNS):
            child = server.spawn(sqlite_url(path), *args_of_run(run))
            assert child.next_line() == "started"
            time.sleep(rng.uniform(*WAIT))
            said.append(child.kill())
    return said


def test_killed_restores_leave_the_old_or_the_new_database_whole(office, tmp_path):
    db = Database(sqlite_url(office), announce=False)
    backup = backup_to(ServiceContext(db, actor="管理员", clock=Clock(fixed=FIXED_NOW)), tmp_path / "b.db").path
    db.dispose()
    expected = _assert_whole(office)

    said = _kill_runs(office, lambda run: ["--restore", str(backup)])
    for lines in said:
        assert all(line.startswith("committed restore ") for line in lines)
        # Killed after any number of restores, the file is the old or the new one, whole.
        assert _assert_whole(office) == expected
    assert sum(len(lines) for lines in said) > 0, "no restore ever finished: the kills came too early"
    for lines in said:
        for line in lines:
            assert _assert_whole(Path(line.split(" ", 2)[2])) == expected  # every kept copy is whole

    db = Database(sqlite_url(office), announce=False)
    try:
        ctx = ServiceContext(db, actor="管理员", clock=Clock(fixed=FIXED_NOW))
        restore_from(ctx, backup, "崩溃之后")  # a killed restore's leftovers are in nobody's way
        assert not Path(f"{office}{TEMP_SUFFIX}").exists()
        assert audit.entries(ctx, limit=1)[0].detail["reason"] == "崩溃之后"
    finally:
        db.dispose()
    assert _assert_whole(office) == expected


def test_killed_backups_leave_the_database_whole_and_no_bad_backup(office, tmp_path):
    folder = tmp_path / "备份"
    folder.mkdir()
    said = _kill_runs(office, lambda run: ["--backup-to", str(folder), "--prefix", f"K{run:02d}"])
    committed_cases = {line.split()[2] for lines in said for line in lines if line.startswith("committed case ")}
    backups = [Path(line.split(" ", 2)[2]) for lines in said for line in lines
               if line.startswith("committed backup ")]
    assert backups, "no backup ever finished: the kills came too early"

    refs = _assert_whole(office)
    assert committed_cases <= refs and {f"BASE-{n}" for n in range(3)} <= refs
    for file in folder.iterdir():
        if file.suffix == ".db":  # whatever got its final name is a sound backup
            check_backup(file)
            assert _assert_whole(file)
        elif file.name.endswith(".db.anchor"):  # written after its backup got its final name
            assert file.with_name(file.name.removesuffix(".anchor")).is_file(), file.name
        else:
            # A killed copy and its journal or WAL: rotation removes them.
            assert file.name.endswith((".part", ".part-journal", ".part-wal", ".part-shm")), file.name
    assert {b.name for b in backups} <= {f.name for f in folder.iterdir()}
