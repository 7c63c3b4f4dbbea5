"""The statistics report (月报/季报/年报): pure aggregation of counts the services grouped in SQL.

The services run one ``GROUP BY`` per measure, per reporting unit (organisation), and hand the
result here as plain rows; ``aggregate`` folds them into per-unit figures and the total. Nothing
here counts single cases, so a year of 100,000 cases costs a few hundred rows.

What each figure means is written on ``Figures``; which cases feed each row is the services'
business (``mediator.services.reports.statistics``).
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, fields
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from mediator.domain.enums import (
    Category,
    Level,
    OrganizationKind,
    RiskFlag,
    Satisfaction,
    Source,
    Track,
)
from mediator.domain.errors import ValidationError

QUARTERS = ("第一季度", "第二季度", "第三季度", "第四季度")


def _month_end(year: int, month: int) -> date:
    first_next = date(year + month // 12, month % 12 + 1, 1)
    return first_next - timedelta(days=1)


@dataclass(frozen=True)
class Period:
    """The days a report covers, both ends included; ``kind`` names the official period."""

    date_from: date
    date_to: date
    kind: str = "custom"  # month | quarter | year | custom

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        return cls(date(year, month, 1), _month_end(year, month), "month")

    @classmethod
    def quarter(cls, year: int, quarter: int) -> Period:
        first = 3 * (quarter - 1) + 1
        return cls(date(year, first, 1), _month_end(year, first + 2), "quarter")

    @classmethod
    def year(cls, year: int) -> Period:
        return cls(date(year, 1, 1), date(year, 12, 31), "year")

    @classmethod
    def custom(cls, date_from: date, date_to: date) -> Period:
        """A period of any days; a month, quarter or year given by its dates keeps that name."""
        for candidate in (cls.month(date_from.year, date_from.month),
                          cls.quarter(date_from.year, (date_from.month - 1) // 3 + 1),
                          cls.year(date_from.year)):
            if (candidate.date_from, candidate.date_to) == (date_from, date_to):
                return candidate
        return cls(date_from, date_to, "custom")

    def check(self) -> Period:
        """The period itself; ValidationError when it ends before it starts."""
        if self.date_to < self.date_from:
            raise ValidationError("date_to", "结束日期不能早于开始日期")
        return self

    @property
    def label(self) -> str:
        """2026年11月 / 2026年第四季度 / 2026年度 / 2026年1月5日至2026年3月15日."""
        a, b = self.date_from, self.date_to
        if self.kind == "month":
            return f"{a.year}年{a.month}月"
        if self.kind == "quarter":
            return f"{a.year}年{QUARTERS[(a.month - 1) // 3]}"
        if self.kind == "year":
            return f"{a.year}年度"
        return f"{a.year}年{a.month}月{a.day}日至{b.year}年{b.month}月{b.day}日"

    @property
    def report_name(self) -> str:
        return {"month": "月报", "quarter": "季报", "year": "年报"}.get(self.kind, "统计表")


# --- the plain rows the services give -----------------------------------------------------------

@dataclass(frozen=True)
class Unit:
    """A reporting unit: an organisation (调委会, 司法所, 行政机关, 法庭)."""

    id: int
    name: str
    kind: str  # OrganizationKind code


@dataclass(frozen=True)
class ReceivedRow:
    """Cases received in the period, grouped by unit, source, category, track and level."""

    unit_id: int
    source: str
    category: str
    track: str
    level: str
    cases: int
    people: int = 0


@dataclass(frozen=True)
class AgreementRow:
    """Agreements reached in the period by form, with the amounts they involve (fen)."""

    unit_id: int
    form: str  # written | oral
    cases: int
    amount_fen: int = 0


@dataclass(frozen=True)
class FlaggedAgreementRow:
    """Agreements reached in the period on cases with these risk flags (comma-separated)."""

    unit_id: int
    flags: str
    cases: int
    people: int = 0


@dataclass(frozen=True)
class PreventionRow:
    """预防 records of screening rounds held in the period that prevented ``kind`` (``suicide``,
    ``criminal``, ``group_petition``, ``group_fight``), with the people they involve."""

    unit_id: int
    kind: str
    cases: int
    people: int = 0


# Counted measures that are neither receipts nor agreements.
MEASURES = ("failed", "withdrawn", "rejected", "performed", "performed_partial", "performed_none",
            "judicial_confirmation_applied", "judicial_confirmed",
            "screenings", "screening_found", "screening_prevented")


@dataclass(frozen=True)
class CountRow:
    """How many cases of a unit reached ``measure`` (one of ``MEASURES``) in the period."""

    unit_id: int
    measure: str
    cases: int


@dataclass(frozen=True)
class FollowUpRow:
    """Follow-up visits made in the period, by the satisfaction recorded (None: not asked)."""

    unit_id: int
    satisfaction: str | None
    visits: int


@dataclass(frozen=True)
class TransferRow:
    """Cases moved from one track to another (or to another organisation) in the period."""

    from_track: str
    to_track: str
    cases: int


# --- the figures ----------------------------------------------------------------------------------

def _zeros(members: Iterable[Any]) -> dict[str, int]:
    return {m.value: 0 for m in members}


def prevention_kinds(flags: str) -> list[str]:
    """What an agreement on a case with these risk flags prevented.

    民转刑 for ``criminal``; 群体性上访 for ``group`` with ``petition``; 群体性械斗 for ``group``
    without ``petition``. One case may count under 民转刑 and one of the group kinds.
    """
    codes = {f for f in flags.split(",") if f}
    kinds = []
    if RiskFlag.CRIMINAL.value in codes:
        kinds.append("criminal")
    if RiskFlag.GROUP.value in codes:
        kinds.append("group_petition" if RiskFlag.PETITION.value in codes else "group_fight")
    return kinds


@dataclass
class Figures:
    """The figures of one unit (or the total) for a period.

    received: cases received (registered) in the period; ``people_involved`` their people.
    by_source / by_category / by_track / by_level: those received cases, every code present.
    succeeded: agreements reached (调解成功) in the period = written + oral.
    failed / withdrawn / rejected: cases ended in the period without agreement (调解终止, 撤回,
        不予受理), each case counted once per measure.
    performed / performed_partial / performed_none: performance recorded in the period.
    judicial_confirmation_applied / judicial_confirmed: applications made, confirmations ruled.
    follow_ups: visits made; ``satisfaction`` by the answer recorded.
    prevented_*: agreements reached on cases flagged 民转刑, 群体性+涉访 (上访), 群体性 (械斗),
        plus the 预防 records of screening rounds flagged so (and 防止民间纠纷引起自杀, from those
        records only); ``*_people`` the people those cases and records involve.
    screenings: screening rounds held (排查次数); screening_found: the disputes they found,
        registered or headed off (排查发现纠纷数); screening_prevented: those headed off (预防纠纷数).
    """

    received: int = 0
    people_involved: int = 0
    by_source: dict[str, int] = field(default_factory=lambda: _zeros(Source))
    by_category: dict[str, int] = field(default_factory=lambda: _zeros(Category))
    by_track: dict[str, int] = field(default_factory=lambda: _zeros(Track))
    by_level: dict[str, int] = field(default_factory=lambda: _zeros(Level))
    agreements_written: int = 0
    agreements_oral: int = 0
    agreement_amount_fen: int = 0
    failed: int = 0
    withdrawn: int = 0
    rejected: int = 0
    performed: int = 0
    performed_partial: int = 0
    performed_none: int = 0
    judicial_confirmation_applied: int = 0
    judicial_confirmed: int = 0
    follow_ups: int = 0
    satisfaction: dict[str, int] = field(default_factory=lambda: _zeros(Satisfaction))
    prevented_criminal: int = 0
    prevented_criminal_people: int = 0
    prevented_group_petition: int = 0
    prevented_group_petition_people: int = 0
    prevented_group_fight: int = 0
    prevented_group_fight_people: int = 0
    prevented_suicide: int = 0
    prevented_suicide_people: int = 0
    screenings: int = 0
    screening_found: int = 0
    screening_prevented: int = 0

    @property
    def succeeded(self) -> int:
        return self.agreements_written + self.agreements_oral

    @property
    def concluded(self) -> int:
        """Mediations that ended in the period: with agreement, failed or withdrawn."""
        return self.succeeded + self.failed + self.withdrawn

    @property
    def success_rate(self) -> Decimal | None:
        """succeeded ÷ concluded, to four places; None when no mediation ended in the period."""
        if not self.concluded:
            return None
        return (Decimal(self.succeeded) / Decimal(self.concluded)).quantize(
            Decimal("0.0001"), rounding=ROUND_HALF_UP)

    @property
    def success_rate_text(self) -> str:
        rate = self.success_rate
        return "—" if rate is None else f"{(rate * 100).quantize(Decimal('0.1'))}%"

    @property
    def agreement_amount_yuan(self) -> Decimal:
        return (Decimal(self.agreement_amount_fen) / 100).quantize(Decimal("0.01"))

    def add(self, other: Figures) -> None:
        """Add another unit's figures to these (the total of several units)."""
        for f in fields(self):
            mine, theirs = getattr(self, f.name), getattr(other, f.name)
            if isinstance(mine, dict):
                for key, value in theirs.items():
                    mine[key] = mine.get(key, 0) + value
            else:
                setattr(self, f.name, mine + theirs)


