"""Takes the README screenshots from the running app on the demo county.

Run: `QT_QPA_PLATFORM=offscreen .venv/bin/python resources/screenshots/take.py` (needs a CJK font).
"""
from __future__ import annotations

import sys
import tempfile
from datetime import date, datetime
from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

from mediator.app import apply_style
from mediator.domain.enums import OrganizationKind, SupplementKind
from mediator.domain.errors import DomainError
from mediator.services.advisors.reviews import request_review
from mediator.services.cases.drafts import DraftInput, save_draft_agreement
from mediator.services.cases.supplementary import add_supplementary_agreement
from mediator.services.safety.auth import OfficeSetup, authenticate, setup_office
from mediator.services.context import SHANGHAI, Clock, ServiceContext
from mediator.services.exchange.demo import load_demo
from mediator.services.cases.read import CaseFilter, case_detail, list_cases
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
    _corrections_and_review(app, window, ctx, mediating.id)
    window.close()
    db.dispose()
    return 0


def _workspace(window: MainWindow, case_id: int):
    cases = window.show_page("cases")
    cases.open_case(case_id)
    return cases.tabs.currentWidget()


def _shot(app: QApplication, window: MainWindow, name: str) -> None:
    app.processEvents()
    window.grab().save(str(HERE / f"{name}.png"))


def _corrections_and_review(app: QApplication, window: MainWindow, ctx: ServiceContext, case_id: int) -> None:
    """The screens of corrections, the draft agreement under review and a 补充协议."""
    version = case_detail(ctx, case_id).version
    save_draft_agreement(ctx, case_id, DraftInput(
        items=["被申请人于2026年12月20日前拆除越界部分围墙。", "申请人配合测量，费用双方各半承担。"],
        facts="双方因宅基地边界发生争执，经现场测量核实界址。", performance="当场确认，按期履行",
        deadline=date(2026, 12, 20)), version)
    try:
        request_review(ctx, case_id, note="请审查协议草稿")
    except DomainError:
        pass  # the village has no advisor in the demo: the draft alone is shown
    workspace = _workspace(window, case_id)
    workspace.reload()
    workspace.tabs.setCurrentWidget(workspace.parties_tab)
    _shot(app, window, "workspace_parties")
    workspace.tabs.setCurrentWidget(workspace.agreement_tab)
    _shot(app, window, "workspace_draft")
    advisors = window.show_page("advisors")
    advisors.tabs.setCurrentWidget(advisors.reviews)
    advisors.reviews.table.selectRow(0)
    _shot(app, window, "review_queue")
    agreed = list_cases(ctx, CaseFilter(status=["agreed"]), limit=1)
    if agreed:
        detail = case_detail(ctx, agreed[0].id)
        add_supplementary_agreement(ctx, detail.id, SupplementKind.SUPPLEMENT, ctx.today(),
                                    ["双方补充约定：付款方式改为银行转账。"], "当事人申请补充付款方式",
                                    expected_version=detail.version)
        workspace = _workspace(window, detail.id)
        workspace.reload()
        workspace.tabs.setCurrentWidget(workspace.agreement_tab)
        _shot(app, window, "workspace_supplement")
        workspace.tabs.setCurrentWidget(workspace.documents_tab)
        workspace.documents_tab.print_selected("supplementary_agreement")
        app.processEvents()
        preview = workspace.documents_tab.print_dialog
        if preview is not None:
            app.processEvents()
            preview.grab().save(str(HERE / "print_preview.png"))
            preview.reject()


if __name__ == "__main__":
    sys.exit(main())
