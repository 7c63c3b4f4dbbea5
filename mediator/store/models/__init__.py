"""SQLModel tables: places, organisations, people, cases and everything that hangs off a case.

Enumerated columns hold the English codes of ``mediator.domain.enums``; money is integer fen;
dates are ``date``; times are timezone-aware. Editable rows carry ``version`` for optimistic
locking (services compare it and bump it on every write).

One module per family of tables (``places``, ``cases``, ``records``, ``advisors``, ``grid``,
``screening``, ``system``, ``risk``),
all built on ``base``; this package re-exports every table, so ``mediator.store.models.Case``
and the like keep working.
"""
from __future__ import annotations

from mediator.store.models.advisors import Advisor, AdvisorAppointment, AdvisorReview, LedgerEntry
from mediator.store.models.base import AwareDateTime
from mediator.store.models.cases import (
    Case,
    CaseDeadline,
    CaseLink,
    CaseMediator,
    CaseNumberCounter,
    CaseParty,
    Person,
    TimelineEvent,
)
from mediator.store.models.grid import GridReport
from mediator.store.models.places import Mediator, Organization, Region
from mediator.store.models.records import (
    Agreement,
    AgreementTerm,
    Attachment,
    DraftAgreement,
    FollowUp,
    JudicialConfirmation,
    MediationSession,
    Performance,
    SupplementaryAgreement,
)
from mediator.store.models.risk import RiskAlert
from mediator.store.models.screening import ScreeningFinding, ScreeningRound
from mediator.store.models.system import (
    AuditEntry,
    DestructionRecord,
    IssuedDocument,
    OfficeForm,
    Reminder,
    Setting,
    User,
    setting_row,
)

__all__ = [
    "Advisor",
    "AdvisorAppointment",
    "AdvisorReview",
    "Agreement",
    "AgreementTerm",
    "Attachment",
    "AuditEntry",
    "AwareDateTime",
    "Case",
    "CaseDeadline",
    "CaseLink",
    "CaseMediator",
    "CaseNumberCounter",
    "CaseParty",
    "DestructionRecord",
    "DraftAgreement",
    "FollowUp",
    "GridReport",
    "IssuedDocument",
    "JudicialConfirmation",
    "LedgerEntry",
    "MediationSession",
    "Mediator",
    "Organization",
    "Performance",
    "Person",
    "Region",
    "Reminder",
    "RiskAlert",
    "ScreeningFinding",
    "ScreeningRound",
    "OfficeForm",
    "Setting",
    "SupplementaryAgreement",
    "TimelineEvent",
    "User",
    "setting_row",
]
