"""screening: 矛盾纠纷排查 rounds per village/community or grid, and what each held round found

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-08
"""
import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('screening_round',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('office_id', sa.Integer(), nullable=True),
    sa.Column('organization_id', sa.Integer(), nullable=False),
    sa.Column('village_id', sa.Integer(), nullable=False),
    sa.Column('grid_id', sa.Integer(), nullable=True),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('risk', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('monthly', sa.Boolean(), nullable=False),
    sa.Column('planned_on', sa.Date(), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('planned_by', sqlmodel.sql.sqltypes.AutoString(length=50), nullable=False),
    sa.Column('held_on', sa.Date(), nullable=True),
    sa.Column('held_by', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('places_visited', sa.Text(), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('recorded_by', sqlmodel.sql.sqltypes.AutoString(length=50), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['office_id'], ['organization.id'],
                            name=op.f('fk_screening_round_office_id_organization')),
    sa.ForeignKeyConstraint(['organization_id'], ['organization.id'],
                            name=op.f('fk_screening_round_organization_id_organization')),
    sa.ForeignKeyConstraint(['village_id'], ['region.id'], name=op.f('fk_screening_round_village_id_region')),
    sa.ForeignKeyConstraint(['grid_id'], ['region.id'], name=op.f('fk_screening_round_grid_id_region')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_screening_round'))
    )
    for column in ('office_id', 'organization_id', 'village_id', 'grid_id'):
        op.create_index(op.f(f'ix_screening_round_{column}'), 'screening_round', [column], unique=False)
    op.create_index('ix_screening_round_status_due', 'screening_round', ['status', 'due_on'], unique=False)
    op.create_index('ix_screening_round_held', 'screening_round', ['held_on'], unique=False)
    op.create_table('screening_finding',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=True),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('parties', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('people', sa.Integer(), nullable=False),
    sa.Column('how', sa.Text(), nullable=False),
    sa.Column('flags', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.ForeignKeyConstraint(['round_id'], ['screening_round.id'],
                            name=op.f('fk_screening_finding_round_id_screening_round')),
    sa.ForeignKeyConstraint(['case_id'], ['case_file.id'], name=op.f('fk_screening_finding_case_id_case_file')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_screening_finding'))
    )
    op.create_index(op.f('ix_screening_finding_round_id'), 'screening_finding', ['round_id'], unique=False)
    op.create_index(op.f('ix_screening_finding_case_id'), 'screening_finding', ['case_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_screening_finding_case_id'), table_name='screening_finding')
    op.drop_index(op.f('ix_screening_finding_round_id'), table_name='screening_finding')
    op.drop_table('screening_finding')
    op.drop_index('ix_screening_round_held', table_name='screening_round')
    op.drop_index('ix_screening_round_status_due', table_name='screening_round')
    for column in ('grid_id', 'village_id', 'organization_id', 'office_id'):
        op.drop_index(op.f(f'ix_screening_round_{column}'), table_name='screening_round')
    op.drop_table('screening_round')
