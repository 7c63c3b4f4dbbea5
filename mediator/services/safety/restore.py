"""Restoring a SQLite backup: over the open database (nothing lost, nothing erased) or into a new file.

Over the open database (``restore_from``), in this order:

1. the backup is checked (``check_backup``: schema not newer, every table, integrity, foreign keys);
2. no other process may have the database open (``store/presence.py`` names who does), and this
   one takes it exclusively (``BEGIN EXCLUSIVE`` after a ``wal_checkpoint(TRUNCATE)``);
3. a complete copy of what is replaced is kept beside it (SQLite's backup API, WAL included);
4. the restored database is built in a temporary file in the same folder: the backup's pages, the
   schema upgraded, then the audit entries the backup lacks carried over as they were (same
   time, user, act and detail: where the backup's log is a prefix of the replaced one, as for a
   backup of this database, they get their old hashes back and an anchor taken before the
   restore still holds), then a ``restore`` entry naming the reason, the kept copy and the lost range;
5. one ``os.replace`` puts it in place.

A crash before step 5 leaves the old database as it was (and a ``.restoring`` leftover, removed by
the next restore); after it, the new one whole.
"""
from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlmodel import select

from mediator.domain.errors import DomainError, ValidationError
from mediator.services import audit
from mediator.services.context import ServiceContext
from mediator.services.permissions import Permission, requires
from mediator.services.safety.backup import _sqlite_path, check_backup
from mediator.store import cipher, presence
from mediator.store.db import Database, sqlite_url
from mediator.store.migrate import upgrade
from mediator.store.models import AuditEntry

EXCLUSIVE_WAIT = 3.0  # seconds a restore waits for another writer before it refuses
REASON_MAX = 200
TEMP_SUFFIX = ".restoring"


@dataclass(frozen=True)
class RestoreResult:
    """What a restore did: where, from what, which audit entries it carried and what was rolled back."""

    database: Path
    backup: Path
    kept_copy: Path | None  # the replaced database (None: restored into a new file)
    carried: int  # audit entries of the replaced database carried into the restored one
    lost_from: int | None  # the replaced database's first and last entry numbers whose data
    lost_to: int | None  # was rolled back (None: nothing happened since the backup)


@dataclass(frozen=True)
class _Carried:
    id: int
    at: datetime
    username: str
    action: str
    target: str
    detail: dict[str, Any]


def _checked_reason(reason: str) -> str:
    text = (reason or "").strip()
    if not text:
        raise ValidationError("reason", "恢复原因不能为空：请写明为什么要用备份替换当前数据库")
    if len(text) > REASON_MAX:
        raise ValidationError("reason", f"恢复原因不能超过{REASON_MAX}个字（现为{len(text)}个）")
    return text


def _backup_key(backup: Path, key: str | None, ctx_key: str | None) -> str | None:
    """The key that opens the backup: the one given, else today's database key (None: plain)."""
    return (key or ctx_key) if cipher.is_encrypted(backup) else None


