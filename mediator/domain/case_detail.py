"""One case in full as typed, read-only data: what the workspace shows and the documents print.

`services.cases.read.case_detail` builds it from the database; the document samples and tests build
it from plain data with `CaseDetail.from_json`; `as_json` is what `case show --json` prints. Dates
are `date` objects; money is the decimal text of yuan (``"1200.50"``), as the forms print it.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields, is_dataclass, replace
from datetime import date, datetime
from typing import Any


def _day(value: Any) -> date | None:
    if value is None or value == "" or isinstance(value, date):
        return value or None
    return date.fromisoformat(value)


def _iso(value: date | datetime | None) -> str | None:
    if value is None:
        return None
    return value.isoformat(timespec="seconds") if isinstance(value, datetime) else value.isoformat()


@dataclass(frozen=True)
class AgentDetail:
    """A party's agent (委托代理人)."""

    name: str
    phone: str | None = None
    relation: str | None = None


@dataclass(frozen=True)
class PartyDetail:
    """A party as read; 身份证号 and phone are masked for a role that may not see them."""

    role: str
    kind: str
    name: str
    id: int | None = None
    gender: str | None = None
    ethnicity: str | None = None
    birth_date: date | None = None
    id_number: str | None = None
    phone: str | None = None
    address: str | None = None
    occupation: str | None = None
    credit_code: str | None = None
    representative: str | None = None
    agent: AgentDetail | None = None

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> PartyDetail:
        agent = data.get("agent")
        values = {k: data.get(k) for k in _names(cls) if k in data and k not in ("agent", "birth_date")}
        return cls(**values, birth_date=_day(data.get("birth_date")),
                   agent=AgentDetail(agent["name"], agent.get("phone"), agent.get("relation")) if agent else None)


@dataclass(frozen=True)
class RiskDetail:
    level: str = "low"
    level_label: str = ""
    flags: tuple[str, ...] = ()


@dataclass(frozen=True)
class EarlierCaseRef:
    """An earlier case of the same parties this one is linked to."""

    id: int
    number: str
    reason: str


@dataclass(frozen=True)
class TimelineEntry:
    """One step on the case's timeline (全流程追踪)."""

    seq: int
    on: date
    action: str
    actor: str = ""
    note: str = ""
    at: datetime | None = None
    label: str = ""
    from_status: str | None = None
    to_status: str | None = None
    imported: bool = False
    data: Mapping[str, Any] = field(default_factory=dict)

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> TimelineEntry:
        values = {k: data[k] for k in _names(cls) if k in data and k not in ("on", "at")}
        at = data.get("at")
        return cls(**values, on=_day(data["on"]),
                   at=datetime.fromisoformat(at) if isinstance(at, str) else at)


@dataclass(frozen=True)
class DeadlineEntry:
    """A stored deadline of the case; ``state`` is ``overdue`` once an open one has passed."""

    kind: str
    label: str
    start: date
    due: date
    state: str
    nominal: date | None = None
    moved: bool = False
    moved_reason: str | None = None
    closed_on: date | None = None
    basis: str | None = None

    @property
    def running(self) -> bool:
        return self.state in ("open", "overdue")


@dataclass(frozen=True)
class SessionRecord:
    """An investigation (调查) or mediation session (调解) as recorded."""

    on: date
    kind: str
    id: int | None = None
    place: str | None = None
    participants: str | None = None
    record: str | None = None


@dataclass(frozen=True)
class AgreementDetail:
    """The signed agreement (written or oral)."""

    signed_on: date
    form: str = "written"
    facts: str = ""
    items: tuple[str, ...] = ()
    performance: str = ""
    deadline: date | None = None
    amount_yuan: str = "0.00"
    copies: int | None = None
    version: int = 1


@dataclass(frozen=True)
class SupplementRecord:
    """A 变更协议 (``kind`` change) or 补充协议 (supplement) signed after the agreement."""

    seq: int
    kind: str
    signed_on: date
    terms: tuple[str, ...] = ()
    reason: str = ""
    recorded_by: str = ""


@dataclass(frozen=True)
class PerformanceRecord:
    on: date
    result: str
    note: str = ""


@dataclass(frozen=True)
class FollowUpRecord:
    """A return visit (回访)."""

    on: date
    method: str | None = None
    performance: str | None = None
    satisfaction: str | None = None
    note: str = ""
    visitor: str = ""


@dataclass(frozen=True)
class ConfirmationDetail:
    """The application for judicial confirmation (司法确认) and the court's ruling."""

    applied_on: date
    court: str = ""
    result: str | None = None
    on: date | None = None  # the ruling's date


@dataclass(frozen=True)
class DraftText:
    """The text of one revision of a draft agreement (拟定协议): as stored, shown, sent for review and
    kept by the review as it was sent."""

    revision: int
    items: tuple[str, ...] = ()
    facts: str = ""
    performance: str = ""
    deadline: date | None = None
    amount_yuan: str = "0.00"
    copies: int | None = None

    def to_json(self) -> dict[str, Any]:
        return plain(self)

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> DraftText:
        return cls(int(data.get("revision") or 1), tuple(data.get("items") or ()), data.get("facts") or "",
                   data.get("performance") or "", _day(data.get("deadline")),
                   data.get("amount_yuan") or "0.00", data.get("copies"))


@dataclass(frozen=True)
class ReviewRecord:
    """An advisor review of the case, as the documents print it."""

    advisor: str
    requested_on: date
    result: str = "pending"
    requested_by: str = ""
    request_note: str = ""
    opinion: str = ""
    reviewed_on: date | None = None
    draft: DraftText | None = None  # the draft agreement sent with the request, if any

    @property
    def day(self) -> date:
        """The opinion's date, the request's while it is pending."""
        return self.reviewed_on or self.requested_on


