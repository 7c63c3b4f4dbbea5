"""The case state machine: which action may be taken in which status, and where it leads."""
from __future__ import annotations

from mediator.domain.enums import CaseStatus, LabeledEnum, PerformanceResult
from mediator.domain.errors import TransitionError

S = CaseStatus


class Action(LabeledEnum):
    REGISTER = "register", "登记"
    ACCEPT = "accept", "受理"
    REJECT = "reject", "不予受理"
    START = "start", "开始调解"
    RECORD_SESSION = "record_session", "记录调查/调解"
    AGREE = "agree", "达成协议"
    FAIL = "fail", "调解不成"
    WITHDRAW = "withdraw", "撤回"
    TRANSFER = "transfer", "移送"
    ESCALATE = "escalate", "上报"
    HAND_DOWN = "hand_down", "下交"
    EXTEND = "extend", "延期"
    PAUSE = "pause", "中止计时"
    RESUME = "resume", "恢复计时"
    PERFORM = "perform", "记录履行"
    FOLLOW_UP = "follow_up", "回访"
    JUDICIAL_CONFIRMATION = "judicial_confirmation", "司法确认"
    ARCHIVE = "archive", "归档"


_OPEN = (S.REGISTERED, S.ACCEPTED, S.MEDIATING)
_CLOCKED = (S.ACCEPTED, S.MEDIATING)
_AFTER_AGREEMENT = (S.AGREED, S.PERFORMED)

# action -> {from status: to status}; None as target means "status unchanged".
TRANSITIONS: dict[Action, dict[CaseStatus, CaseStatus | None]] = {
    Action.ACCEPT: {S.REGISTERED: S.ACCEPTED},
    Action.REJECT: {S.REGISTERED: S.REJECTED},
    Action.START: {S.ACCEPTED: S.MEDIATING},
    Action.RECORD_SESSION: {S.ACCEPTED: None, S.MEDIATING: None},
    Action.AGREE: {S.MEDIATING: S.AGREED},
    Action.FAIL: {S.MEDIATING: S.FAILED},
    Action.WITHDRAW: {S.MEDIATING: S.WITHDRAWN},
    Action.TRANSFER: {s: S.REGISTERED for s in (*_OPEN, S.FAILED)},
    Action.ESCALATE: {s: None for s in _OPEN},
    Action.HAND_DOWN: {s: None for s in _OPEN},
    Action.EXTEND: {s: None for s in _CLOCKED},
    Action.PAUSE: {s: None for s in _CLOCKED},
    Action.RESUME: {s: None for s in _CLOCKED},
    # Partial or no performance keeps the case `agreed` (督促履行, 《人民调解法》 Art. 31–32).
    Action.PERFORM: {S.AGREED: S.PERFORMED},
    Action.FOLLOW_UP: {s: None for s in _AFTER_AGREEMENT},
    Action.JUDICIAL_CONFIRMATION: {s: None for s in _AFTER_AGREEMENT},
    Action.ARCHIVE: {
        s: S.ARCHIVED for s in (S.AGREED, S.PERFORMED, S.FAILED, S.REJECTED, S.WITHDRAWN)
    },
}


def allowed_actions(status: CaseStatus) -> list[Action]:
    """The actions the table allows in ``status``, in table order."""
    return [a for a, moves in TRANSITIONS.items() if status in moves]


def is_allowed(status: CaseStatus, action: Action) -> bool:
    return status in TRANSITIONS.get(action, {})


def next_status(
    status: CaseStatus, action: Action, *, performance: PerformanceResult | None = None
) -> CaseStatus:
    """The status after ``action``; raises TransitionError with a Chinese message if forbidden.

    Args:
        status: the case's current status.
        action: the move asked for.
        performance: for ``perform``, the result recorded (partial/none keep ``agreed``).
    """
    moves = TRANSITIONS.get(action)
    if moves is None or status not in moves:
        raise TransitionError(forbidden_message(status, action))
    if action is Action.PERFORM and performance not in (None, PerformanceResult.FULL):
        return status
    target = moves[status]
    return status if target is None else target


def forbidden_message(status: CaseStatus, action: Action) -> str:
    allowed = allowed_actions(status)
    hint = "、".join(a.label for a in allowed) if allowed else "无"
    return f"案件状态为“{status.label}”，不能“{action.label}”（此时可进行：{hint}）"
