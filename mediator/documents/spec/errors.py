"""The two errors of forms: a wrong form file, and a form that cannot be filled for a case."""
from __future__ import annotations

from pathlib import Path

from mediator.domain.errors import DomainError


class FormError(DomainError):
    """A form file is wrong: names the file, the line and the offending name.

    Attributes:
        file: the form file.
        line: 1-based line in that file (0 when unknown).
        name: the key, block type, field or placeholder at fault.
        reason: what is wrong, in Chinese (``message`` is the whole sentence).
    """

    def __init__(self, file: Path | str, line: int, name: str, reason: str) -> None:
        self.file = Path(file)
        self.line = line
        self.name = name
        self.reason = reason
        where = f"{self.file}:{line}" if line else str(self.file)
        super().__init__(f"表单文件有误 {where}: {reason}：{name}")


class FormRenderError(DomainError):
    """A form cannot be filled for this case (e.g. no agreement yet, or a value is missing)."""
