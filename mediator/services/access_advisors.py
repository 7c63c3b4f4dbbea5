"""What a legal advisor may read: the cases of the villages they serve (enforced in the services).

A user with the role ``advisor`` is linked to an advisor record (``User.advisor_id``). They see
the cases of the villages where that advisor holds an appointment running today, plus the cases
the office explicitly sent them for review (the office may route a review to another advisor).
This module answers for advisors only (every other user is "unrestricted" here); the scopes of
all roles, this one included, are ``case_scope``'s, which the services call.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, select

from mediator.domain.errors import NotFoundError, PermissionDenied
from mediator.services.context import ServiceContext
from mediator.store.models import AdvisorAppointment, AdvisorReview, Case, Region, User

ADVISOR_ROLE = "advisor"
OUTSIDE_MESSAGE = "法律顾问只能查看所服务村（社区）的案件，该案件不在您的服务范围内"


@dataclass(frozen=True)
class AdvisorScope:
    """The cases one advisor may read: by village, and single cases sent to them for review."""

    advisor_id: int | None  # None: an advisor account not linked to an advisor record
    village_ids: frozenset[int]

    def case_condition(self) -> Any:
        """A SQL condition on ``Case`` selecting exactly the visible cases."""
        if self.advisor_id is None:
            return sa.false()
        reviewed = select(AdvisorReview.case_id).where(AdvisorReview.advisor_id == self.advisor_id)
        if not self.village_ids:
            return Case.id.in_(reviewed)
        return sa.or_(Case.village_id.in_(sorted(self.village_ids)), Case.id.in_(reviewed))


def _user(ctx: ServiceContext, user: Any | None) -> Any | None:
    return ctx.user if user is None else user


def is_advisor(user: Any | None) -> bool:
    role = getattr(user, "role", None)
    return role is not None and getattr(role, "value", role) == ADVISOR_ROLE


def advisor_id_of(ctx: ServiceContext, user: Any) -> int | None:
    """The advisor record linked to this account (None when there is none)."""
    with ctx.read() as session:
        return session.exec(select(User.advisor_id).where(User.id == user.id)).first()


def village_ids_served(session: Session, advisor_id: int, on: date) -> frozenset[int]:
    """Villages where the advisor holds an appointment running on ``on``."""
    return frozenset(session.exec(
        select(AdvisorAppointment.village_id).where(
            AdvisorAppointment.advisor_id == advisor_id,
            AdvisorAppointment.start <= on, AdvisorAppointment.end >= on)))


def scope_of(ctx: ServiceContext, user: Any | None = None) -> AdvisorScope | None:
    """The advisor scope of ``user`` (default: ``ctx.user``); None when the user is unrestricted."""
    user = _user(ctx, user)
    if not is_advisor(user):
        return None
    advisor_id = advisor_id_of(ctx, user)
    if advisor_id is None:
        return AdvisorScope(None, frozenset())
    with ctx.read() as session:
        return AdvisorScope(advisor_id, village_ids_served(session, advisor_id, ctx.today()))


def check_case_visible(ctx: ServiceContext, user: Any | None, case_id: int) -> None:
    """Raise PermissionDenied (Chinese message) unless ``user`` may read the case.

    Args:
        user: the user to check; None means ``ctx.user`` (and no user at all is unrestricted).
        case_id: the case.
    """
    scope = scope_of(ctx, user)
    if scope is None:
        return
    with ctx.read() as session:
        case = session.get(Case, case_id)
        if case is None:
            raise NotFoundError(f"案件（编号{case_id}）不存在")
        visible = session.exec(select(Case.id).where(Case.id == case_id, scope.case_condition())).first()
        if visible is None:
            village = session.get(Region, case.village_id)
            where = f"（{village.name}）" if village else ""
            raise PermissionDenied(f"{OUTSIDE_MESSAGE}{where}")


__all__ = ["ADVISOR_ROLE", "AdvisorScope", "advisor_id_of", "check_case_visible", "is_advisor",
           "scope_of", "village_ids_served"]
