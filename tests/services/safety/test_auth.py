"""Accounts, settings and attachments against real databases."""
from __future__ import annotations

import pytest

from mediator.domain.enums import OrganizationKind
from mediator.domain.errors import ValidationError, ValidationErrors
from mediator.services.cases import lifecycle as uc
from mediator.services.cases.attachments import (
    add_attachment,
    export_attachment,
    list_attachments,
    remove_attachment,
)
from mediator.services.cases.read import case_detail
from mediator.services.safety.auth import (
    LoginError,
    OfficeSetup,
    Role,
    authenticate,
    create_user,
    is_first_run,
    setup_office,
)
from mediator.services.settings import all_settings, get_setting, set_setting
from tests.helpers import case_input, seed_county

PASSWORD = "tiaojie2026"


def _setup(ctx):
    return setup_office(ctx, OfficeSetup(
        office_name="城关镇司法所", organization_name="城关镇人民调解委员会",
        organization_kind=OrganizationKind.TOWNSHIP_COMMITTEE, organization_short="城关",
        county_code="419901000000", county_name="示范县", township_code="419901100000",
        township_name="城关镇", admin_username="admin", admin_display_name="王所长",
        admin_password=PASSWORD))


def test_first_run_creates_the_office_and_an_administrator(ctx):
    assert is_first_run(ctx)
    admin = _setup(ctx)
    assert admin.role is Role.ADMIN and not is_first_run(ctx)
    assert get_setting(ctx, "office.name") == "城关镇司法所"
    assert authenticate(ctx, "admin", PASSWORD).display_name == "王所长"


def test_weak_passwords_are_refused_with_the_rule(ctx):
    with pytest.raises(ValidationErrors) as info:
        setup_office(ctx, OfficeSetup("司法所", "调委会", OrganizationKind.TOWNSHIP_COMMITTEE, "城关",
                                      "419901000000", "示范县", "", "", "admin", "王所长", "abc"))
    assert {e.message for e in info.value.errors} == {"密码至少8位", "密码须同时包含字母和数字"}
    assert is_first_run(ctx)


def test_passwords_are_stored_as_argon2id_hashes(ctx):
    _setup(ctx)
    from sqlmodel import select

    from mediator.store.models import User

    with ctx.read() as s:
        stored = s.exec(select(User.password_hash)).one()
    assert stored.startswith("$argon2id$") and PASSWORD not in stored


def test_five_failures_lock_the_account_for_fifteen_minutes(ctx):
    _setup(ctx)
    for _ in range(5):
        with pytest.raises(LoginError):
            authenticate(ctx, "admin", "wrong-pass1")
    with pytest.raises(LoginError) as info:
        authenticate(ctx, "admin", PASSWORD)
    assert "锁定" in str(info.value)


def test_a_second_user_name_must_be_unique(ctx):
    admin = _setup(ctx)
    create_user(ctx, username="li", display_name="李建国", password="mediate2026", role=Role.MEDIATOR,
                organization_id=admin.organization_id)
    with pytest.raises(ValidationErrors):
        create_user(ctx, username="li", display_name="李四", password="mediate2026", role=Role.MEDIATOR,
                    organization_id=None)
    assert authenticate(ctx, "li", "mediate2026").role is Role.MEDIATOR


def test_settings_have_defaults_and_validate_types(ctx):
    assert get_setting(ctx, "deadlines.follow_up_days") == 7
    set_setting(ctx, "deadlines.follow_up_days", 10)
    assert all_settings(ctx)["deadlines.follow_up_days"] == 10
    with pytest.raises(ValidationError):
        set_setting(ctx, "deadlines.follow_up_days", -1)
    with pytest.raises(ValidationError):
        set_setting(ctx, "no.such.setting", 1)


def test_attachments_are_stored_with_their_hash_and_leave_a_trace(ctx, tmp_path):
    seed_county(ctx)
    case_id = uc.register_case(ctx, case_input()).id
    source = tmp_path / "现场照片.txt"
    source.write_bytes("排水沟现场".encode())
    info = add_attachment(ctx, case_id, source).info
    assert len(info.sha256) == 64 and info.size == source.stat().st_size
    with pytest.raises(ValidationError):
        add_attachment(ctx, case_id, source)  # the same content twice
    assert [a.filename for a in list_attachments(ctx, case_id)] == ["现场照片.txt"]
    (tmp_path / "out").mkdir()
    out = export_attachment(ctx, info.id, tmp_path / "out")
    assert out.read_bytes() == source.read_bytes()
    remove_attachment(ctx, info.id, "误传")
    assert list_attachments(ctx, case_id) == []
    actions = [e.action for e in case_detail(ctx, case_id).timeline]
    assert actions == ["register", "attach", "detach"]


def test_wrong_passwords_at_once_still_lock_the_account(ctx):
    """Twelve wrong passwords at the same moment count one after another: the account locks
    (PostgreSQL reads the row FOR UPDATE; SQLite's writers queue on BEGIN IMMEDIATE)."""
    import threading

    from sqlmodel import select

    from mediator.services.context import ServiceContext
    from mediator.store.models import User

    _setup(ctx)
    start = threading.Barrier(12)
    said: list[str] = []

    def attempt() -> None:
        own = ServiceContext(ctx.db, actor="", clock=ctx.clock)
        start.wait()
        try:
            authenticate(own, "admin", "wrong-password")
        except LoginError as e:
            said.append(str(e))

    threads = [threading.Thread(target=attempt) for _ in range(12)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(said) == 12 and all("用户名或密码错误" in s or "锁定" in s for s in said)
    with ctx.read() as session:
        user = session.exec(select(User).where(User.username == "admin")).one()
    assert user.locked_until is not None and user.locked_until > ctx.now()
    with pytest.raises(LoginError, match="锁定"):
        authenticate(ctx, "admin", PASSWORD)  # even the right password waits out the lock
