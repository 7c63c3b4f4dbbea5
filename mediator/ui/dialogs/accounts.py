"""Dialogs of 系统 → 人员与账号: 新增账号 / 编辑 an account, and 重置密码."""
from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QWidget

from mediator.domain.errors import ValidationError
from mediator.domain.permissions import Role
from mediator.services.safety import accounts as acc
from mediator.ui.env import UiEnv
from mediator.ui.widgets.service_dialog import ServiceDialog

NO_ORGANIZATION = "（不属于调解组织）"
NO_MEDIATOR = "（不对应调解员）"


def _combo(items: list[tuple[int, str]], current: int | None, blank: str | None = None) -> QComboBox:
    combo = QComboBox()
    if blank is not None:
        combo.addItem(blank, None)
    for item_id, label in items:
        combo.addItem(label, item_id)
    if current is not None:
        combo.setCurrentIndex(max(0, combo.findData(current)))
    return combo


def password_edit() -> QLineEdit:
    edit = QLineEdit()
    edit.setEchoMode(QLineEdit.EchoMode.Password)
    edit.setPlaceholderText("至少8位，须同时包含字母和数字")
    return edit


class AccountDialog(ServiceDialog):
    """新增账号, or 编辑 one: name, role, organisation and the record the account acts as."""

    def __init__(self, env: UiEnv, choices: acc.AccountChoices, account: acc.AccountRow | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(env, "编辑账号" if account else "新增账号", parent)
        self.account = account
        self.choices = choices
        self.username = self.add_field("username", "用户名", QLineEdit(account.username if account else ""))
        self.username.setObjectName("account_username")
        if account is not None:
            self.username.setReadOnly(True)  # the audit log names accounts by it
        else:
            self.username.setPlaceholderText("登录时输入，限字母、数字")
        self.display_name = self.add_field("display_name", "姓名",
                                           QLineEdit(account.display_name if account else ""))
        self.display_name.setObjectName("account_display_name")
        self.role = self.add_field("role", "角色", QComboBox())
        for role in Role:
            self.role.addItem(role.label, role.value)
        self.role.setCurrentIndex(max(0, self.role.findData((account.role if account else Role.MEDIATOR).value)))
        self.organization = self.add_field("organization_id", "所属单位", _combo(
            choices.organizations, account.organization_id if account else None, NO_ORGANIZATION))
        if account is None and choices.organizations:
            self.organization.setCurrentIndex(1)
        self.mediator = self.add_field("mediator_id", "对应调解员", QComboBox())
        self.advisor = self.add_field("advisor_id", "对应法律顾问", _combo(
            choices.advisors, account.advisor_id if account else None))
        self.grid = self.add_field("grid_id", "所在网格", _combo(choices.grids, account.grid_id if account else None))
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet("color: #666;")
        self.form.addRow("", self.hint)
        self.password = self.password_again = None
        if account is None:
            self.password = self.add_field("password", "初始密码", password_edit())
            self.password_again = self.add_field("password_again", "确认密码", password_edit())
        self._fill_mediators(account.mediator_id if account else None)
        self.organization.currentIndexChanged.connect(self._on_organization_changed)
        self.role.currentIndexChanged.connect(self._on_role_changed)
        self._on_role_changed()
        (self.display_name if account else self.username).setFocus()

    def current_role(self) -> Role:
        return Role(self.role.currentData())

    def _fill_mediators(self, current: int | None) -> None:
        org = self.organization.currentData()
        self.mediator.clear()
        self.mediator.addItem(NO_MEDIATOR, None)
        for mediator_id, name, org_id in self.choices.mediators:
            if org is None or org_id == org:
                self.mediator.addItem(name, mediator_id)
        if current is not None:
            self.mediator.setCurrentIndex(max(0, self.mediator.findData(current)))

    def _on_organization_changed(self, _index: int) -> None:
        self._fill_mediators(self.mediator.currentData())

    def _on_role_changed(self, _index: int = 0) -> None:
        role = self.current_role()
        self._show_row(self.mediator, role in acc.MEDIATOR_ROLES)
        self._show_row(self.advisor, role is Role.ADVISOR)
        self._show_row(self.grid, role is Role.GRID_WORKER)
        self.hint.setText({
            Role.ADMIN: "管理员可办理全部事项，并管理账号。",
            Role.HEAD: "所长/主任查看本组织及下辖组织的案件。",
            Role.MEDIATOR: "调解员查看本组织的案件和指派给其本人（对应调解员）的案件。",
            Role.ADVISOR: "法律顾问查看其受聘村（社区）的案件和送其审查的案件。",
            Role.GRID_WORKER: "网格员登记所在网格的纠纷，只查看本人登记的案件。",
            Role.READONLY: "只读账号查看本组织及下辖组织的案件和报表，不能修改。",
        }[role])

    def _show_row(self, widget: QWidget, visible: bool) -> None:
        self.form.setRowVisible(widget, visible)

    def values(self) -> acc.AccountInput:
        return acc.AccountInput(
            self.username.text(), self.display_name.text(), self.current_role(),
            self.organization.currentData(), self.mediator.currentData(), self.advisor.currentData(),
            self.grid.currentData(), self.password.text() if self.password is not None else "")

    def task(self) -> Callable[[], Any]:
        if self.account is None:
            if self.password.text() != self.password_again.text():
                raise ValidationError("password_again", "两次输入的密码不一致")
            return partial(acc.add_account, self.env.ctx, self.values())
        return partial(acc.edit_account, self.env.ctx, self.account.id, self.account.version, self.values())


class ResetPasswordDialog(ServiceDialog):
    """重置密码: a new password the user must change at the next login."""

    def __init__(self, env: UiEnv, account: acc.AccountRow, parent: QWidget | None = None) -> None:
        super().__init__(env, "重置密码", parent)
        self.account = account
        self.add_info("账号", f"{account.display_name}（{account.username}）")
        self.password = self.add_field("password", "新密码", password_edit())
        self.password_again = self.add_field("password_again", "确认新密码", password_edit())
        self.add_info("", "重置后该账号的登录锁定一并解除；下次登录时须修改密码。")
        self.password.setFocus()

    def task(self) -> Callable[[], Any]:
        if self.password.text() != self.password_again.text():
            raise ValidationError("password_again", "两次输入的密码不一致")
        return partial(acc.reset_password, self.env.ctx, self.account.id, self.account.version,
                       self.password.text())
