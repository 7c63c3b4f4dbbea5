"""Case use cases: register, and every lifecycle move. Each call is one transaction."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlmodel import Session, func, or_, select

from mediator.domain.deadlines import check_extension, handling_rule
from mediator.domain.enums import (
    AgreementForm,
    CaseStatus,
    ConfirmationResult,
    FollowUpMethod,
    Level,
    PerformanceResult,
    Procedure,
    RegionLevel,
    RiskFlag,
    Satisfaction,
    SessionKind,
    Track,
    TrackDetail,
)
from mediator.domain.errors import ConflictError, NotFoundError, ValidationError, ValidationErrors
from mediator.domain.lifecycle import Action, is_allowed, next_status
from mediator.domain.validators import parse_money, yuan_to_fen
from mediator.services import audit
from mediator.services.cases.deadlines import compute_for_case, refresh_case_deadlines
from mediator.services.cases.dossier_check import check_archive
from mediator.services.cases.inputs import (
    LONG_TEXT_MAX,
    LOOKED_UP,
    MAX_PEOPLE,
    AgreementInput,
    CaseInput,
    check_agreement,
    check_case_input,
    check_texts,
    check_track,
    normalized_party,
)
from mediator.services.cases.numbering import assign_number
from mediator.services.cases.reviews import review_gate
from mediator.services.context import ServiceContext
from mediator.services.permissions import Permission, requires
from mediator.services.places.reference import (
    grid_by_name,
    mediator_by_name,
    organization_by_name,
    region_by_code,
)
from mediator.store.models import (
    Agreement,
    AgreementTerm,
    Case,
    CaseLink,
    CaseMediator,
    CaseParty,
    FollowUp,
    JudicialConfirmation,
    MediationSession,
    Performance,
    Person,
    TimelineEvent,
)

# --- registration -------------------------------------------------------------------------

@requires(Permission.CASE_REGISTER)
def register_case(ctx: ServiceContext, data: CaseInput) -> int:
    """Register a case with its parties (登记); returns the new case's id.

    Validates everything first and reports every problem at once; links earlier cases of the
    same person (same 身份证号, or same name and phone) and sets the ``repeat`` flag.
    """
    errors = check_case_input(data, ctx.today())
    if any(e.path.startswith(LOOKED_UP) for e in errors):
        raise ValidationErrors(errors)  # e.g. a NUL in a name would break the lookups below
    with ctx.transaction() as session:
        org = organization_by_name(session, data.organization)
        if org is None:
            errors.append(ValidationError("organization", f"调解组织“{data.organization}”不存在"))
        village = region_by_code(session, data.village_code)
        if village is None or village.level != RegionLevel.VILLAGE.value:
            errors.append(ValidationError("village_code", f"村（社区）区划代码{data.village_code}不存在"))
        grid = None
        if data.grid and village is not None:
            grid = grid_by_name(session, village.id, data.grid)
            if grid is None:
                errors.append(ValidationError("grid", f"{village.name}没有名为“{data.grid}”的网格"))
        mediators = []
        for i, name in enumerate(data.mediators):
            m = mediator_by_name(session, org.id, name) if org else None
            if org is not None and m is None:
                errors.append(ValidationError(f"mediators[{i}]", f"{org.name}没有名为“{name}”的调解员"))
            mediators.append(m)
        if data.ref and session.exec(select(Case.id).where(Case.ref == data.ref)).first():
            errors.append(ValidationError("ref", f"编号为“{data.ref}”的案件已存在，不能重复导入"))
        if errors:
            raise ValidationErrors(errors)

        track = data.track
        number, seq = assign_number(session, org, track, data.received_on.year, data.number)
        now = ctx.now()
        flags = list(dict.fromkeys(f.value for f in data.risk_flags))
        case = Case(
            ref=data.ref or None, number=number, number_year=data.received_on.year, number_seq=seq,
            track=track.value, track_detail=_v(data.track_detail), procedure=_v(data.procedure),
            source=data.source.value, category=data.category.value, organization_id=org.id,
            village_id=village.id, grid_id=grid.id if grid else None, level=data.level.value,
            received_on=data.received_on, summary=data.summary.strip(),
            requests=(data.requests or "").strip(),
            amount_fen=yuan_to_fen(parse_money(data.amount_yuan)),
            people_involved=data.people_involved, risk_level=data.risk_level.value,
            risk_flags=",".join(flags), status=CaseStatus.REGISTERED.value,
            created_at=now, updated_at=now,
            registered_by_id=ctx.user.id if ctx.user is not None else None,  # 网格员 see their own
        )
        session.add(case)
        session.flush()
        for i, m in enumerate(mediators):
            session.add(CaseMediator(case_id=case.id, mediator_id=m.id, seq=i))
        earlier: dict[int, str] = {}
        for i, raw in enumerate(data.parties):
            party = normalized_party(raw)
            person = _person_for(session, party)
            for case_id, reason in _earlier_cases(session, party, case.id):
                earlier.setdefault(case_id, reason)
            session.add(CaseParty(
                case_id=case.id, person_id=person.id if person else None, seq=i,
                role=party.role.value, kind=party.kind.value, name=party.name,
                gender=_v(party.gender), ethnicity=party.ethnicity, birth_date=party.birth_date,
                id_number=party.id_number, phone=party.phone, address=party.address,
                occupation=party.occupation, credit_code=party.credit_code,
                representative=party.representative,
                agent_name=party.agent.name if party.agent else None,
                agent_phone=party.agent.phone if party.agent else None,
                agent_relation=party.agent.relation if party.agent else None,
            ))
        for earlier_id, reason in earlier.items():
            session.add(CaseLink(case_id=case.id, earlier_case_id=earlier_id, reason=reason))
        if earlier and RiskFlag.REPEAT.value not in flags:
            case.risk_flags = ",".join([*flags, RiskFlag.REPEAT.value])
        snapshot = {
            "track": track.value, "track_detail": _v(data.track_detail),
            "procedure": _v(data.procedure), "organization": org.name, "level": data.level.value,
            "number": number,
        }
        note = f"关联既往纠纷{len(earlier)}件" if earlier else ""
        _append_event(ctx, session, case, Action.REGISTER, data.received_on, None,
                      CaseStatus.REGISTERED, snapshot, note)
        refresh_case_deadlines(ctx, session, case)
        return case.id


def _refuse_bad_texts(fields: list[tuple[str, object, str, int | None]]) -> None:
    """Raise the first control character, wrong type or over-long text among the fields."""
    problems = check_texts(fields)
    if problems:
        raise ValidationErrors(problems)


def _v(member: Any) -> str | None:
    return None if member is None else member.value


def _person_for(session: Session, party) -> Person | None:
    """The person record this party is (by 身份证号, else by name and phone)."""
    if party.id_number:
        person = session.exec(select(Person).where(Person.id_number == party.id_number)).first()
    elif party.phone:
        person = session.exec(
            select(Person).where(Person.name == party.name, Person.phone == party.phone)
        ).first()
    else:
        return None
    if person is None:
        person = Person(name=party.name, id_number=party.id_number, phone=party.phone)
        session.add(person)
        session.flush()
    return person


def _earlier_cases(session: Session, party, case_id: int) -> list[tuple[int, str]]:
    conditions = []
    if party.id_number:
        conditions.append(CaseParty.id_number == party.id_number)
    if party.phone:
        conditions.append((CaseParty.name == party.name) & (CaseParty.phone == party.phone))
    if not conditions:
        return []
    rows = session.exec(
        select(CaseParty.case_id, CaseParty.id_number).where(or_(*conditions), CaseParty.case_id != case_id)
    ).all()
    out = []
    for other_id, other_number in rows:
        same_id = party.id_number and other_number == party.id_number
        out.append((other_id, f"{party.name}：{'身份证号相同' if same_id else '姓名和电话相同'}"))
    return out


@requires(Permission.CASE_READ)
def earlier_cases_of(ctx: ServiceContext, parties: list) -> list[dict]:
    """Cases already on file for these people (shown before saving a new case)."""
    with ctx.read() as session:
        found: dict[int, str] = {}
        for raw in parties:
            if check_texts([("name", raw.name, "", 100), ("id_number", raw.id_number, "", None),
                            ("phone", raw.phone, "", None)]):
                continue  # not searchable (a NUL would break the query); refused on saving
            try:
                party = normalized_party(raw)
            except ValidationError:
                continue
            for case_id, reason in _earlier_cases(session, party, -1):
                found.setdefault(case_id, reason)
        from mediator.services.access import visible_case_ids

        found = {k: v for k, v in found.items() if k in visible_case_ids(ctx, list(found))}
        rows = session.exec(select(Case).where(Case.id.in_(list(found)))).all() if found else []
        return [
            {"id": c.id, "number": c.number, "status": CaseStatus(c.status).label,
             "received_on": c.received_on, "summary": c.summary, "reason": found[c.id]}
            for c in sorted(rows, key=lambda c: c.received_on)
        ]


# --- the machinery of a move --------------------------------------------------------------

def _append_event(
    ctx: ServiceContext, session: Session, case: Case, action: Action, on: date,
    from_status: CaseStatus | None, to_status: CaseStatus | None, data: dict | None = None,
    note: str = "",
) -> TimelineEvent:
    last = session.exec(select(func.max(TimelineEvent.seq)).where(TimelineEvent.case_id == case.id)).one()
    event = TimelineEvent(
        case_id=case.id, seq=(last or 0) + 1, on=on, at=ctx.now(), action=action.value,
        from_status=_v(from_status), to_status=_v(to_status), actor=ctx.actor, note=note or "",
        data=data or {}, imported=ctx.replaying,
    )
    session.add(event)
    if not ctx.replaying:  # an import is audited once, as a whole
        audit.record(ctx, session, f"case.{action.value}", case.number,
                     {"case_id": case.id, "on": on.isoformat(), "to": _v(to_status)})
    return event


def _lock_case(session: Session, case_id: int, expected_version: int | None) -> Case:
    stmt = select(Case).where(Case.id == case_id)
    if session.get_bind().dialect.name == "postgresql":
        stmt = stmt.with_for_update()
    case = session.exec(stmt).first()
    if case is None:
        raise NotFoundError(f"案件（编号{case_id}）不存在")
    session.refresh(case)
    if expected_version is not None and case.version != expected_version:
        raise ConflictError(
            f"案件{case.number}已被他人修改（您看到的是第{expected_version}版，当前为第{case.version}版），"
            "请刷新后再操作"
        )
    return case


def _check_date(ctx: ServiceContext, session: Session, case: Case, on: date, path: str = "on") -> None:
    if on > ctx.today():
        raise ValidationError(path, "日期不能晚于今天")
    if on < case.received_on:
        raise ValidationError(path, f"日期不能早于收案日期{case.received_on.isoformat()}")
    last = session.exec(
        select(TimelineEvent.on).where(TimelineEvent.case_id == case.id,
                                       TimelineEvent.action.not_in(_RECORDS))
        .order_by(TimelineEvent.seq.desc())
    ).first()
    if last is not None and on < last:
        raise ValidationError(path, f"日期不能早于上一步办理日期{last.isoformat()}")


# Records that are filed beside the lifecycle, dated as they happened (not ordered with moves).
_RECORDS = (Action.RECORD_SESSION.value, Action.FOLLOW_UP.value, Action.JUDICIAL_CONFIRMATION.value,
            "edit", "attach", "detach", "review_request", "review", "handover")


def _move(
    ctx: ServiceContext, case_id: int, action: Action, on: date | None, *,
    expected_version: int | None = None, data: dict | None = None, note: str = "",
    performance: PerformanceResult | None = None, check_date: bool = True,
    before=None, after=None, note_from=None,
) -> Case:
    """Apply one lifecycle action: check the table and the date, write the event, recompute."""
    _refuse_bad_texts([("note", note, "说明", LONG_TEXT_MAX)])
    on = on or ctx.today()
    with ctx.transaction() as session:
        case = _lock_case(session, case_id, expected_version)
        status = CaseStatus(case.status)
        if ctx.replaying and action.value in _RECORDS and not is_allowed(status, action):
            # A dated record in an imported file is a historical fact, whatever the status then.
            target = status
        else:
            target = next_status(status, action, performance=performance)
        if check_date:
            _check_date(ctx, session, case, on)
        if before is not None:
            before(session, case)
        if note_from is not None:
            note = f"{note}；{note_from(case)}" if note else note_from(case)
        _append_event(ctx, session, case, action, on, status, target, data, note)
        case.status = target.value
        case.version += 1
        case.updated_at = ctx.now()
        if after is not None:
            after(session, case)
        session.add(case)
        refresh_case_deadlines(ctx, session, case)
        return case


# --- lifecycle use cases ------------------------------------------------------------------

@requires(Permission.CASE_HANDLE)
def accept_case(ctx: ServiceContext, case_id: int, on: date | None = None, *, note: str = "",
                expected_version: int | None = None) -> None:
    """受理."""
    def after(session: Session, case: Case) -> None:
        case.accepted_on = on or ctx.today()

    _move(ctx, case_id, Action.ACCEPT, on, expected_version=expected_version, note=note, after=after)


@requires(Permission.CASE_HANDLE)
def reject_case(ctx: ServiceContext, case_id: int, reason: str, on: date | None = None, *,
                expected_version: int | None = None) -> None:
    """不予受理 (e.g. a party clearly refuses mediation, 《人民调解法》 Art. 17)."""
    if not reason or not reason.strip():
        raise ValidationError("reason", "请填写不予受理的理由")
    _move(ctx, case_id, Action.REJECT, on, expected_version=expected_version,
          data={"reason": reason.strip()}, note=reason.strip(), after=_closed(on, ctx))


def _closed(on: date | None, ctx: ServiceContext):
    def after(session: Session, case: Case) -> None:
        case.closed_on = on or ctx.today()
    return after


@requires(Permission.CASE_HANDLE)
def start_mediation(ctx: ServiceContext, case_id: int, on: date | None = None, *, note: str = "",
                    expected_version: int | None = None) -> None:
    """开始调解."""
    _move(ctx, case_id, Action.START, on, expected_version=expected_version, note=note)


@dataclass
class SessionInput:
    on: date
    kind: SessionKind
    place: str = ""
    participants: str = ""
    record: str = ""


@requires(Permission.CASE_HANDLE)
def record_session(ctx: ServiceContext, case_id: int, data: SessionInput, *,
                   expected_version: int | None = None) -> int:
    """记录调查/调解: files the record; the case status does not change."""
    _refuse_bad_texts([("place", data.place, "地点", 200),
                       ("participants", data.participants, "参加人员", 500),
                       ("record", data.record, "调查或调解经过", LONG_TEXT_MAX)])
    if not data.record or not data.record.strip():
        raise ValidationError("record", "请填写调查或调解经过")
    holder: dict[str, int] = {}

    def after(session: Session, case: Case) -> None:
        row = MediationSession(case_id=case.id, on=data.on, kind=data.kind.value,
                               place=data.place or "", participants=data.participants or "",
                               record=data.record.strip())
        session.add(row)
        session.flush()
        holder["id"] = row.id

    _move(ctx, case_id, Action.RECORD_SESSION, data.on, expected_version=expected_version,
          data={"kind": data.kind.value, "place": data.place or ""}, note=data.kind.label,
          after=after, check_date=False)
    return holder["id"]


@requires(Permission.CASE_HANDLE)
def conclude_agreement(ctx: ServiceContext, case_id: int, data: AgreementInput,
                       on: date | None = None, *, expected_version: int | None = None) -> None:
    """达成协议 (written or oral): the case becomes ``agreed``.

    The advisor-review policy applies to written agreements (``cases.reviews.review_gate``):
    refused without an approved review when the office requires one, else a warning is noted.
    """
    on = on or data.signed_on
    review_warning: list[str] = []

    def before(session: Session, case: Case) -> None:
        parties = session.exec(select(func.count()).select_from(CaseParty).where(CaseParty.case_id == case.id)).one()
        errors = check_agreement(data, parties)
        if data.signed_on != on:
            errors.append(ValidationError("agreement.signed_on", "协议签订日期应为达成协议之日"))
        if errors:
            raise ValidationErrors(errors)
        if not ctx.replaying:  # imported history is taken as it happened
            review_warning.append(review_gate(ctx, session, case, data.form))

    def after(session: Session, case: Case) -> None:
        parties = session.exec(select(func.count()).select_from(CaseParty).where(CaseParty.case_id == case.id)).one()
        copies = data.copies or (parties + 1)
        agreement = Agreement(
            case_id=case.id, form=data.form.value, signed_on=data.signed_on, facts=data.facts or "",
            performance_method=data.performance or "", deadline=data.deadline,
            amount_fen=yuan_to_fen(parse_money(data.amount_yuan)), copies=copies,
        )
        session.add(agreement)
        session.flush()
        for i, text in enumerate(t.strip() for t in data.items if t and t.strip()):
            session.add(AgreementTerm(agreement_id=agreement.id, seq=i + 1, text=text))
        case.closed_on = on

    _move(ctx, case_id, Action.AGREE, on, expected_version=expected_version,
          data={"form": data.form.value}, before=before, after=after,
          note_from=lambda case: "；".join(t for t in [data.form.label, *review_warning] if t))


@requires(Permission.CASE_HANDLE)
def fail_mediation(ctx: ServiceContext, case_id: int, reason: str = "", on: date | None = None, *,
                   expected_version: int | None = None) -> None:
    """调解不成 (终止调解): the parties are told of arbitration, administrative and court routes."""
    data = {"reason": reason.strip()} if reason and reason.strip() else {}
    _move(ctx, case_id, Action.FAIL, on, expected_version=expected_version, data=data,
          note=reason or "", after=_closed(on, ctx))


@requires(Permission.CASE_HANDLE)
def withdraw_case(ctx: ServiceContext, case_id: int, reason: str = "", on: date | None = None, *,
                  expected_version: int | None = None) -> None:
    """撤回 (a party ends the mediation, 《人民调解法》 Art. 23)."""
    data = {"reason": reason.strip()} if reason and reason.strip() else {}
    _move(ctx, case_id, Action.WITHDRAW, on, expected_version=expected_version, data=data,
          note=reason or "", after=_closed(on, ctx))


@requires(Permission.CASE_SUPERVISE)
def transfer_case(
    ctx: ServiceContext, case_id: int, *, to_track: Track, to_organization: str, reason: str,
    to_track_detail: TrackDetail | None = None, procedure: Procedure | None = None,
    level: Level | None = None, number: str | None = None, on: date | None = None,
    expected_version: int | None = None,
) -> None:
    """移送 to another track or organisation (三调联动): one case, its whole history kept."""
    if not reason or not reason.strip():
        raise ValidationError("reason", "请填写移送理由")
    errors = check_track(to_track, to_track_detail, procedure)
    if errors:
        raise ValidationErrors([e.at("") for e in errors])
    on = on or ctx.today()
    data: dict[str, Any] = {"to_track": to_track.value, "to_organization": to_organization,
                            "reason": reason.strip()}
    if to_track_detail is not None:
        data["to_track_detail"] = to_track_detail.value
    if procedure is not None:
        data["procedure"] = procedure.value
    if level is not None:
        data["level"] = level.value

    def before(session: Session, case: Case) -> None:
        org = organization_by_name(session, to_organization)
        if org is None:
            raise ValidationError("to_organization", f"接收组织“{to_organization}”不存在")
        if org.id == case.organization_id and to_track.value == case.track:
            raise ValidationError("to_organization", "移送须改变调解组织或调解类型")
        new_number, seq = assign_number(session, org, to_track, on.year, number)
        data["number"] = new_number
        data["_from_number"] = case.number
        data["_from_organization_id"] = case.organization_id
        case.organization_id = org.id
        case.track = to_track.value
        case.track_detail = _v(to_track_detail)
        case.procedure = _v(procedure)
        case.number, case.number_year, case.number_seq = new_number, on.year, seq
        case.accepted_on = None
        case.closed_on = None
        if level is not None:
            case.level = level.value

    _move(ctx, case_id, Action.TRANSFER, on, expected_version=expected_version, data=data,
          note=f"移送至{to_organization}（{to_track.label}）：{reason.strip()}", before=before,
          note_from=lambda case: f"原案号{data['_from_number']}")


@requires(Permission.CASE_SUPERVISE)
def escalate_case(ctx: ServiceContext, case_id: int, level: Level, reason: str,
                  on: date | None = None, *, expected_version: int | None = None) -> None:
    _level_move(ctx, case_id, Action.ESCALATE, level, reason, on, expected_version)


@requires(Permission.CASE_SUPERVISE)
def hand_down_case(ctx: ServiceContext, case_id: int, level: Level, reason: str,
                   on: date | None = None, *, expected_version: int | None = None) -> None:
    _level_move(ctx, case_id, Action.HAND_DOWN, level, reason, on, expected_version)


def _level_move(ctx, case_id, action, level, reason, on, expected_version) -> None:
    if not reason or not reason.strip():
        raise ValidationError("reason", "请填写上报或下交的理由")

    def before(session: Session, case: Case) -> None:
        current = Level(case.level)
        if action is Action.ESCALATE and level.rank <= current.rank:
            raise ValidationError("level", f"上报应到高于{current.label}的层级")
        if action is Action.HAND_DOWN and level.rank >= current.rank:
            raise ValidationError("level", f"下交应到低于{current.label}的层级")
        case.level = level.value

    _move(ctx, case_id, action, on, expected_version=expected_version,
          data={"level": level.value, "reason": reason.strip()}, note=reason.strip(), before=before)


@requires(Permission.CASE_HANDLE)
def extend_handling(ctx: ServiceContext, case_id: int, until: date, reason: str, consent: bool,
                    on: date | None = None, *, expected_version: int | None = None) -> None:
    """延期: the parties consent, a reason is given, the handling clock gets a new date."""
    if not consent:
        raise ValidationError("consent", "延期须经当事人同意")
    if not reason or not reason.strip():
        raise ValidationError("reason", "请填写延期理由")
    on_day = on or ctx.today()

    def before(session: Session, case: Case) -> None:
        deadlines = [d for d in compute_for_case(ctx, session, case.id)
                     if d.kind.value == "handling" and d.state.value == "open"]
        if not deadlines:
            raise ValidationError("until", "该案件当前没有计算中的调解期限，无需延期")
        current = deadlines[-1]
        extensions = session.exec(
            select(func.count()).select_from(TimelineEvent)
            .where(TimelineEvent.case_id == case.id, TimelineEvent.action == Action.EXTEND.value,
                   TimelineEvent.seq > _leg_start_seq(session, case.id))
        ).one()
        rule = handling_rule(Track(case.track), TrackDetail(case.track_detail) if case.track_detail else None,
                             Procedure(case.procedure) if case.procedure else None, ctx.deadline_settings)
        check_extension(rule, current.due, until, extensions, on_day)

    _move(ctx, case_id, Action.EXTEND, on_day, expected_version=expected_version,
          data={"until": until.isoformat(), "reason": reason.strip(), "consent": True},
          note=f"延期至{until.isoformat()}：{reason.strip()}", before=before)


def _leg_start_seq(session: Session, case_id: int) -> int:
    seq = session.exec(
        select(func.max(TimelineEvent.seq)).where(TimelineEvent.case_id == case_id,
                                                  TimelineEvent.action == Action.TRANSFER.value)
    ).one()
    return seq or 0


def _pause_open(session: Session, case_id: int) -> bool:
    rows = session.exec(
        select(TimelineEvent.action).where(
            TimelineEvent.case_id == case_id,
            TimelineEvent.action.in_([Action.PAUSE.value, Action.RESUME.value]),
            TimelineEvent.seq > _leg_start_seq(session, case_id),
        ).order_by(TimelineEvent.seq.desc())
    ).first()
    return rows == Action.PAUSE.value


@requires(Permission.CASE_HANDLE)
def pause_clock(ctx: ServiceContext, case_id: int, reason: str, on: date | None = None, *,
                expected_version: int | None = None) -> None:
    """中止计时 (e.g. medical appraisal time does not count)."""
    if not reason or not reason.strip():
        raise ValidationError("reason", "请填写中止计时的理由（如：医疗损害鉴定）")

    def before(session: Session, case: Case) -> None:
        if _pause_open(session, case.id):
            raise ValidationError("action", "调解期限已在中止计时中")

    _move(ctx, case_id, Action.PAUSE, on, expected_version=expected_version,
          data={"reason": reason.strip()}, note=reason.strip(), before=before)


@requires(Permission.CASE_HANDLE)
def resume_clock(ctx: ServiceContext, case_id: int, reason: str = "", on: date | None = None, *,
                 expected_version: int | None = None) -> None:
    """恢复计时."""
    def before(session: Session, case: Case) -> None:
        if not _pause_open(session, case.id):
            raise ValidationError("action", "调解期限没有中止，无需恢复计时")

    data = {"reason": reason.strip()} if reason and reason.strip() else {}
    _move(ctx, case_id, Action.RESUME, on, expected_version=expected_version, data=data,
          note=reason or "", before=before)


@requires(Permission.CASE_HANDLE)
def record_performance(ctx: ServiceContext, case_id: int, result: PerformanceResult,
                       note: str = "", on: date | None = None, *,
                       expected_version: int | None = None) -> None:
    """记录履行: full → ``performed``; partial or none keep ``agreed`` and flag 督促履行."""
    on_day = on or ctx.today()

    def before(session: Session, case: Case) -> None:
        agreement = session.exec(select(Agreement).where(Agreement.case_id == case.id)).first()
        if agreement is not None and on_day < agreement.signed_on:
            raise ValidationError("on", "履行日期不能早于协议签订日期")

    def after(session: Session, case: Case) -> None:
        session.add(Performance(case_id=case.id, on=on_day, result=result.value, note=note or ""))
        case.needs_supervision = result is not PerformanceResult.FULL

    _move(ctx, case_id, Action.PERFORM, on_day, expected_version=expected_version,
          data={"result": result.value}, note=result.label + (f"：{note}" if note else ""),
          performance=result, before=before, after=after)


@dataclass
class FollowUpInput:
    on: date
    method: FollowUpMethod
    performance: PerformanceResult | None = None
    satisfaction: Satisfaction | None = None
    note: str = ""
    visitor: str = ""


@requires(Permission.CASE_HANDLE)
def record_follow_up(ctx: ServiceContext, case_id: int, data: FollowUpInput, *,
                     expected_version: int | None = None) -> None:
    """回访 after an agreement: how it is performed and whether the parties are satisfied."""
    _refuse_bad_texts([("note", data.note, "回访情况", LONG_TEXT_MAX),
                       ("visitor", data.visitor, "回访人", 50)])

    def before(session: Session, case: Case) -> None:
        agreement = session.exec(select(Agreement).where(Agreement.case_id == case.id)).first()
        if agreement is not None and data.on < agreement.signed_on:
            raise ValidationError("on", "回访日期不能早于协议签订日期")
        if data.on > ctx.today():
            raise ValidationError("on", "回访日期不能晚于今天")

    def after(session: Session, case: Case) -> None:
        session.add(FollowUp(case_id=case.id, on=data.on, method=data.method.value,
                             performance=_v(data.performance), satisfaction=_v(data.satisfaction),
                             note=data.note or "", visitor=data.visitor or ctx.actor))

    _move(ctx, case_id, Action.FOLLOW_UP, data.on, expected_version=expected_version,
          data={"method": data.method.value}, note=data.method.label, before=before, after=after,
          check_date=False)


@requires(Permission.CASE_HANDLE)
def record_judicial_confirmation(
    ctx: ServiceContext, case_id: int, *, applied_on: date, court: str,
    result: ConfirmationResult = ConfirmationResult.PENDING, ruled_on: date | None = None,
    expected_version: int | None = None,
) -> None:
    """司法确认: the joint application (within 30 days of the agreement) and the court's ruling."""
    _refuse_bad_texts([("court", court, "人民法院", 100)])
    if not court or not court.strip():
        raise ValidationError("court", "请填写受理司法确认的人民法院")
    if result is not ConfirmationResult.PENDING and ruled_on is None:
        raise ValidationError("on", "已裁定的司法确认须填写裁定日期")
    if ruled_on is not None and ruled_on < applied_on:
        raise ValidationError("on", "裁定日期不能早于申请日期")

    def before(session: Session, case: Case) -> None:
        agreement = session.exec(select(Agreement).where(Agreement.case_id == case.id)).first()
        if agreement is None or agreement.form != AgreementForm.WRITTEN.value:
            raise ValidationError("judicial_confirmation", "只有书面调解协议可以申请司法确认")
        if applied_on < agreement.signed_on:
            raise ValidationError("applied_on", "申请日期不能早于协议签订日期")
        if applied_on > ctx.today() or (ruled_on and ruled_on > ctx.today()):
            raise ValidationError("applied_on", "日期不能晚于今天")
        row = session.exec(select(JudicialConfirmation).where(JudicialConfirmation.case_id == case.id)).first()
        if row is None:
            row = JudicialConfirmation(case_id=case.id, applied_on=applied_on, court=court.strip())
        row.applied_on, row.court = applied_on, court.strip()
        row.result, row.ruled_on = result.value, ruled_on
        row.version += 1 if row.id else 0
        session.add(row)

    _move(ctx, case_id, Action.JUDICIAL_CONFIRMATION, applied_on, expected_version=expected_version,
          data={"applied_on": applied_on.isoformat(), "court": court.strip(), "result": result.value,
                "on": ruled_on.isoformat() if ruled_on else None},
          note=f"{court.strip()}：{result.label}", before=before, check_date=False)


