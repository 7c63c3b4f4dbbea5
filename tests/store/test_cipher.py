"""SQLCipher: encrypting the SQLite file, reopening it with the key, refusals."""
from __future__ import annotations

import pytest

from mediator.domain.errors import DomainError, PermissionDenied, ValidationErrors
from mediator.domain.permissions import Role
from mediator.services.audit import entries, verify
from mediator.services.cases import lifecycle as uc
from mediator.services.cases.read import CaseFilter, count_cases, list_cases
from mediator.services.context import Clock, ServiceContext
from mediator.services.safety.auth import authenticate, create_user
from mediator.services.safety.backup import backup_to, check_backup
from mediator.services.safety.encryption import (
    check_database_key,
    database_needs_key,
    enable_encryption,
    encryption_status,
)
from mediator.services.safety.restore import restore_from
from mediator.store.cipher import KEY_ENV, WrongKey, is_encrypted
from mediator.store.db import Database
from mediator.store.migrate import current_revision, head_revision, upgrade
from tests.conftest import FIXED_NOW
from tests.helpers import applicant, case_input, seed_county

KEY = "tiaojie-mima-2026"
NAME = "欧阳秀英"  # a party name that must not be readable in the encrypted file


@pytest.fixture
def plain(tmp_path):
    """A plain SQLite database with the sample county and one case of 欧阳秀英."""
    url = f"sqlite:///{tmp_path / 'office.db'}"
    db = Database(url)
    upgrade(db)
    ctx = ServiceContext(db, actor="管理员", clock=Clock(fixed=FIXED_NOW))
    seed_county(ctx)
    uc.register_case(ctx, case_input(parties=[applicant(name=NAME), case_input().parties[1]]))
    yield ctx
    ctx.db.dispose()


def _names_in(folder) -> list[str]:
    # The .presence folder names who has the database open (store/presence.py): not a copy.
    return sorted(p.name for p in folder.iterdir() if not p.name.endswith(".presence"))


def test_an_encrypted_database_reopens_with_its_key_and_search_works(plain, tmp_path, monkeypatch):
    monkeypatch.delenv(KEY_ENV, raising=False)
    path = tmp_path / "office.db"
    assert NAME.encode() in path.read_bytes() + (tmp_path / "office.db-wal").read_bytes()
    cases_before = count_cases(plain, CaseFilter())
    assert encryption_status(plain).can_enable
    enable_encryption(plain, KEY)
    assert is_encrypted(path) and plain.db.key == KEY
    # The same context goes on working with the encrypted file, and the act is audited.
    assert [r.number for r in list_cases(plain, CaseFilter(text="秀英"))]
    assert entries(plain)[0].action == "database.encrypt"
    assert verify(plain) == []
    status = encryption_status(plain)
    assert status.encrypted and not status.can_enable
    plain.db.dispose()
    assert _names_in(tmp_path) == ["office.db"]  # no plain copy, no stale write-ahead log left
    assert NAME.encode() not in path.read_bytes()
    assert b"SQLite format 3" not in path.read_bytes()[:16]

    url = f"sqlite:///{path}"
    assert database_needs_key(url)
    check_database_key(url, KEY)
    db = Database(url, key=KEY)
    try:
        upgrade(db)  # a no-op: already at head
        assert current_revision(db) == head_revision()
        ctx = ServiceContext(db, actor="管理员", clock=Clock(fixed=FIXED_NOW))
        assert count_cases(ctx, CaseFilter()) == cases_before
        found = list_cases(ctx, CaseFilter(text="阳秀英"))  # the trigram full-text index
        assert len(found) == 1
        uc.register_case(ctx, case_input())  # writes work too
        assert count_cases(ctx, CaseFilter()) == cases_before + 1
    finally:
        db.dispose()
    for file in tmp_path.iterdir():
        assert not file.is_file() or NAME.encode() not in file.read_bytes()


def test_a_wrong_key_or_no_key_is_refused_in_chinese(plain, tmp_path, monkeypatch):
    monkeypatch.delenv(KEY_ENV, raising=False)
    enable_encryption(plain, KEY)
    plain.db.dispose()
    url = f"sqlite:///{tmp_path / 'office.db'}"
    with pytest.raises(DomainError, match="数据库密码不正确"):
        check_database_key(url, "wrong-key-2026")
    db = Database(url, key="wrong-key-2026")
    with pytest.raises(WrongKey, match="数据库密码不正确"):
        current_revision(db)
    db.dispose()
    with pytest.raises(DomainError, match=KEY_ENV):
        Database(url)
    monkeypatch.setenv(KEY_ENV, KEY)  # the command line and scheduled jobs
    db = Database(url)
    try:
        assert current_revision(db) == head_revision()
    finally:
        db.dispose()


def test_refusals_weak_passphrase_twice_and_roles(plain):
    with pytest.raises(ValidationErrors) as weak:
        enable_encryption(plain, "short1")
    assert any("至少10位" in e.message for e in weak.value.errors)
    with pytest.raises(ValidationErrors, match="字母和数字"):
        enable_encryption(plain, "onlyletterspass")
    create_user(plain, username="li", display_name="李调解", password="mediator2026",
                role=Role.MEDIATOR, organization_id=None)
    plain.user = authenticate(plain, "li", "mediator2026")
    with pytest.raises(PermissionDenied):
        enable_encryption(plain, KEY)
    plain.user = None
    enable_encryption(plain, KEY)
    with pytest.raises(DomainError, match="已经加密"):
        enable_encryption(plain, KEY + "x")


def test_postgres_is_refused(ctx):
    if ctx.db.is_sqlite:
        pytest.skip("the refusal is for PostgreSQL")
    assert not encryption_status(ctx).can_enable
    with pytest.raises(DomainError, match="PostgreSQL"):
        enable_encryption(ctx, KEY)


def test_backups_of_an_encrypted_database_stay_encrypted_and_restore(plain, tmp_path):
    enable_encryption(plain, KEY)
    info = backup_to(plain, tmp_path / "backups")
    assert is_encrypted(info.path) and NAME.encode() not in info.path.read_bytes()
    assert check_backup(info.path, key=KEY) == head_revision()
    with pytest.raises(DomainError):
        check_backup(info.path)  # without the key it is not readable
    restore_from(plain, info.path, "测试恢复")
    assert count_cases(plain, CaseFilter(text="秀英")) == 1


def test_a_backup_from_before_the_encryption_is_restored_encrypted(plain, tmp_path):
    before = backup_to(plain, tmp_path / "backups")
    assert not is_encrypted(before.path)
    enable_encryption(plain, KEY)
    uc.register_case(plain, case_input())
    restore_from(plain, before.path, "测试恢复")
    path = tmp_path / "office.db"
    assert is_encrypted(path) and NAME.encode() not in path.read_bytes()
    assert count_cases(plain, CaseFilter(text="秀英")) == 1
    assert count_cases(plain, CaseFilter()) == count_cases(plain, CaseFilter(text="秀英"))
