"""Import and export of `mediator-case/1` documents (EXCHANGE.md).

Import is all-or-nothing: the document is read whole, every fault is collected with its path,
and the reference data and cases are written in one transaction, the cases by replaying their
events through the same use cases the GUI calls. Any fault rolls everything back.
"""
from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from sqlmodel import Session, select

from mediator.domain.enums import (
    AdvisorKind,
    AgreementForm,
    Category,
    ConfirmationResult,
    FollowUpMethod,
    Gender,
    Level,
    OrganizationKind,
    PartyKind,
    PartyRole,
    PerformanceResult,
    Procedure,
    RegionLevel,
    RiskFlag,
    RiskLevel,
    Satisfaction,
    SessionKind,
    Source,
    Track,
    TrackDetail,
    VillageKind,
)
from mediator.domain.errors import DomainError, ValidationError, ValidationErrors
from mediator.domain.lifecycle import Action
from mediator.domain.validators import fen_to_yuan
from mediator.services import audit
from mediator.services.access import restrict_cases
from mediator.services.cases import lifecycle as uc
from mediator.services.cases.inputs import AgentInput, AgreementInput, CaseInput, PartyInput
from mediator.services.cases.personal_data import protect_parties
from mediator.services.context import ServiceContext
from mediator.services.exchange.reader import REFERENCE_TEXTS, Reader, scan
from mediator.services.permissions import Permission, requires
from mediator.services.places.reference import (
    ensure_appointment,
    ensure_grid,
    region_by_code,
    upsert_advisor,
    upsert_mediator,
    upsert_organization,
    upsert_region,
)
from mediator.store.models import (
    Advisor,
    AdvisorAppointment,
    Agreement,
    AgreementTerm,
    Case,
    CaseMediator,
    CaseParty,
    FollowUp,
    JudicialConfirmation,
    MediationSession,
    Mediator,
    Organization,
    Region,
    TimelineEvent,
)

FORMAT = "mediator-case/1"

_CASE_KEYS = {
    "ref", "track", "source", "category", "organization", "village_code", "level", "received_on",
    "summary", "parties",
}
_CASE_OPTIONAL = {
    "number", "track_detail", "procedure", "grid", "requests", "amount_yuan", "people_involved",
    "risk", "mediators", "events", "sessions", "agreement", "follow_ups", "judicial_confirmation",
}
_PARTY_KEYS = {"role", "kind", "name"}
_PARTY_OPTIONAL = {"gender", "ethnicity", "birth_date", "id_number", "phone", "address",
                   "occupation", "credit_code", "representative", "agent"}
_EVENT_KEYS: dict[str, set[str]] = {
    "accept": set(), "start": set(), "agree": set(), "archive": set(),
    "reject": {"reason"}, "fail": {"reason"}, "withdraw": {"reason"},
    "transfer": {"to_track", "to_organization", "reason", "to_track_detail", "procedure", "level", "number"},
    "escalate": {"level", "reason"}, "hand_down": {"level", "reason"},
    "extend": {"until", "reason", "consent"}, "pause": {"reason"}, "resume": {"reason"},
    "perform": {"result"},
}
# Where a record dated the same day as an event goes: after the events of lower rank.
_RANK = {"accept": 1, "start": 2, "escalate": 3, "hand_down": 3, "extend": 3, "pause": 3,
         "resume": 3, "reject": 5, "agree": 5, "fail": 5, "withdraw": 5, "transfer": 6,
         "perform": 7, "archive": 9}
_SESSION_RANK, _RECORD_RANK = 4, 8


@dataclass
class ImportResult:
    cases: int = 0
    regions: int = 0
    organizations: int = 0
    mediators: int = 0
    advisors: int = 0
    case_ids: list[int] = field(default_factory=list)

    def summary(self) -> str:
        return (f"导入案件{self.cases}件；新增区划{self.regions}个、组织{self.organizations}个、"
                f"调解员{self.mediators}名、法律顾问{self.advisors}名")


# --- import -------------------------------------------------------------------------------

class ImportCancelled(DomainError):
    """The person cancelled the import; nothing was written."""


@requires(Permission.DATA_IMPORT)
def import_file(ctx: ServiceContext, path: str | Path,
                cancel: Callable[[], bool] | None = None) -> ImportResult:
    """Import a JSON file; a file that is not JSON is reported with its line and column."""
    try:
        text = Path(path).read_text(encoding="utf-8-sig")  # Windows editors write a BOM
    except UnicodeDecodeError:
        raise ValidationErrors([ValidationError("", "文件不是UTF-8编码的文本")]) from None
    except OSError as e:
        raise ValidationErrors([ValidationError("", f"无法读取文件：{e.strerror or e}")]) from None
    try:
        document = json.loads(text)
    except json.JSONDecodeError as e:
        raise ValidationErrors([ValidationError("", f"文件不是有效的JSON（第{e.lineno}行第{e.colno}列）")]) from None
    except RecursionError:
        raise ValidationErrors([ValidationError("", "文件嵌套层次过深，不是本系统的案件文件")]) from None
    except ValueError:  # e.g. an integer of thousands of digits
        raise ValidationErrors([ValidationError("", "文件中有超出范围的数字")]) from None
    return import_document(ctx, document, cancel)


