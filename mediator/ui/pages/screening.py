"""矛盾纠纷排查: the rounds planned and held per village/community or grid — the overdue in red, the
due ones in orange — with 计划排查 and 登记排查结果; the selected round's findings below."""
from __future__ import annotations

from PySide6.QtGui import QColor
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from mediator.domain.permissions import Permission
from mediator.services.reminders.due import warn_days
from mediator.services.screening.rows import ScreeningRow, list_rounds
from mediator.ui.dialogs.screening_dialogs import PlanRoundDialog, RecordRoundDialog
from mediator.ui.env import UiEnv
from mediator.ui.ops import run_query
from mediator.ui.widgets.overview_bits import GREY, RED, MessageLine, fill_table, heading, read_only_table, selected_id

HEADERS = ["村（社区）/网格", "排查类型", "负责组织", "计划日期", "截止日期", "状态", "排查日期", "排查人员",
           "排查发现"]
ORANGE = QColor("#e65100")


class ScreeningPage(QWidget):
    def __init__(self, env: UiEnv, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.env = env
        self.rows: list[ScreeningRow] = []
        self.dialog: PlanRoundDialog | RecordRoundDialog | None = None
        self.plan_button = QPushButton("计划排查…")
        self.record_button = QPushButton("登记排查结果…")
        self.plan_button.setVisible(env.can(Permission.CASE_HANDLE))
        self.record_button.setVisible(env.can(Permission.CASE_REGISTER))
        self.table = read_only_table(HEADERS, stretch=8)
        self.table.setObjectName("screening_table")
        self.detail = QLabel()
        self.detail.setWordWrap(True)
        self.message = MessageLine()
        top = QHBoxLayout()
        top.addWidget(heading("矛盾纠纷排查"))
        top.addStretch(1)
        top.addWidget(self.plan_button)
        top.addWidget(self.record_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 10, 16, 10)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.detail)
        layout.addWidget(self.message)
        self.plan_button.clicked.connect(lambda _=False: self.plan())
        self.record_button.clicked.connect(lambda _=False: self.record())
        self.table.itemSelectionChanged.connect(self._on_selection_changed)
        self.table.itemDoubleClicked.connect(lambda _item: self.record())
        self.refresh()

    def on_shown(self) -> None:
        self.refresh()

    def refresh(self) -> None:
        ctx = self.env.ctx
        run_query(self.env, self, lambda: (list_rounds(ctx), warn_days(ctx)), self._show)

    def _show(self, found: tuple[list[ScreeningRow], int]) -> None:
        rows, warn = found
        previous = selected_id(self.table)
        self.rows = rows
        today = self.env.ctx.today()

        def state(r: ScreeningRow) -> str:
            if r.overdue(today):
                return f"已逾期{(today - r.due_on).days}天"
            return "即将到期" if r.due(today, warn) else r.status_label

        fill_table(self.table, [(r.place, r.kind_label, r.organization, r.planned_on.isoformat(),
                                 r.due_on.isoformat(), state(r), r.held_on.isoformat() if r.held_on else "",
                                 r.held_by, r.findings_text) for r in rows],
                   ids=[r.id for r in rows],
                   colors=[RED if r.overdue(today) else ORANGE if r.due(today, warn) else
                           GREY if not r.planned else None for r in rows])
        ids = [r.id for r in rows]
        if previous in ids:
            self.table.selectRow(ids.index(previous))
        self._on_selection_changed()

    def current(self) -> ScreeningRow | None:
        round_id = selected_id(self.table)
        return next((r for r in self.rows if r.id == round_id), None)

    def select_round(self, round_id: int) -> None:
        ids = [r.id for r in self.rows]
        self.table.selectRow(ids.index(round_id))

    def _on_selection_changed(self) -> None:
        row = self.current()
        self.record_button.setEnabled(row is not None and row.planned)
        if row is None:
            self.detail.setText("没有排查计划。请点“计划排查”。" if not self.rows else "")
        elif row.planned:
            self.detail.setText(f"{row.place}：{row.kind_label}，{row.planned_on.isoformat()}计划，"
                                f"{row.due_on.isoformat()}前完成" + ("（每月一次）" if row.monthly else ""))
        else:
            lines = [f"{row.held_on.isoformat()} {row.held_by} 走访：{row.places_visited}"]
            lines += [f"· {f.text}" for f in row.findings]
            if row.notes:
                lines.append(f"排查情况：{row.notes}")
            self.detail.setText("\n".join(lines))

    def plan(self) -> None:
        self._open(PlanRoundDialog(self.env, self), "已计划排查")

    def record(self) -> None:
        row = self.current()
        if row is not None and row.planned and self.env.can(Permission.CASE_REGISTER):
            self._open(RecordRoundDialog(self.env, row, self), "已登记排查结果")

    def _open(self, dialog: PlanRoundDialog | RecordRoundDialog, done: str) -> None:
        self.dialog = dialog
        dialog.accepted.connect(lambda: self._changed(done))
        dialog.open()

    def _changed(self, done: str) -> None:
        self.refresh()
        self.message.done(done)
