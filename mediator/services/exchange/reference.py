"""The reference data of an imported document: regions and grids, organisations, mediators,
advisors and their appointments, created or updated by name and code."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, select

from mediator.domain.enums import AdvisorKind, OrganizationKind, RegionLevel, VillageKind
from mediator.domain.errors import ValidationError
from mediator.domain.validators import validate_phone
from mediator.services.advisors.appointments import check_overlap
from mediator.services.exchange.document import ReadDocument
from mediator.services.exchange.reader import Reader
from mediator.services.places.reference import (
    ensure_appointment,
    ensure_grid,
    region_by_code,
    upsert_advisor,
    upsert_mediator,
    upsert_organization,
    upsert_region,
)
from mediator.store.models import Advisor, AdvisorAppointment


@dataclass
class ReferenceAdded:
    """How many reference items an import created (the rest existed and were updated)."""

    regions: int = 0
    organizations: int = 0
    mediators: int = 0
    advisors: int = 0


def apply_reference(session: Session, read: ReadDocument, errors: list[ValidationError]) -> ReferenceAdded:
    """Upsert the document's regions, grids, organisations, mediators and advisors (with their
    appointments); faults go to ``errors``."""
    result = ReferenceAdded()
    regions, orgs, mediators, advisors = read.regions, read.orgs, read.mediators, read.advisors
    reader = Reader()
    for path, d in regions:
        level = reader.enum(d, "level", path, RegionLevel, what="区划层级")
        kind = reader.enum(d, "kind", path, VillageKind, required=False, what="村（社区）类型")
        if level is RegionLevel.GRID:
            reader.fail(f"{path}.level", "网格请写在村（社区）的grids中")
            continue
        if level is None:
            continue
        try:
            region, created = upsert_region(
                session, code=d.get("code"), name=d.get("name") or "", level=level,
                parent_code=d.get("parent"), kind=kind, lat=d.get("lat"), lon=d.get("lon"), path=path)
            result.regions += created
            for j, grid in enumerate(reader.list_(d, "grids", path)):
                if level is not RegionLevel.VILLAGE:
                    reader.fail(f"{path}.grids", "只有村（社区）下设网格")
                    break
                if not isinstance(grid, str):
                    reader.fail(f"{path}.grids[{j}]", "网格名称应为字符串")
                    continue
                ensure_grid(session, region, grid, f"{path}.grids[{j}]")
        except ValidationError as e:
            errors.append(e)
    for path, d in orgs:
        kind = reader.enum(d, "kind", path, OrganizationKind, what="组织类型")
        if kind is None:
            continue
        try:
            _, created = upsert_organization(session, name=d.get("name") or "", kind=kind,
                                             region_code=d.get("region") or "", short=d.get("short") or "",
                                             path=path)
            result.organizations += created
        except ValidationError as e:
            errors.append(e)
    for path, d in mediators:
        phone = checked_phone(reader, d, path)
        try:
            _, created = upsert_mediator(session, name=d.get("name") or "",
                                         organization=d.get("organization") or "", phone=phone, path=path)
            result.mediators += created
        except ValidationError as e:
            errors.append(e)
    for path, d in advisors:
        kind = reader.enum(d, "kind", path, AdvisorKind, what="法律顾问类型")
        phone = checked_phone(reader, d, path)
        name = reader.text(d, "name", path)
        if kind is None or name is None:
            continue
        before = session.exec(select(Advisor.id)).all()
        advisor = upsert_advisor(session, name=name, kind=kind, firm=d.get("firm") or "",
                                 license_no=d.get("license_no"), phone=phone, path=path)
        result.advisors += advisor.id not in before
        for j, v in enumerate(reader.list_(d, "villages", path)):
            vpath = f"{path}.villages[{j}]"
            vd = reader.obj(v, vpath, {"code", "from", "to"})
            if vd is None:
                continue
            start, end = reader.day(vd, "from", vpath), reader.day(vd, "to", vpath)
            village = region_by_code(session, vd.get("code") or "")
            if village is None or village.level != RegionLevel.VILLAGE.value:
                reader.fail(f"{vpath}.code", f"村（社区）区划代码{vd.get('code')}不存在")
                continue
            if start and end:
                if end < start:
                    reader.fail(f"{vpath}.to", "聘期结束日期不能早于开始日期")
                    continue
                if not _same_appointment(session, advisor.id, village.id, start):
                    try:  # one current primary advisor per village and day, as in the GUI
                        check_overlap(session, village, advisor.id, start, end, True,
                                       path=f"{vpath}.from")
                    except ValidationError as e:
                        reader.errors.append(e)
                        continue
                ensure_appointment(session, advisor, village, start, end)
    errors.extend(reader.errors)
    return result


def _same_appointment(session: Session, advisor_id: int, village_id: int, start: date) -> bool:
    return session.exec(select(AdvisorAppointment.id).where(
        AdvisorAppointment.advisor_id == advisor_id, AdvisorAppointment.village_id == village_id,
        AdvisorAppointment.start == start)).first() is not None


def checked_phone(reader: Reader, d: dict, path: str) -> str | None:
    """The item's phone number, checked (a fault goes to ``reader``)."""
    phone = d.get("phone")
    if phone in (None, ""):
        return None
    try:
        return validate_phone(phone, path=f"{path}.phone")
    except ValidationError as e:
        reader.errors.append(e)
        return None
