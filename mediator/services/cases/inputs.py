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
    FollowUpMethod,
    Gender,
    Level,
    PartyKind,
    PartyRole,
    PerformanceResult,
    Procedure,
    RiskFlag,
    RiskLevel,
    Satisfaction,
    SessionKind,
    Source,
    SupplementKind,
    Track,
    TrackDetail,
)
from mediator.domain.errors import ValidationError, ValidationErrors
from mediator.domain.validators import (
    check_person_identity,
    normalize_id_number,
    parse_money,
    text_problem,
    validate_credit_code,
    validate_phone,
)
from mediator.services.input_types import type_problems
from mediator.store.models import Agreement, Case, CaseParty, Mediator, Organization, Region
from mediator.store.widths import width


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


@dataclass
class SessionInput:
    """A record of investigation or mediation (调查/调解记录)."""

    on: date
    kind: SessionKind
    place: str = ""
    participants: str = ""
    record: str = ""


@dataclass
class FollowUpInput:
    """A visit after the agreement (回访)."""

    on: date
    method: FollowUpMethod
    performance: PerformanceResult | None = None
    satisfaction: Satisfaction | None = None
    note: str = ""
    visitor: str = ""


def _blank(value: str | None) -> bool:
    return value is None or not str(value).strip()


# Column limits (store/models.py) of the free texts, and the limit of the long texts.
LONG_TEXT_MAX = 20000
MAX_PEOPLE = 1_000_000
EARLIEST_RECEIVED = date(1949, 10, 1)


def _stripped(value: object) -> object:
    return value.strip() if isinstance(value, str) else value


def check_texts(fields: list[tuple[str, object, str, int | None]]) -> list[ValidationError]:
    """Control characters, wrong types and over-long values among (path, value, label, limit)."""
    found = (text_problem(value, path=path, label=label, max_length=limit)
             for path, value, label, limit in fields)
    return [e for e in found if e is not None]


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
        errors.append(ValidationError(f"{p}track_detail",
                                      "行政调解的类别应为治安、交通、劳动争议、土地林权、消费、医疗或其他"))
    if procedure is not None and detail not in (TrackDetail.ENTRUSTED, TrackDetail.IN_LITIGATION):
        errors.append(ValidationError(f"{p}procedure", "只有委托调解和诉中调解区分普通程序与简易程序"))
    return errors


def check_party(party: PartyInput, path: str, today: date) -> list[ValidationError]:
    wrong = type_problems(party, path)
    if wrong:
        return wrong  # the checks below assume the annotated types
    agent = party.agent
    errors = check_texts([
        (f"{path}.name", _stripped(party.name), "当事人姓名（名称）", width(CaseParty.name)),
        (f"{path}.ethnicity", party.ethnicity, "民族", width(CaseParty.ethnicity)),
        (f"{path}.address", party.address, "住址", width(CaseParty.address)),
        (f"{path}.occupation", party.occupation, "职业", width(CaseParty.occupation)),
        (f"{path}.representative", party.representative, "法定代表人", width(CaseParty.representative)),
        (f"{path}.id_number", party.id_number, "身份证号", None),
        (f"{path}.phone", party.phone, "联系电话", None),
        (f"{path}.credit_code", party.credit_code, "统一社会信用代码", None),
        *([(f"{path}.agent.name", agent.name, "委托代理人姓名", width(CaseParty.agent_name)),
           (f"{path}.agent.phone", agent.phone, "委托代理人联系电话", None),
           (f"{path}.agent.relation", agent.relation, "与当事人关系", width(CaseParty.agent_relation))]
          if agent else []),
    ])
    if errors:
        return errors  # the checks below assume plain texts
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
        id_number=(normalize_id_number(party.id_number) or None) if party.id_number else None,
        phone=validate_phone(party.phone) if party.phone else None,
        address=party.address or None, occupation=party.occupation or None,
        credit_code=validate_credit_code(party.credit_code) if party.credit_code else None,
        representative=party.representative or None, agent=party.agent,
    )


# Fields looked up in the database: a text problem there must stop the use case before the lookup.
LOOKED_UP = ("organization", "village_code", "grid", "ref", "number", "mediators[")