@dataclass
class _ReadDocument:
    """A document read statically: its parts and every fault found so far (``reader.errors``)."""

    reader: Reader
    regions: list[tuple[str, dict]]
    orgs: list[tuple[str, dict]]
    mediators: list[tuple[str, dict]]
    advisors: list[tuple[str, dict]]
    cases: list[_ReadCase | None]


def _read_document(document: Any, today: date) -> _ReadDocument:
    """Read a whole document without the database (shared with ``bulk_load``).

    Raises ValidationErrors at once for a document that is not an object or has the wrong format.
    """
    reader = Reader()
    doc = reader.obj(document, "", {"format"},
                     {"exported_at", "regions", "organizations", "mediators", "advisors", "cases"})
    if doc is None:
        raise ValidationErrors([ValidationError("", "文件内容应为JSON对象")])
    if doc.get("format") != FORMAT:
        reader.fail("format", f"不支持的格式“{doc.get('format')}”，应为{FORMAT}")
        raise ValidationErrors(reader.errors)
    faults = scan(doc)
    if faults:  # nothing below may meet a NUL, a surrogate or a hostile nesting
        raise ValidationErrors(reader.errors + faults)
    regions = _read_regions(reader, doc)
    orgs = _read_list(reader, doc, "organizations", {"name", "kind", "region", "short"}, set())
    mediators = _read_list(reader, doc, "mediators", {"name", "organization"}, {"phone"})
    advisors = _read_list(reader, doc, "advisors", {"name", "kind"},
                          {"firm", "license_no", "phone", "villages"})
    cases = [_read_case(reader, c, f"cases[{i}]", today)
             for i, c in enumerate(reader.list_(doc, "cases", ""))]
    refs: dict[str, int] = {}
    for i, c in enumerate(cases):
        if c is not None and c.data.ref:
            if c.data.ref in refs:
                reader.fail(f"cases[{i}].ref", f"与cases[{refs[c.data.ref]}]的ref重复")
            refs.setdefault(c.data.ref, i)
    return _ReadDocument(reader, regions, orgs, mediators, advisors, cases)


@requires(Permission.DATA_IMPORT)
def import_document(ctx: ServiceContext, document: Any,
                    cancel: Callable[[], bool] | None = None) -> ImportResult:
    """Import a parsed document in one transaction; raises ValidationErrors listing every fault."""
    read = _read_document(document, ctx.today())
    regions, orgs, mediators, advisors, cases = (read.regions, read.orgs, read.mediators,
                                                 read.advisors, read.cases)

    result = ImportResult()
    errors = read.reader.errors
    with ctx.transaction() as session, ctx.replay():
        _apply_reference(session, regions, orgs, mediators, advisors, errors, result)
        for case in cases:
            if cancel is not None and cancel():
                raise ImportCancelled("导入已取消，未写入任何数据")
            if case is None or case.faulty:
                continue
            try:
                case_id = _replay_case(ctx, case)
            except _CaseFault as fault:
                errors.extend(fault.errors)
                continue
            result.case_ids.append(case_id)
            result.cases += 1
        if errors:
            raise ValidationErrors(_unique(errors))
        audit.record(ctx, session, "import", f"{result.cases}件",
                     {"cases": result.cases, "regions": result.regions,
                      "organizations": result.organizations})
    return result


def _unique(errors: list[ValidationError]) -> list[ValidationError]:
    seen, out = set(), []
    for e in errors:
        if (e.path, e.message) not in seen:
            seen.add((e.path, e.message))
            out.append(e)
    return out


def _read_list(reader: Reader, doc: dict, key: str, required: set[str], optional: set[str]) -> list[tuple[str, dict]]:
    out = []
    for i, item in enumerate(reader.list_(doc, key, "")):
        path = f"{key}[{i}]"
        d = reader.obj(item, path, required, optional)
        if d is not None and reader.texts(d, path, REFERENCE_TEXTS.get(key, {})):
            out.append((path, d))
    return out


_LEVEL_ORDER = {"county": 0, "township": 1, "village": 2}


