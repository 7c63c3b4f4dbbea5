"""Read models of the overview pages: workbench, reminders, advisors, reports, forms and system."""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlmodel import func, select

from mediator.domain.enums import (
    AdvisorKind,
    CaseStatus,
    Category,
    RegionLevel,
    Source,
    Track,
)
from mediator.domain.errors import ValidationError, ValidationErrors
from mediator.domain.lifecycle import Action
from mediator.services.safety.auth import Role
from mediator.services.context import ServiceContext
from mediator.services.cases.read import open_deadlines
from mediator.services.settings import set_setting
from mediator.store import migrate
from mediator.store.models import (
    Advisor,
    AdvisorAppointment,
    Case,
    CaseParty,
    Organization,
    Region,
    TimelineEvent,
    User,
)
from mediator.services.access import case_condition, restrict_cases
from mediator.services.permissions import Permission, requires

# --- workbench and reminders ------------------------------------------------------------------


@dataclass(frozen=True)
class StatusCount:
    status: CaseStatus
    count: int


@requires(Permission.CASE_READ)
def status_counts(ctx: ServiceContext) -> list[StatusCount]:
    """How many cases are in each status (every status, zeros included)."""
    with ctx.read() as session:
        found = dict(session.exec(restrict_cases(ctx, select(Case.status, func.count()))
                                  .group_by(Case.status)).all())
    return [StatusCount(s, found.get(s.value, 0)) for s in CaseStatus]


BUCKETS = {"overdue": "逾期", "today": "今天", "week": "本周", "later": "以后"}


def deadline_bucket(due: date, on: date) -> str:
    """逾期 / 今天 / 本周 (the rest of the calendar week, Monday to Sunday) / 以后."""
    if due < on:
        return "overdue"
    if due == on:
        return "today"
    if due <= on + timedelta(days=6 - on.weekday()):
        return "week"
    return "later"


@dataclass(frozen=True)
class DeadlineRow:
    """An open deadline of a case, as the reminder lists show it."""

    case_id: int
    number: str
    kind: str
    label: str
    due: date
    days_left: int  # negative: days overdue
    status_label: str
    organization: str
    parties: str

    @property
    def overdue(self) -> bool:
        return self.days_left < 0

    def bucket(self, on: date) -> str:
        return deadline_bucket(self.due, on)

    @property
    def days_text(self) -> str:
        if self.days_left < 0:
            return f"逾期{-self.days_left}天"
        if self.days_left == 0:
            return "今天到期"
        return f"还有{self.days_left}天"


@requires(Permission.CASE_READ)
def deadline_rows(ctx: ServiceContext, on: date, *, organization_id: int | None = None,
                  kinds: list[str] | None = None) -> list[DeadlineRow]:
    """Open deadlines on ``on`` (``queries.open_deadlines``) with their case's status and parties."""
    raw = open_deadlines(ctx, on, kinds=kinds)
    ids = sorted({r["case_id"] for r in raw})
    cases: dict[int, tuple[str, str, int]] = {}
    names: dict[int, list[str]] = {}
    if ids:
        with ctx.read() as session:
            for case_id, status, org_name, org_id in session.exec(
                    select(Case.id, Case.status, Organization.name, Organization.id)
                    .join(Organization, Organization.id == Case.organization_id)
                    .where(Case.id.in_(ids))):
                cases[case_id] = (status, org_name, org_id)
            for case_id, name in session.exec(select(CaseParty.case_id, CaseParty.name)
                                              .where(CaseParty.case_id.in_(ids))
                                              .order_by(CaseParty.case_id, CaseParty.seq)):
                names.setdefault(case_id, []).append(name)
    rows = []
    for r in raw:
        status, org_name, org_id = cases[r["case_id"]]
        if organization_id is not None and org_id != organization_id:
            continue
        due = date.fromisoformat(r["due"])
        rows.append(DeadlineRow(r["case_id"], r["number"], r["kind"], r["label"], due,
                                (due - on).days, CaseStatus(status).label, org_name,
                                "、".join(names.get(r["case_id"], []))))
    return rows


# --- advisors ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class AppointmentRow:
    village: str
    village_code: str | None
    start: date
    end: date
    legal_deputy: bool

    def state(self, on: date) -> str:
        if on < self.start:
            return "未开始"
        if on > self.end:
            return "已届满"
        return "在聘"


@dataclass(frozen=True)
class AdvisorRow:
    id: int
    name: str
    kind_label: str
    firm: str
    license_no: str | None
    phone: str | None
    active: bool
    appointments: list[AppointmentRow]


