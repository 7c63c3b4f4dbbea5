"""reminder scan: covering indexes so the open deadlines' reminder keys and targets read index entries

The scan compares the reminders every open case deadline calls for (key: case, kind, leg, start;
target: the case number) with the reminder rows in SQL; these let it read neither the deadline rows
nor the wide case rows.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-08
"""
from alembic import op

revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None

_INDEXES = (
    ('ix_case_deadline_state_key', 'case_deadline', ['state', 'case_id', 'kind', 'leg', 'start', 'due']),
    ('ix_case_number_by_id', 'case_file', ['id', 'number']),
)


def upgrade() -> None:
    for name, table, columns in _INDEXES:
        op.create_index(name, table, columns)


def downgrade() -> None:
    for name, table, _columns in reversed(_INDEXES):
        op.drop_index(name, table_name=table)