@requires(Permission.RESTORE)
def restore_from(ctx: ServiceContext, backup: Path, reason: str, *, key: str | None = None) -> RestoreResult:
    """Replace the open SQLite database with a checked backup; nothing of the replaced one is lost.

    ``key``: the passphrase of an encrypted backup when it is not today's database key.
    Raises DomainError (nothing changed) for a bad backup or while another process has the
    database open, naming who.
    """
    reason = _checked_reason(reason)
    backup = Path(backup)
    backup_key = _backup_key(backup, key, ctx.db.key)
    check_backup(backup, backup_key)
    target = _sqlite_path(ctx)
    if not target.is_file() or target.stat().st_size == 0:  # a new PC: nothing to keep or carry
        target.unlink(missing_ok=True)
        result = restore_into(ctx, backup, target, reason, key=key)
        if backup_key != ctx.db.key:
            ctx.db.use_key(backup_key)
        return result
    _refuse_while_others_have_it(target)
    ctx.db.dispose()  # our own pooled connections must not hold the file either
    # An encrypted backup keeps its own key; a plain one (from before the encryption) gets today's.
    final_key = backup_key if backup_key is not None else ctx.db.key
    lock = _take_exclusively(target, ctx.db.key)
    temp = target.with_name(target.name + TEMP_SUFFIX)
    try:
        carried = _entries_missing_from(ctx, backup, backup_key)
        ctx.db.dispose()  # the read's connection closed: the lock's is the file's last
        kept = _keep_copy(target, ctx.db.key, ctx.now())
        lost = (carried[0].id, carried[-1].id) if carried else (None, None)
        detail = {"reason": reason, "backup": str(backup), "kept_copy": str(kept),
                  "lost_from": lost[0], "lost_to": lost[1], "carried": len(carried)}
        _build(ctx, backup, backup_key, final_key, temp, carried, detail)
    except BaseException:
        lock.close()
        _remove_database_files(temp)
        raise
    lock.close()  # the last connection: SQLite checkpoints and removes the WAL
    for suffix in ("-wal", "-shm"):  # a stale log must never be read into the restored file
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    os.replace(temp, target)
    if final_key != ctx.db.key:
        ctx.db.use_key(final_key)
    else:
        ctx.db.dispose()
    return RestoreResult(target, backup, kept, len(carried), *lost)


@requires(Permission.RESTORE)
def restore_into(ctx: ServiceContext, backup: Path, database: Path, reason: str, *,
                 key: str | None = None) -> RestoreResult:
    """Restore a checked backup as a new database file at ``database`` (a new PC, a second copy).

    An encrypted backup stays encrypted with its ``key``. Refused when ``database`` exists.
    """
    reason = _checked_reason(reason)
    backup, database = Path(backup), Path(database)
    backup_key = _backup_key(backup, key, ctx.db.key)
    check_backup(backup, backup_key)
    if database.exists():
        raise ValidationError("to", f"目标数据库文件已存在：{database}；恢复到新位置须指定一个新的文件名")
    database.parent.mkdir(parents=True, exist_ok=True)
    temp = database.with_name(database.name + TEMP_SUFFIX)
    detail = {"reason": reason, "backup": str(backup), "kept_copy": "", "lost_from": None, "lost_to": None,
              "carried": 0}
    try:
        _build(ctx, backup, backup_key, backup_key, temp, [], detail)
        os.replace(temp, database)
    except BaseException:
        _remove_database_files(temp)
        raise
    return RestoreResult(database, backup, None, 0, None, None)


def _refuse_while_others_have_it(target: Path) -> None:
    holders = presence.others(target)
    if holders:
        names = "、".join(h.describe() for h in holders)
        raise DomainError(f"数据库正被 {names}使用，请其退出后再恢复")


BUSY = "数据库正被其他程序使用（无法独占），请关闭其他使用该数据库的程序后再恢复"


def _take_exclusively(target: Path, key: str | None) -> Any:
    """A connection holding the database exclusively, its WAL emptied into the file first."""
    lock = cipher.connect(target, key, timeout=EXCLUSIVE_WAIT)
    try:
        lock.isolation_level = None
        # In WAL mode, as the app opens it: the exclusive lock stops writers, this process still reads.
        lock.execute("PRAGMA journal_mode=WAL").fetchone()
        busy = lock.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        if busy is not None and busy[0]:
            raise DomainError(BUSY)
        lock.execute("BEGIN EXCLUSIVE")
    except cipher.database_errors():
        lock.close()
        raise DomainError(BUSY) from None
    except BaseException:
        lock.close()
        raise
    return lock


def _backup_hashes(backup: Path, key: str | None) -> set[str]:
    conn = cipher.connect(backup, key, readonly=True)
    try:
        return {row[0] for row in conn.execute("SELECT hash FROM audit_entry")}
    except cipher.database_errors():
        return set()  # a backup from before the audit log
    finally:
        conn.close()


