"""Input models of the case use cases, and their validation (every problem, with its path)."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from mediator.domain.enums import (
    ADMINISTRATIVE_DETAILS,
    JUDICIAL_DETAILS,
    AgreementForm,
    Category,
    Gender,
    Level,
    PartyKind,
    PartyRole,
    Procedure,
    RiskFlag,
    RiskLevel,
    Source,
    Track,
    TrackDetail,
)
from mediator.domain.errors import ValidationError
from mediator.domain.validators import (
    check_person_identity,
    normalize_id_number,
    parse_money,
    validate_credit_code,
    validate_phone,
)


@dataclass
class AgentInput:
    name: str
    phone: str | None = None
    relation: str | None = None


@dataclass
class PartyInput:
    role: PartyRole
    kind: PartyKind
    name: str
    gender: Gender | None = None
    ethnicity: str | None = None
    birth_date: date | None = None
    id_number: str | None = None
    phone: str | None = None
    address: str | None = None
    occupation: str | None = None
    credit_code: str | None = None
    representative: str | None = None
    agent: AgentInput | None = None


@dataclass
class CaseInput:
    """Everything needed to register a case (登记)."""

    track: Track
    source: Source
    category: Category
    organization: str  # organisation name
    village_code: str
    level: Level
    received_on: date
    summary: str
    parties: list[PartyInput]
    track_detail: TrackDetail | None = None
    procedure: Procedure | None = None
    grid: str | None = None
    requests: str = ""
    amount_yuan: Decimal | str | int = Decimal("0")
    people_involved: int = 1
    risk_level: RiskLevel = RiskLevel.LOW
    risk_flags: list[RiskFlag] = field(default_factory=list)
    mediators: list[str] = field(default_factory=list)
    ref: str | None = None
    number: str | None = None


@dataclass
class AgreementInput:
    form: AgreementForm
    signed_on: date
    items: list[str]
    performance: str = ""
    deadline: date | None = None
    amount_yuan: Decimal | str | int = Decimal("0")
    copies: int | None = None  # None: parties + 1 (《人民调解法》 Art. 29)
    facts: str = ""


def _blank(value: str | None) -> bool:
    return value is None or not str(value).strip()


def check_track(track: Track, detail: TrackDetail | None, procedure: Procedure | None,
                prefix: str = "") -> list[ValidationError]:
    """Track, detail and procedure must fit together."""
    p = f"{prefix}." if prefix else ""
    errors = []
    if track is Track.PEOPLE and detail is not None:
        errors.append(ValidationError(f"{p}track_detail", "人民调解不设调解类别细分"))
    # A missing detail is allowed (files from elsewhere often omit it): the handling period
    # then falls back to the office setting.
    if track is Track.JUDICIAL and detail is not None and detail not in JUDICIAL_DETAILS:
        errors.append(ValidationError(f"{p}track_detail", "司法调解的类别应为诉前、委派、委托或诉中调解"))
    if track is Track.ADMINISTRATIVE and detail is not None and detail not in ADMINISTRATIVE_DETAILS:
        errors.append(ValidationError(f"{p}track_detail", "行政调解的类别应为治安、交通、劳动争议、土地林权、消费、医疗或其他"))
    if procedure is not None and detail not in (TrackDetail.ENTRUSTED, TrackDetail.IN_LITIGATION):
        errors.append(ValidationError(f"{p}procedure", "只有委托调解和诉中调解区分普通程序与简易程序"))
    return errors


def check_party(party: PartyInput, path: str, today: date) -> list[ValidationError]:
    errors: list[ValidationError] = []
    if _blank(party.name):
        errors.append(ValidationError(f"{path}.name", "当事人姓名（名称）不能为空"))
    if party.kind is PartyKind.PERSON:
        if party.credit_code:
            errors.append(ValidationError(f"{path}.credit_code", "自然人不应填写统一社会信用代码"))
        errors += check_person_identity(party.id_number or None, party.gender, party.birth_date,
                                        path=path, today=today)
    else:
        if party.id_number:
            errors.append(ValidationError(f"{path}.id_number", "单位当事人不应填写身份证号，请填写统一社会信用代码"))
        if party.credit_code:
            try:
                validate_credit_code(party.credit_code, path=f"{path}.credit_code")
            except ValidationError as e:
                errors.append(e)
    if party.phone:
        try:
            validate_phone(party.phone, path=f"{path}.phone")
        except ValidationError as e:
            errors.append(e)
    if party.agent is not None:
        if _blank(party.agent.name):
            errors.append(ValidationError(f"{path}.agent.name", "委托代理人姓名不能为空"))
        if party.agent.phone:
            try:
                validate_phone(party.agent.phone, path=f"{path}.agent.phone")
            except ValidationError as e:
                errors.append(e)
    return errors


def normalized_party(party: PartyInput) -> PartyInput:
    """The party with identity numbers and phones in their stored form."""
    return PartyInput(
        role=party.role, kind=party.kind, name=party.name.strip(), gender=party.gender,
        ethnicity=(party.ethnicity or None), birth_date=party.birth_date,
        id_number=normalize_id_number(party.id_number) if party.id_number else None,
        phone=validate_phone(party.phone) if party.phone else None,
        address=party.address or None, occupation=party.occupation or None,
        credit_code=validate_credit_code(party.credit_code) if party.credit_code else None,
        representative=party.representative or None, agent=party.agent,
    )


def check_case_input(data: CaseInput, today: date) -> list[ValidationError]:
    """Problems that need no database: enums fitting together, dates, money, parties."""
    errors = check_track(data.track, data.track_detail, data.procedure)
    if data.received_on > today:
        errors.append(ValidationError("received_on", "收案日期不能晚于今天"))
    if _blank(data.summary):
        errors.append(ValidationError("summary", "纠纷简要情况不能为空"))
    try:
        parse_money(data.amount_yuan, path="amount_yuan", field="涉及金额")
    except ValidationError as e:
        errors.append(e)
    if not isinstance(data.people_involved, int) or data.people_involved < 1:
        errors.append(ValidationError("people_involved", "涉及人数应为正整数"))
    if not data.parties:
        errors.append(ValidationError("parties", "至少需要一名当事人"))
    for i, party in enumerate(data.parties):
        errors += check_party(party, f"parties[{i}]", today)
    ids = [p.id_number and normalize_id_number(p.id_number) for p in data.parties]
    seen: set[str] = set()
    for i, value in enumerate(ids):
        if value and value in seen:
            errors.append(ValidationError(f"parties[{i}].id_number", "同一案件中身份证号重复"))
        if value:
            seen.add(value)
    return errors


def check_agreement(data: AgreementInput, parties: int, path: str = "agreement") -> list[ValidationError]:
    errors = []
    items = [t for t in data.items if t and t.strip()]
    if data.form is AgreementForm.WRITTEN and not items:
        errors.append(ValidationError(f"{path}.items", "书面协议至少需要一条协议内容"))
    if data.form is AgreementForm.ORAL and not items:
        errors.append(ValidationError(f"{path}.items", "口头协议须登记协议内容"))
    try:
        parse_money(data.amount_yuan, path=f"{path}.amount_yuan", field="协议金额")
    except ValidationError as e:
        errors.append(e)
    if data.deadline is not None and data.deadline < data.signed_on:
        errors.append(ValidationError(f"{path}.deadline", "履行期限不能早于协议签订日期"))
    if data.copies is not None and (not isinstance(data.copies, int) or data.copies < 1):
        errors.append(ValidationError(f"{path}.copies", "协议份数应为正整数"))
    return errors
