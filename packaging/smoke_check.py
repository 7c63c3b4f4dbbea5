"""Smoke test of the BUILT program (`make dist-check`): run dist/mediator/ as a user would.

1. ``mediator-cli --version`` and ``mediator --version`` give the version of pyproject.toml;
2. ``mediator-cli --db sqlite:///TMP init``, ``import`` of the sample cases, and the 人民调解协议书
   of SF-2026-001 as PDF (its text read back with pypdf) and as DOCX;
3. the GUI executable started offscreen on a new database with MEDIATOR_SMOKE_REPORT: it must show
   the first-run wizard, report Qt's Chinese texts, the style sheet, the forms and the holidays,
   and quit with 0; then once more through the wizard (MEDIATOR_SMOKE_MAIN_WINDOW=1) to the main
   window, every page shown once; where ``xvfb-run`` is installed, that again on a real X server
   (Qt's xcb plugin and the system libraries it loads).

Usage: ``python packaging/smoke_check.py [DIST_FOLDER]`` (default dist/mediator). Exit 0 when all pass.
"""
from __future__ import annotations

import io
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLE_CASES = ROOT / "tests" / "data" / "sample-cases.json"
AGREEMENT_TEXT = ["人民调解协议书", "刘桂兰", "杨国强", "经调解，自愿达成如下协议：", "人民币叁仟陆佰元整"]
TIMEOUT = 180


class CheckFailed(Exception):
    pass


def executable(folder: Path, name: str) -> Path:
    path = folder / (f"{name}.exe" if sys.platform.startswith("win") else name)
    if not path.is_file():
        raise CheckFailed(f"找不到可执行文件：{path}（请先 make dist）")
    return path


def isolated_env(home: Path, **extra: str) -> dict[str, str]:
    """The environment of a new user: its own home, data and log folders, no database variable."""
    env = {k: v for k, v in os.environ.items() if k != "MEDIATOR_DATABASE_URL"}
    env.update({"HOME": str(home), "XDG_DATA_HOME": str(home / "data"), "XDG_STATE_HOME": str(home / "state"),
                "XDG_CONFIG_HOME": str(home / "config"), "XDG_CACHE_HOME": str(home / "cache"),
                "APPDATA": str(home / "roaming"), "LOCALAPPDATA": str(home / "local"),
                "PYTHONIOENCODING": "utf-8"})
    env.update(extra)
    return env


def run(command: list[str], env: dict[str, str], what: str) -> str:
    try:
        result = subprocess.run(command, env=env, capture_output=True, timeout=TIMEOUT)
    except subprocess.TimeoutExpired as e:
        raise CheckFailed(f"{what}：{TIMEOUT}秒内没有结束") from e
    out = result.stdout.decode("utf-8", "replace")
    if result.returncode != 0:
        err = result.stderr.decode("utf-8", "replace")
        raise CheckFailed(f"{what}：退出码{result.returncode}\n{out}{err}")
    return out


def expected_version() -> str:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]


def pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    return "".join(re.sub(r"\s+", "", page.extract_text()) for page in PdfReader(io.BytesIO(data)).pages)


def check_versions(folder: Path, env: dict[str, str]) -> str:
    number = expected_version()
    # mediator.exe has no console on Windows (it prints nothing): its number is in the GUI report
    names = ("mediator-cli",) if sys.platform.startswith("win") else ("mediator-cli", "mediator")
    for name in names:
        out = run([str(executable(folder, name)), "--version"], env, f"{name} --version").strip()
        if out != f"调解通 {number}（{name}）":
            raise CheckFailed(f"{name} --version 显示“{out}”，应为版本 {number}")
    return f"版本 {number}"


