"""Case numbers: unique and gap-free per organisation, track and year, even under concurrency.

The counter row is bumped with one upsert inside the registering transaction: on PostgreSQL the
row lock serialises two registrations, on SQLite the write lock (BEGIN IMMEDIATE) does; a rolled
back registration rolls its number back too, so no number is skipped. The rule itself
(``number_for``) is shared with the bulk import, which keeps its counters in memory.
"""
from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import case
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, select

from mediator.domain.enums import Track
from mediator.domain.errors import ValidationError
from mediator.domain.formatting import format_case_number, parse_case_number
from mediator.store.models import Case, CaseNumberCounter

_COUNTER = CaseNumberCounter.__table__


def number_for(given: str | None, year: int, short: str, track: Track, *,
               bump: Callable[[int | None], int], taken: Callable[[int], bool],
               path: str = "number") -> tuple[str, int]:
    """The case number and its sequence: the given one if it fits, else the next one.

    ``bump(at_least)`` moves the counter (to the next number, or up to ``at_least``) and returns
    its value; ``taken(seq)`` tells whether a case already has that sequence number.
    """
    if given:
        parsed = parse_case_number(given)
        if parsed is None or parsed[0] != year or parsed[2] != track.number_word:
            # A number in another office's pattern is kept as written; the sequence goes on.
            return given, bump(None)
        seq = parsed[3]
        if taken(seq):
            raise ValidationError(path, f"案号“{given}”已被使用")
        bump(seq)
        return given, seq
    seq = bump(None)
    return format_case_number(year, short, track.number_word, seq), seq


def _bump(session: Session, organization_id: int, track: str, year: int, at_least: int | None) -> int:
    insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    first = at_least if at_least is not None else 1
    stmt = insert(_COUNTER).values(organization_id=organization_id, track=track, year=year, last=first)
    if at_least is None:
        new_last = _COUNTER.c.last + 1
    else:
        # An imported number moves the counter up to it, never down.
        new_last = case((_COUNTER.c.last < at_least, at_least), else_=_COUNTER.c.last)
    stmt = stmt.on_conflict_do_update(
        index_elements=["organization_id", "track", "year"], set_={"last": new_last}
    ).returning(_COUNTER.c.last)
    return session.execute(stmt).scalar_one()


def assign_number(session: Session, organization_id: int, short: str, track: Track, year: int,
                  given: str | None = None, path: str = "number") -> tuple[str, int]:
    """The next number for (organisation, track, year), or the given one if it fits."""
    def taken(seq: int) -> bool:
        return session.exec(select(Case.id).where(
            Case.organization_id == organization_id, Case.track == track.value,
            Case.number_year == year, Case.number_seq == seq)).first() is not None

    return number_for(given, year, short, track, path=path, taken=taken,
                      bump=lambda at_least: _bump(session, organization_id, track.value, year, at_least))
