"""People and accounts: the administrator's use cases, and a change counting at the next action."""
from __future__ import annotations

import pytest
from sqlmodel import select

from mediator.domain.errors import (
    AccountDisabled,
    ConflictError,
    DomainError,
    PermissionDenied,
    ValidationErrors,
)
from mediator.domain.permissions import Role
from mediator.services.cases.read import CaseFilter, list_cases
from mediator.services.safety.accounts import (
    AccountInput,
    account_rows,
    add_account,
    change_own_password,
    edit_account,
    find_account,
    reset_password,
    set_active,
    set_role,
    unlock_account,
)
from mediator.services.safety.auth import MAX_FAILED_LOGINS, LoginError, authenticate
from mediator.store.models import Advisor, AuditEntry, Mediator, Organization, Region
from tests.helpers import sample_document
from tests.services.safety.test_auth import PASSWORD, _setup

TOWNSHIP = "城关镇人民调解委员会"
VILLAGE = "东关村人民调解委员会"


def _id(ctx, model, name):
    with ctx.read() as session:
        return session.exec(select(model.id).where(model.name == name)).first()


@pytest.fixture
def office(ctx):
    """The sample county with its cases, and the office's administrator logged in."""
    from mediator.services.exchange.importer import import_document

    import_document(ctx, sample_document())
    _setup(ctx)
    ctx.user = authenticate(ctx, "admin", PASSWORD)
    ctx.actor = ctx.user.display_name  # as the app does after the login
    return ctx


def _mediator_input(ctx, username="lijg", **overrides):
    values = dict(username=username, display_name="李建国", role=Role.MEDIATOR,
                  organization_id=_id(ctx, Organization, TOWNSHIP),
                  mediator_id=_id(ctx, Mediator, "李建国"), password="lijianguo1")
    values.update(overrides)
    return AccountInput(**values)


def _errors(info) -> dict[str, str]:
    return {e.path: e.message for e in info.value.errors}


def _audit(ctx) -> list[tuple[str, str, str]]:
    with ctx.read() as session:
        return [(e.username, e.action, e.target) for e in session.exec(select(AuditEntry).order_by(AuditEntry.id))
                if e.action.startswith("account.")]


def test_the_admin_adds_a_mediator_account_who_then_logs_in(office):
    ctx = office
    add_account(ctx, _mediator_input(ctx))
    row = find_account(ctx, "lijg")
    assert (row.role, row.organization, row.acts_as, row.state_label) == (
        Role.MEDIATOR, TOWNSHIP, "调解员李建国", "启用")
    assert authenticate(ctx, "lijg", "lijianguo1").role is Role.MEDIATOR
    assert ("王所长", "account.add", "lijg") in _audit(ctx)
    assert [r.username for r in account_rows(ctx)] == ["admin", "lijg"]


def test_bad_accounts_are_refused_naming_the_field(office):
    ctx = office
    add_account(ctx, _mediator_input(ctx))
    with pytest.raises(ValidationErrors) as info:
        add_account(ctx, _mediator_input(ctx, password="abc"))
    assert _errors(info) == {"username": "用户名“lijg”已被使用"} or "password" in _errors(info)
    with pytest.raises(ValidationErrors) as info:
        add_account(ctx, _mediator_input(ctx, username="zhang", mediator_id=_id(ctx, Mediator, "张满仓")))
    assert _errors(info) == {"mediator_id": f"调解员张满仓不属于{TOWNSHIP}，请选择本组织的调解员"}
    with pytest.raises(ValidationErrors) as info:
        add_account(ctx, AccountInput("chen", "陈立新", Role.ADVISOR, password="chenlixin1"))
    assert _errors(info) == {"advisor_id": "法律顾问角色须选择对应的法律顾问"}
    with pytest.raises(ValidationErrors) as info:
        add_account(ctx, AccountInput("wg", "", Role.GRID_WORKER, password="short"))
    assert set(_errors(info)) == {"display_name", "organization_id", "grid_id", "password"}
    with pytest.raises(ValidationErrors) as info:
        add_account(ctx, AccountInput("王", "王", Role.ADMIN, password="wangwang1"))
    assert _errors(info) == {"username": "用户名须为字母、数字或 . _ -"}


def test_only_the_admin_manages_accounts(office):
    ctx = office
    add_account(ctx, _mediator_input(ctx))
    ctx.user = authenticate(ctx, "lijg", "lijianguo1")
    with pytest.raises(PermissionDenied) as e:
        add_account(ctx, _mediator_input(ctx, username="other"))
    assert "无权管理用户账号" in str(e.value)


