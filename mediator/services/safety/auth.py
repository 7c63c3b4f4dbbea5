"""Accounts: the first-run office set-up, login with argon2id hashes, lockout after failures."""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlmodel import func, select

from mediator.domain import region_codes
from mediator.domain.enums import OrganizationKind, RegionLevel, VillageKind
from mediator.domain.errors import DomainError, ValidationError, ValidationErrors
from mediator.domain.permissions import Role
from mediator.services import audit
from mediator.services.context import CurrentUser, ServiceContext
from mediator.services.office_scope import ACTIVE, PENDING
from mediator.services.permissions import Permission, requires
from mediator.services.places.reference import upsert_organization, upsert_region
from mediator.services.settings import set_setting
from mediator.store.models import Organization, User

MAX_FAILED_LOGINS = 5
LOCKOUT = timedelta(minutes=15)
_hasher = PasswordHasher()  # argon2id with the library's recommended parameters


class LoginError(DomainError):
    """Wrong name or password, or a locked account."""


def password_problems(password: str) -> list[str]:
    """Why a password is too weak (empty list when it is acceptable)."""
    problems = []
    if len(password) < 8:
        problems.append("密码至少8位")
    if not any(c.isalpha() for c in password) or not any(c.isdigit() for c in password):
        problems.append("密码须同时包含字母和数字")
    return problems


def hash_password(password: str) -> str:
    """The argon2id hash stored for a password."""
    return _hasher.hash(password)


def is_first_run(ctx: ServiceContext) -> bool:
    with ctx.read() as session:
        return session.exec(select(func.count()).select_from(User)).one() == 0


@dataclass
class OfficeSetup:
    """What the first-run wizard asks."""

    office_name: str  # e.g. 城关镇司法所
    organization_name: str  # e.g. 城关镇人民调解委员会
    organization_kind: OrganizationKind
    organization_short: str  # e.g. 城关 (used in case numbers)
    county_code: str
    county_name: str
    township_code: str
    township_name: str
    admin_username: str
    admin_display_name: str
    admin_password: str


def setup_office(ctx: ServiceContext, data: OfficeSetup) -> CurrentUser:
    """Create the office's place, organisation, settings and first administrator (one transaction)."""
    errors = []
    if not data.office_name.strip():
        errors.append(ValidationError("office_name", "请填写单位名称"))
    if not data.admin_username.strip() or not data.admin_username.isascii():
        errors.append(ValidationError("admin_username", "用户名须为字母或数字"))
    if not data.admin_display_name.strip():
        errors.append(ValidationError("admin_display_name", "请填写管理员姓名"))
    for problem in password_problems(data.admin_password):
        errors.append(ValidationError("admin_password", problem))
    county_code = township_code = ""
    try:
        county_code = region_codes.county_code(data.county_code)
        if data.township_code.strip():
            township_code = region_codes.township_code(data.township_code, county_code)
    except ValidationError as e:
        errors.append(e)
    if errors:
        raise ValidationErrors(errors)
    data = replace(data, county_code=county_code, township_code=township_code)
    with ctx.transaction() as session:
        if session.exec(select(func.count()).select_from(User)).one():
            raise DomainError("系统已初始化，不能重复设置")
        try:
            upsert_region(session, code=data.county_code, name=data.county_name,
                          level=RegionLevel.COUNTY, parent_code=None, path="county")
            region_code = data.county_code
            if data.township_code:
                upsert_region(session, code=data.township_code, name=data.township_name,
                              level=RegionLevel.TOWNSHIP, parent_code=data.county_code, path="township")
                region_code = data.township_code
            org, _ = upsert_organization(session, name=data.organization_name,
                                         kind=data.organization_kind, region_code=region_code,
                                         short=data.organization_short, path="organization")
        except ValidationError as e:
            raise ValidationErrors([e]) from None
        org.office_status = ACTIVE  # the first office on this database
        session.add(org)
        user = User(username=data.admin_username.strip(), display_name=data.admin_display_name.strip(),
                    password_hash=_hasher.hash(data.admin_password), role=Role.ADMIN.value,
                    organization_id=org.id, created_at=ctx.now())
        session.add(user)
        session.flush()
        set_setting(ctx, "office.name", data.office_name.strip())
        set_setting(ctx, "office.organization", org.name)
        audit.record(ctx, session, "setup", data.office_name.strip(),
                     {"organization": org.name, "admin": user.username})
        return _current(user)


