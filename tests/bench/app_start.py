"""Child process of the start-up and memory figures (run by ``figures_ui``).

``python -m tests.bench.app_start app URL USER PASSWORD ROWS``: the real ``mediator.app.main`` with
the login typed in at once. ``python -m tests.bench.app_start list URL USER PASSWORD ROWS``: only
the 案件 page (list and filters) in a window, as the app builds it.

Prints ``MARK <name> <monotonic>`` lines: ``login`` when the login dialog is on screen, ``main``
when the main window is on screen with nothing left to do (app mode), ``list`` when the case list
shows its first page; then ``MEMORY <name> <MiB> [rows]`` (peak resident memory so far) and quits
after loading ``ROWS`` rows of the list. The parent measures from the moment it started the
process (CLOCK_MONOTONIC is shared by all processes).
"""
from __future__ import annotations

import os
import resource
import sys
import time


def mark(name: str) -> None:
    print(f"MARK {name} {time.monotonic():.6f}", flush=True)


def peak_mib() -> float:
    """Peak resident memory of this program (VmHWM; ru_maxrss would carry the forking parent's)."""
    try:
        for line in open("/proc/self/status", encoding="ascii"):
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def memory(name: str, extra: str = "") -> None:
    print(f"MEMORY {name} {peak_mib():.1f} {extra}".rstrip(), flush=True)


def _fail_fast() -> None:
    """Errors end the process: a message box would wait for a click forever."""
    from mediator.ui import errors

    def fail(_parent, exc, *args, **kwargs) -> None:
        import traceback

        traceback.print_exception(exc, file=sys.stderr)
        sys.stderr.flush()
        os._exit(3)

    errors.show_unexpected = fail
    errors.show_error = fail


def run_app(url: str, username: str, password: str, rows: int) -> int:
    import mediator.app as app
    from mediator.ui.dialogs import login

    def exec_login(dialog) -> int:
        from PySide6.QtWidgets import QApplication, QDialog

        dialog.show()
        QApplication.processEvents()
        mark("login")
        dialog.username.setText(username)
        dialog.password.setText(password)
        dialog._on_buttons_accepted()
        dialog.hide()
        return QDialog.DialogCode.Accepted.value if dialog.user else QDialog.DialogCode.Rejected.value

    build = app.build_main_window

    def build_and_watch(env, *args, **kwargs):
        window = build(env, *args, **kwargs)
        _watch(window, env, rows, lambda: window.show_page("cases"))
        return window

    _fail_fast()
    login.LoginDialog.exec = exec_login
    app.build_main_window = build_and_watch
    return app.main(["--db", url])


def run_list(url: str, username: str, password: str, rows: int) -> int:
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    import mediator.app as app
    from mediator.services.cases.deadline_settings import apply_deadline_settings
    from mediator.services.context import ServiceContext
    from mediator.services.safety.auth import authenticate
    from mediator.services.settings import all_settings
    from mediator.ui.bridge import AppSignals
    from mediator.ui.env import UiEnv
    from mediator.ui.ops import TaskRunner
    from mediator.ui.pages.cases import CasesPage

    _fail_fast()
    qapp = QApplication.instance() or QApplication(sys.argv[:1])
    app.apply_style(qapp)
    db = app.open_database(url)
    ctx = ServiceContext(db)
    apply_deadline_settings(ctx, all_settings(ctx))
    user = authenticate(ctx, username, password)
    env = UiEnv(ctx=ctx, user=user, signals=AppSignals(), runner=TaskRunner(), settings=QSettings())
    page = CasesPage(env)
    page.resize(1280, 800)
    page.show()
    if hasattr(page, "on_shown"):
        page.on_shown()
    _watch(page, env, rows, lambda: page)
    code = qapp.exec()
    env.runner.wait()
    db.dispose()
    return code


def _idle(env) -> bool:
    pool = getattr(env.runner, "pool", None)
    return pool is None or pool.activeThreadCount() == 0


def _watch(window, env, rows: int, open_list) -> None:
    """Wait until idle (main), open the case list (list), load ``rows`` rows (scrolled), quit."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    state: dict = {"step": "main"}

    def tick() -> None:
        if state["step"] == "main":
            if window.isVisible() and not state.get("shown"):
                state["shown"] = True
                mark("shown")  # on screen and answering input; pages may still load data
            if window.isVisible() and _idle(env):
                mark("main")
                memory("main")
                state.update(step="list", page=open_list())
            QTimer.singleShot(1, tick)
            return
        model = state["page"].model
        if state["step"] == "list":
            if not model.loading and model.rowCount() > 0 and _idle(env):
                mark("list")
                memory("list")
                print(f"TOTAL {model.total}", flush=True)
                state["step"] = "scroll"
            QTimer.singleShot(1, tick)
            return
        if model.rowCount() < min(rows, model.total):
            if model.canFetchMore():
                model.fetchMore()
            QTimer.singleShot(1, tick)
            return
        mark("scrolled")
        memory("scrolled", str(model.rowCount()))
        window.close()
        QApplication.instance().quit()

    QTimer.singleShot(0, tick)


if __name__ == "__main__":
    mode, url, user, password, rows = sys.argv[1:6]
    sys.exit((run_app if mode == "app" else run_list)(url, user, password, int(rows)))
