"""People and accounts: the administrator adds accounts, edits them, resets passwords, deactivates
and unlocks; each account acts as a mediator, advisor or grid record where its role needs one.

Login itself stays in ``auth``. Every change here is one transaction with an audit entry; a stale
edit (its ``version``) is refused with a conflict message. The acting account's role and state
are re-read on each call (``acting_user``), so a change counts at the user's next action.
"""
from __future__ import annotations

from dataclasses import dataclass

from argon2.exceptions import InvalidHashError, VerificationError
from sqlmodel import Session, func, select

from mediator.domain.enums import RegionLevel
from mediator.domain.errors import (
    ConflictError,
    DomainError,
    NotFoundError,
    ValidationError,
    ValidationErrors,
)
from mediator.domain.permissions import Role
from mediator.services import audit
from mediator.services.changes import REFERENCE, OpChanges
from mediator.services.context import ServiceContext
from mediator.services.permissions import Permission, requires
from mediator.services.safety.auth import _hasher, password_problems
from mediator.store.models import Advisor, Mediator, Organization, Region, User

# Roles whose account must belong to an organisation (an admin or an advisor may stand outside one).
NEEDS_ORGANIZATION = {Role.HEAD, Role.MEDIATOR, Role.GRID_WORKER, Role.READONLY}
# Which record each role may act as.
MEDIATOR_ROLES = {Role.MEDIATOR, Role.HEAD}


@dataclass(frozen=True)
class AccountInput:
    """What the 新增账号 / 编辑 dialog and ``mediator-cli user add`` ask."""

    username: str
    display_name: str
    role: Role
    organization_id: int | None = None
    mediator_id: int | None = None
    advisor_id: int | None = None
    grid_id: int | None = None
    password: str = ""  # only for a new account


@dataclass(frozen=True)
class AccountRow:
    """One account as the 人员与账号 table and ``user list --json`` show it."""

    id: int
    username: str
    display_name: str
    role: Role
    organization_id: int | None
    organization: str
    mediator_id: int | None
    advisor_id: int | None
    grid_id: int | None
    acts_as: str  # 对应人员: 调解员李建国 / 法律顾问陈立新 / 网格一网格
    active: bool
    locked: bool
    must_change_password: bool
    version: int

    @property
    def state_label(self) -> str:
        if not self.active:
            return "已停用"
        if self.locked:
            return "已锁定"
        return "须改密码" if self.must_change_password else "启用"

    def as_json(self) -> dict:
        return {"id": self.id, "username": self.username, "display_name": self.display_name,
                "role": self.role.value, "role_label": self.role.label,
                "organization": self.organization, "acts_as": self.acts_as, "active": self.active,
                "locked": self.locked, "must_change_password": self.must_change_password}


# --- reading ----------------------------------------------------------------------------------------

@requires(Permission.ACCOUNTS)
def account_rows(ctx: ServiceContext) -> list[AccountRow]:
    """Every account, oldest first."""
    with ctx.read() as session:
        users = list(session.exec(select(User).order_by(User.id)))
        return [_row(ctx, session, u) for u in users]


@dataclass(frozen=True)
class AccountChoices:
    """What the account dialog offers: (id, label) of organisations, mediators, advisors, grids."""

    organizations: list[tuple[int, str]]
    mediators: list[tuple[int, str, int]]  # (id, name, organisation id)
    advisors: list[tuple[int, str]]
    grids: list[tuple[int, str]]  # label: village and grid (东关村 一网格)


@requires(Permission.ACCOUNTS)
def account_choices(ctx: ServiceContext) -> AccountChoices:
    with ctx.read() as session:
        orgs = [(o.id, o.name) for o in session.exec(
            select(Organization).where(Organization.active == True).order_by(Organization.id))]  # noqa: E712
        mediators = [(m.id, m.name, m.organization_id) for m in session.exec(
            select(Mediator).where(Mediator.active == True).order_by(Mediator.id))]  # noqa: E712
        advisors = [(a.id, f"{a.name}（{a.firm}）" if a.firm else a.name) for a in session.exec(
            select(Advisor).where(Advisor.active == True).order_by(Advisor.name, Advisor.id))]  # noqa: E712
        villages = dict(session.exec(select(Region.id, Region.name)
                                     .where(Region.level == RegionLevel.VILLAGE.value)).all())
        grids = [(g.id, f"{villages.get(g.parent_id, '')} {g.name}".strip()) for g in session.exec(
            select(Region).where(Region.level == RegionLevel.GRID.value, Region.active == True)  # noqa: E712
            .order_by(Region.parent_id, Region.name))]
    return AccountChoices(orgs, mediators, advisors, grids)


