"""The command line while another program holds the SQLite write lock: it says it waits, then
writes; past the limit a Chinese 「数据库繁忙」 and exit code 2, never 「database is locked」."""
from __future__ import annotations

import sqlite3
import threading
import time

from mediator.cli import main
from mediator.domain.errors import DATABASE_WAITING
from mediator.store import write_lock
from tests.conftest import SAMPLE_CASES


def _held(path, seconds: float) -> threading.Thread:
    taken = threading.Event()

    def hold() -> None:
        conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        conn.execute("BEGIN IMMEDIATE")
        taken.set()
        time.sleep(seconds)
        conn.execute("ROLLBACK")
        conn.close()

    thread = threading.Thread(target=hold)
    thread.start()
    taken.wait(5)
    return thread


def test_an_import_waits_for_the_lock_and_says_so(capsys, tmp_path, monkeypatch):
    monkeypatch.setattr(write_lock, "NOTICE_AFTER", 0.2)
    path = tmp_path / "cli.db"
    url = f"sqlite:///{path}"
    assert main(["--db", url, "init"]) == 0
    capsys.readouterr()
    holder = _held(path, 1.0)
    code = main(["--db", url, "import", str(SAMPLE_CASES)])
    holder.join()
    out, err = capsys.readouterr()
    assert code == 0 and "导入案件3件" in out
    assert DATABASE_WAITING in err


def test_past_the_limit_it_is_busy_in_chinese(capsys, tmp_path, monkeypatch):
    monkeypatch.setattr(write_lock, "NOTICE_AFTER", 0.1)
    monkeypatch.setattr(write_lock, "WAIT_LIMIT", 0.4)
    path = tmp_path / "cli.db"
    url = f"sqlite:///{path}"
    assert main(["--db", url, "init"]) == 0
    capsys.readouterr()
    holder = _held(path, 1.5)
    code = main(["--db", url, "import", str(SAMPLE_CASES)])
    holder.join()
    _, err = capsys.readouterr()
    assert code == 2 and "数据库繁忙" in err and "locked" not in err
