"""search: a trigram index on the import reference too (PostgreSQL), so no searched column is scanned

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-08
"""
from alembic import op

revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade() -> None:
    conn = op.get_bind()
    if conn.dialect.name != "postgresql":
        return
    schema = conn.exec_driver_sql(
        "SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace "
        "WHERE e.extname = 'pg_trgm'").scalar()
    if schema:  # without pg_trgm (0004 could not create it) the search stays plain ILIKE
        conn.exec_driver_sql(f'CREATE INDEX ix_search_case_ref ON case_file USING gin (ref "{schema}".gin_trgm_ops)')


def downgrade() -> None:
    conn = op.get_bind()
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql("DROP INDEX IF EXISTS ix_search_case_ref")
