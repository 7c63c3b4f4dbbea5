"""Reading an old Excel 台账 from disk (no database): the sheet's cells with python-calamine (fast
for tens of thousands of rows; openpyxl read-only when calamine cannot open the file), the header
row found under any merged title rows, and the data rows with their Excel row numbers."""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mediator.domain.errors import ValidationError, ValidationErrors
from mediator.domain.ledger_columns import find_header_row
from mediator.domain.ledger_values import cell_text


@dataclass
class LedgerSheet:
    """The ledger's header (its Excel row number too) and its data rows."""

    name: str
    header_row: int  # as Excel shows it
    headers: list[str]
    rows: list[list[Any]]  # the rows below the header, in order

    def numbered(self) -> Iterator[tuple[int, list[Any]]]:
        """Each data row with its number as Excel shows it."""
        for i, row in enumerate(self.rows):
            yield self.header_row + 1 + i, row


def _fail(message: str) -> ValidationErrors:
    return ValidationErrors([ValidationError("file", message)])


def _calamine_sheets(path: Path) -> list[tuple[str, list[list[Any]]]]:
    from python_calamine import CalamineWorkbook

    book = CalamineWorkbook.from_path(str(path))
    out = []
    for i, name in enumerate(book.sheet_names):
        sheet = book.get_sheet_by_index(i)
        # The area from A1, so a row's index + 1 is its Excel row number.
        rows = sheet.to_python(skip_empty_area=False)
        out.append((name, [list(r) for r in rows]))
    return out


def _openpyxl_sheets(path: Path) -> list[tuple[str, list[list[Any]]]]:
    import openpyxl

    book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        return [(ws.title, [list(r) for r in ws.iter_rows(values_only=True)]) for ws in book.worksheets]
    finally:
        book.close()


def read_ledger_file(path: str | Path) -> LedgerSheet:
    """The first sheet that has a header row; ValidationErrors (path ``file``) when the file cannot
    be read or no sheet has one."""
    path = Path(path)
    if not path.is_file():
        raise _fail(f"文件不存在：{path}")
    try:
        sheets = _calamine_sheets(path)
    except Exception:  # not installed, or it refuses what it cannot parse: openpyxl tries
        sheets = None
    if sheets is None:
        try:
            sheets = _openpyxl_sheets(path)
        except Exception:
            raise _fail("无法读取该文件：不是有效的Excel文件（.xlsx/.xls）") from None
    for name, rows in sheets:
        header = find_header_row(rows)
        if header is None:
            continue
        headers = [v.strip() if isinstance(v, str) else cell_text(v) for v in rows[header]]
        while headers and not headers[-1]:
            headers.pop()
        width = len(headers)
        data = [list(r[:width]) + [None] * (width - len(r[:width])) for r in rows[header + 1:]]
        while data and all(cell_text(v) == "" for v in data[-1]):
            data.pop()
        return LedgerSheet(name, header + 1, headers, data)
    raise _fail("没有找到表头行：前30行中没有一行包含至少3个可识别的列名（如 当事人、受理日期、纠纷类型）")
