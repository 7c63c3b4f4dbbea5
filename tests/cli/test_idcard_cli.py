"""`mediator-cli idcard IMAGE [IMAGE_BACK] [--json]`: no database, no login; exit 2 without a card."""
from __future__ import annotations

import json

from mediator.cli import main
from tests.idcard_cards import render_cards, write_card


def test_two_cards_as_json_and_as_a_chinese_listing(capsys, tmp_path, monkeypatch):
    monkeypatch.setenv("MEDIATOR_DATABASE_URL", f"sqlite:///{tmp_path / 'none' / 'x.db'}")  # never opened
    first, second = render_cards(2, seed=16)
    front, back = write_card(first, tmp_path, "first")
    assert main(["idcard", str(front), str(back), "--json"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert list(printed) == ["name", "gender", "ethnicity", "birth_date", "address", "id_number", "confidence"]
    assert printed["id_number"] == first.holder.id_number
    assert printed["birth_date"] == first.holder.birth_date.isoformat()
    assert printed["name"] == first.holder.name
    assert 0 < printed["confidence"] <= 1

    front, _back = write_card(second, tmp_path, "second")
    assert main(["idcard", str(front)]) == 0
    out = capsys.readouterr().out
    assert f"身份证号：{second.holder.id_number}" in out
    assert f"姓名：{second.holder.name}" in out
    assert "置信度：" in out
    assert not (tmp_path / "none").exists()


def test_no_card_exits_2_with_a_chinese_message(capsys, tmp_path):
    blank = tmp_path / "空白.png"
    from PIL import Image

    Image.new("RGB", (300, 200), (255, 255, 255)).save(blank)
    assert main(["idcard", str(blank), "--json"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "未在照片中找到身份证的文字" in captured.err
