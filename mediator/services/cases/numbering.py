"""Case numbers: unique and gap-free per organisation, track and year, even under concurrency.

The counter row is bumped with one upsert inside the registering transaction: on PostgreSQL the
row lock serialises two registrations, on SQLite the write lock (BEGIN IMMEDIATE) does; a rolled
back registration rolls its number back too, so no number is skipped.
"""
from __future__ import annotations

from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session

from mediator.domain.enums import Track
from mediator.domain.errors import ValidationError
from mediator.domain.formatting import format_case_number, parse_case_number
from mediator.store.models import CaseNumberCounter, Organization

_COUNTER = CaseNumberCounter.__table__


def _bump(session: Session, organization_id: int, track: str, year: int, at_least: int | None) -> int:
    insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    first = at_least if at_least is not None else 1
    stmt = insert(_COUNTER).values(organization_id=organization_id, track=track, year=year, last=first)
    if at_least is None:
        new_last = _COUNTER.c.last + 1
    else:
        # An imported number moves the counter up to it, never down.
        new_last = _greatest(session, _COUNTER.c.last, at_least)
    stmt = stmt.on_conflict_do_update(
        index_elements=["organization_id", "track", "year"], set_={"last": new_last}
    ).returning(_COUNTER.c.last)
    return session.execute(stmt).scalar_one()


def _greatest(session: Session, column, value: int):
    from sqlalchemy import case

    return case((column < value, value), else_=column)


def assign_number(
    session: Session, org: Organization, track: Track, year: int, given: str | None = None,
    path: str = "number",
) -> tuple[str, int]:
    """The next number for (org, track, year), or the given one if it fits; returns (text, seq)."""
    if given:
        parsed = parse_case_number(given)
        if parsed is None or parsed[0] != year or parsed[2] != track.number_word:
            # A number in another office's pattern is kept as written; the sequence goes on.
            seq = _bump(session, org.id, track.value, year, None)
            return given, seq
        seq = parsed[3]
        from sqlmodel import select

        from mediator.store.models import Case

        taken = session.exec(
            select(Case.id).where(Case.organization_id == org.id, Case.track == track.value,
                                  Case.number_year == year, Case.number_seq == seq)
        ).first()
        if taken is not None:
            raise ValidationError(path, f"案号“{given}”已被使用")
        _bump(session, org.id, track.value, year, seq)
        return given, seq
    seq = _bump(session, org.id, track.value, year, None)
    return format_case_number(year, org.short, track.number_word, seq), seq
