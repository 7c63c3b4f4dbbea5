"""Backups of the SQLite database with the online backup API, and a checked restore.

A backup is consistent while the app writes. ``check_backup`` is what a restore
(``restore.py``) asks before it touches anything. PostgreSQL is backed up with pg_dump (see README); the app
refuses to claim a backup it cannot make.

Every backup carries the audit log's head as of its snapshot (``COUNT:HASH``): inside the copy
(its own ``audit.head``), in a sidecar ``<file>.anchor`` and in the live log's ``backup`` entry,
so a later ``audit verify --anchor-backup FILE`` shows whether the log still extends it.
"""
from __future__ import annotations

import contextlib
import json
import logging
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlmodel import SQLModel

from mediator.domain.errors import DomainError
from mediator.services import audit
from mediator.services.context import SHANGHAI, ServiceContext
from mediator.services.permissions import Permission, requires
from mediator.store import cipher, migrate
from mediator.store import models as _models  # noqa: F401 — every table in SQLModel.metadata

BACKUP_PREFIX = "mediator-backup-"
ANCHOR_SUFFIX = ".anchor"
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    size: int
    taken_at: datetime
    anchor: audit.AuditHead | None = None  # the audit head in the backup (None: not known)


def anchor_file(backup: Path) -> Path:
    """The sidecar ``<file>.anchor`` holding the backup's audit head as ``COUNT:HASH``."""
    backup = Path(backup)
    return backup.with_name(backup.name + ANCHOR_SUFFIX)


def _sqlite_path(ctx: ServiceContext) -> Path:
    if not ctx.db.is_sqlite:
        raise DomainError("PostgreSQL 数据库请由服务器管理员用 pg_dump 备份（见说明文档），本程序不做此类备份")
    database = ctx.db.engine.url.database
    if not database or database == ":memory:":
        raise DomainError("内存数据库无法备份")
    return Path(database)


@requires(Permission.BACKUP)
def backup_to(ctx: ServiceContext, target: Path) -> BackupInfo:
    """Copy the live database to ``target`` (a file, or a folder for a dated file name).

    The pages are copied from one of the app's own connections, under SQLite's locking: a
    consistent snapshot while others write. A failed backup leaves no partial file, is audited,
    and says in Chinese what to check.
    """
    _sqlite_path(ctx)
    target = Path(target)
    if target.is_dir():
        target = target / f"{BACKUP_PREFIX}{ctx.now():%Y%m%d-%H%M%S}.db"
    partial = target.with_name(target.name + ".part")
    sidecar = anchor_file(target)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        # The head of the copy itself: what this backup's log ends with, whatever was written
        # while it was taken.
        anchor = _copy_pages(ctx, partial)
        partial.replace(target)
        if anchor is not None:  # after the copy has its name: a kill never leaves a sidecar alone
            sidecar_part = sidecar.with_name(sidecar.name + ".part")
            sidecar_part.write_text(f"{anchor}\n", encoding="ascii")
            sidecar_part.replace(sidecar)
    except (OSError, *cipher.database_errors()) as e:
        with contextlib.suppress(OSError):
            partial.unlink(missing_ok=True)
            sidecar.unlink(missing_ok=True)
        try:
            audit.log(ctx, "backup.failed", str(target), {"error": f"{type(e).__name__}: {e}"})
        except Exception:  # the database itself may be what fails: the message matters more
            log.exception("could not audit a failed backup")
        raise DomainError(
            f"备份失败：无法写入 {target.parent}（{_reason(e)}）。"
            "请检查该文件夹是否存在、可写且磁盘空间充足，或在“备份文件夹”中另选位置后重试。") from e
    # Logged after the copy, so the live log goes on from the backup's head.
    audit.log(ctx, "backup", str(target), {"size": target.stat().st_size,
                                           "anchor": str(anchor) if anchor else ""})
    return BackupInfo(target, target.stat().st_size, ctx.now(), anchor)


def _file_head(path: Path, key: str | None) -> audit.AuditHead | None:
    """The audit head kept inside a database file (None before the audit log existed)."""
    conn = cipher.connect(path, key if cipher.is_encrypted(path) else None, readonly=True)
    try:
        return _head_of(conn)
    finally:
        conn.close()


def _head_of(conn) -> audit.AuditHead | None:
    try:
        row = conn.execute("SELECT value FROM setting WHERE key = ? AND organization_id IS NULL",
                           (audit.HEAD_KEY,)).fetchone()
        entries = conn.execute("SELECT count(*) FROM audit_entry").fetchone()[0]
    except cipher.database_errors():
        return None  # a file from before the audit log: nothing to anchor
    if row is None:
        return audit.AuditHead(0, audit.GENESIS) if entries == 0 else None
    value = json.loads(row[0]) if isinstance(row[0], str) else row[0]
    return audit.AuditHead(int(value["count"]), str(value["hash"]))


