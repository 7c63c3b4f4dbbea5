"""One case's history against the database: its ``CaseState`` loaded from the rows, a
``Directory`` that asks the database, and the rows a move added written back (see ``history``)."""
from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, func, or_, select

from mediator.domain.deadlines import CaseEvent
from mediator.domain.enums import CaseStatus, Track
from mediator.domain.errors import ConflictError, NotFoundError
from mediator.domain.lifecycle import Action
from mediator.services.cases.numbering import assign_number
from mediator.services.cases.state import CASE_TABLES, RECORD_ACTIONS, CaseState
from mediator.services.places.reference import (
    grid_by_name,
    mediator_by_name,
    organization_by_name,
    region_by_code,
)
from mediator.store.models import (
    Agreement,
    Case,
    CaseParty,
    JudicialConfirmation,
    Person,
    TimelineEvent,
)


def earlier_cases(session: Session, party: Any, case_id: int) -> list[tuple[int, bool]]:
    """Cases with a party of the same 身份证号, or the same name and phone: (case id, same 身份证号)."""
    conditions = []
    if party.id_number:
        conditions.append(CaseParty.id_number == party.id_number)
    if party.phone:
        conditions.append((CaseParty.name == party.name) & (CaseParty.phone == party.phone))
    if not conditions:
        return []
    rows = session.exec(
        select(CaseParty.case_id, CaseParty.id_number).where(or_(*conditions), CaseParty.case_id != case_id)
    ).all()
    return [(other_id, bool(party.id_number) and other_number == party.id_number)
            for other_id, other_number in rows]


class StoredDirectory:
    """The ``Directory`` of one transaction: looks things up in the database as it is now."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.postgres = session.get_bind().dialect.name == "postgresql"
        self._next_id: dict[type, int] = {}
        # Persons created in this transaction but not written yet (two parties, one person).
        self._persons_by_id: dict[str, int] = {}
        self._persons_by_name_phone: dict[tuple[str, str], int] = {}

    def organization(self, name: str) -> tuple[int, str] | None:
        org = organization_by_name(self.session, name)
        return None if org is None else (org.id, org.short)

    def region(self, code: str) -> tuple[int, str, str] | None:
        region = region_by_code(self.session, code)
        return None if region is None else (region.id, region.level, region.name)

    def grid(self, village_id: int, name: str) -> int | None:
        grid = grid_by_name(self.session, village_id, name)
        return None if grid is None else grid.id

    def mediator(self, organization_id: int, name: str) -> int | None:
        m = mediator_by_name(self.session, organization_id, name)
        return None if m is None else m.id

    def ref_taken(self, ref: str) -> bool:
        return self.session.exec(select(Case.id).where(Case.ref == ref)).first() is not None

    def assign_number(self, organization_id: int, short: str, track: Track, year: int,
                      given: str | None, path: str) -> tuple[str, int]:
        return assign_number(self.session, organization_id, short, track, year, given, path)

    def number_released(self, organization_id: int, track: str, year: int, seq: int) -> None:
        """Nothing to do: the database sees the case's new number once it is written."""

    def person(self, party: Any) -> tuple[int | None, bool]:
        s = self.session
        if party.id_number:
            found = self._persons_by_id.get(party.id_number) or s.exec(
                select(Person.id).where(Person.id_number == party.id_number)).first()
        elif party.phone:
            key = (party.name, party.phone)
            found = self._persons_by_name_phone.get(key) or s.exec(
                select(Person.id).where(Person.name == party.name, Person.phone == party.phone)).first()
        else:
            return None, False
        if found is not None:
            return found, False
        person_id = self.new_id(Person)
        if party.id_number:
            self._persons_by_id[party.id_number] = person_id
        if party.phone:
            self._persons_by_name_phone.setdefault((party.name, party.phone), person_id)
        return person_id, True

    def earlier_cases(self, party: Any, case_id: int) -> list[tuple[int, bool]]:
        return earlier_cases(self.session, party, case_id)

    def registered(self, state: CaseState) -> None:
        """Nothing to do: the database sees the case once it is written."""

    def new_id(self, table: type) -> int:
        """The id the database would give the next row (its sequence; SQLite: max + 1)."""
        name = table.__tablename__
        if self.postgres:
            return self.session.execute(
                sa.text("SELECT nextval(pg_get_serial_sequence(:t, 'id'))"), {"t": name}).scalar_one()
        value = self._next_id.get(table)
        if value is None:
            value = (self.session.execute(sa.select(func.max(table.__table__.c.id))).scalar() or 0) + 1
        self._next_id[table] = value + 1
        return value


