"""Fast import of large `mediator-case/1` documents (the demo county, office moves).

``bulk_import_document`` gives exactly the database content ``exchange.import_document`` gives for
the same document, and the same ValidationErrors for a faulty one, but replays each case's events
in memory with the pure domain (the transition table, the date rules and data the use cases in
``cases.py`` write, the deadline engine) and writes the rows with Core ``executemany`` in chunks,
ids assigned in Python. The document is read with the importer's own reading code; reference data
goes through the importer's own upserts. One transaction: any fault writes nothing.

Whatever changes in ``cases.py`` (what a move writes, a new check) must change here too: the
equivalence tests in ``tests/services/test_bulk_load.py`` compare both paths.
"""
from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from operator import itemgetter
from typing import Any

import sqlalchemy as sa
from sqlalchemy import insert
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session

from mediator.domain.deadlines import (
    AgreementFacts,
    CaseEvent,
    check_extension,
    compute_deadlines,
    handling_rule,
)
from mediator.domain.enums import (
    AgreementForm,
    CaseStatus,
    ConfirmationResult,
    Level,
    PerformanceResult,
    Procedure,
    RegionLevel,
    RiskFlag,
    Track,
    TrackDetail,
)
from mediator.domain.errors import DomainError, ValidationError, ValidationErrors
from mediator.domain.formatting import format_case_number, parse_case_number
from mediator.domain.lifecycle import Action, is_allowed, next_status
from mediator.domain.validators import parse_money, yuan_to_fen
from mediator.services import audit
from mediator.services.cases import lifecycle as uc
from mediator.services.cases.inputs import check_agreement, check_track, normalized_party
from mediator.services.context import ServiceContext
from mediator.services.exchange import importer as ex
from mediator.services.exchange.reader import Reader
from mediator.services.permissions import Permission, requires
from mediator.store.models import (
    Agreement,
    AgreementTerm,
    Case,
    CaseDeadline,
    CaseLink,
    CaseMediator,
    CaseNumberCounter,
    CaseParty,
    FollowUp,
    JudicialConfirmation,
    MediationSession,
    Mediator,
    Organization,
    Performance,
    Person,
    Region,
    TimelineEvent,
)

ImportResult = ex.ImportResult

_NO_REASON = "（导入记录未注明理由）"
_S = CaseStatus
# Timeline actions filed beside the lifecycle: not ordered with the moves (cases._check_date).
_RECORD_ACTIONS = frozenset(uc._RECORDS)

# Tables with ids assigned here, in the order their rows are written (parents first).
_TABLES = (Person, Case, CaseMediator, CaseParty, CaseLink, TimelineEvent, MediationSession,
           Agreement, AgreementTerm, Performance, FollowUp, JudicialConfirmation, CaseDeadline)
_WITH_ID = (Person, Case, CaseParty, TimelineEvent, MediationSession, Agreement, AgreementTerm,
            Performance, FollowUp, JudicialConfirmation, CaseDeadline)
_LINK_KEYS = ("case_id", "earlier_case_id", "reason")
# Above this many keys a whole-table scan beats `IN (…)` look-ups.
_SCAN_ABOVE = 5000


@requires(Permission.DATA_IMPORT)
def bulk_import_document(ctx: ServiceContext, document: Any, *, chunk: int = 2000) -> ImportResult:
    """Import a parsed document like ``exchange.import_document``, fast; same rows, same errors.

    Args:
        ctx: the service context (its clock, calendar, deadline settings and actor are used).
        document: the parsed ``mediator-case/1`` JSON.
        chunk: cases replayed between two batches of inserts.

    Raises:
        ValidationErrors: every fault, with the paths ``import_document`` gives; nothing written.
    """
    with gc_paused():
        read = ex._read_document(document, ctx.today())
        result = ImportResult()
        errors: list[ValidationError] = read.reader.errors
        with ctx.transaction() as session:
            ex._apply_reference(session, read.regions, read.orgs, read.mediators,
                                read.advisors, errors, result)
            loader = _Loader(ctx, session, read.cases)
            writer = _Writer(session, chunk)
            with _large_page_cache(session):
                for case in read.cases:
                    if case is None or case.faulty:
                        continue
                    try:
                        c = loader.replay(case)
                    except ex._CaseFault as fault:
                        errors.extend(fault.errors)
                        continue
                    result.case_ids.append(c.id)
                    result.cases += 1
                    if not errors:  # after a fault only look for more faults: it all rolls back
                        writer.add(c)
                if errors:
                    raise ValidationErrors(ex._unique(errors))
                writer.flush()
                loader.write_counters()
                loader.advance_sequences()
            # As import_document: the import is audited once, as a whole.
            audit.record(ctx, session, "import", f"{result.cases}件",
                         {"cases": result.cases, "regions": result.regions,
                          "organizations": result.organizations})
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


