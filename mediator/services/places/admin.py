"""Editing the places, organisations and mediators of the 区划网格 page (one transaction each).

Every failure a person can fix is a ``ValidationError`` whose path names the field
(``code``, ``name``, ``kind``, ``parent``, ``short``, ``phone``, ``active``) with a Chinese message.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, func, select

from mediator.domain.enums import CaseStatus, OrganizationKind, RegionLevel, VillageKind
from mediator.domain.errors import ConflictError, NotFoundError, ValidationError
from mediator.domain.validators import normalize_id_number, validate_id_number, validate_phone
from mediator.services.changes import REFERENCE, OpChanges, OpChangesWithCount, OpChangesWithId
from mediator.services.context import ServiceContext
from mediator.services.permissions import Permission, requires
from mediator.services.places.reference import check_region_code
from mediator.store.models import Case, Mediator, Organization, Region

# Cases still being handled or waiting for performance: a place holding one stays active.
UNFINISHED_STATUSES = (CaseStatus.REGISTERED, CaseStatus.ACCEPTED, CaseStatus.MEDIATING,
                       CaseStatus.AGREED)

# The level of a child, by the level of its parent.
CHILD_LEVEL = {
    RegionLevel.COUNTY: RegionLevel.TOWNSHIP,
    RegionLevel.TOWNSHIP: RegionLevel.VILLAGE,
    RegionLevel.VILLAGE: RegionLevel.GRID,
}
# Where a region may be moved to: the level of its new parent.
MOVABLE = {RegionLevel.GRID: RegionLevel.VILLAGE, RegionLevel.VILLAGE: RegionLevel.TOWNSHIP}

NAME_MAX = 100
SHORT_MAX = 20
PERSON_NAME_MAX = 50


# --- read models ------------------------------------------------------------------------------

@dataclass(frozen=True)
class RegionItem:
    """One place of the tree, active or not."""

    id: int
    code: str | None
    name: str
    level: RegionLevel
    kind: VillageKind | None
    parent_id: int | None
    active: bool
    version: int

    @property
    def kind_label(self) -> str:
        return self.kind.label if self.kind else ""


@dataclass(frozen=True)
class MediatorItem:
    id: int
    name: str
    phone: str | None
    active: bool
    version: int
    # For the conflict check when the mediator is assigned (回避): who they are, where they live.
    id_number: str | None = None
    village_id: int | None = None


@dataclass(frozen=True)
class OrganizationItem:
    id: int
    name: str
    kind: OrganizationKind
    short: str
    region_id: int
    active: bool
    version: int
    mediators: list[MediatorItem] = field(default_factory=list)


def region_tree(ctx: ServiceContext) -> list[RegionItem]:
    """Every place, active or not, parents before children (by level, then code; grids as made)."""
    order = {level.value: i for i, level in enumerate(RegionLevel)}
    with ctx.read() as session:
        rows = list(session.exec(select(Region)))
    rows.sort(key=lambda r: (order[r.level], r.code or "", r.id))
    return [RegionItem(r.id, r.code, r.name, RegionLevel(r.level),
                       VillageKind(r.kind) if r.kind else None, r.parent_id, r.active, r.version)
            for r in rows]


def organizations_at(ctx: ServiceContext, region_id: int) -> list[OrganizationItem]:
    """The organisations located at a place, each with its mediators."""
    with ctx.read() as session:
        orgs = list(session.exec(select(Organization).where(Organization.region_id == region_id)
                                 .order_by(Organization.id)))
        ids = [o.id for o in orgs]
        people: dict[int, list[MediatorItem]] = {}
        if ids:
            for m in session.exec(select(Mediator).where(Mediator.organization_id.in_(ids))
                                  .order_by(Mediator.id)):
                people.setdefault(m.organization_id, []).append(
                    MediatorItem(m.id, m.name, m.phone, m.active, m.version, m.id_number, m.village_id))
        return [OrganizationItem(o.id, o.name, OrganizationKind(o.kind), o.short, o.region_id,
                                 o.active, o.version, people.get(o.id, [])) for o in orgs]


@requires(Permission.REFERENCE_EDIT)
def unfinished_case_count(ctx: ServiceContext, region_id: int) -> int:
    """Cases not yet finished in a place or anywhere below it."""
    with ctx.read() as session:
        return _unfinished_cases(session, _subtree_ids(session, region_id))


# --- places -----------------------------------------------------------------------------------

@requires(Permission.REFERENCE_EDIT)
def add_region(ctx: ServiceContext, parent_id: int | None, *, name: str, code: str | None = None,
               kind: VillageKind | None = None) -> OpChangesWithId:
    """A new place under ``parent_id``: township (code), village (code and kind) or grid.

    Without a parent the place is a county (code required). Returns the new id with the change.
    """
    name = _clean_name(name)
    with ctx.transaction() as session:
        parent = _region(session, parent_id) if parent_id is not None else None
        if parent is None:
            level = RegionLevel.COUNTY
        else:
            parent_level = RegionLevel(parent.level)
            if parent_level not in CHILD_LEVEL:
                raise ValidationError("parent", "网格下不能再设下级区划")
            if not parent.active:
                raise ValidationError("parent", f"上级区划“{parent.name}”已停用，不能新增下级")
            level = CHILD_LEVEL[parent_level]
        _check_unique_name(session, parent.id if parent else None, name)
        stored_code = None
        if level is not RegionLevel.GRID:
            stored_code = (code or "").strip()
            _check_code(stored_code, level, parent.code if parent else None)
            _check_unique_code(session, stored_code)
        if level is RegionLevel.VILLAGE and kind is None:
            raise ValidationError("kind", "请选择村（社区）类型：城市社区、农村或园区")
        region = Region(code=stored_code, name=name, level=level.value,
                        kind=kind.value if level is RegionLevel.VILLAGE and kind else None,
                        parent_id=parent.id if parent else None)
        session.add(region)
        session.flush()
        return OpChangesWithId(reference=True, id=region.id)


@requires(Permission.REFERENCE_EDIT)
def rename_region(ctx: ServiceContext, region_id: int, name: str, *,
                  kind: VillageKind | None = None, expected_version: int | None = None) -> OpChanges:
    """重命名 a place; a village's kind may change with it."""
    name = _clean_name(name)
    with ctx.transaction() as session:
        region = _locked(session, region_id, expected_version)
        if kind is not None and region.level != RegionLevel.VILLAGE.value:
            raise ValidationError("kind", "只有村（社区）有类型")
        changed = False
        if name != region.name:
            _check_unique_name(session, region.parent_id, name, exclude=region.id)
            region.name, changed = name, True
        if kind is not None and kind.value != region.kind:
            region.kind, changed = kind.value, True
        if changed:
            _bump(session, region)
    return REFERENCE


