"""The advisor's service ledger (法律顾问服务台账) and the yearly summary.

Ledger lines come from three sources: ``manual`` entries, ``review`` entries written when an
advisor decides a review, and ``mediation`` lines derived from the mediation records that name
the advisor among the participants (a session in a village they served that day).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, select

from mediator.domain.enums import AdvisorKind, LedgerKind, ReviewResult
from mediator.domain.errors import (
    ConflictError,
    NotFoundError,
    PermissionDenied,
    ValidationError,
    ValidationErrors,
)
from mediator.services.access import advisor_scope_of
from mediator.services.advisors.appointments import require_village
from mediator.services.changes import OpChanges, OpChangesWithId
from mediator.services.context import ServiceContext
from mediator.services.permissions import Permission, requires
from mediator.services.settings import get_setting
from mediator.store.models import (
    Advisor,
    AdvisorAppointment,
    AdvisorReview,
    Case,
    LedgerEntry,
    MediationSession,
    Region,
)

SOURCES = {"manual": "手工登记", "review": "案件审查", "mediation": "参与调解"}
MAX_HOURS = Decimal(24)


@dataclass
class LedgerInput:
    """One service given: date, village, kind, content, people served, hours, on site or not."""

    advisor_id: int
    on: date
    kind: LedgerKind
    content: str
    village_code: str | None = None
    people_served: int = 0
    hours: Decimal | str | int = "0"
    on_site: bool = False


def _minutes(hours: Decimal | str | int, errors: list[ValidationError]) -> int:
    try:
        value = Decimal(str(hours).strip() or "0")
    except InvalidOperation:
        errors.append(ValidationError("hours", "服务时长应为数字（小时），如 1.5"))
        return 0
    if not value.is_finite() or value < 0 or value > MAX_HOURS:
        errors.append(ValidationError("hours", "服务时长应在0至24小时之间"))
        return 0
    return int((value * 60).to_integral_value(ROUND_HALF_UP))


def _checked(ctx: ServiceContext, session: Session, data: LedgerInput) -> dict[str, Any]:
    errors: list[ValidationError] = []
    advisor = session.get(Advisor, data.advisor_id)
    if advisor is None:
        raise ValidationError("advisor_id", f"法律顾问（编号{data.advisor_id}）不存在")
    scope = advisor_scope_of(ctx)
    if scope is not None and scope.advisor_id != advisor.id:
        raise PermissionDenied("法律顾问只能登记本人的服务台账")
    if data.on > ctx.today():
        errors.append(ValidationError("on", "服务日期不能晚于今天"))
    if not isinstance(data.kind, LedgerKind):
        errors.append(ValidationError("kind", "请选择服务类别"))
    content = (data.content or "").strip()
    if not content:
        errors.append(ValidationError("content", "请填写服务内容"))
    people = data.people_served
    if isinstance(people, bool) or not isinstance(people, int) or people < 0:
        errors.append(ValidationError("people_served", "服务人次应为非负整数"))
    minutes = _minutes(data.hours, errors)
    village_id = None
    if data.village_code:
        try:
            village = require_village(session, data.village_code)
        except ValidationError as e:
            errors.append(e)
        else:
            village_id = village.id
            served = session.exec(select(AdvisorAppointment.id).where(
                AdvisorAppointment.advisor_id == advisor.id, AdvisorAppointment.village_id == village.id,
                AdvisorAppointment.start <= data.on, AdvisorAppointment.end >= data.on)).first()
            if served is None:
                errors.append(ValidationError("village_code",
                                              f"{advisor.name}在{data.on.isoformat()}未受聘于{village.name}"))
    elif data.on_site:
        errors.append(ValidationError("village_code", "到村服务须填写村（社区）"))
    if errors:
        raise ValidationErrors(errors)
    return {"advisor_id": advisor.id, "village_id": village_id, "on": data.on, "kind": data.kind.value,
            "content": content, "people_served": people, "minutes": minutes, "on_site": bool(data.on_site)}


LEDGER = OpChanges(reminders=True)


@requires(Permission.ADVISOR_LEDGER)
def add_ledger_entry(ctx: ServiceContext, data: LedgerInput) -> OpChangesWithId:
    """Record one service by hand; returns the entry's id with the change."""
    with ctx.transaction() as session:
        entry = LedgerEntry(**_checked(ctx, session, data), source="manual", created_at=ctx.now())
        session.add(entry)
        session.flush()
        return OpChangesWithId(reminders=True, id=entry.id)  # the visit minimum is a reminder


def _manual_entry(ctx: ServiceContext, session: Session, entry_id: int) -> LedgerEntry:
    entry = session.get(LedgerEntry, entry_id)
    if entry is None:
        raise NotFoundError(f"台账记录（编号{entry_id}）不存在")
    scope = advisor_scope_of(ctx)
    if scope is not None and scope.advisor_id != entry.advisor_id:
        raise PermissionDenied("法律顾问只能修改本人的服务台账")
    if entry.source != "manual":
        raise ValidationError("source", "审查和调解自动生成的台账记录不能修改或删除")
    return entry