# --- in-memory state of a case ------------------------------------------------------------

@dataclass
class _Case:
    """A case as the use cases would leave it, with the rows to write."""

    row: dict[str, Any]
    path: str
    status: CaseStatus = _S.REGISTERED
    last_on: date | None = None  # the date of the last lifecycle event (cases._check_date)
    parties: int = 0
    paused: bool = False  # the handling clock of the current leg stands still
    extensions: int = 0  # extensions in the current leg
    agreement: dict[str, Any] | None = None
    events: list[CaseEvent] = field(default_factory=list)
    timeline: list[dict[str, Any]] = field(default_factory=list)
    mediators: list[dict[str, Any]] = field(default_factory=list)
    party_rows: list[dict[str, Any]] = field(default_factory=list)
    persons: list[dict[str, Any]] = field(default_factory=list)
    links: list[tuple[int, int, str]] = field(default_factory=list)  # _LINK_KEYS
    sessions: list[dict[str, Any]] = field(default_factory=list)
    terms: list[dict[str, Any]] = field(default_factory=list)
    performance: list[dict[str, Any]] = field(default_factory=list)
    follow_ups: list[dict[str, Any]] = field(default_factory=list)
    confirmation: dict[str, Any] | None = None
    deadlines: list[dict[str, Any]] = field(default_factory=list)

    @property
    def id(self) -> int:
        return self.row["id"]


def _v(member: Any) -> str | None:
    return None if member is None else member.value


