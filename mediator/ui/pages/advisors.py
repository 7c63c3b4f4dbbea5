"""法律顾问: the advisors known so far, their appointments, and villages with no advisor today."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSplitter, QVBoxLayout, QWidget

from mediator.domain.calendar import format_date_cn
from mediator.services.overview import (
    AdvisorRow,
    VillageRow,
    advisors_overview,
    villages_without_advisor,
)
from mediator.ui.env import UiEnv
from mediator.ui.errors import show_error
from mediator.ui.widgets.overview_bits import (
    GREY,
    RED,
    fill_table,
    grey_note,
    heading,
    read_only_table,
    selected_id,
)


class AdvisorsPage(QWidget):
    """一村（社区）一法律顾问: who serves where, and which villages have nobody today."""

    def __init__(self, env: UiEnv) -> None:
        super().__init__()
        self.env = env
        self.advisors: list[AdvisorRow] = []
        self.villages: list[VillageRow] = []

        self.advisor_title = heading("法律顾问")
        self.advisor_table = read_only_table(
            ["姓名", "类别", "律师事务所/单位", "执业证号", "联系电话", "在聘村（社区）"], stretch=2)
        self.appointment_title = heading("聘任记录")
        self.appointment_table = read_only_table(
            ["村（社区）", "区划代码", "聘期开始", "聘期结束", "状态", "法治副主任"], stretch=0)
        self.gap_title = heading("今日无法律顾问的村（社区）")
        self.gap_table = read_only_table(["村（社区）", "区划代码", "所属乡镇（街道）"], stretch=0)
        self.day = QLabel()
        self.day.setStyleSheet("color: #555;")

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 8, 0)
        left_layout.addWidget(self.advisor_title)
        left_layout.addWidget(self.advisor_table, 3)
        left_layout.addSpacing(6)
        left_layout.addWidget(self.appointment_title)
        left_layout.addWidget(self.appointment_table, 2)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(8, 0, 0, 0)
        right_layout.addWidget(self.gap_title)
        right_layout.addWidget(self.gap_table, 1)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setChildrenCollapsible(False)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        top = QHBoxLayout()
        top.addWidget(heading("法律顾问", 14))
        top.addSpacing(12)
        top.addWidget(self.day)
        top.addStretch(1)
        layout.addLayout(top)
        layout.addWidget(splitter, 1)
        layout.addWidget(grey_note("法律顾问及其聘任信息目前随交换文件导入（“区划网格”页的“导入…”）。"))

        self.advisor_table.itemSelectionChanged.connect(self._on_advisor_table_item_selection_changed)
        env.signals.reference_changed.connect(self.refresh)
        self.refresh()

    def on_shown(self) -> None:
        self.refresh()

    def refresh(self) -> None:
        ctx = self.env.ctx
        today = ctx.today()
        self.env.runner.run(lambda: (advisors_overview(ctx), villages_without_advisor(ctx, today)),
                            on_done=self._show, on_error=lambda e: show_error(self, e))

    def _show(self, result: tuple[list[AdvisorRow], list[VillageRow]]) -> None:
        today = self.env.ctx.today()
        self.day.setText(f"一村（社区）一法律顾问 · {format_date_cn(today)}")
        previous = selected_id(self.advisor_table)
        self.advisors, self.villages = result
        rows = []
        for a in self.advisors:
            current = [p.village for p in a.appointments if p.state(today) == "在聘"]
            rows.append((a.name, a.kind_label, a.firm, a.license_no or "", a.phone or "",
                         "、".join(current) or "无"))
        fill_table(self.advisor_table, rows, ids=[a.id for a in self.advisors],
                   colors=[None if a.active else GREY for a in self.advisors])
        self.advisor_title.setText(f"法律顾问（{len(self.advisors)}名）")
        ids = [a.id for a in self.advisors]
        if ids:
            self.advisor_table.selectRow(ids.index(previous) if previous in ids else 0)
        else:
            self._on_advisor_table_item_selection_changed()
        fill_table(self.gap_table, [(v.name, v.code or "", v.township) for v in self.villages],
                   ids=[v.id for v in self.villages])
        self.gap_title.setText(f"今日无法律顾问的村（社区）（{len(self.villages)}个）")

    def current_advisor(self) -> AdvisorRow | None:
        advisor_id = selected_id(self.advisor_table)
        return next((a for a in self.advisors if a.id == advisor_id), None)

    def _on_advisor_table_item_selection_changed(self) -> None:
        today = self.env.ctx.today()
        advisor = self.current_advisor()
        appointments = advisor.appointments if advisor else []
        self.appointment_title.setText(f"聘任记录 — {advisor.name}" if advisor else "聘任记录")
        states = [p.state(today) for p in appointments]
        fill_table(self.appointment_table,
                   [(p.village, p.village_code or "", p.start.isoformat(), p.end.isoformat(), state,
                     "是" if p.legal_deputy else "") for p, state in zip(appointments, states)],
                   colors=[None if s == "在聘" else RED if s == "已届满" else GREY for s in states])
