"""The statistics report as data and as lines: what `report stats` prints and the page shows."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from mediator.domain.enums import Category, Level, OrganizationKind, Satisfaction, Source, Track
from mediator.reporting.stats import PREVENTION_LABELS, SCREENING_LABELS, StatsReport


def anchor_line(anchor: str, *, short: bool = False) -> str:
    """The report footer's 「审计日志锚点：COUNT:HASH（打印时）」; ``short``: a hash prefix (screen)."""
    if not anchor:
        return ""
    if short and ":" in anchor:
        count, digest = anchor.split(":", 1)
        anchor = f"{count}:{digest[:16]}…"
    return f"审计日志锚点：{anchor}（打印时）"


def to_json(report: StatsReport) -> dict[str, Any]:
    """The report as ``report stats --json`` prints it (codes as keys, amounts as strings)."""
    t = report.total
    rate = t.success_rate
    return {
        "period": {"from": report.period.date_from.isoformat(),
                   "to": report.period.date_to.isoformat(), "kind": report.period.kind,
                   "label": report.period.label},
        "scope": report.scope,
        "received": t.received,
        "people_involved": t.people_involved,
        "by_source": dict(t.by_source),
        "by_category": dict(t.by_category),
        "by_track": dict(t.by_track),
        "by_level": dict(t.by_level),
        "by_organization_kind": dict(report.by_organization_kind),
        "succeeded": t.succeeded,
        "failed": t.failed,
        "withdrawn": t.withdrawn,
        "rejected": t.rejected,
        "success_rate": None if rate is None else float(rate),
        "agreements_written": t.agreements_written,
        "agreements_oral": t.agreements_oral,
        "agreement_amount_yuan": f"{t.agreement_amount_yuan:.2f}",
        "performed": t.performed,
        "performed_partial": t.performed_partial,
        "performed_none": t.performed_none,
        "judicial_confirmation_applied": t.judicial_confirmation_applied,
        "judicial_confirmed": t.judicial_confirmed,
        "follow_ups": t.follow_ups,
        "satisfaction": dict(t.satisfaction),
        "prevented_criminal": t.prevented_criminal,
        "prevented_criminal_people": t.prevented_criminal_people,
        "prevented_group_petition": t.prevented_group_petition,
        "prevented_group_petition_people": t.prevented_group_petition_people,
        "prevented_group_fight": t.prevented_group_fight,
        "prevented_group_fight_people": t.prevented_group_fight_people,
        "prevented_suicide": t.prevented_suicide,
        "prevented_suicide_people": t.prevented_suicide_people,
        "screenings": t.screenings,
        "screening_found": t.screening_found,
        "screening_prevented": t.screening_prevented,
        "transfers": [{"from_track": r.from_track, "to_track": r.to_track, "cases": r.cases}
                      for r in report.transfers],
        "units": [{"name": u.unit.name, "kind": u.unit.kind, "received": u.figures.received,
                   "succeeded": u.figures.succeeded} for u in report.units],
    }


@dataclass(frozen=True)
class Line:
    """One line of the on-screen report: its section, what it counts, the figure and the unit."""

    section: str
    label: str
    value: str
    unit: str
    key: str  # the figure's name (``by_category.neighbor`` for a breakdown)


def report_lines(report: StatsReport) -> list[Line]:
    """Every figure of the total, grouped in the sections of the official table."""
    t = report.total
    lines: list[Line] = []

    def add(section: str, label: str, value: Any, unit: str, key: str) -> None:
        lines.append(Line(section, label, str(value), unit, key))

    for key, label, unit in SCREENING_LABELS:
        add("排查情况", label, getattr(t, key), unit, key)
    add("受理情况", "受理纠纷数", t.received, "件", "received")
    add("受理情况", "涉及人数", t.people_involved, "人", "people_involved")
    for s in Source:
        add("按来源", s.label, t.by_source.get(s.value, 0), "件", f"by_source.{s.value}")
    for c in Category:
        add("按纠纷类型", c.label, t.by_category.get(c.value, 0), "件", f"by_category.{c.value}")
    for tr in Track:
        add("按调解类型", tr.label, t.by_track.get(tr.value, 0), "件", f"by_track.{tr.value}")
    for lv in Level:
        add("按处理层级", lv.label, t.by_level.get(lv.value, 0), "件", f"by_level.{lv.value}")
    for k in OrganizationKind:
        add("按组织类别", k.label, report.by_organization_kind.get(k.value, 0), "件",
            f"by_organization_kind.{k.value}")
    add("调解结果", "调解成功", t.succeeded, "件", "succeeded")
    add("调解结果", "调解终止", t.failed, "件", "failed")
    add("调解结果", "撤回", t.withdrawn, "件", "withdrawn")
    add("调解结果", "不予受理", t.rejected, "件", "rejected")
    add("调解结果", "调解成功率", t.success_rate_text, "", "success_rate")
    add("协议与履行", "书面协议", t.agreements_written, "件", "agreements_written")
    add("协议与履行", "口头协议", t.agreements_oral, "件", "agreements_oral")
    add("协议与履行", "协议涉及金额", f"{t.agreement_amount_yuan:,.2f}", "元", "agreement_amount_yuan")
    add("协议与履行", "全部履行", t.performed, "件", "performed")
    add("协议与履行", "部分履行", t.performed_partial, "件", "performed_partial")
    add("协议与履行", "未履行", t.performed_none, "件", "performed_none")
    add("司法确认", "申请司法确认", t.judicial_confirmation_applied, "件", "judicial_confirmation_applied")
    add("司法确认", "裁定确认有效", t.judicial_confirmed, "件", "judicial_confirmed")
    add("回访", "回访次数", t.follow_ups, "次", "follow_ups")
    for s in Satisfaction:
        add("回访", s.label, t.satisfaction.get(s.value, 0), "次", f"satisfaction.{s.value}")
    for kind, label in PREVENTION_LABELS:
        add("预防成效", label, getattr(t, f"prevented_{kind}"), "件", f"prevented_{kind}")
        add("预防成效", f"{label}涉及人数", getattr(t, f"prevented_{kind}_people"), "人",
            f"prevented_{kind}_people")
    for r in report.transfers:
        add("移送（三调联动）", f"{Track(r.from_track).label} → {Track(r.to_track).label}", r.cases, "件",
            f"transfers.{r.from_track}.{r.to_track}")
    return lines