@dataclass(frozen=True)
class VillageRow:
    id: int
    code: str | None
    name: str
    township: str


@requires(Permission.REPORT)
def advisors_overview(ctx: ServiceContext) -> list[AdvisorRow]:
    """Every advisor with their appointments (village, from, to), newest first."""
    with ctx.read() as session:
        advisors = list(session.exec(select(Advisor).order_by(Advisor.name, Advisor.id)))
        by_advisor: dict[int, list[AppointmentRow]] = {}
        for a, name, code in session.exec(
                select(AdvisorAppointment, Region.name, Region.code)
                .join(Region, Region.id == AdvisorAppointment.village_id)
                .order_by(AdvisorAppointment.start.desc(), Region.code)):
            by_advisor.setdefault(a.advisor_id, []).append(
                AppointmentRow(name, code, a.start, a.end, a.legal_deputy))
    return [AdvisorRow(a.id, a.name, AdvisorKind(a.kind).label, a.firm, a.license_no, a.phone,
                       a.active, by_advisor.get(a.id, [])) for a in advisors]


@requires(Permission.REPORT)
def villages_without_advisor(ctx: ServiceContext, on: date) -> list[VillageRow]:
    """Active villages and communities with no appointment running on ``on``."""
    with ctx.read() as session:
        covered = (select(AdvisorAppointment.village_id)
                   .join(Advisor, Advisor.id == AdvisorAppointment.advisor_id)
                   .where(AdvisorAppointment.start <= on, AdvisorAppointment.end >= on,
                          Advisor.active == True))  # noqa: E712
        villages = list(session.exec(
            select(Region).where(Region.level == RegionLevel.VILLAGE.value,
                                 Region.active == True,  # noqa: E712
                                 Region.id.not_in(covered))
            .order_by(Region.code, Region.name)))
        parents = {r.id: r.name for r in session.exec(
            select(Region).where(Region.id.in_({v.parent_id for v in villages if v.parent_id})))}
    return [VillageRow(v.id, v.code, v.name, parents.get(v.parent_id, "")) for v in villages]


# --- reports ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class PeriodReport:
    """Counts for a period: cases received (by source, category, track) and outcomes reached."""

    date_from: date
    date_to: date
    received: int
    by_source: list[tuple[str, int]]  # (label, count), every source
    by_category: list[tuple[str, int]]
    by_track: list[tuple[str, int]]
    agreed: int
    failed: int
    withdrawn: int

    @property
    def concluded(self) -> int:
        return self.agreed + self.failed + self.withdrawn

    @property
    def success_rate(self) -> float | None:
        """agreed / (agreed + failed + withdrawn); None when nothing was concluded."""
        return self.agreed / self.concluded if self.concluded else None

    @property
    def success_rate_text(self) -> str:
        rate = self.success_rate
        return "—" if rate is None else f"{rate * 100:.1f}%"


@requires(Permission.REPORT)
def period_report(ctx: ServiceContext, date_from: date, date_to: date) -> PeriodReport:
    """Cases received in the period (by received date) and outcomes recorded in it (by event date)."""
    if date_to < date_from:
        raise ValidationError("date_to", "结束日期不能早于开始日期")
    in_period = (Case.received_on >= date_from, Case.received_on <= date_to)
    visible = case_condition(ctx)
    if visible is not None:  # the user's case scope
        in_period += (visible,)
    with ctx.read() as session:
        def grouped(column) -> dict[str, int]:  # noqa: ANN001
            return dict(session.exec(select(column, func.count()).where(*in_period)
                                     .group_by(column)).all())

        sources, categories, tracks = grouped(Case.source), grouped(Case.category), grouped(Case.track)
        outcomes = dict(session.exec(
            select(TimelineEvent.action, func.count())
            .where(TimelineEvent.action.in_([Action.AGREE.value, Action.FAIL.value,
                                             Action.WITHDRAW.value]),
                   TimelineEvent.on >= date_from, TimelineEvent.on <= date_to,
                   *(() if visible is None else
                     (TimelineEvent.case_id.in_(select(Case.id).where(visible)),)))
            .group_by(TimelineEvent.action)).all())
    return PeriodReport(
        date_from, date_to, sum(sources.values()),
        [(s.label, sources.get(s.value, 0)) for s in Source],
        [(c.label, categories.get(c.value, 0)) for c in Category],
        [(t.label, tracks.get(t.value, 0)) for t in Track],
        outcomes.get(Action.AGREE.value, 0), outcomes.get(Action.FAIL.value, 0),
        outcomes.get(Action.WITHDRAW.value, 0))


