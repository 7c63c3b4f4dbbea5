"""What every child process shares: its command line, the ready/go handshake, the service context.

A child imports everything first, prints ``ready`` and waits for ``go`` on stdin, so the parent's
clock (and its SIGKILL) starts inside real database work, not while Python modules load. Each
line it prints is flushed at once: a line the parent read names something already committed.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

if __package__ in (None, ""):  # run by path: make the repository importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from sqlalchemy.orm import configure_mappers
from sqlmodel import select

from mediator.services.context import Clock, ServiceContext
from mediator.store.db import Database
from mediator.store.migrate import upgrade
from mediator.store.models import Case
from tests.conftest import FIXED_NOW


def arguments(description: str) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("url", help="SQLAlchemy URL of the database")
    parser.add_argument("--schema", default=None, help="PostgreSQL schema (tests use their own)")
    parser.add_argument("--migrate", action="store_true", help="upgrade the schema first")
    parser.add_argument("--no-wait", action="store_true", help="start at once, without ready/go")
    return parser


def emit(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def wait_for_go(args: argparse.Namespace) -> None:
    """Tell the parent the imports are done and block until it says ``go``."""
    if args.no_wait:
        return
    emit("ready")
    if sys.stdin.readline().strip() != "go":
        raise SystemExit(0)  # the parent went away or sent us home


def open_context(args: argparse.Namespace, actor: str) -> ServiceContext:
    """A context on the database; the clock is the tests' fixed one, so dates stay valid."""
    db = Database(args.url, schema=args.schema)
    if args.migrate:
        upgrade(db)
    ctx = ServiceContext(db, actor=actor, clock=Clock(fixed=FIXED_NOW))
    # Warm up before saying ready: connect and set up the mappers, so the work starts at once.
    configure_mappers()
    with ctx.read() as session:
        session.exec(select(Case.id).limit(1)).first()
    return ctx
