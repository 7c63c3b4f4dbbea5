"""`mediator-cli office list|approve|refuse --as ADMIN` on a real database."""
from __future__ import annotations

import json

from mediator.cli import main
from mediator.services.context import ServiceContext
from mediator.services.offices import request_join
from mediator.services.safety.auth import authenticate
from mediator.store.db import Database
from tests.services.safety.test_auth import PASSWORD, _setup
from tests.services.test_offices import HEKOU


def run(capsys, *args) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_an_administrator_approves_a_pending_office(capsys, tmp_path, monkeypatch):
    monkeypatch.setenv("MEDIATOR_PASSWORD", PASSWORD)  # the password of the --as account
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    assert run(capsys, "--db", url, "init")[0] == 0
    db = Database(url)
    ctx = ServiceContext(db)
    _setup(ctx)
    request_join(ctx, HEKOU)
    code, out, _ = run(capsys, "office", "list", "--pending", "--json", "--db", url)
    assert code == 0 and [r["name"] for r in json.loads(out)] == ["河口镇司法所"]
    code, _, err = run(capsys, "office", "approve", "河口镇司法所", "--db", url)
    assert code == 2 and "请用 --as 指明批准人" in err
    code, _, err = run(capsys, "office", "approve", "河口镇司法所", "--as", "nobody", "--db", url)
    assert code == 2 and "用户名或密码错误" in err  # an unknown name learns nothing more
    code, out, _ = run(capsys, "office", "approve", "河口镇司法所", "--as", "admin", "--db", url)
    assert code == 0 and "已批准“河口镇司法所”加入" in out
    assert authenticate(ctx, "hekou", "hekou2026a").username == "hekou"
    code, out, _ = run(capsys, "office", "list", "--db", url)
    assert "河口镇司法所\t河口\t河口镇\t已启用\t管理员：hekou" in out
    code, out, _ = run(capsys, "office", "set", "河口镇司法所", "office.seal_text", "河口镇调委会（印）", "--db", url)
    assert code == 0 and "已将河口镇司法所的“印章文字”设为：河口镇调委会（印）" in out
    code, out, _ = run(capsys, "office", "settings", "河口镇司法所", "--db", url)
    assert "office.seal_text\t印章文字\t河口镇调委会（印）" in out and "office.name\t单位名称\t河口镇司法所" in out
    code, out, _ = run(capsys, "office", "settings", "城关镇司法所", "--db", url)
    assert "office.seal_text\t印章文字\t\n" in out  # its own: the county value (none set)
    code, _, err = run(capsys, "office", "set", "河口镇司法所", "backup.keep", "3", "--db", url)
    assert code == 2 and "全县统一设置" in err
    monkeypatch.setenv("MEDIATOR_PASSWORD", "hekou2026a")
    code, _, err = run(capsys, "office", "refuse", "河口镇司法所", "--as", "hekou", "--db", url)
    assert code == 2 and "没有待批准的“河口镇司法所”加入申请" in err
    db.dispose()