@dataclass(frozen=True)
class UnitReport:
    unit: Unit
    figures: Figures


@dataclass(frozen=True)
class StatsReport:
    """A whole report: the period, whom it covers, each unit's figures and the total."""

    period: Period
    scope: str  # what the report covers, e.g. 城关镇 or 城关镇人民调解委员会
    units: list[UnitReport]
    total: Figures
    transfers: list[TransferRow]
    by_organization_kind: dict[str, int]  # cases received, by the kind of the receiving unit
    audit_anchor: str = ""  # the audit log's head (COUNT:HASH) as the report was made; "" unknown

    # The old PeriodReport's names, used by pages that show a period's counts.
    @property
    def date_from(self) -> date:
        return self.period.date_from

    @property
    def date_to(self) -> date:
        return self.period.date_to

    @property
    def received(self) -> int:
        return self.total.received

    @property
    def is_zero(self) -> bool:
        """Nothing happened in the period: the report is a 零上报."""
        return self.total == Figures() and not self.transfers


def aggregate(period: Period, scope: str, units: Iterable[Unit], *,
              received: Iterable[ReceivedRow] = (), agreements: Iterable[AgreementRow] = (),
              flagged: Iterable[FlaggedAgreementRow] = (), counts: Iterable[CountRow] = (),
              follow_ups: Iterable[FollowUpRow] = (),
              transfers: Iterable[TransferRow] = (),
              preventions: Iterable[PreventionRow] = ()) -> StatsReport:
    """Fold the grouped rows into one ``Figures`` per unit and their total.

    Every unit given appears, rows of units not given are kept under an unnamed unit, and a
    period without rows gives the zero report (零上报).
    """
    known = {u.id: u for u in units}
    figures: dict[int, Figures] = {uid: Figures() for uid in known}

    def of(unit_id: int) -> Figures:
        if unit_id not in figures:
            known[unit_id] = Unit(unit_id, "（未知单位）", "")
            figures[unit_id] = Figures()
        return figures[unit_id]

    for r in received:
        f = of(r.unit_id)
        f.received += r.cases
        f.people_involved += r.people
        for table, code in ((f.by_source, r.source), (f.by_category, r.category),
                            (f.by_track, r.track), (f.by_level, r.level)):
            table[code] = table.get(code, 0) + r.cases
    for a in agreements:
        f = of(a.unit_id)
        if a.form == "oral":
            f.agreements_oral += a.cases
        else:
            f.agreements_written += a.cases
        f.agreement_amount_fen += a.amount_fen
    for g in flagged:
        f = of(g.unit_id)
        for kind in prevention_kinds(g.flags):
            setattr(f, f"prevented_{kind}", getattr(f, f"prevented_{kind}") + g.cases)
            setattr(f, f"prevented_{kind}_people", getattr(f, f"prevented_{kind}_people") + g.people)
    for p in preventions:
        f = of(p.unit_id)
        setattr(f, f"prevented_{p.kind}", getattr(f, f"prevented_{p.kind}") + p.cases)
        setattr(f, f"prevented_{p.kind}_people", getattr(f, f"prevented_{p.kind}_people") + p.people)
    for c in counts:
        if c.measure not in MEASURES:
            raise ValueError(f"unknown measure {c.measure!r}")
        f = of(c.unit_id)
        setattr(f, c.measure, getattr(f, c.measure) + c.cases)
    for v in follow_ups:
        f = of(v.unit_id)
        f.follow_ups += v.visits
        if v.satisfaction:
            f.satisfaction[v.satisfaction] = f.satisfaction.get(v.satisfaction, 0) + v.visits

    total = Figures()
    by_kind = _zeros(OrganizationKind)
    ordered = sorted(known.values(), key=lambda u: (_kind_rank(u.kind), u.name, u.id))
    for u in ordered:
        total.add(figures[u.id])
        if u.kind in by_kind:
            by_kind[u.kind] += figures[u.id].received
    merged: dict[tuple[str, str], int] = {}
    for t in transfers:
        merged[(t.from_track, t.to_track)] = merged.get((t.from_track, t.to_track), 0) + t.cases
    return StatsReport(period, scope, [UnitReport(u, figures[u.id]) for u in ordered], total,
                       [TransferRow(a, b, n) for (a, b), n in sorted(merged.items())], by_kind)


def _kind_rank(kind: str) -> int:
    order = [k.value for k in OrganizationKind]
    return order.index(kind) if kind in order else len(order)


PREVENTION_LABELS = (("criminal", "防止民转刑"), ("group_petition", "防止群体性上访"),
                     ("group_fight", "防止群体性械斗"), ("suicide", "防止民间纠纷引起自杀"))
SCREENING_LABELS = (("screenings", "排查纠纷次数", "次"), ("screening_found", "排查发现纠纷数", "件"),
                    ("screening_prevented", "预防纠纷数", "件"))
