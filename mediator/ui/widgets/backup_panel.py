"""备份与恢复 on the 系统 page: the office's backup plan, 立即备份 and the backups kept.

从备份恢复 (administrators only) asks for the reason, refuses while another PC or program has the
database open (naming who) and says afterwards which audit entries were carried over.
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QFormLayout, QGroupBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout

from mediator.domain.permissions import Permission
from mediator.services.safety.backup import BackupInfo, BackupSummary, describe_backup
from mediator.services.safety.backup_schedule import (
    BackupPlan,
    backup_now,
    backup_plan,
    list_backups,
)
from mediator.services.safety.restore import RestoreResult, restore_from
from mediator.ui import errors as ui_errors
from mediator.ui.dialogs import restore_reason
from mediator.ui.env import UiEnv
from mediator.ui.errors import show_error
from mediator.ui.ops import run_query
from mediator.ui.widgets.overview_bits import MessageLine, fill_table, grey_note, read_only_table, selected_id

RESTORE_NOTE = ("“从备份恢复”（仅管理员）先检查备份文件的完整性和数据库版本，损坏或版本更新的文件不会被恢复；"
                "恢复前原数据库完整另存一份，备份之后的审计记录转入恢复后的数据库，恢复后程序重新启动。"
                "换电脑时可在命令行运行 mediator-cli restore --reason 原因 --to 新数据库文件 备份文件。")


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
        self.restore_button = QPushButton("从备份恢复…")
        self.restore_button.setToolTip("用选中的备份（或另选一个备份文件）替换当前数据库（仅管理员）")
        self.restore_button.setVisible(env.can(Permission.RESTORE))
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
        buttons.addWidget(self.restore_button)
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
        self.restore_button.clicked.connect(lambda _=False: self.restore())
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
        self.restore_button.setEnabled(plan.supported)
        rows = [(f"{b.taken_at:%Y-%m-%d %H:%M:%S}", b.path.name, f"{max(1, b.size // 1024)} KB")
                for b in backups]
        fill_table(self.backups, rows, ids=[str(b.path) for b in backups])

    def backup(self) -> None:
        """立即备份, off the UI thread; the list shows the new file when done."""
        ctx = self.env.ctx
        self.backup_button.setEnabled(False)
        self.message.clear_message()
        run_query(self.env, self, lambda: backup_now(ctx), self._on_backed_up,
                  on_failure=self._on_backup_failed, label="正在备份数据库…")

    def _on_backed_up(self, info: BackupInfo) -> None:
        anchor = f"；审计日志锚点：{info.anchor}（已另存于同名 .anchor 文件）" if info.anchor else ""
        self.message.done(f"已备份到 {info.path}{anchor}")
        self.refresh()

    def _on_backup_failed(self, exc: BaseException) -> None:
        self.backup_button.setEnabled(self.plan is not None and self.plan.supported)
        show_error(self, exc)

    def _on_backup_button_clicked(self) -> None:
        self.backup()

    # --- restore ----------------------------------------------------------------------------
    def restore(self, path: str | None = None) -> None:
        """从备份恢复: the selected backup (or one chosen), checked and described, then confirmed."""
        if path is None:
            path = selected_id(self.backups)
        if path is None:
            folder = str(self.plan.folder) if self.plan is not None else ""
            path, _ = QFileDialog.getOpenFileName(self, "选择备份文件", folder,
                                                  "数据库备份 (*.db);;所有文件 (*)")
            if not path:
                return
        ctx = self.env.ctx
        run_query(self.env, self, lambda: describe_backup(ctx, Path(path)), self._confirm_restore,
                  label="正在检查备份文件…")

    def _confirm_restore(self, summary: BackupSummary) -> None:
        reason = restore_reason.ask_restore_reason(self, summary)
        if reason is None:
            return
        ctx = self.env.ctx
        run_query(self.env, self, lambda: restore_from(ctx, summary.path, reason), self._restored,
                  label="正在恢复数据库…")

    def _restored(self, result: RestoreResult) -> None:
        self.message.done(f"已从 {result.backup.name} 恢复")
        lines = ["数据库已恢复，程序将重新启动。", f"原数据库已完整另存为：{result.kept_copy}"]
        if result.carried:
            lines.append(f"备份之后的{result.carried}条审计记录（原第{result.lost_from}至{result.lost_to}条）"
                         "已转入恢复后的审计日志，其对应的数据改动已随恢复撤回。")
        else:
            lines.append("备份之后没有新的审计记录，没有撤回任何改动。")
        ui_errors.inform(self, "恢复完成", "\n".join(lines))
        if self.env.restart is not None:
            self.env.restart()
