"""An imported case's history replayed through ``CaseHistory``: its registration, each step of the
file (lifecycle events and dated records) and its deadlines, every fault at its path in the file.

Both importers replay here, so the two give the same rows and the same faults; they differ only
in their ``Directory`` and in how they write the rows.
"""
from __future__ import annotations

from datetime import date

from mediator.domain.enums import Level, PerformanceResult, Procedure, Track, TrackDetail
from mediator.domain.errors import DomainError, ValidationError, ValidationErrors
from mediator.domain.lifecycle import Action
from mediator.services.cases.deadlines import deadline_row
from mediator.services.cases.history import CaseHistory
from mediator.services.cases.registration import register
from mediator.services.cases.state import CaseState
from mediator.services.exchange.document import ReadCase, Step, step_error
from mediator.services.exchange.reader import Reader
from mediator.store.models import CaseDeadline

NO_REASON = "（导入记录未注明理由）"


class CaseFault(Exception):
    """A case of the file that cannot be imported, with every fault found in it."""

    def __init__(self, errors: list[ValidationError]) -> None:
        super().__init__("case fault")
        self.errors = errors


def replay_case(history: CaseHistory, case: ReadCase) -> CaseState:
    """The case registered, its steps replayed and its deadlines computed; or ``CaseFault``."""
    try:
        state = register(history, case.data)
    except ValidationErrors as e:
        raise CaseFault([err.at(case.path) for err in e.errors]) from None
    except ValidationError as e:
        raise CaseFault([e.at(case.path)]) from None
    for step in case.steps:
        try:
            replay_step(history, state, step)
        except ValidationErrors as e:
            raise CaseFault([step_error(step, err) for err in e.errors]) from None
        except DomainError as e:
            raise CaseFault([step_error(step, e)]) from None
    new_id = history.directory.new_id
    for d in history.deadlines(state):
        state.add(CaseDeadline, {"id": new_id(CaseDeadline), **deadline_row(state.id, d)})
    return state


def _checked(reader: Reader) -> None:
    if reader.errors:
        raise ValidationErrors(reader.errors)


def replay_step(h: CaseHistory, s: CaseState, step: Step) -> None:
    """One step of the file applied to the case."""
    p, on, kind = step.payload, step.on, step.kind
    if kind == "session":
        h.record_session(s, p)
    elif kind == "follow_up":
        h.follow_up(s, p)
    elif kind == "supplement":
        data, seq = p
        h.supplement(s, data, seq)
    elif kind == "draft":
        data, revision, signed = p
        h.draft(s, data, revision, signed, on)
    elif kind == "judicial_confirmation":
        h.confirm(s, applied_on=p["applied_on"], court=p["court"], result=p["result"],
                  ruled_on=p["ruled_on"])
    elif kind == "accept":
        h.accept(s, on, p.get("note") or "")
    elif kind == "start":
        h.start(s, on, p.get("note") or "")
    elif kind == "reject":
        h.reject(s, p.get("reason") or NO_REASON, on)
    elif kind == "agree":
        if p is None:
            raise ValidationError("agreement", "缺少协议内容")
        h.agree(s, p, on or p.signed_on)
    elif kind in ("fail", "withdraw"):
        h.end(s, Action.FAIL if kind == "fail" else Action.WITHDRAW, p.get("reason") or "", on)
    elif kind == "transfer":
        reader = Reader()
        track = reader.enum(p, "to_track", "", Track, what="调解类型")
        detail = reader.enum(p, "to_track_detail", "", TrackDetail, required=False, what="调解类别")
        procedure = reader.enum(p, "procedure", "", Procedure, required=False, what="程序")
        level = reader.enum(p, "level", "", Level, required=False, what="处理层级")
        org = reader.text(p, "to_organization", "")
        _checked(reader)
        h.transfer(s, to_track=track, to_organization=org, reason=p.get("reason") or "",
                   to_track_detail=detail, procedure=procedure, level=level,
                   number=p.get("number"), on=on)
    elif kind in ("escalate", "hand_down"):
        reader = Reader()
        level = reader.enum(p, "level", "", Level, what="处理层级")
        _checked(reader)
        action = Action.ESCALATE if kind == "escalate" else Action.HAND_DOWN
        h.change_level(s, action, level, p.get("reason") or NO_REASON, on)
    elif kind == "extend":
        reader = Reader()
        until: date = reader.day(p, "until", "")
        _checked(reader)
        h.extend(s, until, p.get("reason") or NO_REASON, p.get("consent", False) is True, on)
    elif kind == "pause":
        h.pause(s, p.get("reason") or NO_REASON, on)
    elif kind == "resume":
        h.resume(s, p.get("reason") or "", on)
    elif kind == "perform":
        reader = Reader()
        result = reader.enum(p, "result", "", PerformanceResult, what="履行结果")
        _checked(reader)
        h.perform(s, result, p.get("note") or "", on)
    elif kind == "archive":
        h.archive(s, on, p.get("note") or "")
