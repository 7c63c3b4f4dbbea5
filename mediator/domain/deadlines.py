"""The deadline engine: every statutory and office deadline of a case, from its history.

The engine replays the case's events (the same facts the timeline shows) and yields one
``Deadline`` per clock that applies, each with its state: ``open`` while the condition holds,
``met`` when the required step happened, ``void`` when the case left the path the clock belongs
to. ``overdue`` is an open deadline looked at after its due date.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from mediator.domain.calendar import (
    HolidayCalendar,
    PeriodEnd,
    days_after,
    months_after,
    working_days_after,
)
from mediator.domain.enums import (
    AgreementForm,
    DeadlineKind,
    DeadlineState,
    Level,
    Procedure,
    Track,
    TrackDetail,
)
from mediator.domain.errors import ValidationError

K = DeadlineKind


@dataclass(frozen=True)
class DeadlineSettings:
    """Office settings that feed the engine (defaults from DOMAIN.md)."""

    follow_up_days: int = 7
    default_handling_days: int = 30
    escalation_days: dict[str, int] = field(
        default_factory=lambda: {"grid": 3, "village": 10, "township": 30}
    )
    review_working_days: int = 3
    warn_days: int = 3


@dataclass(frozen=True)
class CaseEvent:
    """One fact of a case's history, as the engine needs it.

    ``data`` holds the action's details: ``register`` carries ``track``, ``track_detail``,
    ``procedure`` and ``level``; ``transfer`` carries ``to_track``, ``to_track_detail``,
    ``procedure`` and optionally ``level``; ``escalate``/``hand_down`` carry ``level``;
    ``extend`` carries ``until``; ``perform`` carries ``result``.
    """

    on: date
    action: str
    data: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class AgreementFacts:
    form: AgreementForm
    signed_on: date
    deadline: date | None = None


@dataclass(frozen=True)
class Deadline:
    kind: DeadlineKind
    start: date
    due: date
    state: DeadlineState  # open, met or void: the condition, independent of today
    basis: str  # the rule, in Chinese
    nominal: date | None = None  # the last day before a rest-day move
    moved_reason: str | None = None
    closed_on: date | None = None  # when it was met or became void
    leg: int = 0  # which stretch of the case (a transfer starts a new one)

    @property
    def moved(self) -> bool:
        return self.nominal is not None and self.nominal != self.due

    def state_on(self, today: date) -> DeadlineState:
        """The state seen on ``today``: an open deadline past its due date is overdue."""
        if self.state is DeadlineState.OPEN and today > self.due:
            return DeadlineState.OVERDUE
        return self.state

    def open_on(self, day: date) -> bool:
        """Whether the clock was running on ``day`` (for lists of a past or future date)."""
        if self.state is DeadlineState.OPEN:
            return True
        return self.closed_on is not None and day < self.closed_on


@dataclass(frozen=True)
class HandlingRule:
    """How long a track gives to settle a case, and from which event it counts."""

    amount: int
    unit: str  # "days", "months" or "working_days"
    from_receipt: bool
    basis: str
    max_extensions: int | None = None
    max_extension_days: int | None = None


def handling_rule(
    track: Track,
    detail: TrackDetail | None,
    procedure: Procedure | None,
    settings: DeadlineSettings,
) -> HandlingRule:
    """The handling period of DOMAIN.md for a track, its detail and procedure."""
    default = HandlingRule(
        settings.default_handling_days, "days", False,
        f"受理之日起{settings.default_handling_days}日（办理期限设置）",
    )
    if track is Track.PEOPLE:
        return HandlingRule(1, "months", False, "受理之日起一个月（《人民调解工作若干规定》第三十三条）")
    if track is Track.JUDICIAL:
        if detail in (TrackDetail.PRE_LITIGATION, TrackDetail.DELEGATED):
            return HandlingRule(30, "days", False, "收案之日起30日，经同意可延长一次，最长30日（诉前、委派调解）",
                                max_extensions=1, max_extension_days=30)
        if detail in (TrackDetail.ENTRUSTED, TrackDetail.IN_LITIGATION):
            if procedure is Procedure.SIMPLE:
                return HandlingRule(7, "days", False, "简易程序委托、诉中调解7日（最高法民事调解规定第四条）")
            return HandlingRule(15, "days", False, "普通程序委托、诉中调解15日（最高法民事调解规定第四条）")
        return default
    rules = {
        TrackDetail.LABOR: HandlingRule(15, "days", True, "收到调解申请之日起15日（《劳动争议调解仲裁法》第十四条）"),
        TrackDetail.POLICE: HandlingRule(3, "working_days", False, "受理之日起3个工作日（治安调解工作规范第九条）"),
        TrackDetail.TRAFFIC: HandlingRule(10, "days", False, "调解期限10日（道路交通事故处理程序规定）"),
        TrackDetail.MEDICAL: HandlingRule(30, "working_days", False,
                                          "受理之日起30个工作日，鉴定时间不计入（医疗纠纷预防和处理条例）"),
        TrackDetail.CONSUMER: HandlingRule(45, "working_days", False,
                                           "受理之日起45个工作日（市场监督管理投诉举报处理暂行办法）"),
    }
    return rules.get(detail, default) if detail is not None else default


def _paused_skip(pauses: Sequence[tuple[date, date | None]], today: date):
    """A predicate for days the handling clock stood still: after a pause, up to its resume."""
    # A clock still paused stands still up to today: its due date moves on day by day.
    spans = [(p, r if r is not None else today) for p, r in pauses]
    if not spans:
        return None
    return lambda d: any(p < d <= r for p, r in spans)


def _period(rule: HandlingRule, start: date, cal: HolidayCalendar, pauses, today) -> PeriodEnd:
    skip = _paused_skip(pauses, today)
    if rule.unit == "months":
        end = months_after(start, rule.amount, cal, roll=False)
        if skip is not None:
            # Months have no day count: stretch the nominal end by the days the clock stood still,
            # counting them on after the nominal end only on days the clock runs (a pause that
            # reaches past the nominal end, or one still running, keeps the clock stopped).
            stood = _count_skipped(start, end.nominal, skip)
            if not stood:
                return months_after(start, rule.amount, cal)
            return days_after(end.nominal, stood, cal, skip=skip)
        return months_after(start, rule.amount, cal)
    if rule.unit == "working_days":
        return working_days_after(start, rule.amount, cal, skip=skip)
    return days_after(start, rule.amount, cal, skip=skip)


def _count_skipped(start: date, end: date, skip) -> int:
    return sum(1 for i in range((end - start).days) if skip(start + timedelta(days=i + 1)))


@dataclass
class _Leg:
    index: int
    track: Track
    detail: TrackDetail | None
    procedure: Procedure | None
    received_on: date
    accepted_on: date | None = None
    extensions: list[CaseEvent] = field(default_factory=list)
    pauses: list[list[date | None]] = field(default_factory=list)
    end_on: date | None = None
    end_state: DeadlineState | None = None


@dataclass
class _Stay:
    level: Level
    since: date
    leg: int
    end_on: date | None = None
    end_state: DeadlineState | None = None


_CONCLUDING = {"agree", "fail"}
_DROPPING = {"reject", "withdraw"}


def _enum_or_none(enum, value):
    return None if value in (None, "") else enum(value)


def compute_deadlines(
    events: Sequence[CaseEvent],
    agreement: AgreementFacts | None,
    cal: HolidayCalendar,
    settings: DeadlineSettings | None = None,
    today: date | None = None,
) -> list[Deadline]:
    """Every deadline of a case from its events (in order) and its agreement.

    Args:
        events: the case's history, starting with ``register``.
        agreement: the agreement if one was concluded.
        cal: the holiday calendar for rest-day moves and working days.
        settings: office settings; DOMAIN.md defaults when omitted.
        today: only used to keep a still-paused clock from running.
    """
    settings = settings or DeadlineSettings()
    today = today or date.today()
    if not events or events[0].action != "register":
        raise ValueError("case history must start with a register event")
    first = events[0]
    legs = [_Leg(0, Track(first.data["track"]), _enum_or_none(TrackDetail, first.data.get("track_detail")),
                 _enum_or_none(Procedure, first.data.get("procedure")), first.on)]
    stays = [_Stay(Level(first.data["level"]), first.on, 0)]
    performed_on = follow_up_on = applied_on = archived_on = None

    def close_stay(on: date, state: DeadlineState) -> None:
        if stays[-1].end_on is None:
            stays[-1].end_on, stays[-1].end_state = on, state

    for ev in events[1:]:
        leg = legs[-1]
        a = ev.action
        if a == "accept":
            leg.accepted_on = ev.on
        elif a in _CONCLUDING or a in _DROPPING:
            state = DeadlineState.MET if a in _CONCLUDING else DeadlineState.VOID
            if leg.end_on is None:
                leg.end_on, leg.end_state = ev.on, state
            close_stay(ev.on, state)
        elif a == "transfer":
            if leg.end_on is None:
                leg.end_on, leg.end_state = ev.on, DeadlineState.VOID
            close_stay(ev.on, DeadlineState.VOID)
            track = Track(ev.data["to_track"])
            legs.append(_Leg(len(legs), track, _enum_or_none(TrackDetail, ev.data.get("to_track_detail")),
                             _enum_or_none(Procedure, ev.data.get("procedure")), ev.on))
            level = Level(ev.data.get("level") or stays[-1].level)
            stays.append(_Stay(level, ev.on, len(legs) - 1))
        elif a in ("escalate", "hand_down"):
            close_stay(ev.on, DeadlineState.MET)
            stays.append(_Stay(Level(ev.data["level"]), ev.on, leg.index))
        elif a == "extend":
            leg.extensions.append(ev)
        elif a == "pause":
            leg.pauses.append([ev.on, None])
        elif a == "resume":
            if leg.pauses and leg.pauses[-1][1] is None:
                leg.pauses[-1][1] = ev.on
        elif a == "perform" and performed_on is None:
            performed_on = ev.on
        elif a == "follow_up" and follow_up_on is None:
            follow_up_on = ev.on
        elif a == "judicial_confirmation" and applied_on is None:
            applied_on = ev.data.get("applied_on", ev.on)
            if isinstance(applied_on, str):
                applied_on = date.fromisoformat(applied_on)
        elif a == "archive":
            archived_on = ev.on

    out: list[Deadline] = []
    for leg in legs:
        out.extend(_handling(leg, cal, settings, today, archived_on))
    for stay in stays:
        out.extend(_escalation(stay, cal, settings, archived_on))
    if agreement is not None:
        out.extend(_after_agreement(agreement, cal, settings, performed_on, follow_up_on,
                                    applied_on, archived_on))
    return out


def _closing(end_on, end_state, archived_on):
    if end_on is not None:
        return end_state, end_on
    if archived_on is not None:
        return DeadlineState.VOID, archived_on
    return DeadlineState.OPEN, None


def _handling(leg: _Leg, cal, settings, today, archived_on) -> list[Deadline]:
    rule = handling_rule(leg.track, leg.detail, leg.procedure, settings)
    start = leg.received_on if rule.from_receipt else leg.accepted_on
    if start is None or (rule.from_receipt and leg.accepted_on is None and leg.end_state is DeadlineState.VOID):
        return []
    pauses = [(p, r) for p, r in leg.pauses]
    end = _period(rule, start, cal, pauses, today)
    basis = rule.basis
    due, nominal, reason = end.due, end.nominal, end.reason
    if leg.extensions:
        last = leg.extensions[-1]
        until = last.data["until"]
        until = date.fromisoformat(until) if isinstance(until, str) else until
        basis = f"{basis}；经当事人同意延期至{until.isoformat()}（原期限{due.isoformat()}）"
        due, nominal, reason = until, until, None
    if pauses and pauses[-1][1] is None:
        basis += "；鉴定等期间计时中止中"
    state, closed = _closing(leg.end_on, leg.end_state, archived_on)
    return [Deadline(K.HANDLING, start, due, state, basis, nominal, reason, closed, leg.index)]


def _escalation(stay: _Stay, cal, settings, archived_on) -> list[Deadline]:
    days = settings.escalation_days.get(stay.level.value)
    if not days:
        return []
    end = days_after(stay.since, days, cal)
    state, closed = _closing(stay.end_on, stay.end_state, archived_on)
    basis = f"在{stay.level.label}层级{days}日未化解的，提示上报督办"
    return [Deadline(K.ESCALATION, stay.since, end.due, state, basis, end.nominal, end.reason,
                     closed, stay.leg)]


def _after_agreement(agreement, cal, settings, performed_on, follow_up_on, applied_on, archived_on):
    out = []
    signed = agreement.signed_on

    def state_of(done_on):
        if done_on is not None:
            return DeadlineState.MET, done_on
        if archived_on is not None:
            return DeadlineState.VOID, archived_on
        return DeadlineState.OPEN, None

    if agreement.form is AgreementForm.WRITTEN:
        end = days_after(signed, 30, cal)
        st, closed = state_of(applied_on)
        out.append(Deadline(K.JUDICIAL_CONFIRMATION, signed, end.due, st,
                            "协议生效之日起30日内共同申请司法确认（《人民调解法》第三十三条）",
                            end.nominal, end.reason, closed))
    if agreement.deadline is not None:
        st, closed = state_of(performed_on)
        # A date the parties fixed stays as written: no rest-day move.
        out.append(Deadline(K.PERFORMANCE, signed, agreement.deadline, st,
                            "协议约定的履行期限", agreement.deadline, None, closed))
    base = agreement.deadline or signed
    end = days_after(base, settings.follow_up_days, cal)
    st, closed = state_of(follow_up_on)
    what = "履行期限" if agreement.deadline else "协议达成"
    out.append(Deadline(K.FOLLOW_UP, base, end.due, st,
                        f"{what}后{settings.follow_up_days}日内回访（回访期限设置）",
                        end.nominal, end.reason, closed))
    return out


def check_extension(
    rule: HandlingRule, current_due: date, until: date, extensions_so_far: int, on: date
) -> None:
    """Refuse an extension the rule does not allow (ValidationError on ``until``)."""
    if until <= current_due:
        raise ValidationError("until", f"延期后的日期应晚于当前期限{current_due.isoformat()}")
    if until < on:
        raise ValidationError("until", "延期后的日期不能早于办理延期的日期")
    if rule.max_extensions is not None and extensions_so_far >= rule.max_extensions:
        raise ValidationError("until", f"该类调解只能延期{rule.max_extensions}次")
    if rule.max_extension_days is not None and (until - current_due).days > rule.max_extension_days:
        raise ValidationError("until", f"该类调解延期最长{rule.max_extension_days}日")


def nearest_open(deadlines: Iterable[Deadline]) -> Deadline | None:
    """The open deadline that falls due first."""
    open_ones = [d for d in deadlines if d.state is DeadlineState.OPEN]
    return min(open_ones, key=lambda d: d.due, default=None)
