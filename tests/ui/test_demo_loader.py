"""The demo loaded after the first-run wizard: into the office's own county and township, behind a
progress dialog shown from the first moment."""
from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QMainWindow, QProgressDialog

from mediator.domain.enums import OrganizationKind, RegionLevel
from mediator.services.context import Clock, ServiceContext
from mediator.services.places.admin import organizations_at, region_tree
from mediator.services.places.choices import mediators
from mediator.services.safety.auth import OfficeSetup, setup_office
from mediator.ui import demo_loader
from mediator.ui.bridge import AppSignals
from mediator.ui.env import UiEnv
from mediator.ui.ops import SyncRunner
from tests.conftest import FIXED_NOW
from tests.ui.conftest import ADMIN_PASSWORD


class WatchingRunner(SyncRunner):
    """Runs inline, noting which progress dialogs were on screen when the work started."""

    def __init__(self, window: QMainWindow) -> None:
        super().__init__()
        self.window = window
        self.seen: list[str] = []

    def run(self, fn, **kwargs):
        self.seen = [d.labelText() for d in self.window.findChildren(QProgressDialog) if d.isVisible()]
        return super().run(fn, **kwargs)


@pytest.fixture
def new_office(ui_db, tmp_path, qapp):
    ctx = ServiceContext(ui_db, actor="王所长", clock=Clock(fixed=FIXED_NOW))
    user = setup_office(ctx, OfficeSetup(
        office_name="城关镇司法所", organization_name="城关镇人民调解委员会",
        organization_kind=OrganizationKind.TOWNSHIP_COMMITTEE, organization_short="城关",
        county_code="419905", county_name="东山县", township_code="419905100",
        township_name="城关镇", admin_username="admin", admin_display_name="王所长",
        admin_password=ADMIN_PASSWORD))
    ctx.user = user
    return ctx


def test_the_demo_fills_the_users_own_township_behind_a_progress_dialog(new_office, qtbot, tmp_path,
                                                                       monkeypatch):
    informed = []
    monkeypatch.setattr(demo_loader, "inform", lambda _w, title, text: informed.append(text))
    window = QMainWindow()
    qtbot.addWidget(window)
    window.show()
    runner = WatchingRunner(window)
    env = UiEnv(ctx=new_office, user=new_office.user, signals=AppSignals(), runner=runner,
                settings=QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    changed = []
    env.signals.reference_changed.connect(lambda: changed.append(True))
    dialog = demo_loader.load_demo_in_background(env, window, 60)
    assert runner.seen == ["正在载入示范数据和60件示例案件，请稍候…"]  # before any work
    assert dialog.windowTitle() == "载入示范数据" and not dialog.isVisible()  # closed at the end
    assert changed and "示范数据已载入本单位所在县" in informed[0]

    regions = region_tree(new_office)
    by_code = {r.code: r for r in regions}
    county = by_code["419905000000"]
    assert county.name == "东山县" and "419902000000" not in by_code  # no second county beside it
    township = by_code["419905100000"]
    assert township.name == "城关镇"
    villages = [r for r in regions if r.parent_id == township.id and r.level is RegionLevel.VILLAGE]
    assert len(villages) >= 3
    village_ids = {v.id for v in villages}
    assert any(r.level is RegionLevel.GRID and r.parent_id in village_ids for r in regions)
    own = next(o for o in organizations_at(new_office, township.id) if o.name == "城关镇人民调解委员会")
    assert len(mediators(new_office, own.id)) >= 2
    assert not any("河湾县" in r.name for r in regions)