def _sidecar_head(backup: Path) -> audit.AuditHead | None:
    sidecar = anchor_file(backup)
    if not sidecar.is_file():
        return None
    return audit.parse_anchor(sidecar.read_text(encoding="ascii", errors="replace"), str(sidecar))


def read_sidecar(backup: Path) -> audit.AuditHead | None:
    """The head in a backup's ``.anchor`` file; None when it is missing or unreadable (a list)."""
    try:
        return _sidecar_head(backup)
    except (OSError, DomainError):
        return None


@requires(Permission.AUDIT_READ)
def backup_anchor(ctx: ServiceContext, path: Path) -> audit.AuditHead:
    """The audit head a backup file carries (for ``audit verify --anchor-backup``).

    Read from the file's own log head and checked against its ``.anchor`` sidecar: a
    mismatch means one of the two was changed since the backup was made.
    """
    path = Path(path)
    check_backup(path, ctx.db.key)
    inside = _file_head(path, ctx.db.key)
    beside = _sidecar_head(path)
    if inside is not None and beside is not None and inside != beside:
        raise DomainError(f"备份文件中的审计日志锚点（{inside}）与锚点文件 {anchor_file(path).name} 所记"
                          f"（{beside}）不一致：备份文件或锚点文件已被改动")
    if inside is None and beside is None:
        raise DomainError(f"备份文件 {path.name} 中没有审计日志锚点（备份时尚无审计日志）")
    return inside if inside is not None else beside  # type: ignore[return-value]


def _with_journals(file: Path) -> tuple[Path, ...]:
    """A SQLite file and the journal, WAL and shared-memory files a killed writer leaves beside it."""
    return (file, *(file.with_name(file.name + s) for s in ("-journal", "-wal", "-shm")))


def _copy_pages(ctx: ServiceContext, partial: Path) -> audit.AuditHead | None:
    """Copy the pages into ``partial``; returns the audit head the copy holds."""
    # A leftover of a crash is never appended to, nor its journal or WAL played into the new copy.
    for leftover in _with_journals(partial):
        leftover.unlink(missing_ok=True)
    # An encrypted database (store/cipher.py) is copied with its key: the backup stays encrypted.
    dst = cipher.connect(partial, ctx.db.key)
    try:
        raw = ctx.db.engine.raw_connection()  # the app's own driver: one SQLite library per file
        try:
            raw.driver_connection.backup(dst)
        finally:
            raw.close()
        # Read on the writing connection: a read-only one would leave -wal/-shm files behind.
        return _head_of(dst)
    finally:
        dst.close()


def _reason(e: BaseException) -> str:
    text = str(e).lower()
    if isinstance(e, PermissionError) or "readonly" in text or "permission" in text:
        return "没有写入权限"
    if "full" in text or getattr(e, "errno", None) == 28:
        return "磁盘空间不足"
    return "磁盘读写错误"


@requires(Permission.BACKUP)
def backup_rotating(ctx: ServiceContext, folder: Path, keep: int = 7) -> BackupInfo:
    """A dated backup in ``folder``, keeping the newest ``keep`` files."""
    Path(folder).mkdir(parents=True, exist_ok=True)
    info = backup_to(ctx, Path(folder))
    prune_backups(Path(folder), keep)
    return info


def taken_at_of(path: Path) -> datetime | None:
    """The time in a dated backup name (``mediator-backup-YYYYmmdd-HHMMSS.db``), else None."""
    try:
        taken = datetime.strptime(Path(path).stem[len(BACKUP_PREFIX):], "%Y%m%d-%H%M%S")
        return taken.replace(tzinfo=SHANGHAI)
    except ValueError:
        return None


