"""The state of a case while its history is applied (``CaseState``), the tables it writes, and
what building it asks of the world outside the case (``Directory``)."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, Protocol

from mediator.domain.deadlines import CaseEvent
from mediator.domain.enums import CaseStatus, Track
from mediator.domain.lifecycle import Action
from mediator.store.models import (
    Agreement,
    AgreementTerm,
    Case,
    CaseDeadline,
    CaseLink,
    CaseMediator,
    CaseParty,
    DraftAgreement,
    FollowUp,
    JudicialConfirmation,
    MediationSession,
    Performance,
    Person,
    SupplementaryAgreement,
    TimelineEvent,
)

# Timeline actions filed beside the lifecycle, dated as they happened: not ordered with the moves.
RECORD_ACTIONS = frozenset({
    Action.RECORD_SESSION.value, Action.FOLLOW_UP.value, Action.JUDICIAL_CONFIRMATION.value,
    "edit", "supplement", "attach", "detach", "review_request", "review", "review_void", "handover",
    "draft_agreement", "draft_edit", "reassign", "recusal",
})

# The tables a case's history writes, parents first (the order rows are inserted in).
CASE_TABLES = (Person, Case, CaseMediator, CaseParty, CaseLink, TimelineEvent, MediationSession,
               DraftAgreement, Agreement, AgreementTerm, SupplementaryAgreement, Performance, FollowUp,
               JudicialConfirmation, CaseDeadline)


class Directory(Protocol):
    """What building a case needs from outside it: reference data, numbers, persons, ids."""

    def organization(self, name: str) -> tuple[int, str] | None:
        """(id, short name) of the organisation."""

    def region(self, code: str) -> tuple[int, str, str] | None:
        """(id, level, name) of the region with this code."""

    def grid(self, village_id: int, name: str) -> int | None: ...

    def mediator(self, organization_id: int, name: str) -> int | None: ...

    def ref_taken(self, ref: str) -> bool: ...

    def assign_number(self, organization_id: int, short: str, track: Track, year: int,
                      given: str | None, path: str) -> tuple[str, int]: ...

    def number_released(self, organization_id: int, track: str, year: int, seq: int) -> None:
        """A transferred case gave up this number."""

    def person(self, party: Any) -> tuple[int | None, bool]:
        """The person this party is (by 身份证号, else name and phone): (id, newly created)."""

    def earlier_cases(self, party: Any, case_id: int) -> list[tuple[int, bool]]:
        """Cases already on file for this party: (case id, same 身份证号 rather than name+phone)."""

    def registered(self, state: CaseState) -> None:
        """A case was registered (a directory kept in memory indexes its ref and parties)."""

    def new_id(self, table: type) -> int: ...


@dataclass
class CaseState:
    """A case as its history leaves it: its row, what the rules look at, and the rows to write."""

    row: dict[str, Any]
    status: CaseStatus
    seq: int = 0  # the last timeline seq
    last_on: date | None = None  # the date of the last lifecycle move (not of a record)
    parties: int = 0
    paused: bool = False  # the handling clock of the current leg stands still
    extensions: int = 0  # extensions in the current leg
    agreement: dict[str, Any] | None = None
    confirmation: dict[str, Any] | None = None
    events: list[CaseEvent] = field(default_factory=list)
    added: dict[type, list[dict[str, Any]]] = field(default_factory=dict)
    changed: list[tuple[type, dict[str, Any]]] = field(default_factory=list)  # existing rows
    new_events: list[dict[str, Any]] = field(default_factory=list)

    @property
    def id(self) -> int:
        return self.row["id"]

    def add(self, table: type, row: dict[str, Any]) -> dict[str, Any]:
        self.added.setdefault(table, []).append(row)
        return row
