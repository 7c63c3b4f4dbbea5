"""audit: the audit table is append-only for the application (triggers on SQLite and PostgreSQL)

SQLite: BEFORE UPDATE / BEFORE DELETE triggers abort, so no code path of the app can change or
remove an entry (someone holding the file can still drop the triggers: the anchor of
``audit head`` is what catches that). PostgreSQL: a row trigger refuses UPDATE and DELETE and a
statement trigger refuses TRUNCATE, unless the session sets ``mediator.audit_maintenance = 'on'``
AND its user is (a member of) the table's owner: the application role, which only gets SELECT
and INSERT on the table (``mediator-cli db grant-app-role``), cannot switch it off.

Revision ID: 0019
Revises: 0016
Create Date: 2026-12-08
"""
from alembic import op

revision = '0019'
down_revision = '0018'
branch_labels = None
depends_on = None

_SQLITE = (
    "CREATE TRIGGER audit_entry_no_update BEFORE UPDATE ON audit_entry "
    "BEGIN SELECT RAISE(ABORT, '审计日志只能追加，不能修改'); END",
    "CREATE TRIGGER audit_entry_no_delete BEFORE DELETE ON audit_entry "
    "BEGIN SELECT RAISE(ABORT, '审计日志只能追加，不能删除'); END",
)

# No percent sign in the body: pg_dump replays it through a driver that would read one as a
# parameter.
_PG_FUNCTION = """
CREATE FUNCTION audit_entry_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF coalesce(current_setting('mediator.audit_maintenance', true), '') = 'on'
       AND pg_has_role(current_user, (SELECT relowner FROM pg_class WHERE oid = TG_RELID), 'MEMBER') THEN
        IF TG_LEVEL = 'STATEMENT' THEN
            RETURN NULL;
        ELSIF TG_OP = 'DELETE' THEN
            RETURN OLD;
        END IF;
        RETURN NEW;
    END IF;
    RAISE EXCEPTION USING ERRCODE = 'insufficient_privilege',
        MESSAGE = '审计日志只能追加，不能修改、删除或清空（' || TG_OP || '）';
END
$$
"""
_PG_TRIGGERS = (
    "CREATE TRIGGER audit_entry_no_change BEFORE UPDATE OR DELETE ON audit_entry "
    "FOR EACH ROW EXECUTE FUNCTION audit_entry_append_only()",
    "CREATE TRIGGER audit_entry_no_truncate BEFORE TRUNCATE ON audit_entry "
    "FOR EACH STATEMENT EXECUTE FUNCTION audit_entry_append_only()",
)


def upgrade() -> None:
    conn = op.get_bind()
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql(_PG_FUNCTION)
        for statement in _PG_TRIGGERS:
            conn.exec_driver_sql(statement)
    else:
        for statement in _SQLITE:
            conn.exec_driver_sql(statement)


def downgrade() -> None:
    conn = op.get_bind()
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql("DROP TRIGGER IF EXISTS audit_entry_no_truncate ON audit_entry")
        conn.exec_driver_sql("DROP TRIGGER IF EXISTS audit_entry_no_change ON audit_entry")
        conn.exec_driver_sql("DROP FUNCTION IF EXISTS audit_entry_append_only()")
    else:
        conn.exec_driver_sql("DROP TRIGGER IF EXISTS audit_entry_no_delete")
        conn.exec_driver_sql("DROP TRIGGER IF EXISTS audit_entry_no_update")
