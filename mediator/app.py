"""Application bootstrap: arguments, logging, the database, first-run wizard or login, main window."""
from __future__ import annotations

import argparse
import logging
import os
import shutil
import sys
from datetime import datetime
from logging.handlers import RotatingFileHandler
from pathlib import Path

from mediator.config import database_url, log_dir
from mediator.version import version_line


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="mediator", description="调解通：矛盾纠纷调解案件管理（桌面程序）")
    parser.add_argument("--db", metavar="URL",
                        help="数据库地址（sqlite:///文件 或 postgresql+psycopg://…）；默认取环境变量 "
                             "MEDIATOR_DATABASE_URL，再默认用户数据目录中的 SQLite 文件")
    parser.add_argument("--user", metavar="NAME", help="登录框中预填的用户名")
    parser.add_argument("--version", action="version", version=version_line("mediator"),
                        help="显示版本号并退出")
    return parser.parse_args(argv)


def setup_logging() -> Path:
    folder = log_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "mediator.log"
    handler = RotatingFileHandler(path, maxBytes=2_000_000, backupCount=3, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger("mediator")
    root.setLevel(logging.INFO)
    root.addHandler(handler)
    return path


def open_database(url: str, key: str | None = None):
    """The database at ``url``, migrated to the newest schema (a SQLite file is copied first).

    ``key``: the passphrase of an SQLCipher-encrypted SQLite file.
    """
    from mediator.store.db import Database
    from mediator.store.migrate import current_revision, head_revision, upgrade

    db = Database(url, key=key)
    current = current_revision(db)
    if db.is_sqlite and current is not None and current != head_revision():
        source = Path(db.engine.url.database)
        if source.exists():
            stamp = datetime.now().strftime("%Y%m%d%H%M%S")
            shutil.copy2(source, source.with_name(f"{source.stem}-升级前备份-{stamp}{source.suffix}"))
    upgrade(db)
    return db


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    setup_logging()
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication, QDialog

    from mediator.domain.errors import DomainError
    from mediator.services.cases.deadline_settings import apply_deadline_settings, load_calendar
    from mediator.services.context import ServiceContext
    from mediator.services.safety.auth import is_first_run
    from mediator.services.settings import all_settings, get_setting
    from mediator.ui.bridge import AppSignals
    from mediator.ui.env import UiEnv
    from mediator.ui.errors import show_error, show_unexpected
    from mediator.ui.ops import TaskRunner
    from mediator.ui.translation import install_chinese

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("调解通")
    app.setOrganizationName("mediator")
    install_chinese(app)  # Qt's own dialogs and buttons in Chinese
    apply_style(app)
    from mediator.ui.smoke import arm_smoke_report

    arm_smoke_report(app)  # MEDIATOR_SMOKE_REPORT=FILE: report the first window, then quit
    sys.excepthook = lambda _t, exc, _tb: show_unexpected(None, exc)
    url = database_url(args.db)
    go_on, key = ask_database_key(url)
    if not go_on:
        return 0
    try:
        db = open_database(url, key)
    except DomainError as e:
        show_error(None, e)
        return 1
    ctx = ServiceContext(db)
    ctx.calendar = load_calendar()  # the office's holidays copy when there is one
    apply_deadline_settings(ctx, all_settings(ctx))
    demo_cases = 0
    if is_first_run(ctx):
        from mediator.ui.dialogs.wizard import FirstRunWizard

        wizard = FirstRunWizard(ctx)
        if wizard.exec() != QDialog.DialogCode.Accepted:
            return 0
        user, demo_cases = wizard.user, wizard.demo_cases
    else:
        from mediator.ui.dialogs.login import LoginDialog

        if not join_or_login(ctx, url, QSettings()):
            return 0

        login = LoginDialog(ctx, get_setting(ctx, "office.name"))
        if args.user:
            login.username.setText(args.user)
            login.password.setFocus()
        if login.exec() != QDialog.DialogCode.Accepted:
            return 0
        user = login.user
    ctx.actor = user.display_name
    ctx.user = user  # services scope what an advisor may read by it
    ctx.db.announce(user.display_name)  # a restore elsewhere names who has the database open
    _sync_office_forms(ctx)
    env = UiEnv(ctx=ctx, user=user, signals=AppSignals(), runner=TaskRunner(), settings=QSettings(),
                restart=lambda: app.exit(RESTART_EXIT_CODE))
    from mediator.ui import errors as ui_errors

    # A deactivated account is refused at its next action: the app starts again at the login.
    ui_errors.on_account_disabled = env.restart
    bridge = build_scheduler_bridge(env)
    window = build_main_window(env, bridge)
    from mediator.ui.idle_lock import IdleLock

    window.idle_lock = IdleLock(window, env)  # asks for the password again after idle time
    bridge.is_locked = lambda: window.idle_lock.is_locked
    window.show()
    # Reminders: a catch-up scan once the window has its 需提醒 (the start reads the deadlines
    # once, not twice at a time), then every few minutes and at due times.
    start_after_first_reading(env, bridge)
    if demo_cases:
        from mediator.ui.demo_loader import load_demo_in_background

        load_demo_in_background(env, window, demo_cases)
    code = app.exec()
    bridge.stop()
    env.runner.wait()
    db.dispose()
    if code == RESTART_EXIT_CODE:  # e.g. a restored database: start afresh on it, with a login
        return relaunch()
    return code


def relaunch_argv(argv: list[str], executable: str, frozen: bool) -> list[str]:
    """The command that starts this program again with the same arguments.

    From source it is ``python main.py …``; a frozen build (PyInstaller) is its own executable and
    ``sys.argv[0]`` is that executable, so the arguments follow it directly.
    """
    if frozen:
        return [executable, *argv[1:]]
    return [executable, *argv]


def relaunch() -> int:
    """Start the program afresh: exec on POSIX; on Windows a new process, and this one ends."""
    command = relaunch_argv(sys.argv, sys.executable, bool(getattr(sys, "frozen", False)))
    if sys.platform.startswith("win"):  # execv on Windows spawns and leaves a detached console
        import subprocess

        subprocess.Popen(command, close_fds=True)
        return 0
    os.execv(command[0], command)
    return 0  # not reached


def _sync_office_forms(ctx) -> None:
    """The office's edited forms from the database into the data directory (what prints)."""
    from mediator.domain.errors import DomainError
    from mediator.services.documents.office_forms import sync_forms

    try:
        sync_forms(ctx)
    except (DomainError, OSError):
        logging.getLogger(__name__).exception("本所文书模板未能从数据库同步")


def join_or_login(ctx, url: str, settings) -> bool:
    """A new PC on a county server (PostgreSQL) that already has offices: log in as one of them,
    or file a new office's request to join (then stop: it waits for an approval).

    True: go on to the login dialog. The choice is asked once per PC.
    """
    from mediator.services.offices import has_offices
    from mediator.ui.dialogs.join_office import JoinOfficeWizard
    from mediator.ui.errors import inform

    if not url.startswith("postgresql") or settings.value("server/known", False, type=bool) \
            or not has_offices(ctx):
        return True
    wizard = JoinOfficeWizard(ctx)
    if not wizard.exec():
        return False
    if wizard.wants_login:
        settings.setValue("server/known", True)
        return True
    inform(None, "申请已提交", f"“{wizard.requested}”的加入申请已提交。请联系本服务器的管理员"
                                f"在“系统 → 司法所加入申请”中批准（或 mediator-cli office approve），"
                                f"批准后再启动本程序登录。")
    settings.setValue("server/known", True)
    return False


RESTART_EXIT_CODE = 75  # the window asks to be started again

STYLE_SHEET = Path(__file__).resolve().parents[1] / "resources" / "style.qss"  # frozen: _internal/resources


def apply_style(app) -> None:
    """The application's style sheet (navigation, tables), when the file is there."""
    if STYLE_SHEET.exists():
        app.setStyleSheet(STYLE_SHEET.read_text(encoding="utf-8"))


def ask_database_key(url: str) -> tuple[bool, str | None]:
    """(go on, passphrase): the passphrase of an encrypted SQLite file is asked before login.

    A plain database needs none: (True, None); 退出 in the dialog gives (False, None).
    """
    from PySide6.QtWidgets import QDialog

    from mediator.services.safety.encryption import database_needs_key

    if not database_needs_key(url):
        return True, None
    from mediator.ui.dialogs.encryption import DatabaseKeyDialog

    dialog = DatabaseKeyDialog(url)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return False, None
    return True, dialog.key


def build_main_window(env, scheduler_bridge=None):
    from mediator.ui.main_window import MainWindow

    return MainWindow(env, scheduler_bridge=scheduler_bridge)


def start_after_first_reading(env, bridge) -> None:
    """Start the scheduler when the shared 需提醒 reading has arrived (at once if it has)."""
    from PySide6.QtCore import QTimer

    due = env.due_snapshot()
    if due.summary is not None:
        bridge.start()
        return
    due.changed.connect(lambda _summary: bridge.start())  # start() is idempotent
    QTimer.singleShot(60_000, bridge.start)  # should the reading fail, the reminders still run


def build_scheduler_bridge(env):
    """The reminder scheduler of the logged-in user and its one signal to the GUI."""
    from mediator.ui.scheduler_bridge import SchedulerBridge

    return SchedulerBridge(env)