def prune_backups(folder: Path, keep: int) -> list[Path]:
    """Delete all but the newest ``keep`` backups in ``folder``; returns the deleted files.

    Only files this program names (``mediator-backup-YYYYmmdd-HHMMSS.db``) are touched; the
    dated name sorts in time order, so the file system's times play no part. A removed
    backup's ``.anchor`` goes with it, and so do unfinished copies (``….db.part``, left by a
    killed backup) older than the newest complete backup: nothing ever finishes them.
    """
    folder = Path(folder)
    backups = sorted(p for p in folder.glob(f"{BACKUP_PREFIX}*.db") if taken_at_of(p))
    old = backups[:-keep] if keep > 0 else []
    newest = taken_at_of(backups[-1]) if backups else None
    if newest is not None:
        old += sorted(p for p in folder.glob(f"{BACKUP_PREFIX}*.db.part")
                      if (taken := taken_at_of(p.with_suffix(""))) is not None and taken < newest)
    removed = []
    for path in old:
        for file in _with_journals(path) if path.suffix == ".part" else (path,):
            if file.exists():
                file.unlink(missing_ok=True)
                removed.append(file)
        if path.suffix == ".db":
            sidecar = anchor_file(path)
            if sidecar.exists():
                sidecar.unlink(missing_ok=True)
                removed.append(sidecar)
    return removed


def check_backup(path: Path, key: str | None = None) -> str:
    """The schema revision of a sound backup file; DomainError for a damaged or foreign one.

    ``key``: the passphrase of an encrypted backup (ignored for a plain one).
    """
    from mediator.store.migrate import head_revision, known_revision

    path = Path(path)
    if not path.is_file():
        raise DomainError(f"找不到备份文件：{path}")
    encrypted = cipher.is_encrypted(path)
    if encrypted and key is None:
        raise DomainError("备份文件已加密，须用数据库密码才能检查和恢复")
    try:
        conn = cipher.connect(path, key if encrypted else None, readonly=True)
        try:
            result = conn.execute("PRAGMA integrity_check").fetchone()[0]
            orphan = conn.execute("PRAGMA foreign_key_check").fetchone()
            revision = conn.execute("SELECT version_num FROM alembic_version").fetchone()
            tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        finally:
            conn.close()
    except cipher.database_errors() as e:
        raise DomainError(f"备份文件已损坏或不是本程序的数据库：{e}") from None
    if result != "ok":
        raise DomainError(f"备份文件完整性检查未通过：{result}")
    if orphan is not None:
        raise DomainError(f"备份文件的数据关联不一致（数据表 {orphan[0]} 第{orphan[1]}行引用了不存在的记录），不能恢复")
    if revision is None or not known_revision(revision[0]):
        raise DomainError("备份文件的数据库版本比本程序新或无法识别，不能恢复")
    # A file that only looks like ours (a version row and little else) would break every
    # command after it: the tables every version has, and at the newest version all of them.
    wanted = set(SQLModel.metadata.tables) if revision[0] == head_revision() else CORE_TABLES
    missing = sorted(wanted - tables)
    if missing:
        raise DomainError(f"备份文件缺少数据表（{'、'.join(missing[:8])}{'等' if len(missing) > 8 else ''}），"
                          "不是完整的本程序数据库，不能恢复")
    return revision[0] if revision[0] else head_revision()


# Tables of the first schema (migration 0001): every backup of any version holds them.
CORE_TABLES = frozenset({
    "advisor", "person", "region", "advisor_appointment", "organization", "case_file", "case_number_counter",
    "mediator", "agreement", "attachment", "case_deadline", "case_link", "case_mediator", "case_party",
    "follow_up", "judicial_confirmation", "mediation_session", "performance", "timeline_event",
    "agreement_term"})


@dataclass(frozen=True)
class BackupSummary:
    """What a person checks before restoring: when the backup was taken and what it holds."""

    path: Path
    taken_at: datetime  # the file's time (the dated name of our own backups says the same)
    cases: int
    revision: str
    anchor: audit.AuditHead | None = None  # the audit head in the backup (None: none recorded)


@requires(Permission.BACKUP)
def describe_backup(ctx: ServiceContext, path: Path) -> BackupSummary:
    """Check a backup file and read its date and case count (DomainError for a bad file)."""
    path = Path(path)
    revision = check_backup(path, ctx.db.key)
    conn = cipher.connect(path, ctx.db.key if cipher.is_encrypted(path) else None, readonly=True)
    try:
        cases = conn.execute("SELECT count(*) FROM case_file").fetchone()[0]
    except cipher.database_errors():
        cases = 0  # a backup from before the first case table: nothing to count
    finally:
        conn.close()
    taken = datetime.fromtimestamp(path.stat().st_mtime, tz=ctx.now().tzinfo)
    return BackupSummary(path, taken, int(cases), revision, _file_head(path, ctx.db.key))


@dataclass(frozen=True)
class SchemaInfo:
    current: str | None
    head: str

    @property
    def is_current(self) -> bool:
        return self.current == self.head


def schema_info(ctx: ServiceContext) -> SchemaInfo:
    """The database's schema revision and the newest one this program knows."""
    return SchemaInfo(migrate.current_revision(ctx.db), migrate.head_revision())