@requires(Permission.ADVISOR_LEDGER)
def update_ledger_entry(ctx: ServiceContext, entry_id: int, data: LedgerInput, *,
                        expected_version: int | None = None) -> OpChanges:
    """Correct a hand-made entry."""
    with ctx.transaction() as session:
        entry = _manual_entry(ctx, session, entry_id)
        if expected_version is not None and entry.version != expected_version:
            raise ConflictError("该台账记录已被他人修改，请刷新后再操作")
        for key, value in _checked(ctx, session, data).items():
            setattr(entry, key, value)
        entry.version += 1
        session.add(entry)
    return LEDGER


@requires(Permission.ADVISOR_LEDGER)
def delete_ledger_entry(ctx: ServiceContext, entry_id: int) -> OpChanges:
    with ctx.transaction() as session:
        session.delete(_manual_entry(ctx, session, entry_id))
    return LEDGER


# --- reading ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class LedgerRow:
    id: int | None  # None: a line derived from a mediation record
    advisor_id: int
    advisor: str
    village_id: int | None
    village: str
    on: date
    kind: str
    content: str
    people_served: int
    minutes: int
    on_site: bool
    case_id: int | None
    case_number: str
    source: str
    version: int = 1

    @property
    def kind_label(self) -> str:
        return LedgerKind(self.kind).label

    @property
    def source_label(self) -> str:
        return SOURCES.get(self.source, self.source)

    @property
    def hours(self) -> Decimal:
        return (Decimal(self.minutes) / 60).quantize(Decimal("0.1"), ROUND_HALF_UP)


def _names(session: Session, model: Any, ids: set[Any], column: Any) -> dict[int, str]:
    ids = {i for i in ids if i is not None}
    if not ids:
        return {}
    return dict(session.exec(select(model.id, column).where(model.id.in_(ids))).all())


def _mediation_rows(session: Session, advisor_id: int | None, date_from: date,
                    date_to: date) -> list[LedgerRow]:
    stmt = select(AdvisorAppointment, Advisor).join(Advisor, Advisor.id == AdvisorAppointment.advisor_id).where(
        AdvisorAppointment.start <= date_to, AdvisorAppointment.end >= date_from)
    if advisor_id is not None:
        stmt = stmt.where(AdvisorAppointment.advisor_id == advisor_id)
    terms = list(session.exec(stmt))
    if not terms:
        return []
    names = {adv.name for _, adv in terms}
    sessions = session.exec(
        select(MediationSession, Case.village_id, Case.number)
        .join(Case, Case.id == MediationSession.case_id)
        .where(MediationSession.on >= date_from, MediationSession.on <= date_to,
               Case.village_id.in_({a.village_id for a, _ in terms}),
               sa.or_(*[MediationSession.participants.like(f"%{n}%") for n in names])))
    villages = _names(session, Region, {a.village_id for a, _ in terms}, Region.name)
    out = []
    for s, village_id, number in sessions:
        for a, adv in terms:
            if a.village_id == village_id and a.start <= s.on <= a.end and adv.name in s.participants:
                out.append(LedgerRow(None, adv.id, adv.name, village_id, villages.get(village_id, ""), s.on,
                                     LedgerKind.MEDIATION.value, f"参与调解案件{number}（{s.place or '调解记录'}）",
                                     0, 0, True, s.case_id, number, "mediation"))
    return out


@requires(Permission.CASE_READ)  # reading: the reminder scan and every role's page
def ledger_rows(ctx: ServiceContext, *, advisor_id: int | None = None, date_from: date | None = None,
                date_to: date | None = None) -> list[LedgerRow]:
    """The ledger, newest first; an advisor always reads only their own lines."""
    scope = advisor_scope_of(ctx)
    if scope is not None:
        if scope.advisor_id is None:
            return []
        advisor_id = scope.advisor_id
    date_from, date_to = date_from or date(1900, 1, 1), date_to or date(9999, 12, 31)
    with ctx.read() as session:
        stmt = select(LedgerEntry).where(LedgerEntry.on >= date_from, LedgerEntry.on <= date_to)
        if advisor_id is not None:
            stmt = stmt.where(LedgerEntry.advisor_id == advisor_id)
        entries = list(session.exec(stmt))
        advisors = _names(session, Advisor, {e.advisor_id for e in entries}, Advisor.name)
        villages = _names(session, Region, {e.village_id for e in entries}, Region.name)
        numbers = _names(session, Case, {e.case_id for e in entries}, Case.number)
        rows = [LedgerRow(e.id, e.advisor_id, advisors.get(e.advisor_id, ""), e.village_id,
                          villages.get(e.village_id, ""), e.on, e.kind, e.content, e.people_served,
                          e.minutes, e.on_site, e.case_id, numbers.get(e.case_id, ""), e.source, e.version)
                for e in entries]
        rows += _mediation_rows(session, advisor_id, date_from, date_to)
    rows.sort(key=lambda r: (r.on, r.id or 0), reverse=True)
    return rows


