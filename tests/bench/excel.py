"""How offices search today: an .xlsx ledger of every case, opened and filtered row by row.

The ledger holds the same 100,000 cases as the database, one row a case with the columns office
ledgers keep. It is written once per cached county; the workflow measured is opening it with
openpyxl (read-only, its fastest mode) and filtering it as the list filters the database.
"""
from __future__ import annotations

import sqlite3
from pathlib import Path

from mediator.domain.enums import CaseStatus, Category, RiskLevel, Track

HEADER = ["案号", "收案日期", "当事人", "联系电话", "纠纷类型", "村（社区）", "调解组织", "调解类型",
          "状态", "风险等级", "纠纷简要情况", "申请事项"]
STATUS, PARTIES, PHONES, SUMMARY, REQUESTS, NUMBER, RECEIVED = 8, 2, 3, 10, 11, 0, 1

LEDGER_ROWS = """
SELECT c.number, c.received_on,
       (SELECT group_concat(name, '、') FROM (SELECT name FROM case_party WHERE case_id = c.id ORDER BY seq)),
       (SELECT group_concat(phone, '、') FROM (SELECT phone FROM case_party WHERE case_id = c.id
                                               AND phone IS NOT NULL ORDER BY seq)),
       c.category, v.name, o.name, c.track, c.status, c.risk_level, c.summary, c.requests
FROM case_file c JOIN region v ON v.id = c.village_id JOIN organization o ON o.id = c.organization_id
ORDER BY c.received_on, c.id
"""


def ledger_for(database: Path) -> Path:
    """The .xlsx ledger of ``database``'s cases, written beside it once."""
    target = database.with_suffix(".xlsx")
    if target.exists():
        return target
    from openpyxl import Workbook

    print(f"writing the Excel ledger of {database.name}, once…", flush=True)
    labels = {**dict(Category.choices()), **dict(Track.choices()), **dict(CaseStatus.choices()),
              **{f"risk:{k}": v for k, v in RiskLevel.choices()}}
    book = Workbook(write_only=True)
    sheet = book.create_sheet("案件台账")
    sheet.append(HEADER)
    conn = sqlite3.connect(database)
    try:
        for row in conn.execute(LEDGER_ROWS):
            values = list(row)
            for i in (4, 7, 8):
                values[i] = labels.get(values[i], values[i])
            values[9] = labels.get(f"risk:{values[9]}", values[9])
            sheet.append(values)
    finally:
        conn.close()
    building = target.with_suffix(".xlsx.part")
    book.save(building)
    building.rename(target)
    return target


def office_search(ledger: Path, status_label: str, word: str, limit: int = 200) -> tuple[int, list[tuple]]:
    """Open the ledger and keep the rows of a status that mention ``word``: newest first, a page."""
    from openpyxl import load_workbook

    book = load_workbook(ledger, read_only=True)
    try:
        sheet = book.active
        hits = []
        for row in sheet.iter_rows(min_row=2, values_only=True):
            if row[STATUS] != status_label:
                continue
            if any(word in (row[i] or "") for i in (NUMBER, PARTIES, PHONES, SUMMARY, REQUESTS)):
                hits.append(row)
    finally:
        book.close()
    hits.sort(key=lambda r: r[RECEIVED], reverse=True)
    return len(hits), hits[:limit]
