"""Import of `mediator-case/1` documents (EXCHANGE.md), all or nothing.

The document is read whole (``document``), every fault collected with its path; the reference
data (``reference``) and the cases are written in one transaction, each case replayed through the
rules the use cases apply (``replay``) and written as the use cases write it. Any fault rolls
everything back. ``bulk`` does the same for large files, faster.
"""
from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from mediator.domain.errors import ValidationError, ValidationErrors
from mediator.services.cases.history import CaseHistory
from mediator.services.cases.stored import StoredDirectory, write_state
from mediator.services.context import ServiceContext
from mediator.services.exchange.bulk import bulk_import_document
from mediator.services.exchange.document import read_document
from mediator.services.exchange.outcome import ImportCancelled, ImportResult, audit_import, unique
from mediator.services.exchange.reference import apply_reference
from mediator.services.exchange.replay import CaseFault, replay_case
from mediator.services.permissions import Permission, requires


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


__all__ = ["ImportCancelled", "ImportResult", "audit_import", "import_document", "import_file", "unique"]