def _read_regions(reader: Reader, doc: dict) -> list[tuple[str, dict]]:
    items = _read_list(reader, doc, "regions", {"code", "name", "level"},
                       {"parent", "kind", "grids", "lat", "lon"})
    before = len(reader.errors)
    for path, d in list(items):  # a faulty region is left out (its faults are reported)
        for key, bound in (("lat", 90), ("lon", 180)):
            value = d.get(key)
            if value is not None and (isinstance(value, bool) or not isinstance(value, (int, float))
                                      or not -bound <= value <= bound):
                reader.fail(f"{path}.{key}", f"应为-{bound}到{bound}之间的数字（度）")
        grids = d.get("grids")
        for j, grid in enumerate(grids if isinstance(grids, list) else []):
            if isinstance(grid, str) and len(grid) > 100:
                reader.fail(f"{path}.grids[{j}]", f"网格名称不能超过100个字（现有{len(grid)}个）")
        if len(reader.errors) > before:
            items.remove((path, d))
            before = len(reader.errors)
    # Parents before children, whatever the file's order.
    return sorted(items, key=lambda t: _LEVEL_ORDER.get(t[1].get("level"), 9))


def _apply_reference(session: Session, regions, orgs, mediators, advisors, errors, result) -> None:
    reader = Reader()
    for path, d in regions:
        level = reader.enum(d, "level", path, RegionLevel, what="区划层级")
        kind = reader.enum(d, "kind", path, VillageKind, required=False, what="村（社区）类型")
        if level is RegionLevel.GRID:
            reader.fail(f"{path}.level", "网格请写在村（社区）的grids中")
            continue
        if level is None:
            continue
        try:
            region, created = upsert_region(
                session, code=d.get("code"), name=d.get("name") or "", level=level,
                parent_code=d.get("parent"), kind=kind, lat=d.get("lat"), lon=d.get("lon"), path=path)
            result.regions += created
            for j, grid in enumerate(reader.list_(d, "grids", path)):
                if level is not RegionLevel.VILLAGE:
                    reader.fail(f"{path}.grids", "只有村（社区）下设网格")
                    break
                if not isinstance(grid, str):
                    reader.fail(f"{path}.grids[{j}]", "网格名称应为字符串")
                    continue
                ensure_grid(session, region, grid, f"{path}.grids[{j}]")
        except ValidationError as e:
            errors.append(e)
    for path, d in orgs:
        kind = reader.enum(d, "kind", path, OrganizationKind, what="组织类型")
        if kind is None:
            continue
        try:
            _, created = upsert_organization(session, name=d.get("name") or "", kind=kind,
                                             region_code=d.get("region") or "", short=d.get("short") or "",
                                             path=path)
            result.organizations += created
        except ValidationError as e:
            errors.append(e)
    for path, d in mediators:
        phone = _checked_phone(reader, d, path)
        try:
            _, created = upsert_mediator(session, name=d.get("name") or "",
                                         organization=d.get("organization") or "", phone=phone, path=path)
            result.mediators += created
        except ValidationError as e:
            errors.append(e)
    for path, d in advisors:
        kind = reader.enum(d, "kind", path, AdvisorKind, what="法律顾问类型")
        phone = _checked_phone(reader, d, path)
        name = reader.text(d, "name", path)
        if kind is None or name is None:
            continue
        before = session.exec(select(Advisor.id)).all()
        advisor = upsert_advisor(session, name=name, kind=kind, firm=d.get("firm") or "",
                                 license_no=d.get("license_no"), phone=phone, path=path)
        result.advisors += advisor.id not in before
        for j, v in enumerate(reader.list_(d, "villages", path)):
            vpath = f"{path}.villages[{j}]"
            vd = reader.obj(v, vpath, {"code", "from", "to"})
            if vd is None:
                continue
            start, end = reader.day(vd, "from", vpath), reader.day(vd, "to", vpath)
            village = region_by_code(session, vd.get("code") or "")
            if village is None or village.level != RegionLevel.VILLAGE.value:
                reader.fail(f"{vpath}.code", f"村（社区）区划代码{vd.get('code')}不存在")
                continue
            if start and end:
                if end < start:
                    reader.fail(f"{vpath}.to", "聘期结束日期不能早于开始日期")
                    continue
                if not _same_appointment(session, advisor.id, village.id, start):
                    from mediator.services.advisors.registry import _check_overlap

                    try:  # one current primary advisor per village and day, as in the GUI
                        _check_overlap(session, village, advisor.id, start, end, True,
                                       path=f"{vpath}.from")
                    except ValidationError as e:
                        reader.errors.append(e)
                        continue
                ensure_appointment(session, advisor, village, start, end)
    errors.extend(reader.errors)


def _same_appointment(session: Session, advisor_id: int, village_id: int, start: date) -> bool:
    return session.exec(select(AdvisorAppointment.id).where(
        AdvisorAppointment.advisor_id == advisor_id, AdvisorAppointment.village_id == village_id,
        AdvisorAppointment.start == start)).first() is not None