@dataclass(frozen=True)
class CaseDetail:
    """Everything about one case, read once."""

    id: int
    number: str
    received_on: date
    track: str = "people"
    status: str = ""
    category: str = ""
    level: str = ""
    source: str = ""
    organization: str = ""
    village: str = ""
    summary: str = ""
    ref: str | None = None
    version: int = 1
    track_label: str = ""
    track_detail: str | None = None
    track_detail_label: str | None = None
    procedure: str | None = None
    status_label: str = ""
    level_label: str = ""
    source_label: str = ""
    category_label: str = ""
    village_code: str = ""
    grid: str | None = None
    accepted_on: date | None = None
    closed_on: date | None = None
    requests: str | None = None
    amount_yuan: str = "0.00"
    people_involved: int = 0
    risk: RiskDetail = RiskDetail()
    needs_supervision: bool = False
    mediators: tuple[str, ...] = ()
    parties: tuple[PartyDetail, ...] = ()
    earlier_cases: tuple[EarlierCaseRef, ...] = ()
    allowed_actions: tuple[str, ...] = ()
    timeline: tuple[TimelineEntry, ...] = ()
    deadlines: tuple[DeadlineEntry, ...] = ()
    sessions: tuple[SessionRecord, ...] = ()
    agreement: AgreementDetail | None = None
    supplements: tuple[SupplementRecord, ...] = ()  # 变更/补充协议, in order
    performance: tuple[PerformanceRecord, ...] = ()
    follow_ups: tuple[FollowUpRecord, ...] = ()
    judicial_confirmation: ConfirmationDetail | None = None
    advisor_reviews: tuple[ReviewRecord, ...] = ()  # read for the documents only (document_detail)

    def last_event(self, *actions: str) -> TimelineEntry | None:
        """The latest timeline step of one of these actions."""
        found = [e for e in self.timeline if e.action in actions]
        return found[-1] if found else None

    def running_deadlines(self) -> list[DeadlineEntry]:
        return [d for d in self.deadlines if d.running]

    def with_changes(self, **changes: Any) -> CaseDetail:
        return replace(self, **changes)

    def as_json(self) -> dict[str, Any]:
        """Plain data, the shape `case show --json` prints (the reviews are the documents' own)."""
        return {k: v for k, v in plain(self).items() if k != "advisor_reviews"}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> CaseDetail:
        """Read the plain data of `as_json` (or a partial sample of it) back."""
        nested = {"risk", "parties", "earlier_cases", "timeline", "deadlines", "sessions", "agreement",
                  "supplements", "performance", "follow_ups", "judicial_confirmation", "advisor_reviews",
                  "mediators", "allowed_actions", "received_on", "accepted_on", "closed_on"}
        values = {k: data[k] for k in _names(cls) if k in data and k not in nested}
        risk = data.get("risk") or {}
        agreement = data.get("agreement")
        confirmation = data.get("judicial_confirmation")
        return cls(
            **values, received_on=_day(data["received_on"]), accepted_on=_day(data.get("accepted_on")),
            closed_on=_day(data.get("closed_on")),
            risk=RiskDetail(risk.get("level", "low"), risk.get("level_label", ""), tuple(risk.get("flags", ()))),
            mediators=tuple(data.get("mediators") or ()), allowed_actions=tuple(data.get("allowed_actions") or ()),
            parties=tuple(PartyDetail.from_json(p) for p in data.get("parties") or ()),
            earlier_cases=tuple(EarlierCaseRef(**c) for c in data.get("earlier_cases") or ()),
            timeline=tuple(TimelineEntry.from_json(e) for e in data.get("timeline") or ()),
            deadlines=tuple(_dated(DeadlineEntry, d) for d in data.get("deadlines") or ()),
            sessions=tuple(_dated(SessionRecord, s) for s in data.get("sessions") or ()),
            agreement=None if not agreement else _dated(AgreementDetail, {
                **agreement, "items": tuple(agreement.get("items") or ())}),
            supplements=tuple(_dated(SupplementRecord, {**s, "terms": tuple(s.get("terms") or ())})
                              for s in data.get("supplements") or ()),
            performance=tuple(_dated(PerformanceRecord, p) for p in data.get("performance") or ()),
            follow_ups=tuple(_dated(FollowUpRecord, v) for v in data.get("follow_ups") or ()),
            judicial_confirmation=_dated(ConfirmationDetail, confirmation) if confirmation else None,
            advisor_reviews=tuple(_review(r) for r in data.get("advisor_reviews") or ()),
        )


def _review(data: Mapping[str, Any]) -> ReviewRecord:
    draft = data.get("draft")
    record = _dated(ReviewRecord, {k: v for k, v in data.items() if k != "draft"})
    return replace(record, draft=DraftText.from_json(draft)) if draft else record


def plain(value: Any) -> Any:
    """A record as JSON keeps it: dataclasses as dicts, dates as ISO text, tuples as lists."""
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, (date, datetime)):
        return _iso(value)
    if isinstance(value, (tuple, list)):
        return [plain(v) for v in value]
    if isinstance(value, Mapping):
        return {k: plain(v) for k, v in value.items()}
    return value


def _names(cls: type) -> list[str]:
    return [f.name for f in fields(cls)]


_DATE_FIELDS = {"on", "start", "due", "nominal", "closed_on", "signed_on", "deadline", "applied_on",
                "requested_on", "reviewed_on"}


def _dated(cls: type, data: Mapping[str, Any]) -> Any:
    """A record of ``cls`` from plain data, its ISO dates read as dates and unknown keys left out."""
    names = set(_names(cls))
    return cls(**{k: _day(v) if k in _DATE_FIELDS else v for k, v in data.items() if k in names})
