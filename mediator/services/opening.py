"""Opening a database for the command line and scheduled jobs: the schema check and the office's calendar."""
from __future__ import annotations

from mediator.domain.errors import DomainError
from mediator.services.cases.deadline_settings import apply_deadline_settings, load_calendar
from mediator.services.context import ServiceContext
from mediator.services.settings import all_settings
from mediator.store.db import Database
from mediator.store.migrate import current_revision, head_revision, upgrade


def open_context(url: str, *, actor: str, check_schema: bool = True) -> ServiceContext:
    """A context on ``url``; with ``check_schema``, refuse a database that is not migrated to head.

    The context computes deadlines with the office's copy of the holidays and its deadline settings,
    exactly as the app does.
    """
    db = Database(url)
    if check_schema and current_revision(db) != head_revision():
        raise DomainError("数据库尚未初始化或版本过旧，请先运行：mediator-cli init")
    ctx = ServiceContext(db, actor=actor)
    if check_schema:
        ctx.calendar = load_calendar()
        apply_deadline_settings(ctx, all_settings(ctx))
    return ctx


def initialize(ctx: ServiceContext) -> str:
    """Migrate the database to the newest schema; returns where it is (for the message)."""
    upgrade(ctx.db)
    return ctx.db.display_url()
