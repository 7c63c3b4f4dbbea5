"""The conflict check when a mediator is assigned to a case (回避, 《人民调解法》 第二十三条).

A mediator may be too close to a case: they were a party of a case themselves (same 身份证号, or
same name and birth date), or a party of this case, or of the earlier cases linked to it (重复纠纷),
bears their surname and lives in their village. The check lists those cases; assigning goes on
only when the user acknowledged them (``acknowledge_conflicts=True``, the GUI's 「已知悉，仍然指派」).

A mediator who withdrew from the case at a party's request (回避) is flagged too.

The mediator's village is ``mediator.village_id``; without one, the organisation's place when it
is a village (a township-wide surname match would flag nearly every case).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, or_, select

from mediator.domain.enums import PartyKind, RegionLevel
from mediator.domain.errors import ValidationError
from mediator.store.models import Case, CaseLink, CaseParty, Mediator, Organization, Region, TimelineEvent

# Two-character surnames (复姓) met in the registers; any other name's surname is its first character.
COMPOUND_SURNAMES = frozenset({
    "欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "令狐", "长孙", "宇文",
    "司徒", "夏侯", "轩辕", "端木", "独孤", "南宫", "西门", "百里", "呼延", "赫连", "澹台", "公冶",
})
PATH = "acknowledge_conflicts"
RECUSAL = "recusal"  # the timeline action of a 回避 (handlers.RECUSAL)
ACKNOWLEDGE = "已知悉，仍然指派"


@dataclass(frozen=True)
class ConflictCase:
    """A case that makes the assignment doubtful, and why."""

    mediator: str
    case_id: int
    number: str
    received_on: date
    reason: str

    def line(self) -> str:
        return f"{self.number}（{self.received_on.isoformat()}收案）：{self.reason}"


class AssignmentConflicts(ValidationError):
    """Assigning was refused: conflicts the user has not acknowledged."""

    def __init__(self, conflicts: list[ConflictCase]) -> None:
        self.conflicts = list(conflicts)
        lines = "；".join(c.line() for c in self.conflicts[:10])
        more = f"等{len(self.conflicts)}件" if len(self.conflicts) > 10 else ""
        super().__init__(PATH, f"指派的调解员可能需要回避：{lines}{more}。"
                               f"如确认无妨，请勾选“{ACKNOWLEDGE}”后再保存")


def surname_of(name: str) -> str:
    name = (name or "").strip()
    return name[:2] if name[:2] in COMPOUND_SURNAMES else name[:1]


def home_village(session: Session, mediator: Mediator) -> Region | None:
    """Where the mediator lives: their village, else their organisation's place if it is a village."""
    if mediator.village_id is not None:
        return session.get(Region, mediator.village_id)
    org = session.get(Organization, mediator.organization_id)
    region = session.get(Region, org.region_id) if org is not None else None
    return region if region is not None and region.level == RegionLevel.VILLAGE.value else None


def conflicts_of(session: Session, mediator: Mediator, case_id: int) -> list[ConflictCase]:
    """The cases that make assigning ``mediator`` to case ``case_id`` doubtful (two queries)."""
    found: dict[int, str] = {}
    same_person = []
    if mediator.id_number:
        same_person.append(CaseParty.id_number == mediator.id_number)
    if mediator.birth_date is not None:
        same_person.append((CaseParty.name == mediator.name) & (CaseParty.birth_date == mediator.birth_date))
    if same_person:
        for other in session.exec(select(CaseParty.case_id).where(or_(*same_person)).distinct()):
            found[other] = (f"调解员{mediator.name}本人是本案当事人" if other == case_id
                            else f"调解员{mediator.name}本人曾是该案当事人")
    village = home_village(session, mediator)
    surname = surname_of(mediator.name)
    if village is not None and surname:
        linked = select(CaseLink.earlier_case_id).where(CaseLink.case_id == case_id)
        rows = session.exec(
            select(CaseParty.case_id, CaseParty.name)
            .join(Case, Case.id == CaseParty.case_id)
            .where(or_(CaseParty.case_id == case_id, CaseParty.case_id.in_(linked)),
                   CaseParty.kind == PartyKind.PERSON.value,
                   CaseParty.name.startswith(surname, autoescape=True),
                   or_(Case.village_id == village.id,
                       CaseParty.address.contains(village.name, autoescape=True)))
            .order_by(CaseParty.case_id, CaseParty.seq))
        for other, party in rows:
            if other not in found:
                where = "本案" if other == case_id else "关联的既往纠纷"
                found[other] = (f"{where}当事人{party}与调解员{mediator.name}同姓，"
                                f"且居住在{village.name}")
    # A mediator who withdrew from this case at a party's request (回避) comes back only knowingly.
    for data in session.exec(select(TimelineEvent.data).where(TimelineEvent.case_id == case_id,
                                                              TimelineEvent.action == RECUSAL)):
        if (data or {}).get("_recused_id") == mediator.id and case_id not in found:
            found[case_id] = f"调解员{mediator.name}曾应当事人{data.get('party', '')}的申请回避本案"
    if not found:
        return []
    cases = session.exec(select(Case.id, Case.number, Case.received_on).where(Case.id.in_(list(found))))
    return [ConflictCase(mediator.name, cid, number, received, found[cid])
            for cid, number, received in sorted(cases, key=lambda r: (r[0] != case_id, r[2], r[0]))]


def check_conflicts(session: Session, mediators: list[Mediator], case_id: int,
                    acknowledged: bool) -> list[ConflictCase]:
    """The conflicts of these newly assigned mediators; AssignmentConflicts unless acknowledged."""
    conflicts = [c for m in mediators for c in conflicts_of(session, m, case_id)]
    if conflicts and not acknowledged:
        raise AssignmentConflicts(conflicts)
    return conflicts


__all__ = ["ACKNOWLEDGE", "AssignmentConflicts", "ConflictCase", "check_conflicts", "conflicts_of",
           "home_village", "surname_of"]
