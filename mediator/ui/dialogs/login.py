"""The login dialog: user name and password, the failure shown in place; a reset password is
changed here (修改密码) before the user gets in."""
from __future__ import annotations

from dataclasses import replace

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from mediator.domain.errors import DomainError, ValidationErrors
from mediator.services.context import CurrentUser, ServiceContext
from mediator.services.safety.accounts import change_own_password
from mediator.services.safety.auth import LoginError, authenticate


def _password_edit(name: str) -> QLineEdit:
    edit = QLineEdit()
    edit.setObjectName(name)
    edit.setEchoMode(QLineEdit.EchoMode.Password)
    return edit


class LoginDialog(QDialog):
    """Asks for credentials until they are right; ``user`` holds the logged-in user.

    An account whose password was reset (``must_change_password``) gets a second step, 修改密码:
    a new password twice; only then is the dialog accepted.
    """

    def __init__(self, ctx: ServiceContext, office_name: str = "", parent=None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.user: CurrentUser | None = None
        self._pending: CurrentUser | None = None  # logged in, new password still to be set
        self.setWindowTitle("登录 — 调解通")
        self.setMinimumWidth(360)
        title = QLabel(office_name or "调解通")
        title.setStyleSheet("font-size: 18px; font-weight: bold;")
        self.username = QLineEdit()
        self.username.setObjectName("username")
        self.password = _password_edit("password")
        self.new_password = _password_edit("new_password")
        self.new_password.setPlaceholderText("至少8位，须同时包含字母和数字")
        self.new_password_again = _password_edit("new_password_again")
        self.error = QLabel()
        self.error.setObjectName("error")
        self.error.setStyleSheet("color: #c62828;")
        self.error.setWordWrap(True)
        self.error.hide()
        login_page = QWidget()
        form = QFormLayout(login_page)
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow("用户名", self.username)
        form.addRow("密码", self.password)
        change_page = QWidget()
        change = QFormLayout(change_page)
        change.setContentsMargins(0, 0, 0, 0)
        self.change_note = QLabel("您的密码已由管理员重置，请设置新密码后进入。")
        self.change_note.setWordWrap(True)
        change.addRow(self.change_note)
        change.addRow("新密码", self.new_password)
        change.addRow("确认新密码", self.new_password_again)
        self.steps = QStackedWidget()
        self.steps.addWidget(login_page)
        self.steps.addWidget(change_page)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("登录")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("退出")
        buttons.accepted.connect(self._on_buttons_accepted)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(self.steps)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    @property
    def changing_password(self) -> bool:
        return self._pending is not None

    def _show_error(self, text: str, focus: QLineEdit) -> None:
        self.error.setText(text)
        self.error.show()
        focus.selectAll()
        focus.setFocus()

    def _on_buttons_accepted(self) -> None:
        if self._pending is not None:
            self._change_password()
            return
        try:
            user = authenticate(self.ctx, self.username.text(), self.password.text())
        except LoginError as e:
            self._show_error(e.message, self.password)
            return
        if user.must_change_password:
            self._pending = user
            self.error.hide()
            self.setWindowTitle("修改密码 — 调解通")
            self.ok_button.setText("修改密码并登录")
            self.steps.setCurrentIndex(1)
            self.new_password.setFocus()
            return
        self.user = user
        self.accept()

    def _change_password(self) -> None:
        if self.new_password.text() != self.new_password_again.text():
            self._show_error("两次输入的新密码不一致", self.new_password_again)
            return
        try:
            change_own_password(self.ctx, self._pending.id, self.password.text(), self.new_password.text())
        except ValidationErrors as e:
            self._show_error("；".join(err.message for err in e.errors), self.new_password)
            return
        except DomainError as e:
            self._show_error(e.message, self.new_password)
            return
        self.user = replace(self._pending, must_change_password=False)
        self.accept()
