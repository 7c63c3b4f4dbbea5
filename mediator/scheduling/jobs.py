"""The scheduled jobs: each one calls services and returns plain data (no Qt, no sessions here)."""
from __future__ import annotations

import dataclasses
from datetime import datetime, time
from pathlib import Path

from mediator.services.cases.deadline_settings import apply_deadline_settings, recompute_if_changed
from mediator.services.context import SHANGHAI, ServiceContext
from mediator.services.permissions import Permission, can
from mediator.services.reminders.due import sync_reminders
from mediator.services.reminders.firing import fire_due
from mediator.services.reminders.notices import ReminderNotice
from mediator.services.reminders.sources import village_sources
from mediator.services.risk.alerts import AlertRow, alerts_to_tell
from mediator.services.risk.evaluate import scan_risks
from mediator.services.settings import all_settings


def reminder_scan(ctx: ServiceContext, owner: str, now: datetime, *, daily: time,
                  reason: str = "scan", data_folder: Path | None = None) -> ReminderNotice:
    """Catch up: load the office settings, recompute deadlines if settings or holidays changed,
    bring the reminder rows in step with the deadlines, and tell ``owner`` what newly fell due.
    """
    apply_deadline_settings(ctx, all_settings(ctx))
    recomputed = recompute_if_changed(ctx, data_folder)
    today = now.astimezone(SHANGHAI).date()
    # The village-level deadlines (the advisors' ledger read) once for the sync and the notice.
    village = village_sources(ctx, today) if today == ctx.today() else None
    synced = sync_reminders(ctx, village=village)
    # Right after the sync the reminder rows mirror the deadlines: only what is due now is read.
    notice = fire_due(ctx, owner, now, daily=daily, reason=reason, village=village)
    return dataclasses.replace(notice, synced=synced, recomputed=recomputed,
                               risk_alerts=risk_scan(ctx, owner, today, reason=reason))


# The scans that look for stalled high-risk cases: at start, daily, and on request (not every few minutes).
RISK_SCAN_REASONS = frozenset({"startup", "daily", "now"})


def risk_scan(ctx: ServiceContext, owner: str, today, *, reason: str = "daily") -> list[AlertRow]:
    """风险预警: run the time-based rule (daily with the reminders), then the warnings new to ``owner``
    when they supervise the office (所长, 管理员); other roles see theirs on the 风险预警 page."""
    if reason in RISK_SCAN_REASONS:
        scan_risks(ctx, today)
    if not can(ctx.user, Permission.CASE_SUPERVISE):
        return []
    return alerts_to_tell(ctx, owner)


__all__ = ["RISK_SCAN_REASONS", "reminder_scan", "risk_scan"]
