"""The version: one number in pyproject.toml and mediator/version.py, shown by --version."""
from __future__ import annotations

import subprocess
import sys
import tomllib

from mediator import version as version_module
from tests.conftest import ROOT


def test_the_fallback_number_is_the_one_in_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert version_module.VERSION == project["version"]


def test_the_installer_script_has_the_same_number():
    import re

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    script = (ROOT / "packaging" / "mediator.iss").read_text(encoding="utf-8-sig")
    assert re.search(r'#define AppVersion "([^"]+)"', script).group(1) == project["version"]


def test_a_frozen_build_reports_its_own_number(monkeypatch):
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    assert version_module.version() == version_module.VERSION


def test_a_checkout_never_installed_falls_back(monkeypatch):
    from importlib import metadata

    def missing(_name):
        raise metadata.PackageNotFoundError("mediator")

    monkeypatch.setattr(metadata, "version", missing)
    assert version_module.version() == version_module.VERSION


def test_version_on_the_cli_and_the_gui(capsys):
    import pytest

    from mediator.app import parse_args
    from mediator.cli import main

    for run, program in ((lambda: main(["--version"]), "mediator-cli"),
                         (lambda: parse_args(["--version"]), "mediator")):
        with pytest.raises(SystemExit) as stop:
            run()
        assert stop.value.code == 0
        assert capsys.readouterr().out.strip() == f"调解通 {version_module.version()}（{program}）"


def test_main_py_prints_the_version_without_starting_qt():
    result = subprocess.run([sys.executable, str(ROOT / "main.py"), "--version"], capture_output=True,
                            text=True, encoding="utf-8", timeout=60, cwd=ROOT)
    assert result.returncode == 0 and result.stdout.startswith("调解通 ")


def test_a_restart_re_executes_the_frozen_program_with_its_arguments():
    from mediator.app import relaunch_argv

    assert relaunch_argv([r"C:\调解通\mediator.exe", "--db", "x"], r"C:\调解通\mediator.exe", True) == [
        r"C:\调解通\mediator.exe", "--db", "x"]
    assert relaunch_argv(["main.py", "--db", "x"], "/venv/bin/python", False) == [
        "/venv/bin/python", "main.py", "--db", "x"]
