"""UI fixtures: a SQLite database with the sample county and cases, a logged-in admin, no threads."""
from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings

from mediator.domain.enums import OrganizationKind
from mediator.services.context import Clock, ServiceContext
from mediator.services.exchange.importer import import_document
from mediator.services.safety.auth import OfficeSetup, setup_office
from mediator.ui.bridge import AppSignals
from mediator.ui.env import UiEnv
from mediator.ui.ops import SyncRunner
from mediator.ui.translation import install_chinese
from tests.conftest import FIXED_NOW
from tests.helpers import sample_document
from tests.templates import migrated_sqlite

ADMIN_PASSWORD = "tiaojie2026"


@pytest.fixture(autouse=True)
def chinese_qt(qapp):
    """Qt's own texts in Chinese, as the app installs them at start."""
    install_chinese(qapp)


@pytest.fixture
def ui_db(tmp_path):
    db = migrated_sqlite(tmp_path / 'ui.db')
    yield db
    db.dispose()


@pytest.fixture
def ui_ctx(ui_db) -> ServiceContext:
    """The sample county, its three cases, and the office's administrator."""
    ctx = ServiceContext(ui_db, actor="管理员", clock=Clock(fixed=FIXED_NOW))
    import_document(ctx, sample_document())
    setup_office(ctx, OfficeSetup(
        office_name="城关镇司法所", organization_name="城关镇人民调解委员会",
        organization_kind=OrganizationKind.TOWNSHIP_COMMITTEE, organization_short="城关",
        county_code="419901000000", county_name="示范县", township_code="419901100000",
        township_name="城关镇", admin_username="admin", admin_display_name="王所长",
        admin_password=ADMIN_PASSWORD))
    ctx.actor = "王所长"
    return ctx


@pytest.fixture
def env(ui_ctx, tmp_path, qapp) -> UiEnv:
    from mediator.services.safety.auth import authenticate

    user = authenticate(ui_ctx, "admin", ADMIN_PASSWORD)
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    return UiEnv(ctx=ui_ctx, user=user, signals=AppSignals(), runner=SyncRunner(), settings=settings)
