"""系统 → 人员与账号 through real clicks, the login's 修改密码 step, and a deactivated user sent back."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from mediator.domain.errors import AccountDisabled
from mediator.domain.permissions import Role
from mediator.services.safety.accounts import find_account
from mediator.services.safety.auth import MAX_FAILED_LOGINS, LoginError, authenticate
from mediator.ui import errors as ui_errors
from mediator.ui.dialogs.accounts import AccountDialog, ResetPasswordDialog
from mediator.ui.dialogs.login import LoginDialog
from mediator.ui.pages.system import SystemPage


def _click(qtbot, button) -> None:
    assert button.isEnabled() and button.isVisible()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def _column(table, column: int) -> list[str]:
    return [table.item(r, column).text() for r in range(table.rowCount())]


@pytest.fixture
def panel(env, qtbot):
    env.ctx.user = env.user  # the services check the administrator, as in the app
    page = SystemPage(env)
    qtbot.addWidget(page)
    page.resize(1148, 760)
    page.show()
    yield page.accounts_panel  # the page stays alive while the test runs


def _select(panel, username: str) -> None:
    panel.select_username(username)
    assert panel.selected().username == username


def _add_mediator(qtbot, panel, username="lijg", password="lijianguo1") -> None:
    _click(qtbot, panel.add_button)
    dialog: AccountDialog = panel.dialog
    dialog.username.setText(username)
    dialog.display_name.setText("李建国")
    dialog.role.setCurrentIndex(dialog.role.findData(Role.MEDIATOR.value))
    dialog.organization.setCurrentIndex(dialog.organization.findText("城关镇人民调解委员会"))
    dialog.mediator.setCurrentIndex(dialog.mediator.findText("李建国"))
    dialog.password.setText(password)
    dialog.password_again.setText(password)
    _click(qtbot, dialog.ok_button)
    assert not dialog.isVisible(), dialog.general_error.text()


def test_the_admin_adds_edits_and_deactivates_an_account(env, qtbot, panel, monkeypatch):
    assert _column(panel.table, 0) == ["admin"]
    assert [panel.table.horizontalHeaderItem(c).text() for c in range(6)] == [
        "用户名", "姓名", "角色", "所属单位", "对应人员", "状态"]

    # A wrong second password, then an advisor without an advisor: refused beside the field.
    _click(qtbot, panel.add_button)
    dialog = panel.dialog
    dialog.username.setText("chen")
    dialog.display_name.setText("陈立新")
    dialog.password.setText("chenlixin1")
    dialog.password_again.setText("chenlixin2")
    _click(qtbot, dialog.ok_button)
    assert dialog.field_error("password_again") == "两次输入的密码不一致"
    dialog.password_again.setText("chenlixin1")
    dialog.role.setCurrentIndex(dialog.role.findData(Role.ADVISOR.value))
    assert dialog.advisor.isVisible() and not dialog.mediator.isVisible() and not dialog.grid.isVisible()
    dialog.advisor.setCurrentIndex(-1)
    _click(qtbot, dialog.ok_button)
    assert dialog.field_error("advisor_id") == "法律顾问角色须选择对应的法律顾问"
    dialog.reject()

    _add_mediator(qtbot, panel)
    assert _column(panel.table, 0) == ["admin", "lijg"]
    assert panel.table.item(1, 4).text() == "调解员李建国"
    assert panel.message.text() == "已新增账号"

    # 编辑: the role.
    _select(panel, "lijg")
    _click(qtbot, panel.edit_button)
    dialog = panel.dialog
    assert dialog.username.isReadOnly()
    dialog.role.setCurrentIndex(dialog.role.findData(Role.READONLY.value))
    _click(qtbot, dialog.ok_button)
    assert not dialog.isVisible()
    assert panel.table.item(1, 2).text() == "只读"

    # 停用 (asked first), then 启用.
    monkeypatch.setattr(ui_errors, "ask", lambda *_a: True)
    _select(panel, "lijg")
    assert panel.active_button.text() == "停用"
    _click(qtbot, panel.active_button)
    assert panel.table.item(1, 5).text() == "已停用"
    _select(panel, "lijg")
    assert panel.active_button.text() == "启用"
    _click(qtbot, panel.active_button)
    assert panel.table.item(1, 5).text() == "启用"


def test_unlock_and_reset_password_then_the_login_asks_for_a_new_one(env, qtbot, panel):
    _add_mediator(qtbot, panel)
    for _ in range(MAX_FAILED_LOGINS):
        with pytest.raises(LoginError):
            authenticate(env.ctx, "lijg", "wrong-pass1")
    panel.refresh()
    _select(panel, "lijg")
    assert panel.table.item(1, 5).text() == "已锁定"
    _click(qtbot, panel.unlock_button)
    assert panel.table.item(1, 5).text() == "启用"

    _select(panel, "lijg")
    _click(qtbot, panel.reset_button)
    dialog: ResetPasswordDialog = panel.dialog
    dialog.password.setText("short")
    dialog.password_again.setText("short")
    _click(qtbot, dialog.ok_button)
    assert dialog.field_error("password") == "密码至少8位；密码须同时包含字母和数字"
    _click(qtbot, dialog.ok_button)  # a second try shows them once, not twice
    assert dialog.field_error("password") == "密码至少8位；密码须同时包含字母和数字"
    dialog.password.setText("temporary1")
    dialog.password_again.setText("temporary1")
    _click(qtbot, dialog.ok_button)
    assert not dialog.isVisible()
    assert panel.table.item(1, 5).text() == "须改密码"

    login = LoginDialog(env.ctx, "城关镇司法所")
    qtbot.addWidget(login)
    login.show()
    login.username.setText("lijg")
    login.password.setText("temporary1")
    _click(qtbot, login.ok_button)
    assert login.changing_password and login.user is None
    assert login.ok_button.text() == "修改密码并登录"
    login.new_password.setText("newsecret1")
    login.new_password_again.setText("newsecret2")
    _click(qtbot, login.ok_button)
    assert login.error.text() == "两次输入的新密码不一致"
    login.new_password.setText("temporary1")
    login.new_password_again.setText("temporary1")
    _click(qtbot, login.ok_button)
    assert login.error.text() == "新密码不能与原密码相同"
    login.new_password.setText("newsecret1")
    login.new_password_again.setText("newsecret1")
    _click(qtbot, login.ok_button)
    assert login.result() == LoginDialog.DialogCode.Accepted
    assert login.user.username == "lijg" and not login.user.must_change_password
    assert not find_account(env.ctx, "lijg").must_change_password


def test_a_deactivated_user_is_sent_back_to_the_login(env, qtbot, monkeypatch):
    warned, restarted = [], []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, title, text: warned.append((title, text)))
    monkeypatch.setattr(ui_errors, "on_account_disabled", lambda: restarted.append(True))
    ui_errors.show_error(None, AccountDisabled("账号已停用，请联系管理员"))
    assert warned == [("账号已停用", "账号已停用，请联系管理员")] and restarted == [True]