def check_cli_documents(folder: Path, env: dict[str, str], work: Path) -> str:
    cli = str(executable(folder, "mediator-cli"))
    url = f"sqlite:///{(work / 'cli.db').as_posix()}"
    run([cli, "--db", url, "init"], env, "mediator-cli init")
    run([cli, "--db", url, "import", str(SAMPLE_CASES)], env, "mediator-cli import")
    pdf, docx = work / "协议书.pdf", work / "协议书.docx"
    run([cli, "--db", url, "doc", "SF-2026-001", "agreement", "-o", str(pdf)], env, "生成协议书PDF")
    run([cli, "--db", url, "doc", "SF-2026-001", "agreement", "-o", str(docx)], env, "生成协议书DOCX")
    text = pdf_text(pdf.read_bytes())
    missing = [t for t in AGREEMENT_TEXT if t not in text]
    if missing:
        raise CheckFailed(f"协议书PDF缺少文字：{'、'.join(missing)}")
    if not docx.is_file() or docx.stat().st_size == 0:
        raise CheckFailed("协议书DOCX没有生成")
    return f"命令行建库、导入、协议书PDF（{pdf.stat().st_size // 1024} KB）与DOCX"


def check_gui(folder: Path, work: Path, platform: str = "offscreen", main_window: bool = False) -> str:
    """The GUI on a new database: the first-run wizard; with ``main_window`` on through it to the main window."""
    name = f"{platform}-{'main' if main_window else 'wizard'}"
    report = work / f"smoke-{name}.json"
    extra = {"MEDIATOR_SMOKE_REPORT": str(report), "QT_QPA_PLATFORM": platform}
    if main_window:
        extra["MEDIATOR_SMOKE_MAIN_WINDOW"] = "1"
    env = isolated_env(work / f"gui-home-{name}", **extra)
    url = f"sqlite:///{(work / f'gui-{name}.db').as_posix()}"
    command = [str(executable(folder, "mediator")), "--db", url]
    if platform == "xcb":
        command = ["xvfb-run", "-a", *command]
    what = f"桌面程序（{platform}{'，主窗口' if main_window else ''}）"
    try:
        run(command, env, what)
    finally:
        data = json.loads(report.read_text(encoding="utf-8")) if report.is_file() else None
    if data is None:
        raise CheckFailed(f"{what}没有写出启动报告（MEDIATOR_SMOKE_REPORT）")
    problems = []
    expected = "MainWindow" if main_window else "FirstRunWizard"
    if not data.get("ok") or data.get("window") != expected:
        problems.append(f"应显示 {expected}，实际为 {data.get('window')}（{data.get('message') or ''}）")
    for key, label in (("frozen", "安装版标记"), ("qt_chinese", "Qt中文翻译"), ("style_sheet", "界面样式表"),
                       ("holidays", "节假日文件")):
        if not data.get(key):
            problems.append(f"缺少{label}")
    if "agreement" not in data.get("forms", []):
        problems.append("缺少文书格式（forms）")
    if main_window and "案件" not in data.get("pages", []):
        problems.append(f"主窗口缺少“案件”页：{data.get('pages')}")
    if data.get("version") != expected_version():
        problems.append(f"版本为 {data.get('version')}，应为 {expected_version()}")
    if data.get("platform") != platform:
        problems.append(f"显示平台为 {data.get('platform')}，应为 {platform}")
    if problems:
        raise CheckFailed(f"{what}：" + "；".join(problems))
    shown = f"{len(data.get('pages', []))}个页面" if main_window else f"“{data.get('title')}”"
    return f"{what}显示{shown}后正常退出"


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    folder = Path(args[0]) if args else ROOT / "dist" / "mediator"
    with tempfile.TemporaryDirectory(prefix="mediator-dist-") as tmp:
        work = Path(tmp)
        env = isolated_env(work / "home")
        steps = [lambda: check_versions(folder, env), lambda: check_cli_documents(folder, env, work),
                 lambda: check_gui(folder, work), lambda: check_gui(folder, work, main_window=True)]
        if sys.platform.startswith("linux") and shutil.which("xvfb-run"):
            steps.append(lambda: check_gui(folder, work, "xcb", main_window=True))
        for step in steps:
            try:
                print(f"通过：{step()}", flush=True)
            except CheckFailed as e:
                print(f"未通过：{e}", file=sys.stderr)
                return 1
    print(f"安装包检查通过：{folder}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
