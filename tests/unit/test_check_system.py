"""packaging/check_system.py: ldd's "not found" lines mapped to Debian packages, one command printed."""
from __future__ import annotations

import importlib.util
import sys

import pytest

from tests.conftest import ROOT

LDD_OUTPUT = """\
\tlinux-vdso.so.1 (0x00007ffc8a5f2000)
\tlibQt6XcbQpa.so.6 => /venv/PySide6/Qt/plugins/platforms/../../lib/libQt6XcbQpa.so.6 (0x00007f1)
\tlibxcb-icccm.so.4 => not found
\tlibxcb-keysyms.so.1 => not found
\tlibxkbcommon-x11.so.0 => not found
\tlibxcb-cursor.so.0 => not found
\tlibEGL.so.1 => not found
\tlibfontconfig.so.1 => /lib/x86_64-linux-gnu/libfontconfig.so.1 (0x00007f2)
\tlibc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x00007f3)
"""
QT_GUI_LDD = """\
\tlibxcb-icccm.so.4 => not found
\tlibGL.so.1 => not found
\tlibdbus-1.so.3 => not found
\tlibweird-thing.so.7 => not found
"""


@pytest.fixture(scope="module")
def check():
    spec = importlib.util.spec_from_file_location("check_system", ROOT / "packaging" / "check_system.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["check_system"] = module
    spec.loader.exec_module(module)
    yield module
    del sys.modules["check_system"]


def test_the_not_found_lines_of_ldd_are_the_missing_libraries(check):
    assert check.missing_libraries(LDD_OUTPUT) == ["libxcb-icccm.so.4", "libxcb-keysyms.so.1",
                                                   "libxkbcommon-x11.so.0", "libxcb-cursor.so.0", "libEGL.so.1"]
    assert check.missing_libraries("\tlibc.so.6 => /lib/libc.so.6 (0x1)\n") == []


def test_libraries_map_to_debian_packages_each_once_unknown_ones_named(check):
    findings = check.Findings()
    check.add_ldd_output(findings, LDD_OUTPUT)
    check.add_ldd_output(findings, QT_GUI_LDD)  # libxcb-icccm.so.4 again: one package
    assert findings.to_install() == ["libxcb-icccm4", "libxcb-keysyms1", "libxkbcommon-x11-0", "libxcb-cursor0",
                                     "libegl1", "libgl1", "libdbus-1-3"]
    assert findings.unknown() == ["libweird-thing.so.7"]
    assert check.package_for("libxcb-image.so.0") == "libxcb-image0"
    assert check.package_for("libxcb-render-util.so.0") == "libxcb-render-util0"
    assert check.package_for("libxcb-xkb.so.2") == "libxcb-xkb1"  # another version: by its base name


def test_not_root_prints_one_sudo_command_and_exits_1(check, monkeypatch, capsys):
    findings = check.Findings()
    check.add_ldd_output(findings, LDD_OUTPUT)
    findings.packages += check.FONT_PACKAGES
    monkeypatch.setattr(check, "examine", lambda mode: findings)
    monkeypatch.setattr(check.os, "geteuid", lambda: 1000)
    monkeypatch.setattr(check.shutil, "which", lambda name: f"/usr/bin/{name}")
    monkeypatch.setattr(check.sys, "platform", "linux")
    monkeypatch.delenv(check.SKIP_VAR, raising=False)
    installed = []
    monkeypatch.setattr(check, "apt_install", lambda packages: installed.append(packages))
    assert check.main(["gui"]) == 1
    err = capsys.readouterr().err
    commands = [line.strip() for line in err.splitlines() if "apt-get" in line]
    assert commands == ["sudo apt-get install -y libxcb-icccm4 libxcb-keysyms1 libxkbcommon-x11-0 libxcb-cursor0 "
                        "libegl1 fonts-wqy-zenhei fonts-arphic-uming"]
    assert "没有中文字体" in err and installed == []


def test_root_installs_quietly_and_checks_again(check, monkeypatch, capsys):
    missing = check.Findings(libraries={"libxcb-icccm.so.4": "libxcb-icccm4"}, packages=["poppler-utils"])
    results = iter([missing, check.Findings()])
    monkeypatch.setattr(check, "examine", lambda mode: next(results))
    monkeypatch.setattr(check.os, "geteuid", lambda: 0)
    monkeypatch.setattr(check.shutil, "which", lambda name: f"/usr/bin/{name}")
    monkeypatch.setattr(check.sys, "platform", "linux")
    monkeypatch.delenv(check.SKIP_VAR, raising=False)
    installed = []
    monkeypatch.setattr(check, "apt_install", lambda packages: installed.append(packages) or True)
    assert check.main(["test"]) == 0
    assert installed == [["libxcb-icccm4", "poppler-utils"]]
    assert "系统组件已安装" in capsys.readouterr().out


def test_skipped_by_the_variable_and_a_wrong_mode_is_explained(check, monkeypatch, capsys):
    monkeypatch.setenv(check.SKIP_VAR, "1")
    monkeypatch.setattr(check, "examine", lambda mode: pytest.fail("no check when skipped"))
    assert check.main(["gui"]) == 0
    assert check.main(["nonsense"]) == 2
    assert "用法" in capsys.readouterr().err


def test_this_machine_is_examined_without_installing(check, monkeypatch):
    monkeypatch.delenv(check.SKIP_VAR, raising=False)
    findings = check.examine("test")  # real ldd on the installed PySide6
    assert all(isinstance(lib, str) for lib in findings.libraries)


def test_without_sudo_the_one_command_is_su(check, monkeypatch, capsys):
    """A fresh Debian (root password set at install) has no sudo: the command is `su -c '…'`."""
    findings = check.Findings(libraries={"libxcb-icccm.so.4": "libxcb-icccm4"}, packages=list(check.FONT_PACKAGES))
    monkeypatch.setattr(check, "examine", lambda mode: findings)
    monkeypatch.setattr(check.os, "geteuid", lambda: 1000)
    monkeypatch.setattr(check.shutil, "which", lambda name: None if name == "sudo" else f"/usr/bin/{name}")
    monkeypatch.setattr(check.sys, "platform", "linux")
    monkeypatch.delenv(check.SKIP_VAR, raising=False)
    assert check.main(["gui"]) == 1
    commands = [line.strip() for line in capsys.readouterr().err.splitlines() if "apt-get" in line]
    assert commands == ["su -c 'apt-get install -y libxcb-icccm4 fonts-wqy-zenhei fonts-arphic-uming'"]
    assert check.install_command(["poppler-utils"], root=True, sudo=False) == ["apt-get", "install", "-y",
                                                                               "poppler-utils"]


def test_a_test_postgres_without_pg_dump_asks_for_postgresql_client(check, monkeypatch):
    monkeypatch.setattr(check, "qt_folder", lambda: None)
    monkeypatch.setattr(check, "has_cjk_font", lambda: True)
    monkeypatch.setattr(check.shutil, "which", lambda name: None if name == "pg_dump" else f"/usr/bin/{name}")
    monkeypatch.setenv(check.TEST_POSTGRES_VAR, "postgresql+psycopg://postgres@127.0.0.1:5432/test")
    findings = check.examine("test")
    assert findings.packages == ["postgresql-client"]
    assert any("pg_dump" in line for line in check.describe(findings))
    assert check.examine("gui").packages == []  # the program itself never needs it
    monkeypatch.delenv(check.TEST_POSTGRES_VAR)
    assert check.examine("test").packages == []  # SQLite only: no PostgreSQL tests to speed up
