"""审计日志: who did what and when, filtered; 校验完整性 checks the hash chain."""
from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from mediator.domain.errors import ValidationError
from mediator.services.safety.audit_log import (
    AuditCheck,
    AuditFilter,
    AuditLine,
    audit_actions,
    audit_users,
    list_audit,
    verify_audit,
)
from mediator.ui.env import UiEnv
from mediator.ui.errors import show_error
from mediator.ui.ops import run_query
from mediator.ui.widgets.overview_bits import (
    MAX_TABLE_ROWS,
    RED,
    MessageLine,
    fill_table,
    grey_note,
    heading,
    read_only_table,
)

COLUMNS = ["时间", "用户", "操作", "对象", "详情"]


def _qdate(d: date) -> QDate:
    return QDate(d.year, d.month, d.day)


class AuditLogPage(QWidget):
    """The audit log, newest first, at most ``MAX_TABLE_ROWS`` entries per query.

    Filters: 用户, 操作类型, 日期从/到 (when 按日期 is ticked), 关键字 in the object or the detail.
    """

    def __init__(self, env: UiEnv) -> None:
        super().__init__()
        self.env = env
        today = env.ctx.today()
        self.user_box = QComboBox()
        self.user_box.setObjectName("audit_user")
        self.user_box.setMinimumContentsLength(8)
        self.action_box = QComboBox()
        self.action_box.setObjectName("audit_action")
        self.action_box.setMinimumContentsLength(10)
        self.use_dates = QCheckBox("日期从")
        self.date_from = self._date_edit(_qdate(today.replace(day=1)))
        self.date_to = self._date_edit(_qdate(today))
        self.keyword = QLineEdit()
        self.keyword.setObjectName("audit_keyword")
        self.keyword.setPlaceholderText("关键字（对象或详情，如案号、文件名）")
        self.query_button = QPushButton("查询")
        self.verify_button = QPushButton("校验完整性")
        self.verify_button.setToolTip("逐条核对审计日志的校验值，发现被改动或删除的记录")
        self.anchor = QLineEdit()
        self.anchor.setObjectName("audit_anchor")
        self.anchor.setPlaceholderText("锚点（可选）：条数:校验值")
        self.anchor.setToolTip("填入先前记下的审计日志锚点（如备份或月报上的），校验时核对日志是否仍延续它，"
                               "可发现被清空、截断或整体重算的日志")
        self.anchor.setMinimumWidth(260)
        self.count_label = QLabel()
        self.head_label = grey_note("")
        self.head_label.setObjectName("audit_head")
        self.head_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.check_label = QLabel()
        self.check_label.setObjectName("audit_check")
        self.check_label.setWordWrap(True)
        self.check_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message = MessageLine()
        self.table = read_only_table(COLUMNS, stretch=4)

        filters = QHBoxLayout()
        filters.addWidget(QLabel("用户"))
        filters.addWidget(self.user_box)
        filters.addWidget(QLabel("操作类型"))
        filters.addWidget(self.action_box)
        filters.addSpacing(8)
        filters.addWidget(self.use_dates)
        filters.addWidget(self.date_from)
        filters.addWidget(QLabel("到"))
        filters.addWidget(self.date_to)
        filters.addWidget(self.keyword, 1)
        filters.addWidget(self.query_button)
        checks = QHBoxLayout()
        checks.addWidget(self.count_label, 1)
        checks.addWidget(self.anchor)
        checks.addWidget(self.verify_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.addWidget(heading("审计日志", 14))
        layout.addLayout(filters)
        layout.addWidget(self.message)
        layout.addWidget(self.table, 1)
        layout.addLayout(checks)
        layout.addWidget(self.check_label)
        layout.addWidget(self.head_label)
        layout.addWidget(grey_note("每条记录都含上一条的校验值，任何改动或删除都会在“校验完整性”时发现；"
                                   "也可在命令行运行 mediator-cli audit verify。懂得算法的人可以重算整条日志，"
                                   "所以请把锚点（mediator-cli audit head）抄录或保存在本数据库以外，"
                                   "日后填入“校验完整性”旁的锚点框核对。"))

        self.query_button.clicked.connect(self._on_query_button_clicked)
        self.keyword.returnPressed.connect(self._on_query_button_clicked)
        self.verify_button.clicked.connect(self._on_verify_button_clicked)
        self.use_dates.toggled.connect(self._on_use_dates_toggled)
        self._on_use_dates_toggled(False)
        self.lines: list[AuditLine] = []
        self.refresh()

    @staticmethod
    def _date_edit(value: QDate) -> QDateEdit:
        edit = QDateEdit(value)
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("yyyy-MM-dd")
        return edit

    # --- loading ------------------------------------------------------------------------------
    def on_shown(self) -> None:
        self.refresh()

    def refresh(self) -> None:
        """Re-read the filter choices (keeping the selection), then query."""
        ctx = self.env.ctx
        run_query(self.env, self, lambda: (audit_users(ctx), audit_actions(ctx)), self._show_choices)

    def _show_choices(self, result) -> None:
        users, actions = result
        user, action = self.user_box.currentData(), self.action_box.currentData()
        self.user_box.clear()
        self.user_box.addItem("全部用户", "")
        for name in users:
            self.user_box.addItem(name, name)
        self.action_box.clear()
        self.action_box.addItem("全部操作", "")
        for code, label in actions:
            self.action_box.addItem(label, code)
        for box, value in ((self.user_box, user), (self.action_box, action)):
            index = box.findData(value) if value else 0
            box.setCurrentIndex(max(index, 0))
        self.query()

    def current_filter(self) -> AuditFilter:
        dates = self.use_dates.isChecked()
        return AuditFilter(username=self.user_box.currentData() or "",
                           action=self.action_box.currentData() or "",
                           date_from=self.date_from.date().toPython() if dates else None,
                           date_to=self.date_to.date().toPython() if dates else None,
                           text=self.keyword.text().strip())

    def query(self) -> None:
        f = self.current_filter()
        self.message.clear_message()
        if f.date_from and f.date_to and f.date_from > f.date_to:
            self.message.refused("起始日期不能晚于截止日期")
            return
        ctx = self.env.ctx
        run_query(self.env, self, lambda: list_audit(ctx, f, limit=MAX_TABLE_ROWS + 1), self._show_lines)

    def _show_lines(self, lines: list[AuditLine]) -> None:
        self.lines = lines[:MAX_TABLE_ROWS]
        fill_table(self.table, [(f"{e.at:%Y-%m-%d %H:%M:%S}", e.username, e.action_label, e.target,
                                 e.detail_text) for e in self.lines],
                   ids=[e.id for e in self.lines],
                   colors=[RED if e.action == "login.failed" else None for e in self.lines])
        if len(lines) > MAX_TABLE_ROWS:
            self.count_label.setText(f"显示最近{MAX_TABLE_ROWS}条；更早的记录请缩小日期范围或加关键字查询")
        else:
            self.count_label.setText(f"共{len(lines)}条")

    # --- the chain check ----------------------------------------------------------------------
    def verify(self) -> None:
        ctx = self.env.ctx
        self.verify_button.setEnabled(False)
        self.check_label.setText("正在校验…")
        anchor = self.anchor.text()
        run_query(self.env, self, lambda: verify_audit(ctx, anchor), self._show_check,
                  on_failure=self._on_verify_failed, label="正在校验审计日志…")

    def _show_check(self, check: AuditCheck) -> None:
        self.verify_button.setEnabled(True)
        color = "#2e7d32" if check.intact else "#c62828"
        self.check_label.setStyleSheet(f"color: {color};")
        lines = [check.summary] + [p.message for p in check.problems[1:10]]
        if len(check.problems) > 10:
            lines.append(f"……另有{len(check.problems) - 10}处")
        self.check_label.setText("\n".join(lines))
        self.head_label.setText(f"当前锚点：{check.head}（可抄录保存，日后核对）" if check.head else "")

    def _on_verify_failed(self, exc: BaseException) -> None:
        self.verify_button.setEnabled(True)
        self.check_label.clear()
        if isinstance(exc, ValidationError):  # a malformed anchor: said beside the check
            self.check_label.setStyleSheet("color: #c62828;")
            self.check_label.setText(exc.message)
            return
        show_error(self, exc)

    # --- slots --------------------------------------------------------------------------------
    def _on_query_button_clicked(self) -> None:
        self.query()

    def _on_verify_button_clicked(self) -> None:
        self.verify()

    def _on_use_dates_toggled(self, checked: bool) -> None:
        self.date_from.setEnabled(checked)
        self.date_to.setEnabled(checked)
