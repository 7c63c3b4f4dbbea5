"""Corrections after registration: the case's facts and its parties, each change kept.

Every correction writes an ``edit`` timeline event saying who changed which field from what to
what (身份证号 and phones masked in what everyone reads; the exact old values kept in the event's
hidden ``_changes``). Once the agreement is signed, what it names of a party (who they are) is
frozen: a change then is a 变更/补充协议, not an edit in place.
"""
from __future__ import annotations

from typing import Any

from sqlmodel import Session, func, select

from mediator.domain.enums import Category, Gender, PartyKind, PartyRole, RiskFlag, RiskLevel
from mediator.domain.errors import ValidationError, ValidationErrors
from mediator.domain.masking import mask_id_number, mask_phone
from mediator.domain.validators import fen_to_yuan, normalize_id_number, parse_money, yuan_to_fen
from mediator.services.cases.change_log import Change, plain, record_changes, shown
from mediator.services.cases.deadlines import refresh_case_deadlines
from mediator.services.cases.history import earlier_reason
from mediator.services.cases.inputs import (
    LONG_TEXT_MAX,
    MAX_PEOPLE,
    PartyInput,
    check_party,
    check_texts,
    normalized_party,
)
from mediator.services.cases.registration import party_row
from mediator.services.cases.stored import StoredDirectory, earlier_cases, lock_case, next_in_case
from mediator.services.changes import OpChanges, OpChangesWithId
from mediator.services.context import ServiceContext
from mediator.services.permissions import Permission, requires
from mediator.services.places.reference import grid_by_name
from mediator.store.models import Agreement, Case, CaseLink, CaseParty, Person, Region

# --- the case's facts -----------------------------------------------------------------------

EDITABLE_FIELDS = {"summary", "requests", "people_involved", "risk_level", "risk_flags",
                   "amount_yuan", "category", "grid"}
_EDITED_TEXTS = (("summary", "纠纷简要情况", LONG_TEXT_MAX), ("requests", "申请事项", LONG_TEXT_MAX),
                 ("grid", "网格", 100))


@requires(Permission.CASE_HANDLE)
def update_case_info(ctx: ServiceContext, case_id: int, expected_version: int, **changes: Any) -> OpChanges:
    """Correct the basic facts of a case; a stale ``expected_version`` raises ConflictError.

    Fields given with their current value are not a change (nothing is written for them).
    """
    unknown = set(changes) - EDITABLE_FIELDS
    if unknown:
        raise ValidationError(sorted(unknown)[0], "该项不能在此修改")
    texts = check_texts([(key, changes[key].strip() if isinstance(changes[key], str) else changes[key],
                          label, limit) for key, label, limit in _EDITED_TEXTS if key in changes])
    if texts:
        raise texts[0]
    with ctx.transaction() as session:
        case = lock_case(session, case_id, expected_version)
        done: list[Change] = []

        def change(path: str, label: str, before: Any, after: Any, attr: str | None = None,
                   shown=shown) -> None:
            if before != after:
                setattr(case, attr or path, after)
                done.append(Change(path, label, before, after, shown(before), shown(after)))

        if "summary" in changes:
            if not changes["summary"] or not str(changes["summary"]).strip():
                raise ValidationError("summary", "纠纷简要情况不能为空")
            change("summary", "纠纷简要情况", case.summary, str(changes["summary"]).strip())
        if "requests" in changes:
            change("requests", "申请事项", case.requests, str(changes["requests"] or "").strip())
        if "people_involved" in changes:
            n = changes["people_involved"]
            if isinstance(n, bool) or not isinstance(n, int) or n < 1:
                raise ValidationError("people_involved", "涉及人数应为正整数")
            if n > MAX_PEOPLE:
                raise ValidationError("people_involved", f"涉及人数不能超过{MAX_PEOPLE}人")
            change("people_involved", "涉及人数", case.people_involved, n)
        if "amount_yuan" in changes:
            fen = yuan_to_fen(parse_money(changes["amount_yuan"], path="amount_yuan", field="涉及金额"))
            change("amount_yuan", "涉及金额", case.amount_fen, fen, attr="amount_fen",
                   shown=lambda v: f"{fen_to_yuan(v):.2f}元")
        if "risk_level" in changes:
            change("risk_level", "风险等级", case.risk_level, changes["risk_level"].value,
                   shown=lambda v: RiskLevel(v).label)
        if "risk_flags" in changes:
            change("risk_flags", "风险标记", case.risk_flags,
                   ",".join(dict.fromkeys(f.value for f in changes["risk_flags"])),
                   shown=lambda v: "、".join(RiskFlag(f).label for f in v.split(",") if f) or "（无）")
        if "category" in changes:
            change("category", "纠纷类型", case.category, changes["category"].value,
                   shown=lambda v: Category(v).label)
        if "grid" in changes:
            name = changes["grid"]
            grid_id = None
            if name:
                grid = grid_by_name(session, case.village_id, name)
                if grid is None:
                    raise ValidationError("grid", f"所在村（社区）没有名为“{name}”的网格")
                grid_id = grid.id
            change("grid", "网格", case.grid_id, grid_id, attr="grid_id",
                   shown=lambda v: session.get(Region, v).name if v else "（无）")
        if not done:
            return OpChanges()
        record_changes(ctx, session, case, "修改案件信息", done)
        return OpChanges.of_cases([case.id], reminders=False)


