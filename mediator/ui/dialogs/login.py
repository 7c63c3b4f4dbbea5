"""The login dialog: user name and password, the failure shown in place."""
from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
)

from mediator.services.context import CurrentUser, ServiceContext
from mediator.services.safety.auth import LoginError, authenticate


class LoginDialog(QDialog):
    """Asks for credentials until they are right; ``user`` holds the logged-in user."""

    def __init__(self, ctx: ServiceContext, office_name: str = "", parent=None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.user: CurrentUser | None = None
        self.setWindowTitle("登录 — 调解通")
        self.setMinimumWidth(360)
        title = QLabel(office_name or "调解通")
        title.setStyleSheet("font-size: 18px; font-weight: bold;")
        self.username = QLineEdit()
        self.username.setObjectName("username")
        self.password = QLineEdit()
        self.password.setObjectName("password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.error = QLabel()
        self.error.setObjectName("error")
        self.error.setStyleSheet("color: #c62828;")
        self.error.setWordWrap(True)
        self.error.hide()
        form = QFormLayout()
        form.addRow("用户名", self.username)
        form.addRow("密码", self.password)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("登录")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("退出")
        buttons.accepted.connect(self._on_buttons_accepted)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def _on_buttons_accepted(self) -> None:
        try:
            self.user = authenticate(self.ctx, self.username.text(), self.password.text())
        except LoginError as e:
            self.error.setText(e.message)
            self.error.show()
            self.password.selectAll()
            self.password.setFocus()
            return
        self.accept()
