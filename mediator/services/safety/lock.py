"""Locking the window after idle time: the audit entries and the password check to unlock.

Every role may lock and unlock its own session, so both need only CASE_READ (every role has it).
"""
from __future__ import annotations

from mediator.domain.errors import DomainError
from mediator.domain.permissions import Permission
from mediator.services import audit
from mediator.services.context import CurrentUser, ServiceContext
from mediator.services.permissions import requires
from mediator.services.safety.auth import authenticate


@requires(Permission.CASE_READ)
def record_lock(ctx: ServiceContext, username: str, reason: str = "idle") -> None:
    """Audit that ``username``'s window was locked (``reason``: idle, or manual)."""
    audit.log(ctx, "lock", str(username or ""), {"reason": str(reason or "idle")})


@requires(Permission.CASE_READ)
def unlock_session(ctx: ServiceContext, username: str, password: str) -> CurrentUser:
    """Check the password of the user whose window is locked; a wrong one counts towards lockout.

    Raises LoginError with the Chinese message of ``authenticate`` (wrong password, locked account).
    """
    if ctx.user is not None and username != ctx.user.username:
        raise DomainError("只有当前登录的用户才能解锁")
    with ctx.transaction() as session:
        # authenticate joins this transaction; on a wrong password it commits the failure count itself.
        user = authenticate(ctx, str(username or ""), password or "")
        audit.record(ctx, session, "unlock", user.username)
        return user


__all__ = ["record_lock", "unlock_session"]