def _checked_phone(reader: Reader, d: dict, path: str) -> str | None:
    from mediator.domain.validators import validate_phone

    phone = d.get("phone")
    if phone in (None, ""):
        return None
    try:
        return validate_phone(phone, path=f"{path}.phone")
    except ValidationError as e:
        reader.errors.append(e)
        return None


@dataclass
class _Step:
    """One thing to replay: a lifecycle event or a dated record, with its path in the file."""

    on: date
    rank: int
    kind: str
    path: str
    payload: Any


@dataclass
class _ReadCase:
    path: str
    data: CaseInput
    steps: list[_Step]
    faulty: bool


class _CaseFault(Exception):
    def __init__(self, errors: list[ValidationError]) -> None:
        super().__init__("case fault")
        self.errors = errors


def _read_case(reader: Reader, raw: Any, path: str, today: date) -> _ReadCase | None:
    before = len(reader.errors)
    d = reader.obj(raw, path, _CASE_KEYS, _CASE_OPTIONAL)
    if d is None:
        return None
    ref = reader.text(d, "ref", path)
    track = reader.enum(d, "track", path, Track, what="调解类型")
    detail = reader.enum(d, "track_detail", path, TrackDetail, required=False, what="调解类别")
    procedure = reader.enum(d, "procedure", path, Procedure, required=False, what="程序")
    source = reader.enum(d, "source", path, Source, what="纠纷来源")
    category = reader.enum(d, "category", path, Category, what="纠纷类型")
    level = reader.enum(d, "level", path, Level, what="处理层级")
    received_on = reader.day(d, "received_on", path)
    summary = reader.text(d, "summary", path)
    organization = reader.text(d, "organization", path)
    village_code = reader.text(d, "village_code", path)
    amount = reader.money(d, "amount_yuan", path, "涉及金额")
    people = reader.integer(d, "people_involved", path, required=False, minimum=1)
    risk_level, flags = RiskLevel.LOW, []
    if d.get("risk") is not None:
        risk = reader.obj(d["risk"], f"{path}.risk", {"level"}, {"flags"})
        if risk is not None:
            risk_level = reader.enum(risk, "level", f"{path}.risk", RiskLevel, what="风险等级") or RiskLevel.LOW
            for j, f in enumerate(reader.list_(risk, "flags", f"{path}.risk")):
                flag = reader.enum({"f": f}, "f", f"{path}.risk.flags[{j}]", RiskFlag, what="风险标记")
                if flag is not None:
                    flags.append(flag)
    parties = [p for j, raw_party in enumerate(reader.list_(d, "parties", path, required=True))
               if (p := _read_party(reader, raw_party, f"{path}.parties[{j}]")) is not None]
    mediators = []
    for j, m in enumerate(reader.list_(d, "mediators", path)):
        if isinstance(m, str) and m.strip():
            mediators.append(m.strip())
        else:
            reader.fail(f"{path}.mediators[{j}]", "调解员姓名应为字符串")
    number = d.get("number")
    if number is not None and not isinstance(number, str):
        reader.fail(f"{path}.number", "案号应为字符串")
        number = None
    grid = d.get("grid")
    if grid is not None and not isinstance(grid, str):
        reader.fail(f"{path}.grid", "网格名称应为字符串")
        grid = None
    requests = d.get("requests") or ""
    if not isinstance(requests, str):
        reader.fail(f"{path}.requests", "应为字符串")
        requests = ""

    steps = _read_steps(reader, d, path)
    has_agree = any(s.kind == "agree" for s in steps)
    agreement = None
    if d.get("agreement") is not None:
        agreement = _read_agreement(reader, d["agreement"], f"{path}.agreement")
        if not has_agree:
            reader.fail(f"{path}.agreement", "有协议内容，但办理事件中没有“达成协议”（agree）")
    elif has_agree:
        reader.fail(f"{path}.agreement", "办理事件中有“达成协议”（agree），须提供协议内容")
    for s in steps:
        if s.kind == "agree":
            s.payload = agreement
            if agreement is not None and agreement.signed_on != s.on:
                reader.fail(f"{path}.agreement.signed_on", "协议签订日期应与“达成协议”事件的日期一致")
    data = CaseInput(
        track=track or Track.PEOPLE, source=source or Source.OTHER, category=category or Category.OTHER,
        organization=organization or "", village_code=village_code or "", level=level or Level.VILLAGE,
        received_on=received_on or today, summary=summary or "", parties=parties,
        track_detail=detail, procedure=procedure, grid=grid or None, requests=requests,
        amount_yuan=amount if amount is not None else "0", people_involved=people or 1,
        risk_level=risk_level, risk_flags=flags, mediators=mediators, ref=ref, number=number or None,
    )
    # Statute checks that need no database (dates, track fit, identity numbers, money).
    for e in uc.check_case_input(data, today):
        if e.path.startswith("parties[") and len(parties) != len(reader.list_(d, "parties", path)):
            continue  # party indexes shifted by an unreadable party: already reported
        reader.errors.append(e.at(path))
    return _ReadCase(path, data, steps, faulty=len(reader.errors) > before)


