"""Nasty input shared by the bad-input tests, and checks that a refusal was clean."""
from __future__ import annotations

import re

import sqlalchemy as sa
from sqlmodel import SQLModel

from mediator.domain.errors import ValidationError, ValidationErrors
from mediator.services.context import ServiceContext

SQL = ["'; DROP TABLE case_file; --", "%", "_", "\\", "%_\\'\"", "' OR '1'='1", "张三%"]
CONTROL = ["\x00", "王\x00五", "\x1b[31m红\x1b[0m", "abc\u202eevil", "行一\r行二", "\x07", "\x7f"]
RARE = ["👨‍👩‍👧", "𠀀𪚥㐀", "𰀀𱍊", "王𠀀明", "😀" * 3, "é́", "\u3000王五\u3000"]
BLANK = ["", " ", "\t", "\n", "\u3000"]
LONG = ["字" * 101, "x" * 100_000, "𠀀" * 201]
NASTY = SQL + CONTROL + RARE + BLANK + LONG

# Characters the rule refuses in text fields: C0/C1 controls other than \n and \t, bidi controls.
_REFUSED = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
_CJK = re.compile("[\u4e00-\u9fff]")


def has_control(text: str | None) -> bool:
    return bool(text) and bool(_REFUSED.search(text))


def row_counts(ctx: ServiceContext) -> dict[str, int]:
    """Rows of every table of the model (the search index follows them by triggers)."""
    with ctx.read() as s:
        return {t.name: s.exec(sa.select(sa.func.count()).select_from(t)).one()
                for t in SQLModel.metadata.sorted_tables}


def refusal(exc: BaseException) -> dict[str, str]:
    """The path → message of a refusal; fails unless every message is Chinese."""
    if isinstance(exc, ValidationErrors):
        errors = exc.errors
    elif isinstance(exc, ValidationError):
        errors = [exc]
    else:
        raise AssertionError(f"not a validation error: {exc!r}")
    assert errors, "a refusal without a reason"
    for e in errors:
        assert _CJK.search(e.message), f"message not in Chinese: {e.path}: {e.message!r}"
    return {e.path: e.message for e in errors}
