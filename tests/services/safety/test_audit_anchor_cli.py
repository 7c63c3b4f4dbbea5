"""`mediator-cli audit head`, `audit verify --anchor` / `--anchor-backup`, and the head every
backup carries (its ``.anchor`` sidecar, its own log, the live log's ``backup`` entry)."""
from __future__ import annotations

import re
import sqlite3

import pytest
from sqlmodel import select

from mediator.cli import main
from mediator.domain.errors import DomainError
from mediator.services.audit import GENESIS, entries, head, parse_anchor, verify
from mediator.services.cases.personal_data import reveal_party
from mediator.services.context import Clock, ServiceContext
from mediator.services.exchange.importer import import_document
from mediator.services.safety.backup import anchor_file, backup_anchor, backup_to, describe_backup
from mediator.services.safety.restore import restore_from
from mediator.store.models import CaseParty
from tests.audit_tamper import tamper
from tests.conftest import FIXED_NOW, SAMPLE_CASES
from tests.helpers import sample_document
from tests.templates import migrated_sqlite

ANCHOR_LINE = re.compile(r"\d+:[0-9a-f]{64}")


@pytest.fixture
def cli_db(tmp_path, capsys):
    url = f"sqlite:///{tmp_path / 'a.db'}"
    assert main(["--db", url, "init"]) == 0
    assert main(["--db", url, "import", str(SAMPLE_CASES)]) == 0
    capsys.readouterr()
    return url, tmp_path / "a.db"


def _run(capsys, *argv) -> tuple[int, str, str]:
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def _wipe(path) -> None:
    conn = sqlite3.connect(path)
    tamper(conn, "DELETE FROM audit_entry")
    conn.execute("DELETE FROM setting WHERE key = 'audit.head'")
    conn.commit()
    conn.close()


def test_head_prints_count_and_hash_on_its_last_line_and_verify_checks_it(cli_db, capsys):
    url, path = cli_db
    code, out, _ = _run(capsys, "--db", url, "audit", "head")
    lines = out.strip().splitlines()
    assert code == 0 and ANCHOR_LINE.fullmatch(lines[-1]) and "审计日志现有" in lines[0]
    anchor = lines[-1]
    assert int(anchor.split(":")[0]) >= 1
    code, out, _ = _run(capsys, "--db", url, "audit", "verify", "--anchor", anchor)
    assert code == 0 and "审计日志完整" in out and anchor in out

    _wipe(path)
    assert _run(capsys, "--db", url, "audit", "verify")[0] == 0  # alone, an empty log is consistent
    code, out, _ = _run(capsys, "--db", url, "audit", "verify", "--anchor", anchor)
    assert code == 2 and "审计日志完整" not in out and "被清空或截断" in out
    assert _run(capsys, "--db", url, "audit", "head")[1].strip().splitlines()[-1] == f"0:{GENESIS}"


def test_a_malformed_anchor_exits_2_with_a_chinese_message(cli_db, capsys):
    url, _ = cli_db
    code, out, err = _run(capsys, "--db", url, "audit", "verify", "--anchor", "12:abc")
    assert code == 2 and "审计日志锚点格式" in err and "审计日志完整" not in out


def test_a_backup_carries_the_head_of_its_moment_beside_and_inside_it(cli_db, capsys, tmp_path):
    url, path = cli_db
    before = _run(capsys, "--db", url, "audit", "head")[1].strip().splitlines()[-1]
    backup = tmp_path / "b.db"
    assert _run(capsys, "--db", url, "backup", str(backup))[0] == 0
    assert anchor_file(backup).read_text(encoding="ascii").strip() == before
    code, out, _ = _run(capsys, "--db", url, "audit", "verify", "--anchor-backup", str(backup))
    assert code == 0 and before in out
    after = _run(capsys, "--db", url, "audit", "head")[1].strip().splitlines()[-1]
    assert int(after.split(":")[0]) == int(before.split(":")[0]) + 1  # the backup entry follows it

    _wipe(path)
    code, out, _ = _run(capsys, "--db", url, "audit", "verify", "--anchor-backup", str(backup))
    assert code == 2 and "被清空或截断" in out

    anchor_file(backup).write_text(f"1:{'0' * 63}1\n", encoding="ascii")
    code, _, err = _run(capsys, "--db", url, "audit", "verify", "--anchor-backup", str(backup))
    assert code == 2 and "不一致" in err


def _sqlite_ctx(path) -> ServiceContext:
    return ServiceContext(migrated_sqlite(path), actor="所长", clock=Clock(fixed=FIXED_NOW))


def test_backup_info_describe_and_the_backup_entry_name_the_head(tmp_path):
    ctx = _sqlite_ctx(tmp_path / "live.db")
    import_document(ctx, sample_document())
    expected = head(ctx)
    info = backup_to(ctx, tmp_path / "backups")
    assert info.anchor == expected == backup_anchor(ctx, info.path)
    assert describe_backup(ctx, info.path).anchor == expected
    newest = entries(ctx, limit=1)[0]
    assert newest.action == "backup" and newest.detail["anchor"] == str(expected)
    assert verify(ctx, expected) == []
    ctx.db.dispose()


def test_a_backup_without_its_sidecar_still_names_its_head(tmp_path):
    ctx = _sqlite_ctx(tmp_path / "live.db")
    info = backup_to(ctx, tmp_path / "b.db")
    anchor_file(info.path).unlink()
    assert backup_anchor(ctx, info.path) == info.anchor
    with pytest.raises(DomainError):
        backup_anchor(ctx, tmp_path / "missing.db")
    ctx.db.dispose()


def test_reveals_after_a_backup_do_not_vanish_unseen_in_a_restore(tmp_path):
    """Probe (b): backup, reveal every party's ID number, restore: the restore carries the
    reveals across, and the anchor taken before it is still extended."""
    ctx = _sqlite_ctx(tmp_path / "live.db")
    import_document(ctx, sample_document())
    info = backup_to(ctx, tmp_path / "backups")
    with ctx.read() as session:
        party_ids = list(session.exec(select(CaseParty.id).order_by(CaseParty.id)))
    assert len(party_ids) >= 3
    for party_id in party_ids:
        reveal_party(ctx, party_id)
    anchor = head(ctx)
    restore_from(ctx, info.path, "演练恢复")
    assert verify(ctx, anchor) == []
    assert len(entries(ctx, action="reveal", limit=1000)) == len(party_ids)
    assert parse_anchor(str(anchor)) == anchor
    ctx.db.dispose()
