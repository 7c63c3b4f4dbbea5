"""The reminder scheduler: APScheduler 3 ``BackgroundScheduler`` in the app, with an injectable clock.

Jobs (all run one at a time on one worker thread, ``misfire_grace_time=None, coalesce=True``):

- ``startup``: a catch-up scan right after start (what fell due while the app was closed);
- ``scan``: the same every few minutes (setting ``reminders.scan_minutes``);
- ``daily``: at the office's daily time (setting ``reminders.daily_time``);
- ``due``: a date job at the exact moment the next reminder falls due;
- ``now``: a scan on request (after the settings or reminders were changed);
- ``backup``: the daily backup at ``backup.daily_time`` (SQLite only; PostgreSQL uses pg_dump).

Every scan hands a ``ReminderNotice`` to ``on_notice`` on the worker thread; each reminder fires
once (the services remember who was told). Times are Asia/Shanghai and timezone-aware. The
injected clock gives the time the services see; APScheduler runs on the real clock, so job times
are moved by the difference between the two.
"""
from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import datetime, time, timedelta
from pathlib import Path

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.date import DateTrigger
from apscheduler.triggers.interval import IntervalTrigger

from mediator.scheduling.jobs import reminder_scan
from mediator.services.context import SHANGHAI, ServiceContext
from mediator.services.reminders.notices import ReminderNotice, daily_time, scan_minutes
from mediator.services.safety.backup import BackupInfo
from mediator.services.safety.backup_schedule import backup_job_time, scheduled_backup

log = logging.getLogger("mediator.scheduling")
JOB_DEFAULTS = {"misfire_grace_time": None, "coalesce": True, "max_instances": 1}


class ReminderScheduler:
    """Runs the reminder jobs in the background for one logged-in user.

    Args:
        ctx: the service context the jobs use.
        owner: whose notifications these are (the username; each reminder fires once per owner).
        on_notice: called on the worker thread with each scan's ``ReminderNotice``.
        clock: the current time (aware); default the context's clock. Tests inject their own.
        scan_every: minutes between scans; default the office setting.
        daily: the daily job's time; default the office setting.
        data_folder: where the per-machine files live (default the user data dir).
    """

    def __init__(self, ctx: ServiceContext, owner: str, on_notice: Callable[[ReminderNotice], None],
                 *, clock: Callable[[], datetime] | None = None, scan_every: int | None = None,
                 daily: time | None = None, data_folder: Path | None = None) -> None:
        self.ctx = ctx
        self.owner = owner
        self.on_notice = on_notice
        self.clock = clock or ctx.now
        self._scan_every = scan_every
        self._daily = daily
        self.data_folder = data_folder
        self._scheduler: BackgroundScheduler | None = None
        self._lock = threading.Lock()
        self._next_fire: datetime | None = None

    # --- life cycle ---------------------------------------------------------------------------
    @property
    def running(self) -> bool:
        return self._scheduler is not None

    def start(self) -> None:
        """Start the jobs; the catch-up scan runs at once on the worker thread."""
        if self._scheduler is not None:
            return
        every = self._scan_every or scan_minutes(self.ctx)
        daily = self.daily_time()
        scheduler = BackgroundScheduler(
            timezone=SHANGHAI, job_defaults=dict(JOB_DEFAULTS),
            executors={"default": ThreadPoolExecutor(max_workers=1)})
        scheduler.add_job(self.run_scan, DateTrigger(self._real_now(), timezone=SHANGHAI),
                          id="startup", args=["startup"])
        scheduler.add_job(self.run_scan, IntervalTrigger(minutes=every, timezone=SHANGHAI),
                          id="scan", args=["scan"])
        scheduler.add_job(self.run_scan, CronTrigger(hour=daily.hour, minute=daily.minute,
                                                     timezone=SHANGHAI),
                          id="daily", args=["daily"])
        self._scheduler = scheduler
        self._place_backup()
        scheduler.start()
        log.info("reminder scheduler started: scan every %s min, daily at %s", every, daily)

    def stop(self) -> None:
        """Stop the jobs, waiting for a running one to finish."""
        scheduler, self._scheduler = self._scheduler, None
        if scheduler is not None:
            scheduler.shutdown(wait=True)

    def daily_time(self) -> time:
        return self._daily or daily_time(self.ctx)

    # --- jobs ---------------------------------------------------------------------------------
    def run_scan(self, reason: str = "scan") -> ReminderNotice:
        """One scan (the body of every job); also callable directly."""
        with self._lock:
            notice = reminder_scan(self.ctx, self.owner, self.clock(), daily=self.daily_time(),
                                   reason=reason, data_folder=self.data_folder)
            self._schedule_due(notice.next_fire)
            if reason == "now":  # the settings may have changed: the backup time too
                self._place_backup()
        self.on_notice(notice)
        return notice

    def _place_backup(self) -> None:
        """(Re)place the daily backup job at the office's time; none on PostgreSQL (pg_dump)."""
        scheduler = self._scheduler
        if scheduler is None:
            return
        at = backup_job_time(self.ctx)
        if at is None:
            if scheduler.get_job("backup") is not None:
                scheduler.remove_job("backup")
            return
        trigger = CronTrigger(hour=at.hour, minute=at.minute, timezone=SHANGHAI)
        scheduler.add_job(self.run_backup, trigger, id="backup", replace_existing=True)

    def run_backup(self) -> BackupInfo | None:
        """The daily backup into the office's folder, keeping the newest N; a failure is logged."""
        try:
            return scheduled_backup(self.ctx, self.data_folder)
        except Exception:
            log.exception("scheduled backup failed")
            return None

    def scan_soon(self) -> None:
        """Ask for a scan now (e.g. after settings or reminders changed); coalesces repeats."""
        if self._scheduler is not None:
            self._scheduler.add_job(self.run_scan, DateTrigger(self._real_now(), timezone=SHANGHAI),
                                    id="now", args=["now"], replace_existing=True)

    def reschedule(self) -> None:
        """The clock jumped (or was moved in a test): place the ``due`` job again."""
        self._schedule_due(self._next_fire)

    # --- times --------------------------------------------------------------------------------
    def _real_now(self) -> datetime:
        return datetime.now(SHANGHAI)

    def to_real(self, moment: datetime) -> datetime:
        """``moment`` on the injected clock as a time on the real clock APScheduler runs on."""
        offset: timedelta = self.clock() - self._real_now()
        return max(moment - offset, self._real_now())

    def _schedule_due(self, next_fire: datetime | None) -> None:
        self._next_fire = next_fire
        scheduler = self._scheduler
        if scheduler is None:
            return
        if next_fire is None:
            if scheduler.get_job("due") is not None:
                scheduler.remove_job("due")
            return
        scheduler.add_job(self.run_scan, DateTrigger(self.to_real(next_fire), timezone=SHANGHAI),
                          id="due", args=["due"], replace_existing=True)

    def job_times(self) -> dict[str, datetime | None]:
        """Each job's next run time (real clock), for tests and the log."""
        if self._scheduler is None:
            return {}
        return {job.id: job.next_run_time for job in self._scheduler.get_jobs()}

    @property
    def next_fire(self) -> datetime | None:
        """When (on the injected clock) the next reminder falls due, as of the last scan."""
        return self._next_fire


__all__ = ["JOB_DEFAULTS", "ReminderScheduler"]
