"""The office's backup plan (SQLite): a folder, a daily time and how many backups to keep.

The scheduler's daily job and the 立即备份 button both take a dated backup into the folder
and then keep only the newest N. PostgreSQL is backed up by the server's administrator with
pg_dump (README); there the plan reports itself unsupported and no job runs.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import time
from pathlib import Path

from mediator import config
from mediator.domain.errors import DomainError
from mediator.domain.permissions import Permission
from mediator.services.context import ServiceContext
from mediator.services.permissions import requires
from mediator.services.safety.backup import (
    BACKUP_PREFIX,
    BackupInfo,
    backup_to,
    prune_backups,
    read_sidecar,
    taken_at_of,
)
from mediator.services.settings import get_setting

DEFAULT_BACKUP_TIME = time(22, 0)
PG_NOTE = "PostgreSQL 数据库由服务器管理员用 pg_dump 备份（见说明文档），本程序不做此类备份"


@dataclass(frozen=True)
class BackupPlan:
    folder: Path
    daily_time: time
    keep: int
    supported: bool  # False on PostgreSQL (and for an in-memory database)
    note: str = ""  # why backups are not made here


def default_folder(data_folder: Path | None = None) -> Path:
    """``backups`` in the user data dir (or in ``data_folder``, the per-machine folder)."""
    return (data_folder or config.data_dir()) / "backups"


def _supported(ctx: ServiceContext) -> tuple[bool, str]:
    if not ctx.db.is_sqlite:
        return False, PG_NOTE
    database = ctx.db.engine.url.database
    if not database or database == ":memory:":
        return False, "内存数据库无法备份"
    return True, ""


@requires(Permission.BACKUP)
def backup_plan(ctx: ServiceContext, data_folder: Path | None = None) -> BackupPlan:
    """The plan from the settings ``backup.folder``, ``backup.daily_time`` and ``backup.keep``."""
    folder_text = str(get_setting(ctx, "backup.folder") or "").strip()
    text = str(get_setting(ctx, "backup.daily_time") or "").strip()
    try:
        hours, minutes = (int(p) for p in text.split(":"))
        daily = time(hours, minutes)
    except ValueError:
        daily = DEFAULT_BACKUP_TIME
    keep = max(1, int(get_setting(ctx, "backup.keep") or 1))
    supported, note = _supported(ctx)
    folder = Path(folder_text).expanduser() if folder_text else default_folder(data_folder)
    return BackupPlan(folder, daily, keep, supported, note)


@requires(Permission.BACKUP)
def list_backups(ctx: ServiceContext, data_folder: Path | None = None) -> list[BackupInfo]:
    """The backups in the plan's folder, newest first."""
    plan = backup_plan(ctx, data_folder)
    if not plan.folder.is_dir():
        return []
    out = []
    for path in sorted(plan.folder.glob(f"{BACKUP_PREFIX}*.db"), reverse=True):
        taken = taken_at_of(path)
        if taken is not None:
            out.append(BackupInfo(path, path.stat().st_size, taken, read_sidecar(path)))
    return out


@requires(Permission.BACKUP)
def backup_now(ctx: ServiceContext, data_folder: Path | None = None) -> BackupInfo:
    """A dated backup into the plan's folder, then only the newest N are kept (立即备份 and the job).

    Raises DomainError on PostgreSQL (backups there are made with pg_dump).
    """
    plan = backup_plan(ctx, data_folder)
    if not plan.supported:
        raise DomainError(plan.note)
    plan.folder.mkdir(parents=True, exist_ok=True)  # backup_to names a dated file only in a folder
    info = backup_to(ctx, plan.folder)
    prune_backups(plan.folder, plan.keep)
    return info


def _job_context(ctx: ServiceContext) -> ServiceContext:
    # The job acts as the system (no user: unrestricted), under its own name in the audit log.
    return ServiceContext(ctx.db, actor="定时备份", clock=ctx.clock, calendar=ctx.calendar)


def backup_job_time(ctx: ServiceContext) -> time | None:
    """When the daily backup job runs; None where this program makes no backups (PostgreSQL)."""
    plan = backup_plan(_job_context(ctx))
    return plan.daily_time if plan.supported else None


def scheduled_backup(ctx: ServiceContext, data_folder: Path | None = None) -> BackupInfo | None:
    """The daily job's body: a backup as the system; None on PostgreSQL."""
    job_ctx = _job_context(ctx)
    if not _supported(job_ctx)[0]:
        return None
    return backup_now(job_ctx, data_folder)


__all__ = ["DEFAULT_BACKUP_TIME", "PG_NOTE", "BackupPlan", "backup_job_time", "backup_now",
           "backup_plan", "default_folder", "list_backups", "prune_backups", "scheduled_backup"]