class _Loader:
    """Replays cases in memory against reference data and identities preloaded from the DB."""

    def __init__(self, ctx: ServiceContext, session: Session, cases: list) -> None:
        self.ctx = ctx
        self.session = session
        self.today = ctx.today()
        self.now = ctx.now()
        self.actor = ctx.actor
        self.postgres = session.get_bind().dialect.name == "postgresql"
        if self.postgres:
            # Ids are handed out here: keep other writers out of these tables until commit.
            names = ", ".join(t.__tablename__ for t in (*_TABLES, CaseNumberCounter))
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

    # --- preloading ---------------------------------------------------------------------

    def _preload_identities(self, cases: list) -> None:
        """Refs, persons and party rows of the DB that this document's cases may meet."""
        refs: set[str] = set()
        ids: set[str] = set()
        phones: set[str] = set()
        self.normalized: dict[int, list] = {}
        for case in cases:
            if case is None or case.faulty:
                continue
            if case.data.ref:
                refs.add(case.data.ref)
            parties = []
            for raw in case.data.parties:
                try:
                    party = normalized_party(raw)
                except ValidationError:
                    party = None  # register_case would fail the same way: replay raises again
                parties.append(party)
                if party is not None:
                    if party.id_number:
                        ids.add(party.id_number)
                    if party.phone:
                        phones.add(party.phone)
            self.normalized[id(case)] = parties
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

    def _new_id(self, table: type) -> int:
        value = self.next_id[table]
        self.next_id[table] = value + 1
        return value

    # --- numbering (numbering.assign_number) ----------------------------------------------

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

    def _assign_number(self, org: tuple[int, str], track: Track, year: int, given: str | None,
                       path: str = "number") -> tuple[str, int]:
        org_id, short = org
        if given:
            parsed = parse_case_number(given)
            if parsed is None or parsed[0] != year or parsed[2] != track.number_word:
                return given, self._bump(org_id, track.value, year, None)
            seq = parsed[3]
            if self._is_taken((org_id, track.value, year, seq)):
                raise ValidationError(path, f"案号“{given}”已被使用")
            self._bump(org_id, track.value, year, seq)
            return given, seq
        seq = self._bump(org_id, track.value, year, None)
        return format_case_number(year, short, track.number_word, seq), seq

    def write_counters(self) -> None:
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

    # --- registration (cases.register_case) -------------------------------------------------

    def replay(self, read: Any) -> _Case:
        """The case registered and its steps replayed, or _CaseFault as import_document gives."""
        try:
            c = self._register(read)
        except ValidationErrors as e:
            raise ex._CaseFault([err.at(read.path) for err in e.errors]) from None
        except ValidationError as e:
            raise ex._CaseFault([e.at(read.path)]) from None
        for step in read.steps:
            try:
                self._step(c, step)
            except ValidationErrors as e:
                faults = [ex._step_error(step, err) for err in e.errors]
                raise ex._CaseFault(faults) from None
            except DomainError as e:
                raise ex._CaseFault([ex._step_error(step, e)]) from None
        self._deadlines(c)
        return c

    def _register(self, read: Any) -> _Case:
        data = read.data
        errors: list[ValidationError] = []  # check_case_input found nothing: the case is not faulty
        org = self.orgs.get(data.organization)
        if org is None:
            errors.append(ValidationError("organization", f"调解组织“{data.organization}”不存在"))
        village = self.regions.get(data.village_code)
        if village is None or village[1] != RegionLevel.VILLAGE.value:
            errors.append(ValidationError("village_code", f"村（社区）区划代码{data.village_code}不存在"))
        grid_id = None
        if data.grid and village is not None:
            grid_id = self.grids.get((village[0], data.grid))
            if grid_id is None:
                errors.append(ValidationError("grid", f"{village[2]}没有名为“{data.grid}”的网格"))
        mediator_ids = []
        for i, name in enumerate(data.mediators):
            m = self.mediators.get((org[0], name)) if org else None
            if org is not None and m is None:
                errors.append(ValidationError(f"mediators[{i}]",
                                              f"{data.organization}没有名为“{name}”的调解员"))
            mediator_ids.append(m)
        if data.ref and data.ref in self.refs:
            errors.append(ValidationError("ref", f"编号为“{data.ref}”的案件已存在，不能重复导入"))
        if errors:
            raise ValidationErrors(errors)

        track = data.track
        year = data.received_on.year
        number, seq = self._assign_number(org, track, year, data.number)
        flags = list(dict.fromkeys(f.value for f in data.risk_flags))
        case_id = self._new_id(Case)
        row = {
            "id": case_id, "ref": data.ref or None, "number": number, "number_year": year,
            "number_seq": seq, "track": track.value, "track_detail": _v(data.track_detail),
            "procedure": _v(data.procedure), "source": data.source.value,
            "category": data.category.value, "organization_id": org[0], "village_id": village[0],
            "grid_id": grid_id, "level": data.level.value, "received_on": data.received_on,
            "accepted_on": None, "closed_on": None, "summary": data.summary.strip(),
            "requests": (data.requests or "").strip(),
            "amount_fen": yuan_to_fen(parse_money(data.amount_yuan)),
            "people_involved": data.people_involved, "risk_level": data.risk_level.value,
            "risk_flags": ",".join(flags), "status": _S.REGISTERED.value,
            "needs_supervision": False, "created_at": self.now, "updated_at": self.now,
            "version": 1, "registered_by_id": self.ctx.user.id if self.ctx.user is not None else None,
        }
        c = _Case(row, read.path)
        if data.ref:
            self.refs.add(data.ref)
        self._taken_here.add((org[0], track.value, year, seq))
        for i, m in enumerate(mediator_ids):
            c.mediators.append({"case_id": case_id, "mediator_id": m, "seq": i})

        earlier: dict[int, str] = {}
        parties = self.normalized.pop(id(read), None)
        if parties is None or any(p is None for p in parties):
            parties = [normalized_party(raw) for raw in data.parties]
        new_party_rows = []
        for i, party in enumerate(parties):
            person_id = self._person_for(c, party)
            self._earlier_cases(party, earlier)
            agent = party.agent
            party_row = {
                "id": self._new_id(CaseParty), "case_id": case_id, "person_id": person_id, "seq": i,
                "role": party.role.value, "kind": party.kind.value, "name": party.name,
                "gender": _v(party.gender), "ethnicity": party.ethnicity,
                "birth_date": party.birth_date, "id_number": party.id_number, "phone": party.phone,
                "address": party.address, "occupation": party.occupation,
                "credit_code": party.credit_code, "representative": party.representative,
                "agent_name": agent.name if agent else None,
                "agent_phone": agent.phone if agent else None,
                "agent_relation": agent.relation if agent else None, "version": 1,
            }
            c.party_rows.append(party_row)
            new_party_rows.append(party_row)
        # Indexed after the whole case: a case never links to itself.
        for party_row in new_party_rows:
            entry = (party_row["id"], case_id, party_row["id_number"])
            if party_row["id_number"]:
                self.party_by_id.setdefault(party_row["id_number"], []).append(entry)
            if party_row["phone"]:
                key = (party_row["name"], party_row["phone"])
                self.party_by_name_phone.setdefault(key, []).append(entry)
        c.parties = len(parties)
        c.links = [(case_id, earlier_id, reason) for earlier_id, reason in earlier.items()]
        if earlier and RiskFlag.REPEAT.value not in flags:
            row["risk_flags"] = ",".join([*flags, RiskFlag.REPEAT.value])
        snapshot = {
            "track": track.value, "track_detail": _v(data.track_detail),
            "procedure": _v(data.procedure), "organization": data.organization,
            "level": data.level.value, "number": number,
        }
        note = f"关联既往纠纷{len(earlier)}件" if earlier else ""
        self._append_event(c, Action.REGISTER, data.received_on, None, _S.REGISTERED, snapshot,
                           note)
        c.last_on = data.received_on
        return c

    def _person_for(self, c: _Case, party: Any) -> int | None:
        if party.id_number:
            person_id = self.person_by_id.get(party.id_number)
        elif party.phone:
            person_id = self.person_by_name_phone.get((party.name, party.phone))
        else:
            return None
        if person_id is None:
            person_id = self._new_id(Person)
            c.persons.append({"id": person_id, "name": party.name, "id_number": party.id_number,
                              "phone": party.phone})
            if party.id_number:
                self.person_by_id.setdefault(party.id_number, person_id)
            if party.phone:
                self.person_by_name_phone.setdefault((party.name, party.phone), person_id)
        return person_id

    def _earlier_cases(self, party: Any, earlier: dict[int, str]) -> None:
        """cases._earlier_cases into ``earlier`` (the first reason per case kept, as registering).

        Rows with the same 身份证号 come first, then those with the same name and phone: the order
        SQLite's multi-index OR gives. The indexes never hold the case being registered.
        """
        by_id = self.party_by_id.get(party.id_number) if party.id_number else None
        by_name = self.party_by_name_phone.get((party.name, party.phone)) if party.phone else None
        if by_id:
            same = f"{party.name}：身份证号相同"
            for _rid, case_id, _number in by_id:
                if case_id not in earlier:
                    earlier[case_id] = same
        if by_name:
            # A row that also has the party's number came with by_id: its case is in already.
            other = f"{party.name}：姓名和电话相同"
            for _rid, case_id, _number in by_name:
                if case_id not in earlier:
                    earlier[case_id] = other

    # --- the machinery of a move (cases._move) --------------------------------------------

    def _append_event(self, c: _Case, action: Action, on: date, from_status: CaseStatus | None,
                      to_status: CaseStatus | None, data: dict | None, note: str) -> None:
        data = data or {}
        code = action._value_  # (a plain attribute: `.value` is a slow descriptor on enums)
        c.timeline.append({
            "id": self._new_id(TimelineEvent), "case_id": c.id, "seq": len(c.timeline) + 1,
            "on": on, "at": self.now, "action": code,
            "from_status": None if from_status is None else from_status._value_,
            "to_status": None if to_status is None else to_status._value_, "actor": self.actor,
            "note": note or "", "data": data, "imported": True,
        })
        c.events.append(CaseEvent(on, code, data))

    def _check_date(self, c: _Case, on: date, path: str = "on") -> None:
        if on > self.today:
            raise ValidationError(path, "日期不能晚于今天")
        received = c.row["received_on"]
        if on < received:
            raise ValidationError(path, f"日期不能早于收案日期{received.isoformat()}")
        if c.last_on is not None and on < c.last_on:
            raise ValidationError(path, f"日期不能早于上一步办理日期{c.last_on.isoformat()}")

    def _move(self, c: _Case, action: Action, on: date, *, data: dict | None = None, note: str = "",
              performance: PerformanceResult | None = None, check_date: bool = True,
              before: Callable[[_Case], None] | None = None,
              after: Callable[[_Case], None] | None = None,
              note_from: Callable[[_Case], str] | None = None) -> None:
        status = c.status
        if action._value_ in _RECORD_ACTIONS and not is_allowed(status, action):
            target = status  # as cases._move while replaying: a dated record is a fact
        else:
            target = next_status(status, action, performance=performance)
        if check_date:
            self._check_date(c, on)
        if before is not None:
            before(c)
        if note_from is not None:
            note = f"{note}；{note_from(c)}" if note else note_from(c)
        self._append_event(c, action, on, status, target, data, note)
        if action._value_ not in _RECORD_ACTIONS:
            c.last_on = on
        c.status = target
        c.row["status"] = target._value_
        c.row["version"] += 1
        if after is not None:
            after(c)

    def _closed(self, on: date) -> Callable[[_Case], None]:
        def after(c: _Case) -> None:
            c.row["closed_on"] = on
        return after

    # --- the steps (exchange._replay_step and the use cases it calls) ---------------------

    def _step(self, c: _Case, step: Any) -> None:
        p, on, kind = step.payload, step.on, step.kind
        if kind == "session":
            self._session(c, p)
        elif kind == "follow_up":
            self._follow_up(c, p)
        elif kind == "judicial_confirmation":
            self._confirmation(c, p["applied_on"], p["court"], p["result"], p["ruled_on"])
        elif kind == "accept":
            def accepted(case: _Case) -> None:
                case.row["accepted_on"] = on
            self._move(c, Action.ACCEPT, on, note=p.get("note") or "", after=accepted)
        elif kind == "start":
            self._move(c, Action.START, on, note=p.get("note") or "")
        elif kind == "reject":
            reason = p.get("reason") or _NO_REASON
            if not reason or not reason.strip():
                raise ValidationError("reason", "请填写不予受理的理由")
            self._move(c, Action.REJECT, on, data={"reason": reason.strip()}, note=reason.strip(),
                       after=self._closed(on))
        elif kind == "agree":
            if p is None:
                raise ValidationError("agreement", "缺少协议内容")
            self._agree(c, p, on)
        elif kind in ("fail", "withdraw"):
            reason = p.get("reason") or ""
            data = {"reason": reason.strip()} if reason and reason.strip() else {}
            action = Action.FAIL if kind == "fail" else Action.WITHDRAW
            self._move(c, action, on, data=data, note=reason or "", after=self._closed(on))
        elif kind == "transfer":
            reader = Reader()
            track = reader.enum(p, "to_track", "", Track, what="调解类型")
            detail = reader.enum(p, "to_track_detail", "", TrackDetail, required=False, what="调解类别")
            procedure = reader.enum(p, "procedure", "", Procedure, required=False, what="程序")
            level = reader.enum(p, "level", "", Level, required=False, what="处理层级")
            org = reader.text(p, "to_organization", "")
            if reader.errors:
                raise ValidationErrors(reader.errors)
            self._transfer(c, track, org, p.get("reason") or "", detail, procedure, level,
                           p.get("number"), on)
        elif kind in ("escalate", "hand_down"):
            reader = Reader()
            level = reader.enum(p, "level", "", Level, what="处理层级")
            if reader.errors:
                raise ValidationErrors(reader.errors)
            action = Action.ESCALATE if kind == "escalate" else Action.HAND_DOWN
            self._level_move(c, action, level, p.get("reason") or _NO_REASON, on)
        elif kind == "extend":
            reader = Reader()
            until = reader.day(p, "until", "")
            if reader.errors:
                raise ValidationErrors(reader.errors)
            consent = p.get("consent", False) is True
            self._extend(c, until, p.get("reason") or _NO_REASON, consent, on)
        elif kind == "pause":
            reason = p.get("reason") or _NO_REASON
            if not reason or not reason.strip():
                raise ValidationError("reason", "请填写中止计时的理由（如：医疗损害鉴定）")

            def not_paused(case: _Case) -> None:
                if case.paused:
                    raise ValidationError("action", "调解期限已在中止计时中")

            def paused(case: _Case) -> None:
                case.paused = True

            self._move(c, Action.PAUSE, on, data={"reason": reason.strip()}, note=reason.strip(),
                       before=not_paused, after=paused)
        elif kind == "resume":
            reason = p.get("reason") or ""

            def is_paused(case: _Case) -> None:
                if not case.paused:
                    raise ValidationError("action", "调解期限没有中止，无需恢复计时")

            def resumed(case: _Case) -> None:
                case.paused = False

            data = {"reason": reason.strip()} if reason and reason.strip() else {}
            self._move(c, Action.RESUME, on, data=data, note=reason or "", before=is_paused,
                       after=resumed)
        elif kind == "perform":
            reader = Reader()
            result = reader.enum(p, "result", "", PerformanceResult, what="履行结果")
            if reader.errors:
                raise ValidationErrors(reader.errors)
            self._perform(c, result, p.get("note") or "", on)
        elif kind == "archive":
            self._move(c, Action.ARCHIVE, on, note=p.get("note") or "")

    def _session(self, c: _Case, data: Any) -> None:
        if not data.record or not data.record.strip():
            raise ValidationError("record", "请填写调查或调解经过")

        def after(case: _Case) -> None:
            case.sessions.append({
                "id": self._new_id(MediationSession), "case_id": case.id, "on": data.on,
                "kind": data.kind.value, "place": data.place or "",
                "participants": data.participants or "", "record": data.record.strip(),
                "version": 1,
            })

        self._move(c, Action.RECORD_SESSION, data.on,
                   data={"kind": data.kind.value, "place": data.place or ""}, note=data.kind.label,
                   after=after, check_date=False)

    def _agree(self, c: _Case, data: Any, on: date | None) -> None:
        on = on or data.signed_on

        def before(case: _Case) -> None:
            errors = check_agreement(data, case.parties)
            if data.signed_on != on:
                errors.append(ValidationError("agreement.signed_on", "协议签订日期应为达成协议之日"))
            if errors:
                raise ValidationErrors(errors)

        def after(case: _Case) -> None:
            agreement_id = self._new_id(Agreement)
            case.agreement = {
                "id": agreement_id, "case_id": case.id, "form": data.form.value,
                "signed_on": data.signed_on, "facts": data.facts or "",
                "performance_method": data.performance or "", "deadline": data.deadline,
                "amount_fen": yuan_to_fen(parse_money(data.amount_yuan)),
                "copies": data.copies or (case.parties + 1), "version": 1,
            }
            for i, text in enumerate(t.strip() for t in data.items if t and t.strip()):
                case.terms.append({"id": self._new_id(AgreementTerm), "agreement_id": agreement_id,
                                   "seq": i + 1, "text": text})
            case.row["closed_on"] = on

        self._move(c, Action.AGREE, on, data={"form": data.form.value}, note=data.form.label,
                   before=before, after=after)

    def _transfer(self, c: _Case, to_track: Track, to_organization: str, reason: str,
                  to_track_detail: TrackDetail | None, procedure: Procedure | None,
                  level: Level | None, number: str | None, on: date) -> None:
        if not reason or not reason.strip():
            raise ValidationError("reason", "请填写移送理由")
        errors = check_track(to_track, to_track_detail, procedure)
        if errors:
            raise ValidationErrors([e.at("") for e in errors])
        data: dict[str, Any] = {"to_track": to_track.value, "to_organization": to_organization,
                                "reason": reason.strip()}
        if to_track_detail is not None:
            data["to_track_detail"] = to_track_detail.value
        if procedure is not None:
            data["procedure"] = procedure.value
        if level is not None:
            data["level"] = level.value

        def before(case: _Case) -> None:
            row = case.row
            org = self.orgs.get(to_organization)
            if org is None:
                raise ValidationError("to_organization", f"接收组织“{to_organization}”不存在")
            if org[0] == row["organization_id"] and to_track.value == row["track"]:
                raise ValidationError("to_organization", "移送须改变调解组织或调解类型")
            new_number, seq = self._assign_number(org, to_track, on.year, number)
            data["number"] = new_number
            data["_from_number"] = row["number"]
            data["_from_organization_id"] = row["organization_id"]
            self._taken_here.discard((row["organization_id"], row["track"], row["number_year"],
                                      row["number_seq"]))
            self._taken_here.add((org[0], to_track.value, on.year, seq))
            row["organization_id"] = org[0]
            row["track"] = to_track.value
            row["track_detail"] = _v(to_track_detail)
            row["procedure"] = _v(procedure)
            row["number"], row["number_year"], row["number_seq"] = new_number, on.year, seq
            row["accepted_on"] = None
            row["closed_on"] = None
            if level is not None:
                row["level"] = level.value
            case.paused = False
            case.extensions = 0

        self._move(c, Action.TRANSFER, on, data=data,
                   note=f"移送至{to_organization}（{to_track.label}）：{reason.strip()}", before=before,
                   note_from=lambda case: f"原案号{data['_from_number']}")

    def _level_move(self, c: _Case, action: Action, level: Level, reason: str, on: date) -> None:
        if not reason or not reason.strip():
            raise ValidationError("reason", "请填写上报或下交的理由")

        def before(case: _Case) -> None:
            current = Level(case.row["level"])
            if action is Action.ESCALATE and level.rank <= current.rank:
                raise ValidationError("level", f"上报应到高于{current.label}的层级")
            if action is Action.HAND_DOWN and level.rank >= current.rank:
                raise ValidationError("level", f"下交应到低于{current.label}的层级")
            case.row["level"] = level.value

        self._move(c, action, on, data={"level": level.value, "reason": reason.strip()},
                   note=reason.strip(), before=before)

    def _extend(self, c: _Case, until: date, reason: str, consent: bool, on: date) -> None:
        if not consent:
            raise ValidationError("consent", "延期须经当事人同意")
        if not reason or not reason.strip():
            raise ValidationError("reason", "请填写延期理由")

        def before(case: _Case) -> None:
            deadlines = [d for d in self._compute(case)
                         if d.kind.value == "handling" and d.state.value == "open"]
            if not deadlines:
                raise ValidationError("until", "该案件当前没有计算中的调解期限，无需延期")
            row = case.row
            rule = handling_rule(Track(row["track"]),
                                 TrackDetail(row["track_detail"]) if row["track_detail"] else None,
                                 Procedure(row["procedure"]) if row["procedure"] else None,
                                 self.ctx.deadline_settings)
            check_extension(rule, deadlines[-1].due, until, case.extensions, on)

        def extended(case: _Case) -> None:
            case.extensions += 1

        self._move(c, Action.EXTEND, on,
                   data={"until": until.isoformat(), "reason": reason.strip(), "consent": True},
                   note=f"延期至{until.isoformat()}：{reason.strip()}", before=before, after=extended)

    def _perform(self, c: _Case, result: PerformanceResult, note: str, on: date) -> None:
        def before(case: _Case) -> None:
            if case.agreement is not None and on < case.agreement["signed_on"]:
                raise ValidationError("on", "履行日期不能早于协议签订日期")

        def after(case: _Case) -> None:
            case.performance.append({"id": self._new_id(Performance), "case_id": case.id, "on": on,
                                     "result": result.value, "note": note or ""})
            case.row["needs_supervision"] = result is not PerformanceResult.FULL

        self._move(c, Action.PERFORM, on, data={"result": result.value},
                   note=result.label + (f"：{note}" if note else ""), performance=result,
                   before=before, after=after)

    def _follow_up(self, c: _Case, data: Any) -> None:
        def before(case: _Case) -> None:
            if case.agreement is not None and data.on < case.agreement["signed_on"]:
                raise ValidationError("on", "回访日期不能早于协议签订日期")
            if data.on > self.today:
                raise ValidationError("on", "回访日期不能晚于今天")

        def after(case: _Case) -> None:
            case.follow_ups.append({
                "id": self._new_id(FollowUp), "case_id": case.id, "on": data.on,
                "method": data.method.value, "performance": _v(data.performance),
                "satisfaction": _v(data.satisfaction), "note": data.note or "",
                "visitor": data.visitor or self.actor,
            })

        self._move(c, Action.FOLLOW_UP, data.on, data={"method": data.method.value},
                   note=data.method.label, before=before, after=after, check_date=False)

    def _confirmation(self, c: _Case, applied_on: date, court: str, result: ConfirmationResult,
                      ruled_on: date | None) -> None:
        if not court or not court.strip():
            raise ValidationError("court", "请填写受理司法确认的人民法院")
        if result is not ConfirmationResult.PENDING and ruled_on is None:
            raise ValidationError("on", "已裁定的司法确认须填写裁定日期")
        if ruled_on is not None and ruled_on < applied_on:
            raise ValidationError("on", "裁定日期不能早于申请日期")

        def before(case: _Case) -> None:
            agreement = case.agreement
            if agreement is None or agreement["form"] != AgreementForm.WRITTEN.value:
                raise ValidationError("judicial_confirmation", "只有书面调解协议可以申请司法确认")
            if applied_on < agreement["signed_on"]:
                raise ValidationError("applied_on", "申请日期不能早于协议签订日期")
            if applied_on > self.today or (ruled_on and ruled_on > self.today):
                raise ValidationError("applied_on", "日期不能晚于今天")
            if case.confirmation is None:
                case.confirmation = {"id": self._new_id(JudicialConfirmation), "case_id": case.id,
                                     "version": 1}
            else:
                case.confirmation["version"] += 1
            case.confirmation.update(applied_on=applied_on, court=court.strip(),
                                     result=result.value, ruled_on=ruled_on)

        self._move(c, Action.JUDICIAL_CONFIRMATION, applied_on,
                   data={"applied_on": applied_on.isoformat(), "court": court.strip(),
                         "result": result.value, "on": ruled_on.isoformat() if ruled_on else None},
                   note=f"{court.strip()}：{result.label}", before=before, check_date=False)

    # --- deadlines (deadline_sync.refresh_case_deadlines) -----------------------------------

    def _compute(self, c: _Case) -> list:
        a = c.agreement
        facts = None if a is None else AgreementFacts(AgreementForm(a["form"]), a["signed_on"],
                                                      a["deadline"])
        return compute_deadlines(c.events, facts, self.ctx.calendar, self.ctx.deadline_settings,
                                 self.today)

    def _deadlines(self, c: _Case) -> None:
        c.deadlines = [
            {"id": self._new_id(CaseDeadline), "case_id": c.id, "kind": d.kind._value_,
             "leg": d.leg, "start": d.start, "due": d.due, "nominal": d.nominal,
             "moved_reason": d.moved_reason, "state": d.state._value_, "closed_on": d.closed_on,
             "basis": d.basis[:300]}
            for d in self._compute(c)
        ]


