"""grid intake: events a 网格员 reports, dispatched as cases or resolved inside the grid

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-07
"""
import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('grid_report',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('grid_id', sa.Integer(), nullable=False),
    sa.Column('reported_by_id', sa.Integer(), nullable=True),
    sa.Column('reported_by', sqlmodel.sql.sqltypes.AutoString(length=50), nullable=False),
    sa.Column('reported_on', sa.Date(), nullable=False),
    sa.Column('reported_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('parties', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('phone', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True),
    sa.Column('place', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('urgency', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=True),
    sa.Column('handled_by', sqlmodel.sql.sqltypes.AutoString(length=50), nullable=False),
    sa.Column('handled_on', sa.Date(), nullable=True),
    sa.Column('resolution', sa.Text(), nullable=False),
    sa.Column('satisfaction', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=True),
    sa.Column('feedback_note', sa.Text(), nullable=False),
    sa.Column('feedback_on', sa.Date(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['grid_id'], ['region.id'], name=op.f('fk_grid_report_grid_id_region')),
    sa.ForeignKeyConstraint(['case_id'], ['case_file.id'], name=op.f('fk_grid_report_case_id_case_file')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_grid_report'))
    )
    op.create_index(op.f('ix_grid_report_grid_id'), 'grid_report', ['grid_id'], unique=False)
    op.create_index(op.f('ix_grid_report_reported_by_id'), 'grid_report', ['reported_by_id'], unique=False)
    op.create_index(op.f('ix_grid_report_case_id'), 'grid_report', ['case_id'], unique=False)
    op.create_index('ix_grid_report_status_reported', 'grid_report', ['status', 'reported_on'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_grid_report_status_reported', table_name='grid_report')
    op.drop_index(op.f('ix_grid_report_case_id'), table_name='grid_report')
    op.drop_index(op.f('ix_grid_report_reported_by_id'), table_name='grid_report')
    op.drop_index(op.f('ix_grid_report_grid_id'), table_name='grid_report')
    op.drop_table('grid_report')
