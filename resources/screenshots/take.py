"""Takes the README screenshots from the running app on the demo county.

Run: `QT_QPA_PLATFORM=offscreen .venv/bin/python resources/screenshots/take.py` (needs a CJK font).
"""
from __future__ import annotations

import sys
import tempfile
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

from mediator.app import apply_style
from mediator.domain.enums import OrganizationKind
from mediator.services.safety.auth import OfficeSetup, authenticate, setup_office
from mediator.services.context import SHANGHAI, Clock, ServiceContext
from mediator.services.exchange.demo import load_demo
from mediator.services.cases.read import CaseFilter, list_cases
from mediator.store.db import Database
from mediator.store.migrate import upgrade
from mediator.ui.bridge import AppSignals
from mediator.ui.env import UiEnv
from mediator.ui.main_window import MainWindow
from mediator.ui.ops import SyncRunner

HERE = Path(__file__).resolve().parent


def main() -> int:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    apply_style(app)
    folder = Path(tempfile.mkdtemp())
    db = Database(f"sqlite:///{folder / 'shots.db'}")
    upgrade(db)
    ctx = ServiceContext(db, clock=Clock(fixed=datetime(2026, 11, 29, 9, 30, tzinfo=SHANGHAI)))
    load_demo(ctx, cases=500, seed=1)
    setup_office(ctx, OfficeSetup(
        office_name="河滨街道司法所", organization_name="河滨街道人民调解委员会",
        organization_kind=OrganizationKind.TOWNSHIP_COMMITTEE, organization_short="河滨",
        county_code="419902000000", county_name="河湾县", township_code="419902001000",
        township_name="河滨街道", admin_username="admin", admin_display_name="周所长",
        admin_password="demo2026demo"))
    user = authenticate(ctx, "admin", "demo2026demo")
    ctx.actor = user.display_name
    settings = QSettings(str(folder / "settings.ini"), QSettings.Format.IniFormat)
    env = UiEnv(ctx=ctx, user=user, signals=AppSignals(), runner=SyncRunner(), settings=settings)
    window = MainWindow(env)
    window.resize(1366, 800)
    window.show()
    for key in window.pages:
        window.show_page(key)
        app.processEvents()
        window.grab().save(str(HERE / f"{key}.png"))
    mediating = list_cases(ctx, CaseFilter(status=["mediating"]), limit=1)[0]
    window.open_case(mediating.id)
    app.processEvents()
    window.grab().save(str(HERE / "workspace.png"))
    window.close()
    db.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
