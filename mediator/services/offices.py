"""Several offices (司法所) on one county server: a new office asks to join, an administrator of
the server approves (or refuses) it, then its own administrator logs in.

A request creates the office's organisation (``office_status`` pending, inactive), its own
settings (name, seal text) and its first administrator (inactive) in one transaction; nothing
of it can be used before an approval.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import delete, select

from mediator.domain import region_codes
from mediator.domain.enums import OrganizationKind, RegionLevel
from mediator.domain.errors import (
    DomainError,
    NotFoundError,
    PermissionDenied,
    ValidationError,
    ValidationErrors,
)
from mediator.domain.permissions import Role
from mediator.domain.validators import text_problem
from mediator.services import audit
from mediator.services.changes import OpChanges
from mediator.services.context import CurrentUser, ServiceContext
from mediator.services.office_scope import ACTIVE, PENDING
from mediator.services.permissions import Permission, requires
from mediator.services.places.reference import upsert_organization, upsert_region
from mediator.services.safety.auth import hash_password, password_problems
from mediator.services.settings import office_value
from mediator.store.models import Organization, Region, Setting, User, setting_row


@dataclass
class JoinRequest:
    """What 「加入已有的县级数据库」 asks of a new office."""

    office_name: str  # 单位名称, e.g. 河口镇司法所
    organization_name: str  # its mediation committee; empty: the office name
    short: str  # 案号简称, e.g. 河口
    seal_text: str  # 印章文字; may be empty (the default seal line)
    township_code: str
    township_name: str
    admin_username: str
    admin_display_name: str
    admin_password: str


def has_offices(ctx: ServiceContext) -> bool:
    """Whether the database already holds an office (a new PC may then join it)."""
    with ctx.read() as session:
        return session.exec(select(Organization.id).where(
            Organization.office_status == ACTIVE)).first() is not None


def county_of_server(ctx: ServiceContext) -> tuple[str, str] | None:
    """The county (code, name) the server's offices belong to."""
    with ctx.read() as session:
        row = session.exec(select(Region).where(Region.level == RegionLevel.COUNTY.value)
                           .order_by(Region.id)).first()
        return None if row is None else (row.code or "", row.name)


def _problems(data: JoinRequest) -> list[ValidationError]:
    found = []
    for path, label, value in (("office_name", "单位名称", data.office_name), ("short", "案号简称", data.short),
                               ("township_code", "乡镇（街道）代码", data.township_code),
                               ("township_name", "乡镇（街道）名称", data.township_name)):
        if not value.strip():
            found.append(ValidationError(path, f"请填写{label}"))
    for path, label, value, size in (("office_name", "单位名称", data.office_name, 100),
                                     ("short", "案号简称", data.short, 20),
                                     ("seal_text", "印章文字", data.seal_text, 500)):
        problem = text_problem(value.strip(), path=path, label=label, max_length=size)
        if problem is not None and value.strip():
            found.append(problem)
    if not data.admin_username.strip() or not data.admin_username.isascii():
        found.append(ValidationError("admin_username", "用户名须为字母或数字"))
    if not data.admin_display_name.strip():
        found.append(ValidationError("admin_display_name", "请填写管理员姓名"))
    found += [ValidationError("admin_password", p) for p in password_problems(data.admin_password)]
    return found


def request_join(ctx: ServiceContext, data: JoinRequest) -> str:
    """File a new office's request to join; returns its name. Waits for ``approve_office``."""
    errors = _problems(data)
    county = county_of_server(ctx)
    if county is None:
        raise DomainError("数据库中还没有县级区划，请先按“首次使用设置”建立第一个司法所")
    township = ""
    if data.township_code.strip():
        try:
            township = region_codes.township_code(data.township_code, county[0])
        except ValidationError as e:
            errors.append(ValidationError("township_code", e.message))
    if errors:
        raise ValidationErrors(errors)
    name = data.office_name.strip()
    org_name = data.organization_name.strip() or name
    with ctx.transaction() as session:
        if session.exec(select(User.id).where(User.username == data.admin_username.strip())).first():
            raise ValidationErrors([ValidationError("admin_username",
                                                    f"用户名“{data.admin_username.strip()}”已被使用")])
        if session.exec(select(Organization.id).where(Organization.name == org_name)).first():
            raise ValidationErrors([ValidationError("office_name", f"“{org_name}”已在本数据库中")])
        try:
            upsert_region(session, code=township, name=data.township_name.strip(),
                          level=RegionLevel.TOWNSHIP, parent_code=county[0], path="township_code")
            org, _ = upsert_organization(session, name=org_name, kind=OrganizationKind.TOWNSHIP_COMMITTEE,
                                         region_code=township, short=data.short.strip(), path="office_name")
        except ValidationError as e:
            raise ValidationErrors([ValidationError(e.path.split(".")[0], e.message)]) from None
        org.office_status = PENDING
        org.active = False
        session.add(org)
        session.flush()
        for key, value in (("office.name", name), ("office.organization", org_name),
                           ("office.seal_text", data.seal_text.strip()), ("office.address", ""),
                           ("office.phone", "")):
            session.add(Setting(key=key, organization_id=org.id, value=value))
        session.add(User(username=data.admin_username.strip(), display_name=data.admin_display_name.strip(),
                         password_hash=hash_password(data.admin_password), role=Role.ADMIN.value,
                         organization_id=org.id, active=False, created_at=ctx.now()))
        audit.record(ctx, session, "office.request", name,
                     {"organization": org_name, "short": org.short, "admin": data.admin_username.strip()},
                     actor=data.admin_display_name.strip())
    return name