@requires(Permission.ACCOUNTS)
def find_account(ctx: ServiceContext, username: str) -> AccountRow:
    """The account named ``username`` (NotFoundError naming it)."""
    with ctx.read() as session:
        return _row(ctx, session, _by_name(session, username))


@requires(Permission.ACCOUNTS)
def account_input(ctx: ServiceContext, *, username: str, display_name: str, role: str,
                  organization: str | None = None, mediator: str | None = None,
                  advisor: str | None = None, grid: str | None = None, password: str = "") -> AccountInput:
    """An AccountInput from names (the command line): organisation, mediator, advisor, grid.

    A grid is named by its name, or “村名/网格名” when several villages have a grid of that name.
    """
    errors: list[ValidationError] = []
    org_id = mediator_id = advisor_id = grid_id = None
    with ctx.read() as session:
        if organization:
            org_id = session.exec(select(Organization.id).where(Organization.name == organization.strip())).first()
            if org_id is None:
                errors.append(ValidationError("org", f"调解组织“{organization}”不存在"))
        if mediator:
            stmt = select(Mediator.id).where(Mediator.name == mediator.strip())
            if org_id is not None:
                stmt = stmt.where(Mediator.organization_id == org_id)
            found = list(session.exec(stmt))
            if not found:
                where = f"{organization}中" if org_id is not None else ""
                errors.append(ValidationError("mediator", f"{where}没有调解员“{mediator}”"))
            elif len(found) > 1:
                errors.append(ValidationError("mediator", f"有多位调解员名为“{mediator}”，请用 --org 指明组织"))
            else:
                mediator_id = found[0]
        if advisor:
            found = list(session.exec(select(Advisor.id).where(Advisor.name == advisor.strip())))
            if len(found) != 1:
                errors.append(ValidationError("advisor", f"法律顾问“{advisor}”不存在" if not found
                                              else f"有多位法律顾问名为“{advisor}”，请在程序中选择"))
            else:
                advisor_id = found[0]
        if grid:
            village, _, name = grid.strip().rpartition("/")
            stmt = select(Region.id).where(Region.level == RegionLevel.GRID.value, Region.name == name)
            if village:
                parents = select(Region.id).where(Region.name == village, Region.level == RegionLevel.VILLAGE.value)
                stmt = stmt.where(Region.parent_id.in_(parents))
            found = list(session.exec(stmt))
            if len(found) != 1:
                errors.append(ValidationError("grid", f"网格“{grid}”不存在" if not found
                                              else f"有多个网格名为“{name}”，请写成“村名/{name}”"))
            else:
                grid_id = found[0]
    try:
        role_value = Role(role)
    except ValueError:
        errors.append(ValidationError("role", f"没有角色“{role}”"))
        role_value = Role.READONLY
    if errors:
        raise ValidationErrors(errors)
    return AccountInput(username, display_name, role_value, org_id, mediator_id, advisor_id, grid_id, password)


def _row(ctx: ServiceContext, session: Session, u: User) -> AccountRow:
    org = session.get(Organization, u.organization_id) if u.organization_id else None
    acts = []
    if u.mediator_id and (m := session.get(Mediator, u.mediator_id)):
        acts.append(f"调解员{m.name}")
    if u.advisor_id and (a := session.get(Advisor, u.advisor_id)):
        acts.append(f"法律顾问{a.name}")
    if u.grid_id and (g := session.get(Region, u.grid_id)):
        village = session.get(Region, g.parent_id) if g.parent_id else None
        acts.append(f"网格{(village.name if village else '')}{g.name}")
    locked = u.locked_until is not None and u.locked_until > ctx.now()
    return AccountRow(u.id, u.username, u.display_name, Role(u.role), u.organization_id,
                      org.name if org else "", u.mediator_id, u.advisor_id, u.grid_id, "、".join(acts),
                      u.active, locked, u.must_change_password, u.version)


def _by_name(session: Session, username: str) -> User:
    user = session.exec(select(User).where(User.username == (username or "").strip())).first()
    if user is None:
        raise NotFoundError(f"账号“{username}”不存在", "username")
    return user


def _locked(session: Session, user_id: int, version: int | None) -> User:
    user = session.get(User, user_id, with_for_update=True)
    if user is None:
        raise NotFoundError(f"账号（编号{user_id}）不存在")
    if version is not None and user.version != version:
        raise ConflictError(f"账号“{user.username}”已被他人修改，请重新载入后再改")
    return user


# --- validation -------------------------------------------------------------------------------------