# --- writing ------------------------------------------------------------------------------

class _Writer:
    """Buffers the rows of replayed cases and writes them table by table, parents first."""

    def __init__(self, session: Session, chunk: int) -> None:
        self.session = session
        self.chunk = max(1, chunk)
        self.cases: list[_Case] = []
        self._plans: dict[str, tuple] = {}
        self._memo: dict[tuple[str, str], dict] = {}

    def add(self, c: _Case) -> None:
        self.cases.append(c)
        if len(self.cases) >= self.chunk:
            self.flush()

    def flush(self) -> None:
        cases, self.cases = self.cases, []
        if not cases:
            return
        rows: dict[type, list[dict[str, Any]]] = {t: [] for t in _TABLES}
        for c in cases:
            rows[Person].extend(c.persons)
            rows[Case].append(c.row)
            rows[CaseMediator].extend(c.mediators)
            rows[CaseParty].extend(c.party_rows)
            rows[CaseLink].extend(c.links)
            rows[TimelineEvent].extend(c.timeline)
            rows[MediationSession].extend(c.sessions)
            if c.agreement is not None:
                rows[Agreement].append(c.agreement)
            rows[AgreementTerm].extend(c.terms)
            rows[Performance].extend(c.performance)
            rows[FollowUp].extend(c.follow_ups)
            if c.confirmation is not None:
                rows[JudicialConfirmation].append(c.confirmation)
            rows[CaseDeadline].extend(c.deadlines)
        for table in _TABLES:
            if rows[table]:
                if table is CaseLink:
                    self._insert(table.__table__, rows[table], _LINK_KEYS)
                else:
                    self._insert(table.__table__, rows[table])

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
