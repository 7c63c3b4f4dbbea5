"""The bench's PostgreSQL county: the same demo county as ``cache.py``, built once into a database.

The database is named by the demo generator's version and the case count
(``bench_county_<version>_<cases>``) on the local server, so a changed generator builds a new one
and drops the old. It is built as ``bench_building_<cases>``, ANALYZEd (a county server's
autovacuum would have analysed it long before anyone opened the list) and renamed when complete.
Each run works on a copy (``CREATE DATABASE … TEMPLATE``, a file copy of seconds), so what the load
test writes never leaks into the next run.
"""
from __future__ import annotations

import os
import time

import sqlalchemy as sa

from mediator.domain.errors import ValidationErrors
from tests.bench.cache import BENCH_PASSWORD, BENCH_USER, SEED, _load_valid_cases, bench_clock, generator_version

DEFAULT_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def server_url() -> str:
    """Any database on the server, to create and drop the bench's databases from."""
    return os.environ.get("MEDIATOR_BENCH_POSTGRES_URL") or os.environ.get("MEDIATOR_TEST_POSTGRES_URL") \
        or DEFAULT_URL


def database_url(name: str) -> str:
    return sa.make_url(server_url()).set(database=name).render_as_string(hide_password=False)


def county_name(cases: int) -> str:
    return f"bench_county_{generator_version()}_{cases}"


def _admin() -> sa.Engine:
    return sa.create_engine(server_url(), isolation_level="AUTOCOMMIT")


def _databases(conn, pattern: str) -> list[str]:
    rows = conn.execute(sa.text("SELECT datname FROM pg_database WHERE datname LIKE :p"), {"p": pattern})
    return [r[0] for r in rows]


def county_database(cases: int) -> str:
    """The PostgreSQL database holding the county of ``cases`` demo cases (built now if missing)."""
    name = county_name(cases)
    building = f"bench_building_{cases}"
    admin = _admin()
    try:
        with admin.connect() as conn:
            if name in _databases(conn, name):
                return name
            for old in _databases(conn, f"bench\\_county\\_%\\_{cases}") + _databases(conn, building):
                conn.execute(sa.text(f'DROP DATABASE "{old}" WITH (FORCE)'))
            conn.execute(sa.text(f'CREATE DATABASE "{building}"'))
        print(f"building the {cases}-case county in PostgreSQL (demo generator {generator_version()}), once…",
              flush=True)
        started = time.perf_counter()
        _build(database_url(building), cases)
        with admin.connect() as conn:
            conn.execute(sa.text(f'ALTER DATABASE "{building}" RENAME TO "{name}"'))
        print(f"  built in {time.perf_counter() - started:.0f} s: database {name}", flush=True)
    finally:
        admin.dispose()
    return name


def _build(url: str, cases: int) -> None:
    from mediator.domain.permissions import Role
    from mediator.services.context import ServiceContext
    from mediator.services.exchange.demo import load_demo
    from mediator.services.safety.auth import create_user
    from mediator.store.db import Database
    from mediator.store.migrate import upgrade

    db = Database(url)
    try:
        upgrade(db)
        ctx = ServiceContext(db, actor="测评", clock=bench_clock())
        try:
            load_demo(ctx, cases=cases, seed=SEED)
        except ValidationErrors as e:
            _load_valid_cases(ctx, cases, e)
        create_user(ctx, username=BENCH_USER, display_name="测评员", password=BENCH_PASSWORD,
                    role=Role.ADMIN, organization_id=None)
    finally:
        db.dispose()
    analyze(url)


def analyze(url: str) -> None:
    engine = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            conn.execute(sa.text("VACUUM ANALYZE"))
    finally:
        engine.dispose()


def work_copy(county: str, name: str = "work") -> str:
    """A fresh copy of the county database for one run, upgraded to the newest schema; its URL."""
    from mediator.store.db import Database
    from mediator.store.migrate import upgrade

    target = f"bench_{name}"
    admin = _admin()
    try:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{target}" WITH (FORCE)'))
            conn.execute(sa.text(f'CREATE DATABASE "{target}" TEMPLATE "{county}"'))
    finally:
        admin.dispose()
    url = database_url(target)
    db = Database(url)
    try:
        upgrade(db)
    finally:
        db.dispose()
    return url


def drop_copy(url: str) -> None:
    name = sa.make_url(url).database
    admin = _admin()
    try:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        admin.dispose()


if __name__ == "__main__":
    import sys

    print(county_database(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000))
