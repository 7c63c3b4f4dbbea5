"""several offices on one county server: settings per office, offices and their requests to
join, office forms in the database

The setting table gets a surrogate key and ``organization_id`` (NULL: the county default). Its
rows are copied through Python (a few rows) because the primary key changes, which SQLite can
only do by building the table anew. The organisation the first run set up becomes an office.

Revision ID: 0010
Revises: 0008
Create Date: 2026-12-07
"""
import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision = '0010'
down_revision = '0008'
branch_labels = None
depends_on = None

_COUNTY_ROW = sa.text("organization_id IS NULL")


def _setting_table(with_organization: bool) -> None:
    columns = [sa.Column('key', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False)]
    if with_organization:
        columns = [sa.Column('id', sa.Integer(), nullable=False), *columns,
                   sa.Column('organization_id', sa.Integer(), nullable=True)]
    columns += [sa.Column('value', sa.JSON(), nullable=False),
                sa.Column('version', sa.Integer(), nullable=False)]
    if with_organization:
        op.create_table(
            'setting', *columns,
            sa.ForeignKeyConstraint(['organization_id'], ['organization.id'],
                                    name=op.f('fk_setting_organization_id_organization')),
            sa.PrimaryKeyConstraint('id', name=op.f('pk_setting')),
            sa.UniqueConstraint('key', 'organization_id', name='uq_setting_key_organization'))
        op.create_index('uq_setting_county_key', 'setting', ['key'], unique=True,
                        sqlite_where=_COUNTY_ROW, postgresql_where=_COUNTY_ROW)
    else:
        op.create_table('setting', *columns, sa.PrimaryKeyConstraint('key', name=op.f('pk_setting')))


_TABLE = sa.table('setting', sa.column('key'), sa.column('value', sa.JSON()), sa.column('version'),
                  sa.column('organization_id'))

_NEW = sa.table('setting', sa.column('key'), sa.column('value', sa.JSON()), sa.column('version'))


def _rows(conn, county_only: bool = False) -> list[dict]:
    """The rows as values (the JSON type reads them alike on SQLite and PostgreSQL)."""
    query = sa.select(_TABLE.c.key, _TABLE.c.value, _TABLE.c.version)
    if county_only:
        query = query.where(_TABLE.c.organization_id.is_(None))
    return [{"key": k, "value": v, "version": n} for k, v, n in conn.execute(query)]


def upgrade() -> None:
    conn = op.get_bind()
    loaded = _rows(conn)
    op.drop_table('setting')
    _setting_table(with_organization=True)
    if loaded:
        op.bulk_insert(_NEW, loaded)

    # Plain ALTER TABLE on both: rebuilding organization (batch mode) would trip the foreign keys
    # of every row that points to it.
    op.add_column('organization', sa.Column('office_status', sqlmodel.sql.sqltypes.AutoString(length=16),
                                            nullable=True))
    # The office the first run set up: the organisation named in its settings, else the first
    # administrator's organisation.
    named = next((r["value"] for r in loaded if r["key"] == "office.organization"), None)
    office_id = None
    if named:
        office_id = conn.execute(sa.text("SELECT id FROM organization WHERE name = :n"),
                                 {"n": named}).scalar()
    if office_id is None:
        office_id = conn.execute(sa.text(
            "SELECT organization_id FROM app_user WHERE role = 'admin' AND organization_id IS NOT NULL "
            "ORDER BY id LIMIT 1")).scalar()
    if office_id is not None:
        conn.execute(sa.text("UPDATE organization SET office_status = 'active' WHERE id = :i"),
                     {"i": office_id})

    op.create_table(
        'office_form',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('organization_id', sa.Integer(), nullable=True),
        sa.Column('form_id', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column('action', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column('text', sa.Text(), nullable=False),
        sa.Column('saved_by', sqlmodel.sql.sqltypes.AutoString(length=50), nullable=False),
        sa.Column('saved_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['organization_id'], ['organization.id'],
                                name=op.f('fk_office_form_organization_id_organization')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_office_form')))
    op.create_index('ix_office_form_org_form', 'office_form', ['organization_id', 'form_id', 'id'])


def downgrade() -> None:
    op.drop_index('ix_office_form_org_form', table_name='office_form')
    op.drop_table('office_form')
    op.drop_column('organization', 'office_status')  # SQLite 3.35+: ALTER TABLE DROP COLUMN
    conn = op.get_bind()
    loaded = _rows(conn, county_only=True)
    op.drop_table('setting')
    _setting_table(with_organization=False)
    if loaded:
        op.bulk_insert(_NEW, loaded)
