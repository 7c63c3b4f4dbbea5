"""The 台账 (矛盾纠纷排查调处台账): one line a case, in the columns of DOMAIN.md."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from mediator.domain.enums import (
    OPEN_STATUSES,
    AgreementForm,
    CaseStatus,
    Category,
    FollowUpMethod,
    Level,
    PerformanceResult,
    RiskFlag,
    RiskLevel,
    Satisfaction,
    Source,
)

LEDGER_COLUMNS = ("序号", "案号", "受理日期", "纠纷类型", "当事人", "所在村（社区）/网格", "纠纷简要情况",
                  "来源", "调解组织", "调解员", "处理层级", "风险等级", "状态", "调解结果", "协议金额（元）",
                  "履行情况", "回访情况", "结案日期", "法律顾问")

# Column widths in characters, as the printed ledger wants them.
LEDGER_WIDTHS = (5, 24, 11, 10, 16, 18, 36, 10, 20, 10, 10, 10, 8, 14, 12, 10, 20, 11, 8)

_OPEN = {s.value for s in OPEN_STATUSES}
# Outcomes the timeline records, newest wins (an agreement stays the outcome of its case).
_OUTCOME_LABELS = {"agree": "调解成功", "fail": "调解终止", "withdraw": "撤回", "reject": "不予受理"}


@dataclass(frozen=True)
class LedgerCase:
    """What the ledger shows of one case, as plain data (codes, dates, fen)."""

    number: str
    received_on: date
    accepted_on: date | None
    category: str
    parties: list[str]
    village: str
    grid: str | None
    summary: str
    source: str
    organization: str
    mediators: list[str]
    level: str
    risk_level: str
    risk_flags: str  # comma-separated codes
    status: str
    outcome: str | None  # the last of agree / fail / withdraw / reject, None while open
    agreement_form: str | None
    agreement_fen: int | None
    performance: str | None  # the last PerformanceResult recorded
    follow_up_on: date | None
    follow_up_method: str | None
    follow_up_satisfaction: str | None
    closed_on: date | None
    advisor: str | None


def outcome_text(case: LedgerCase) -> str:
    """调解成功（书面协议） / 调解终止 / 撤回 / 不予受理 / 办理中 (a transferred case is open again)."""
    if case.status in _OPEN:
        return "办理中"
    if case.agreement_form:
        return f"调解成功（{AgreementForm(case.agreement_form).label}）"
    if case.outcome in _OUTCOME_LABELS:
        return _OUTCOME_LABELS[case.outcome]
    return "办理中"


def performance_text(case: LedgerCase) -> str:
    if case.performance:
        return PerformanceResult(case.performance).label
    if case.agreement_form:
        return "待履行"
    return ""


def follow_up_text(case: LedgerCase) -> str:
    if case.follow_up_on is None:
        return "待回访" if case.agreement_form else ""
    parts = [case.follow_up_on.isoformat()]
    if case.follow_up_method:
        parts.append(FollowUpMethod(case.follow_up_method).label)
    if case.follow_up_satisfaction:
        parts.append(Satisfaction(case.follow_up_satisfaction).label)
    return " ".join(parts)


def risk_text(case: LedgerCase) -> str:
    flags = [RiskFlag(f).label for f in case.risk_flags.split(",") if f]
    text = RiskLevel(case.risk_level).label
    return f"{text}（{'、'.join(flags)}）" if flags else text


def ledger_values(seq: int, case: LedgerCase) -> list[object]:
    """One row of the ledger in ``LEDGER_COLUMNS`` order (dates stay dates, money a Decimal)."""
    place = f"{case.village}/{case.grid}" if case.grid else case.village
    amount = (Decimal(case.agreement_fen) / 100).quantize(Decimal("0.01")) \
        if case.agreement_fen is not None else None
    return [
        seq, case.number, case.accepted_on or case.received_on, Category(case.category).label,
        "、".join(case.parties), place, case.summary, Source(case.source).label,
        case.organization, "、".join(case.mediators), Level(case.level).label, risk_text(case),
        CaseStatus(case.status).label, outcome_text(case), amount, performance_text(case),
        follow_up_text(case), case.closed_on, case.advisor or "",
    ]


def ledger_table(cases: list[LedgerCase]) -> list[list[object]]:
    """Every case's row, numbered from 1 in the order given."""
    return [ledger_values(i, c) for i, c in enumerate(cases, start=1)]
