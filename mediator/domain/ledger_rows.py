"""One row of an old Excel 台账 read through a column mapping: the case it describes
(``LedgerCase``) and every problem found in it (``LedgerProblem``), with the row number as Excel
shows it and the header of the column. Pure: the database checks come later (services).
"""
from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from mediator.domain.enums import (
    Category,
    FollowUpMethod,
    Gender,
    PartyKind,
    PartyRole,
    PerformanceResult,
    Satisfaction,
)
from mediator.domain.errors import ValidationError
from mediator.domain.ledger_columns import LedgerField
from mediator.domain.ledger_values import (
    Outcome,
    cell_text,
    is_blank,
    looks_like_organization,
    parse_amount,
    parse_category,
    parse_date,
    parse_follow_up,
    parse_gender,
    parse_outcome,
    parse_performance,
    split_codes,
    split_names,
)
from mediator.domain.validators import validate_id_number, validate_phone

REF_PREFIX = "台账:"


@dataclass(frozen=True)
class LedgerProblem:
    """Something wrong in a row: ``warning`` ones are imported anyway, the others skip the row."""

    row: int  # as Excel shows it (1-based, title and header rows counted)
    column: str  # the column's header ("" for the row as a whole)
    message: str
    warning: bool = False

    def as_json(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "message": self.message,
                "warning": self.warning}

    def line(self) -> str:
        where = f"第{self.row}行" + (f"「{self.column}」" if self.column else "")
        return f"{where}：{self.message}" + ("（仍导入）" if self.warning else "")


@dataclass
class LedgerParty:
    role: PartyRole
    kind: PartyKind
    name: str
    gender: Gender | None = None
    id_number: str | None = None
    phone: str | None = None
    address: str | None = None


@dataclass
class LedgerCase:
    """A row as the case it will become."""

    row: int
    key: str
    received_on: date
    summary: str
    parties: list[LedgerParty]
    category: Category = Category.OTHER
    outcome: Outcome = Outcome.OPEN
    outcome_text: str = ""
    mediated_on: date | None = None
    agreement: list[str] = field(default_factory=list)
    amount: Decimal = Decimal("0")
    mediators: list[str] = field(default_factory=list)
    performance: PerformanceResult | None = None
    performance_text: str = ""
    follow_up: tuple[FollowUpMethod, Satisfaction | None, str] | None = None
    village: str = ""
    number: str = ""


@dataclass
class ReadRow:
    """What a row gave: its case (None when a problem skips it) and its problems."""

    row: int
    case: LedgerCase | None
    problems: list[LedgerProblem]
    blank: bool = False


def ledger_key(number: str, received_on: date, names: Sequence[str], summary: str) -> str:
    """The case's ref from the row's own content (not the file or its order): the ledger's 案号
    when it has one, else a hash of 受理日期, 当事人 and 纠纷简要情况."""
    if number:
        material = "案号\x1f" + re.sub(r"\s+", "", number)
    else:
        material = "\x1f".join([received_on.isoformat(), "、".join(names), re.sub(r"\s+", "", summary)])
    return REF_PREFIX + hashlib.sha256(material.encode("utf-8")).hexdigest()[:40]


class _Row:
    """The cells of one row by field, and the problems found reading them."""

    def __init__(self, row_no: int, values: Sequence[Any], mapping: Sequence[LedgerField],
                 headers: Sequence[Any], today: date) -> None:
        self.row_no = row_no
        self.today = today
        self.cells: dict[LedgerField, Any] = {}
        self.headers: dict[LedgerField, str] = {}
        for i, f in enumerate(mapping):
            if f is not LedgerField.IGNORE:
                self.cells[f] = values[i] if i < len(values) else None
                self.headers[f] = str(headers[i]).strip() if i < len(headers) else f.label
        self.problems: list[LedgerProblem] = []

    def text(self, f: LedgerField) -> str:
        return cell_text(self.cells.get(f))

    def fail(self, f: LedgerField | None, message: str, warning: bool = False) -> None:
        column = self.headers.get(f, f.label) if f is not None else ""
        self.problems.append(LedgerProblem(self.row_no, column, message, warning))

    @property
    def failed(self) -> bool:
        return any(not p.warning for p in self.problems)


