"""系统: database and schema, who is logged in, the users, the office settings, the holiday years."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from mediator.domain.errors import ValidationError, ValidationErrors
from mediator.domain.permissions import Permission, Role
from mediator.services.cases.deadline_settings import holiday_years, save_settings
from mediator.services.places.choices import organizations
from mediator.services.safety.backup import schema_info
from mediator.services.settings import all_settings
from mediator.ui.env import UiEnv
from mediator.ui.errors import show_error
from mediator.ui.ops import run_op, run_query
from mediator.ui.widgets.accounts_panel import AccountsPanel
from mediator.ui.widgets.backup_panel import BackupPanel
from mediator.ui.widgets.encryption_panel import EncryptionPanel
from mediator.ui.widgets.office_requests import OfficeRequestsPanel
from mediator.ui.widgets.overview_bits import (
    MessageLine,
    grey_note,
    heading,
)
from mediator.ui.widgets.settings_form import SettingsForm

# Who may change the office settings.
SETTING_ROLES = {Role.ADMIN, Role.HEAD}


def _value(text: str = "") -> QLabel:
    label = QLabel(text)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setWordWrap(True)
    return label


class SystemPage(QWidget):
    """What this installation runs on, and the settings of the office (保存 / Ctrl+S)."""

    def __init__(self, env: UiEnv) -> None:
        super().__init__()
        self.env = env
        self.db_url = _value(env.ctx.db.display_url())
        self.schema = _value()
        self.user = _value()
        self.holidays = QLabel()
        self.holidays.setWordWrap(True)
        self.holidays.setTextFormat(Qt.TextFormat.RichText)
        self.settings_form = SettingsForm()
        self.save_button = QPushButton("保存")
        self.save_button.setToolTip("保存办公设置（Ctrl+S）")
        self.reset_button = QPushButton("还原")
        self.message = MessageLine()
        editable = env.can(Permission.SETTINGS_EDIT)  # the role matrix; the service checks again
        self.settings_form.set_editable(editable)
        self.save_button.setEnabled(editable)
        self.reset_button.setEnabled(editable)
        self.save_button.setVisible(editable)
        self.reset_button.setVisible(editable)

        left = QVBoxLayout()
        left.addWidget(self._group("数据库", [("数据库地址", self.db_url), ("数据库版本", self.schema)]))
        self.encryption_panel = EncryptionPanel(env)  # 数据库加密 (SQLCipher)
        left.addWidget(self.encryption_panel)
        left.addWidget(self._group("当前用户", [("登录用户", self.user)]))
        # 人员与账号: for those who may manage accounts (the service checks again).
        self.accounts_panel = AccountsPanel(env) if env.can(Permission.ACCOUNTS) else None
        if self.accounts_panel is not None:
            left.addWidget(self.accounts_panel, 1)
        # 待批准: new offices asking to join this county server (for ACCOUNTS only).
        self.office_requests = OfficeRequestsPanel(env) if env.can(Permission.ACCOUNTS) else None
        if self.office_requests is not None:
            left.addWidget(self.office_requests)
        holidays_box = QGroupBox("节假日数据")
        holiday_layout = QVBoxLayout(holidays_box)
        holiday_layout.addWidget(self.holidays)
        holiday_layout.addWidget(grey_note("工作日期限（如治安调解3个工作日）按节假日与调休安排计算；"
                                           "节假日数据保存在 resources/holidays.toml，每年国务院通知发布后补充。"))
        self.holidays_button = QPushButton("编辑节假日…")
        self.holidays_button.setEnabled(editable)
        self.holidays_button.setVisible(editable)
        self.holidays_button.clicked.connect(self.edit_holidays)
        holiday_layout.addWidget(self.holidays_button)
        left.addWidget(holidays_box)
        # 导入旧台账: the office's old Excel ledger becomes cases (DATA_IMPORT only).
        ledger_box = QGroupBox("导入旧台账")
        ledger_layout = QVBoxLayout(ledger_box)
        ledger_layout.addWidget(grey_note("把本单位以前用Excel登记的矛盾纠纷台账导入为案件（含受理、调解结果、"
                                          "履行、回访和归档记录）；逐行检查，有问题的行跳过并列出。"))
        self.old_ledger_button = QPushButton("导入旧台账…")
        self.old_ledger_button.clicked.connect(self.import_old_ledger)
        ledger_layout.addWidget(self.old_ledger_button)
        ledger_box.setVisible(env.can(Permission.DATA_IMPORT))
        left.addWidget(ledger_box)
        # 备份与恢复: for those who may back up (SQLite; on PostgreSQL it says pg_dump).
        self.backup_panel = BackupPanel(env) if env.can(Permission.BACKUP) else None
        if self.backup_panel is not None:
            left.addWidget(self.backup_panel)

        settings_box = QGroupBox("办公设置")
        settings_layout = QVBoxLayout(settings_box)
        settings_layout.addWidget(self.settings_form)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.reset_button)
        buttons.addWidget(self.save_button)
        settings_layout.addLayout(buttons)
        settings_layout.addWidget(self.message)
        notes = ("期限设置保存后，全部案件的期限随即在后台按新设置重新计算。"
                 if editable else "只有管理员可以修改办公设置。")
        settings_layout.addWidget(grey_note(notes))
        settings_layout.addStretch(1)

        content = QWidget()
        columns = QHBoxLayout(content)
        columns.setContentsMargins(0, 0, 0, 0)
        columns.addLayout(left, 1)
        columns.addWidget(settings_box, 1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(content)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.addWidget(heading("系统", 14))
        layout.addWidget(scroll, 1)

        self.save_button.clicked.connect(self.save)
        self.reset_button.clicked.connect(self.refresh)
        env.signals.reference_changed.connect(self._load_people)
        self.refresh()

    @staticmethod
    def _group(title: str, rows: list[tuple[str, QWidget]]) -> QGroupBox:
        box = QGroupBox(title)
        form = QFormLayout(box)
        for label, widget in rows:
            form.addRow(label, widget)
        return box

    # --- loading ------------------------------------------------------------------------------
    def on_shown(self) -> None:
        self._load_people()
        if self.accounts_panel is not None:
            self.accounts_panel.refresh()

    def refresh(self) -> None:
        ctx = self.env.ctx
        self.message.clear_message()
        run_query(self.env, self, lambda: (schema_info(ctx), all_settings(ctx)), self._show_system)
        self._load_people()
        if self.accounts_panel is not None:
            self.accounts_panel.refresh()
        self._show_holidays()
        self.encryption_panel.refresh()
        if self.backup_panel is not None:
            self.backup_panel.refresh()

    def _show_system(self, result) -> None:
        info, settings = result
        if info.is_current:
            self.schema.setText(f"{info.current}（已是最新）")
        else:
            self.schema.setText(f"{info.current or '未初始化'}（本程序为 {info.head}，请运行 mediator-cli init 升级）")
        self.settings_form.load(settings)

    def _load_people(self) -> None:
        ctx = self.env.ctx
        run_query(self.env, self, lambda: organizations(ctx), self._show_people)

    def _show_people(self, orgs) -> None:
        me = self.env.user
        org = next((o.name for o in orgs if o.id == me.organization_id), "")
        self.user.setText(f"{me.display_name}（{me.username}） · {me.role.label}"
                          + (f" · {org}" if org else ""))

    def _show_holidays(self) -> None:
        lines = []
        for year in holiday_years(self.env.ctx, self.env.ctx.today()):
            if year.known:
                source = f"（{year.source}）" if year.source else ""
                lines.append(f"{year.year}年：已载入法定节假日及调休安排{source}")
            else:
                lines.append(f"<span style='color:#c62828'>{year.year}年：无节假日数据，仅按周末计算</span>")
        self.holidays.setText("<br>".join(lines))

    def edit_holidays(self) -> None:
        """节假日设置 (a dialog of its own): saving recomputes every case's deadlines."""
        from mediator.ui.dialogs.holidays import HolidaysDialog

        self.holidays_dialog = HolidaysDialog(self.env, self)
        self.holidays_dialog.accepted.connect(self._show_holidays)
        self.holidays_dialog.open()

    def import_old_ledger(self) -> None:
        """导入旧台账 (a wizard of its own)."""
        from mediator.ui.dialogs.old_ledger import OldLedgerDialog

        self.old_ledger_dialog = OldLedgerDialog(self.env, self)
        self.old_ledger_dialog.open()

    # --- saving -------------------------------------------------------------------------------
    def save(self) -> None:
        """保存 the office settings (also Ctrl+S from the main window)."""
        if not self.save_button.isEnabled():
            return
        self.settings_form.clear_errors()
        self.message.clear_message()
        values = self.settings_form.values()
        run_op(self.env, self, lambda: save_settings(self.env.ctx, values),
               on_success=lambda _changes: self._on_saved(values), on_failure=self._on_save_error)

    def _on_saved(self, values: dict) -> None:
        self.settings_form.load(values)
        self.message.done("办公设置已保存")
        if self.backup_panel is not None:
            self.backup_panel.refresh()  # the changes then say reminders_changed

    def _on_save_error(self, exc: BaseException) -> None:
        errors = exc.errors if isinstance(exc, ValidationErrors) else (
            [exc] if isinstance(exc, ValidationError) else None)
        if errors is None:
            show_error(self, exc)
            return
        unplaced = [e.message for e in errors if not self.settings_form.show_error(e)]
        self.message.refused("未保存：" + ("；".join(unplaced) if unplaced else "请按提示修改"))
