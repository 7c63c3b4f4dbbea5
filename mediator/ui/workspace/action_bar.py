"""The workspace's action buttons: one per lifecycle action, enabled exactly when the case allows it."""
from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QPushButton, QWidget

from mediator.domain.case_detail import CaseDetail
from mediator.domain.enums import CaseStatus, Level
from mediator.domain.lifecycle import Action, forbidden_message

# Two rows: the case's own course, then clocks, levels and what follows an agreement.
ACTION_ROWS: list[tuple[str, list[Action]]] = [
    ("办理", [Action.ACCEPT, Action.REJECT, Action.START, Action.RECORD_SESSION, Action.AGREE,
              Action.FAIL, Action.WITHDRAW, Action.TRANSFER, Action.ARCHIVE]),
    ("期限与协议", [Action.ESCALATE, Action.HAND_DOWN, Action.EXTEND, Action.PAUSE, Action.RESUME,
                    Action.PERFORM, Action.FOLLOW_UP, Action.JUDICIAL_CONFIRMATION]),
]
TIPS = {
    Action.ACCEPT: "受理案件，开始计算调解期限",
    Action.REJECT: "不予受理并说明理由",
    Action.START: "开始调解",
    Action.RECORD_SESSION: "记录一次调查或调解的经过",
    Action.AGREE: "录入调解协议，案件调解成功",
    Action.FAIL: "终止调解并告知其他救济途径",
    Action.WITHDRAW: "当事人撤回调解申请",
    Action.TRANSFER: "移送其他调解组织或其他调解类型（三调联动）",
    Action.ARCHIVE: "立卷归档",
    Action.ESCALATE: "上报到更高的处理层级",
    Action.HAND_DOWN: "下交到更低的处理层级",
    Action.EXTEND: "经当事人同意延长调解期限",
    Action.PAUSE: "中止计算调解期限（如鉴定期间）",
    Action.RESUME: "恢复计算调解期限",
    Action.PERFORM: "记录协议履行情况",
    Action.FOLLOW_UP: "记录回访情况",
    Action.JUDICIAL_CONFIRMATION: "记录司法确认的申请和裁定",
}


def clock_paused(detail: CaseDetail) -> bool:
    """Whether the handling clock is paused now (a pause not yet resumed since the last transfer)."""
    paused = False
    for event in detail.timeline:
        if event.action == Action.TRANSFER.value:
            paused = False
        elif event.action == Action.PAUSE.value:
            paused = True
        elif event.action == Action.RESUME.value:
            paused = False
    return paused


def refusal(detail: CaseDetail, action: Action) -> str | None:
    """Why ``action`` cannot be taken now (None: it can)."""
    status = CaseStatus(detail.status)
    if action.value not in detail.allowed_actions:
        return forbidden_message(status, action)
    # Allowed by the status, but the service would refuse it anyway.
    level = Level(detail.level)
    paused = clock_paused(detail)
    if action is Action.RESUME and not paused:
        return "调解期限没有中止，无需恢复计时"
    if action is Action.PAUSE and paused:
        return "调解期限已在中止计时中"
    if action is Action.ESCALATE and level.rank == max(lv.rank for lv in Level):
        return f"案件已在{level.label}层级，无法再上报"
    if action is Action.HAND_DOWN and level.rank == 0:
        return f"案件已在{level.label}层级，无法再下交"
    return None


class ActionBar(QFrame):
    """Buttons of the lifecycle actions; forbidden ones stay visible but disabled, with the reason.

    Args:
        on_action: called with the action's code when its button is clicked (a plain callback:
            PySide6 6.12.0's Python-side ``Signal.emit`` leaks a reference to ``True``).
    """

    def __init__(self, on_action: Callable[[str], None], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("action_bar")
        self.buttons: dict[str, QPushButton] = {}
        grid = QGridLayout(self)
        grid.setContentsMargins(4, 2, 4, 2)
        grid.setHorizontalSpacing(6)
        grid.setVerticalSpacing(4)
        for row, (title, actions) in enumerate(ACTION_ROWS):
            caption = QLabel(title)
            caption.setStyleSheet("color: #666;")
            grid.addWidget(caption, row, 0)
            for col, action in enumerate(actions, start=1):
                button = QPushButton(action.label)
                button.setObjectName(f"action_{action.value}")
                button.setEnabled(False)
                button.setToolTip(TIPS[action])
                button.setMinimumWidth(button.fontMetrics().horizontalAdvance(action.label) + 28)
                button.clicked.connect(lambda _=False, code=action.value: on_action(code))
                grid.addWidget(button, row, col)
                self.buttons[action.value] = button
        grid.setColumnStretch(len(ACTION_ROWS[0][1]) + 1, 1)

    def show_case(self, detail: CaseDetail | None) -> None:
        """Enable each button exactly when the case allows its action (all off while loading)."""
        for code, button in self.buttons.items():
            action = Action(code)
            why = "正在载入…" if detail is None else refusal(detail, action)
            button.setEnabled(why is None)
            button.setToolTip(TIPS[action] if why is None else why)