def _read_party(reader: Reader, raw: Any, path: str) -> PartyInput | None:
    d = reader.obj(raw, path, _PARTY_KEYS, _PARTY_OPTIONAL)
    if d is None:
        return None
    role = reader.enum(d, "role", path, PartyRole, what="当事人身份")
    kind = reader.enum(d, "kind", path, PartyKind, what="当事人类型")
    name = reader.text(d, "name", path)
    gender = reader.enum(d, "gender", path, Gender, required=False, what="性别")
    birth = reader.day(d, "birth_date", path, required=False)
    agent = None
    if d.get("agent") is not None:
        a = reader.obj(d["agent"], f"{path}.agent", {"name"}, {"phone", "relation"})
        if a is not None:
            agent = AgentInput(name=a.get("name") or "", phone=a.get("phone"), relation=a.get("relation"))
    texts = {}
    for key in ("ethnicity", "id_number", "phone", "address", "occupation", "credit_code", "representative"):
        value = d.get(key)
        if value is not None and not isinstance(value, str):
            reader.fail(f"{path}.{key}", "应为字符串")
            value = None
        texts[key] = value or None
    if role is None or kind is None or name is None:
        return PartyInput(role or PartyRole.APPLICANT, kind or PartyKind.PERSON, name or "?", **texts)
    return PartyInput(role, kind, name, gender=gender, birth_date=birth, agent=agent, **texts)


def _read_agreement(reader: Reader, raw: Any, path: str) -> AgreementInput | None:
    d = reader.obj(raw, path, {"form", "signed_on", "items"},
                   {"performance", "deadline", "amount_yuan", "copies"})
    if d is None:
        return None
    form = reader.enum(d, "form", path, AgreementForm, what="协议形式")
    signed = reader.day(d, "signed_on", path)
    deadline = reader.day(d, "deadline", path, required=False)
    amount = reader.money(d, "amount_yuan", path, "协议金额")
    copies = reader.integer(d, "copies", path, required=False, minimum=1)
    items = []
    for j, item in enumerate(reader.list_(d, "items", path, required=True)):
        if isinstance(item, str) and item.strip():
            items.append(item)
        else:
            reader.fail(f"{path}.items[{j}]", "协议条款应为非空字符串")
    performance = d.get("performance") or ""
    if form is None or signed is None or amount is None:
        return None
    agreement = AgreementInput(form=form, signed_on=signed, items=items, performance=performance,
                               deadline=deadline, amount_yuan=amount, copies=copies)
    for e in uc.check_agreement(agreement, parties=0, path=path):
        reader.errors.append(e)
    return agreement


def _read_steps(reader: Reader, d: dict, path: str) -> list[_Step]:
    events: list[_Step] = []
    for j, raw in enumerate(reader.list_(d, "events", path)):
        epath = f"{path}.events[{j}]"
        if not isinstance(raw, dict):
            reader.fail(epath, "应为JSON对象")
            continue
        action = raw.get("action")
        if action not in _EVENT_KEYS:
            reader.fail(f"{epath}.action", f"未知的办理动作“{action}”")
            continue
        e = reader.obj(raw, epath, {"on", "action"}, _EVENT_KEYS[action] | {"note"})
        on = reader.day(e, "on", epath)
        if on is None:
            continue
        events.append(_Step(on, _RANK[action], action, epath, e))
    records: list[_Step] = []
    for j, raw in enumerate(reader.list_(d, "sessions", path)):
        spath = f"{path}.sessions[{j}]"
        s = reader.obj(raw, spath, {"on", "kind"}, {"place", "record"})
        if s is None:
            continue
        on, kind = reader.day(s, "on", spath), reader.enum(s, "kind", spath, SessionKind, what="记录类型")
        if on and kind:
            records.append(_Step(on, _SESSION_RANK, "session", spath, uc.SessionInput(
                on=on, kind=kind, place=s.get("place") or "", record=s.get("record") or "")))
    for j, raw in enumerate(reader.list_(d, "follow_ups", path)):
        fpath = f"{path}.follow_ups[{j}]"
        f = reader.obj(raw, fpath, {"on", "method"}, {"performance", "satisfaction", "note"})
        if f is None:
            continue
        on = reader.day(f, "on", fpath)
        method = reader.enum(f, "method", fpath, FollowUpMethod, what="回访方式")
        perf = reader.enum(f, "performance", fpath, PerformanceResult, required=False, what="履行情况")
        sat = reader.enum(f, "satisfaction", fpath, Satisfaction, required=False, what="满意度")
        if on and method:
            records.append(_Step(on, _RECORD_RANK, "follow_up", fpath, uc.FollowUpInput(
                on=on, method=method, performance=perf, satisfaction=sat, note=f.get("note") or "")))
    if d.get("judicial_confirmation") is not None:
        jpath = f"{path}.judicial_confirmation"
        j = reader.obj(d["judicial_confirmation"], jpath, {"applied_on", "court"}, {"result", "on"})
        if j is not None:
            applied = reader.day(j, "applied_on", jpath)
            ruled = reader.day(j, "on", jpath, required=False)
            result = reader.enum(j, "result", jpath, ConfirmationResult, required=False,
                                 what="司法确认结果") or ConfirmationResult.PENDING
            court = reader.text(j, "court", jpath)
            if result is not ConfirmationResult.PENDING and ruled is None:
                reader.fail(f"{jpath}.on", "已裁定的司法确认须填写裁定日期")
            if applied and court:
                records.append(_Step(applied, _RECORD_RANK, "judicial_confirmation", jpath,
                                     {"applied_on": applied, "court": court, "result": result, "ruled_on": ruled}))
    return _merge(events, records)


