"""The case header: number, status, track, level, risk, place and the nearest deadline counting down."""
from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QGridLayout, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from mediator.domain.case_detail import CaseDetail, DeadlineEntry
from mediator.domain.enums import RiskFlag
from mediator.ui.workspace.tables import label_of

STATUS_COLORS = {
    "registered": "#6d4c41", "accepted": "#1565c0", "mediating": "#ef6c00", "agreed": "#2e7d32",
    "performed": "#2e7d32", "failed": "#757575", "withdrawn": "#757575", "rejected": "#757575",
    "archived": "#455a64",
}
RISK_COLORS = {"low": "#2e7d32", "medium": "#ef6c00", "high": "#c62828"}


def nearest_open_deadline(detail: CaseDetail) -> DeadlineEntry | None:
    """The running deadline (open or overdue) that falls due first."""
    return min(detail.running_deadlines(), key=lambda d: (d.due, d.kind), default=None)


def deadline_text(deadline: DeadlineEntry, today: date) -> tuple[str, bool]:
    """``调解期限 还剩5天（2026-12-04）`` or ``调解期限 已逾期3天（…）``; second: overdue."""
    days = (deadline.due - today).days
    if days > 0:
        return f"{deadline.label} 还剩{days}天（{deadline.due}）", False
    if days == 0:
        return f"{deadline.label} 今天到期（{deadline.due}）", False
    return f"{deadline.label} 已逾期{-days}天（{deadline.due}）", True


def track_text(detail: CaseDetail) -> str:
    text = detail.track_label
    if detail.track_detail_label:
        text += f" · {detail.track_detail_label}"
    if detail.procedure:
        text += " · " + {"ordinary": "普通程序", "simple": "简易程序"}.get(detail.procedure, detail.procedure)
    return text


def risk_text(detail: CaseDetail) -> str:
    risk = detail.risk
    flags = "、".join(label_of(RiskFlag, f) for f in risk.flags)
    return risk.level_label + (f"（{flags}）" if flags else "")


class CaseHeader(QFrame):
    """The top of the workspace: who, what, where, and how much time is left."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("case_header")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.number_label = QLabel("正在载入…")
        self.number_label.setObjectName("case_number")
        font = self.number_label.font()
        font.setPointSizeF(font.pointSizeF() * 1.35)
        font.setBold(True)
        self.number_label.setFont(font)
        self.number_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.status_label = QLabel()
        self.status_label.setObjectName("case_status")
        self.paused_label = QLabel("计时中止")
        self.paused_label.setStyleSheet("color: #6a1b9a; border: 1px solid #6a1b9a; border-radius: 3px;"
                                        " padding: 1px 6px;")
        self.paused_label.hide()
        self.supervision_label = QLabel("督促履行")
        self.supervision_label.setStyleSheet("color: #c62828; border: 1px solid #c62828;"
                                             " border-radius: 3px; padding: 1px 6px;")
        self.supervision_label.hide()
        self.alert_label = QLabel()  # 风险预警: the case's open warnings (the 风险预警 page handles them)
        self.alert_label.setObjectName("case_risk_alert")
        self.alert_label.setStyleSheet("color: white; background: #c62828; border-radius: 3px;"
                                       " padding: 2px 8px; font-weight: bold;")
        self.alert_label.hide()
        self.deadline_label = QLabel()
        self.deadline_label.setObjectName("case_deadline")
        self.deadline_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.moved_label = QLabel()
        self.moved_label.setObjectName("deadline_moved")
        self.moved_label.setStyleSheet("color: #666;")
        self.moved_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.moved_label.hide()

        top = QHBoxLayout()
        top.addWidget(self.number_label)
        top.addSpacing(12)
        top.addWidget(self.status_label)
        top.addWidget(self.paused_label)
        top.addWidget(self.supervision_label)
        top.addWidget(self.alert_label)
        top.addStretch(1)
        top.addWidget(self.deadline_label)

        self.values: dict[str, QLabel] = {}
        grid = QGridLayout()
        grid.setHorizontalSpacing(10)
        grid.setVerticalSpacing(4)
        fields = [("track", "调解类型"), ("level", "处理层级"), ("risk", "风险等级"),
                  ("organization", "调解组织"), ("place", "村（社区）/网格"), ("category", "纠纷类型")]
        for i, (key, title) in enumerate(fields):
            caption = QLabel(title + "：")
            caption.setStyleSheet("color: #666;")
            value = QLabel("—")
            value.setObjectName(f"header_{key}")
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            row, col = divmod(i, 3)
            grid.addWidget(caption, row, col * 3)
            grid.addWidget(value, row, col * 3 + 1)
            self.values[key] = value
        for col in (2, 5):
            grid.setColumnMinimumWidth(col, 28)
        grid.setColumnStretch(8, 1)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        layout.setSpacing(6)
        layout.addLayout(top)
        layout.addLayout(grid)
        layout.addWidget(self.moved_label)

    def show_case(self, detail: CaseDetail, today: date, *, paused: bool = False) -> None:
        """Fill the header from ``case_detail``."""
        self.number_label.setText(detail.number)
        color = STATUS_COLORS.get(detail.status, "#333")
        self.status_label.setText(detail.status_label)
        self.status_label.setStyleSheet(f"color: white; background: {color}; border-radius: 3px;"
                                        " padding: 2px 8px; font-weight: bold;")
        self.paused_label.setVisible(paused)
        self.supervision_label.setVisible(bool(detail.needs_supervision))
        self.values["track"].setText(track_text(detail))
        self.values["level"].setText(detail.level_label)
        self.values["risk"].setText(risk_text(detail))
        self.values["risk"].setStyleSheet(f"color: {RISK_COLORS.get(detail.risk.level, '#333')};")
        self.values["organization"].setText(detail.organization)
        place = detail.village + (f" / {detail.grid}" if detail.grid else "")
        self.values["place"].setText(place)
        self.values["category"].setText(detail.category_label)
        self._show_deadline(detail, today)

    def show_alerts(self, alerts) -> None:
        """The badge of the case's open 风险预警 (AlertRow); hidden without any."""
        self.alert_label.setVisible(bool(alerts))
        if alerts:
            names = "、".join(dict.fromkeys(a.rule_label for a in alerts))
            self.alert_label.setText(f"风险预警：{names}")
            self.alert_label.setToolTip("\n".join(f"{a.rule_label}（{a.level_label}）：{a.detail}" for a in alerts)
                                        + "\n请到“风险预警”页确认并记录跟进")

    def _show_deadline(self, detail: CaseDetail, today: date) -> None:
        deadline = nearest_open_deadline(detail)
        if deadline is None:
            self.deadline_label.setText("无进行中的期限")
            self.deadline_label.setStyleSheet("color: #666;")
            self.deadline_label.setToolTip("")
            self.moved_label.hide()
            return
        text, overdue = deadline_text(deadline, today)
        soon = not overdue and (deadline.due - today).days <= 3
        color = "#c62828" if overdue else ("#ef6c00" if soon else "#1b5e20")
        self.deadline_label.setText(text)
        self.deadline_label.setStyleSheet(f"color: {color}; font-weight: bold;")
        self.deadline_label.setToolTip("\n".join(deadline_text(d, today)[0] for d in detail.running_deadlines()))
        self.moved_label.setText(f"注：{deadline.moved_reason}" if deadline.moved_reason else "")
        self.moved_label.setVisible(bool(deadline.moved_reason))
