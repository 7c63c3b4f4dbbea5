"""The acting user as the database has it now: a role change or a deactivation counts at once.

``ctx.user`` is what the login returned; an administrator may since have changed the account's
role, organisation or name, or deactivated it. Every permission check calls ``refresh_user`` first:
one small SELECT by primary key (skipped when the same transaction already checked), so the
account's next action runs with what it is now, and a deactivated account is refused.
"""
from __future__ import annotations

from dataclasses import replace

from sqlmodel import select

from mediator.domain.errors import AccountDisabled
from mediator.domain.permissions import Role
from mediator.services.context import CurrentUser, ServiceContext
from mediator.store.models import User

DISABLED = "账号已停用，请联系管理员"


def refresh_user(ctx: ServiceContext) -> CurrentUser | None:
    """Re-read ``ctx.user``'s row and update ``ctx.user``; raise AccountDisabled when it is off.

    A user whose row is missing (or holds another username) is left as it is: accounts are never
    deleted, only deactivated, so that is a test's stand-in user, not a removed account.
    """
    user = ctx.user
    if user is None:
        return None
    open_session = getattr(ctx._local, "session", None)
    if open_session is not None and getattr(ctx._local, "user_checked_in", None) is open_session:
        return user
    with ctx.read() as session:
        row = session.exec(select(User.username, User.display_name, User.role, User.organization_id,
                                  User.active, User.must_change_password)
                           .where(User.id == user.id)).first()
    if row is None or row[0] != user.username:
        return user
    _, display_name, role, organization_id, active, must_change = row
    if not active:
        raise AccountDisabled(DISABLED)
    fresh = replace(user, display_name=display_name, role=Role(role), organization_id=organization_id,
                    must_change_password=bool(must_change))
    if fresh != user:
        if ctx.actor == user.display_name:
            ctx.actor = display_name
        ctx.user = fresh
    if open_session is not None:
        ctx._local.user_checked_in = open_session
    return fresh


__all__ = ["DISABLED", "refresh_user"]