def lock_case(session: Session, case_id: int, expected_version: int | None) -> Case:
    """The case, locked for this transaction (PostgreSQL); ConflictError when ``expected_version``
    is not the stored one (somebody else changed it since it was shown)."""
    stmt = select(Case).where(Case.id == case_id)
    if session.get_bind().dialect.name == "postgresql":
        stmt = stmt.with_for_update()
    case = session.exec(stmt).first()
    if case is None:
        raise NotFoundError(f"案件（编号{case_id}）不存在")
    session.refresh(case)
    if expected_version is not None and case.version != expected_version:
        raise ConflictError(
            f"案件{case.number}已被他人修改（您看到的是第{expected_version}版，当前为第{case.version}版），"
            "请刷新后再操作"
        )
    return case


def next_in_case(session: Session, table: type, case_id: int) -> int:
    """The next per-case ``seq`` of ``table`` (timeline, parties, supplements): max + 1, the case
    locked first, so two writers never take the same one (PostgreSQL: the case row's lock, a no-op
    when this transaction holds it already; SQLite: the write lock, held since BEGIN IMMEDIATE)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(sa.select(Case.id).where(Case.id == case_id).with_for_update())
    last = session.execute(sa.select(func.max(table.seq)).where(table.case_id == case_id)).scalar()
    return (last or 0) + 1


def _row(obj: Any) -> dict[str, Any]:
    return {c.name: getattr(obj, c.name) for c in type(obj).__table__.columns}


def load_state(session: Session, case: Case) -> CaseState:
    """The state of a stored case, as ``CaseHistory`` needs it for the next move."""
    state = CaseState(_row(case), CaseStatus(case.status))
    leg_start = 0
    for seq, on, action, data in session.execute(
            sa.select(TimelineEvent.seq, TimelineEvent.on, TimelineEvent.action, TimelineEvent.data)
            .where(TimelineEvent.case_id == case.id).order_by(TimelineEvent.seq)):
        state.events.append(CaseEvent(on, action, dict(data or {})))
        state.seq = seq
        if action not in RECORD_ACTIONS:
            state.last_on = on
        if action == Action.TRANSFER.value:
            leg_start = seq
            state.paused, state.extensions = False, 0
        elif action == Action.PAUSE.value:
            state.paused = True
        elif action == Action.RESUME.value:
            state.paused = False
        elif action == Action.EXTEND.value and seq > leg_start:
            state.extensions += 1
    state.parties = session.exec(
        select(func.count()).select_from(CaseParty).where(CaseParty.case_id == case.id)).one()
    agreement = session.exec(select(Agreement).where(Agreement.case_id == case.id)).first()
    state.agreement = None if agreement is None else _row(agreement)
    confirmation = session.exec(
        select(JudicialConfirmation).where(JudicialConfirmation.case_id == case.id)).first()
    state.confirmation = None if confirmation is None else _row(confirmation)
    return state


def write_state(session: Session, state: CaseState, case: Case | None = None) -> None:
    """Write what a move added and changed; ``case`` is the stored case's ORM object, if any."""
    for table in CASE_TABLES:
        rows = state.added.get(table)
        if rows and not (table is Case and case is not None):
            session.execute(sa.insert(table.__table__), rows)
    for table, row in state.changed:
        t = table.__table__
        session.execute(sa.update(t).where(t.c.id == row["id"])
                        .values({k: v for k, v in row.items() if k != "id"}))
    if case is not None:
        for key, value in state.row.items():
            if getattr(case, key) != value:
                setattr(case, key, value)
        session.add(case)
        session.flush()
