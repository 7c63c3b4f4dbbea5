"""statistics: covering indexes so a year's figures read index ranges, not the wide case rows

Revision ID: 0014
Revises: 0012
Create Date: 2026-12-08
"""
from alembic import op

revision = '0014'
down_revision = '0012'
branch_labels = None
depends_on = None

_INDEXES = (
    ('ix_case_stats_received', 'case_file',
     ['received_on', 'status', 'source', 'category', 'track', 'level', 'organization_id', 'people_involved']),
    ('ix_case_stats_unit', 'case_file', ['id', 'organization_id', 'risk_flags', 'people_involved']),
    ('ix_agreement_signed_stats', 'agreement', ['signed_on', 'case_id', 'form', 'amount_fen']),
    ('ix_performance_on_stats', 'performance', ['on', 'case_id', 'result']),
    ('ix_follow_up_on_stats', 'follow_up', ['on', 'case_id', 'satisfaction']),
)


def upgrade() -> None:
    for name, table, columns in _INDEXES:
        op.create_index(name, table, columns)


def downgrade() -> None:
    for name, table, _columns in reversed(_INDEXES):
        op.drop_index(name, table_name=table)
