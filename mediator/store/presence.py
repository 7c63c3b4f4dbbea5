"""Who has a SQLite database open: one OS-locked file per process in ``<db>.presence/``.

Every process that opens the database holds an exclusive lock on ``<host>-<pid>.lock`` (JSON: user,
host, pid, since) for as long as it runs; the operating system drops the lock when the process ends,
however it ends. A restore scans the folder: a file it can lock belongs to a process that is gone
(removed), one it cannot lock belongs to a live process, which the restore names and waits for.
Best effort: a folder that cannot be written (a read-only share) only loses the names, the
restore's ``BEGIN EXCLUSIVE`` still refuses while another process writes.
"""
from __future__ import annotations

import atexit
import contextlib
import getpass
import json
import os
import socket
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

FOLDER_SUFFIX = ".presence"
_LOCK_OFFSET = 1 << 20  # Windows locks a byte range: lock one far past the JSON, which stays readable


@dataclass(frozen=True)
class Holder:
    """A live process that has the database open."""

    user: str
    host: str
    pid: int
    since: str

    def describe(self) -> str:
        return f"{self.user}（电脑 {self.host}，进程 {self.pid}）"


@dataclass
class _Held:
    fd: int
    file: Path
    pid: int


_held: dict[Path, _Held] = {}


def folder_of(db_file: Path) -> Path:
    return db_file.with_name(db_file.name + FOLDER_SUFFIX)


def _own_name() -> str:
    return f"{socket.gethostname()}-{os.getpid()}.lock"


def _try_lock(fd: int) -> bool:
    try:
        if os.name == "nt":
            import msvcrt

            os.lseek(fd, _LOCK_OFFSET, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        else:
            import fcntl

            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


def _os_user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name (a service account): the host and pid still say who
        return "未知用户"


def announce(db_file: Path, user: str | None = None) -> None:
    """Mark this process as having ``db_file`` open (as ``user``, or the OS login name)."""
    key = Path(os.path.abspath(db_file))
    held = _held.get(key)
    if held is not None and held.pid != os.getpid():  # a forked child: its own file, its own lock
        os.close(held.fd)
        held = None
    try:
        if held is None:
            file = folder_of(key) / _own_name()
            fd = _open_own(file)
            if not _try_lock(fd):
                os.close(fd)
                return
            held = _Held(fd, file, os.getpid())
            _held[key] = held
        elif user is None:
            return
        text = json.dumps({"user": user or _os_user(), "host": socket.gethostname(), "pid": os.getpid(),
                           "since": datetime.now().isoformat(timespec="seconds")}, ensure_ascii=False)
        os.lseek(held.fd, 0, os.SEEK_SET)
        os.ftruncate(held.fd, 0)
        os.write(held.fd, text.encode("utf-8"))
    except OSError:
        return


def _open_own(file: Path) -> int:
    for _ in range(3):  # another process may remove the emptied folder between our mkdir and open
        file.parent.mkdir(exist_ok=True)
        try:
            return os.open(file, os.O_RDWR | os.O_CREAT, 0o644)
        except FileNotFoundError:
            continue
    raise FileNotFoundError(file)


def withdraw(db_file: Path) -> None:
    """This process no longer has ``db_file`` open."""
    held = _held.pop(Path(os.path.abspath(db_file)), None)
    if held is None or held.pid != os.getpid():
        return
    with contextlib.suppress(OSError):
        held.file.unlink()
    with contextlib.suppress(OSError):
        os.close(held.fd)
    with contextlib.suppress(OSError):  # the last one out leaves no empty folder beside the file
        held.file.parent.rmdir()


def others(db_file: Path) -> list[Holder]:
    """The live processes other than this one that have ``db_file`` open; stale files are removed."""
    folder = folder_of(Path(os.path.abspath(db_file)))
    if not folder.is_dir():
        return []
    holders: list[Holder] = []
    for file in sorted(folder.glob("*.lock")):
        if file.name == _own_name():
            continue
        try:
            fd = os.open(file, os.O_RDWR)
        except OSError:
            continue
        try:
            if _try_lock(fd):  # nobody holds it: its process is gone
                with contextlib.suppress(OSError):
                    file.unlink()
                continue
            holders.append(_read(fd, file))
        finally:
            os.close(fd)
    return holders


def _read(fd: int, file: Path) -> Holder:
    try:
        os.lseek(fd, 0, os.SEEK_SET)
        data = json.loads(os.read(fd, 4096).decode("utf-8"))
        return Holder(str(data["user"]), str(data["host"]), int(data["pid"]), str(data.get("since", "")))
    except (OSError, ValueError, KeyError, TypeError):
        host, _, pid = file.stem.rpartition("-")
        return Holder("未知用户", host, int(pid) if pid.isdigit() else 0, "")


@atexit.register
def _withdraw_all() -> None:
    for key in list(_held):
        withdraw(key)