@requires(Permission.REFERENCE_EDIT)
def move_region(ctx: ServiceContext, region_id: int, new_parent_id: int, *,
                new_code: str | None = None, expected_version: int | None = None) -> OpChanges:
    """Move a grid to another village, or a village to another township.

    A village's code starts with its township's code, so a village moved to another township
    needs ``new_code`` with the new prefix. A grid whose cases name its village stays where it is.
    """
    with ctx.transaction() as session:
        region = _locked(session, region_id, expected_version)
        level = RegionLevel(region.level)
        if level not in MOVABLE:
            raise ValidationError("parent", "只能移动网格或村（社区）")
        parent = _region(session, new_parent_id, path="parent")
        if parent.level != MOVABLE[level].value:
            raise ValidationError("parent", f"{level.label}只能移到{MOVABLE[level].label}下")
        if parent.id == region.parent_id:
            raise ValidationError("parent", f"“{region.name}”已在“{parent.name}”下")
        if not parent.active:
            raise ValidationError("parent", f"“{parent.name}”已停用")
        _check_unique_name(session, parent.id, region.name, exclude=region.id)
        if level is RegionLevel.GRID:
            cases = session.exec(select(func.count()).select_from(Case)
                                 .where(Case.grid_id == region.id)).one()
            if cases:
                raise ValidationError("parent", f"网格“{region.name}”已有{cases}件案件记录在原村（社区），"
                                                "不能移走；请在新村（社区）下新建网格")
        else:
            code = (new_code or "").strip()
            if not code:
                if region.code and region.code[:9] == (parent.code or "")[:9]:
                    code = region.code
                else:
                    raise ValidationError("code", f"移到“{parent.name}”须填写以"
                                                  f"{(parent.code or '')[:9]}开头的新区划代码")
            _check_code(code, level, parent.code)
            if code != region.code:
                _check_unique_code(session, code, exclude=region.id)
                region.code = code
        region.parent_id = parent.id
        _bump(session, region)
    return REFERENCE


