"""Shared fixtures: a fresh database per test on SQLite and on PostgreSQL, a fixed clock."""
from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import uuid
from datetime import datetime
from pathlib import Path

import pytest
import sqlalchemy as sa

from mediator.services.context import SHANGHAI, Clock, ServiceContext
from mediator.store.db import Database
from tests.templates import fill_postgres_schema, migrated_sqlite

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data"  # the suite reads its data from inside the repository only
SAMPLE_CASES = DATA / "sample-cases.json"
DEFAULT_PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
FIXED_NOW = datetime(2026, 11, 29, 10, 0, tzinfo=SHANGHAI)


def postgres_url() -> str:
    return os.environ.get("MEDIATOR_TEST_POSTGRES_URL", DEFAULT_PG_URL)


_pg_state: dict[str, str | None] = {}


def _postgres_unreachable() -> str | None:
    """None when the server answers, else why not (checked once per run)."""
    if "reason" not in _pg_state:
        try:
            engine = sa.create_engine(postgres_url(), connect_args={"connect_timeout": 3})
            with engine.connect() as conn:
                conn.execute(sa.text("select 1"))
            engine.dispose()
            _pg_state["reason"] = None
        except Exception as exc:
            _pg_state["reason"] = f"PostgreSQL unreachable at {postgres_url()}: {exc.__class__.__name__}"
    return _pg_state["reason"]


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database(request, tmp_path):
    """A migrated, empty database: a temp SQLite file, or a private PostgreSQL schema."""
    if request.param == "sqlite":
        db = migrated_sqlite(tmp_path / "test.db")
        yield db
        db.dispose()
        return
    reason = _postgres_unreachable()
    if reason:
        if os.environ.get("MEDIATOR_REQUIRE_POSTGRES"):
            pytest.fail(reason)
        pytest.skip(reason)
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(postgres_url())
    with admin.begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    fill_postgres_schema(postgres_url(), schema)
    db = Database(postgres_url(), schema=schema)
    try:
        yield db
    finally:
        db.dispose()
        with admin.begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture
def ctx(database) -> ServiceContext:
    return ServiceContext(database, actor="测试员", clock=Clock(fixed=FIXED_NOW))


@pytest.fixture(autouse=True)
def _no_ocr_warm_up(monkeypatch):
    """Party dialogs open in many tests: none loads the ~100 MB OCR engine in a thread behind them
    (the tests that read a card load it themselves)."""
    from mediator.ui import idcard_warm_up

    monkeypatch.setattr(idcard_warm_up, "enabled", False)


@pytest.fixture(autouse=True)
def _no_modal_dialogs(monkeypatch):
    """A modal dialog nobody answers would hang the run until CI kills it; fail the test instead.

    Tests answer questions by patching ``ask``/``inform`` or the page's file dialog, as a user would.
    """
    from PySide6.QtWidgets import QDialog, QFileDialog, QInputDialog, QMessageBox

    def refuse(name):
        def modal(*args, **_kwargs):
            text = " / ".join(str(a) for a in args if isinstance(a, str))
            raise AssertionError(f"a modal {name} opened in a test and would block: {text}")
        return modal

    for owner, names in ((QMessageBox, ("exec", "question", "warning", "information", "critical",
                                        "about")),
                         (QDialog, ("exec",)),
                         (QFileDialog, ("getOpenFileName", "getSaveFileName",
                                        "getExistingDirectory", "exec")),
                         (QInputDialog, ("getText", "getInt", "getItem", "exec"))):
        for name in names:
            monkeypatch.setattr(owner, name, refuse(f"{owner.__name__}.{name}"))
