"""系统 → 待批准: the requests of new offices (司法所) to join this county server, approved or
refused by an administrator (the service checks the role again)."""
from __future__ import annotations

from PySide6.QtWidgets import QGroupBox, QHBoxLayout, QPushButton, QVBoxLayout

from mediator.services.offices import OfficeRow, approve_office, office_rows, refuse_office
from mediator.ui.env import UiEnv
from mediator.ui.errors import ask
from mediator.ui.ops import run_op, run_query
from mediator.ui.widgets.overview_bits import ID_ROLE, MessageLine, fill_table, grey_note, read_only_table


class OfficeRequestsPanel(QGroupBox):
    """The pending requests, each with who will administer the office; 批准 / 拒绝."""

    def __init__(self, env: UiEnv) -> None:
        super().__init__("司法所加入申请（待批准）")
        self.env = env
        self.rows: list[OfficeRow] = []
        self.table = read_only_table(["单位名称", "调解组织", "案号简称", "乡镇（街道）", "管理员", "申请时间"],
                                     stretch=1)
        self.table.setMinimumHeight(110)
        self.approve_button = QPushButton("批准")
        self.refuse_button = QPushButton("拒绝")
        self.message = MessageLine()
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.refuse_button)
        buttons.addWidget(self.approve_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addLayout(buttons)
        layout.addWidget(self.message)
        layout.addWidget(grey_note("新的司法所在其电脑上选择“加入已有的县级数据库”后在此出现；"
                                   "批准后，其管理员即可登录，只看到本所的案件。"))
        self.approve_button.clicked.connect(self.approve)
        self.refuse_button.clicked.connect(self.refuse)
        self.table.itemSelectionChanged.connect(self._enable)
        env.signals.reference_changed.connect(self.refresh)
        self.refresh()

    def refresh(self) -> None:
        run_query(self.env, self, lambda: office_rows(self.env.ctx, pending_only=True), self._show)

    def _show(self, rows: list[OfficeRow]) -> None:
        self.rows = rows
        fill_table(self.table, [(r.name, r.organization, r.short, r.township, "、".join(r.admins),
                                 f"{r.requested_at:%Y-%m-%d %H:%M}" if r.requested_at else "") for r in rows],
                   ids=[r.name for r in rows])
        if rows:
            self.table.selectRow(0)
        self._enable()
        self.setVisible(bool(rows) or self.message.isVisible())  # nothing asked: no empty box

    def _selected(self) -> str | None:
        items = self.table.selectedItems()
        return items[0].data(ID_ROLE) if items else None

    def _enable(self) -> None:
        chosen = self._selected() is not None
        self.approve_button.setEnabled(chosen)
        self.refuse_button.setEnabled(chosen)

    def approve(self) -> None:
        name = self._selected()
        if name is not None:
            run_op(self.env, self, lambda: approve_office(self.env.ctx, name),
                   on_success=lambda _c: self.message.done(f"已批准“{name}”加入，其管理员现在可以登录"))

    def refuse(self) -> None:
        name = self._selected()
        if name is not None and ask(self, "拒绝申请", f"拒绝“{name}”的加入申请？其申请的账号将一并删除。"):
            run_op(self.env, self, lambda: refuse_office(self.env.ctx, name),
                   on_success=lambda _c: self.message.done(f"已拒绝“{name}”的加入申请"))
