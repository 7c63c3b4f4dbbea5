"""Reading a `mediator-case/1` document (EXCHANGE.md) without the database: every fault with its
path, the reference data, and each case as its registration and the steps of its history."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from mediator.domain.enums import (
    AgreementForm,
    CaseStatus,
    Category,
    ConfirmationResult,
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
from mediator.domain.errors import DomainError, TransitionError, ValidationError, ValidationErrors
from mediator.domain.lifecycle import Action, next_status
from mediator.services.cases.drafts import DraftInput
from mediator.services.cases.inputs import (
    AgentInput,
    AgreementInput,
    CaseInput,
    FollowUpInput,
    PartyInput,
    SessionInput,
    SupplementInput,
    check_agreement,
    check_case_input,
)
from mediator.services.exchange.reader import Reader, scan
from mediator.services.exchange.schema import check_types, cleaned, dotted

FORMAT = "mediator-case/1"


_CASE_KEYS = {
    "ref", "track", "source", "category", "organization", "village_code", "level", "received_on",
    "summary", "parties",
}


_CASE_OPTIONAL = {
    "number", "track_detail", "procedure", "grid", "requests", "amount_yuan", "people_involved",
    "risk", "mediators", "events", "sessions", "agreement", "follow_ups", "judicial_confirmation",
    "supplements", "draft",
}


_PARTY_KEYS = {"role", "kind", "name"}


_PARTY_OPTIONAL = {"gender", "ethnicity", "birth_date", "id_number", "phone", "address",
                   "occupation", "credit_code", "representative", "agent"}


EVENT_KEYS: dict[str, set[str]] = {
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
class ReadDocument:
    """A document read statically: its parts and every fault found so far (``reader.errors``)."""

    reader: Reader
    regions: list[tuple[str, dict]]
    orgs: list[tuple[str, dict]]
    mediators: list[tuple[str, dict]]
    advisors: list[tuple[str, dict]]
    cases: list[ReadCase | None]


def read_document(document: Any, today: date) -> ReadDocument:
    """Read a whole document without the database (both importers start here).

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
    # Wrong types are reported here and blanked, so that the readers below report the rest.
    typed = check_types(doc)
    doc = cleaned(doc, typed)
    mistyped = {dotted(at) for at, _ in typed}
    regions = _read_regions(reader, doc, mistyped)
    orgs = _read_list(reader, doc, "organizations", {"name", "kind", "region", "short"}, set(), mistyped)
    mediators = _read_list(reader, doc, "mediators", {"name", "organization"}, {"phone"}, mistyped)
    advisors = _read_list(reader, doc, "advisors", {"name", "kind"},
                          {"firm", "license_no", "phone", "villages"}, mistyped)
    cases = [_read_case(reader, c, f"cases[{i}]", today)
             for i, c in enumerate(reader.list_(doc, "cases", ""))]
    refs: dict[str, int] = {}
    for i, c in enumerate(cases):
        if c is not None and c.data.ref:
            if c.data.ref in refs:
                reader.fail(f"cases[{i}].ref", f"与cases[{refs[c.data.ref]}]的ref重复")
            refs.setdefault(c.data.ref, i)
    # A blanked value is reported once, as mistyped (not again as missing or unknown).
    reader.errors = [e for _, e in typed] + [e for e in reader.errors if e.path not in mistyped]
    for c in cases:
        if c is not None and any(p.startswith(f"{c.path}.") for p in mistyped):
            c.faulty = True
    return ReadDocument(reader, regions, orgs, mediators, advisors, cases)


def _read_list(reader: Reader, doc: dict, key: str, required: set[str], optional: set[str],
               mistyped: set[str]) -> list[tuple[str, dict]]:
    """The items of a reference section; one with a mistyped value is left out (it is reported)."""
    out = []
    for i, item in enumerate(reader.list_(doc, key, "")):
        path = f"{key}[{i}]"
        d = reader.obj(item, path, required, optional)
        if d is not None and not any(p == path or p.startswith((f"{path}.", f"{path}[")) for p in mistyped):
            out.append((path, d))
    return out


_LEVEL_ORDER = {"county": 0, "township": 1, "village": 2}


def _read_regions(reader: Reader, doc: dict, mistyped: set[str]) -> list[tuple[str, dict]]:
    items = _read_list(reader, doc, "regions", {"code", "name", "level"},
                       {"parent", "kind", "grids", "lat", "lon"}, mistyped)
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