def read_row(row_no: int, values: Sequence[Any], mapping: Sequence[LedgerField],
             headers: Sequence[Any], today: date) -> ReadRow:
    """A data row read through the mapping; an all-empty row is ``blank`` (not a problem)."""
    if all(is_blank(v) for v in values):
        return ReadRow(row_no, None, [], blank=True)
    r = _Row(row_no, values, mapping, headers, today)
    received = _date(r, LedgerField.RECEIVED_ON, today)
    if received is None and LedgerField.RECEIVED_ON in r.cells and not r.failed:
        r.fail(LedgerField.RECEIVED_ON, "受理日期为空")
    mediated = _date(r, LedgerField.MEDIATED_ON, today)
    if received and mediated and mediated < received:
        r.fail(LedgerField.MEDIATED_ON, f"调解日期{mediated.isoformat()}早于受理日期{received.isoformat()}")
    summary = r.text(LedgerField.SUMMARY)
    if not summary:
        r.fail(LedgerField.SUMMARY, "纠纷简要情况为空")
    parties = _parties(r)
    category, known = parse_category(r.text(LedgerField.CATEGORY))
    if not known:
        r.fail(LedgerField.CATEGORY, f"纠纷类型「{r.text(LedgerField.CATEGORY)}」无法对应，按“其他”导入",
               warning=True)
    outcome_text = r.text(LedgerField.OUTCOME)
    outcome = parse_outcome(outcome_text)
    if outcome is None:
        r.fail(LedgerField.OUTCOME, f"调解结果「{outcome_text}」无法识别（应为成功、不成功、撤回、不予受理或调解中）")
    amount = Decimal("0")
    try:
        amount = parse_amount(r.cells.get(LedgerField.AMOUNT))
    except ValueError as e:
        r.fail(LedgerField.AMOUNT, str(e))
    agreement = [t.strip() for t in re.split(r"[\n\r]+", r.text(LedgerField.AGREEMENT)) if t.strip()]
    performance_text = r.text(LedgerField.PERFORMANCE)
    performance = parse_performance(performance_text) if performance_text else None
    if performance_text and performance is None:
        r.fail(LedgerField.PERFORMANCE, f"履行情况「{performance_text}」无法识别，未记录履行", warning=True)
    follow_text = r.text(LedgerField.FOLLOW_UP)
    follow_up = None
    if follow_text:
        method, satisfaction = parse_follow_up(follow_text)
        follow_up = (method, satisfaction, follow_text)
    if outcome is not Outcome.AGREED:
        if performance is not None or follow_up is not None:
            which = LedgerField.PERFORMANCE if performance is not None else LedgerField.FOLLOW_UP
            r.fail(which, "未达成协议的案件不记录履行和回访", warning=True)
        performance, follow_up = None, None
    mediators = split_names(r.cells.get(LedgerField.MEDIATORS))
    for name in mediators:
        if len(name) > 50:
            r.fail(LedgerField.MEDIATORS, f"调解员姓名过长「{name[:20]}…」")
    if r.failed or received is None:
        return ReadRow(row_no, None, r.problems)
    number = r.text(LedgerField.NUMBER)
    case = LedgerCase(
        row=row_no, key=ledger_key(number, received, [p.name for p in parties], summary),
        received_on=received, summary=summary, parties=parties, category=category,
        outcome=outcome or Outcome.OPEN, outcome_text=outcome_text, mediated_on=mediated,
        agreement=agreement, amount=amount, mediators=mediators, performance=performance,
        performance_text=performance_text, follow_up=follow_up, village=r.text(LedgerField.VILLAGE),
        number=number,
    )
    return ReadRow(row_no, case, r.problems)


def _date(r: _Row, f: LedgerField, today: date) -> date | None:
    if f not in r.cells:
        return None
    try:
        value = parse_date(r.cells[f])
    except ValueError as e:
        r.fail(f, str(e))
        return None
    if value is not None and value > today:
        r.fail(f, f"{f.label}{value.isoformat()}晚于今天")
        return None
    if value is not None and value < date(1949, 10, 1):
        r.fail(f, f"{f.label}{value.isoformat()}早于1949年10月1日")
        return None
    return value


