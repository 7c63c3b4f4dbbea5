"""the draft agreement (拟定协议) and reviews of a draft

``draft_agreement`` holds the agreement being drafted while a case is 调解中; a review keeps the
draft revision it was sent with and a snapshot of it. The advisor's answers become 同意 / 修改后同意
/ 不同意: the old 退回修改 (``returned``: not approved, revise and send again) is now 不同意
(``disapproved``); the opinion text is kept as it was.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-05
"""
import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('draft_agreement',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('facts', sa.Text(), nullable=False),
    sa.Column('items', sa.JSON(), nullable=False),
    sa.Column('performance_method', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
    sa.Column('deadline', sa.Date(), nullable=True),
    sa.Column('amount_fen', sa.BigInteger(), nullable=False),
    sa.Column('copies', sa.Integer(), nullable=True),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('signed', sa.Boolean(), nullable=False),
    sa.Column('updated_by', sqlmodel.sql.sqltypes.AutoString(length=50), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['case_file.id'], name=op.f('fk_draft_agreement_case_id_case_file')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_draft_agreement')),
    sa.UniqueConstraint('case_id', name=op.f('uq_draft_agreement_case_id'))
    )
    op.add_column('advisor_review', sa.Column('draft_revision', sa.Integer(), nullable=True))
    op.add_column('advisor_review', sa.Column('draft', sa.JSON(), nullable=True))
    op.execute("UPDATE advisor_review SET result = 'disapproved' WHERE result = 'returned'")


def downgrade() -> None:
    op.execute("UPDATE advisor_review SET result = 'returned' WHERE result IN ('disapproved', 'amended')")
    op.execute("UPDATE advisor_review SET result = 'pending', reviewed_on = NULL WHERE result = 'voided'")
    op.drop_column('advisor_review', 'draft')
    op.drop_column('advisor_review', 'draft_revision')
    op.drop_table('draft_agreement')
