"""`--user` names who did it: too long or unprintable is refused in Chinese (exit 2) before the
database is touched (the check is in ``open_context``, the same on PostgreSQL)."""
from __future__ import annotations

import pytest

from mediator.cli import main


@pytest.mark.parametrize("name, says", [("张" * 51, "不能超过50个字符"), ("  ", "不能为空"), ("李\x00四", "可打印")])
def test_a_bad_actor_name_is_refused_before_anything_is_written(capsys, tmp_path, name, says):
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    assert main(["--db", url, "init"]) == 0
    capsys.readouterr()
    assert main(["--db", url, "--user", name, "case", "list"]) == 2
    err = capsys.readouterr().err
    assert "操作人（--user）" in err and says in err and "Traceback" not in err


def test_fifty_characters_are_fine(capsys, tmp_path):
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    assert main(["--db", url, "init"]) == 0
    assert main(["--db", url, "--user", "张" * 50, "case", "list"]) == 0
