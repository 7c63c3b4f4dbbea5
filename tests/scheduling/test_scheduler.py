"""The reminder scheduler with an injected clock: catch-up at start, exact date jobs, fired once.

No sleeping: each scan reports through a queue the test reads (with a timeout only as a guard).
"""
from __future__ import annotations

import queue
import subprocess
import sys
from datetime import date, datetime, time

import pytest

from mediator.domain.enums import Level
from mediator.scheduling.scheduler import ReminderScheduler
from mediator.services.cases import lifecycle as uc
from mediator.services.context import SHANGHAI
from tests.conftest import ROOT
from tests.helpers import case_input, seed_county

WAIT = 20  # seconds; a guard against a hang, never a pause


def at(day: int, hour: int, minute: int = 0, month: int = 11) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=SHANGHAI)


@pytest.fixture
def county_case(ctx):
    """A county-level people's case accepted Thu 10-15: only its handling clock, due Mon 11-16."""
    seed_county(ctx)
    case_id = uc.register_case(ctx, case_input(level=Level.COUNTY)).id
    uc.accept_case(ctx, case_id, date(2026, 10, 15))
    return ctx


class App:
    """One run of the desktop app: a scheduler whose notices land in a queue."""

    def __init__(self, ctx, folder, owner: str = "admin") -> None:
        self.notices: queue.Queue = queue.Queue()
        self.scheduler = ReminderScheduler(ctx, owner, self.notices.put, daily=time(8, 30),
                                           scan_every=5, data_folder=folder)

    def __enter__(self) -> App:
        self.scheduler.start()
        return self

    def __exit__(self, *_exc) -> None:
        self.scheduler.stop()

    def next_notice(self):
        return self.notices.get(timeout=WAIT)


def test_a_reminder_due_while_the_app_was_closed_fires_once_at_the_next_start(county_case, tmp_path):
    ctx = county_case
    ctx.clock.fixed = at(5, 10)  # the remind day is 11-13 (3 days before 11-16)
    with App(ctx, tmp_path) as app:
        first = app.next_notice()
        assert first.reason == "startup" and first.fired == []
        assert first.next_fire == at(13, 8, 30)
    ctx.clock.fixed = at(20, 9)  # the app was closed over the due date
    with App(ctx, tmp_path) as app:
        notice = app.next_notice()
        assert notice.reason == "startup"
        assert [(i.kind, i.due) for i in notice.fired] == [("handling", date(2026, 11, 16))]
        assert notice.counts.overdue == 1
        assert app.scheduler.run_scan("scan").fired == []  # the next scan does not fire it again
        assert app.next_notice().fired == []
    with App(ctx, tmp_path) as app:  # nor does the start after that
        assert app.next_notice().fired == []


def test_an_exact_date_job_fires_when_the_reminder_falls_due(county_case, tmp_path):
    ctx = county_case
    ctx.clock.fixed = at(13, 8)
    with App(ctx, tmp_path) as app:
        assert app.next_notice().fired == []
        jobs = app.scheduler.job_times()
        assert {"scan", "daily", "due"} <= set(jobs)
        assert app.scheduler.next_fire == at(13, 8, 30)
        ctx.clock.fixed = at(13, 8, 30)  # time passes on the injected clock
        app.scheduler.reschedule()
        notice = app.next_notice()
        assert notice.reason == "due"
        assert [i.kind for i in notice.fired] == ["handling"]
        assert notice.fired[0].days_left == 3


def test_the_jobs_are_set_up_as_the_office_settings_say(county_case, tmp_path):
    ctx = county_case
    ctx.clock.fixed = at(20, 9)
    app = App(ctx, tmp_path)
    with app:
        app.next_notice()
        scheduler = app.scheduler._scheduler
        scan, daily = scheduler.get_job("scan"), scheduler.get_job("daily")
        assert scan.trigger.interval.total_seconds() == 5 * 60
        assert str(daily.trigger.fields[5]) == "8" and str(daily.trigger.fields[6]) == "30"  # hour, minute
        for job in scheduler.get_jobs():
            assert job.misfire_grace_time is None and job.coalesce is True
            assert job.next_run_time.tzinfo is not None
        app.scheduler.scan_soon()
        assert app.next_notice().reason == "now"
    assert not app.scheduler.running


def test_the_scheduler_reads_its_times_from_the_settings(county_case, tmp_path):
    from mediator.services.settings import set_setting

    set_setting(county_case, "reminders.daily_time", "07:45")
    set_setting(county_case, "reminders.scan_minutes", 2)
    scheduler = ReminderScheduler(county_case, "admin", lambda _n: None, data_folder=tmp_path)
    assert scheduler.daily_time() == time(7, 45)
    scheduler.start()
    try:
        assert scheduler._scheduler.get_job("scan").trigger.interval.total_seconds() == 120
    finally:
        scheduler.stop()


def test_scheduling_never_imports_qt():
    code = ("import sys, mediator.scheduling.scheduler, mediator.scheduling.jobs; "
            "assert not [m for m in sys.modules if m.startswith('PySide6')]")
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)