@requires(Permission.CASE_HANDLE)
def archive_case(ctx: ServiceContext, case_id: int, on: date | None = None, *, note: str = "",
                 expected_version: int | None = None, reason: str | None = None) -> None:
    """归档 (立卷归档). A dossier lacking a required item needs ``reason`` (卷宗情况说明)."""
    data: dict[str, Any] = {}

    def before(session: Session, case: Case) -> None:  # after the move itself was allowed
        if not ctx.replaying:  # imported history is never blocked
            data.update(check_archive(ctx, case_id, reason) or {})

    _move(ctx, case_id, Action.ARCHIVE, on, expected_version=expected_version, note=note, data=data,
          before=before)


# --- editing the record -------------------------------------------------------------------

EDITABLE_FIELDS = {"summary", "requests", "people_involved", "risk_level", "risk_flags",
                   "amount_yuan", "category", "grid"}
_EDITED_TEXTS = (("summary", "纠纷简要情况", LONG_TEXT_MAX), ("requests", "申请事项", LONG_TEXT_MAX),
                 ("grid", "网格", 100))


@requires(Permission.CASE_HANDLE)
def update_case_info(ctx: ServiceContext, case_id: int, expected_version: int, **changes: Any) -> int:
    """Edit the basic facts of a case; a stale ``expected_version`` raises ConflictError.

    Returns the new version.
    """
    unknown = set(changes) - EDITABLE_FIELDS
    if unknown:
        raise ValidationError(sorted(unknown)[0], "该项不能在此修改")
    with ctx.transaction() as session:
        case = _lock_case(session, case_id, expected_version)
        changed = []
        texts = check_texts([(key, changes[key].strip() if isinstance(changes[key], str)
                              else changes[key], label, limit)
                             for key, label, limit in _EDITED_TEXTS if key in changes])
        if texts:
            raise texts[0]
        if "summary" in changes:
            if not changes["summary"] or not str(changes["summary"]).strip():
                raise ValidationError("summary", "纠纷简要情况不能为空")
            case.summary = str(changes["summary"]).strip()
            changed.append("纠纷简要情况")
        if "requests" in changes:
            case.requests = str(changes["requests"] or "").strip()
            changed.append("申请事项")
        if "people_involved" in changes:
            n = changes["people_involved"]
            if isinstance(n, bool) or not isinstance(n, int) or n < 1:
                raise ValidationError("people_involved", "涉及人数应为正整数")
            if n > MAX_PEOPLE:
                raise ValidationError("people_involved", f"涉及人数不能超过{MAX_PEOPLE}人")
            case.people_involved = n
            changed.append("涉及人数")
        if "amount_yuan" in changes:
            case.amount_fen = yuan_to_fen(parse_money(changes["amount_yuan"], path="amount_yuan",
                                                      field="涉及金额"))
            changed.append("涉及金额")
        if "risk_level" in changes:
            case.risk_level = changes["risk_level"].value
            changed.append("风险等级")
        if "risk_flags" in changes:
            case.risk_flags = ",".join(dict.fromkeys(f.value for f in changes["risk_flags"]))
            changed.append("风险标记")
        if "category" in changes:
            case.category = changes["category"].value
            changed.append("纠纷类型")
        if "grid" in changes:
            name = changes["grid"]
            if name:
                grid = grid_by_name(session, case.village_id, name)
                if grid is None:
                    raise ValidationError("grid", f"所在村（社区）没有名为“{name}”的网格")
                case.grid_id = grid.id
            else:
                case.grid_id = None
            changed.append("网格")
        case.version += 1
        case.updated_at = ctx.now()
        session.add(case)
        last = session.exec(select(func.max(TimelineEvent.seq)).where(TimelineEvent.case_id == case.id)).one()
        session.add(TimelineEvent(case_id=case.id, seq=(last or 0) + 1, on=ctx.today(), at=ctx.now(),
                                  action="edit", from_status=case.status, to_status=case.status,
                                  actor=ctx.actor, note="修改：" + "、".join(changed), data={}))
        audit.record(ctx, session, "case.edit", case.number, {"case_id": case.id, "fields": changed})
        return case.version