def _merge(events: list[_Step], records: list[_Step]) -> list[_Step]:
    """Events keep the file's order; each record goes before the first later event."""
    out = list(events)
    for rec in sorted(records, key=lambda r: (r.on, r.rank)):
        pos = next((i for i, e in enumerate(out)
                    if e.kind in _RANK and (e.on > rec.on or (e.on == rec.on and e.rank > rec.rank))),
                   len(out))
        out.insert(pos, rec)
    return out


def _replay_case(ctx: ServiceContext, case: _ReadCase) -> int:
    try:
        case_id = uc.register_case(ctx, case.data)
    except ValidationErrors as e:
        raise _CaseFault([err.at(case.path) for err in e.errors]) from None
    except ValidationError as e:
        raise _CaseFault([e.at(case.path)]) from None
    for step in case.steps:
        try:
            _replay_step(ctx, case_id, step)
        except ValidationErrors as e:
            raise _CaseFault([_step_error(step, err) for err in e.errors]) from None
        except DomainError as e:
            raise _CaseFault([_step_error(step, e)]) from None
    return case_id


def _step_error(step: _Step, e: DomainError) -> ValidationError:
    """A service's fault seen at the step's place in the file."""
    if step.kind in _RANK:
        field_ = {"until": "until", "level": "level", "reason": "reason",
                  "to_organization": "to_organization", "consent": "consent"}.get(e.path)
        if field_ is not None:
            return ValidationError(f"{step.path}.{field_}", e.message)
        if e.path.startswith("agreement"):
            return ValidationError(f"{step.path.rsplit('.events', 1)[0]}.{e.path}", e.message)
        suffix = "on" if e.path == "on" else "action"
        return ValidationError(f"{step.path}.{suffix}", e.message)
    return ValidationError(f"{step.path}.{e.path}" if e.path else step.path, e.message)


def _replay_step(ctx: ServiceContext, case_id: int, step: _Step) -> None:
    p, on, kind = step.payload, step.on, step.kind
    if kind == "session":
        uc.record_session(ctx, case_id, p)
    elif kind == "follow_up":
        uc.record_follow_up(ctx, case_id, p)
    elif kind == "judicial_confirmation":
        uc.record_judicial_confirmation(ctx, case_id, applied_on=p["applied_on"], court=p["court"],
                                        result=p["result"], ruled_on=p["ruled_on"])
    elif kind == "accept":
        uc.accept_case(ctx, case_id, on, note=p.get("note") or "")
    elif kind == "start":
        uc.start_mediation(ctx, case_id, on, note=p.get("note") or "")
    elif kind == "reject":
        uc.reject_case(ctx, case_id, p.get("reason") or "（导入记录未注明理由）", on)
    elif kind == "agree":
        if p is None:
            raise ValidationError("agreement", "缺少协议内容")
        uc.conclude_agreement(ctx, case_id, p, on)
    elif kind == "fail":
        uc.fail_mediation(ctx, case_id, p.get("reason") or "", on)
    elif kind == "withdraw":
        uc.withdraw_case(ctx, case_id, p.get("reason") or "", on)
    elif kind == "transfer":
        reader = Reader()
        track = reader.enum(p, "to_track", "", Track, what="调解类型")
        detail = reader.enum(p, "to_track_detail", "", TrackDetail, required=False, what="调解类别")
        procedure = reader.enum(p, "procedure", "", Procedure, required=False, what="程序")
        level = reader.enum(p, "level", "", Level, required=False, what="处理层级")
        org = reader.text(p, "to_organization", "")
        if reader.errors:
            raise ValidationErrors(reader.errors)
        uc.transfer_case(ctx, case_id, to_track=track, to_organization=org,
                         reason=p.get("reason") or "", to_track_detail=detail, procedure=procedure,
                         level=level, number=p.get("number"), on=on)
    elif kind in ("escalate", "hand_down"):
        reader = Reader()
        level = reader.enum(p, "level", "", Level, what="处理层级")
        if reader.errors:
            raise ValidationErrors(reader.errors)
        move = uc.escalate_case if kind == "escalate" else uc.hand_down_case
        move(ctx, case_id, level, p.get("reason") or "（导入记录未注明理由）", on)
    elif kind == "extend":
        reader = Reader()
        until = reader.day(p, "until", "")
        if reader.errors:
            raise ValidationErrors(reader.errors)
        uc.extend_handling(ctx, case_id, until, p.get("reason") or "（导入记录未注明理由）",
                           p.get("consent", False) is True, on)
    elif kind == "pause":
        uc.pause_clock(ctx, case_id, p.get("reason") or "（导入记录未注明理由）", on)
    elif kind == "resume":
        uc.resume_clock(ctx, case_id, p.get("reason") or "", on)
    elif kind == "perform":
        reader = Reader()
        result = reader.enum(p, "result", "", PerformanceResult, what="履行结果")
        if reader.errors:
            raise ValidationErrors(reader.errors)
        uc.record_performance(ctx, case_id, result, p.get("note") or "", on)
    elif kind == "archive":
        uc.archive_case(ctx, case_id, on, note=p.get("note") or "")