# --- the parties ----------------------------------------------------------------------------

_MASKED = {"id_number": mask_id_number, "phone": mask_phone, "agent_phone": mask_phone}
# (column, label, how a value reads); the first five are who the party is: frozen once signed.
_PARTY_FIELDS: tuple[tuple[str, str, Any], ...] = (
    ("role", "身份", lambda v: PartyRole(v).label),
    ("kind", "类型", lambda v: PartyKind(v).label),
    ("name", "姓名（名称）", shown),
    ("id_number", "身份证号", lambda v: mask_id_number(v) or "（空）"),
    ("credit_code", "统一社会信用代码", shown),
    ("gender", "性别", lambda v: Gender(v).label if v else "（空）"),
    ("ethnicity", "民族", shown),
    ("birth_date", "出生日期", shown),
    ("phone", "联系电话", lambda v: mask_phone(v) or "（空）"),
    ("address", "住址", shown),
    ("occupation", "职业", shown),
    ("representative", "法定代表人", shown),
    ("agent_name", "委托代理人", shown),
    ("agent_phone", "委托代理人联系电话", lambda v: mask_phone(v) or "（空）"),
    ("agent_relation", "与当事人关系", shown),
)
_IDENTITY = {"role", "kind", "name", "id_number", "credit_code"}


def _signed(session: Session, case_id: int) -> bool:
    return session.exec(select(Agreement.id).where(Agreement.case_id == case_id)).first() is not None


def _checked(ctx: ServiceContext, party: PartyInput, path: str) -> PartyInput:
    errors = check_party(party, path, ctx.today())
    if errors:
        raise ValidationErrors(errors)
    return normalized_party(party)


def _label(row: CaseParty) -> str:
    return f"{PartyRole(row.role).label}{row.name}"


def _link_earlier(ctx: ServiceContext, session: Session, case: Case, party: PartyInput) -> int:
    """Links to earlier cases of a party now on the case (重复纠纷); how many are new."""
    known = set(session.exec(select(CaseLink.earlier_case_id).where(CaseLink.case_id == case.id)))
    added = 0
    for other_id, same_id in earlier_cases(session, party, case.id):
        if other_id not in known:
            known.add(other_id)
            added += 1
            session.add(CaseLink(case_id=case.id, earlier_case_id=other_id,
                                 reason=earlier_reason(party.name, same_id)))
    if added and RiskFlag.REPEAT.value not in case.risk_flags.split(","):
        case.risk_flags = ",".join(f for f in [*case.risk_flags.split(","), RiskFlag.REPEAT.value] if f)
    return added


def _duplicate_id(session: Session, case_id: int, id_number: str | None, except_id: int | None) -> bool:
    if not id_number:
        return False
    stmt = select(CaseParty.id).where(CaseParty.case_id == case_id,
                                      CaseParty.id_number == normalize_id_number(id_number))
    if except_id is not None:
        stmt = stmt.where(CaseParty.id != except_id)
    return session.exec(stmt).first() is not None


