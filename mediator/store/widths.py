"""The width of a model's String column, so that the checks before the database read their limits
from the schema itself (PostgreSQL refuses an over-long value; SQLite would store it)."""
from __future__ import annotations

from typing import Any


def width(column: Any) -> int:
    """The length of a String column (``width(CaseParty.name)`` → 100)."""
    return column.property.columns[0].type.length
