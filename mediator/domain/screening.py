"""矛盾纠纷排查 (screening rounds): the kinds of round and of finding, when a round is due, and the
checks of a plan and of a held round's record. Pure: no database, no clock."""
from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date

from mediator.domain.enums import LabeledEnum
from mediator.domain.errors import ValidationError

TEXT_MAX = 2000  # notes, findings: a paragraph, not a file
NAME_MAX = 200


class ScreeningKind(LabeledEnum):
    REGULAR = "regular", "常规排查"
    FESTIVAL = "festival", "节前排查"
    SPECIAL = "special", "专项排查"


class RoundStatus(LabeledEnum):
    PLANNED = "planned", "待排查"
    HELD = "held", "已排查"


class FindingKind(LabeledEnum):
    CASE = "case", "登记案件"
    PREVENTED = "prevented", "预防"
    NOTHING = "nothing", "未发现"


class PreventionFlag(LabeledEnum):
    """What a dispute headed off prevented: the 防止… figures of the statistics report."""

    SUICIDE = "suicide", "防止民间纠纷引起自杀"
    CRIMINAL = "criminal", "防止民转刑"
    GROUP_PETITION = "group_petition", "防止群体性上访"
    GROUP_FIGHT = "group_fight", "防止群体性械斗"


def month_end(on: date) -> date:
    return date(on.year, on.month, calendar.monthrange(on.year, on.month)[1])


def _next_month(on: date) -> date:
    return date(on.year + on.month // 12, on.month % 12 + 1, 1)


def first_due(planned_on: date) -> date:
    """A round's default due date: the end of the month it is planned in."""
    return month_end(planned_on)


def next_monthly_round(due_on: date, held_on: date) -> tuple[date, date]:
    """(planned_on, due_on) of the monthly round that follows one due ``due_on`` and held ``held_on``:
    the next month's, or the month it was held in when it was held late (a month is never due twice)."""
    start = max(_next_month(due_on), date(held_on.year, held_on.month, 1))
    return start, month_end(start)


def is_overdue(due_on: date, today: date, status: str) -> bool:
    return status == RoundStatus.PLANNED.value and due_on < today


def is_due(due_on: date, today: date, status: str, warn_days: int) -> bool:
    """Planned and due within ``warn_days`` (or overdue): what 日程提醒 shows."""
    return status == RoundStatus.PLANNED.value and (due_on - today).days <= warn_days


def check_plan(kind: object, planned_on: date | None, due_on: date | None, risk: str,
               monthly: bool) -> list[ValidationError]:
    """The plan of a round: a kind, dates in order, a named risk for 节前/专项, monthly only 常规."""
    errors = []
    if not isinstance(kind, ScreeningKind):
        errors.append(ValidationError("kind", "排查类型应为常规排查、节前排查或专项排查"))
    if planned_on is None:
        errors.append(ValidationError("planned_on", "请填写计划排查日期"))
    if planned_on is not None and due_on is not None and due_on < planned_on:
        errors.append(ValidationError("due_on", "排查截止日期不能早于计划排查日期"))
    if len(risk or "") > NAME_MAX:
        errors.append(ValidationError("risk", f"排查重点不能超过{NAME_MAX}个字"))
    if kind in (ScreeningKind.FESTIVAL, ScreeningKind.SPECIAL) and not (risk or "").strip():
        what = "节日名称（如：春节前排查）" if kind is ScreeningKind.FESTIVAL else "排查的风险（如：土地流转纠纷）"
        errors.append(ValidationError("risk", f"{kind.label}请写明{what}"))
    if monthly and kind is not ScreeningKind.REGULAR:
        errors.append(ValidationError("monthly", "只有常规排查可以按月重复"))
    return errors


@dataclass
class Prevention:
    """预防: a dispute headed off — what it was, who was involved (and how many), how."""

    summary: str
    parties: str
    how: str
    people: int = 1
    flags: list[PreventionFlag] = field(default_factory=list)


def check_prevention(p: Prevention, path: str) -> list[ValidationError]:
    errors = []
    for name, value, label, limit in (("summary", p.summary, "纠纷情况", TEXT_MAX),
                                      ("parties", p.parties, "涉及人员", NAME_MAX),
                                      ("how", p.how, "化解措施", TEXT_MAX)):
        if not (value or "").strip():
            errors.append(ValidationError(f"{path}.{name}", f"{label}不能为空"))
        elif len(value) > limit:
            errors.append(ValidationError(f"{path}.{name}", f"{label}不能超过{limit}个字"))
    if not isinstance(p.people, int) or isinstance(p.people, bool) or not 1 <= p.people <= 100000:
        errors.append(ValidationError(f"{path}.people", "涉及人数应为1到100000之间的整数"))
    if any(not isinstance(f, PreventionFlag) for f in p.flags):
        errors.append(ValidationError(f"{path}.flags",
                                      "预防成效只能选防止民间纠纷引起自杀、民转刑、群体性上访或群体性械斗"))
    return errors


def check_held(held_on: date | None, today: date, held_by: str,
               places_visited: str, notes: str) -> list[ValidationError]:
    """The record of a held round: when (not in the future), who, where."""
    errors = []
    if held_on is None:
        errors.append(ValidationError("held_on", "请填写排查日期"))
    elif held_on > today:
        errors.append(ValidationError("held_on", "排查日期不能晚于今天"))
    if not (held_by or "").strip():
        errors.append(ValidationError("held_by", "排查人员不能为空"))
    elif len(held_by) > NAME_MAX:
        errors.append(ValidationError("held_by", f"排查人员不能超过{NAME_MAX}个字"))
    if not (places_visited or "").strip():
        errors.append(ValidationError("places_visited", "请写明走访的地点"))
    elif len(places_visited) > TEXT_MAX:
        errors.append(ValidationError("places_visited", f"走访地点不能超过{TEXT_MAX}个字"))
    if len(notes or "") > TEXT_MAX:
        errors.append(ValidationError("notes", f"排查情况不能超过{TEXT_MAX}个字"))
    return errors


def flags_text(flags: list[PreventionFlag]) -> str:
    """The flags as stored: codes, comma-separated, in the enum's order."""
    chosen = set(flags)
    return ",".join(f.value for f in PreventionFlag if f in chosen)


def parse_flags(text: str) -> list[PreventionFlag]:
    return [PreventionFlag(code) for code in (text or "").split(",") if code]
