"""The text of a form file, to point an error at the line of a key or a name."""
from __future__ import annotations

import re
from pathlib import Path

from mediator.documents.spec.errors import FormError


class FormSource:
    """The form's text, to point at the line of a key or name (tomllib keeps no positions)."""

    def __init__(self, path: Path, text: str) -> None:
        self.path = path
        self.lines = text.splitlines()
        self.block_starts = [i + 1 for i, ln in enumerate(self.lines)
                             if re.match(r"\s*\[\[\s*blocks\s*\]\]", ln)]

    def block_range(self, index: int) -> tuple[int, int]:
        if index < len(self.block_starts):
            start = self.block_starts[index]
            end = self.block_starts[index + 1] - 1 if index + 1 < len(self.block_starts) else len(self.lines)
            return start, end
        return 1, len(self.lines)

    def header(self, pattern: str) -> tuple[int, int]:
        """Range of the table whose header matches ``pattern`` (e.g. variants.x.blocks.y)."""
        for i, ln in enumerate(self.lines):
            if re.match(r"\s*\[\s*" + pattern + r"\s*\]", ln):
                for j in range(i + 1, len(self.lines)):
                    if re.match(r"\s*\[", self.lines[j]):
                        return i + 1, j
                return i + 1, len(self.lines)
        return 1, len(self.lines)

    def find(self, regex: str, span: tuple[int, int], prefer: str | None = None) -> int:
        start, end = span
        found = 0
        for number in range(start, min(end, len(self.lines)) + 1):
            ln = self.lines[number - 1]
            if re.search(regex, ln):
                if prefer is None or prefer in ln:
                    return number
                found = found or number
        return found or start

    def key_line(self, key: str, span: tuple[int, int]) -> int:
        return self.find(r"^\s*" + re.escape(key) + r"\s*=", span)

    def name_line(self, name: str, span: tuple[int, int]) -> int:
        return self.find(r"(?<![\w.])" + re.escape(name) + r"(?!\w)", span, prefer="{")

    def error(self, line: int, name: str, message: str) -> FormError:
        return FormError(self.path, line, name, message)
