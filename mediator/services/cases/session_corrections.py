"""更正 a session record (调查/调解记录) after it was filed: what it replaced stays on the timeline."""
from __future__ import annotations

from datetime import date

from mediator.domain.enums import SessionKind
from mediator.domain.errors import ValidationError, ValidationErrors
from mediator.services.cases.change_log import Change, change, record_changes, shown
from mediator.services.cases.inputs import LONG_TEXT_MAX, SessionInput, check_texts
from mediator.services.cases.stored import lock_case
from mediator.services.changes import OpChanges
from mediator.services.context import ServiceContext
from mediator.services.permissions import Permission, requires
from mediator.store.models import MediationSession

_LABELS = {"on": "日期", "kind": "类别", "place": "地点", "participants": "参加人员",
           "record": "调查或调解经过"}
_SHOWN = {"kind": lambda v: SessionKind(v).label}


def _check(data: SessionInput, today: date, received: date) -> None:
    problems = check_texts([("place", data.place, "地点", 200),
                            ("participants", data.participants, "参加人员", 500),
                            ("record", data.record, "调查或调解经过", LONG_TEXT_MAX)])
    if not problems and (not data.record or not data.record.strip()):
        problems.append(ValidationError("record", "请填写调查或调解经过"))
    if data.on > today:
        problems.append(ValidationError("on", "日期不能晚于今天"))
    elif data.on < received:
        problems.append(ValidationError("on", f"日期不能早于收案日期{received.isoformat()}"))
    if problems:
        raise ValidationErrors(problems)


@requires(Permission.CASE_HANDLE)
def correct_session(ctx: ServiceContext, case_id: int, session_id: int, data: SessionInput, *,
                    expected_version: int | None = None) -> OpChanges:
    """更正调查/调解记录: date, kind, place, participants and the record text, each change kept.

    A stale ``expected_version`` (of the case) raises ConflictError; the same values are no change.
    """
    with ctx.transaction() as session:
        case = lock_case(session, case_id, expected_version)
        row = session.get(MediationSession, session_id)
        if row is None or row.case_id != case.id:
            raise ValidationError("session", "该记录不属于本案件")
        _check(data, ctx.today(), case.received_on)
        new = {"on": data.on, "kind": data.kind.value, "place": (data.place or "").strip(),
               "participants": (data.participants or "").strip(), "record": data.record.strip()}
        done: list[Change] = []
        for key, label in _LABELS.items():
            before = getattr(row, key)
            if before != new[key]:
                done.append(change(f"sessions[{row.id}].{key}", label, before, new[key],
                                   _SHOWN.get(key, shown)))
                setattr(row, key, new[key])
        if not done:
            return OpChanges()
        row.version += 1
        session.add(row)
        title = f"更正{SessionKind(row.kind).label}记录（{row.on.isoformat()}）"
        record_changes(ctx, session, case, title, done, {"session_id": row.id})
        return OpChanges.of_cases([case.id], reminders=False)
