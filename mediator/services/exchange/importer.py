"""Import of `mediator-case/1` documents (EXCHANGE.md), all or nothing.

The document is read whole (``document``), every fault collected with its path; the reference
data (``reference``) and the cases are written in one transaction, each case replayed through the
rules the use cases apply (``replay``) and written as the use cases write it. Any fault rolls
everything back. ``bulk`` does the same for large files, faster.
"""
from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mediator.domain.errors import DomainError, ValidationError, ValidationErrors
from mediator.services import audit
from mediator.services.cases.history import CaseHistory
from mediator.services.cases.stored import StoredDirectory, write_state
from mediator.services.changes import OpChanges
from mediator.services.context import ServiceContext
from mediator.services.exchange.document import read_document
from mediator.services.exchange.reference import ReferenceAdded, apply_reference
from mediator.services.exchange.replay import CaseFault, replay_case
from mediator.services.permissions import Permission, requires


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


@requires(Permission.DATA_IMPORT)
def import_file(ctx: ServiceContext, path: str | Path,
                cancel: Callable[[], bool] | None = None) -> ImportResult:
    """Import a JSON file; a file that is not JSON is reported with its line and column."""
    try:
        text = Path(path).read_text(encoding="utf-8-sig")  # Windows editors write a BOM
    except UnicodeDecodeError:
        raise ValidationErrors([ValidationError("", "文件不是UTF-8编码的文本")]) from None
    except OSError as e:
        raise ValidationErrors([ValidationError("", f"无法读取文件：{e.strerror or e}")]) from None
    try:
        document = json.loads(text)
    except json.JSONDecodeError as e:
        raise ValidationErrors([ValidationError("", f"文件不是有效的JSON（第{e.lineno}行第{e.colno}列）")]) from None
    except RecursionError:
        raise ValidationErrors([ValidationError("", "文件嵌套层次过深，不是本系统的案件文件")]) from None
    except ValueError:  # e.g. an integer of thousands of digits
        raise ValidationErrors([ValidationError("", "文件中有超出范围的数字")]) from None
    # The bulk path (same rows, same faults) holds the write lock a fifth as long: 900 cases
    # 3.3 s instead of 16 s here, so a colleague's edit meanwhile waits seconds, not minutes.
    from mediator.services.exchange.bulk import bulk_import_document

    return bulk_import_document(ctx, document, cancel=cancel)


@requires(Permission.DATA_IMPORT)
def import_document(ctx: ServiceContext, document: Any,
                    cancel: Callable[[], bool] | None = None) -> ImportResult:
    """Import a parsed document in one transaction; raises ValidationErrors listing every fault."""
    read = read_document(document, ctx.today())
    result = ImportResult()
    errors = read.reader.errors
    with ctx.transaction() as session:
        result.count_reference(apply_reference(session, read, errors))
        history = CaseHistory(ctx, StoredDirectory(session), replaying=True)
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
            write_state(session, state)  # even after a fault: later cases see it, as they would
            result.case_ids.append(state.id)
            result.cases += 1
        if errors:
            raise ValidationErrors(unique(errors))
        audit_import(ctx, session, result)
    return result


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