@dataclass(frozen=True)
class OfficeRow:
    """An office as the 待批准 list and ``mediator-cli office list`` show it."""

    id: int
    name: str  # 单位名称 (its own setting), else the organisation's name
    organization: str
    short: str
    township: str
    status: str  # active | pending
    admins: tuple[str, ...]
    requested_at: datetime | None

    @property
    def status_label(self) -> str:
        return "待批准" if self.status == PENDING else "已启用"


@requires(Permission.ACCOUNTS)
def office_rows(ctx: ServiceContext, pending_only: bool = False) -> list[OfficeRow]:
    with ctx.read() as session:
        query = select(Organization, Region.name).join(Region, Region.id == Organization.region_id)
        query = query.where(Organization.office_status == PENDING) if pending_only else \
            query.where(Organization.office_status.is_not(None))
        out = []
        for org, township in session.exec(query.order_by(Organization.id)):
            named = office_value(session, "office.name", org.id)
            users = list(session.exec(select(User).where(User.organization_id == org.id,
                                                         User.role == Role.ADMIN.value).order_by(User.id)))
            out.append(OfficeRow(org.id, str(named or org.name), org.name,
                                 org.short, township, org.office_status, tuple(u.username for u in users),
                                 users[0].created_at if users else None))
    return out


def _pending(session, name: str) -> Organization:
    """The pending office called ``name`` (its 单位名称 or its organisation's name)."""
    for org in session.exec(select(Organization).where(Organization.office_status == PENDING)):
        named = setting_row(session, "office.name", org.id)
        if name.strip() in (org.name, named.value if named else None):
            return org
    raise NotFoundError(f"没有待批准的“{name}”加入申请")


@requires(Permission.ACCOUNTS)
def approve_office(ctx: ServiceContext, name: str) -> OpChanges:
    """Approve a pending office: it and its administrator become active."""
    with ctx.transaction() as session:
        org = _pending(session, name)
        org.office_status = ACTIVE
        org.active = True
        org.version += 1
        session.add(org)
        admins = list(session.exec(select(User).where(User.organization_id == org.id)))
        for user in admins:
            user.active = True
            user.version += 1
            session.add(user)
        audit.record(ctx, session, "office.approve", name.strip(),
                     {"organization": org.name, "admins": [u.username for u in admins]})
    return OpChanges(reference=True)


@requires(Permission.ACCOUNTS)
def refuse_office(ctx: ServiceContext, name: str) -> OpChanges:
    """Refuse a pending office: its request (organisation, settings, account) is removed."""
    with ctx.transaction() as session:
        org = _pending(session, name)
        users = [u.username for u in session.exec(select(User).where(User.organization_id == org.id))]
        session.exec(delete(User).where(User.organization_id == org.id))
        session.exec(delete(Setting).where(Setting.organization_id == org.id))
        session.delete(org)
        audit.record(ctx, session, "office.refuse", name.strip(), {"organization": org.name, "admins": users})
    return OpChanges(reference=True)


def acting_admin(ctx: ServiceContext, username: str) -> CurrentUser:
    """The active administrator ``username`` a command acts as (``--as``); refused otherwise."""
    with ctx.read() as session:
        user = session.exec(select(User).where(User.username == username.strip())).first()
        if user is None or not user.active:
            raise PermissionDenied(f"没有可用的账号“{username}”")
        if user.role != Role.ADMIN.value:
            raise PermissionDenied(f"“{username}”不是管理员，不能批准司法所加入")
        return CurrentUser(user.id, user.username, user.display_name, Role(user.role), user.organization_id)


def office_id(ctx: ServiceContext, name: str) -> int:
    """The office called ``name`` (its 单位名称 or its organisation's name)."""
    with ctx.read() as session:
        for org in session.exec(select(Organization).where(Organization.office_status.is_not(None))):
            if name.strip() in (org.name, office_value(session, "office.name", org.id)):
                return org.id
    raise NotFoundError(f"没有名为“{name}”的司法所")
