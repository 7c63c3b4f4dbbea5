"""accounts: the grid a 网格员 reports from, and a password that must be changed at next login

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-07
"""
import sqlalchemy as sa
from alembic import op

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('app_user') as batch:
        batch.add_column(sa.Column('grid_id', sa.Integer(), nullable=True))
        batch.add_column(sa.Column('must_change_password', sa.Boolean(), nullable=False,
                                   server_default=sa.false()))
        batch.create_foreign_key(op.f('fk_app_user_grid_id_region'), 'region', ['grid_id'], ['id'])


def downgrade() -> None:
    with op.batch_alter_table('app_user') as batch:
        batch.drop_constraint(op.f('fk_app_user_grid_id_region'), type_='foreignkey')
        batch.drop_column('must_change_password')
        batch.drop_column('grid_id')
