"""Optional encryption of the SQLite file with SQLCipher (the 系统 page's 数据库加密 section).

Once encrypted, the file needs its passphrase at every start (asked before login; the command
line reads ``MEDIATOR_DATABASE_KEY``). There is no way back and no recovery of a lost passphrase.
"""
from __future__ import annotations

from dataclasses import dataclass

from mediator.domain.errors import DomainError, ValidationError, ValidationErrors
from mediator.domain.permissions import Permission
from mediator.services import audit
from mediator.services.context import ServiceContext
from mediator.services.permissions import requires
from mediator.store import cipher
from mediator.store.db import encrypted_file, sqlite_file

MIN_PASSPHRASE = 10


@dataclass(frozen=True)
class EncryptionStatus:
    encrypted: bool
    can_enable: bool  # a plain SQLite file and SQLCipher installed
    note: str  # what the 系统 page shows beside the status


def passphrase_problems(passphrase: str) -> list[str]:
    """Why a database passphrase is too weak (empty list when it is acceptable)."""
    problems = []
    if len(passphrase) < MIN_PASSPHRASE:
        problems.append(f"数据库密码至少{MIN_PASSPHRASE}位")
    if not any(c.isalpha() for c in passphrase) or not any(c.isdigit() for c in passphrase):
        problems.append("数据库密码须同时包含字母和数字")
    if passphrase != passphrase.strip():
        problems.append("数据库密码首尾不能有空格")
    return problems


@requires(Permission.CASE_READ)
def encryption_status(ctx: ServiceContext) -> EncryptionStatus:
    """Whether the database file is encrypted, and whether it can be."""
    path = sqlite_file(ctx.db.url)
    if path is None:
        note = ("PostgreSQL 数据库由服务器管理员负责加密和访问控制" if not ctx.db.is_sqlite
                else "内存数据库无需加密")
        return EncryptionStatus(False, False, note)
    if ctx.db.key is not None or cipher.is_encrypted(path):
        return EncryptionStatus(True, False, "数据库文件已用 SQLCipher 加密，每次启动程序须输入数据库密码")
    return EncryptionStatus(False, True, "数据库文件未加密：拿到文件的人可以直接读取其中的个人信息")


@requires(Permission.SETTINGS_EDIT)
def enable_encryption(ctx: ServiceContext, passphrase: str) -> None:
    """Encrypt the SQLite file with ``passphrase`` and go on working with the encrypted file.

    Refused on PostgreSQL, for an in-memory database and when the file is already encrypted.
    """
    path = sqlite_file(ctx.db.url)
    if not ctx.db.is_sqlite:
        raise DomainError("PostgreSQL 数据库不能用本程序加密，请由服务器管理员配置磁盘加密和访问控制")
    if path is None:
        raise DomainError("内存数据库无法加密")
    if ctx.db.key is not None or cipher.is_encrypted(path):
        raise DomainError("数据库已经加密，无需再次加密")
    passphrase = passphrase if isinstance(passphrase, str) else ""
    problems = passphrase_problems(passphrase)
    if problems:
        raise ValidationErrors([ValidationError("passphrase", p) for p in problems])
    ctx.db.engine.dispose()  # every connection closed: the file is about to be swapped
    cipher.encrypt_file(path, passphrase)
    ctx.db.use_key(passphrase)
    audit.log(ctx, "database.encrypt", path.name)


def database_needs_key(url: str) -> bool:
    """Whether the database at ``url`` is an encrypted SQLite file (asked before login)."""
    return encrypted_file(url) is not None


def check_database_key(url: str, passphrase: str) -> None:
    """Raise DomainError (数据库密码不正确) unless ``passphrase`` opens the encrypted file."""
    path = encrypted_file(url)
    if path is None:
        raise DomainError("数据库文件未加密")
    cipher.check_key(path, passphrase or "")


__all__ = ["EncryptionStatus", "check_database_key", "database_needs_key", "enable_encryption",
           "encryption_status", "passphrase_problems"]
