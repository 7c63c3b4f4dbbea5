"""`mediator-cli case reassign|recuse`: by names, the conflict check, Chinese refusals."""
from __future__ import annotations

from mediator.cli import main
from mediator.services.opening import open_context
from tests.conftest import SAMPLE_CASES
from tests.helpers import VILLAGE_COMMITTEE, add_mediator


def run(capsys, *args) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_reassign_and_recuse_through_the_cli(capsys, tmp_path):
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    run(capsys, "--db", url, "init")
    run(capsys, "--db", url, "import", str(SAMPLE_CASES))
    ctx = open_context(url, actor="测试")
    add_mediator(ctx, "何秀梅", VILLAGE_COMMITTEE)  # 东关村 committee: same surname as 何长林 there
    add_mediator(ctx, "孟凡", VILLAGE_COMMITTEE)
    ctx.db.dispose()

    code, _, err = run(capsys, "--db", url, "case", "reassign", "SF-2026-002", "--mediator", "何秀梅",
                       "--reason", "张满仓外出学习")
    assert code == 2
    assert "可能需要回避" in err and "何长林与调解员何秀梅同姓" in err and "--acknowledge" in err
    code, _, err = run(capsys, "--db", url, "case", "reassign", "SF-2026-002", "--mediator", "无此人",
                       "--reason", "调整")
    assert code == 2 and "没有名为“无此人”的在职调解员" in err
    code, out, err = run(capsys, "--db", url, "case", "reassign", "SF-2026-002", "--mediator", "张满仓",
                         "--mediator", "孟凡", "--reason", "增加调解员")
    assert code == 0, err
    assert "调解员：张满仓、孟凡" in out and "调解员由张满仓更换为张满仓、孟凡：增加调解员" in out

    code, _, err = run(capsys, "--db", url, "case", "recuse", "SF-2026-002", "--mediator", "张满仓",
                       "--party", "吕小红", "--reason", "调解员与被申请人有过节", "--new", "何秀梅")
    assert code == 2 and "可能需要回避" in err
    code, out, err = run(capsys, "--db", url, "case", "recuse", "SF-2026-002", "--mediator", "张满仓",
                         "--party", "吕小红", "--reason", "调解员与被申请人有过节", "--new", "何秀梅",
                         "--acknowledge")
    assert code == 0, err
    assert "调解员：何秀梅、孟凡" in out
    assert "当事人吕小红申请调解员张满仓回避，改由何秀梅承办" in out
    code, _, err = run(capsys, "--db", url, "case", "recuse", "SF-2026-002", "--mediator", "孟凡",
                       "--party", "不存在", "--reason", "x", "--new", "张满仓")
    assert code == 2 and "没有名为“不存在”的当事人" in err
