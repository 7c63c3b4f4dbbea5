"""PostgreSQL: the application's login role cannot change audit rows (issue 18, point 1).

A role of its own per test: granted by the schema's owner (``db grant-app-role``), it runs the
app's use cases, appends to the audit log, and is refused UPDATE, DELETE and TRUNCATE there,
even with the maintenance switch on and even when someone granted it more.
"""
from __future__ import annotations

import uuid

import pytest
import sqlalchemy as sa

from mediator.domain.errors import DomainError, ValidationError
from mediator.services import audit
from mediator.services.cases import lifecycle as uc
from mediator.services.context import ServiceContext
from mediator.services.opening import grant_app_role
from mediator.store.db import Database
from tests.conftest import postgres_url
from tests.helpers import case_input, seed_county

REFUSED = ("UPDATE audit_entry SET target = 'x'", "DELETE FROM audit_entry", "TRUNCATE audit_entry")


@pytest.fixture
def app_role(ctx, database):
    if database.is_sqlite:
        pytest.skip("database roles are PostgreSQL's")
    role = f"mediator_app_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(postgres_url())
    with admin.begin() as conn:
        conn.exec_driver_sql(f'CREATE ROLE "{role}" LOGIN')
    app_db = Database(sa.make_url(postgres_url()).set(username=role).render_as_string(hide_password=False),
                      schema=database.schema)
    try:
        yield role, ServiceContext(app_db, actor="程序角色", clock=ctx.clock)
    finally:
        app_db.dispose()
        with admin.begin() as conn:
            conn.exec_driver_sql(f'DROP OWNED BY "{role}"')
            conn.exec_driver_sql(f'DROP ROLE "{role}"')
        admin.dispose()


def _refused(db: Database, statement: str, *, maintenance: bool = False) -> str:
    with pytest.raises(sa.exc.DBAPIError) as info:
        with db.engine.begin() as conn:
            if maintenance:
                conn.exec_driver_sql("SET LOCAL mediator.audit_maintenance = 'on'")
            conn.exec_driver_sql(statement)
    return str(info.value.orig)


def test_the_app_role_works_and_may_only_append_to_the_audit_log(ctx, app_role):
    role, app = app_role
    seed_county(ctx)
    statements = grant_app_role(ctx, role)
    assert any("GRANT SELECT, INSERT ON TABLE" in s and "audit_entry" in s for s in statements)
    before = audit.head(ctx).count

    case_id = uc.register_case(app, case_input()).id  # the app's use cases, audited by the role
    uc.accept_case(app, case_id)
    assert audit.head(app).count == before + 2 and audit.verify(app) == []

    for statement in REFUSED:
        assert "permission denied" in _refused(app.db, statement)
        assert "permission denied" in _refused(app.db, statement, maintenance=True)
    with pytest.raises(sa.exc.DBAPIError):
        with app.db.engine.begin() as conn:
            conn.exec_driver_sql("UPDATE alembic_version SET version_num = 'x'")

    # Granted more by mistake: the trigger still refuses it, the switch is the owner's alone.
    with ctx.db.engine.begin() as conn:
        conn.exec_driver_sql(f'GRANT UPDATE, DELETE, TRUNCATE ON audit_entry TO "{role}"')
    for statement in REFUSED:
        assert "审计日志只能追加" in _refused(app.db, statement, maintenance=True)
    assert audit.verify(app) == [] and audit.head(app).count == before + 2


def test_the_owner_changes_audit_rows_only_with_the_maintenance_switch(ctx, app_role):
    seed_county(ctx)
    for statement in REFUSED:
        assert "审计日志只能追加" in _refused(ctx.db, statement)
    with ctx.db.engine.begin() as conn:
        conn.exec_driver_sql("SET LOCAL mediator.audit_maintenance = 'on'")
        conn.exec_driver_sql("DELETE FROM audit_entry")
    assert audit.verify(ctx)  # the head still counts the deleted entries


def test_granting_names_an_existing_ordinary_role(ctx, database, app_role):
    for bad, words in (("no-such role", "字母、数字和下划线"), (f"r{uuid.uuid4().hex[:8]}", "没有角色"),
                       ("postgres", "超级用户")):
        with pytest.raises(ValidationError) as info:
            grant_app_role(ctx, bad)
        assert info.value.path == "role" and words in info.value.message


def test_sqlite_has_no_database_roles(tmp_path):
    from tests.templates import migrated_sqlite

    ctx = ServiceContext(migrated_sqlite(tmp_path / "r.db"), actor="测试员")
    with pytest.raises(DomainError) as info:
        grant_app_role(ctx, "mediator_app")
    assert "PostgreSQL" in info.value.message
    ctx.db.dispose()


def test_the_command_line_grants_as_the_owner_without_as(ctx, database, app_role, capsys):
    from mediator.cli import main

    role, app = app_role
    url = sa.make_url(postgres_url()).update_query_dict({"options": f"-csearch_path={database.schema}"})
    assert main(["--db", url.render_as_string(hide_password=False), "db", "grant-app-role", role]) == 0
    out = capsys.readouterr().out.strip().splitlines()
    assert out[-1].startswith(f"已授权角色 {role}") and any("audit_entry" in line for line in out)
    assert [e.action for e in audit.entries(ctx, limit=1)] == ["db.grant_app_role"]
    with app.db.engine.connect() as conn:  # the role now reads the schema
        assert conn.execute(sa.text("SELECT count(*) FROM audit_entry")).scalar() >= 1
