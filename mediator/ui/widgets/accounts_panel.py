"""人员与账号 on the 系统 page: the accounts, and 新增账号 / 编辑 / 重置密码 / 停用·启用 / 解锁.

Shown to those who may manage accounts (管理员); the service checks again.
"""
from __future__ import annotations

from functools import partial

from PySide6.QtWidgets import QGroupBox, QHBoxLayout, QPushButton, QVBoxLayout

from mediator.services.safety import accounts as acc
from mediator.ui import errors as ui_errors
from mediator.ui.env import UiEnv
from mediator.ui.ops import run_op, run_query
from mediator.ui.widgets.overview_bits import GREY, MessageLine, fill_table, read_only_table, selected_id

HEADERS = ["用户名", "姓名", "角色", "所属单位", "对应人员", "状态"]


class AccountsPanel(QGroupBox):
    """The accounts table with its buttons; reloads after every change."""

    def __init__(self, env: UiEnv) -> None:
        super().__init__("人员与账号")
        self.env = env
        self.rows: list[acc.AccountRow] = []
        self.choices: acc.AccountChoices | None = None
        self.table = read_only_table(HEADERS, stretch=4)
        self.table.setObjectName("accounts_table")
        self.table.setMinimumHeight(160)
        self.add_button = QPushButton("新增账号…")
        self.edit_button = QPushButton("编辑…")
        self.reset_button = QPushButton("重置密码…")
        self.active_button = QPushButton("停用")
        self.unlock_button = QPushButton("解锁")
        self.message = MessageLine()
        buttons = QHBoxLayout()
        for button in (self.add_button, self.edit_button, self.reset_button, self.active_button,
                       self.unlock_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addLayout(buttons)
        layout.addWidget(self.message)
        self.add_button.clicked.connect(self.add_account)
        self.edit_button.clicked.connect(self.edit_account)
        self.reset_button.clicked.connect(self.reset_password)
        self.active_button.clicked.connect(self.toggle_active)
        self.unlock_button.clicked.connect(self.unlock)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.table.doubleClicked.connect(lambda _index: self.edit_account())
        env.signals.reference_changed.connect(self.refresh)
        self._update_buttons()

    # --- loading ------------------------------------------------------------------------------
    def refresh(self) -> None:
        ctx = self.env.ctx
        run_query(self.env, self, lambda: (acc.account_rows(ctx), acc.account_choices(ctx)), self._show)

    def _show(self, result) -> None:
        selected = selected_id(self.table)
        self.rows, self.choices = result
        fill_table(self.table, [(r.username, r.display_name, r.role.label, r.organization, r.acts_as,
                                 r.state_label) for r in self.rows],
                   ids=[r.id for r in self.rows], colors=[None if r.active else GREY for r in self.rows])
        if selected is not None:
            for i, r in enumerate(self.rows):
                if r.id == selected:
                    self.table.selectRow(i)
        self._update_buttons()

    def selected(self) -> acc.AccountRow | None:
        account_id = selected_id(self.table)
        return next((r for r in self.rows if r.id == account_id), None)

    def select_username(self, username: str) -> None:
        for i, r in enumerate(self.rows):
            if r.username == username:
                self.table.selectRow(i)

    def _update_buttons(self) -> None:
        row = self.selected()
        for button in (self.edit_button, self.reset_button, self.active_button):
            button.setEnabled(row is not None)
        self.active_button.setText("启用" if row is not None and not row.active else "停用")
        self.unlock_button.setEnabled(row is not None and row.locked)

    # --- acting -------------------------------------------------------------------------------
    def _open(self, dialog, done: str) -> None:
        self.dialog = dialog
        dialog.accepted.connect(lambda: self._after(done))
        dialog.open()

    def _after(self, done: str) -> None:
        self.message.done(done)  # the change says reference_changed: the table reloads then

    def add_account(self) -> None:
        from mediator.ui.dialogs.accounts import AccountDialog

        if self.choices is None:
            return
        dialog = AccountDialog(self.env, self.choices, None, self)
        self._open(dialog, "已新增账号")

    def edit_account(self) -> None:
        from mediator.ui.dialogs.accounts import AccountDialog

        row = self.selected()
        if row is None or self.choices is None:
            return
        self._open(AccountDialog(self.env, self.choices, row, self), f"账号 {row.username} 已保存")

    def reset_password(self) -> None:
        from mediator.ui.dialogs.accounts import ResetPasswordDialog

        row = self.selected()
        if row is None:
            return
        self._open(ResetPasswordDialog(self.env, row, self), f"已重置 {row.username} 的密码，下次登录时须修改")

    def toggle_active(self) -> None:
        row = self.selected()
        if row is None:
            return
        if row.active and not ui_errors.ask(self, "停用账号", f"停用账号“{row.display_name}（{row.username}）”？"
                                            "停用后该用户的下一步操作即被拒绝，也不能再登录。"):
            return
        what = "启用" if not row.active else "停用"
        run_op(self.env, self, partial(acc.set_active, self.env.ctx, row.id, row.version, not row.active),
               on_success=lambda _c: self._after(f"账号 {row.username} 已{what}"))

    def unlock(self) -> None:
        row = self.selected()
        if row is None:
            return
        run_op(self.env, self, partial(acc.unlock_account, self.env.ctx, row.id, row.version),
               on_success=lambda _c: self._after(f"账号 {row.username} 已解锁"))
