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
    actor = checked_actor(actor)
    db = Database(url)
    if check_schema and current_revision(db) != head_revision():
        raise DomainError("数据库尚未初始化或版本过旧，请先运行：mediator-cli init")
    ctx = ServiceContext(db, actor=actor)
    if check_schema:
        ctx.calendar = load_calendar()
        apply_deadline_settings(ctx, all_settings(ctx))
    return ctx


ACTOR_MAX = 50  # the width of every "who" column (timeline, records, audit)


def checked_actor(actor: str) -> str:
    """The name written as who did it (``--user``): trimmed, printable, at most ``ACTOR_MAX`` characters."""
    from mediator.domain.errors import ValidationError

    name = (actor or "").strip()
    if not name or not name.isprintable():
        raise ValidationError("user", "操作人（--user）应为可打印的文字，不能为空")
    if len(name) > ACTOR_MAX:
        raise ValidationError("user", f"操作人（--user）不能超过{ACTOR_MAX}个字符（现为{len(name)}个）")
    return name


def initialize(ctx: ServiceContext) -> str:
    """Migrate the database to the newest schema; returns where it is (for the message)."""
    upgrade(ctx.db)
    return ctx.db.display_url()


def grant_app_role(ctx: ServiceContext, role: str) -> list[str]:
    """``mediator-cli db grant-app-role ROLE``, run as the schema's owner; audited."""
    from mediator.services import audit
    from mediator.store.roles import grant_app_role as grant

    schema, statements = grant(ctx.db, role)
    audit.log(ctx, "db.grant_app_role", role.strip(), {"schema": schema})
    return statements


NAMED_ACTOR_NEEDED = "连接县级数据库时必须用 --as 指明操作人"
PASSWORD_RESET = "该账号的密码已被重置，请先在程序中登录并修改密码，再用 --as 操作"


def needs_named_actor(ctx: ServiceContext, command: str, subcommand: str | None = None) -> bool:
    """Whether a command on this database must name its user (``--as``).

    A county's PostgreSQL database is shared: every command acts as a person, except ``init``,
    ``db`` (the owner's schema work: the database's own privileges decide) and the first
    ``user add`` (no administrator exists yet). A local SQLite file keeps the system actor.
    """
    if ctx.db.is_sqlite or command in ("init", "db"):
        return False
    if command == "user" and subcommand == "add":
        from sqlmodel import func, select

        from mediator.domain.permissions import Role
        from mediator.store.models import User

        with ctx.read() as session:
            admins = session.exec(select(func.count()).select_from(User).where(
                User.role == Role.ADMIN.value, User.active == True)).one()  # noqa: E712
        return admins > 0
    return True


def act_as(ctx: ServiceContext, username: str, password: str) -> ServiceContext:
    """Log ``username`` in on the context: its permissions, scope and masking; audited under its name.

    Raises LoginError (a Chinese sentence) for a wrong password or a locked or deactivated account.
    """
    from mediator.services.safety.auth import authenticate

    user = authenticate(ctx, username, password)
    if user.must_change_password:
        raise DomainError(PASSWORD_RESET)
    ctx.user = user
    ctx.actor = user.display_name
    ctx.db.announce(user.display_name)  # a restore elsewhere names who has the database open
    return ctx
