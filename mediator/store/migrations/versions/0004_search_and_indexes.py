"""search index and list indexes

Full-text search over case number, import ref, summary, requests and party names and phones:
- SQLite: two FTS5 tables with the ``trigram`` tokenizer (``search_case`` keyed by case id,
  ``search_party`` keyed by party id) kept in sync by triggers, so no write path can forget them,
  and ``fts5vocab`` 'instance' tables over them for one- and two-character queries. Every value is
  stored with two U+001F characters appended, so each one- or two-character substring of a value
  (a two-character name such as 王芳 included) is the start of some trigram.
- PostgreSQL: ``pg_trgm`` GIN indexes for ILIKE, when the extension can be created.

A later migration that rebuilds ``case_file`` or ``case_party`` in SQLite batch mode drops their
triggers with the old table: it must create them again (``tests/services/test_search.py`` checks
that the head schema has them).

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-29
"""
import sqlalchemy as sa
from alembic import op

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None

PAD = "char(31, 31)"
CASE_VALUES = (f"{{t}}.number || {PAD}, coalesce({{t}}.ref, '') || {PAD}, {{t}}.summary || {PAD}, "
               f"{{t}}.requests || {PAD}")
PARTY_VALUES = f"{{t}}.name || {PAD}, coalesce({{t}}.phone, '') || {PAD}"

SQLITE_UP = [
    # columnsize=0: no per-row token counts (no ranking is done), a quarter less work per write.
    "CREATE VIRTUAL TABLE search_case USING fts5(number, ref, summary, requests, tokenize='trigram', "
    "columnsize=0)",
    "CREATE VIRTUAL TABLE search_party USING fts5(name, phone, tokenize='trigram', columnsize=0)",
    "CREATE VIRTUAL TABLE search_case_terms USING fts5vocab(search_case, 'instance')",
    "CREATE VIRTUAL TABLE search_party_terms USING fts5vocab(search_party, 'instance')",
    f"""CREATE TRIGGER search_case_insert AFTER INSERT ON case_file BEGIN
        INSERT INTO search_case(rowid, number, ref, summary, requests)
        VALUES (NEW.id, {CASE_VALUES.format(t='NEW')});
    END""",
    f"""CREATE TRIGGER search_case_update AFTER UPDATE OF id, number, ref, summary, requests
        ON case_file BEGIN
        DELETE FROM search_case WHERE rowid = OLD.id;
        INSERT INTO search_case(rowid, number, ref, summary, requests)
        VALUES (NEW.id, {CASE_VALUES.format(t='NEW')});
    END""",
    """CREATE TRIGGER search_case_delete AFTER DELETE ON case_file BEGIN
        DELETE FROM search_case WHERE rowid = OLD.id;
    END""",
    f"""CREATE TRIGGER search_party_insert AFTER INSERT ON case_party BEGIN
        INSERT INTO search_party(rowid, name, phone) VALUES (NEW.id, {PARTY_VALUES.format(t='NEW')});
    END""",
    f"""CREATE TRIGGER search_party_update AFTER UPDATE OF id, name, phone ON case_party BEGIN
        DELETE FROM search_party WHERE rowid = OLD.id;
        INSERT INTO search_party(rowid, name, phone) VALUES (NEW.id, {PARTY_VALUES.format(t='NEW')});
    END""",
    """CREATE TRIGGER search_party_delete AFTER DELETE ON case_party BEGIN
        DELETE FROM search_party WHERE rowid = OLD.id;
    END""",
    f"""INSERT INTO search_case(rowid, number, ref, summary, requests)
        SELECT id, {CASE_VALUES.format(t='case_file')} FROM case_file""",
    f"""INSERT INTO search_party(rowid, name, phone)
        SELECT id, {PARTY_VALUES.format(t='case_party')} FROM case_party""",
]
SQLITE_DOWN = [
    *(f"DROP TRIGGER IF EXISTS search_{t}_{e}" for t in ("case", "party")
      for e in ("insert", "update", "delete")),
    "DROP TABLE IF EXISTS search_case_terms",
    "DROP TABLE IF EXISTS search_party_terms",
    "DROP TABLE IF EXISTS search_case",
    "DROP TABLE IF EXISTS search_party",
]
# (index name, table, column) of the PostgreSQL trigram indexes.
PG_TRIGRAM = [
    ("ix_search_case_number", "case_file", "number"),
    ("ix_search_case_summary", "case_file", "summary"),
    ("ix_search_case_requests", "case_file", "requests"),
    ("ix_search_party_name", "case_party", "name"),
    ("ix_search_party_phone", "case_party", "phone"),
]