def test_a_role_change_counts_at_the_next_action(office):
    ctx = office
    add_account(ctx, _mediator_input(ctx, mediator_id=None))
    admin = ctx.user
    every_case = {r.id for r in list_cases(ctx, CaseFilter())}
    ctx.user = authenticate(ctx, "lijg", "lijianguo1")
    mediator = ctx.user
    own = {r.id for r in list_cases(ctx, CaseFilter())}  # the township committee's cases
    assert own and own < every_case
    ctx.user = admin
    set_role(ctx, "lijg", Role.READONLY)
    ctx.user = mediator  # the mediator's session still holds the old role...
    assert {r.id for r in list_cases(ctx, CaseFilter())} == every_case  # ...but reads as 只读: the subtree
    assert ctx.user.role is Role.READONLY
    ctx.user = admin
    row = find_account(ctx, "lijg")
    set_active(ctx, row.id, row.version, False)
    ctx.user = mediator
    with pytest.raises(AccountDisabled) as e:
        list_cases(ctx, CaseFilter())
    assert str(e.value) == "账号已停用，请联系管理员"
    with pytest.raises(LoginError) as e:
        authenticate(ctx, "lijg", "lijianguo1")
    assert str(e.value) == "账号已停用，请联系管理员"
    ctx.user = admin
    set_active(ctx, row.id, None, True)
    assert authenticate(ctx, "lijg", "lijianguo1").role is Role.READONLY
    actions = [a for _u, a, _t in _audit(ctx)]
    assert actions == ["account.add", "account.role", "account.deactivate", "account.activate"]


def test_a_stale_edit_gets_a_conflict(office):
    ctx = office
    add_account(ctx, _mediator_input(ctx))
    row = find_account(ctx, "lijg")
    edit_account(ctx, row.id, row.version, _mediator_input(ctx, display_name="李建国（组长）"))
    with pytest.raises(ConflictError) as e:
        edit_account(ctx, row.id, row.version, _mediator_input(ctx, display_name="李建国2"))
    assert str(e.value) == "账号“lijg”已被他人修改，请重新载入后再改"
    assert find_account(ctx, "lijg").display_name == "李建国（组长）"


def test_the_last_admin_and_oneself_stay(office):
    ctx = office
    admin = find_account(ctx, "admin")
    with pytest.raises(DomainError) as e:
        set_role(ctx, "admin", Role.HEAD)
    assert "最后一位管理员" in str(e.value)
    with pytest.raises(DomainError) as e:
        set_active(ctx, admin.id, None, False)
    assert str(e.value) == "不能停用自己的账号"


def test_a_reset_password_must_be_changed_at_login(office):
    ctx = office
    add_account(ctx, _mediator_input(ctx))
    row = find_account(ctx, "lijg")
    for _ in range(MAX_FAILED_LOGINS):
        with pytest.raises(LoginError):
            authenticate(ctx, "lijg", "wrong-password1")
    assert find_account(ctx, "lijg").state_label == "已锁定"
    unlock_account(ctx, row.id)
    assert find_account(ctx, "lijg").state_label == "启用"
    with pytest.raises(ValidationErrors):
        reset_password(ctx, row.id, None, "weak")
    reset_password(ctx, row.id, None, "temporary1")
    user = authenticate(ctx, "lijg", "temporary1")
    assert user.must_change_password
    with pytest.raises(ValidationErrors) as info:
        change_own_password(ctx, user.id, "not-it-1", "newsecret1")
    assert _errors(info) == {"old_password": "原密码不正确"}
    with pytest.raises(ValidationErrors) as info:
        change_own_password(ctx, user.id, "temporary1", "temporary1")
    assert _errors(info) == {"new_password": "新密码不能与原密码相同"}
    change_own_password(ctx, user.id, "temporary1", "newsecret1")
    assert not authenticate(ctx, "lijg", "newsecret1").must_change_password
    assert [a for _u, a, _t in _audit(ctx)][-3:] == [
        "account.unlock", "account.password_reset", "account.password_change"]


def test_advisor_and_grid_accounts_act_as_their_records(office):
    ctx = office
    with ctx.read() as session:
        grid = session.exec(select(Region.id).where(Region.name == "一网格")).one()
    add_account(ctx, AccountInput("chen", "陈立新", Role.ADVISOR, advisor_id=_id(ctx, Advisor, "陈立新"),
                                  password="chenlixin1"))
    add_account(ctx, AccountInput("wangwg", "王网格", Role.GRID_WORKER, _id(ctx, Organization, VILLAGE),
                                  grid_id=grid, mediator_id=_id(ctx, Mediator, "张满仓"),
                                  password="wangwange1"))
    rows = {r.username: r for r in account_rows(ctx)}
    assert rows["chen"].acts_as == "法律顾问陈立新"
    assert rows["wangwg"].acts_as == "网格东关村一网格"  # a mediator record is no grid worker's
    assert rows["wangwg"].mediator_id is None
