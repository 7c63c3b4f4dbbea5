"""The role matrix enforced in every service call, and which cases each role sees (case scopes)."""
from __future__ import annotations

import importlib
import inspect
import pkgutil
from datetime import date

import pytest
from sqlmodel import select

import mediator.services
from mediator.domain.errors import PermissionDenied
from mediator.domain.permissions import GRANTS, Permission, Role, may, refusal
from mediator.services.access import OUTSIDE_GRID, OUTSIDE_MEDIATOR, OUTSIDE_ORGANIZATION
from mediator.services.cases import lifecycle as uc
from mediator.services.cases.list_page import case_heading
from mediator.services.cases.read import CaseFilter, case_detail, count_cases, list_cases
from mediator.services.context import Clock, ServiceContext
from mediator.services.exchange.export import export_document
from mediator.services.exchange.importer import import_document
from mediator.services.permissions import OPEN_SERVICES
from mediator.services.reports.dashboard import status_counts
from mediator.services.safety.auth import authenticate, create_user
from mediator.store.models import Case, Mediator, Organization, User
from tests.conftest import FIXED_NOW
from tests.helpers import (
    TOWNSHIP_COMMITTEE,
    VILLAGE_COMMITTEE,
    case_input,
    sample_document,
    seed_county,
)
from tests.templates import migrated_sqlite

PASSWORD = "mima2026x"
MATRIX_REFUSAL = "您的角色（"  # how every refusal of the matrix begins (domain.permissions.refusal)


def _service_functions() -> dict[str, object]:
    """Every public function defined in a module of mediator.services whose first parameter is ctx."""
    found = {}
    for info in pkgutil.walk_packages(mediator.services.__path__, "mediator.services."):
        if info.ispkg:
            continue
        module = importlib.import_module(info.name)
        for name, fn in vars(module).items():
            if name.startswith("_") or not inspect.isfunction(fn) or fn.__module__ != module.__name__:
                continue
            params = list(inspect.signature(fn).parameters)
            if params and params[0] == "ctx":
                found[f"{info.name.removeprefix('mediator.services.')}.{name}"] = fn
    return found


SERVICES = _service_functions()
DECORATED = {k: fn for k, fn in SERVICES.items() if hasattr(fn, "required_permission")}


# --- (a) every service carries a permission or says why it is open --------------------------------

def test_every_service_function_is_decorated_or_listed_as_open():
    missing = sorted(k for k, fn in SERVICES.items()
                     if not hasattr(fn, "required_permission") and k not in OPEN_SERVICES)
    assert missing == [], f"service functions without @requires and not in OPEN_SERVICES: {missing}"
    stale = sorted(k for k in OPEN_SERVICES if k not in SERVICES)
    assert stale == [], f"OPEN_SERVICES names functions that do not exist: {stale}"
    both = sorted(k for k in OPEN_SERVICES if hasattr(SERVICES[k], "required_permission"))
    assert both == [], f"decorated functions also listed as open: {both}"
    assert all(reason.strip() for reason in OPEN_SERVICES.values())


def test_the_matrix_covers_every_role_and_admin_may_do_everything():
    assert set(GRANTS) == set(Role)
    assert all(may(Role.ADMIN, p) for p in Permission)
    assert not may(Role.READONLY, Permission.CASE_REGISTER)
    assert not may(Role.READONLY, Permission.PERSONAL_DATA)
    assert may(Role.GRID_WORKER, Permission.CASE_REGISTER)
    assert not may(Role.GRID_WORKER, Permission.CASE_HANDLE)
    assert may(Role.ADVISOR, Permission.ADVISOR_REVIEW) and not may(Role.MEDIATOR, Permission.ADVISOR_REVIEW)
    assert refusal(Role.READONLY, Permission.CASE_REGISTER) == \
        "您的角色（只读）无权登记案件，如需办理请联系所长或管理员"


# --- (b) every decorated service × every role ------------------------------------------------------

# Dummy arguments for the few functions whose defaults alone would do a lot of work.
OVERRIDES: dict[str, dict[str, object]] = {"exchange.demo.load_demo": {"cases": 1}}