# --- export -------------------------------------------------------------------------------

@requires(Permission.DATA_EXPORT)
def export_document(ctx: ServiceContext, *, date_from: date | None = None, date_to: date | None = None,
                    case_ids: list[int] | None = None) -> dict:
    """All reference data and the cases received in the period, as a `mediator-case/1` dict."""
    with ctx.read() as session:
        doc: dict[str, Any] = {"format": FORMAT, "exported_at": ctx.now().isoformat(timespec="seconds")}
        doc["regions"] = _export_regions(session)
        orgs = {o.id: o for o in session.exec(select(Organization).order_by(Organization.id))}
        regions = {r.id: r for r in session.exec(select(Region))}
        doc["organizations"] = [
            {"name": o.name, "kind": o.kind, "region": regions[o.region_id].code, "short": o.short}
            for o in orgs.values()
        ]
        doc["mediators"] = [
            {"name": m.name, "organization": orgs[m.organization_id].name, "phone": m.phone}
            for m in session.exec(select(Mediator).order_by(Mediator.id))
        ]
        doc["advisors"] = _export_advisors(session, regions)
        # An advisor exports only the cases of the villages they serve.
        stmt = restrict_cases(ctx, select(Case).order_by(Case.received_on, Case.id))
        if date_from is not None:
            stmt = stmt.where(Case.received_on >= date_from)
        if date_to is not None:
            stmt = stmt.where(Case.received_on <= date_to)
        if case_ids is not None:
            stmt = stmt.where(Case.id.in_(case_ids))
        mediators = {m.id: m.name for m in session.exec(select(Mediator))}
        doc["cases"] = [_export_case(session, c, regions, mediators) for c in session.exec(stmt)]
        for case in doc["cases"]:  # a role without PERSONAL_DATA gets 身份证号 and phones masked
            case["parties"] = protect_parties(ctx, case["parties"])
        return doc


@requires(Permission.DATA_EXPORT)
def export_file(ctx: ServiceContext, path: str | Path, **filters: Any) -> int:
    """Write the export to ``path`` (atomically); returns the number of cases."""
    doc = export_document(ctx, **filters)
    target = Path(path)
    tmp = target.with_name(target.name + ".part")
    tmp.write_text(json.dumps(doc, ensure_ascii=False, indent=1), encoding="utf-8")
    tmp.replace(target)
    audit.log(ctx, "export", str(target), {"cases": len(doc["cases"])})
    return len(doc["cases"])


def _export_regions(session: Session) -> list[dict]:
    rows = list(session.exec(select(Region).order_by(Region.id)))
    by_id = {r.id: r for r in rows}
    grids: dict[int, list[str]] = {}
    for r in rows:
        if r.level == RegionLevel.GRID.value:
            grids.setdefault(r.parent_id, []).append(r.name)
    out = []
    for r in sorted((r for r in rows if r.code), key=lambda r: r.code):
        item: dict[str, Any] = {"code": r.code, "name": r.name, "level": r.level,
                                "parent": by_id[r.parent_id].code if r.parent_id else None}
        if r.level == RegionLevel.VILLAGE.value:
            item["kind"] = r.kind
            item["grids"] = grids.get(r.id, [])
        if r.lat is not None and r.lon is not None:
            item["lat"], item["lon"] = r.lat, r.lon
        out.append(item)
    return out


