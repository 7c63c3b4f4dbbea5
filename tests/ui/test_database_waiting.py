"""A write that waits for another program's SQLite write lock says so in the status bar, then writes."""
from __future__ import annotations

import sqlite3
import threading
import time

import sqlalchemy as sa

from mediator.domain.errors import DATABASE_WAITING
from mediator.services.cases.corrections import update_case_info
from mediator.store import write_lock
from mediator.store.models import Case
from mediator.ui.main_window import MainWindow


def test_a_waiting_write_shows_in_the_status_bar_until_it_gets_through(env, qtbot, monkeypatch):
    monkeypatch.setattr(write_lock, "NOTICE_AFTER", 0.2)
    window = MainWindow(env)
    qtbot.addWidget(window)
    window.show()
    with env.ctx.read() as s:
        case_id, version = s.execute(sa.select(Case.id, Case.version).limit(1)).one()
    # Another program (a long import) holds the write lock for a while.
    other = sqlite3.connect(sa.make_url(env.ctx.db.url).database, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    done: list[object] = []
    writer = threading.Thread(target=lambda: done.append(
        update_case_info(env.ctx, case_id, version, requests="等待后写入")))
    writer.start()
    qtbot.waitUntil(lambda: window.statusBar().currentMessage() == DATABASE_WAITING, timeout=3000)
    window.grab().save("/tmp/locks-waiting.png")
    time.sleep(0.1)
    other.execute("COMMIT")
    other.close()
    writer.join(10)
    qtbot.waitUntil(lambda: window.statusBar().currentMessage() == "", timeout=3000)
    assert done, "the write went through once the lock was free"
