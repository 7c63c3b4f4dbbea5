"""The roster of legal advisors: register and edit an advisor, link an account to one."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from sqlmodel import Session, select

from mediator.domain.enums import AdvisorKind
from mediator.domain.errors import (
    ConflictError,
    NotFoundError,
    PermissionDenied,
    ValidationError,
    ValidationErrors,
)
from mediator.domain.validators import text_problem, validate_phone
from mediator.services import audit
from mediator.services.access import is_advisor
from mediator.services.changes import NOTHING, OpChanges, OpChangesWithId
from mediator.services.context import ServiceContext
from mediator.services.input_types import refuse_mistyped
from mediator.services.permissions import Permission, requires
from mediator.store.models import Advisor, User

_LICENSE = re.compile(r"^[0-9A-Za-z]{6,32}$")


@dataclass
class AdvisorInput:
    """What the registry form asks of an advisor."""

    name: str
    kind: AdvisorKind
    firm: str = ""  # 律师事务所 / 法律服务所
    license_no: str | None = None  # 执业证号
    phone: str | None = None
    specialties: str = ""
    active: bool = True


def _check_advisor(session: Session, data: AdvisorInput, advisor_id: int | None) -> dict[str, Any]:
    refuse_mistyped(data)
    errors = [e for key, label in (("name", "姓名"), ("firm", "执业机构"), ("license_no", "执业证号"),
                                   ("phone", "联系电话"), ("specialties", "专长"))
              if (e := text_problem(getattr(data, key), path=key, label=label)) is not None]
    if errors:  # the checks below assume plain texts (a NUL would also break the lookup)
        raise ValidationErrors(errors)
    name = (data.name or "").strip()
    if not name:
        errors.append(ValidationError("name", "请填写法律顾问姓名"))
    elif len(name) > 50:
        errors.append(ValidationError("name", "姓名不能超过50个字"))
    if not isinstance(data.kind, AdvisorKind):
        errors.append(ValidationError("kind", "请选择法律顾问类别（律师或基层法律服务工作者）"))
    firm = (data.firm or "").strip()
    if len(firm) > 100:
        errors.append(ValidationError("firm", "执业机构名称不能超过100个字"))
    license_no = (data.license_no or "").strip() or None
    if license_no is not None:
        if not _LICENSE.match(license_no):
            errors.append(ValidationError("license_no", "执业证号应为6至32位数字或字母"))
        else:
            other = session.exec(select(Advisor).where(Advisor.license_no == license_no)).first()
            if other is not None and other.id != advisor_id:
                errors.append(ValidationError("license_no", f"执业证号{license_no}已登记为{other.name}"))
    phone = (data.phone or "").strip() or None
    if phone is not None:
        try:
            phone = validate_phone(phone, path="phone")
        except ValidationError as e:
            errors.append(e)
    specialties = (data.specialties or "").strip()
    if len(specialties) > 200:
        errors.append(ValidationError("specialties", "专长不能超过200个字"))
    if errors:
        raise ValidationErrors(errors)
    return {"name": name, "kind": data.kind.value, "firm": firm, "license_no": license_no,
            "phone": phone, "specialties": specialties, "active": bool(data.active)}


def office_only(ctx: ServiceContext, what: str) -> None:
    if is_advisor(ctx.user):
        raise PermissionDenied(f"法律顾问账号不能{what}，请由司法所办理")


# Advisors and their terms are reference data; their terms move the advisor deadlines (reminders).
ADVISORS = OpChanges(reference=True, reminders=True)


def advisors_with_id(row_id: int) -> OpChangesWithId:
    """ADVISORS, naming the row a write created."""
    return OpChangesWithId(reference=True, reminders=True, id=row_id)


@requires(Permission.ADVISOR_MANAGE)
def add_advisor(ctx: ServiceContext, data: AdvisorInput) -> OpChangesWithId:
    """Register an advisor (``.id``). Every invalid field is reported at once."""
    office_only(ctx, "登记法律顾问")
    with ctx.transaction() as session:
        values = _check_advisor(session, data, None)
        advisor = Advisor(**values)
        session.add(advisor)
        session.flush()
        return advisors_with_id(advisor.id)


def load_advisor(session: Session, advisor_id: int) -> Advisor:
    advisor = session.get(Advisor, advisor_id)
    if advisor is None:
        raise NotFoundError(f"法律顾问（编号{advisor_id}）不存在")
    return advisor


@requires(Permission.ADVISOR_MANAGE)
def update_advisor(ctx: ServiceContext, advisor_id: int, data: AdvisorInput, *,
                   expected_version: int | None = None) -> OpChanges:
    """Change an advisor's details; a stale ``expected_version`` raises ConflictError."""
    office_only(ctx, "修改法律顾问信息")
    with ctx.transaction() as session:
        advisor = load_advisor(session, advisor_id)
        if expected_version is not None and advisor.version != expected_version:
            raise ConflictError(f"法律顾问{advisor.name}的信息已被他人修改，请刷新后再操作")
        for key, value in _check_advisor(session, data, advisor_id).items():
            setattr(advisor, key, value)
        advisor.version += 1
        session.add(advisor)
    return ADVISORS


@requires(Permission.ACCOUNTS)
def link_user_to_advisor(ctx: ServiceContext, user_id: int, advisor_id: int | None) -> OpChanges:
    """Make an account the login of an advisor (role ``advisor``), or unlink it (None)."""
    office_only(ctx, "设置账号")
    with ctx.transaction() as session:
        user = session.get(User, user_id)
        if user is None:
            raise NotFoundError(f"账号（编号{user_id}）不存在")
        if advisor_id is not None:
            load_advisor(session, advisor_id)
            user.role = "advisor"
        user.advisor_id = advisor_id
        user.version += 1
        session.add(user)
        # It can change the account's role and what it may read: a security write.
        audit.record(ctx, session, "account.advisor_link", user.username,
                     {"advisor_id": advisor_id, "role": user.role})
    return NOTHING  # accounts are no list the views show
