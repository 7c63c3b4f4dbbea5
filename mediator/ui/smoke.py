"""The smoke report of a built program: ``MEDIATOR_SMOKE_REPORT=FILE mediator`` starts as usual,
and as soon as the first window is shown (the first-run wizard, the login or the main window)
writes a JSON report to FILE and quits with exit code 0.

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
POLL_MS = 100
GIVE_UP_MS = 60_000  # no window by then: the report says so and the program ends with 3
EXIT_NO_WINDOW = 3


def shown_window(app: QApplication) -> QWidget | None:
    """The window a person would see now: a modal dialog first, else a visible main window."""
    modal = app.activeModalWidget()
    if modal is not None and modal.isVisible():
        return modal
    return next((w for w in app.topLevelWidgets() if w.isVisible() and isinstance(w, (QDialog, QMainWindow))),
                None)


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
    }


def arm_smoke_report(app: QApplication, environ: dict[str, str] | None = None) -> QTimer | None:
    """With ``MEDIATOR_SMOKE_REPORT`` set: watch for the first window, report it, close it, quit."""
    target = (os.environ if environ is None else environ).get(ENV_VAR)
    if not target:
        return None
    timer = QTimer(app)
    timer.setInterval(POLL_MS)
    waited = [0]

    def tick() -> None:
        window = shown_window(app)
        waited[0] += POLL_MS
        if window is None and waited[0] < GIVE_UP_MS:
            return
        timer.stop()
        Path(target).write_text(json.dumps(report(app, window), ensure_ascii=False, indent=2), encoding="utf-8")
        if window is None:
            os._exit(EXIT_NO_WINDOW)
        if isinstance(window, QDialog):
            window.reject()  # the wizard or the login: main() returns 0 as after 取消
        else:
            window.close()
            app.exit(0)

    timer.timeout.connect(tick)
    timer.start()
    app._smoke_timer = timer  # keeps the wrapper alive
    return timer
