"""Office settings are declared once with their kind and range, and checked there."""
from __future__ import annotations

import json

import pytest

from mediator.cli import main
from mediator.domain.errors import ValidationError
from mediator.services.audit import entries
from mediator.services.settings import SETTINGS, get_setting, set_setting, spec_of


@pytest.mark.parametrize(("key", "value", "message"), [
    ("backup.daily_time", "25:99", "“25:99”不是有效的每日自动备份时间，应为 时:分（00:00至23:59），如 22:00"),
    ("reminders.daily_time", "8点半", "“8点半”不是有效的每日提醒时间，应为 时:分（00:00至23:59），如 08:30"),
    ("backup.keep", 0, "保留最近备份份数应在1到365之间"),
    ("deadlines.follow_up_days", -1, "回访期限（天）应在1到365之间"),
    ("deadlines.warn_days", True, "提前提醒天数应为整数"),
    ("advisors.require_review_approval", "yes", "须经法律顾问审查应为“是”或“否”"),
    ("documents.date_style", "roman", "文书落款日期样式不是可选的取值"),
    ("office.name", "城关\x00镇", None),  # a control character: named by the text check
])
def test_a_bad_value_is_refused_with_the_settings_name(ctx, key, value, message):
    with pytest.raises(ValidationError) as refused:
        set_setting(ctx, key, value)
    assert refused.value.path == key
    if message is not None:
        assert refused.value.message == message
    assert get_setting(ctx, key) == SETTINGS[key].default


def test_good_values_are_stored_in_their_form_and_audited_with_what_they_replaced(ctx):
    set_setting(ctx, "backup.daily_time", "7:05")
    assert get_setting(ctx, "backup.daily_time") == "07:05"
    set_setting(ctx, "advisors.require_review_approval", 1)  # what earlier versions stored
    assert get_setting(ctx, "advisors.require_review_approval") is True
    set_setting(ctx, "advisors.require_review_approval", True)  # no change: not audited again
    audited = {(e.target, e.detail["from"], e.detail["to"]) for e in entries(ctx)
               if e.action == "settings.set"}
    assert audited == {("advisors.require_review_approval", "否", "是"),
                       ("backup.daily_time", "22:00", "07:05")}


def test_every_setting_declares_a_kind_and_a_default_it_accepts():
    for key, spec in SETTINGS.items():
        assert spec.kind in {"text", "int", "bool", "time", "choice"}, key
        assert spec.check(spec.default) == spec.default, key
        assert spec.label and "（0=" not in spec.label, key


def test_the_command_line_lists_and_sets_with_the_same_checks(capsys, tmp_path):
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    assert main(["--db", url, "init"]) == 0
    capsys.readouterr()
    assert main(["--db", url, "settings", "list", "--json"]) == 0
    rows = {r["key"]: r for r in json.loads(capsys.readouterr().out)}
    assert rows["backup.daily_time"]["value"] == "22:00" and rows["backup.keep"]["maximum"] == 365
    assert rows["advisors.require_review_approval"]["shown"] == "否"
    assert main(["--db", url, "settings", "set", "backup.daily_time", "25:99"]) == 2
    assert "不是有效的每日自动备份时间" in capsys.readouterr().err
    assert main(["--db", url, "settings", "set", "no.such", "1"]) == 2
    assert "未知的设置项" in capsys.readouterr().err
    assert main(["--db", url, "settings", "set", "advisors.require_review_approval", "是"]) == 0
    assert "须经法律顾问审查" in capsys.readouterr().out
    assert main(["--db", url, "settings", "set", "backup.keep", "3"]) == 0
    capsys.readouterr()
    main(["--db", url, "settings", "list", "--json"])
    rows = {r["key"]: r for r in json.loads(capsys.readouterr().out)}
    assert rows["backup.keep"]["value"] == 3 and rows["advisors.require_review_approval"]["value"] is True
    assert spec_of("backup.keep").parse("3") == 3
