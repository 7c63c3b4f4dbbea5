"""What a write changed: every write service returns an ``OpChanges`` so the UI knows which views
to refresh, without each page guessing (the shape of Anki's ``OpChanges``)."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class OpChanges:
    """Which lists a write touched.

    ``case_ids`` names the cases whose rows changed; ``every_case`` says many or unknown cases
    changed (a holiday calendar moves every deadline). ``reference`` covers regions,
    organisations, mediators and advisors; ``reminders`` covers deadlines and reminders.
    """

    case_ids: tuple[int, ...] = ()
    every_case: bool = False
    reference: bool = False
    reminders: bool = False

    @classmethod
    def of_cases(cls, case_ids: Iterable[int], *, reminders: bool = True) -> OpChanges:
        """A write to these cases; their deadlines are recomputed, so reminders move too."""
        return cls(case_ids=tuple(dict.fromkeys(int(i) for i in case_ids)), reminders=reminders)

    def __or__(self, other: OpChanges) -> OpChanges:
        return OpChanges(
            case_ids=tuple(dict.fromkeys((*self.case_ids, *other.case_ids))),
            every_case=self.every_case or other.every_case,
            reference=self.reference or other.reference,
            reminders=self.reminders or other.reminders,
        )

    @property
    def cases_changed(self) -> bool:
        return self.every_case or bool(self.case_ids)

    @property
    def empty(self) -> bool:
        return not (self.cases_changed or self.reference or self.reminders)


NOTHING = OpChanges()


@dataclass(frozen=True)
class OpChangesWithId(OpChanges):
    """A write that created one row (a case, a session record) and says which."""

    id: int = field(default=0)


@dataclass(frozen=True)
class OpChangesWithCount(OpChanges):
    """A write that changed several rows and says how many (places disabled, cases purged)."""

    count: int = field(default=0)


REFERENCE = OpChanges(reference=True)