def check_case_input(data: CaseInput, today: date) -> list[ValidationError]:
    """Problems that need no database: enums fitting together, dates, money, texts, parties."""
    wrong = type_problems(data)
    if wrong:
        return wrong  # the checks below assume the annotated types
    errors = check_track(data.track, data.track_detail, data.procedure)
    if data.received_on > today:
        errors.append(ValidationError("received_on", "收案日期不能晚于今天"))
    if data.received_on < EARLIEST_RECEIVED:
        errors.append(ValidationError("received_on", "收案日期不能早于1949年10月1日"))
    texts = check_texts([
        ("summary", _stripped(data.summary), "纠纷简要情况", LONG_TEXT_MAX),
        ("requests", _stripped(data.requests), "申请事项", LONG_TEXT_MAX),
        ("organization", data.organization, "调解组织", width(Organization.name)),
        ("village_code", data.village_code, "村（社区）区划代码", None),
        ("grid", data.grid, "网格", width(Region.name)),
        ("ref", data.ref, "编号", width(Case.ref)),
        ("number", data.number, "案号", width(Case.number)),
        *((f"mediators[{i}]", name, "调解员姓名", width(Mediator.name)) for i, name in enumerate(data.mediators)),
    ])
    errors += texts
    if not any(e.path == "summary" for e in texts) and _blank(data.summary):
        errors.append(ValidationError("summary", "纠纷简要情况不能为空"))
    try:
        parse_money(data.amount_yuan, path="amount_yuan", field="涉及金额")
    except ValidationError as e:
        errors.append(e)
    people = data.people_involved
    if isinstance(people, bool) or not isinstance(people, int) or people < 1:
        errors.append(ValidationError("people_involved", "涉及人数应为正整数"))
    elif people > MAX_PEOPLE:
        errors.append(ValidationError("people_involved", f"涉及人数不能超过{MAX_PEOPLE}人"))
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
    wrong = type_problems(data, path)
    if wrong:
        return wrong
    errors = check_texts([
        *((f"{path}.items[{i}]", item, "协议内容", LONG_TEXT_MAX) for i, item in enumerate(data.items)),
        (f"{path}.performance", data.performance, "履行方式", width(Agreement.performance_method)),
        (f"{path}.facts", data.facts, "纠纷事实", LONG_TEXT_MAX),
    ])
    if errors:
        return errors  # the checks below assume plain texts
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
    elif data.copies is not None and data.copies > 1000:
        errors.append(ValidationError(f"{path}.copies", "协议份数不能超过1000份"))
    return errors


# --- 变更/补充协议 ------------------------------------------------------------------------------

MAX_SUPPLEMENT_TERMS = 50


@dataclass(frozen=True)
class SupplementInput:
    """A 变更协议 or 补充协议 signed after the agreement: its terms and why."""

    kind: SupplementKind
    signed_on: date
    terms: list[str]
    reason: str


def supplement_terms(terms: list[str]) -> list[str]:
    """The non-blank terms, stripped; raises for none, too many, or a bad text."""
    kept = [t.strip() for t in terms if isinstance(t, str) and t.strip()]
    if not kept:
        raise ValidationError("terms", "请至少填写一条协议内容")
    if len(kept) > MAX_SUPPLEMENT_TERMS:
        raise ValidationError("terms", f"协议内容最多{MAX_SUPPLEMENT_TERMS}条")
    problems = check_texts([(f"terms[{i}]", t, f"第{i + 1}条协议内容", LONG_TEXT_MAX)
                            for i, t in enumerate(kept)])
    if problems:
        raise ValidationErrors([ValidationError("terms", p.message) for p in problems])
    return kept


def supplement_reason(reason: str) -> str:
    """The reason, stripped; raises for a bad text or none."""
    problems = check_texts([("reason", reason, "变更（补充）原因", 500)])
    if problems:
        raise ValidationErrors(problems)
    if not reason or not reason.strip():
        raise ValidationError("reason", "请填写变更或补充的原因")
    return reason.strip()


def supplement_note(seq: int, kind: SupplementKind, signed_on: date, terms: list[str], reason: str) -> str:
    """The timeline line of a 变更/补充协议."""
    return f"签订第{seq}号{kind.label}（{signed_on.isoformat()}）：" + "；".join(terms) + f"。原因：{reason}"