def _check_links(session: Session, data: AccountInput) -> tuple[list[ValidationError], AccountInput]:
    """Errors in the role's organisation and record; links the role does not use are dropped."""
    errors: list[ValidationError] = []
    role = data.role
    if not data.display_name.strip():
        errors.append(ValidationError("display_name", "请填写姓名"))
    elif len(data.display_name.strip()) > 50:
        errors.append(ValidationError("display_name", "姓名不超过50个字"))
    org = session.get(Organization, data.organization_id) if data.organization_id else None
    if data.organization_id and org is None:
        errors.append(ValidationError("organization_id", "所选调解组织不存在"))
    if org is None and role in NEEDS_ORGANIZATION:
        errors.append(ValidationError("organization_id", f"{role.label}须选择所属调解组织"))
    mediator_id = data.mediator_id if role in MEDIATOR_ROLES else None
    advisor_id = data.advisor_id if role is Role.ADVISOR else None
    grid_id = data.grid_id if role is Role.GRID_WORKER else None
    if mediator_id:
        m = session.get(Mediator, mediator_id)
        if m is None:
            errors.append(ValidationError("mediator_id", "所选调解员不存在"))
        elif org is not None and m.organization_id != org.id:
            errors.append(ValidationError("mediator_id", f"调解员{m.name}不属于{org.name}，请选择本组织的调解员"))
    if role is Role.ADVISOR:
        if not advisor_id:
            errors.append(ValidationError("advisor_id", "法律顾问角色须选择对应的法律顾问"))
        elif session.get(Advisor, advisor_id) is None:
            errors.append(ValidationError("advisor_id", "所选法律顾问不存在"))
    if role is Role.GRID_WORKER:
        grid = session.get(Region, grid_id) if grid_id else None
        if not grid_id:
            errors.append(ValidationError("grid_id", "网格员角色须选择所在网格"))
        elif grid is None or grid.level != RegionLevel.GRID.value:
            errors.append(ValidationError("grid_id", "所选网格不存在"))
    clean = AccountInput(data.username.strip(), data.display_name.strip(), role, data.organization_id,
                         mediator_id, advisor_id, grid_id, data.password)
    return errors, clean


def _username_errors(username: str) -> list[ValidationError]:
    name = username.strip()
    if not name:
        return [ValidationError("username", "请填写用户名")]
    if not name.isascii() or not all(c.isalnum() or c in "._-" for c in name):
        return [ValidationError("username", "用户名须为字母、数字或 . _ -")]
    if len(name) > 50:
        return [ValidationError("username", "用户名不超过50个字符")]
    return []


def _other_active_admins(session: Session, user_id: int) -> int:
    return session.exec(select(func.count()).select_from(User).where(
        User.role == Role.ADMIN.value, User.active == True, User.id != user_id)).one()  # noqa: E712


def _keeps_an_admin(session: Session, user: User, role: Role, active: bool) -> None:
    if user.role == Role.ADMIN.value and user.active and (role is not Role.ADMIN or not active) \
            and not _other_active_admins(session, user.id):
        raise DomainError("不能停用或降级最后一位管理员：请先把另一个账号设为管理员", "role")


# --- writing ----------------------------------------------------------------------------------------

@requires(Permission.ACCOUNTS)
def add_account(ctx: ServiceContext, data: AccountInput) -> OpChanges:
    """新增账号: the account with its role, organisation and record; the password is checked."""
    with ctx.transaction() as session:
        errors, data = _check_links(session, data)
        errors = _username_errors(data.username) + errors
        errors += [ValidationError("password", p) for p in password_problems(data.password)]
        if not errors and session.exec(select(User.id).where(User.username == data.username)).first():
            errors.append(ValidationError("username", f"用户名“{data.username}”已被使用"))
        if errors:
            raise ValidationErrors(errors)
        user = User(username=data.username, display_name=data.display_name,
                    password_hash=_hasher.hash(data.password), role=data.role.value,
                    organization_id=data.organization_id, mediator_id=data.mediator_id,
                    advisor_id=data.advisor_id, grid_id=data.grid_id, created_at=ctx.now())
        session.add(user)
        session.flush()
        audit.record(ctx, session, "account.add", user.username, _detail(session, user))
    return REFERENCE


