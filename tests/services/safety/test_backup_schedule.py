"""Scheduled backups: the office's folder, time and count; the daily job; a backup under load."""
from __future__ import annotations

import queue
import sqlite3
import threading
from datetime import time, timedelta

import pytest

from mediator.domain.errors import DomainError, PermissionDenied, ValidationError
from mediator.scheduling.scheduler import ReminderScheduler
from mediator.services.audit import entries, verify
from mediator.services.cases import lifecycle as uc
from mediator.services.cases.read import CaseFilter, count_cases
from mediator.services.context import Clock, ServiceContext
from mediator.services.exchange.importer import import_document
from mediator.services.safety.backup import check_backup
from mediator.services.safety.backup_schedule import (
    backup_job_time,
    backup_now,
    backup_plan,
    list_backups,
    prune_backups,
)
from mediator.services.safety.restore import restore_from
from mediator.services.settings import set_setting
from mediator.store.models import setting_row
from tests.helpers import case_input, sample_document, seed_county
from tests.templates import migrated_sqlite

WAIT = 30  # seconds; a guard against a hang, never a pause


def _sqlite_ctx(tmp_path, name="live.db") -> ServiceContext:
    from tests.conftest import FIXED_NOW

    db = migrated_sqlite(tmp_path / name)
    return ServiceContext(db, actor="管理员", clock=Clock(fixed=FIXED_NOW))


def test_the_plan_reads_the_settings_and_defaults_to_the_data_folder(tmp_path):
    ctx = _sqlite_ctx(tmp_path)
    plan = backup_plan(ctx, tmp_path)
    assert (plan.folder, plan.daily_time, plan.keep, plan.supported) == (tmp_path / "backups", time(22), 10, True)
    set_setting(ctx, "backup.folder", str(tmp_path / "办公室备份"))
    set_setting(ctx, "backup.daily_time", "21:15")
    set_setting(ctx, "backup.keep", 3)
    plan = backup_plan(ctx, tmp_path)
    assert (plan.folder, plan.daily_time, plan.keep) == (tmp_path / "办公室备份", time(21, 15), 3)
    with pytest.raises(ValidationError):  # refused where it is set …
        set_setting(ctx, "backup.daily_time", "晚上十点")
    with ctx.transaction() as session:  # … but a value an older version stored is still read
        setting_row(session, "backup.daily_time").value = "晚上十点"
    assert backup_plan(ctx).daily_time == time(22)  # unreadable: the default
    ctx.db.dispose()


def test_backing_up_keeps_only_the_newest_n(tmp_path):
    ctx = _sqlite_ctx(tmp_path)
    folder = tmp_path / "backups"
    set_setting(ctx, "backup.folder", str(folder))
    set_setting(ctx, "backup.keep", 2)
    (folder).mkdir()
    (folder / "说明.txt").write_text("不是备份", encoding="utf-8")
    taken = []
    for i in range(4):
        ctx.clock = Clock(fixed=ctx.clock.now() + timedelta(hours=i + 1))
        taken.append(backup_now(ctx).path)
    assert [b.path for b in list_backups(ctx)] == [taken[3], taken[2]]  # newest first
    assert (folder / "说明.txt").exists()
    assert [e.action for e in entries(ctx)][:4] == ["backup"] * 4
    ctx.db.dispose()


def test_prune_touches_only_backup_files(tmp_path):
    names = [f"mediator-backup-20261129-10000{i}.db" for i in range(5)]
    foreign = ["other.db", "mediator-backup-我的.db.part", "mediator-backup-我的.db"]
    unfinished = "mediator-backup-20261129-100002.db.part"  # a killed backup left it
    running = "mediator-backup-20261129-100009.db.part"  # newer than every backup: maybe still copying
    anchors = [f"{name}.anchor" for name in names]
    for name in [*names, *foreign, unfinished, f"{unfinished}-wal", running, *anchors]:
        (tmp_path / name).write_bytes(b"x")
    removed = prune_backups(tmp_path, 3)
    assert [p.name for p in removed] == [names[0], anchors[0], names[1], anchors[1], unfinished,
                                         f"{unfinished}-wal"]  # the killed copy's WAL goes with it
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(names[2:] + anchors[2:] + foreign + [running])


