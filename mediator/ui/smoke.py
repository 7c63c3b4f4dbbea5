"""The smoke report of a built program: ``MEDIATOR_SMOKE_REPORT=FILE mediator`` starts as usual,
and as soon as the first window is shown (the first-run wizard, the login or the main window)
writes a JSON report to FILE and quits with exit code 0. With ``MEDIATOR_SMOKE_MAIN_WINDOW=1`` as
well, a first-run wizard is filled in with a fictitious office (示范县, random password) and
finished, and the report is written once the main window — its pages, the reminder scheduler —
is up.

`make dist-check` (packaging/smoke_check.py) runs the frozen executable this way, offscreen, on a
new database: it proves that Qt, its plugins and translations, the style sheet, the forms and the
holidays all made it into the build. Without the variable nothing happens.
"""
from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QMainWindow, QWidget

ENV_VAR = "MEDIATOR_SMOKE_REPORT"
MAIN_WINDOW_VAR = "MEDIATOR_SMOKE_MAIN_WINDOW"
POLL_MS = 100
SETTLE_MS = 1500  # after visiting the pages, before the report
GIVE_UP_MS = 60_000  # no window by then: the report says so and the program ends with 3
EXIT_NO_WINDOW = 3
EXIT_MESSAGE = 4  # a message box came up over the main window's pages


def shown_window(app: QApplication) -> QWidget | None:
    """The window a person would see now: a modal dialog first, else a visible main window."""
    modal = app.activeModalWidget()
    if modal is not None and modal.isVisible():
        return modal
    return next((w for w in app.topLevelWidgets() if w.isVisible() and isinstance(w, (QDialog, QMainWindow))),
                None)


def finish_wizard(wizard) -> None:
    """Fill the first-run wizard with a fictitious office and finish it (the office is created)."""
    import secrets

    from PySide6.QtWidgets import QWizard

    office = wizard.office
    for widget, text in ((office.office_name, "城关镇司法所"), (office.org_name, "城关镇人民调解委员会"),
                         (office.org_short, "城关"), (office.county_code, "419901000000"),
                         (office.county_name, "示范县"), (office.township_code, "419901100000"),
                         (office.township_name, "城关镇")):
        widget.setText(text)
    wizard.next()
    password = secrets.token_hex(8)
    admin = wizard.admin
    for widget, text in ((admin.username, "admin"), (admin.display_name, "管理员"), (admin.password, password),
                         (admin.confirm, password)):
        widget.setText(text)
    wizard.next()
    wizard.button(QWizard.WizardButton.FinishButton).click()


def report(app: QApplication, window: QWidget | None) -> dict:
    """What the smoke check looks at: the window, the version and the files the build must carry."""
    from mediator.domain.calendar import DEFAULT_HOLIDAYS_PATH
    from mediator.services.documents.rendering import BUILTIN_FORMS
    from mediator.version import version

    cancel = QCoreApplication.translate("QPlatformTheme", "Cancel")
    return {
        "ok": window is not None,
        "window": type(window).__name__ if window is not None else None,
        "title": window.windowTitle() if window is not None else None,
        "version": version(),
        "frozen": bool(getattr(sys, "frozen", False)),
        "platform": app.platformName(),
        "qt_chinese": cancel != "Cancel",  # qtbase_zh_CN.qm was found and loaded
        "style_sheet": bool(app.styleSheet()),  # resources/style.qss was found and applied
        "forms": sorted(p.stem for p in BUILTIN_FORMS.glob("*.toml")),
        "holidays": DEFAULT_HOLIDAYS_PATH.is_file(),
        "pages": list(getattr(window, "page_titles", {}).values()),  # the main window's navigation
        "message": window.text() if hasattr(window, "text") and callable(window.text) else None,
    }


def arm_smoke_report(app: QApplication, environ: dict[str, str] | None = None) -> QTimer | None:
    """With ``MEDIATOR_SMOKE_REPORT`` set: watch for the first window, report it, close it, quit."""
    environ = os.environ if environ is None else environ
    target = environ.get(ENV_VAR)
    if not target:
        return None
    through_wizard = environ.get(MAIN_WINDOW_VAR) == "1"
    timer = QTimer(app)
    timer.setInterval(POLL_MS)
    waited = [0]
    seen: list[str] = []

    settle_until: list[int] = []  # set once the main window's pages were visited

    def tick() -> None:
        window = shown_window(app)
        waited[0] += POLL_MS
        if window is None and waited[0] < GIVE_UP_MS:
            return
        if window is not None and (not seen or seen[-1] != type(window).__name__):
            seen.append(type(window).__name__)
        if through_wizard and type(window).__name__ == "FirstRunWizard":
            finish_wizard(window)  # main() goes on to the main window; the timer keeps watching
            return
        if through_wizard and isinstance(window, QMainWindow) and not settle_until:
            for key in list(getattr(window, "pages", {})):
                window.show_page(key)  # each page shown once: its queries run
            settle_until.append(waited[0] + SETTLE_MS)
            return
        if settle_until and waited[0] < settle_until[0] and isinstance(window, QMainWindow):
            return  # a failed query would show its message box by then
        timer.stop()
        data = report(app, window) | {"seen": seen}
        failed = bool(settle_until) and not isinstance(window, QMainWindow)  # a message over the pages
        if failed:
            data["ok"] = False
        Path(target).write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
        if window is None:
            os._exit(EXIT_NO_WINDOW)
        if failed:
            window.reject()
            app.exit(EXIT_MESSAGE)
        elif isinstance(window, QDialog):
            window.reject()  # the wizard or the login: main() returns 0 as after 取消
        else:
            window.close()
            app.exit(0)

    timer.timeout.connect(tick)
    timer.start()
    app._smoke_timer = timer  # keeps the wrapper alive
    return timer
