"""MEDIATOR_SMOKE_REPORT: the program reports its first window and quits with 0 (the dist check)."""
from __future__ import annotations

import json
import os
import subprocess
import sys

from PySide6.QtWidgets import QApplication

from mediator.ui.smoke import ENV_VAR, MAIN_WINDOW_VAR, arm_smoke_report
from tests.conftest import ROOT


def smoke_env(tmp_path, report) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "MEDIATOR_DATABASE_URL"}
    env.update({ENV_VAR: str(report), "QT_QPA_PLATFORM": "offscreen", "HOME": str(tmp_path),
                "XDG_DATA_HOME": str(tmp_path / "data"), "XDG_STATE_HOME": str(tmp_path / "state"),
                "XDG_CONFIG_HOME": str(tmp_path / "config"), "XDG_CACHE_HOME": str(tmp_path / "cache")})
    return env


def test_a_new_database_shows_the_first_run_wizard_reports_it_and_exits_0(tmp_path):
    report = tmp_path / "smoke.json"
    result = subprocess.run([sys.executable, "main.py", "--db", f"sqlite:///{tmp_path / 'new.db'}"],
                            cwd=ROOT, env=smoke_env(tmp_path, report), capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr
    data = json.loads(report.read_text(encoding="utf-8"))
    assert data["ok"] and data["window"] == "FirstRunWizard"
    assert data["qt_chinese"] and data["style_sheet"] and data["holidays"]
    assert "agreement" in data["forms"] and data["frozen"] is False
    assert (tmp_path / "new.db").exists()  # migrated before the wizard


def test_through_the_wizard_to_the_main_window_every_page_shown(tmp_path):
    report = tmp_path / "smoke.json"
    env = smoke_env(tmp_path, report) | {MAIN_WINDOW_VAR: "1"}
    result = subprocess.run([sys.executable, "main.py", "--db", f"sqlite:///{tmp_path / 'new.db'}"],
                            cwd=ROOT, env=env, capture_output=True, text=True, timeout=180)
    assert result.returncode == 0, result.stderr
    data = json.loads(report.read_text(encoding="utf-8"))
    assert data["ok"] and data["window"] == "MainWindow" and data["seen"] == ["FirstRunWizard", "MainWindow"]
    assert {"工作台", "案件", "统计报表", "文书"} <= set(data["pages"])


def test_without_the_variable_nothing_is_armed(qapp):
    assert arm_smoke_report(QApplication.instance(), environ={}) is None


def test_a_main_window_is_reported_closed_and_the_app_told_to_exit_0(qapp, qtbot, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QMainWindow

    report = tmp_path / "smoke.json"
    exits = []
    monkeypatch.setattr(qapp, "exit", lambda code=0: exits.append(code))
    window = QMainWindow()
    window.setWindowTitle("调解通")
    qtbot.addWidget(window)
    window.show()
    timer = arm_smoke_report(qapp, environ={ENV_VAR: str(report)})
    qtbot.waitUntil(lambda: report.exists(), timeout=5000)
    timer.stop()
    data = json.loads(report.read_text(encoding="utf-8"))
    assert data["window"] == "QMainWindow" and data["title"] == "调解通" and data["ok"]
    assert exits == [0] and not window.isVisible()
