"""Fast import of large `mediator-case/1` documents (the demo county, office moves).

``bulk_import_document`` gives exactly the database content ``importer.import_document`` gives
for the same document, and the same faults: it reads the document with the same reader and
replays each case through the same rules (``exchange.replay`` over ``cases.history``). Only two
things differ, for speed: the ``Directory`` answers from reference data and identities preloaded
from the database (ids and case numbers handed out in memory), and the rows are written with Core
``executemany`` in chunks. One transaction: any fault writes nothing.
"""
from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from operator import itemgetter
from typing import Any

import sqlalchemy as sa
from sqlalchemy import insert
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session

from mediator.domain.enums import RegionLevel, Track
from mediator.domain.errors import ValidationError, ValidationErrors
from mediator.services.cases.history import CaseHistory
from mediator.services.cases.inputs import normalized_party
from mediator.services.cases.numbering import number_for
from mediator.services.cases.state import CASE_TABLES, CaseState
from mediator.services.context import ServiceContext
from mediator.services.exchange.document import read_document
from mediator.services.exchange.outcome import ImportCancelled, ImportResult, audit_import, unique
from mediator.services.exchange.reference import apply_reference
from mediator.services.exchange.replay import CaseFault, replay_case
from mediator.services.permissions import Permission, requires
from mediator.store.models import (
    Case,
    CaseNumberCounter,
    CaseParty,
    Mediator,
    Organization,
    Person,
    Region,
)
from mediator.store.planner import refresh_planner_statistics
from mediator.store.search_index import indexed_after_load

_WITH_ID = tuple(t for t in CASE_TABLES if "id" in t.__table__.c)
# Above this many keys a whole-table scan beats `IN (…)` look-ups.
_SCAN_ABOVE = 5000


_PLANNER_REFRESH_CASES = 1000


@requires(Permission.DATA_IMPORT)
def bulk_import_document(ctx: ServiceContext, document: Any, *, chunk: int = 2000,
                         cancel: Callable[[], bool] | None = None) -> ImportResult:
    """Import a parsed document like ``import_document``, fast; same rows, same errors.

    Args:
        ctx: the service context (its clock, calendar, deadline settings and actor are used).
        document: the parsed ``mediator-case/1`` JSON.
        chunk: cases replayed between two batches of inserts.
        cancel: asked before each case; True ends the import (ImportCancelled), nothing written.

    Raises:
        ValidationErrors: every fault, with the paths ``import_document`` gives; nothing written.
    """
    with gc_paused():
        read = read_document(document, ctx.today())
        result = ImportResult()
        errors: list[ValidationError] = read.reader.errors
        with ctx.transaction() as session:
            result.count_reference(apply_reference(session, read, errors))
            directory = PreloadedDirectory(session, read.cases)
            history = CaseHistory(ctx, directory, replaying=True)
            writer = _Writer(session, chunk)
            with _large_page_cache(session), indexed_after_load(session):
                for case in read.cases:
                    if cancel is not None and cancel():
                        raise ImportCancelled("导入已取消，未写入任何数据")
                    if case is None or case.faulty:
                        continue
                    try:
                        state = replay_case(history, case)
                    except CaseFault as fault:
                        errors.extend(fault.errors)
                        continue
                    result.case_ids.append(state.id)
                    result.cases += 1
                    if not errors:  # after a fault only look for more faults: it all rolls back
                        writer.add(state)
                if errors:
                    raise ValidationErrors(unique(errors))
                writer.flush()
                directory.write_counters()
                directory.advance_sequences()
            audit_import(ctx, session, result)
        # A county's worth of new rows makes the planner's figures stale (not inside a caller's write).
        if result.cases >= _PLANNER_REFRESH_CASES and not ctx.in_transaction:
            refresh_planner_statistics(ctx.db)
        return result


@contextmanager
def _large_page_cache(session: Session) -> Iterator[None]:
    """SQLite: a page cache that holds the indexes being filled (restored afterwards)."""
    if session.get_bind().dialect.name != "sqlite":
        yield
        return
    conn = session.connection()
    previous = conn.exec_driver_sql("PRAGMA cache_size").scalar()
    conn.exec_driver_sql("PRAGMA cache_size=-262144")  # 256 MiB
    try:
        yield
    finally:
        conn.exec_driver_sql(f"PRAGMA cache_size={int(previous)}")