def _export_advisors(session: Session, regions: dict[int, Region]) -> list[dict]:
    out = []
    for a in session.exec(select(Advisor).order_by(Advisor.id)):
        villages = session.exec(select(AdvisorAppointment).where(AdvisorAppointment.advisor_id == a.id)
                                .order_by(AdvisorAppointment.id))
        out.append({"name": a.name, "kind": a.kind, "firm": a.firm, "license_no": a.license_no,
                    "phone": a.phone,
                    "villages": [{"code": regions[v.village_id].code, "from": v.start.isoformat(),
                                  "to": v.end.isoformat()} for v in villages]})
    return out


def _iso(d: date | None) -> str | None:
    return d.isoformat() if d else None


def _yuan(fen: int) -> str:
    return f"{fen_to_yuan(fen):.2f}"


def _export_case(session: Session, c: Case, regions: dict[int, Region], mediators: dict[int, str]) -> dict:
    events = list(session.exec(select(TimelineEvent).where(TimelineEvent.case_id == c.id)
                               .order_by(TimelineEvent.seq)))
    snapshot = events[0].data
    parties = session.exec(select(CaseParty).where(CaseParty.case_id == c.id).order_by(CaseParty.seq))
    mediator_ids = session.exec(select(CaseMediator.mediator_id).where(CaseMediator.case_id == c.id)
                                .order_by(CaseMediator.seq))
    lifecycle = [
        {"on": e.on.isoformat(), "action": e.action,
         **{k: v for k, v in (e.data or {}).items() if not k.startswith("_") and k != "form"}}
        for e in events if e.action in _EVENT_KEYS
    ]
    sessions = session.exec(select(MediationSession).where(MediationSession.case_id == c.id)
                            .order_by(MediationSession.on, MediationSession.id))
    agreement = session.exec(select(Agreement).where(Agreement.case_id == c.id)).first()
    follow_ups = session.exec(select(FollowUp).where(FollowUp.case_id == c.id).order_by(FollowUp.on, FollowUp.id))
    confirmation = session.exec(select(JudicialConfirmation).where(JudicialConfirmation.case_id == c.id)).first()
    return {
        "ref": c.ref or snapshot.get("number") or c.number,
        "number": snapshot.get("number"),
        "track": snapshot["track"],
        "track_detail": snapshot.get("track_detail"),
        "procedure": snapshot.get("procedure"),
        "source": c.source,
        "category": c.category,
        "organization": snapshot["organization"],
        "village_code": regions[c.village_id].code,
        "grid": regions[c.grid_id].name if c.grid_id else None,
        "level": snapshot["level"],
        "received_on": c.received_on.isoformat(),
        "summary": c.summary,
        "requests": c.requests,
        "amount_yuan": _yuan(c.amount_fen),
        "people_involved": c.people_involved,
        "risk": {"level": c.risk_level, "flags": [f for f in c.risk_flags.split(",") if f]},
        "parties": [_export_party(p) for p in parties],
        "mediators": [mediators[m] for m in mediator_ids],
        "events": lifecycle,
        "sessions": [{"on": s.on.isoformat(), "kind": s.kind, "place": s.place, "record": s.record}
                     for s in sessions],
        "agreement": _export_agreement(session, agreement) if agreement else None,
        "follow_ups": [{"on": f.on.isoformat(), "method": f.method, "performance": f.performance,
                        "satisfaction": f.satisfaction, "note": f.note} for f in follow_ups],
        "judicial_confirmation": None if confirmation is None else {
            "applied_on": confirmation.applied_on.isoformat(), "court": confirmation.court,
            "result": confirmation.result, "on": _iso(confirmation.ruled_on)},
    }


def _export_party(p: CaseParty) -> dict:
    return {
        "role": p.role, "kind": p.kind, "name": p.name, "gender": p.gender, "ethnicity": p.ethnicity,
        "birth_date": _iso(p.birth_date), "id_number": p.id_number, "phone": p.phone,
        "address": p.address, "occupation": p.occupation, "credit_code": p.credit_code,
        "representative": p.representative,
        "agent": None if not p.agent_name else {"name": p.agent_name, "phone": p.agent_phone,
                                                "relation": p.agent_relation},
    }


def _export_agreement(session: Session, a: Agreement) -> dict:
    terms = session.exec(select(AgreementTerm.text).where(AgreementTerm.agreement_id == a.id)
                         .order_by(AgreementTerm.seq))
    return {"form": a.form, "signed_on": a.signed_on.isoformat(), "items": list(terms),
            "performance": a.performance_method, "deadline": _iso(a.deadline),
            "amount_yuan": _yuan(a.amount_fen), "copies": a.copies}


# Keep the lifecycle names close to the file format they mirror.
assert set(_EVENT_KEYS) <= {a.value for a in Action}