def _pg_trgm_schema(conn: sa.Connection) -> str | None:
    """The schema holding pg_trgm, creating the extension when allowed; None when unavailable."""
    try:
        with conn.begin_nested():
            conn.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public")
    except sa.exc.DBAPIError:
        pass  # not installed on the server, or no right to create it: plain ILIKE still works
    return conn.exec_driver_sql(
        "SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace "
        "WHERE e.extname = 'pg_trgm'").scalar()


def upgrade() -> None:
    with op.batch_alter_table('case_file', schema=None) as batch_op:
        batch_op.create_index('ix_case_risk_received', ['risk_level', 'received_on'], unique=False)
        batch_op.create_index('ix_case_grid_received', ['grid_id', 'received_on'], unique=False)
        batch_op.drop_index(batch_op.f('ix_case_file_level'))
        batch_op.create_index('ix_case_level_received', ['level', 'received_on'], unique=False)
    with op.batch_alter_table('timeline_event', schema=None) as batch_op:
        # Reports and look-ups by kind of step and date (transfers, outcomes of a year).
        batch_op.create_index('ix_timeline_action_on', ['action', 'on', 'case_id'], unique=False)
    with op.batch_alter_table('case_mediator', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_case_mediator_mediator_id'))
        batch_op.create_index('ix_case_mediator_mediator_case', ['mediator_id', 'case_id'], unique=False)
    with op.batch_alter_table('case_deadline', schema=None) as batch_op:
        batch_op.drop_index('ix_case_deadline_state_due')
        batch_op.drop_index(batch_op.f('ix_case_deadline_case_id'))
        batch_op.create_index('ix_case_deadline_state_due_case', ['state', 'due', 'case_id'], unique=False)
        batch_op.create_index('ix_case_deadline_case_state_due', ['case_id', 'state', 'due'], unique=False)

    conn = op.get_bind()
    if conn.dialect.name == "sqlite":
        for statement in SQLITE_UP:
            conn.exec_driver_sql(statement)
    elif conn.dialect.name == "postgresql":
        schema = _pg_trgm_schema(conn)
        if schema:
            for name, table, column in PG_TRIGRAM:
                conn.exec_driver_sql(f'CREATE INDEX {name} ON {table} USING gin ({column} "{schema}".gin_trgm_ops)')


def downgrade() -> None:
    conn = op.get_bind()
    if conn.dialect.name == "sqlite":
        for statement in SQLITE_DOWN:
            conn.exec_driver_sql(statement)
    elif conn.dialect.name == "postgresql":
        for name, _table, _column in PG_TRIGRAM:
            conn.exec_driver_sql(f"DROP INDEX IF EXISTS {name}")
    with op.batch_alter_table('case_deadline', schema=None) as batch_op:
        batch_op.drop_index('ix_case_deadline_case_state_due')
        batch_op.drop_index('ix_case_deadline_state_due_case')
        batch_op.create_index(batch_op.f('ix_case_deadline_case_id'), ['case_id'], unique=False)
        batch_op.create_index('ix_case_deadline_state_due', ['state', 'due'], unique=False)
    with op.batch_alter_table('timeline_event', schema=None) as batch_op:
        batch_op.drop_index('ix_timeline_action_on')
    with op.batch_alter_table('case_mediator', schema=None) as batch_op:
        batch_op.drop_index('ix_case_mediator_mediator_case')
        batch_op.create_index(batch_op.f('ix_case_mediator_mediator_id'), ['mediator_id'], unique=False)
    with op.batch_alter_table('case_file', schema=None) as batch_op:
        batch_op.drop_index('ix_case_level_received')
        batch_op.create_index(batch_op.f('ix_case_file_level'), ['level'], unique=False)
        batch_op.drop_index('ix_case_grid_received')
        batch_op.drop_index('ix_case_risk_received')