# --- documents --------------------------------------------------------------------------------

# The official forms of DOMAIN.md (《人民调解文书格式》), in the order of the dossier.
OFFICIAL_FORMS: list[tuple[str, str]] = [
    ("application", "人民调解申请书"),
    ("registration", "人民调解受理登记表"),
    ("rights_notice", "人民调解当事人权利义务告知书"),
    ("investigation", "人民调解调查记录"),
    ("session", "人民调解记录"),
    ("agreement", "人民调解协议书"),
    ("oral_agreement", "人民调解口头协议登记表"),
    ("follow_up", "人民调解回访记录"),
    ("judicial_confirmation", "司法确认申请书"),
    ("termination", "终止调解告知书"),
    ("rejection", "不予受理告知书"),
    ("advisor_review", "法律顾问审查意见书"),
    ("dossier", "卷宗"),
]


def official_forms() -> list[tuple[str, str]]:
    return list(OFFICIAL_FORMS)


# --- system -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class SchemaInfo:
    current: str | None
    head: str

    @property
    def is_current(self) -> bool:
        return self.current == self.head


def schema_info(ctx: ServiceContext) -> SchemaInfo:
    """The database's schema revision and the newest one this program knows."""
    return SchemaInfo(migrate.current_revision(ctx.db), migrate.head_revision())


@dataclass(frozen=True)
class UserRow:
    id: int
    username: str
    display_name: str
    role_label: str
    organization: str
    active: bool


@requires(Permission.ACCOUNTS)
def user_rows(ctx: ServiceContext) -> list[UserRow]:
    with ctx.read() as session:
        orgs = dict(session.exec(select(Organization.id, Organization.name)).all())
        users = list(session.exec(select(User).order_by(User.id)))
    return [UserRow(u.id, u.username, u.display_name, Role(u.role).label,
                    orgs.get(u.organization_id, "") if u.organization_id else "", u.active)
            for u in users]


@dataclass(frozen=True)
class HolidayYear:
    year: int
    known: bool  # False: no holiday data, periods count weekends only
    source: str | None  # the State Council notice the data comes from


def holiday_years(ctx: ServiceContext, on: date) -> list[HolidayYear]:
    """The years with holiday data, and the current and next year whether known or not."""
    calendar = ctx.calendar
    years = set(calendar.years) | {on.year, on.year + 1}
    return [HolidayYear(y, calendar.has_data_for(y), calendar.source(y)) for y in sorted(years)]


# Settings that feed the deadline engine, and the DeadlineSettings field each one sets.
_DEADLINE_FIELDS = {
    "deadlines.follow_up_days": "follow_up_days",
    "deadlines.default_handling_days": "default_handling_days",
    "deadlines.warn_days": "warn_days",
}
_ESCALATION_FIELDS = {
    "deadlines.escalation_grid_days": "grid",
    "deadlines.escalation_village_days": "village",
    "deadlines.escalation_township_days": "township",
}


@requires(Permission.SETTINGS_EDIT)
def save_settings(ctx: ServiceContext, values: dict[str, Any]) -> None:
    """Store several office settings in one transaction; every invalid one is reported.

    The deadline settings also take effect in this context at once.
    """
    errors: list[ValidationError] = []
    with ctx.transaction():
        for key, value in values.items():
            try:
                set_setting(ctx, key, value)
            except ValidationError as e:
                errors.append(e)
        if errors:
            raise ValidationErrors(errors)
    apply_deadline_settings(ctx, values)


def apply_deadline_settings(ctx: ServiceContext, values: dict[str, Any]) -> None:
    """Copy stored deadline settings into ``ctx.deadline_settings`` (used by the engine)."""
    current = ctx.deadline_settings
    changes = {field: values[key] for key, field in _DEADLINE_FIELDS.items() if key in values}
    escalation = dict(current.escalation_days)
    escalation.update({level: values[key] for key, level in _ESCALATION_FIELDS.items()
                       if key in values})
    ctx.deadline_settings = dataclasses.replace(current, escalation_days=escalation, **changes)


__all__ = ["BUCKETS", "AdvisorRow", "AppointmentRow", "DeadlineRow", "HolidayYear", "PeriodReport",
           "SchemaInfo", "StatusCount", "UserRow", "VillageRow", "advisors_overview",
           "apply_deadline_settings", "deadline_bucket", "deadline_rows", "holiday_years",
           "official_forms", "period_report", "save_settings", "schema_info", "status_counts",
           "user_rows", "villages_without_advisor"]
