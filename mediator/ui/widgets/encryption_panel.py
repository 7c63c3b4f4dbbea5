"""数据库加密 on the 系统 page: whether the SQLite file is encrypted, and 启用加密…"""
from __future__ import annotations

from PySide6.QtWidgets import QGroupBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout

from mediator.domain.permissions import Permission
from mediator.services.safety.encryption import EncryptionStatus, encryption_status
from mediator.ui.env import UiEnv
from mediator.ui.ops import run_query
from mediator.ui.widgets.overview_bits import MessageLine, grey_note


class EncryptionPanel(QGroupBox):
    """The status, a note, and 启用加密… (for those who may change the settings)."""

    def __init__(self, env: UiEnv) -> None:
        super().__init__("数据库加密")
        self.setObjectName("encryption_panel")
        self.env = env
        self.status = QLabel("—")
        self.status.setObjectName("encryption_status")
        self.note = grey_note("")
        self.enable_button = QPushButton("启用加密…")
        self.enable_button.setEnabled(False)
        self.enable_button.setVisible(env.can(Permission.SETTINGS_EDIT))
        self.enable_button.clicked.connect(self.enable)
        self.message = MessageLine()
        row = QHBoxLayout()
        row.addWidget(QLabel("状态："))
        row.addWidget(self.status, 1)
        row.addWidget(self.enable_button)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.note)
        layout.addWidget(self.message)

    def refresh(self) -> None:
        ctx = self.env.ctx
        run_query(self.env, self, lambda: encryption_status(ctx), self._show)

    def _show(self, status: EncryptionStatus) -> None:
        self.status.setText("已加密（SQLCipher）" if status.encrypted else "未加密")
        self.note.setText(status.note)
        self.enable_button.setEnabled(status.can_enable)

    def enable(self) -> None:
        """启用加密…: the passphrase twice in a dialog of its own (opened, not exec'd)."""
        from mediator.ui.dialogs.encryption import EnableEncryptionDialog

        self.dialog = EnableEncryptionDialog(self.env, self)
        self.dialog.accepted.connect(self._on_encrypted)
        self.dialog.open()

    def _on_encrypted(self) -> None:
        self.message.done("数据库已加密：今后每次启动程序须输入数据库密码，请妥善保管")
        self.refresh()