@requires(Permission.CASE_HANDLE)
def add_party(ctx: ServiceContext, case_id: int, party: PartyInput, *,
              expected_version: int | None = None) -> OpChangesWithId:
    """添加当事人 (checked as at intake); ``.id`` is the new party row."""
    checked = _checked(ctx, party, "party")
    with ctx.transaction() as session:
        case = lock_case(session, case_id, expected_version)
        if _signed(session, case.id):
            raise ValidationError("party", "协议已签订，不能再添加当事人；如有变更，请签订变更（补充）协议")
        if _duplicate_id(session, case.id, checked.id_number, None):
            raise ValidationError("party.id_number", "同一案件中身份证号重复")
        directory = StoredDirectory(session)
        person_id, created = directory.person(checked)
        if created:
            session.add(Person(id=person_id, name=checked.name, id_number=checked.id_number,
                               phone=checked.phone))
            session.flush()
        seq = next_in_case(session, CaseParty, case.id)
        row = CaseParty(**party_row(directory.new_id(CaseParty), case.id, seq, checked, person_id))
        session.add(row)
        session.flush()
        linked = _link_earlier(ctx, session, case, checked)
        after = _label(row) + (f"（关联既往纠纷{linked}件）" if linked else "")
        record_changes(ctx, session, case, "添加当事人",
                [Change(f"parties[{row.id}]", "当事人", None, row.name, "（无）", after)],
                {"party_id": row.id})
        refresh_case_deadlines(ctx, session, case.id)
        return OpChangesWithId(case_ids=(case.id,), reminders=True, id=row.id)


@requires(Permission.CASE_HANDLE)
def update_party(ctx: ServiceContext, case_id: int, party_id: int, party: PartyInput, *,
                 expected_version: int | None = None) -> OpChanges:
    """修改当事人信息 (checked as at intake); each changed field is kept in the timeline."""
    checked = _checked(ctx, party, "party")
    with ctx.transaction() as session:
        case = lock_case(session, case_id, expected_version)
        row = session.get(CaseParty, party_id)
        if row is None or row.case_id != case.id:
            raise ValidationError("party", "该当事人不属于本案件")
        new = party_row(row.id, case.id, row.seq, checked, row.person_id)
        changes = [Change(f"parties[{row.id}].{column}", label, getattr(row, column), new[column],
                          shown(getattr(row, column)) if getattr(row, column) is not None else "（空）",
                          shown(new[column]) if new[column] is not None else "（空）")
                   for column, label, shown in _PARTY_FIELDS if getattr(row, column) != new[column]]
        if not changes:
            return OpChanges()
        frozen = [c.label for c in changes if c.path.rsplit(".", 1)[1] in _IDENTITY]
        if frozen and _signed(session, case.id):
            raise ValidationError("party", f"协议已签订，当事人的{'、'.join(frozen)}不能再修改；"
                                           "如有变更，请签订变更（补充）协议")
        if _duplicate_id(session, case.id, checked.id_number, row.id):
            raise ValidationError("party.id_number", "同一案件中身份证号重复")
        title = f"修改当事人{_label(row)}"
        for c in changes:
            setattr(row, c.path.rsplit(".", 1)[1], c.after)
        if any(c.path.endswith((".id_number", ".name", ".phone")) for c in changes):
            person_id, created = StoredDirectory(session).person(checked)
            if created:
                session.add(Person(id=person_id, name=checked.name, id_number=checked.id_number,
                                   phone=checked.phone))
                session.flush()
            row.person_id = person_id
            _link_earlier(ctx, session, case, checked)
        row.version += 1
        session.add(row)
        record_changes(ctx, session, case, title, changes, {"party_id": row.id})
        return OpChanges.of_cases([case.id], reminders=False)


@requires(Permission.CASE_HANDLE)
def remove_party(ctx: ServiceContext, case_id: int, party_id: int, reason: str, *,
                 expected_version: int | None = None) -> OpChanges:
    """删除当事人 (registered by mistake): the reason is kept with what was removed."""
    problems = check_texts([("reason", reason, "删除理由", 200)])
    if problems:
        raise ValidationErrors(problems)
    if not reason or not reason.strip():
        raise ValidationError("reason", "请填写删除当事人的理由")
    with ctx.transaction() as session:
        case = lock_case(session, case_id, expected_version)
        row = session.get(CaseParty, party_id)
        if row is None or row.case_id != case.id:
            raise ValidationError("party", "该当事人不属于本案件")
        if _signed(session, case.id):
            raise ValidationError("party", "协议已签订，不能删除当事人；如有变更，请签订变更（补充）协议")
        count = session.exec(select(func.count()).select_from(CaseParty).where(CaseParty.case_id == case.id)).one()
        if count <= 1:
            raise ValidationError("party", "案件至少需要一名当事人")
        removed = {column: plain(getattr(row, column)) for column, _label_, _shown_ in _PARTY_FIELDS}
        title = f"删除当事人{_label(row)}"
        session.delete(row)
        record_changes(ctx, session, case, title,
                [Change(f"parties[{party_id}]", "当事人", removed["name"], None, _label(row), "（已删除）")],
                {"party_id": party_id, "reason": reason.strip(), "_removed": removed})
        return OpChanges.of_cases([case.id], reminders=False)
