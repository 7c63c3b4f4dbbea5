"""Dialogs of the SQLCipher encryption: the passphrase at start-up, and 启用加密 (passphrase twice)."""
from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from mediator.domain.errors import DomainError, ValidationErrors
from mediator.services.safety.encryption import (
    check_database_key,
    enable_encryption,
    passphrase_problems,
)
from mediator.ui.env import UiEnv
from mediator.ui.errors import describe, show_error


def _password_field(name: str) -> QLineEdit:
    field = QLineEdit()
    field.setObjectName(name)
    field.setEchoMode(QLineEdit.EchoMode.Password)
    return field


def _error_label() -> QLabel:
    label = QLabel()
    label.setObjectName("error")
    label.setStyleSheet("color: #c62828;")
    label.setWordWrap(True)
    label.hide()
    return label


class DatabaseKeyDialog(QDialog):
    """Before login: the passphrase of the encrypted database file, asked until it is right."""

    def __init__(self, url: str, display_url: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.url = url
        self.key: str | None = None
        self.setWindowTitle("数据库密码 — 调解通")
        self.setMinimumWidth(380)
        self.passphrase = _password_field("passphrase")
        self.error = _error_label()
        form = QFormLayout()
        form.addRow("数据库密码", self.passphrase)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("打开")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("退出")
        buttons.accepted.connect(self._on_buttons_accepted)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("数据库文件已加密，请输入数据库密码。"))
        if display_url:
            note = QLabel(display_url)
            note.setWordWrap(True)
            layout.addWidget(note)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def _on_buttons_accepted(self) -> None:
        key = self.passphrase.text()
        try:
            check_database_key(self.url, key)
        except DomainError as e:
            self.error.setText(e.message)
            self.error.show()
            self.passphrase.selectAll()
            self.passphrase.setFocus()
            return
        self.key = key
        self.accept()


class EnableEncryptionDialog(QDialog):
    """启用加密: the new passphrase twice; accepted once the file is encrypted."""

    def __init__(self, env: UiEnv, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.env = env
        self.setWindowTitle("启用数据库加密")
        self.setMinimumWidth(420)
        self.passphrase = _password_field("passphrase")
        self.repeat = _password_field("repeat")
        self.error = _error_label()
        form = QFormLayout()
        form.addRow("数据库密码", self.passphrase)
        form.addRow("再次输入", self.repeat)
        warning = QLabel(
            "加密后每次启动程序都须输入数据库密码；密码遗失则数据无法恢复，请妥善保管。\n"
            "加密前请确认没有其他电脑或程序正在使用本数据库。此前已有的备份文件仍是明文，请妥善处理。\n"
            "密码至少10位，须同时包含字母和数字。")
        warning.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("加密")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        self.buttons.accepted.connect(self.encrypt)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(warning)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)

    def _refuse(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()

    def encrypt(self) -> None:
        passphrase = self.passphrase.text()
        problems = passphrase_problems(passphrase)
        if problems:
            self._refuse("；".join(problems))
            return
        if passphrase != self.repeat.text():
            self._refuse("两次输入的数据库密码不一致")
            return
        self.error.hide()
        self.buttons.setEnabled(False)
        ctx = self.env.ctx
        self.env.runner.run(lambda: enable_encryption(ctx, passphrase), on_done=lambda _r: self.accept(),
                            on_error=self._on_error, parent=self, label="正在加密数据库…")

    def _on_error(self, exc: BaseException) -> None:
        self.buttons.setEnabled(True)
        if isinstance(exc, (DomainError, ValidationErrors)):
            self._refuse(describe(exc))
        else:
            show_error(self, exc)
