"""`mediator-cli user …` and `--as`: accounts from the command line, commands acting as a person."""
from __future__ import annotations

import io
import json
import sys
from urllib.parse import quote

import pytest

from mediator.cli import main
from tests.conftest import SAMPLE_CASES, postgres_url

ADMIN_PW = "admin2026x"
MEDIATOR_PW = "zhangmc2026"


def run(capsys, monkeypatch, *args, stdin: str = "", password: str | None = None) -> tuple[int, str, str]:
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    if password is None:
        monkeypatch.delenv("MEDIATOR_PASSWORD", raising=False)
    else:
        monkeypatch.setenv("MEDIATOR_PASSWORD", password)
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def _county(capsys, monkeypatch, url: str, *, as_admin: bool = False) -> None:
    """The first administrator (before any exists, no --as), then the sample county and cases."""
    code, out, err = run(capsys, monkeypatch, "--db", url, "user", "add", "admin", "--name", "王所长",
                         "--role", "admin", "--password-stdin", stdin=ADMIN_PW + "\n")
    assert code == 0, err
    assert "已新增账号 admin（王所长，管理员）" in out
    extra = ["--as", "admin"] if as_admin else []
    code, out, err = run(capsys, monkeypatch, "--db", url, *extra, "import", str(SAMPLE_CASES),
                         password=ADMIN_PW if as_admin else None)
    assert code == 0, err


