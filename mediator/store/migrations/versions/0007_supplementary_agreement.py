"""变更/补充协议 recorded after an agreement was signed

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-10
"""
import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('supplementary_agreement',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('signed_on', sa.Date(), nullable=False),
    sa.Column('terms', sa.JSON(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('recorded_by', sqlmodel.sql.sqltypes.AutoString(length=50), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['case_file.id'],
                            name=op.f('fk_supplementary_agreement_case_id_case_file')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_supplementary_agreement')),
    sa.UniqueConstraint('case_id', 'seq', name='uq_supplementary_case_seq')
    )
    op.create_index(op.f('ix_supplementary_agreement_case_id'), 'supplementary_agreement', ['case_id'],
                    unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_supplementary_agreement_case_id'), table_name='supplementary_agreement')
    op.drop_table('supplementary_agreement')
