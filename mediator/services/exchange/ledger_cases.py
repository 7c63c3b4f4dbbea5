"""A ledger row's case in the words of the case use cases: its registration (``CaseInput``), the
steps of its history (受理 → 开始调解 → 结果 → 履行、回访 → 归档) for ``replay``, its village
found by name in the office's area, and the faults of the use cases' checks at the row's columns.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlmodel import Session, select

from mediator.domain.enums import (
    AgreementForm,
    Level,
    OrganizationKind,
    RegionLevel,
    Source,
    Track,
)
from mediator.domain.errors import ValidationError
from mediator.domain.ledger_columns import LedgerField
from mediator.domain.ledger_rows import LedgerCase, LedgerProblem
from mediator.domain.ledger_values import Outcome
from mediator.services.cases.inputs import AgreementInput, CaseInput, FollowUpInput, PartyInput
from mediator.services.exchange.document import Step
from mediator.store.models import Organization, Region

NO_AGREEMENT_TEXT = "双方达成调解协议（旧台账未记载协议内容）"
IMPORTED_NOTE = "旧台账导入"


@dataclass
class Office:
    """The organisation the ledger is imported into and the villages of its area."""

    organization: Organization
    level: Level
    villages: list[Region]  # active villages of its area, in code order
    default_village: Region | None

    def village(self, name: str) -> Region | None | str:
        """The village a ledger names (exact name, or one name starting with the other); a
        Chinese reason when none or several fit; the default for an empty cell."""
        name = name.strip()
        if not name:
            return self.default_village
        exact = [v for v in self.villages if v.name == name]
        if exact:
            return exact[0]
        near = [v for v in self.villages if v.name.startswith(name) or name.startswith(v.name)]
        if len(near) == 1:
            return near[0]
        if near:
            return f"村（社区）「{name}」对应多个村（社区）：{'、'.join(v.name for v in near[:5])}"
        return f"村（社区）「{name}」不在{self.organization.name}的辖区内"


def load_office(session: Session, organization: Organization, village_code: str | None) -> Office:
    """The office of ``organization``; ValidationError when ``village_code`` is not one of its villages."""
    region = session.get(Region, organization.region_id)
    villages: list[Region] = []
    if region is not None and region.level == RegionLevel.VILLAGE.value:
        villages = [region]
    elif region is not None:
        parents = [region.id]
        if region.level == RegionLevel.COUNTY.value:
            parents = list(session.exec(select(Region.id).where(Region.parent_id == region.id)))
        villages = list(session.exec(
            select(Region).where(Region.parent_id.in_(parents), Region.level == RegionLevel.VILLAGE.value,
                                 Region.active == True)  # noqa: E712
            .order_by(Region.code, Region.id)))
    default = villages[0] if len(villages) == 1 else None
    if village_code:
        default = next((v for v in villages if v.code == village_code), None)
        if default is None:
            raise ValidationError("village_code", f"村（社区）区划代码{village_code}不在{organization.name}的辖区内")
    level = (Level.VILLAGE if organization.kind == OrganizationKind.VILLAGE_COMMITTEE.value
             else Level.TOWNSHIP)
    return Office(organization, level, villages, default)


def case_input(case: LedgerCase, office: Office, village: Region) -> CaseInput:
    parties = [PartyInput(p.role, p.kind, p.name, gender=p.gender, id_number=p.id_number, phone=p.phone,
                          address=p.address) for p in case.parties]
    return CaseInput(
        track=Track.PEOPLE, source=Source.OTHER, category=case.category,
        organization=office.organization.name, village_code=village.code or "", level=office.level,
        received_on=case.received_on, summary=case.summary, parties=parties,
        amount_yuan=case.amount, people_involved=max(1, len(parties)), mediators=case.mediators,
        ref=case.key,
    )


def steps(case: LedgerCase) -> list[Step]:
    """The history the ledger row records, in order (each step's path names its column)."""
    received, on = case.received_on, case.mediated_on or case.received_on
    outcome = case.outcome
    reason = case.outcome_text or outcome.label
    received_path, on_path = LedgerField.RECEIVED_ON.value, LedgerField.MEDIATED_ON.value
    out = []
    if outcome is Outcome.REJECTED:
        out.append(Step(received, 5, "reject", received_path, {"reason": reason}))
    else:
        out.append(Step(received, 1, "accept", received_path, {"note": IMPORTED_NOTE}))
        if outcome is not Outcome.OPEN or case.mediated_on is not None:
            out.append(Step(received, 2, "start", received_path, {}))
    if outcome is Outcome.AGREED:
        items = case.agreement or [NO_AGREEMENT_TEXT]
        agreement = AgreementInput(form=AgreementForm.WRITTEN if case.agreement else AgreementForm.ORAL,
                                   signed_on=on, items=items, amount_yuan=Decimal("0"))
        out.append(Step(on, 5, "agree", on_path, agreement))
        if case.performance is not None:
            out.append(Step(on, 7, "perform", LedgerField.PERFORMANCE.value,
                            {"result": case.performance.value, "note": case.performance_text}))
        if case.follow_up is not None:
            method, satisfaction, note = case.follow_up
            out.append(Step(on, 8, "follow_up", LedgerField.FOLLOW_UP.value, FollowUpInput(
                on=on, method=method, performance=case.performance, satisfaction=satisfaction, note=note)))
    elif outcome in (Outcome.FAILED, Outcome.WITHDRAWN):
        out.append(Step(on, 5, "fail" if outcome is Outcome.FAILED else "withdraw", on_path, {"reason": reason}))
    if outcome is not Outcome.OPEN:
        out.append(Step(on, 9, "archive", on_path, {"note": IMPORTED_NOTE}))
    return out


# Where a use case's fault lies in the ledger: the first part of its path → the column.
_PATH_FIELDS = {
    "summary": LedgerField.SUMMARY, "received_on": LedgerField.RECEIVED_ON,
    "amount_yuan": LedgerField.AMOUNT, "mediators": LedgerField.MEDIATORS,
    "village_code": LedgerField.VILLAGE, "mediated_on": LedgerField.MEDIATED_ON,
    "performance": LedgerField.PERFORMANCE, "follow_up": LedgerField.FOLLOW_UP,
    "agreement": LedgerField.AGREEMENT, "category": LedgerField.CATEGORY,
}
_PARTY_FIELDS = {"id_number": LedgerField.ID_NUMBERS, "phone": LedgerField.PHONES,
                 "gender": LedgerField.GENDERS, "birth_date": LedgerField.ID_NUMBERS,
                 "address": LedgerField.ADDRESSES}


def problem_at(row: int, e: ValidationError, headers: dict[LedgerField, str]) -> LedgerProblem:
    """A use case's fault as a problem of the row, at the column it concerns."""
    path = e.path or ""
    head = path.split(".", 1)[0].split("[", 1)[0]
    field = _PATH_FIELDS.get(head)
    if head == "parties":
        tail = path.rsplit(".", 1)[-1]
        field = _PARTY_FIELDS.get(tail, LedgerField.PARTIES)
        if field is LedgerField.PARTIES and LedgerField.PARTIES not in headers:
            field = LedgerField.APPLICANTS
    column = headers.get(field, field.label) if field is not None else ""
    return LedgerProblem(row, column, e.message)
