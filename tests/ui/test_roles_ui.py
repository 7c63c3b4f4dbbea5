"""The main window hides what a role may not do (the services refuse it as well)."""
from __future__ import annotations

from PySide6.QtCore import QSettings
from sqlmodel import select

from mediator.domain.permissions import Role
from mediator.services.cases.read import find_case_id
from mediator.services.safety.auth import authenticate, create_user
from mediator.store.models import Organization
from mediator.ui.bridge import AppSignals
from mediator.ui.env import UiEnv
from mediator.ui.main_window import MainWindow
from mediator.ui.ops import SyncRunner
from tests.helpers import TOWNSHIP_COMMITTEE

PASSWORD = "mima2026x"


def _window(qtbot, ui_ctx, tmp_path, role: Role) -> MainWindow:
    """The main window of a freshly created user of ``role`` at the township's committee."""
    ui_ctx.user = None  # the administrator (the system) creates the account
    with ui_ctx.read() as session:
        org_id = session.exec(select(Organization.id).where(Organization.name == TOWNSHIP_COMMITTEE)).one()
    create_user(ui_ctx, username=f"u_{role.value}", display_name=role.label, password=PASSWORD,
                role=role, organization_id=org_id)
    user = authenticate(ui_ctx, f"u_{role.value}", PASSWORD)
    ui_ctx.user = user  # as the app does after login: the services check this user
    settings = QSettings(str(tmp_path / f"{role.value}.ini"), QSettings.Format.IniFormat)
    env = UiEnv(ctx=ui_ctx, user=user, signals=AppSignals(), runner=SyncRunner(), settings=settings)
    window = MainWindow(env)
    qtbot.addWidget(window)
    return window


def test_a_readonly_user_sees_no_register_no_case_actions_and_no_region_editing(qtbot, ui_ctx, tmp_path):
    window = _window(qtbot, ui_ctx, tmp_path, Role.READONLY)
    cases = window.pages["cases"]
    assert cases.new_button.isHidden()
    assert not window.new_case_action.isVisible()
    window.new_case()  # Ctrl+N does nothing (no modal opens)

    window.open_case(find_case_id(ui_ctx, "SF-2026-001"))
    workspace = cases.tabs.widget(1)
    assert workspace.case_number()  # the case opened: reading is allowed
    assert workspace.action_bar.isHidden()
    assert all(button.isHidden() for button in workspace.action_bar.buttons.values())
    assert workspace.sessions_tab.record_button.isHidden()
    assert workspace.info_tab.save_button.isHidden()
    assert workspace.attachments_tab.add_button.isHidden()
    assert not workspace.tabs.isTabVisible(workspace.tabs.indexOf(workspace.documents_tab))

    regions = window.pages["regions"]
    for button in (regions.add_button, regions.rename_button, regions.move_button,
                   regions.active_button, regions.import_button, regions.panel.add_org_button,
                   regions.panel.edit_org_button, regions.panel.add_mediator_button,
                   regions.panel.edit_mediator_button):
        assert button.isHidden()
    assert "documents" not in window.pages  # 文书 needs DOCUMENT_PRINT
    assert "reports" in window.pages  # 只读 reads the statistics


def test_a_mediator_cannot_edit_the_system_settings_but_handles_cases(qtbot, ui_ctx, tmp_path):
    window = _window(qtbot, ui_ctx, tmp_path, Role.MEDIATOR)
    system = window.pages["system"]
    assert system.save_button.isHidden() and system.reset_button.isHidden()
    assert system.holidays_button.isHidden()
    assert not any(editor.isEnabled() for editor in system.settings_form.editors.values())
    assert not window.pages["cases"].new_button.isHidden()

    window.open_case(find_case_id(ui_ctx, "SF-2026-001"))
    workspace = window.pages["cases"].tabs.widget(1)
    assert not workspace.action_bar.isHidden()
    assert not workspace.action_bar.buttons["accept"].isHidden()
    assert workspace.action_bar.buttons["transfer"].isHidden()  # 移送 is the head's (CASE_SUPERVISE)


def test_pages_a_role_lacks_are_left_out_and_navigation_copes(qtbot, ui_ctx, tmp_path):
    window = _window(qtbot, ui_ctx, tmp_path, Role.GRID_WORKER)
    assert "reports" not in window.pages and "documents" not in window.pages
    assert window.show_page("reports") is None
    window.show_page("cases")
    assert window.current_page() is window.pages["cases"]
    assert window.pages["cases"].model.rowCount() == 0  # a grid worker sees only their own cases


def test_a_page_keeps_its_shortcut_when_a_role_lacks_others(qtbot, ui_ctx, tmp_path):
    window = _window(qtbot, ui_ctx, tmp_path, Role.GRID_WORKER)
    keys = {key: action.shortcut().toString() for key, action in window.page_actions.items()}
    assert keys["workbench"] == "Ctrl+1" and keys["reminders"] == "Ctrl+3" and keys["system"] == "Ctrl+9"
    assert "reports" not in keys