def _entries_missing_from(ctx: ServiceContext, backup: Path, key: str | None) -> list[_Carried]:
    """The replaced database's audit entries the backup does not hold, oldest first.

    For a backup of this database these are exactly the entries written after it was taken:
    the acts whose data the restore rolls back. Compared by hash, so a backup of another lineage
    (or one restored before) loses no entry either.
    """
    known = _backup_hashes(backup, key)
    with ctx.read() as session:
        ids = [entry_id for entry_id, digest in session.exec(
            select(AuditEntry.id, AuditEntry.hash).order_by(AuditEntry.id)) if digest not in known]
        carried: list[_Carried] = []
        for start in range(0, len(ids), 500):
            rows = session.exec(select(AuditEntry.id, AuditEntry.at, AuditEntry.username, AuditEntry.action,
                                       AuditEntry.target, AuditEntry.detail)
                                .where(AuditEntry.id.in_(ids[start:start + 500])).order_by(AuditEntry.id))
            carried.extend(_Carried(r[0], r[1], r[2], r[3], r[4], dict(r[5] or {})) for r in rows)
    return carried


def _keep_copy(target: Path, key: str | None, now: datetime) -> Path:
    """A complete copy of the database about to be replaced, beside it."""
    kept = target.with_name(f"{target.stem}-恢复前-{now:%Y%m%d-%H%M%S}{target.suffix}")
    number = 1
    while kept.exists():  # two restores in one second: each kept copy stays
        number += 1
        kept = target.with_name(f"{target.stem}-恢复前-{now:%Y%m%d-%H%M%S}-{number}{target.suffix}")
    partial = kept.with_name(kept.name + ".part")
    partial.unlink(missing_ok=True)
    # From a second connection: SQLite copies nothing from the one holding the write lock, and
    # with that lock held nobody else writes while this one reads.
    src = cipher.connect(target, key, readonly=True)
    try:
        dst = cipher.connect(partial, key)
        try:
            src.backup(dst)
        finally:
            dst.close()
    finally:
        src.close()
    os.replace(partial, kept)
    return kept


def _build(ctx: ServiceContext, backup: Path, backup_key: str | None, final_key: str | None, temp: Path,
           carried: list[_Carried], detail: dict[str, Any]) -> None:
    """The restored database in ``temp``: the backup, upgraded, the carried entries, the restore entry."""
    _remove_database_files(temp)  # a leftover of a crashed restore is never built upon
    src = cipher.connect(backup, backup_key, readonly=True)
    try:
        dst = cipher.connect(temp, backup_key)
        try:
            src.backup(dst)
        finally:
            dst.close()
    finally:
        src.close()
    if final_key is not None and backup_key is None:  # a backup from before the encryption
        cipher.encrypt_file(temp, final_key)
    db = Database(sqlite_url(temp), key=final_key, announce=False)
    try:
        upgrade(db)
        restored = ServiceContext(db, actor=ctx.actor, clock=ctx.clock)
        with restored.transaction() as session:
            for e in carried:
                # Unchanged, so the re-chained entry hashes as before (the restore entry names the range).
                audit.record(restored, session, e.action, e.target, e.detail, actor=e.username, at=e.at)
            audit.record(restored, session, "restore", str(backup), detail)
    finally:
        db.dispose()
    # Out of WAL mode: the file alone holds everything when it is moved (the app turns WAL back on).
    conn = cipher.connect(temp, final_key)
    try:
        conn.execute("PRAGMA journal_mode=DELETE").fetchone()
    finally:
        conn.close()


def _remove_database_files(path: Path) -> None:
    for name in (path, Path(f"{path}-wal"), Path(f"{path}-shm"), Path(f"{path}-journal")):
        with contextlib.suppress(OSError):
            name.unlink(missing_ok=True)
