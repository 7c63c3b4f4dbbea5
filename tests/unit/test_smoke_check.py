"""packaging/smoke_check.py on fake builds: a missing or wrong program is reported, exit 1."""
from __future__ import annotations

import importlib.util
import sys

import pytest

from tests.conftest import ROOT

pytestmark = pytest.mark.skipif(sys.platform.startswith("win"), reason="the fake programs are shell scripts")


@pytest.fixture(scope="module")
def smoke():
    spec = importlib.util.spec_from_file_location("smoke_check", ROOT / "packaging" / "smoke_check.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def fake_program(folder, name, output):
    path = folder / name
    path.write_text(f"#!/bin/sh\necho '{output}'\n", encoding="utf-8")
    path.chmod(0o755)


def test_no_build_says_to_make_dist(smoke, tmp_path, capsys):
    assert smoke.main([str(tmp_path / "nothing")]) == 1
    assert "请先 make dist" in capsys.readouterr().err


def test_a_wrong_version_fails(smoke, tmp_path, capsys):
    number = smoke.expected_version()
    fake_program(tmp_path, "mediator-cli", f"调解通 {number}（mediator-cli）")
    fake_program(tmp_path, "mediator", "调解通 0.0.0（mediator）")
    assert smoke.main([str(tmp_path)]) == 1
    assert f"应为版本 {number}" in capsys.readouterr().err


def test_a_gui_that_writes_no_report_fails(smoke, tmp_path):
    fake_program(tmp_path, "mediator", "")
    with pytest.raises(smoke.CheckFailed, match="没有写出启动报告"):
        smoke.check_gui(tmp_path, tmp_path)