@requires(Permission.REFERENCE_EDIT)
def set_region_active(ctx: ServiceContext, region_id: int, active: bool, *,
                      expected_version: int | None = None) -> OpChangesWithCount:
    """停用 a place with everything below it (refused while cases there are unfinished), or 启用.

    Enabling also enables what is below. Says how many places changed (``count``).
    """
    with ctx.transaction() as session:
        region = _locked(session, region_id, expected_version)
        ids = _subtree_ids(session, region.id)
        if active:
            if region.parent_id is not None:
                parent = _region(session, region.parent_id)
                if not parent.active:
                    raise ValidationError("active", f"上级区划“{parent.name}”已停用，请先启用上级")
        else:
            open_cases = _unfinished_cases(session, ids)
            if open_cases:
                raise ValidationError("active", f"“{region.name}”及其下级还有{open_cases}件未办结的案件，"
                                                "不能停用；请先办结或移送这些案件")
        changed = 0
        for row in session.exec(select(Region).where(Region.id.in_(ids))):
            if row.active != active:
                row.active = active
                _bump(session, row)
                changed += 1
        return OpChangesWithCount(reference=True, count=changed)


# --- organisations and mediators --------------------------------------------------------------

@requires(Permission.REFERENCE_EDIT)
def add_organization(ctx: ServiceContext, region_id: int, *, name: str, kind: OrganizationKind,
                     short: str) -> OpChangesWithId:
    name, short = _clean_org(name, short)
    with ctx.transaction() as session:
        region = _region(session, region_id, path="region")
        if region.level == RegionLevel.GRID.value:
            raise ValidationError("region", "调解组织应设在县、乡镇（街道）或村（社区），不设在网格")
        _check_org_name(session, name)
        org = Organization(name=name, kind=kind.value, region_id=region.id, short=short)
        session.add(org)
        session.flush()
        return OpChangesWithId(reference=True, id=org.id)


@requires(Permission.REFERENCE_EDIT)
def update_organization(ctx: ServiceContext, organization_id: int, *, name: str,
                        kind: OrganizationKind, short: str,
                        expected_version: int | None = None) -> OpChanges:
    """Rename an organisation or change its kind or short name (new case numbers use it)."""
    name, short = _clean_org(name, short)
    with ctx.transaction() as session:
        org = _locked_row(session, Organization, organization_id, expected_version,
                          "调解组织")
        if name != org.name:
            _check_org_name(session, name, exclude=org.id)
        org.name, org.kind, org.short = name, kind.value, short
        _bump(session, org)
    return REFERENCE


@requires(Permission.REFERENCE_EDIT)
def add_mediator(ctx: ServiceContext, organization_id: int, *, name: str,
                 phone: str | None = None, id_number: str | None = None,
                 village_id: int | None = None) -> OpChangesWithId:
    """A new mediator; the 身份证号 (its birth date) and home village feed the conflict check."""
    name = _clean_person(name)
    phone = _clean_phone(phone)
    id_number, birth = _clean_id_number(id_number, ctx)
    with ctx.transaction() as session:
        org = session.get(Organization, organization_id)
        if org is None:
            raise ValidationError("organization", "调解组织不存在")
        _check_mediator_name(session, org.id, name)
        _check_village(session, village_id)
        mediator = Mediator(name=name, organization_id=org.id, phone=phone, id_number=id_number,
                            birth_date=birth, village_id=village_id)
        session.add(mediator)
        session.flush()
        return OpChangesWithId(reference=True, id=mediator.id)


@requires(Permission.REFERENCE_EDIT)
def update_mediator(ctx: ServiceContext, mediator_id: int, *, name: str, phone: str | None,
                    expected_version: int | None = None, id_number: Any = ...,
                    village_id: Any = ...) -> OpChanges:
    """``id_number`` and ``village_id`` left out (``...``) stay as they are; None clears them."""
    name = _clean_person(name)
    phone = _clean_phone(phone)
    identity = None if id_number is ... else _clean_id_number(id_number, ctx)
    with ctx.transaction() as session:
        mediator = _locked_row(session, Mediator, mediator_id, expected_version, "调解员")
        if name != mediator.name:
            _check_mediator_name(session, mediator.organization_id, name, exclude=mediator.id)
        if identity is not None:
            mediator.id_number, mediator.birth_date = identity
        if village_id is not ...:
            _check_village(session, village_id)
            mediator.village_id = village_id
        mediator.name, mediator.phone = name, phone
        _bump(session, mediator)
    return REFERENCE


# --- helpers ----------------------------------------------------------------------------------

def _clean_name(name: str) -> str:
    name = (name or "").strip()
    if not name:
        raise ValidationError("name", "请填写名称")
    if len(name) > NAME_MAX:
        raise ValidationError("name", f"名称不能超过{NAME_MAX}个字")
    return name


def _clean_org(name: str, short: str) -> tuple[str, str]:
    name = _clean_name(name)
    short = (short or "").strip()
    if not short:
        raise ValidationError("short", "请填写案号简称，如“城关”")
    if len(short) > SHORT_MAX:
        raise ValidationError("short", f"案号简称不能超过{SHORT_MAX}个字")
    return name, short


