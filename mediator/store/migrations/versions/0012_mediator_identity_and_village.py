"""mediators: ID number, birth date and home village, for the conflict check when one is assigned

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-07
"""
import sqlalchemy as sa
from alembic import op

revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('mediator') as batch:
        batch.add_column(sa.Column('id_number', sa.String(length=18), nullable=True))
        batch.add_column(sa.Column('birth_date', sa.Date(), nullable=True))
        batch.add_column(sa.Column('village_id', sa.Integer(), nullable=True))
        batch.create_foreign_key(op.f('fk_mediator_village_id_region'), 'region', ['village_id'], ['id'])


def downgrade() -> None:
    with op.batch_alter_table('mediator') as batch:
        batch.drop_constraint(op.f('fk_mediator_village_id_region'), type_='foreignkey')
        batch.drop_column('village_id')
        batch.drop_column('birth_date')
        batch.drop_column('id_number')
