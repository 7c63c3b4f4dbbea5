"""who registered a case; destruction records

``case_file.registered_by_id`` is added without a foreign key: SQLite would otherwise rebuild
``case_file`` in batch mode and drop the search triggers of 0004.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-03
"""
import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column('case_file', sa.Column('registered_by_id', sa.Integer(), nullable=True))
    op.create_index(op.f('ix_case_file_registered_by_id'), 'case_file', ['registered_by_id'],
                    unique=False)
    op.create_table('destruction_record',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_number', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('case_ref', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
    sa.Column('category', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=True),
    sa.Column('summary', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('received_on', sa.Date(), nullable=False),
    sa.Column('archived_on', sa.Date(), nullable=True),
    sa.Column('retention', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('destroyed_on', sa.Date(), nullable=False),
    sa.Column('destroyed_by', sqlmodel.sql.sqltypes.AutoString(length=50), nullable=False),
    sa.Column('supervisor', sqlmodel.sql.sqltypes.AutoString(length=50), nullable=False),
    sa.Column('approved_by', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('method', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['organization_id'], ['organization.id'],
                            name=op.f('fk_destruction_record_organization_id_organization')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_destruction_record'))
    )
    op.create_index(op.f('ix_destruction_record_case_number'), 'destruction_record', ['case_number'],
                    unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_destruction_record_case_number'), table_name='destruction_record')
    op.drop_table('destruction_record')
    op.drop_index(op.f('ix_case_file_registered_by_id'), table_name='case_file')
    op.drop_column('case_file', 'registered_by_id')