def test_accounts_from_the_command_line_and_a_mediator_sees_their_cases(capsys, monkeypatch, tmp_path):
    url = f"sqlite:///{tmp_path / 'u.db'}"
    assert run(capsys, monkeypatch, "--db", url, "init")[0] == 0
    _county(capsys, monkeypatch, url)
    code, out, err = run(capsys, monkeypatch, "--db", url, "--as", "admin", "user", "add", "zhangmc",
                         "--name", "张满仓", "--role", "mediator", "--org", "东关村人民调解委员会",
                         "--mediator", "张满仓", "--password-stdin", stdin=MEDIATOR_PW + "\n", password=ADMIN_PW)
    assert code == 0, err
    code, out, err = run(capsys, monkeypatch, "--db", url, "user", "add", "bad", "--name", "某人",
                         "--role", "advisor", "--advisor", "不存在", "--password-stdin", stdin="abc\n")
    assert code == 2 and "--advisor: 法律顾问“不存在”不存在" in err and "未写入任何数据" in err
    code, out, err = run(capsys, monkeypatch, "--db", url, "user", "add", "wg", "--name", "王网格",
                         "--role", "grid", "--password-stdin", stdin="abc\n")
    assert code == 2 and "--grid: 网格员角色须选择所在网格" in err and "--org: 网格员须选择所属调解组织" in err
    assert "密码: 密码至少8位" in err
    code, out, _ = run(capsys, monkeypatch, "--db", url, "user", "list", "--json")
    rows = {r["username"]: r for r in json.loads(out)}
    assert rows["zhangmc"]["acts_as"] == "调解员张满仓" and rows["zhangmc"]["role"] == "mediator"

    # As the mediator: only 东关村's committee's case, and the audit names them.
    code, out, err = run(capsys, monkeypatch, "--db", url, "--as", "zhangmc", "case", "list", "--json",
                         password=MEDIATOR_PW)
    assert code == 0, err
    assert [r["ref"] for r in json.loads(out)] == ["SF-2026-002"]
    code, _, err = run(capsys, monkeypatch, "--db", url, "--as", "zhangmc", "case", "show", "SF-2026-001",
                       password=MEDIATOR_PW)
    assert code == 2 and "无权查看" in err
    code, _, err = run(capsys, monkeypatch, "--db", url, "--as", "zhangmc", "user", "list",
                       password=MEDIATOR_PW)
    assert code == 2 and "无权管理用户账号" in err
    code, _, err = run(capsys, monkeypatch, "--db", url, "--as", "zhangmc", "case", "list",
                       password="wrong-pass1")
    assert code == 2 and "用户名或密码错误" in err

    out_file = tmp_path / "mine.json"
    code, out, err = run(capsys, monkeypatch, "--db", url, "--as", "zhangmc", "export", "cases",
                         "-o", str(out_file), password=MEDIATOR_PW)
    assert code == 0, err
    assert [c["ref"] for c in json.loads(out_file.read_text(encoding="utf-8"))["cases"]] == ["SF-2026-002"]

    # A 只读 account reads its organisation's cases with ID numbers masked, as in the program.
    code, _, err = run(capsys, monkeypatch, "--db", url, "user", "add", "chakan", "--name", "查看员",
                       "--role", "readonly", "--org", "城关镇人民调解委员会", "--password-stdin",
                       stdin="chakan2026\n")
    assert code == 0, err
    code, out, _ = run(capsys, monkeypatch, "--db", url, "case", "show", "SF-2026-001", "--json")
    assert "41990119480315212X" in out  # the system actor on a local file sees everything
    code, out, err = run(capsys, monkeypatch, "--db", url, "--as", "chakan", "case", "show", "SF-2026-001",
                         "--json", password="chakan2026")
    assert code == 0, err
    assert "41990119480315212X" not in out and "刘桂兰" in out
    code, out, err = run(capsys, monkeypatch, "--db", url, "--as", "chakan", "report", "stats",
                         "--from", "2026-01-01", "--to", "2026-12-31", "--json", password="chakan2026")
    assert code == 0, err

    # set-role, reset-password, deactivate, unlock
    code, _, err = run(capsys, monkeypatch, "--db", url, "user", "set-role", "zhangmc", "advisor")
    assert code == 2 and "--advisor: 法律顾问角色须选择对应的法律顾问" in err
    assert run(capsys, monkeypatch, "--db", url, "user", "set-role", "zhangmc", "readonly")[0] == 0
    code, out, _ = run(capsys, monkeypatch, "--db", url, "user", "list", "--json")
    assert {r["username"]: r["role"] for r in json.loads(out)}["zhangmc"] == "readonly"
    code, out, _ = run(capsys, monkeypatch, "--db", url, "user", "reset-password", "zhangmc",
                       "--password-stdin", stdin="temporary9\n")
    assert code == 0 and "下次登录时须修改" in out
    code, _, err = run(capsys, monkeypatch, "--db", url, "--as", "zhangmc", "case", "list",
                       password="temporary9")
    assert code == 2 and "请先在程序中登录并修改密码" in err
    code, out, _ = run(capsys, monkeypatch, "--db", url, "user", "deactivate", "zhangmc")
    assert code == 0 and "已停用" in out
    code, _, err = run(capsys, monkeypatch, "--db", url, "--as", "zhangmc", "case", "list",
                       password="temporary9")
    assert code == 2 and "账号已停用，请联系管理员" in err
    code, out, _ = run(capsys, monkeypatch, "--db", url, "user", "unlock", "zhangmc")
    assert code == 0 and "已解锁" in out
    code, out, _ = run(capsys, monkeypatch, "--db", url, "audit", "list", "--json")
    if code == 0:
        assert "张满仓" in out or "zhangmc" in out


@pytest.mark.parametrize("database", ["postgres"], indirect=True)
def test_on_postgresql_every_command_names_its_user(capsys, monkeypatch, database):
    url = f"{postgres_url()}?options={quote(f'-csearch_path={database.schema}')}"
    _county(capsys, monkeypatch, url, as_admin=True)  # the first `user add` needs no --as
    code, _, err = run(capsys, monkeypatch, "--db", url, "case", "list")
    assert code == 2 and "连接县级数据库时必须用 --as 指明操作人" in err
    code, _, err = run(capsys, monkeypatch, "--db", url, "user", "add", "two", "--name", "二号",
                       "--role", "admin", "--password-stdin", stdin=ADMIN_PW + "\n")
    assert code == 2 and "必须用 --as" in err  # an administrator exists now
    code, out, err = run(capsys, monkeypatch, "--db", url, "--as", "admin", "case", "list", "--json",
                         password=ADMIN_PW)
    assert code == 0, err
    assert len(json.loads(out)) == 3