@contextmanager
def gc_paused() -> Iterator[None]:
    """No cyclic garbage collection while millions of acyclic rows are built (a large speed-up)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


class PreloadedDirectory:
    """A ``Directory`` over reference data and identities preloaded from the database, kept up
    to date in memory as cases are registered; ids and numbers are handed out here."""

    def __init__(self, session: Session, cases: list) -> None:
        self.session = session
        self.postgres = session.get_bind().dialect.name == "postgresql"
        if self.postgres:
            # Ids are handed out here: keep other writers out of these tables until commit.
            names = ", ".join(t.__tablename__ for t in (*CASE_TABLES, CaseNumberCounter))
            session.execute(sa.text(f"LOCK TABLE {names} IN SHARE ROW EXCLUSIVE MODE"))
        self.first_id = {t: _first_free_id(session, t, self.postgres) for t in _WITH_ID}
        self.next_id = dict(self.first_id)

        self.orgs = {name: (oid, short) for oid, name, short in session.execute(
            sa.select(Organization.id, Organization.name, Organization.short))}
        self.regions: dict[str, tuple[int, str, str]] = {}
        self.grids: dict[tuple[int, str], int] = {}
        for rid, code, name, level, parent in session.execute(
                sa.select(Region.id, Region.code, Region.name, Region.level, Region.parent_id)
                .order_by(Region.id)):
            if code is not None:
                self.regions[code] = (rid, level, name)
            if level == RegionLevel.GRID.value:
                self.grids.setdefault((parent, name), rid)
        self.mediators: dict[tuple[int, str], int] = {}
        for mid, org_id, name in session.execute(sa.select(
                Mediator.id, Mediator.organization_id, Mediator.name).order_by(Mediator.id)):
            self.mediators.setdefault((org_id, name), mid)
        self.counters: dict[tuple[int, str, int], int] = {
            (o, t, y): last for o, t, y, last in session.execute(
                sa.select(CaseNumberCounter.organization_id, CaseNumberCounter.track,
                          CaseNumberCounter.year, CaseNumberCounter.last))}
        self.counters_touched: set[tuple[int, str, int]] = set()
        # Numbers in use: the DB's (loaded lazily) and this import's (as they are now).
        self._taken_db: set[tuple[int, str, int, int]] | None = None
        self._taken_here: set[tuple[int, str, int, int]] = set()
        self._preload_identities(cases)

    # --- the Directory ------------------------------------------------------------------

    def organization(self, name: str) -> tuple[int, str] | None:
        return self.orgs.get(name)

    def region(self, code: str) -> tuple[int, str, str] | None:
        return self.regions.get(code)

    def grid(self, village_id: int, name: str) -> int | None:
        return self.grids.get((village_id, name))

    def mediator(self, organization_id: int, name: str) -> int | None:
        return self.mediators.get((organization_id, name))

    def ref_taken(self, ref: str) -> bool:
        return ref in self.refs

    def assign_number(self, organization_id: int, short: str, track: Track, year: int,
                      given: str | None, path: str) -> tuple[str, int]:
        number, seq = number_for(
            given, year, short, track, path=path,
            bump=lambda at_least: self._bump(organization_id, track.value, year, at_least),
            taken=lambda seq: self._is_taken((organization_id, track.value, year, seq)))
        self._taken_here.add((organization_id, track.value, year, seq))
        return number, seq

    def number_released(self, organization_id: int, track: str, year: int, seq: int) -> None:
        self._taken_here.discard((organization_id, track, year, seq))

    def person(self, party: Any) -> tuple[int | None, bool]:
        if party.id_number:
            person_id = self.person_by_id.get(party.id_number)
        elif party.phone:
            person_id = self.person_by_name_phone.get((party.name, party.phone))
        else:
            return None, False
        if person_id is not None:
            return person_id, False
        person_id = self.new_id(Person)
        if party.id_number:
            self.person_by_id.setdefault(party.id_number, person_id)
        if party.phone:
            self.person_by_name_phone.setdefault((party.name, party.phone), person_id)
        return person_id, True

    def earlier_cases(self, party: Any, case_id: int) -> list[tuple[int, bool]]:
        """As ``stored.earlier_cases``: rows with the same 身份证号 first, then those with the
        same name and phone (the order SQLite's multi-index OR gives). The indexes never hold the
        case being registered (``registered`` adds it afterwards)."""
        out: list[tuple[int, bool]] = []
        if party.id_number:
            out.extend((other, True) for _rid, other, _n in self.party_by_id.get(party.id_number, ()))
        if party.phone:
            for _rid, other, number in self.party_by_name_phone.get((party.name, party.phone), ()):
                out.append((other, bool(party.id_number) and number == party.id_number))
        return out

    def registered(self, state: CaseState) -> None:
        ref = state.row["ref"]
        if ref:
            self.refs.add(ref)
        for row in state.added.get(CaseParty, ()):
            entry = (row["id"], state.id, row["id_number"])
            if row["id_number"]:
                self.party_by_id.setdefault(row["id_number"], []).append(entry)
            if row["phone"]:
                self.party_by_name_phone.setdefault((row["name"], row["phone"]), []).append(entry)

    def new_id(self, table: type) -> int:
        value = self.next_id[table]
        self.next_id[table] = value + 1
        return value

    # --- preloading ---------------------------------------------------------------------

    def _preload_identities(self, cases: list) -> None:
        """Refs, persons and party rows of the DB that this document's cases may meet."""
        refs: set[str] = set()
        ids: set[str] = set()
        phones: set[str] = set()
        for case in cases:
            if case is None or case.faulty:
                continue
            if case.data.ref:
                refs.add(case.data.ref)
            for raw in case.data.parties:
                try:
                    party = normalized_party(raw)
                except ValidationError:
                    continue  # registering fails the same way when the case is replayed
                if party.id_number:
                    ids.add(party.id_number)
                if party.phone:
                    phones.add(party.phone)
        s = self.session
        self.refs = set(_matching(s, Case.ref, refs))
        # Persons: by 身份证号, else by name and phone (the lowest id first, like the lookup).
        self.person_by_id: dict[str, int] = {}
        self.person_by_name_phone: dict[tuple[str, str], int] = {}
        for pid, name, number, phone in _rows_matching(
                s, sa.select(Person.id, Person.name, Person.id_number, Person.phone),
                Person.id_number, ids, Person.phone, phones):
            if number is not None and number in ids:
                self.person_by_id.setdefault(number, pid)
            if phone is not None and phone in phones:
                self.person_by_name_phone.setdefault((name, phone), pid)
        # Party rows of earlier cases, in id order: (row id, case id, 身份证号).
        self.party_by_id: dict[str, list[tuple[int, int, str | None]]] = {}
        self.party_by_name_phone: dict[tuple[str, str], list[tuple[int, int, str | None]]] = {}
        for rid, case_id, name, number, phone in _rows_matching(
                s, sa.select(CaseParty.id, CaseParty.case_id, CaseParty.name, CaseParty.id_number,
                             CaseParty.phone),
                CaseParty.id_number, ids, CaseParty.phone, phones):
            entry = (rid, case_id, number)
            if number is not None and number in ids:
                self.party_by_id.setdefault(number, []).append(entry)
            if phone is not None and phone in phones:
                self.party_by_name_phone.setdefault((name, phone), []).append(entry)

    def _is_taken(self, key: tuple[int, str, int, int]) -> bool:
        """Whether a case already has this (organisation, track, year, seq) number."""
        if key in self._taken_here:
            return True
        if self._taken_db is None:  # loaded when first needed: most files give no numbers
            self._taken_db = {tuple(r) for r in self.session.execute(
                sa.select(Case.organization_id, Case.track, Case.number_year, Case.number_seq))}
        return key in self._taken_db

    def _bump(self, org_id: int, track: str, year: int, at_least: int | None) -> int:
        key = (org_id, track, year)
        last = self.counters.get(key)
        if at_least is None:
            new = 1 if last is None else last + 1
        else:
            new = at_least if last is None or last < at_least else last
        self.counters[key] = new
        self.counters_touched.add(key)
        return new

    def write_counters(self) -> None:
        """Store the counters this import moved (numbering's counter rows)."""
        if not self.counters_touched:
            return
        table = CaseNumberCounter.__table__
        rows = [{"organization_id": o, "track": t, "year": y, "last": self.counters[(o, t, y)]}
                for o, t, y in sorted(self.counters_touched, key=lambda k: (k[0], k[1], k[2]))]
        dialect_insert = postgresql.insert if self.postgres else sqlite.insert
        stmt = dialect_insert(table)
        stmt = stmt.on_conflict_do_update(index_elements=["organization_id", "track", "year"],
                                          set_={"last": stmt.excluded.last})
        self.session.execute(stmt, rows)

    def advance_sequences(self) -> None:
        """PostgreSQL: move each id sequence past the ids handed out here (SQLite needs nothing)."""
        if not self.postgres:
            return
        for table, first in self.first_id.items():
            if self.next_id[table] > first:
                self.session.execute(sa.text("SELECT setval(pg_get_serial_sequence(:t, 'id'), :v)"),
                                     {"t": table.__tablename__, "v": self.next_id[table] - 1})

class _Writer:
    """Buffers the rows of replayed cases and writes them table by table, parents first."""

    def __init__(self, session: Session, chunk: int) -> None:
        self.session = session
        self.chunk = max(1, chunk)
        self.states: list[CaseState] = []
        self._plans: dict[str, tuple] = {}
        self._memo: dict[tuple[str, str], dict] = {}

    def add(self, state: CaseState) -> None:
        self.states.append(state)
        if len(self.states) >= self.chunk:
            self.flush()

    def flush(self) -> None:
        states, self.states = self.states, []
        for table in CASE_TABLES:
            rows = [row for s in states for row in s.added.get(table, ())]
            if rows:
                self._insert(table.__table__, rows)

    def _insert(self, table: sa.Table, rows: list, keys: tuple[str, ...] | None = None) -> None:
        """One executemany of ``INSERT INTO table`` (``rows``: dicts, or tuples in ``keys`` order).

        The statement is compiled by SQLAlchemy once per table and each column's values pass
        through the column type's own bind processor (dates, aware datetimes, JSON, booleans), so
        the stored values are those ``session.execute(insert(table), rows)`` stores; only the
        per-row parameter assembly of ``execute`` (most of the cost at this size) is skipped.
        """
        conn = self.session.connection()
        dialect = conn.dialect
        as_tuples = keys is not None
        keys = keys if as_tuples else tuple(rows[0])
        plan = self._plans.get(table.name)
        if plan is None or plan[0] != keys:
            compiled = insert(table).compile(dialect=dialect, column_keys=list(keys))
            order = tuple(compiled.positiontup) if compiled.positiontup is not None else keys
            if as_tuples and order != keys:
                raise ValueError(f"{table.name}: tuples must follow the statement's order {order}")
            processors = []
            for i, key in enumerate(order):
                process = table.c[key].type.dialect_impl(dialect).bind_processor(dialect)
                if process is not None:
                    # Dates, times and flags repeat a lot: those are converted once per value.
                    processors.append((i, key, process, not isinstance(table.c[key].type, sa.JSON)))
            plan = self._plans[table.name] = (keys, str(compiled), order, itemgetter(*order),
                                              processors, compiled.positiontup is not None)
        _, sql, order, getter, processors, positional = plan
        params: list = rows if as_tuples else list(map(getter, rows))
        if processors:
            columns = list(zip(*params))
            for i, key, process, memoize in processors:
                if memoize:
                    memo = self._memo.setdefault((table.name, key), {})
                    columns[i] = [memo[v] if v in memo else memo.setdefault(v, process(v))
                                  for v in columns[i]]
                else:
                    columns[i] = list(map(process, columns[i]))
            params = list(zip(*columns))
        if not positional:
            params = [dict(zip(order, values)) for values in params]
        conn.exec_driver_sql(sql, params)


def _first_free_id(session: Session, table: type, postgres: bool) -> int:
    name = table.__tablename__
    top = session.execute(sa.select(sa.func.max(table.__table__.c.id))).scalar() or 0
    if postgres:
        # A sequence may be ahead of the rows (rolled-back inserts): never reuse its numbers.
        seq = session.execute(sa.text("SELECT pg_get_serial_sequence(:t, 'id')"),
                              {"t": name}).scalar()
        if seq:
            last, called = session.execute(
                sa.text(f"SELECT last_value, is_called FROM {seq}")).one()
            top = max(top, last if called else last - 1)
    return top + 1


def _chunks(values: list, size: int = 500) -> Iterator[list]:
    for i in range(0, len(values), size):
        yield values[i:i + size]


def _matching(session: Session, column: Any, keys: set[str]) -> Iterator[str]:
    """The values of ``column`` among ``keys``."""
    if not keys:
        return
    if len(keys) > _SCAN_ABOVE:
        for (value,) in session.execute(sa.select(column).where(column.is_not(None))):
            if value in keys:
                yield value
        return
    for part in _chunks(sorted(keys)):
        yield from session.execute(sa.select(column).where(column.in_(part))).scalars()


def _rows_matching(session: Session, stmt: Any, id_column: Any, ids: set[str], phone_column: Any,
                   phones: set[str]) -> list[tuple]:
    """Rows whose 身份证号 is among ``ids`` or whose phone is among ``phones``, in id order."""
    if not ids and not phones:
        return []
    if len(ids) + len(phones) > _SCAN_ABOVE:
        out = [r for r in session.execute(stmt.order_by(stmt.selected_columns[0]))
               if r[-2] in ids or r[-1] in phones]
        return out
    found: dict[int, tuple] = {}
    for column, keys in ((id_column, ids), (phone_column, phones)):
        for part in _chunks(sorted(keys)):
            for r in session.execute(stmt.where(column.in_(part))):
                found[r[0]] = tuple(r)
    return [found[k] for k in sorted(found)]
