"""A current schema is recognised without Alembic: the head from the files, the version by a SELECT."""
from __future__ import annotations

import subprocess
import sys

from alembic.script import ScriptDirectory

from mediator.store import migrate
from tests.conftest import ROOT


def test_the_head_read_from_the_files_is_alembics():
    script = ScriptDirectory.from_config(migrate.alembic_config())
    assert migrate.head_revision() == script.get_current_head()
    assert set(migrate.revision_graph()) == {r.revision for r in script.walk_revisions()}


def test_the_current_revision_is_read_by_a_plain_select(database):
    assert migrate.current_revision(database) == migrate.head_revision()
    assert migrate.known_revision(migrate.head_revision())
    assert not migrate.known_revision("9999_future")


CHILD = """
import sys
from mediator.store.db import Database
from mediator.app import open_database
db = open_database(sys.argv[1])
loaded = sorted(m for m in sys.modules if m.split('.')[0] in ('alembic', 'mako'))
db.dispose()
print('LOADED', ','.join(loaded))
"""


def test_opening_a_current_database_imports_no_alembic_nor_mako(database, tmp_path):
    if not database.is_sqlite:
        return  # the SQLite file is enough: the check is the same SELECT on PostgreSQL
    url = str(database.engine.url)
    out = subprocess.run([sys.executable, "-c", CHILD, url], cwd=ROOT, capture_output=True,
                         text=True, timeout=120, env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip().splitlines()[-1] == "LOADED"


def test_an_empty_database_is_still_migrated_by_alembic(tmp_path):
    from mediator.store.db import Database

    db = Database(f"sqlite:///{tmp_path / 'fresh.db'}")
    assert migrate.current_revision(db) is None
    migrate.upgrade(db)
    assert migrate.is_current(db)
    db.dispose()
