"""备份与恢复 on the 系统 page: the office's backup plan, 立即备份 and the backups kept.

Restoring replaces the open database, so it stays in the command line (mediator-cli restore).
"""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFormLayout, QGroupBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout

from mediator.services.safety.backup import BackupInfo
from mediator.services.safety.backup_schedule import (
    BackupPlan,
    backup_now,
    backup_plan,
    list_backups,
)
from mediator.ui.env import UiEnv
from mediator.ui.errors import show_error
from mediator.ui.ops import run_query
from mediator.ui.widgets.overview_bits import MessageLine, fill_table, grey_note, read_only_table

RESTORE_NOTE = ("恢复会替换正在使用的数据库：请关闭本程序后在命令行运行 mediator-cli restore 备份文件；"
                "恢复前会先检查备份文件的完整性和数据库版本，损坏的文件不会被恢复，原数据库另存一份。")


def _value() -> QLabel:
    label = QLabel()
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setWordWrap(True)
    return label


class BackupPanel(QGroupBox):
    """The plan (folder, daily time, how many kept), 立即备份, and the backups in the folder."""

    def __init__(self, env: UiEnv) -> None:
        super().__init__("备份与恢复")
        self.setObjectName("backup_panel")
        self.env = env
        self.folder = _value()
        self.daily = _value()
        self.keep = _value()
        self.backup_button = QPushButton("立即备份")
        self.backup_button.setToolTip("现在备份数据库到备份文件夹（程序运行中也能得到一致的备份）")
        self.backups = read_only_table(["备份时间", "文件", "大小"], stretch=1)
        self.backups.setMinimumHeight(120)
        self.message = MessageLine()
        self.unsupported = grey_note("")
        self.unsupported.setObjectName("backup_unsupported")
        self.unsupported.hide()

        form = QFormLayout()
        form.addRow("备份文件夹", self.folder)
        form.addRow("每日自动备份", self.daily)
        form.addRow("保留份数", self.keep)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.backup_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.unsupported)
        layout.addLayout(form)
        layout.addWidget(self.backups)
        layout.addLayout(buttons)
        layout.addWidget(self.message)
        layout.addWidget(grey_note("备份文件夹、时间和份数在“办公设置”中修改，保存后即按新设置备份。"))
        layout.addWidget(grey_note(RESTORE_NOTE))
        self.backup_button.clicked.connect(self._on_backup_button_clicked)
        self.plan: BackupPlan | None = None

    def refresh(self) -> None:
        ctx = self.env.ctx
        run_query(self.env, self, lambda: (backup_plan(ctx), list_backups(ctx)), self._show)

    def _show(self, result: tuple[BackupPlan, list[BackupInfo]]) -> None:
        plan, backups = result
        self.plan = plan
        self.folder.setText(str(plan.folder))
        self.daily.setText(f"每天 {plan.daily_time:%H:%M}" if plan.supported else "不适用")
        self.keep.setText(f"最近{plan.keep}份")
        self.unsupported.setText(plan.note)
        self.unsupported.setVisible(not plan.supported)
        self.backup_button.setEnabled(plan.supported)
        rows = [(f"{b.taken_at:%Y-%m-%d %H:%M:%S}", b.path.name, f"{max(1, b.size // 1024)} KB")
                for b in backups]
        fill_table(self.backups, rows, ids=[str(b.path) for b in backups])

    def backup(self) -> None:
        """立即备份, off the UI thread; the list shows the new file when done."""
        ctx = self.env.ctx
        self.backup_button.setEnabled(False)
        self.message.clear_message()
        self.env.runner.run(lambda: backup_now(ctx), on_done=self._on_backed_up,
                            on_error=self._on_backup_failed, parent=self, label="正在备份数据库…")

    def _on_backed_up(self, info: BackupInfo) -> None:
        self.message.done(f"已备份到 {info.path}")
        self.refresh()

    def _on_backup_failed(self, exc: BaseException) -> None:
        self.backup_button.setEnabled(self.plan is not None and self.plan.supported)
        show_error(self, exc)

    def _on_backup_button_clicked(self) -> None:
        self.backup()