@dataclass
class Step:
    """One thing to replay: a lifecycle event or a dated record, with its path in the file."""

    on: date
    rank: int
    kind: str
    path: str
    payload: Any

    @property
    def is_event(self) -> bool:
        """A lifecycle event (``events`` in the file), not a dated record."""
        return self.kind in _RANK


@dataclass
class ReadCase:
    path: str
    data: CaseInput
    steps: list[Step]
    faulty: bool


def _read_case(reader: Reader, raw: Any, path: str, today: date) -> ReadCase | None:
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
    illegal_move = _check_moves(steps)
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
    _place_draft(reader, d, path, steps, received_on)
    data = CaseInput(
        track=track or Track.PEOPLE, source=source or Source.OTHER, category=category or Category.OTHER,
        organization=organization or "", village_code=village_code or "", level=level or Level.VILLAGE,
        received_on=received_on or today, summary=summary or "", parties=parties,
        track_detail=detail, procedure=procedure, grid=grid or None, requests=requests,
        amount_yuan=amount if amount is not None else "0", people_involved=people or 1,
        risk_level=risk_level, risk_flags=flags, mediators=mediators, ref=ref, number=number or None,
    )
    # Statute checks that need no database (dates, track fit, identity numbers, money).
    for e in check_case_input(data, today):
        if e.path.startswith("parties[") and len(parties) != len(reader.list_(d, "parties", path)):
            continue  # party indexes shifted by an unreadable party: already reported
        reader.errors.append(e.at(path))
    faulty = len(reader.errors) > before
    if illegal_move is not None:  # replayed all the same if nothing else is wrong: the database
        reader.errors.append(illegal_move)  # may find more (a village, a name), replay stops at it
    return ReadCase(path, data, steps, faulty=faulty)


def _check_moves(steps: list[Step]) -> ValidationError | None:
    """The events walked through the transition table from 待受理: the first move it forbids,
    with the table's own message (the statuses after it are unknown). A case refused for other
    faults is not replayed, yet names its illegal move; one that is replayed meets the same
    move there, with the same message (reported once)."""
    status = CaseStatus.REGISTERED
    for step in steps:
        if not step.is_event:
            continue
        action = Action(step.kind)
        try:
            result = PerformanceResult(step.payload.get("result")) if action is Action.PERFORM else None
        except ValueError:
            result = None  # a wrong result is named when the case is replayed
        try:
            status = next_status(status, action, performance=result)
        except TransitionError as e:
            return step_error(step, e)
    return None


def step_error(step: Step, e: DomainError) -> ValidationError:
    """A rule's fault seen at the step's place in the file (a forbidden move: 「第N个事件：…」)."""
    if step.is_event:
        if isinstance(e, TransitionError):
            ordinal = int(step.path.rsplit("[", 1)[1].rstrip("]")) + 1
            return ValidationError(f"{step.path}.action", f"第{ordinal}个事件：{e.message}")
        field_ = {"until": "until", "level": "level", "reason": "reason",
                  "to_organization": "to_organization", "consent": "consent"}.get(e.path)
        if field_ is not None:
            return ValidationError(f"{step.path}.{field_}", e.message)
        if e.path.startswith("agreement"):
            return ValidationError(f"{step.path.rsplit('.events', 1)[0]}.{e.path}", e.message)
        suffix = "on" if e.path == "on" else "action"
        return ValidationError(f"{step.path}.{suffix}", e.message)
    return ValidationError(f"{step.path}.{e.path}" if e.path else step.path, e.message)


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
    for e in check_agreement(agreement, parties=0, path=path):
        reader.errors.append(e)
    return agreement


