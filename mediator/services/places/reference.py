"""Reference data: regions (county → township → village → grid), organisations, mediators.

Upserts follow the exchange rule: a row with the same key is kept and must agree.
"""
from __future__ import annotations

import re
from datetime import date

from sqlmodel import Session, select

from mediator.domain.enums import AdvisorKind, OrganizationKind, RegionLevel, VillageKind
from mediator.domain.errors import ValidationError
from mediator.store.models import Advisor, AdvisorAppointment, Mediator, Organization, Region

_CODE = re.compile(r"^\d{12}$")
# Digits of the code a child shares with its parent, by the parent's level.
_PREFIX = {RegionLevel.COUNTY: 6, RegionLevel.TOWNSHIP: 9}
_PARENT_LEVEL = {
    RegionLevel.TOWNSHIP: RegionLevel.COUNTY,
    RegionLevel.VILLAGE: RegionLevel.TOWNSHIP,
}


def region_by_code(session: Session, code: str) -> Region | None:
    return session.exec(select(Region).where(Region.code == code)).first()


def grid_by_name(session: Session, village_id: int, name: str) -> Region | None:
    return session.exec(
        select(Region).where(Region.parent_id == village_id, Region.name == name,
                             Region.level == RegionLevel.GRID.value)
    ).first()


def organization_by_name(session: Session, name: str) -> Organization | None:
    return session.exec(select(Organization).where(Organization.name == name)).first()


def mediator_by_name(session: Session, organization_id: int, name: str) -> Mediator | None:
    return session.exec(
        select(Mediator).where(Mediator.organization_id == organization_id, Mediator.name == name)
    ).first()


def require_organization(session: Session, name: str, path: str = "organization") -> Organization:
    org = organization_by_name(session, name)
    if org is None:
        raise ValidationError(path, f"调解组织“{name}”不存在")
    return org


def check_region_code(code: str, level: RegionLevel, parent_code: str | None, path: str) -> None:
    """A 12-digit code whose prefix is its parent's (DOMAIN.md, region codes)."""
    if not isinstance(code, str) or not _CODE.match(code):
        raise ValidationError(f"{path}.code", "区划代码应为12位数字")
    if level is RegionLevel.COUNTY:
        if parent_code is not None:
            raise ValidationError(f"{path}.parent", "县级区划不应有上级")
        return
    expected = _PARENT_LEVEL[level]
    if parent_code is None:
        raise ValidationError(f"{path}.parent", f"{level.label}必须有上级区划")
    digits = _PREFIX[expected]
    if code[:digits] != parent_code[:digits]:
        raise ValidationError(f"{path}.code", f"区划代码{code}与上级{parent_code}的前{digits}位不一致")


def upsert_region(
    session: Session,
    *,
    code: str,
    name: str,
    level: RegionLevel,
    parent_code: str | None,
    kind: VillageKind | None = None,
    lat: float | None = None,
    lon: float | None = None,
    path: str = "region",
) -> tuple[Region, bool]:
    """Insert a region or check that the existing one agrees; returns (row, created)."""
    check_region_code(code, level, parent_code, path)
    if not name or not name.strip():
        raise ValidationError(f"{path}.name", "区划名称不能为空")
    parent = None
    if parent_code is not None:
        parent = region_by_code(session, parent_code)
        if parent is None:
            raise ValidationError(f"{path}.parent", f"上级区划{parent_code}不存在")
        if parent.level != _PARENT_LEVEL[level].value:
            raise ValidationError(f"{path}.parent", f"上级区划{parent_code}不是{_PARENT_LEVEL[level].label}")
    if level is RegionLevel.VILLAGE and kind is None:
        raise ValidationError(f"{path}.kind", "村（社区）须注明类型（城市社区、农村或园区）")
    existing = region_by_code(session, code)
    if existing is not None:
        if existing.level != level.value:
            raise ValidationError(f"{path}.level",
                                  f"区划{code}已存在，层级为“{RegionLevel(existing.level).label}”，与文件不符")
        if (parent.id if parent else None) != existing.parent_id:
            raise ValidationError(f"{path}.parent", f"区划{code}已存在，上级区划与文件不符")
        return existing, False
    region = Region(code=code, name=name.strip(), level=level.value,
                    kind=kind.value if kind else None,
                    parent_id=parent.id if parent else None, lat=lat, lon=lon)
    session.add(region)
    session.flush()
    return region, True


def ensure_grid(session: Session, village: Region, name: str, path: str = "grid") -> Region:
    if not name or not name.strip():
        raise ValidationError(path, "网格名称不能为空")
    grid = grid_by_name(session, village.id, name.strip())
    if grid is None:
        grid = Region(name=name.strip(), level=RegionLevel.GRID.value, parent_id=village.id)
        session.add(grid)
        session.flush()
    return grid


def upsert_organization(
    session: Session, *, name: str, kind: OrganizationKind, region_code: str, short: str,
    path: str = "organization",
) -> tuple[Organization, bool]:
    if not name or not name.strip():
        raise ValidationError(f"{path}.name", "组织名称不能为空")
    if not short or not short.strip():
        raise ValidationError(f"{path}.short", "组织简称（用于案号）不能为空")
    region = region_by_code(session, region_code)
    if region is None:
        raise ValidationError(f"{path}.region", f"区划{region_code}不存在")
    existing = organization_by_name(session, name)
    if existing is not None:
        if existing.kind != kind.value:
            raise ValidationError(f"{path}.kind", f"组织“{name}”已存在，类型与文件不符")
        if existing.region_id != region.id:
            raise ValidationError(f"{path}.region", f"组织“{name}”已存在，所在区划与文件不符")
        return existing, False
    org = Organization(name=name.strip(), kind=kind.value, region_id=region.id, short=short.strip())
    session.add(org)
    session.flush()
    return org, True


def upsert_mediator(
    session: Session, *, name: str, organization: str, phone: str | None, path: str = "mediator"
) -> tuple[Mediator, bool]:
    if not name or not name.strip():
        raise ValidationError(f"{path}.name", "调解员姓名不能为空")
    org = require_organization(session, organization, f"{path}.organization")
    existing = mediator_by_name(session, org.id, name.strip())
    if existing is not None:
        return existing, False
    mediator = Mediator(name=name.strip(), organization_id=org.id, phone=phone)
    session.add(mediator)
    session.flush()
    return mediator, True


def upsert_advisor(
    session: Session, *, name: str, kind: AdvisorKind, firm: str, license_no: str | None,
    phone: str | None, path: str = "advisor",
) -> Advisor:
    existing = None
    if license_no:
        existing = session.exec(select(Advisor).where(Advisor.license_no == license_no)).first()
    if existing is None:
        existing = session.exec(
            select(Advisor).where(Advisor.name == name, Advisor.phone == phone)
        ).first()
    if existing is not None:
        return existing
    advisor = Advisor(name=name, kind=kind.value, firm=firm or "", license_no=license_no,
                      phone=phone)
    session.add(advisor)
    session.flush()
    return advisor


def ensure_appointment(
    session: Session, advisor: Advisor, village: Region, start: date, end: date
) -> AdvisorAppointment:
    existing = session.exec(
        select(AdvisorAppointment).where(
            AdvisorAppointment.advisor_id == advisor.id,
            AdvisorAppointment.village_id == village.id,
            AdvisorAppointment.start == start,
        )
    ).first()
    if existing is not None:
        return existing
    appointment = AdvisorAppointment(advisor_id=advisor.id, village_id=village.id, start=start, end=end)
    session.add(appointment)
    session.flush()
    return appointment


