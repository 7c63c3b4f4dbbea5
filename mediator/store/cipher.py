"""SQLCipher: an encrypted SQLite file (``sqlcipher3``), and encrypting a plain one safely.

A plain SQLite file starts with the 16-byte header ``SQLite format 3\\0``; an SQLCipher file starts
with random salt, so the header tells them apart without a key.

Encrypting copies the plain database into a new encrypted file (``sqlcipher_export``), checks the
copy (integrity and every table's row count) and only then swaps the files; the plain file is
kept aside until the encrypted one has been opened with the key at its final place, then deleted
(a plain copy left behind would defeat the encryption).
"""
from __future__ import annotations

import os
import sqlite3
from datetime import datetime
from pathlib import Path
from typing import Any

from mediator.domain.errors import DomainError

SQLITE_HEADER = b"SQLite format 3\x00"
KEY_ENV = "MEDIATOR_DATABASE_KEY"  # lets the command line and scheduled jobs open an encrypted file


class WrongKey(DomainError):
    """The passphrase does not open the encrypted database."""

    def __init__(self) -> None:
        super().__init__("数据库密码不正确，无法打开加密的数据库")


def dbapi() -> Any:
    """The ``sqlcipher3`` DB-API module (imported on first use: most databases are plain)."""
    from sqlcipher3 import dbapi2

    return dbapi2


def is_encrypted(path: str | Path) -> bool:
    """Whether ``path`` is an existing, non-empty file that is not a plain SQLite database."""
    path = Path(path)
    try:
        if not path.is_file() or path.stat().st_size == 0:
            return False
        with path.open("rb") as f:
            return f.read(len(SQLITE_HEADER)) != SQLITE_HEADER
    except OSError:
        return False


def _quote(key: str) -> str:
    return "'" + key.replace("'", "''") + "'"


def connect(path: str | Path, key: str | None = None, *, timeout: float = 30,
            readonly: bool = False, check_same_thread: bool = True) -> Any:
    """A DB-API connection to ``path``: plain ``sqlite3`` without a key, SQLCipher with one.

    The key is checked at once (WrongKey), so a wrong passphrase never gets as far as a query.
    """
    # A URI escapes what a file name may hold (#, ?, %); the plain name is taken as it is.
    target = f"{Path(path).absolute().as_uri()}?mode=ro" if readonly else str(path)
    if key is None:
        return sqlite3.connect(target, timeout=timeout, uri=readonly, check_same_thread=check_same_thread)
    module = dbapi()
    conn = module.connect(target, timeout=timeout, uri=readonly, check_same_thread=check_same_thread)
    try:
        conn.execute("PRAGMA cipher_log_level = NONE")  # a wrong key is our message, not stderr noise
        conn.execute(f"PRAGMA key = {_quote(key)}")
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except module.DatabaseError:
        conn.close()
        raise WrongKey() from None
    return conn


def database_errors() -> tuple[type[BaseException], ...]:
    """The DatabaseError classes of both drivers (for code that opens either kind of file)."""
    try:
        return (sqlite3.DatabaseError, dbapi().DatabaseError)
    except DomainError:
        return (sqlite3.DatabaseError,)


def check_key(path: str | Path, key: str) -> None:
    """Raise WrongKey unless ``key`` opens the encrypted file at ``path``."""
    connect(path, key).close()


def _table_counts(conn: Any, schema: str = "main") -> dict[str, int]:
    names = [row[0] for row in conn.execute(
        f"SELECT name FROM {schema}.sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]
    return {name: conn.execute(f'SELECT count(*) FROM {schema}."{name}"').fetchone()[0]
            for name in names}


def encrypt_file(path: str | Path, key: str) -> None:
    """Encrypt the plain SQLite database at ``path`` in place with ``key``.

    Every connection to the file must be closed first (the caller disposes its engine). On any
    failure the plain file is left (or put back) where it was and DomainError says why.
    """
    path = Path(path)
    module = dbapi()
    if is_encrypted(path):
        raise DomainError("数据库文件已经加密")
    if not path.is_file():
        raise DomainError(f"找不到数据库文件：{path}")
    stamp = datetime.now().strftime("%Y%m%d%H%M%S")
    encrypted = path.with_name(f"{path.stem}-加密中-{stamp}{path.suffix}")
    plain_aside = path.with_name(f"{path.stem}-加密前-{stamp}{path.suffix}")
    try:
        _export(module, path, encrypted, key)
    except BaseException:
        encrypted.unlink(missing_ok=True)
        raise
    for suffix in ("-wal", "-shm"):  # the write-ahead log of the plain file must not outlive it
        side = Path(f"{path}{suffix}")
        if suffix == "-wal" and side.is_file() and side.stat().st_size > 0:
            encrypted.unlink(missing_ok=True)
            raise DomainError("数据库正被其他程序使用，无法加密，请关闭其他使用该数据库的程序后重试")
        side.unlink(missing_ok=True)
    try:
        os.replace(path, plain_aside)
    except OSError as e:
        encrypted.unlink(missing_ok=True)
        raise DomainError(f"数据库文件正被其他程序使用，无法加密（{e.strerror or e}），"
                          "请关闭其他使用该数据库的程序后重试") from None
    try:
        os.replace(encrypted, path)
        check_key(path, key)
    except BaseException:
        os.replace(plain_aside, path)
        encrypted.unlink(missing_ok=True)
        raise
    plain_aside.unlink()


def _export(module: Any, path: Path, encrypted: Path, key: str) -> None:
    """Copy the plain database into a new encrypted file and check the copy."""
    conn = module.connect(str(path), timeout=30)
    try:
        conn.execute("PRAGMA cipher_log_level = NONE")
        # The WAL's pages go back into the main file, so the file alone is the whole database.
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        counts = _table_counts(conn)
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        conn.execute("ATTACH DATABASE ? AS encrypted KEY ?", (str(encrypted), key))
        conn.execute("SELECT sqlcipher_export('encrypted')")
        conn.execute(f"PRAGMA encrypted.user_version = {int(version)}")
        conn.execute("DETACH DATABASE encrypted")
    except module.DatabaseError as e:
        raise DomainError(f"加密数据库失败：{e}") from None
    finally:
        conn.close()
    check = connect(encrypted, key)
    try:
        result = check.execute("PRAGMA integrity_check").fetchone()[0]
        copied = _table_counts(check)
    finally:
        check.close()
    if result != "ok" or copied != counts:
        raise DomainError("加密后的数据库校验未通过，原数据库未作改动")
    if not is_encrypted(encrypted):
        raise DomainError("加密后的数据库仍是明文，原数据库未作改动")


__all__ = ["KEY_ENV", "SQLITE_HEADER", "WrongKey", "check_key", "connect",
           "database_errors", "dbapi", "encrypt_file", "is_encrypted"]