def _read_steps(reader: Reader, d: dict, path: str) -> list[Step]:
    events: list[Step] = []
    for j, raw in enumerate(reader.list_(d, "events", path)):
        epath = f"{path}.events[{j}]"
        if not isinstance(raw, dict):
            reader.fail(epath, "应为JSON对象")
            continue
        action = raw.get("action")
        if not isinstance(action, str) or action not in EVENT_KEYS:
            reader.fail(f"{epath}.action", f"未知的办理动作“{action}”")
            continue
        e = reader.obj(raw, epath, {"on", "action"}, EVENT_KEYS[action] | {"note"})
        on = reader.day(e, "on", epath)
        if on is None:
            continue
        events.append(Step(on, _RANK[action], action, epath, e))
    records: list[Step] = []
    for j, raw in enumerate(reader.list_(d, "sessions", path)):
        spath = f"{path}.sessions[{j}]"
        s = reader.obj(raw, spath, {"on", "kind"}, {"place", "record"})
        if s is None:
            continue
        on, kind = reader.day(s, "on", spath), reader.enum(s, "kind", spath, SessionKind, what="记录类型")
        if on and kind:
            records.append(Step(on, _SESSION_RANK, "session", spath, SessionInput(
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
            records.append(Step(on, _RECORD_RANK, "follow_up", fpath, FollowUpInput(
                on=on, method=method, performance=perf, satisfaction=sat, note=f.get("note") or "")))
    records += _read_supplements(reader, d, path)
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
                records.append(Step(applied, _RECORD_RANK, "judicial_confirmation", jpath,
                                     {"applied_on": applied, "court": court, "result": result, "ruled_on": ruled}))
    return _merge(events, records)


def _read_supplements(reader: Reader, d: dict, path: str) -> list[Step]:
    """变更/补充协议 in the order signed (their 1, 2, … within the case is their place in the list)."""
    out = []
    for j, raw in enumerate(reader.list_(d, "supplements", path)):
        spath = f"{path}.supplements[{j}]"
        x = reader.obj(raw, spath, {"kind", "signed_on", "terms", "reason"}, set())
        if x is None:
            continue
        kind = reader.enum(x, "kind", spath, SupplementKind, what="协议类型")
        on = reader.day(x, "signed_on", spath)
        terms = reader.list_(x, "terms", spath, required=True)
        for k, term in enumerate(terms):
            if not isinstance(term, str):
                reader.fail(f"{spath}.terms[{k}]", "协议内容应为字符串")
        reason = x.get("reason")
        if reason is not None and not isinstance(reason, str):
            reader.fail(f"{spath}.reason", "应为字符串")
        elif kind and on and isinstance(reason, str):
            out.append(Step(on, _RECORD_RANK, "supplement", spath,
                            (SupplementInput(kind, on, [t for t in terms if isinstance(t, str)], reason), j + 1)))
    return out


def _place_draft(reader: Reader, d: dict, path: str, steps: list[Step], received_on: date | None) -> None:
    """拟定协议: a signed draft is replayed just before its 达成协议 (dated as it), an unsigned
    one after the whole history (dated as its last step): both while the case is 调解中."""
    if d.get("draft") is None:
        return
    dpath = f"{path}.draft"
    x = reader.obj(d["draft"], dpath, {"revision", "items"},
                   {"signed", "facts", "performance", "deadline", "amount_yuan", "copies"})
    if x is None:
        return
    revision = reader.integer(x, "revision", dpath, minimum=1)
    signed = x.get("signed", False)
    if not isinstance(signed, bool):
        reader.fail(f"{dpath}.signed", "应为true或false")
    items = reader.list_(x, "items", dpath, required=True)
    for k, item in enumerate(items):
        if not isinstance(item, str):
            reader.fail(f"{dpath}.items[{k}]", "协议条款应为字符串")
    texts = {}
    for key in ("facts", "performance"):
        texts[key] = x.get(key) or ""
        if not isinstance(texts[key], str):
            reader.fail(f"{dpath}.{key}", "应为字符串")
    deadline = reader.day(x, "deadline", dpath, required=False)
    amount = reader.money(x, "amount_yuan", dpath, "协议金额")
    copies = reader.integer(x, "copies", dpath, required=False, minimum=1)
    agree = next((i for i, step in enumerate(steps) if step.kind == "agree"), None)
    if signed is True and agree is None:
        reader.fail(f"{dpath}.signed", "协议草稿已签订，但办理事件中没有“达成协议”（agree）")
        return
    if revision is None or not isinstance(signed, bool) or amount is None or \
            not all(isinstance(v, str) for v in (*items, *texts.values())):
        return
    data = DraftInput(list(items), texts["facts"], texts["performance"], deadline, amount, copies)
    if signed:
        step = Step(steps[agree].on, _RECORD_RANK, "draft", path, (data, revision, True))
        steps.insert(agree, step)
    else:
        on = max((step.on for step in steps), default=received_on)
        if on is not None:
            steps.append(Step(on, _RECORD_RANK, "draft", path, (data, revision, False)))


def _merge(events: list[Step], records: list[Step]) -> list[Step]:
    """Events keep the file's order; each record goes before the first later event."""
    out = list(events)
    for rec in sorted(records, key=lambda r: (r.on, r.rank)):
        pos = next((i for i, e in enumerate(out)
                    if e.kind in _RANK and (e.on > rec.on or (e.on == rec.on and e.rank > rec.rank))),
                   len(out))
        out.insert(pos, rec)
    return out