def _clean_person(name: str) -> str:
    name = (name or "").strip()
    if not name:
        raise ValidationError("name", "请填写调解员姓名")
    if len(name) > PERSON_NAME_MAX:
        raise ValidationError("name", f"姓名不能超过{PERSON_NAME_MAX}个字")
    return name


def _clean_id_number(value: str | None, ctx: ServiceContext) -> tuple[str | None, Any]:
    """(number, birth date) of a mediator's 身份证号; (None, None) when left empty."""
    if value is None or not value.strip():
        return None, None
    info = validate_id_number(value, path="id_number", today=ctx.today())
    return normalize_id_number(value), info.birth_date


def _check_village(session: Session, village_id: int | None) -> None:
    if village_id is None:
        return
    region = session.get(Region, village_id)
    if region is None or region.level != RegionLevel.VILLAGE.value:
        raise ValidationError("village", "请选择调解员居住的村（社区）")


def _clean_phone(phone: str | None) -> str | None:
    if phone is None or not phone.strip():
        return None
    return validate_phone(phone, path="phone")


def _check_code(code: str, level: RegionLevel, parent_code: str | None) -> None:
    """The reference rule (12 digits, the parent's prefix), reported on ``code``/``parent``."""
    try:
        check_region_code(code, level, parent_code, "region")
    except ValidationError as e:
        raise ValidationError(e.path.removeprefix("region."), e.message) from None


def _region(session: Session, region_id: int, path: str = "region") -> Region:
    region = session.get(Region, region_id)
    if region is None:
        raise NotFoundError(f"区划（编号{region_id}）不存在", path)
    return region


def _locked(session: Session, region_id: int, expected_version: int | None) -> Region:
    return _locked_row(session, Region, region_id, expected_version, "区划")


def _locked_row(session: Session, model: type[Region] | type[Organization] | type[Mediator],
                row_id: int, expected_version: int | None, what: str) -> Any:
    row = session.get(model, row_id, with_for_update=True)
    if row is None:
        raise NotFoundError(f"{what}（编号{row_id}）不存在")
    if expected_version is not None and row.version != expected_version:
        raise ConflictError(f"{what}“{row.name}”已被他人修改，请重新载入后再改")
    return row


def _bump(session: Session, row: Region | Organization | Mediator) -> None:
    row.version += 1
    session.add(row)
    session.flush()


def _check_unique_name(session: Session, parent_id: int | None, name: str,
                       exclude: int | None = None) -> None:
    stmt = select(Region).where(Region.name == name,
                                Region.parent_id.is_(None) if parent_id is None
                                else Region.parent_id == parent_id)
    if exclude is not None:
        stmt = stmt.where(Region.id != exclude)
    if session.exec(stmt).first() is not None:
        raise ValidationError("name", f"同一上级下已有名为“{name}”的区划")


def _check_unique_code(session: Session, code: str, exclude: int | None = None) -> None:
    stmt = select(Region).where(Region.code == code)
    if exclude is not None:
        stmt = stmt.where(Region.id != exclude)
    other = session.exec(stmt).first()
    if other is not None:
        raise ValidationError("code", f"区划代码{code}已被“{other.name}”使用")


def _check_org_name(session: Session, name: str, exclude: int | None = None) -> None:
    stmt = select(Organization).where(Organization.name == name)
    if exclude is not None:
        stmt = stmt.where(Organization.id != exclude)
    if session.exec(stmt).first() is not None:
        raise ValidationError("name", f"已有名为“{name}”的调解组织")


def _check_mediator_name(session: Session, organization_id: int, name: str,
                         exclude: int | None = None) -> None:
    stmt = select(Mediator).where(Mediator.organization_id == organization_id, Mediator.name == name)
    if exclude is not None:
        stmt = stmt.where(Mediator.id != exclude)
    if session.exec(stmt).first() is not None:
        raise ValidationError("name", f"本组织已有调解员“{name}”")


def _subtree_ids(session: Session, region_id: int) -> list[int]:
    """The place and every place below it (the tree is at most four levels deep)."""
    ids, frontier = [region_id], [region_id]
    while frontier:
        frontier = list(session.exec(select(Region.id).where(Region.parent_id.in_(frontier))))
        ids.extend(frontier)
    return ids


def _unfinished_cases(session: Session, region_ids: list[int]) -> int:
    stmt = (select(func.count()).select_from(Case)
            .where(Case.status.in_([s.value for s in UNFINISHED_STATUSES]))
            .where(sa.or_(Case.village_id.in_(region_ids), Case.grid_id.in_(region_ids))))
    return session.exec(stmt).one()
