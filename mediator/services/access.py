"""Which cases a user may see (the role matrix says what they may do; this says on which cases).

- 管理员, and a context with no user (command line, scheduled jobs): every case; on a server
  shared by several offices, a township office's 管理员 sees the cases of that office only.
- 所长/主任 and 只读: the cases of the organisations whose region lies in the subtree of their own
  organisation's region (an account with no organisation: every case).
- 调解员: the cases of their organisation, and the cases where their linked mediator record
  (``User.mediator_id``) is one of the case's mediators.
- 法律顾问: the cases of the villages where their advisor record (``User.advisor_id``) holds an
  appointment running today, plus the cases the office sent them for review.
- 网格员: the cases they registered themselves (``Case.registered_by_id``).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, select

from mediator.domain.errors import NotFoundError, PermissionDenied
from mediator.domain.permissions import Role
from mediator.services.context import ServiceContext
from mediator.services.office_scope import active_office_count, is_county_level, office_of
from mediator.store.models import (
    AdvisorAppointment,
    AdvisorReview,
    Case,
    CaseMediator,
    Organization,
    Region,
    User,
)

OUTSIDE_ORGANIZATION = "该案件不属于您所在调解组织及下辖组织，无权查看或办理"
OUTSIDE_MEDIATOR = "该案件不属于您所在调解组织，也未指派给您，无权查看或办理"
OUTSIDE_GRID = "网格员只能查看本人登记的案件，该案件不是您登记的"
OUTSIDE_VILLAGES = "法律顾问只能查看所服务村（社区）的案件，该案件不在您的服务范围内"


def _user(ctx: ServiceContext, user: Any | None) -> Any | None:
    return ctx.user if user is None else user


def _role(user: Any | None) -> Role | None:
    if user is None:
        return None
    role = getattr(user, "role", None)
    return None if role is None else Role(getattr(role, "value", role))


def subtree_organization_ids(session: Session, organization_id: int) -> list[int]:
    """Organisations whose region is the given organisation's region or lies below it."""
    region_id = session.exec(select(Organization.region_id)
                             .where(Organization.id == organization_id)).first()
    if region_id is None:
        return [organization_id]
    tree = select(Region.id).where(Region.id == region_id).cte("region_subtree", recursive=True)
    tree = tree.union_all(select(Region.id).where(Region.parent_id == tree.c.id))
    return sorted(session.exec(select(Organization.id)
                               .where(Organization.region_id.in_(select(tree.c.id)))))


# --- 法律顾问: the villages they serve -------------------------------------------------------------

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


def is_advisor(user: Any | None) -> bool:
    role = getattr(user, "role", None)
    return role is not None and getattr(role, "value", role) == "advisor"


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


def advisor_scope_of(ctx: ServiceContext, user: Any | None = None) -> AdvisorScope | None:
    """The advisor scope of ``user`` (default: ``ctx.user``); None when the user is unrestricted."""
    user = _user(ctx, user)
    if not is_advisor(user):
        return None
    advisor_id = advisor_id_of(ctx, user)
    if advisor_id is None:
        return AdvisorScope(None, frozenset())
    with ctx.read() as session:
        return AdvisorScope(advisor_id, village_ids_served(session, advisor_id, ctx.today()))


def _check_advisor_case_visible(ctx: ServiceContext, user: Any | None, case_id: int) -> None:
    """Like ``check_case_visible`` for an advisor, with a message naming the case's village."""
    scope = advisor_scope_of(ctx, user)
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
            raise PermissionDenied(f"{OUTSIDE_VILLAGES}{where}")



# --- every role -------------------------------------------------------------------------------------

def case_condition(ctx: ServiceContext, user: Any | None = None) -> Any | None:
    """A SQL condition on ``Case`` selecting the cases ``user`` (default ``ctx.user``) may see.

    None means unrestricted: add no condition at all.
    """
    user = _user(ctx, user)
    role = _role(user)
    if role is None:
        return None
    if role is Role.ADMIN:
        return _office_admin_condition(ctx, user)
    if role is Role.ADVISOR:
        scope = advisor_scope_of(ctx, user)
        return None if scope is None else scope.case_condition()
    if role is Role.GRID_WORKER:
        return Case.registered_by_id == user.id
    if role in (Role.HEAD, Role.READONLY):
        if user.organization_id is None:
            return None
        with ctx.read() as session:
            return Case.organization_id.in_(subtree_organization_ids(session, user.organization_id))
    # 调解员: their organisation's cases, and cases they were assigned to as a mediator.
    with ctx.read() as session:
        mediator_id = session.exec(select(User.mediator_id).where(User.id == user.id)).first()
    conditions = []
    if user.organization_id is not None:
        conditions.append(Case.organization_id == user.organization_id)
    if mediator_id is not None:
        conditions.append(Case.id.in_(select(CaseMediator.case_id)
                                      .where(CaseMediator.mediator_id == mediator_id)))
    return sa.or_(*conditions) if conditions else sa.false()


def _office_admin_condition(ctx: ServiceContext, user: Any) -> Any | None:
    """管理员: every case, except on a server shared by several offices, where an administrator
    of a township's office sees the cases of that office (a county-level one sees them all)."""
    if user.organization_id is None:
        return None
    with ctx.read() as session:
        if active_office_count(session) < 2:
            return None
        office = office_of(session, user.organization_id)
        if office is None or is_county_level(session, office):
            return None
        return Case.organization_id.in_(subtree_organization_ids(session, office))


def restrict_cases(ctx: ServiceContext, stmt: Any, user: Any | None = None) -> Any:
    """``stmt`` (a select over ``Case``) limited to the cases the user may see."""
    condition = case_condition(ctx, user)
    return stmt if condition is None else stmt.where(condition)


def visible_case_ids(ctx: ServiceContext, case_ids: list[int], user: Any | None = None) -> set[int]:
    """Which of ``case_ids`` the user may see."""
    condition = case_condition(ctx, user)
    if condition is None:
        return set(case_ids)
    if not case_ids:
        return set()
    with ctx.read() as session:
        return set(session.exec(select(Case.id).where(Case.id.in_(list(case_ids)), condition)))


def check_case_visible(ctx: ServiceContext, user: Any | None, case_id: int) -> None:
    """Raise PermissionDenied (a Chinese sentence) unless ``user`` may see the case.

    Args:
        user: the user to check; None means ``ctx.user`` (and no user at all is unrestricted).
        case_id: the case (NotFoundError when it does not exist).
    """
    user = _user(ctx, user)
    role = _role(user)
    if role is Role.ADVISOR:  # its message names the village
        _check_advisor_case_visible(ctx, user, case_id)
        return
    condition = case_condition(ctx, user)
    if condition is None:
        return
    with ctx.read() as session:
        if session.get(Case, case_id) is None:
            raise NotFoundError(f"案件（编号{case_id}）不存在")
        visible = session.exec(select(Case.id).where(Case.id == case_id, condition)).first()
    if visible is None:
        raise PermissionDenied(OUTSIDE_GRID if role is Role.GRID_WORKER
                               else OUTSIDE_MEDIATOR if role is Role.MEDIATOR
                               else OUTSIDE_ORGANIZATION)


__all__ = ["AdvisorScope", "advisor_id_of", "advisor_scope_of", "case_condition", "check_case_visible",
           "is_advisor", "restrict_cases", "subtree_organization_ids", "village_ids_served",
           "visible_case_ids"]
