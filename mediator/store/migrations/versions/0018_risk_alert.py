"""风险预警: the warnings the office's risk rules raise on cases (risk_alert)

The rules themselves are an office setting (``risk.rules``), no table of their own.

Revision ID: 0018
Revises: 0016
Create Date: 2026-12-08
"""
import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('risk_alert',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('rule', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('level', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('since', sa.Date(), nullable=False),
    sa.Column('detail', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
    sa.Column('raised_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('acknowledged_by', sqlmodel.sql.sqltypes.AutoString(length=50), nullable=True),
    sa.Column('acknowledged_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('follow_up_by', sqlmodel.sql.sqltypes.AutoString(length=50), nullable=False),
    sa.Column('follow_up', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['case_file.id'], name=op.f('fk_risk_alert_case_id_case_file')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_risk_alert')),
    sa.UniqueConstraint('case_id', 'rule', 'since', name='uq_risk_alert_case_rule_since')
    )
    op.create_index(op.f('ix_risk_alert_case_id'), 'risk_alert', ['case_id'], unique=False)
    op.create_index('ix_risk_alert_open', 'risk_alert', ['acknowledged_at', 'case_id'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_risk_alert_open', table_name='risk_alert')
    op.drop_index(op.f('ix_risk_alert_case_id'), table_name='risk_alert')
    op.drop_table('risk_alert')
