"""The bench's databases: a county of N demo cases built once and kept in ``.bench-cache/``.

The cached file is keyed by the demo generator's version (a hash of its source) and the case
count, so a changed generator builds a new county; each bench run works on a fresh copy of it,
migrated to the newest schema, so nothing a run writes leaks into the next one.
"""
from __future__ import annotations

import hashlib
import shutil
import time
from datetime import datetime
from pathlib import Path

from mediator.domain.errors import ValidationErrors

ROOT = Path(__file__).resolve().parents[2]
CACHE = ROOT / ".bench-cache"
GENERATOR = ROOT / "mediator" / "services" / "exchange" / "demo_data"  # a package
SEED = 1
BENCH_USER = "bench"
BENCH_PASSWORD = "bench2026"


def bench_clock():
    from mediator.services.context import SHANGHAI, Clock

    return Clock(fixed=datetime(2026, 11, 29, 10, 0, tzinfo=SHANGHAI))


def generator_version() -> str:
    digest = hashlib.sha256()
    for module in sorted(GENERATOR.glob("*.py")):
        digest.update(module.read_bytes())
    return digest.hexdigest()[:12]


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


def remove_database(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def county_database(cases: int) -> Path:
    """The cached county with ``cases`` demo cases (built now if missing: minutes at 100,000)."""
    CACHE.mkdir(exist_ok=True)
    path = CACHE / f"county-{generator_version()}-{cases}.db"
    if path.exists():
        return path
    for old in CACHE.glob(f"county-*-{cases}.*"):  # an older generator's county and its ledger
        old.unlink()
    building = CACHE / f"building-{cases}.db"
    remove_database(building)
    print(f"building the {cases}-case county (demo generator {generator_version()}), once…", flush=True)
    started = time.perf_counter()
    from mediator.domain.permissions import Role
    from mediator.services.context import ServiceContext
    from mediator.services.exchange.demo import load_demo
    from mediator.services.safety.auth import create_user
    from mediator.store.db import Database
    from mediator.store.migrate import upgrade

    db = Database(sqlite_url(building))
    try:
        upgrade(db)
        ctx = ServiceContext(db, actor="测评", clock=bench_clock())
        try:
            load_demo(ctx, cases=cases, seed=SEED)
        except ValidationErrors as e:
            _load_valid_cases(ctx, cases, e)
        create_user(ctx, username=BENCH_USER, display_name="测评员", password=BENCH_PASSWORD,
                    role=Role.ADMIN, organization_id=None)
        with db.engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")  # no ANALYZE: the app runs none
    finally:
        db.dispose()
    Path(f"{building}-wal").unlink(missing_ok=True)
    building.rename(path)
    print(f"  built in {time.perf_counter() - started:.0f} s: {path.name}", flush=True)
    return path


def _load_valid_cases(ctx, cases: int, failure: Exception) -> None:
    """The generator made cases the importer refuses: load ``cases`` good ones and say so."""
    import re

    from mediator.services.exchange.bulk import bulk_import_document, gc_paused
    from mediator.services.exchange.demo_data import build_demo_document

    faulty = {int(m) for m in re.findall(r"cases\[(\d+)\]", str(failure))}
    print(f"  NOTE: the demo generator made {len(faulty)} cases the importer refuses "
          f"(first: {str(failure).splitlines()[0]}); they are left out", flush=True)
    with gc_paused():
        document = build_demo_document(cases=cases + 2 * len(faulty) + 10, seed=SEED, today=ctx.today())
        kept = [c for i, c in enumerate(document["cases"]) if i not in faulty]
        document["cases"] = kept[:cases]
        try:
            bulk_import_document(ctx, document)
        except ValidationErrors as again:
            # More faults among the extra cases: drop those too.
            more = {int(m) for m in re.findall(r"cases\[(\d+)\]", str(again))}
            document["cases"] = [c for i, c in enumerate(document["cases"]) if i not in more]
            bulk_import_document(ctx, document)


def work_copy(source: Path, name: str = "work") -> Path:
    """A fresh copy of ``source`` for one run, upgraded to the newest schema."""
    from mediator.store.db import Database
    from mediator.store.migrate import upgrade

    target = CACHE / f"{name}.db"
    remove_database(target)
    shutil.copyfile(source, target)
    db = Database(sqlite_url(target))
    try:
        upgrade(db)
    finally:
        db.dispose()
    return target


def empty_database(name: str) -> Path:
    """A new, migrated, empty database file in the cache folder."""
    from mediator.store.db import Database
    from mediator.store.migrate import upgrade

    target = CACHE / f"{name}.db"
    remove_database(target)
    db = Database(sqlite_url(target))
    try:
        upgrade(db)
    finally:
        db.dispose()
    return target
