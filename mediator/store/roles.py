"""PostgreSQL: the application's own database role, with only the privileges the app needs.

The migration owner (who runs ``mediator-cli init``) owns the schema. The application role may
read and write every table, but the audit table only SELECT and INSERT, and the schema version
only SELECT: an application login cannot rewrite the audit trail, and the triggers of migration
0019 refuse it even if someone grants it more.
"""
from __future__ import annotations

import re

import sqlalchemy as sa

from mediator.domain.errors import DomainError, ValidationError
from mediator.store.db import Database

AUDIT_TABLE = "audit_entry"
READ_ONLY_TABLES = ("alembic_version",)
_ROLE = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,62}")


def app_role_grants(role: str, schema: str) -> list[str]:
    """The statements that give ``role`` the application's privileges in ``schema``."""
    q = sa.dialects.postgresql.dialect().identifier_preparer.quote
    r, s = q(role), q(schema)
    statements = [
        f"GRANT USAGE ON SCHEMA {s} TO {r}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {s} TO {r}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {s} TO {r}",
        f"REVOKE ALL ON TABLE {s}.{AUDIT_TABLE} FROM {r}",
        f"GRANT SELECT, INSERT ON TABLE {s}.{AUDIT_TABLE} TO {r}",
    ]
    for table in READ_ONLY_TABLES:
        statements += [f"REVOKE ALL ON TABLE {s}.{table} FROM {r}", f"GRANT SELECT ON TABLE {s}.{table} TO {r}"]
    return statements


def grant_app_role(db: Database, role: str) -> tuple[str, list[str]]:
    """Grant ``role`` the application's privileges in the database's schema, as its owner.

    Returns the schema and the statements run. Run again after every ``mediator-cli init``
    that adds tables (a new table has no grants for the role yet).
    """
    if db.is_sqlite:
        raise DomainError("数据库角色只用于 PostgreSQL；SQLite 文件由操作系统的文件权限保护")
    role = (role or "").strip()
    if not _ROLE.fullmatch(role):
        raise ValidationError("role", "数据库角色名应由字母、数字和下划线组成，以字母或下划线开头，至多63个字符")
    with db.engine.begin() as conn:
        if conn.execute(sa.text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": role}).first() is None:
            raise ValidationError("role", f"数据库中没有角色“{role}”，"
                                          f"请先由管理员创建：CREATE ROLE {role} LOGIN PASSWORD '…'")
        if conn.execute(sa.text("SELECT rolsuper FROM pg_roles WHERE rolname = :r"), {"r": role}).scalar():
            raise ValidationError("role", f"角色“{role}”是超级用户，不受任何授权限制，不能作为程序的数据库角色")
        schema = conn.execute(sa.text("SELECT current_schema()")).scalar()
        statements = app_role_grants(role, schema)
        for statement in statements:
            conn.exec_driver_sql(statement)
    return schema, statements