# --- the yearly summary ------------------------------------------------------------------------


@dataclass(frozen=True)
class AdvisorYear:
    """One advisor's year, for the office's evaluation."""

    advisor_id: int
    name: str
    kind_label: str
    firm: str
    year: int
    villages: list[str]
    by_kind: dict[str, int] = field(default_factory=dict)  # LedgerKind code -> services
    services: int = 0
    minutes: int = 0
    on_site_minutes: int = 0
    people_served: int = 0
    reviews: int = 0
    approved: int = 0
    disapproved: int = 0  # 不同意 (and the 退回修改 of earlier versions)
    pending: int = 0
    average_turnaround_days: Decimal | None = None  # request to opinion, decided reviews
    visit_months_met: int = 0  # (village, month) pairs meeting the monthly minimum
    visit_months: int = 0  # (village, month) pairs served

    @property
    def hours(self) -> Decimal:
        return (Decimal(self.minutes) / 60).quantize(Decimal("0.1"), ROUND_HALF_UP)

    @property
    def on_site_hours(self) -> Decimal:
        return (Decimal(self.on_site_minutes) / 60).quantize(Decimal("0.1"), ROUND_HALF_UP)


def visit_minimum(ctx: ServiceContext) -> tuple[int, int]:
    return int(get_setting(ctx, "advisors.monthly_visits")), int(get_setting(ctx, "advisors.monthly_on_site_hours"))


def _months(start: date, end: date) -> list[tuple[int, int]]:
    out, y, m = [], start.year, start.month
    while (y, m) <= (end.year, end.month):
        out.append((y, m))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


@requires(Permission.CASE_READ)  # reading: the reminder scan and every role's page
def yearly_summary(ctx: ServiceContext, year: int, *, advisor_id: int | None = None) -> list[AdvisorYear]:
    """Services by kind, villages served, reviews and their average turnaround, per advisor."""
    first, last = date(year, 1, 1), date(year, 12, 31)
    rows = ledger_rows(ctx, advisor_id=advisor_id, date_from=first, date_to=last)
    scope = advisor_scope_of(ctx)
    if scope is not None:
        advisor_id = scope.advisor_id if scope.advisor_id is not None else -1
    visits, hours = visit_minimum(ctx)
    with ctx.read() as session:
        stmt = select(Advisor).order_by(Advisor.name, Advisor.id)
        if advisor_id is not None:
            stmt = stmt.where(Advisor.id == advisor_id)
        advisors = list(session.exec(stmt))
        terms = list(session.exec(select(AdvisorAppointment, Region.name)
                                  .join(Region, Region.id == AdvisorAppointment.village_id)
                                  .where(AdvisorAppointment.start <= last, AdvisorAppointment.end >= first)
                                  .order_by(Region.code)))
        reviews = list(session.exec(select(AdvisorReview).where(AdvisorReview.requested_on >= first,
                                                                AdvisorReview.requested_on <= last)))
    out = []
    for adv in advisors:
        mine = [r for r in rows if r.advisor_id == adv.id]
        my_terms = [(a, name) for a, name in terms if a.advisor_id == adv.id]
        if not mine and not my_terms and not adv.active:
            continue
        by_kind = {k.value: 0 for k in LedgerKind}
        for r in mine:
            by_kind[r.kind] = by_kind.get(r.kind, 0) + 1
        my_reviews = [r for r in reviews if r.advisor_id == adv.id]
        decided = [r for r in my_reviews if r.reviewed_on is not None]
        average = None
        if decided:
            total = sum((r.reviewed_on - r.requested_on).days for r in decided)
            average = (Decimal(total) / len(decided)).quantize(Decimal("0.1"), ROUND_HALF_UP)
        met = served = 0
        for a, _ in my_terms:
            for y, m in _months(max(a.start, first), min(a.end, last)):
                if date(y, m, 1) > ctx.today():
                    continue
                served += 1
                on_site = [r for r in mine if r.on_site and r.village_id == a.village_id
                           and (r.on.year, r.on.month) == (y, m)]
                if len(on_site) >= visits and sum(r.minutes for r in on_site) >= hours * 60:
                    met += 1
        out.append(AdvisorYear(
            adv.id, adv.name, AdvisorKind(adv.kind).label, adv.firm, year,
            list(dict.fromkeys(name for _, name in my_terms)), by_kind, len(mine),
            sum(r.minutes for r in mine), sum(r.minutes for r in mine if r.on_site),
            sum(r.people_served for r in mine), len(my_reviews),
            sum(ReviewResult(r.result).approves for r in my_reviews),
            sum(r.result in (ReviewResult.DISAPPROVED.value, ReviewResult.RETURNED.value) for r in my_reviews),
            sum(r.result == ReviewResult.PENDING.value for r in my_reviews), average, met, served))
    return out


__all__ = ["SOURCES", "AdvisorYear", "LedgerInput", "LedgerRow", "add_ledger_entry",
           "delete_ledger_entry", "ledger_rows", "update_ledger_entry", "yearly_summary"]
