"""What an import reports (its counts, a cancellation) and the steps both importers share."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from mediator.domain.errors import DomainError, ValidationError
from mediator.services import audit
from mediator.services.changes import OpChanges
from mediator.services.context import ServiceContext
from mediator.services.exchange.reference import ReferenceAdded


@dataclass
class ImportResult:
    cases: int = 0
    regions: int = 0
    organizations: int = 0
    mediators: int = 0
    advisors: int = 0
    case_ids: list[int] = field(default_factory=list)

    def summary(self) -> str:
        return (f"导入案件{self.cases}件；新增区划{self.regions}个、组织{self.organizations}个、"
                f"调解员{self.mediators}名、法律顾问{self.advisors}名")

    @property
    def changes(self) -> OpChanges:
        """What the import changed, for the views: the reference data, its cases, their deadlines."""
        return OpChanges(case_ids=tuple(self.case_ids), reference=True, reminders=bool(self.cases))

    def count_reference(self, added: ReferenceAdded) -> None:
        self.regions += added.regions
        self.organizations += added.organizations
        self.mediators += added.mediators
        self.advisors += added.advisors


class ImportCancelled(DomainError):
    """The person cancelled the import; nothing was written."""


def audit_import(ctx: ServiceContext, session: Any, result: ImportResult) -> None:
    """An import is audited once, as a whole."""
    audit.record(ctx, session, "import", f"{result.cases}件",
                 {"cases": result.cases, "regions": result.regions,
                  "organizations": result.organizations})


def unique(errors: list[ValidationError]) -> list[ValidationError]:
    """The faults without repeats, in the order found."""
    seen, out = set(), []
    for e in errors:
        if (e.path, e.message) not in seen:
            seen.add((e.path, e.message))
            out.append(e)
    return out