def _parties(r: _Row) -> list[LedgerParty]:
    applicants = split_names(r.cells.get(LedgerField.APPLICANTS))
    respondents = split_names(r.cells.get(LedgerField.RESPONDENTS))
    together = split_names(r.cells.get(LedgerField.PARTIES))
    named = ([(PartyRole.APPLICANT, n) for n in applicants] + [(PartyRole.RESPONDENT, n) for n in respondents]
             or [(PartyRole.APPLICANT if i == 0 else PartyRole.RESPONDENT, n) for i, n in enumerate(together)])
    column = next((f for f in (LedgerField.APPLICANTS, LedgerField.PARTIES) if f in r.cells), None)
    if not named:
        r.fail(column, "当事人为空")
        return []
    for _, name in named:
        if len(name) > 100:
            r.fail(column, f"当事人姓名（名称）过长「{name[:20]}…」")
    parties = [LedgerParty(role, PartyKind.ORGANIZATION if looks_like_organization(n) else PartyKind.PERSON, n)
               for role, n in named]
    raw_ids = r.cells.get(LedgerField.ID_NUMBERS)
    if isinstance(raw_ids, float) and raw_ids >= 1e15:
        r.fail(LedgerField.ID_NUMBERS, "身份证号在Excel中存成了数字，末几位已经丢失："
                                       "请把该列设为“文本”后重新录入")
        raw_ids = None
    ids = _spread(r, LedgerField.ID_NUMBERS, split_codes(raw_ids), len(parties))
    phones = _spread(r, LedgerField.PHONES, split_codes(r.cells.get(LedgerField.PHONES)), len(parties))
    genders = _spread(r, LedgerField.GENDERS, split_names(r.cells.get(LedgerField.GENDERS)), len(parties))
    addresses = _spread(r, LedgerField.ADDRESSES, split_names(r.cells.get(LedgerField.ADDRESSES)), len(parties),
                        same_for_all=True)
    for p, id_number, phone, gender, address in zip(parties, ids, phones, genders, addresses):
        who = f"（{p.name}）" if len(parties) > 1 else ""
        if id_number and id_number not in ("无", "-", "/"):
            if p.kind is PartyKind.ORGANIZATION:
                r.fail(LedgerField.ID_NUMBERS, f"单位当事人{who}不填身份证号，已略去", warning=True)
            else:
                try:
                    info = validate_id_number(id_number, today=r.today)
                    p.id_number = id_number
                    if p.gender is None:
                        p.gender = info.gender
                except ValidationError as e:
                    r.fail(LedgerField.ID_NUMBERS, f"{e.message}{who}「{id_number}」")
        if phone and phone not in ("无", "-", "/"):
            try:
                p.phone = validate_phone(phone)
            except ValidationError as e:
                try:  # a mobile written 138-0371-1111
                    p.phone = validate_phone(phone.replace("-", ""))
                except ValidationError:
                    r.fail(LedgerField.PHONES, f"{e.message}{who}「{phone}」")
        if gender and p.kind is PartyKind.PERSON:
            try:
                stated = parse_gender(gender)
            except ValueError as e:
                r.fail(LedgerField.GENDERS, f"{e}{who}")
            else:
                if p.id_number and stated is not p.gender:
                    r.fail(LedgerField.GENDERS, f"性别与身份证号不符{who}")
                p.gender = stated
        if address:
            if len(address) > 200:
                r.fail(LedgerField.ADDRESSES, f"住址过长{who}")
            else:
                p.address = address
    return parties


def _spread(r: _Row, f: LedgerField, values: list[str], parties: int, same_for_all: bool = False) -> list[str]:
    """Values of a cell given to the parties in order: one value each, or fewer (the rest blank)."""
    if len(values) > parties:
        if same_for_all:
            return ["、".join(values)] + [""] * (parties - 1)
        r.fail(f, f"{f.label}有{len(values)}个，多于当事人（{parties}人）")
        return [""] * parties
    return values + [""] * (parties - len(values))
