"""`mediator-cli screening …`: plan, record, list."""
from __future__ import annotations

import json

from tests.cli.test_grid_cli import run, url  # noqa: F401  (the fixture: an initialised sample database)


def test_plan_record_and_list(url, capsys):  # noqa: F811
    code, out, err = run(capsys, "screening", "plan", "--db", url, "--village", "419901100201", "--grid", "一网格",
                         "--kind", "专项", "--org", "城关镇人民调解委员会")
    assert code == 2 and "专项排查请写明" in err
    code, out, _ = run(capsys, "screening", "plan", "--db", url, "--village", "419901100201", "--monthly",
                       "--on", "2026-11-01", "--org", "城关镇人民调解委员会")
    assert code == 0 and "编号1" in out
    code, out, err = run(capsys, "screening", "record", "1", "--db", url, "--on", "2026-11-20", "--by", "李建国",
                         "--places", "东关村一组", "--prevented", "summary=邻里争吵;parties=张三、李四;people=2;"
                         "how=上门劝解;flags=criminal", "--case", "parties=赵甲、钱乙;summary=宅基地边界争执;"
                         "mediators=李建国;category=housing_homestead")
    assert code == 0, err
    code, out, _ = run(capsys, "screening", "list", "--db", url, "--json")
    rows = json.loads(out)
    assert [r["status"] for r in rows] == ["planned", "held"] and rows[0]["due_on"] == "2026-12-31"
    held = rows[1]
    assert [f["kind"] for f in held["findings"]] == ["case", "prevented"] and held["findings"][0]["case_number"]
    assert held["findings"][1]["flags"] == ["criminal"]
    code, out, _ = run(capsys, "screening", "list", "--db", url)
    assert "东关村" in out and "共2轮排查" in out
