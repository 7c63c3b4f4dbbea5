"""A case's rows built from its history: every lifecycle move as rules on an in-memory
``CaseState`` (registration is in ``registration``).

Both write paths go through here, so each rule lives once: the use cases (``lifecycle``) load one
case from the database, apply one move and write what it added (``stored``); the bulk import
(``exchange.bulk``) registers thousands of cases in memory, replays their history and writes the
rows in batches. What needs the database (names, numbers, persons, ids) is asked of a
``Directory``, which each path implements its own way.
"""
from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from mediator.domain.deadlines import (
    AgreementFacts,
    CaseEvent,
    Deadline,
    check_extension,
    compute_deadlines,
    handling_rule,
)
from mediator.domain.enums import (
    AgreementForm,
    CaseStatus,
    ConfirmationResult,
    Level,
    PerformanceResult,
    Procedure,
    Track,
    TrackDetail,
)
from mediator.domain.errors import ValidationError, ValidationErrors
from mediator.domain.lifecycle import Action, is_allowed, next_status
from mediator.domain.validators import parse_money, yuan_to_fen
from mediator.services.cases.drafts import DRAFT_ACTION, DraftInput, check_draft, draft_text
from mediator.services.cases.inputs import (
    LONG_TEXT_MAX,
    AgreementInput,
    FollowUpInput,
    SessionInput,
    SupplementInput,
    check_agreement,
    check_texts,
    check_track,
    supplement_note,
    supplement_reason,
    supplement_terms,
)
from mediator.services.cases.state import RECORD_ACTIONS, CaseState, Directory
from mediator.services.context import ServiceContext
from mediator.services.input_types import refuse_mistyped
from mediator.store.models import (
    Agreement,
    AgreementTerm,
    DraftAgreement,
    FollowUp,
    JudicialConfirmation,
    MediationSession,
    Performance,
    SupplementaryAgreement,
    TimelineEvent,
)
from mediator.store.widths import width


def _v(member: Any) -> str | None:
    return None if member is None else member._value_


def refuse_bad_texts(fields: list[tuple[str, object, str, int | None]]) -> None:
    """Raise every control character, wrong type or over-long text among the fields."""
    problems = check_texts(fields)
    if problems:
        raise ValidationErrors(problems)


def earlier_reason(name: str, same_id: bool) -> str:
    return f"{name}：{'身份证号相同' if same_id else '姓名和电话相同'}"


def deadline_facts(state: CaseState) -> AgreementFacts | None:
    a = state.agreement
    return None if a is None else AgreementFacts(AgreementForm(a["form"]), a["signed_on"], a["deadline"])