@pytest.fixture(scope="module")
def sample_db(tmp_path_factory):
    """A throwaway SQLite database with the sample county and cases (shared by the role tests)."""
    folder = tmp_path_factory.mktemp("roles")
    db = migrated_sqlite(folder / 'roles.db')
    ctx = ServiceContext(db, actor="系统", clock=Clock(fixed=FIXED_NOW))
    import_document(ctx, sample_document())
    users = {role: create_user(ctx, username=f"u_{role.value}", display_name=role.label,
                               password=PASSWORD, role=role, organization_id=None) for role in Role}
    yield db, folder, users
    db.dispose()


def _dummy_call(name: str, fn, ctx: ServiceContext) -> None:
    args, kwargs = [ctx], dict(OVERRIDES.get(name, {}))
    for param in list(inspect.signature(fn).parameters.values())[1:]:
        if param.default is not inspect.Parameter.empty or param.kind in (
                inspect.Parameter.VAR_POSITIONAL, inspect.Parameter.VAR_KEYWORD):
            continue
        if param.kind is inspect.Parameter.KEYWORD_ONLY:
            kwargs.setdefault(param.name, None)
        else:
            args.append(None)
    fn(*args, **kwargs)


@pytest.mark.parametrize("role", list(Role), ids=[r.value for r in Role])
def test_every_decorated_service_refuses_exactly_the_roles_the_matrix_refuses(
        role, sample_db, tmp_path, monkeypatch):
    db, folder, users = sample_db
    monkeypatch.chdir(tmp_path)  # whatever a body writes with a dummy path lands here
    for var in ("HOME", "XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
        monkeypatch.setenv(var, str(tmp_path / var.lower()))
    ctx = ServiceContext(db, actor=role.label, clock=Clock(fixed=FIXED_NOW), user=users[role])
    wrong = []
    for name, fn in sorted(DECORATED.items()):
        allowed = may(role, fn.required_permission)
        try:
            _dummy_call(name, fn, ctx)
        except PermissionDenied as e:
            if not allowed:
                if str(e) != refusal(role, fn.required_permission):
                    wrong.append(f"{name}: refused with another text: {e}")
            elif MATRIX_REFUSAL in str(e):  # allowed, but something it calls is refused by the matrix
                wrong.append(f"{name}: allowed for {role.value} but refused inside: {e}")
            continue
        except Exception:
            pass
        if not allowed:
            wrong.append(f"{name}: should refuse {role.value} ({fn.required_permission.value})")
    assert wrong == []


# --- (c) case scopes with real data, on both databases ----------------------------------------------

def _org_id(ctx: ServiceContext, name: str) -> int:
    with ctx.read() as session:
        return session.exec(select(Organization.id).where(Organization.name == name)).one()


def _login(ctx: ServiceContext, username: str, role: Role, organization: str | None = None,
           mediator: str | None = None):
    ctx.user = None  # the office's administrator creates the account (as the system)
    org_id = _org_id(ctx, organization) if organization else None
    create_user(ctx, username=username, display_name=username, password=PASSWORD, role=role,
                organization_id=org_id)
    if mediator is not None:
        with ctx.transaction() as session:
            user = session.exec(select(User).where(User.username == username)).one()
            user.mediator_id = session.exec(select(Mediator.id).where(Mediator.name == mediator)).one()
            session.add(user)
    return authenticate(ctx, username, PASSWORD)


@pytest.fixture
def two_cases(ctx):
    """One case of the township committee (李建国) and one of 东关村's committee (张满仓)."""
    seed_county(ctx)
    township = uc.register_case(ctx, case_input()).id
    village = uc.register_case(ctx, case_input(organization=VILLAGE_COMMITTEE, mediators=["张满仓"],
                                               summary="两户因宅基地界址发生争执。")).id
    return ctx, township, village


def _ids(ctx: ServiceContext) -> set[int]:
    return {r.id for r in list_cases(ctx, CaseFilter())}


def test_a_mediator_of_another_organisation_can_neither_open_nor_list_a_case(two_cases):
    ctx, township, village = two_cases
    ctx.user = _login(ctx, "zhangmc", Role.MEDIATOR, VILLAGE_COMMITTEE)
    assert _ids(ctx) == {village}
    assert count_cases(ctx, CaseFilter()) == 1
    assert case_detail(ctx, village).id == village
    for read in (lambda: case_detail(ctx, township), lambda: case_heading(ctx, township),
                 lambda: uc.accept_case(ctx, township)):
        with pytest.raises(PermissionDenied) as e:
            read()
        assert str(e.value) == OUTSIDE_MEDIATOR
    assert [c["summary"] for c in export_document(ctx)["cases"]] == ["两户因宅基地界址发生争执。"]
    assert sum(c.count for c in status_counts(ctx)) == 1


def test_a_mediator_also_sees_the_cases_assigned_to_their_mediator_record(two_cases):
    ctx, township, village = two_cases
    ctx.user = _login(ctx, "lijg", Role.MEDIATOR, VILLAGE_COMMITTEE, mediator="李建国")
    assert _ids(ctx) == {township, village}
    uc.accept_case(ctx, township, date(2026, 10, 15))  # assigned to them: they may act on it


def test_a_grid_worker_sees_only_the_cases_they_registered(two_cases):
    ctx, township, village = two_cases
    ctx.user = _login(ctx, "wangwg", Role.GRID_WORKER, TOWNSHIP_COMMITTEE)
    assert _ids(ctx) == set()
    own = uc.register_case(ctx, case_input(summary="网格员巡查发现的邻里纠纷。")).id
    with ctx.read() as session:
        assert session.get(Case, own).registered_by_id == ctx.user.id
    assert _ids(ctx) == {own}
    with pytest.raises(PermissionDenied) as e:
        case_detail(ctx, township)
    assert str(e.value) == OUTSIDE_GRID
    with pytest.raises(PermissionDenied) as e:  # the matrix: grid workers register, they do not handle
        uc.accept_case(ctx, own)
    assert str(e.value) == refusal(Role.GRID_WORKER, Permission.CASE_HANDLE)


@pytest.mark.parametrize("role", [Role.HEAD, Role.READONLY], ids=["head", "readonly"])
def test_head_and_readonly_see_their_organisations_subtree(two_cases, role):
    ctx, township, village = two_cases
    ctx.user = _login(ctx, f"v_{role.value}", role, VILLAGE_COMMITTEE)
    assert _ids(ctx) == {village}  # 东关村's committee: its village only
    with pytest.raises(PermissionDenied) as e:
        case_detail(ctx, township)
    assert str(e.value) == OUTSIDE_ORGANIZATION
    assert sum(c.count for c in status_counts(ctx)) == 1
    ctx.user = _login(ctx, f"t_{role.value}", role, TOWNSHIP_COMMITTEE)
    assert _ids(ctx) == {township, village}  # the township's committee: the township and below
    ctx.user = None
    assert _ids(ctx) == {township, village}


def test_the_matrix_refuses_with_a_chinese_sentence_naming_the_role_and_the_act(two_cases):
    ctx, township, _village = two_cases
    ctx.user = _login(ctx, "chakan", Role.READONLY, TOWNSHIP_COMMITTEE)
    with pytest.raises(PermissionDenied) as e:
        uc.register_case(ctx, case_input())
    assert str(e.value) == "您的角色（只读）无权登记案件，如需办理请联系所长或管理员"
    assert case_detail(ctx, township).id == township  # reading is allowed


def test_the_scope_check_sees_a_case_id_in_any_form_and_refuses_what_is_not_one(two_cases):
    """An id as text (a table cell, a JSON field) is checked like the int it names, never skipped."""
    from mediator.domain.errors import ValidationError

    ctx, township, village = two_cases
    ctx.user = _login(ctx, "zhangmc", Role.MEDIATOR, VILLAGE_COMMITTEE)
    for given in (str(township), f" {township} ", township):
        with pytest.raises(PermissionDenied):
            uc.accept_case(ctx, given, date(2026, 10, 15))
        with pytest.raises(PermissionDenied):
            case_detail(ctx, case_id=given)
    assert case_detail(ctx, str(village)).id == village  # their own, named as text
    for bad in (1.0, True, "3a", "", [village], "١٢"):
        with pytest.raises(ValidationError) as e:
            case_detail(ctx, bad)
        assert e.value.path == "case_id" and "案件编号应为整数" in str(e.value)
