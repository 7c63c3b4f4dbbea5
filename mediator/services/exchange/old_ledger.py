"""导入旧台账: an office's own Excel ledger of past disputes becomes cases with their history.

``open_ledger`` reads the file and proposes a column mapping (the one saved for the same header
row, else a guess from the header words); ``check_ledger`` reads every row through a mapping
(the preview and the row-by-row problems, no database); ``import_ledger`` imports every good row
in one transaction, each replayed through the case rules (``replay``) so its history and deadlines
are those the use cases give. A row's case keeps a ref made from the row's content, so importing
the same ledger again adds nothing. The mapping used is saved per header row for next time.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlmodel import Session, select

from mediator.domain.errors import DomainError, ValidationError, ValidationErrors
from mediator.domain.ledger_columns import (
    LedgerField,
    guess_mapping,
    header_signature,
    mapping_problems,
)
from mediator.domain.ledger_rows import REF_PREFIX, LedgerCase, LedgerProblem, read_row
from mediator.services import audit
from mediator.services.cases.history import CaseHistory
from mediator.services.cases.inputs import check_case_input
from mediator.services.cases.stored import StoredDirectory, write_state
from mediator.services.changes import OpChanges
from mediator.services.context import ServiceContext
from mediator.services.exchange.document import ReadCase
from mediator.services.exchange.ledger_cases import Office, case_input, load_office, problem_at, steps
from mediator.services.exchange.ledger_file import LedgerSheet, read_ledger_file
from mediator.services.exchange.replay import CaseFault, replay_case
from mediator.services.permissions import Permission, requires
from mediator.services.places.reference import organization_by_name, upsert_mediator
from mediator.services.settings import get_setting
from mediator.store.models import Case, Organization, Setting, setting_row

MAPPING_KEY = "ledger.mapping."


@dataclass
class LedgerPlan:
    """A ledger file read, with the mapping proposed for its columns."""

    path: Path
    sheet: LedgerSheet
    mapping: list[LedgerField]
    saved: bool  # the mapping is the one saved for this header row

    @property
    def signature(self) -> str:
        return header_signature(self.sheet.headers)


@dataclass
class LedgerCheck:
    """Every row read through a mapping: the cases it gives and the problems found."""

    rows: int  # data rows that are not empty
    cases: list[LedgerCase]
    problems: list[LedgerProblem]
    skipped_rows: set[int] = field(default_factory=set)


@dataclass
class LedgerImportResult:
    rows: int = 0
    imported: int = 0
    already: int = 0  # rows imported by an earlier import (same ledger row, same case)
    skipped: int = 0  # rows not imported: problems, or imported before
    mediators_added: int = 0
    dry_run: bool = False
    problems: list[LedgerProblem] = field(default_factory=list)
    case_ids: list[int] = field(default_factory=list)

    def summary(self) -> str:
        head = "（试导入，未写入）" if self.dry_run else ""
        text = (f"{head}台账共{self.rows}行，导入案件{self.imported}件，跳过{self.skipped}行"
                f"（其中以前已导入{self.already}行）")
        if self.mediators_added:
            text += f"，新增调解员{self.mediators_added}名"
        problems = sum(not p.warning for p in self.problems)
        warnings = len(self.problems) - problems
        if problems or warnings:
            text += f"；问题{problems}处、提示{warnings}处"
        return text

    def as_json(self) -> dict[str, Any]:
        return {"rows": self.rows, "imported": self.imported, "skipped": self.skipped,
                "already_imported": self.already, "dry_run": self.dry_run,
                "problems": [p.as_json() for p in self.problems]}

    @property
    def changes(self) -> OpChanges:
        return OpChanges(case_ids=tuple(self.case_ids), reference=bool(self.mediators_added),
                         reminders=bool(self.imported))


class _DryRun(Exception):
    def __init__(self, result: LedgerImportResult) -> None:
        super().__init__("dry run")
        self.result = result


class LedgerCancelled(DomainError):
    """The person cancelled the import; nothing was written."""


def _setting_key(signature: str) -> str:
    return MAPPING_KEY + signature


def _saved_mapping(session: Session, headers: Sequence[str]) -> list[LedgerField] | None:
    row = setting_row(session, _setting_key(header_signature(headers)))
    if row is None or not isinstance(row.value, dict):
        return None
    fields = row.value.get("fields")
    if not isinstance(fields, list) or len(fields) != len(headers):
        return None
    try:
        return [LedgerField(f) for f in fields]
    except ValueError:
        return None


def _save_mapping(session: Session, headers: Sequence[str], mapping: Sequence[LedgerField]) -> None:
    """The mapping kept for the next ledger with the same header row."""
    key = _setting_key(header_signature(headers))
    value = {"headers": list(headers), "fields": [f.value for f in mapping]}
    row = setting_row(session, key)
    if row is None:
        session.add(Setting(key=key, value=value))
    elif row.value != value:
        row.value = value
        row.version += 1
        session.add(row)


@requires(Permission.DATA_IMPORT)
def open_ledger(ctx: ServiceContext, path: str | Path) -> LedgerPlan:
    """The ledger read and a mapping proposed; ValidationErrors (path ``file``) if unreadable."""
    sheet = read_ledger_file(path)
    with ctx.read() as session:
        saved = _saved_mapping(session, sheet.headers)
    return LedgerPlan(Path(path), sheet, saved or guess_mapping(sheet.headers), saved is not None)


def check_ledger(sheet: LedgerSheet, mapping: Sequence[LedgerField], today: Any) -> LedgerCheck:
    """Every row read through ``mapping`` (no database): the preview's cases and the problems.
    Raises ValidationErrors when the mapping itself cannot be used."""
    faults = mapping_problems(mapping)
    if len(mapping) != len(sheet.headers):
        faults.insert(0, f"列对应关系有{len(mapping)}项，表头有{len(sheet.headers)}列")
    if faults:
        raise ValidationErrors([ValidationError("mapping", f) for f in faults])
    check = LedgerCheck(0, [], [])
    first_row: dict[str, int] = {}
    for row_no, values in sheet.numbered():
        read = read_row(row_no, values, mapping, sheet.headers, today)
        if read.blank:
            continue
        check.rows += 1
        check.problems += read.problems
        case = read.case
        if case is None:
            check.skipped_rows.add(row_no)
            continue
        if case.key in first_row:
            check.problems.append(LedgerProblem(row_no, "", f"与第{first_row[case.key]}行是同一纠纷"
                                                "（案号，或受理日期、当事人、纠纷简要情况相同），不重复导入"))
            check.skipped_rows.add(row_no)
            continue
        first_row[case.key] = row_no
        check.cases.append(case)
    return check


def _organization(ctx: ServiceContext, session: Session, name: str | None) -> Organization:
    if not name:
        value = get_setting(ctx, "office.organization")  # the user's office's, else the county's
        name = value if isinstance(value, str) else ""
    if not name and ctx.user is not None and ctx.user.organization_id is not None:
        org = session.get(Organization, ctx.user.organization_id)
        if org is not None:
            return org
    if not name:
        raise ValidationErrors([ValidationError(
            "organization", "未指定导入到哪个调解组织：请选择调解组织（命令行用 --org），"
                            "或在系统设置中填写“本单位调解组织”")])
    org = organization_by_name(session, name)
    if org is None:
        raise ValidationErrors([ValidationError("organization", f"调解组织“{name}”不存在")])
    return org


@requires(Permission.DATA_IMPORT)
def import_ledger(ctx: ServiceContext, sheet: LedgerSheet, mapping: Sequence[LedgerField], *,
                  organization: str | None = None, village_code: str | None = None,
                  dry_run: bool = False, cancel: Callable[[], bool] | None = None) -> LedgerImportResult:
    """Import every good row in one transaction (``dry_run``: everything checked, nothing kept).

    A row with a problem is skipped and reported; a row imported before is skipped silently.
    Raises ValidationErrors, writing nothing, when the mapping or the organisation is unusable.
    """
    mapping = list(mapping)
    check = check_ledger(sheet, mapping, ctx.today())
    result = LedgerImportResult(rows=check.rows, dry_run=dry_run, problems=list(check.problems))
    headers = {f: h for f, h in zip(mapping, sheet.headers) if f is not LedgerField.IGNORE}
    try:
        with ctx.transaction() as session:
            org = _organization(ctx, session, organization)
            try:
                office = load_office(session, org, village_code)
            except ValidationError as e:
                raise ValidationErrors([e]) from None
            _import_cases(ctx, session, office, check, headers, result, cancel)
            result.skipped = result.rows - result.imported
            result.problems.sort(key=lambda p: p.row)
            if dry_run:
                raise _DryRun(result)
            _save_mapping(session, sheet.headers, mapping)
            audit.record(ctx, session, "ledger.import", f"{result.imported}件",
                         {"rows": result.rows, "imported": result.imported, "skipped": result.skipped,
                          "organization": org.name, "sheet": sheet.name})
    except _DryRun as done:
        return done.result
    return result


class _LedgerDirectory(StoredDirectory):
    """The directory of one ledger import: the organisation, villages and mediators it names are
    looked up once (they do not change while it runs); refs taken are the set read at the start."""

    def __init__(self, session: Session, taken: set[str]) -> None:
        super().__init__(session)
        self.taken = taken
        self._orgs: dict[str, tuple[int, str] | None] = {}
        self._regions: dict[str, tuple[int, str, str] | None] = {}
        self._mediators: dict[tuple[int, str], int | None] = {}

    def organization(self, name: str) -> tuple[int, str] | None:
        if name not in self._orgs:
            self._orgs[name] = super().organization(name)
        return self._orgs[name]

    def region(self, code: str) -> tuple[int, str, str] | None:
        if code not in self._regions:
            self._regions[code] = super().region(code)
        return self._regions[code]

    def mediator(self, organization_id: int, name: str) -> int | None:
        key = (organization_id, name)
        if self._mediators.get(key) is None:
            self._mediators[key] = super().mediator(organization_id, name)
        return self._mediators[key]

    def ref_taken(self, ref: str) -> bool:
        return ref in self.taken


def _import_cases(ctx: ServiceContext, session: Session, office: Office, check: LedgerCheck,
                  headers: dict[LedgerField, str], result: LedgerImportResult,
                  cancel: Callable[[], bool] | None) -> None:
    taken = set(session.exec(select(Case.ref).where(Case.ref.startswith(REF_PREFIX))))
    history = CaseHistory(ctx, _LedgerDirectory(session, taken), replaying=True)
    today = ctx.today()
    known_mediators: set[str] = set()
    for case in check.cases:
        if cancel is not None and cancel():
            raise LedgerCancelled("导入已取消，未写入任何数据")
        if case.key in taken:
            result.already += 1
            continue
        village = office.village(case.village)
        if village is None:
            result.problems.append(LedgerProblem(case.row, headers.get(LedgerField.VILLAGE, ""),
                                                 "未填写村（社区），也未指定默认村（社区）"))
            continue
        if isinstance(village, str):
            result.problems.append(LedgerProblem(case.row, headers.get(LedgerField.VILLAGE, "村（社区）"), village))
            continue
        data = case_input(case, office, village)
        faults = check_case_input(data, today)
        if faults:
            result.problems += [problem_at(case.row, e, headers) for e in faults]
            continue
        for name in case.mediators:
            if name not in known_mediators:
                _, created = upsert_mediator(session, name=name, organization=office.organization.name,
                                             phone=None)
                result.mediators_added += created
                known_mediators.add(name)
        try:
            state = replay_case(history, ReadCase("", data, steps(case), faulty=False))
        except CaseFault as fault:
            result.problems += [problem_at(case.row, e, headers) for e in fault.errors]
            # The failed case's persons were never written: a fresh directory forgets them.
            history = CaseHistory(ctx, _LedgerDirectory(session, taken), replaying=True)
            continue
        write_state(session, state)
        taken.add(case.key)
        result.case_ids.append(state.id)
        result.imported += 1


PREVIEW_HEADERS = ["行号", "当事人", "受理日期", "纠纷类型", "调解结果", "涉及金额（元）", "导入后状态"]
_STATUS_AFTER = {"agreed": "已归档（调解成功）", "failed": "已归档（调解终止）", "withdrawn": "已归档（已撤回）",
                 "rejected": "已归档（不予受理）", "open": "调解中"}


def preview_row(case: LedgerCase) -> list[str]:
    """A row of the preview: what the case will be once imported."""
    after = _STATUS_AFTER[case.outcome.value]
    if case.outcome.value == "open" and case.mediated_on is None:
        after = "已受理"
    return [str(case.row), "、".join(p.name for p in case.parties), case.received_on.isoformat(),
            case.category.label, case.outcome.label, f"{case.amount:,.2f}", after]