@requires(Permission.ACCOUNTS)
def create_user(ctx: ServiceContext, *, username: str, display_name: str, password: str, role: Role,
                organization_id: int | None) -> CurrentUser:
    errors = [ValidationError("password", p) for p in password_problems(password)]
    if not username.strip() or not username.isascii():
        errors.append(ValidationError("username", "用户名须为字母或数字"))
    if errors:
        raise ValidationErrors(errors)
    with ctx.transaction() as session:
        if session.exec(select(User).where(User.username == username.strip())).first():
            raise ValidationErrors([ValidationError("username", f"用户名“{username}”已被使用")])
        user = User(username=username.strip(), display_name=display_name.strip() or username,
                    password_hash=_hasher.hash(password), role=role.value,
                    organization_id=organization_id, created_at=ctx.now())
        session.add(user)
        session.flush()
        return _current(user)


def authenticate(ctx: ServiceContext, username: str, password: str) -> CurrentUser:
    """The user for these credentials; a wrong password counts towards the lockout."""
    with ctx.transaction() as session:
        stmt = select(User).where(User.username == username.strip())
        if session.get_bind().dialect.name == "postgresql":
            # Wrong passwords at once count one after another (SQLite: BEGIN IMMEDIATE does it).
            stmt = stmt.with_for_update()
        user = session.exec(stmt).first()
        now = ctx.now()
        if user is None:
            raise LoginError("用户名或密码错误")
        if not user.active:  # the right password learns why; a wrong one learns nothing
            try:
                _hasher.verify(user.password_hash, password)
            except (VerificationError, InvalidHashError):
                raise LoginError("用户名或密码错误") from None
            if _office_pending(session, user):
                raise LoginError("本所加入县级数据库的申请尚待服务器管理员批准，批准后方可登录")
            raise LoginError("账号已停用，请联系管理员")
        if user.locked_until is not None and user.locked_until > now:
            minutes = max(1, int((user.locked_until - now).total_seconds() // 60) + 1)
            raise LoginError(f"连续输错密码{MAX_FAILED_LOGINS}次，账号已锁定，请{minutes}分钟后再试")
        try:
            _hasher.verify(user.password_hash, password)
        except (VerificationError, InvalidHashError):
            user.failed_logins += 1
            if user.failed_logins >= MAX_FAILED_LOGINS:
                user.locked_until = now + LOCKOUT
                user.failed_logins = 0
            session.add(user)
            left = MAX_FAILED_LOGINS - user.failed_logins
            hint = (f"（再错{left}次将锁定{int(LOCKOUT.total_seconds() // 60)}分钟）"
                    if user.locked_until is None or user.locked_until <= now else "，账号已锁定15分钟")
            audit.record(ctx, session, "login.failed", user.username)
            # The failure count must persist even though login fails: commit, then raise.
            session.commit()
            raise LoginError(f"用户名或密码错误{hint}") from None
        user.failed_logins = 0
        user.locked_until = None
        if _hasher.check_needs_rehash(user.password_hash):
            user.password_hash = _hasher.hash(password)
        session.add(user)
        audit.record(ctx, session, "login", user.username, actor=user.display_name)
        return _current(user)


def _office_pending(session, user: User) -> bool:
    if user.organization_id is None:
        return False
    org = session.get(Organization, user.organization_id)
    return org is not None and org.office_status == PENDING


def _current(user: User) -> CurrentUser:
    return CurrentUser(user.id, user.username, user.display_name, Role(user.role), user.organization_id,
                       bool(user.must_change_password))


__all__ = ["CurrentUser", "LoginError", "OfficeSetup", "Role", "VillageKind", "authenticate",
           "create_user", "is_first_run", "password_problems", "setup_office"]