@requires(Permission.ACCOUNTS)
def edit_account(ctx: ServiceContext, user_id: int, version: int | None, data: AccountInput) -> OpChanges:
    """编辑: name, role, organisation and record (the username stays; ``version`` as read)."""
    with ctx.transaction() as session:
        user = _locked(session, user_id, version)
        errors, data = _check_links(session, data)
        if errors:
            raise ValidationErrors(errors)
        _keeps_an_admin(session, user, data.role, user.active)
        before = _detail(session, user)
        user.display_name = data.display_name
        user.role = data.role.value
        user.organization_id = data.organization_id
        user.mediator_id, user.advisor_id, user.grid_id = data.mediator_id, data.advisor_id, data.grid_id
        after = _detail(session, user)
        changed = {k: [before[k], after[k]] for k in after if before[k] != after[k]}
        if not changed:
            return OpChanges()
        user.version += 1
        session.add(user)
        action = "account.role" if "role" in changed else "account.edit"
        audit.record(ctx, session, action, user.username, changed)
    return REFERENCE


@requires(Permission.ACCOUNTS)
def set_role(ctx: ServiceContext, username: str, role: Role) -> OpChanges:
    """``mediator-cli user set-role``: the role only, the account's other fields kept."""
    row = find_account(ctx, username)
    return edit_account(ctx, row.id, None, AccountInput(
        row.username, row.display_name, Role(role), row.organization_id, row.mediator_id,
        row.advisor_id, row.grid_id))


@requires(Permission.ACCOUNTS)
def reset_password(ctx: ServiceContext, user_id: int, version: int | None, password: str) -> OpChanges:
    """重置密码: a new password the user must change at the next login; the lockout is lifted."""
    problems = password_problems(password or "")
    if problems:
        raise ValidationErrors([ValidationError("password", p) for p in problems])
    with ctx.transaction() as session:
        user = _locked(session, user_id, version)
        user.password_hash = _hasher.hash(password)
        user.must_change_password = True
        user.failed_logins, user.locked_until = 0, None
        user.version += 1
        session.add(user)
        audit.record(ctx, session, "account.password_reset", user.username)
    return REFERENCE


@requires(Permission.ACCOUNTS)
def set_active(ctx: ServiceContext, user_id: int, version: int | None, active: bool) -> OpChanges:
    """停用 / 启用: a deactivated account is refused at its next action and cannot log in."""
    with ctx.transaction() as session:
        user = _locked(session, user_id, version)
        if user.active == bool(active):
            return OpChanges()
        if not active and ctx.user is not None and ctx.user.id == user.id:
            raise DomainError("不能停用自己的账号")
        _keeps_an_admin(session, user, Role(user.role), bool(active))
        user.active = bool(active)
        user.version += 1
        session.add(user)
        audit.record(ctx, session, "account.activate" if active else "account.deactivate", user.username)
    return REFERENCE


@requires(Permission.ACCOUNTS)
def unlock_account(ctx: ServiceContext, user_id: int, version: int | None = None) -> OpChanges:
    """解锁: lift the lockout after too many wrong passwords."""
    with ctx.transaction() as session:
        user = _locked(session, user_id, version)
        user.failed_logins, user.locked_until = 0, None
        user.version += 1
        session.add(user)
        audit.record(ctx, session, "account.unlock", user.username)
    return REFERENCE


def change_own_password(ctx: ServiceContext, user_id: int, old_password: str, new_password: str) -> None:
    """The login's 修改密码 step: the user's old (reset) password, then a new acceptable one."""
    errors = [ValidationError("new_password", p) for p in password_problems(new_password or "")]
    if new_password and new_password == old_password:
        errors.append(ValidationError("new_password", "新密码不能与原密码相同"))
    if errors:
        raise ValidationErrors(errors)
    with ctx.transaction() as session:
        user = session.get(User, user_id, with_for_update=True)
        if user is None or not user.active:
            raise DomainError("账号已停用，请联系管理员")
        try:
            _hasher.verify(user.password_hash, old_password or "")
        except (VerificationError, InvalidHashError):
            raise ValidationErrors([ValidationError("old_password", "原密码不正确")]) from None
        user.password_hash = _hasher.hash(new_password)
        user.must_change_password = False
        user.version += 1
        session.add(user)
        audit.record(ctx, session, "account.password_change", user.username, actor=user.display_name)


def _detail(session: Session, user: User) -> dict:
    org = session.get(Organization, user.organization_id) if user.organization_id else None
    return {"display_name": user.display_name, "role": user.role, "organization": org.name if org else "",
            "mediator_id": user.mediator_id, "advisor_id": user.advisor_id, "grid_id": user.grid_id}


__all__ = ["AccountChoices", "AccountInput", "AccountRow", "account_choices", "account_input", "account_rows",
           "add_account", "change_own_password", "edit_account", "find_account", "reset_password", "set_active",
           "set_role", "unlock_account"]