def test_the_daily_job_backs_up_on_sqlite_and_never_on_postgresql(ctx, database, tmp_path):
    seed_county(ctx)
    folder = tmp_path / "daily"
    set_setting(ctx, "backup.folder", str(folder))
    set_setting(ctx, "backup.daily_time", "21:15")
    set_setting(ctx, "backup.keep", 1)
    notices: queue.Queue = queue.Queue()
    scheduler = ReminderScheduler(ctx, "admin", notices.put, daily=time(8, 30), scan_every=5,
                                  data_folder=tmp_path)
    scheduler.start()
    try:
        notices.get(timeout=WAIT)  # the start-up scan
        job = scheduler._scheduler.get_job("backup")
        if database.is_sqlite:
            assert str(job.trigger.fields[5]) == "21" and str(job.trigger.fields[6]) == "15"
            assert job.misfire_grace_time is None and job.coalesce is True
            set_setting(ctx, "backup.daily_time", "06:45")  # saved on the 系统 page: a scan follows
            scheduler.scan_soon()
            assert notices.get(timeout=WAIT).reason == "now"
            job = scheduler._scheduler.get_job("backup")
            assert str(job.trigger.fields[5]) == "6" and str(job.trigger.fields[6]) == "45"
        else:
            assert job is None and backup_job_time(ctx) is None
    finally:
        scheduler.stop()
    for minutes in (1, 2):  # two nights: keep 1
        ctx.clock = Clock(fixed=ctx.clock.now() + timedelta(days=1, minutes=minutes))
        scheduler.clock = ctx.clock.now
        info = scheduler.run_backup()
    if database.is_sqlite:
        assert info is not None and info.path.parent == folder
        assert sorted(p.name for p in folder.iterdir()) == [info.path.name, f"{info.path.name}.anchor"]
        newest = entries(ctx)[0]
        assert (newest.action, newest.username) == ("backup", "定时备份")
        check_backup(info.path)
    else:
        assert info is None and not folder.exists()
        with pytest.raises(DomainError, match="pg_dump"):
            backup_now(ctx)
        assert backup_plan(ctx).supported is False


def test_backing_up_needs_the_backup_permission(tmp_path):
    from mediator.domain.permissions import Role
    from mediator.services.context import CurrentUser

    ctx = _sqlite_ctx(tmp_path)
    user = CurrentUser(id=1, username="ty", display_name="调解员", role=Role.MEDIATOR, organization_id=None)
    with pytest.raises(PermissionDenied):
        backup_now(ServiceContext(ctx.db, actor="调解员", clock=ctx.clock, user=user), tmp_path)
    ctx.db.dispose()


def test_a_backup_under_load_restores_every_case_committed_before_it_began(tmp_path):
    ctx = _sqlite_ctx(tmp_path)
    import_document(ctx, sample_document())
    set_setting(ctx, "backup.folder", str(tmp_path / "backups"))
    committed: list[int] = []
    started, stop = threading.Event(), threading.Event()
    errors: list[BaseException] = []

    def writer() -> None:
        own = ServiceContext(ctx.db, actor="登记员", clock=ctx.clock)
        try:
            while not stop.is_set() and len(committed) < 200:
                committed.append(uc.register_case(own, case_input()).id)
                if len(committed) >= 3:
                    started.set()
        except BaseException as exc:
            errors.append(exc)
            started.set()

    thread = threading.Thread(target=writer)
    thread.start()
    assert started.wait(60)
    before = list(committed)  # every one of these was committed before the backup began
    try:
        info = backup_now(ctx)
    finally:
        stop.set()
        thread.join()
    assert errors == []
    check_backup(info.path)
    with sqlite3.connect(info.path) as conn:
        in_backup = {row[0] for row in conn.execute("SELECT id FROM case_file")}
        orphans = conn.execute("SELECT count(*) FROM case_file c WHERE NOT EXISTS "
                               "(SELECT 1 FROM case_party p WHERE p.case_id = c.id)").fetchone()[0]
    conn.close()
    assert set(before) <= in_backup and orphans == 0  # nothing half-written

    restore_from(ctx, info.path, "测试恢复")
    assert count_cases(ctx, CaseFilter()) == len(in_backup)
    assert verify(ctx) == []
    new_case = uc.register_case(ctx, case_input()).id  # the restored database works
    assert new_case not in before
    ctx.db.dispose()


def test_a_hollow_file_with_only_a_version_row_is_refused(tmp_path):
    """Only ``alembic_version`` (at the newest revision): not a backup of ours, refused before restoring."""
    import sqlite3

    from mediator.domain.errors import DomainError
    from mediator.services.safety.backup import check_backup
    from mediator.store.migrate import head_revision

    hollow = tmp_path / "hollow.db"
    conn = sqlite3.connect(hollow)
    conn.execute("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL PRIMARY KEY)")
    conn.execute("INSERT INTO alembic_version VALUES (?)", (head_revision(),))
    conn.commit()
    conn.close()
    with pytest.raises(DomainError) as e:
        check_backup(hollow)
    assert "缺少数据表" in str(e.value) and "不能恢复" in str(e.value)
