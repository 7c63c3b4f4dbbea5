"""Which office (司法所) an organisation belongs to, when several share one county server.

An office is an organisation with ``office_status`` set (the one the first run set up, and each
office that joined). Any other organisation belongs to the nearest office at or above its
region: a village committee to its township's office. None: the county (no office above it).
"""
from __future__ import annotations

from sqlmodel import Session, select

from mediator.services.context import ServiceContext
from mediator.store.models import Organization, Region

ACTIVE = "active"
PENDING = "pending"


def office_of(session: Session, organization_id: int | None) -> int | None:
    """The office of an organisation (itself when it is one); None: the county."""
    if organization_id is None:
        return None
    org = session.get(Organization, organization_id)
    if org is None:
        return None
    if org.office_status is not None:
        return org.id
    region_id: int | None = org.region_id
    seen: set[int] = set()
    while region_id is not None and region_id not in seen:
        seen.add(region_id)
        found = session.exec(select(Organization.id).where(
            Organization.region_id == region_id, Organization.office_status == ACTIVE)
            .order_by(Organization.id)).first()
        if found is not None:
            return found
        region_id = session.exec(select(Region.parent_id).where(Region.id == region_id)).first()
    return None


def user_office(ctx: ServiceContext) -> int | None:
    """The office of the logged-in user; None for the county (or no user: command line, jobs)."""
    user = ctx.user
    if user is None or user.organization_id is None:
        return None
    with ctx.read() as session:
        return office_of(session, user.organization_id)


def active_office_count(session: Session) -> int:
    return len(session.exec(select(Organization.id).where(Organization.office_status == ACTIVE)).all())


def is_county_level(session: Session, organization_id: int) -> bool:
    """Whether the organisation sits at county level (its region has no parent)."""
    region_id = session.exec(select(Organization.region_id)
                             .where(Organization.id == organization_id)).first()
    if region_id is None:
        return True
    return session.exec(select(Region.parent_id).where(Region.id == region_id)).first() is None