class CaseHistory:
    """The rules of each move of a case, applied to a ``CaseState``.

    ``replaying``: an imported history; a dated record the transition table would refuse (a
    follow-up after archiving) is kept as the fact it is.
    """

    def __init__(self, ctx: ServiceContext, directory: Directory, *, replaying: bool) -> None:
        self.ctx = ctx
        self.directory = directory
        self.replaying = replaying
        self.today = ctx.today()
        self.now: datetime = ctx.now()
        self.actor = ctx.actor

    # --- the machinery of a move --------------------------------------------------------

    def append_event(self, s: CaseState, action: Action | str, on: date, from_status: CaseStatus | None,
               to_status: CaseStatus | None, data: dict | None, note: str) -> None:
        data = data or {}
        # (a plain attribute: `.value` is a slow descriptor on enums); a record action is a code
        code = action if type(action) is str else action._value_
        s.seq += 1
        event = s.add(TimelineEvent, {
            "id": self.directory.new_id(TimelineEvent), "case_id": s.id, "seq": s.seq, "on": on,
            "at": self.now, "action": code, "from_status": _v(from_status),
            "to_status": _v(to_status), "actor": self.actor, "note": note or "", "data": data,
            "imported": self.replaying,
        })
        s.new_events.append(event)
        s.events.append(CaseEvent(on, code, data))

    def _check_date(self, s: CaseState, on: date, path: str = "on") -> None:
        if on > self.today:
            raise ValidationError(path, "日期不能晚于今天")
        received = s.row["received_on"]
        if on < received:
            raise ValidationError(path, f"日期不能早于收案日期{received.isoformat()}")
        if s.last_on is not None and on < s.last_on:
            raise ValidationError(path, f"日期不能早于上一步办理日期{s.last_on.isoformat()}")

    def _move(self, s: CaseState, action: Action, on: date, *, data: dict | None = None,
              note: str = "", performance: PerformanceResult | None = None, check_date: bool = True,
              before: Callable[[], None] | None = None, after: Callable[[], None] | None = None,
              note_from: Callable[[], str] | None = None) -> None:
        """One lifecycle action: the transition table, the date, the event, the new status."""
        refuse_bad_texts([("note", note, "说明", LONG_TEXT_MAX)])
        status = s.status
        record = action._value_ in RECORD_ACTIONS
        if self.replaying and record and not is_allowed(status, action):
            target = status  # a dated record in an imported file is a historical fact
        else:
            target = next_status(status, action, performance=performance)
        if check_date:
            self._check_date(s, on)
        if before is not None:
            before()
        if note_from is not None:
            note = f"{note}；{note_from()}" if note else note_from()
        self.append_event(s, action, on, status, target, data, note)
        if not record:
            s.last_on = on
        s.status = target
        s.row["status"] = target._value_
        s.row["version"] += 1
        s.row["updated_at"] = self.now
        if after is not None:
            after()

    def _closing(self, s: CaseState, on: date) -> Callable[[], None]:
        def after() -> None:
            s.row["closed_on"] = on
        return after

    # --- the moves ----------------------------------------------------------------------

    def accept(self, s: CaseState, on: date, note: str = "") -> None:
        """受理."""
        def after() -> None:
            s.row["accepted_on"] = on
        self._move(s, Action.ACCEPT, on, note=note, after=after)

    def reject(self, s: CaseState, reason: str, on: date) -> None:
        """不予受理 (e.g. a party clearly refuses mediation, 《人民调解法》 Art. 17)."""
        if not reason or not reason.strip():
            raise ValidationError("reason", "请填写不予受理的理由")
        self._move(s, Action.REJECT, on, data={"reason": reason.strip()}, note=reason.strip(),
                   after=self._closing(s, on))

    def start(self, s: CaseState, on: date, note: str = "") -> None:
        """开始调解."""
        self._move(s, Action.START, on, note=note)

    def end(self, s: CaseState, action: Action, reason: str, on: date) -> None:
        """调解不成 (FAIL) or 撤回 (WITHDRAW)."""
        data = {"reason": reason.strip()} if reason and reason.strip() else {}
        self._move(s, action, on, data=data, note=reason or "", after=self._closing(s, on))

    def record_session(self, s: CaseState, data: SessionInput) -> dict[str, Any]:
        """记录调查/调解; returns the new row. The status does not change."""
        refuse_mistyped(data)
        refuse_bad_texts([("place", data.place, "地点", width(MediationSession.place)),
                          ("participants", data.participants, "参加人员", width(MediationSession.participants)),
                          ("record", data.record, "调查或调解经过", LONG_TEXT_MAX)])
        if not data.record or not data.record.strip():
            raise ValidationError("record", "请填写调查或调解经过")
        row: dict[str, Any] = {}

        def after() -> None:
            row.update({"id": self.directory.new_id(MediationSession), "case_id": s.id,
                        "on": data.on, "kind": data.kind.value, "place": data.place or "",
                        "participants": data.participants or "", "record": data.record.strip(),
                        "version": 1})
            s.add(MediationSession, row)

        self._move(s, Action.RECORD_SESSION, data.on,
                   data={"kind": data.kind.value, "place": data.place or ""}, note=data.kind.label,
                   after=after, check_date=False)
        return row

    def agree(self, s: CaseState, data: AgreementInput, on: date,
              review: Callable[[], str] | None = None) -> None:
        """达成协议 (written or oral). ``review`` applies the advisor-review policy once the
        agreement itself is sound: it raises to refuse, or returns a warning for the note."""
        warning: list[str] = []

        def before() -> None:
            errors = check_agreement(data, s.parties)
            if data.signed_on != on:
                errors.append(ValidationError("agreement.signed_on", "协议签订日期应为达成协议之日"))
            if errors:
                raise ValidationErrors(errors)
            if review is not None:
                warning.append(review())

        def after() -> None:
            agreement = s.add(Agreement, {
                "id": self.directory.new_id(Agreement), "case_id": s.id, "form": data.form.value,
                "signed_on": data.signed_on, "facts": data.facts or "",
                "performance_method": data.performance or "", "deadline": data.deadline,
                "amount_fen": yuan_to_fen(parse_money(data.amount_yuan)),
                "copies": data.copies or (s.parties + 1), "version": 1,
            })
            s.agreement = agreement
            for i, text in enumerate(t.strip() for t in data.items if t and t.strip()):
                s.add(AgreementTerm, {"id": self.directory.new_id(AgreementTerm),
                                      "agreement_id": agreement["id"], "seq": i + 1, "text": text})
            s.row["closed_on"] = on

        self._move(s, Action.AGREE, on, data={"form": data.form.value}, before=before, after=after,
                   note_from=lambda: "；".join(t for t in (data.form.label, *warning) if t))

    def transfer(self, s: CaseState, *, to_track: Track, to_organization: str, reason: str,
                 to_track_detail: TrackDetail | None, procedure: Procedure | None,
                 level: Level | None, number: str | None, on: date) -> None:
        """移送 to another track or organisation (三调联动): one case, its whole history kept."""
        if not reason or not reason.strip():
            raise ValidationError("reason", "请填写移送理由")
        errors = check_track(to_track, to_track_detail, procedure)
        if errors:
            raise ValidationErrors([e.at("") for e in errors])
        data: dict[str, Any] = {"to_track": to_track.value, "to_organization": to_organization,
                                "reason": reason.strip()}
        if to_track_detail is not None:
            data["to_track_detail"] = to_track_detail.value
        if procedure is not None:
            data["procedure"] = procedure.value
        if level is not None:
            data["level"] = level.value
        row = s.row

        def before() -> None:
            org = self.directory.organization(to_organization)
            if org is None:
                raise ValidationError("to_organization", f"接收组织“{to_organization}”不存在")
            if org[0] == row["organization_id"] and to_track.value == row["track"]:
                raise ValidationError("to_organization", "移送须改变调解组织或调解类型")
            new_number, seq = self.directory.assign_number(org[0], org[1], to_track, on.year, number,
                                                           "number")
            data["number"] = new_number
            data["_from_number"] = row["number"]
            data["_from_organization_id"] = row["organization_id"]
            self.directory.number_released(row["organization_id"], row["track"], row["number_year"],
                                           row["number_seq"])
            row.update(organization_id=org[0], track=to_track.value,
                       track_detail=_v(to_track_detail), procedure=_v(procedure), number=new_number,
                       number_year=on.year, number_seq=seq, accepted_on=None, closed_on=None)
            if level is not None:
                row["level"] = level.value
            s.paused = False  # a new leg: its own clock
            s.extensions = 0

        self._move(s, Action.TRANSFER, on, data=data, before=before,
                   note=f"移送至{to_organization}（{to_track.label}）：{reason.strip()}",
                   note_from=lambda: f"原案号{data['_from_number']}")

    def change_level(self, s: CaseState, action: Action, level: Level, reason: str, on: date) -> None:
        """上报 (ESCALATE) or 下交 (HAND_DOWN) between the handling levels."""
        if not reason or not reason.strip():
            raise ValidationError("reason", "请填写上报或下交的理由")

        def before() -> None:
            current = Level(s.row["level"])
            if action is Action.ESCALATE and level.rank <= current.rank:
                raise ValidationError("level", f"上报应到高于{current.label}的层级")
            if action is Action.HAND_DOWN and level.rank >= current.rank:
                raise ValidationError("level", f"下交应到低于{current.label}的层级")
            s.row["level"] = level.value

        self._move(s, action, on, data={"level": level.value, "reason": reason.strip()},
                   note=reason.strip(), before=before)

    def extend(self, s: CaseState, until: date, reason: str, consent: bool, on: date) -> None:
        """延期: the parties consent, a reason is given, the handling clock gets a new date."""
        if not consent:
            raise ValidationError("consent", "延期须经当事人同意")
        if not reason or not reason.strip():
            raise ValidationError("reason", "请填写延期理由")

        def before() -> None:
            open_ = [d for d in self.deadlines(s) if d.kind.value == "handling" and d.state.value == "open"]
            if not open_:
                raise ValidationError("until", "该案件当前没有计算中的调解期限，无需延期")
            row = s.row
            rule = handling_rule(Track(row["track"]),
                                 TrackDetail(row["track_detail"]) if row["track_detail"] else None,
                                 Procedure(row["procedure"]) if row["procedure"] else None,
                                 self.ctx.deadline_settings)
            check_extension(rule, open_[-1].due, until, s.extensions, on)

        def after() -> None:
            s.extensions += 1

        self._move(s, Action.EXTEND, on,
                   data={"until": until.isoformat(), "reason": reason.strip(), "consent": True},
                   note=f"延期至{until.isoformat()}：{reason.strip()}", before=before, after=after)

    def pause(self, s: CaseState, reason: str, on: date) -> None:
        """中止计时 (e.g. medical appraisal time does not count)."""
        if not reason or not reason.strip():
            raise ValidationError("reason", "请填写中止计时的理由（如：医疗损害鉴定）")

        def before() -> None:
            if s.paused:
                raise ValidationError("action", "调解期限已在中止计时中")

        def after() -> None:
            s.paused = True

        self._move(s, Action.PAUSE, on, data={"reason": reason.strip()}, note=reason.strip(),
                   before=before, after=after)

    def resume(self, s: CaseState, reason: str, on: date) -> None:
        """恢复计时."""
        def before() -> None:
            if not s.paused:
                raise ValidationError("action", "调解期限没有中止，无需恢复计时")

        def after() -> None:
            s.paused = False

        data = {"reason": reason.strip()} if reason and reason.strip() else {}
        self._move(s, Action.RESUME, on, data=data, note=reason or "", before=before, after=after)

    def perform(self, s: CaseState, result: PerformanceResult, note: str, on: date) -> None:
        """记录履行: full → ``performed``; partial or none keep ``agreed`` and flag 督促履行."""
        def before() -> None:
            if s.agreement is not None and on < s.agreement["signed_on"]:
                raise ValidationError("on", "履行日期不能早于协议签订日期")

        def after() -> None:
            s.add(Performance, {"id": self.directory.new_id(Performance), "case_id": s.id, "on": on,
                                "result": result.value, "note": note or ""})
            s.row["needs_supervision"] = result is not PerformanceResult.FULL

        self._move(s, Action.PERFORM, on, data={"result": result.value},
                   note=result.label + (f"：{note}" if note else ""), performance=result,
                   before=before, after=after)

    def follow_up(self, s: CaseState, data: FollowUpInput) -> None:
        """回访 after an agreement: how it is performed and whether the parties are satisfied."""
        refuse_mistyped(data)
        refuse_bad_texts([("note", data.note, "回访情况", LONG_TEXT_MAX),
                          ("visitor", data.visitor, "回访人", width(FollowUp.visitor))])

        def before() -> None:
            if s.agreement is not None and data.on < s.agreement["signed_on"]:
                raise ValidationError("on", "回访日期不能早于协议签订日期")
            if data.on > self.today:
                raise ValidationError("on", "回访日期不能晚于今天")

        def after() -> None:
            s.add(FollowUp, {
                "id": self.directory.new_id(FollowUp), "case_id": s.id, "on": data.on,
                "method": data.method.value, "performance": _v(data.performance),
                "satisfaction": _v(data.satisfaction), "note": data.note or "",
                "visitor": data.visitor or self.actor,
            })

        self._move(s, Action.FOLLOW_UP, data.on, data={"method": data.method.value},
                   note=data.method.label, before=before, after=after, check_date=False)

    def supplement(self, s: CaseState, data: SupplementInput, seq: int) -> None:
        """变更/补充协议 number ``seq`` of an imported case, after its agreement (a record: the
        status stays). The use case (``supplementary``) checks the same for one signed today."""
        refuse_mistyped(data)
        terms = supplement_terms(list(data.terms))
        reason = supplement_reason(data.reason)
        if s.agreement is None:
            raise ValidationError("kind", "尚未达成协议，不能签订变更（补充）协议")
        if data.signed_on > self.today:
            raise ValidationError("signed_on", "签订日期不能晚于今天")
        if data.signed_on < s.agreement["signed_on"]:
            raise ValidationError("signed_on",
                                  f"签订日期不能早于原协议签订日期{s.agreement['signed_on'].isoformat()}")
        row = s.add(SupplementaryAgreement, {
            "id": self.directory.new_id(SupplementaryAgreement), "case_id": s.id, "seq": seq,
            "kind": data.kind._value_, "signed_on": data.signed_on, "terms": terms, "reason": reason,
            "recorded_at": self.now, "recorded_by": self.actor})
        self.append_event(s, "supplement", data.signed_on, s.status, s.status,
                          {"supplement_id": row["id"], "kind": data.kind._value_, "seq": seq},
                          supplement_note(seq, data.kind, data.signed_on, terms, reason))
        s.row["version"] += 1
        s.row["updated_at"] = self.now

    def draft(self, s: CaseState, data: DraftInput, revision: int, signed: bool, on: date) -> None:
        """拟定协议 of an imported case: its draft as it stands (revision ``revision``, frozen by
        signing when ``signed``), with one 拟定协议 line dated ``on``. It belongs to a case in
        调解中: a signed one is replayed just before its 达成协议, an unsigned one after the
        whole history. Paths are the file's (``draft``, ``draft.items``, …)."""
        if s.status is not CaseStatus.MEDIATING:
            name = s.row.get("ref") or s.row.get("number") or ""
            when, which = ("达成协议时", "已签订") if signed else ("", "未签订")
            raise ValidationError("draft", f"案件“{name}”{when}为{s.status.label}，不在调解中，"
                                           f"{which}的协议草稿（draft）不能导入")
        errors = check_draft(data, s.parties, None, path="draft")
        if errors:
            raise ValidationErrors(errors)
        text = draft_text(data, revision)
        s.add(DraftAgreement, {
            "id": self.directory.new_id(DraftAgreement), "case_id": s.id, "facts": text.facts,
            "items": list(text.items), "performance_method": text.performance, "deadline": text.deadline,
            "amount_fen": yuan_to_fen(parse_money(text.amount_yuan)), "copies": text.copies,
            "revision": revision, "signed": signed, "updated_by": self.actor, "updated_at": self.now})
        self.append_event(s, DRAFT_ACTION, on, s.status, s.status, {"revision": revision, "_draft": text.to_json()},
                          f"拟定协议（第{revision}稿{'，签订时定稿' if signed else ''}）：协议条款{len(text.items)}条")
        s.row["version"] += 1
        s.row["updated_at"] = self.now

    def confirm(self, s: CaseState, *, applied_on: date, court: str, result: ConfirmationResult,
                ruled_on: date | None) -> None:
        """司法确认: the joint application (within 30 days of the agreement) and the ruling."""
        refuse_bad_texts([("court", court, "人民法院", width(JudicialConfirmation.court))])
        if not court or not court.strip():
            raise ValidationError("court", "请填写受理司法确认的人民法院")
        if result is not ConfirmationResult.PENDING and ruled_on is None:
            raise ValidationError("on", "已裁定的司法确认须填写裁定日期")
        if ruled_on is not None and ruled_on < applied_on:
            raise ValidationError("on", "裁定日期不能早于申请日期")

        def before() -> None:
            agreement = s.agreement
            if agreement is None or agreement["form"] != AgreementForm.WRITTEN.value:
                raise ValidationError("judicial_confirmation", "只有书面调解协议可以申请司法确认")
            if applied_on < agreement["signed_on"]:
                raise ValidationError("applied_on", "申请日期不能早于协议签订日期")
            if applied_on > self.today or (ruled_on and ruled_on > self.today):
                raise ValidationError("applied_on", "日期不能晚于今天")
            row = s.confirmation
            if row is None:
                row = s.confirmation = s.add(JudicialConfirmation, {
                    "id": self.directory.new_id(JudicialConfirmation), "case_id": s.id, "version": 1})
            else:
                row["version"] += 1
                if not any(r is row for r in s.added.get(JudicialConfirmation, ())):
                    s.changed.append((JudicialConfirmation, row))
            row.update(applied_on=applied_on, court=court.strip(), result=result.value,
                       ruled_on=ruled_on)

        self._move(s, Action.JUDICIAL_CONFIRMATION, applied_on,
                   data={"applied_on": applied_on.isoformat(), "court": court.strip(),
                         "result": result.value, "on": ruled_on.isoformat() if ruled_on else None},
                   note=f"{court.strip()}：{result.label}", before=before, check_date=False)

    def archive(self, s: CaseState, on: date, note: str = "",
                dossier: Callable[[], dict | None] | None = None) -> None:
        """归档. ``dossier`` checks the 卷宗 once the move is allowed: it raises when an item is
        missing without a reason, or returns what is missing and why (卷宗情况说明)."""
        data: dict[str, Any] = {}

        def before() -> None:
            if dossier is not None:
                data.update(dossier() or {})

        self._move(s, Action.ARCHIVE, on, note=note, data=data, before=before)

    # --- deadlines ----------------------------------------------------------------------

    def deadlines(self, s: CaseState) -> list[Deadline]:
        """The case's statutory deadlines as its history gives them today."""
        return compute_deadlines(s.events, deadline_facts(s), self.ctx.calendar,
                                 self.ctx.deadline_settings, self.today)
