"""The case list at 100,000 cases: first page, every filter, sorts and search; raw SQL beside it."""
from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from sqlmodel import func, select

from mediator.domain.enums import CaseStatus
from mediator.services.cases.list_page import case_page
from mediator.services.cases.read import SORTABLE, CaseFilter, count_cases
from mediator.services.context import ServiceContext
from mediator.store.models import Case, CaseMediator, CaseParty, Region
from tests.bench.timing import Results

LIST_MS = 50  # first page and every filter
SEARCH_MS = 50
PAGE = 200  # rows of a page, as the case table model asks


def first_page(ctx: ServiceContext, f: CaseFilter, sort: str = "received_on"):
    """What the case list runs for a new query: a page with overdue marks and the total."""
    return case_page(ctx, f, offset=0, limit=PAGE, sort=sort, descending=True, with_total=True)


@dataclass
class Sample:
    """Real values of the county to filter and search by."""

    village_id: int
    township_id: int
    grid_id: int
    organization_id: int
    mediator_id: int
    party_name: str
    phone: str
    number: str


def sample(ctx: ServiceContext) -> Sample:
    """The busiest village, its township and grid, a big organisation, a case in the middle."""
    with ctx.read() as s:
        count = func.count()
        village = s.exec(select(Case.village_id, count).group_by(Case.village_id).order_by(count.desc())).first()[0]
        township = s.get(Region, village).parent_id
        grid = s.exec(select(Case.grid_id, count).where(Case.grid_id.is_not(None))
                      .group_by(Case.grid_id).order_by(count.desc())).first()[0]
        org = s.exec(select(Case.organization_id, count).group_by(Case.organization_id)
                     .order_by(count.desc())).first()[0]
        mediator = s.exec(select(CaseMediator.mediator_id, count).group_by(CaseMediator.mediator_id)
                          .order_by(count.desc())).first()[0]
        middle = s.exec(select(func.max(Case.id))).one() // 2
        party = s.exec(select(CaseParty).where(CaseParty.case_id >= middle, CaseParty.phone.is_not(None),
                                               func.length(CaseParty.name) == 3)).first()
        number = s.exec(select(Case.number).where(Case.id == party.case_id)).one()
    return Sample(village, township, grid, org, mediator, party.name, party.phone, number)


def list_filters(ctx: ServiceContext, s: Sample) -> dict[str, CaseFilter]:
    today = ctx.today()
    open_ = [CaseStatus.REGISTERED.value, CaseStatus.ACCEPTED.value, CaseStatus.MEDIATING.value]
    return {
        "status_open": CaseFilter(status=open_),
        "status": CaseFilter(status=[CaseStatus.MEDIATING.value]),
        "track": CaseFilter(track="administrative"),
        "category": CaseFilter(category="neighbor"),
        "village": CaseFilter(village_id=s.village_id),
        "township": CaseFilter(township_id=s.township_id),
        "grid": CaseFilter(grid_id=s.grid_id),
        "level": CaseFilter(level="township"),
        "risk": CaseFilter(risk_level="high"),
        "organization": CaseFilter(organization_id=s.organization_id),
        "mediator": CaseFilter(mediator_id=s.mediator_id),
        "received_in_quarter": CaseFilter(date_from=today - timedelta(days=91), date_to=today),
        "overdue": CaseFilter(overdue_on=today),
        "open_in_village_this_year": CaseFilter(status=open_, village_id=s.village_id,
                                                date_from=date(today.year, 1, 1)),
    }


def search_words(s: Sample) -> dict[str, str]:
    return {
        "party_name_3": s.party_name,
        "party_given_name_2": s.party_name[1:],
        "surname_1": s.party_name[0],
        "phone": s.phone,
        "phone_last_4": s.phone[-4:],
        "case_number": s.number,
        "summary_1": "墙",
        "summary_2": "赡养",
        "summary_3": "宅基地",
        "summary_5": "土地流转费",
        "two_words": f"{s.party_name[0]} 赡养",
        "no_hit_2": "彩礼",
    }


def measure_list(results: Results, ctx: ServiceContext, runs: int) -> Sample:
    s = sample(ctx)
    results.measure("list.first_page", lambda: first_page(ctx, CaseFilter()), target_ms=LIST_MS, runs=runs)
    results.measure("list.page_at_10000", lambda: case_page(ctx, CaseFilter(), offset=10_000, limit=PAGE),
                    target_ms=LIST_MS, runs=runs, note="scrolling far down: the next page")
    for name, f in list_filters(ctx, s).items():
        total = count_cases(ctx, f)
        results.measure(f"list.filter.{name}", lambda f=f: first_page(ctx, f), target_ms=LIST_MS,
                        runs=runs, note=f"{total} cases")
    for key in SORTABLE:
        if key != "received_on":
            results.measure(f"list.sort.{key}", lambda key=key: first_page(ctx, CaseFilter(), sort=key),
                            target_ms=LIST_MS, runs=runs)
    for name, word in search_words(s).items():
        f = CaseFilter(text=word)
        total = count_cases(ctx, f)
        results.measure(f"search.{name}", lambda f=f: first_page(ctx, f), target_ms=SEARCH_MS, runs=runs,
                        note=f"“{word}”: {total} cases")
    return s


# --- the same query in raw sqlite3 ----------------------------------------------------------
RAW_PAGE = """
SELECT c.id, c.ref, c.number, c.track, c.status, c.category, c.level, c.risk_level, c.received_on,
       c.summary, v.name, o.name, c.version,
       (SELECT group_concat(name, '、') FROM (SELECT p.name FROM case_party p WHERE p.case_id = c.id
                                            ORDER BY p.seq)),
       EXISTS (SELECT 1 FROM case_deadline d WHERE d.case_id = c.id AND d.state = 'open' AND d.due < :today)
FROM case_file c JOIN region v ON v.id = c.village_id JOIN organization o ON o.id = c.organization_id
WHERE {where}
ORDER BY c.received_on DESC, c.id DESC LIMIT 200
"""
RAW_COUNT = "SELECT count(*) FROM case_file c WHERE {where}"
RAW_TEXT_2 = """c.id IN (SELECT doc FROM search_case_terms WHERE term >= :low AND term < :high
  UNION SELECT case_id FROM case_party WHERE id IN (
    SELECT doc FROM search_party_terms WHERE term >= :low AND term < :high))"""


def raw_first_page(conn: sqlite3.Connection, status: str, word: str, today: date) -> tuple[int, list[tuple]]:
    """The list's first page (same columns, overdue marks, total) by hand-written SQL."""
    where = f"c.status = :status AND {RAW_TEXT_2}"
    params = {"status": status, "low": word, "high": word[:-1] + chr(ord(word[-1]) + 1),
              "today": today.isoformat()}
    total = conn.execute(RAW_COUNT.format(where=where), params).fetchone()[0]
    rows = conn.execute(RAW_PAGE.format(where=where), params).fetchall()
    return total, rows


RATIO_STATUS = CaseStatus.MEDIATING.value
RATIO_WORD = "赡养"


def measure_raw_sql(results: Results, ctx: ServiceContext, path: Path, runs: int) -> None:
    """Ratio (b): our list against the same query written by hand in sqlite3 (our overhead)."""
    f = CaseFilter(status=[RATIO_STATUS], text=RATIO_WORD)
    ours = first_page(ctx, f)
    conn = sqlite3.connect(path)  # one open connection, as our engine keeps one in its pool
    try:
        raw_total, raw_rows = raw_first_page(conn, RATIO_STATUS, RATIO_WORD, ctx.today())
        assert raw_total == ours.total and [r[0] for r in raw_rows] == [r.id for r in ours.rows], \
            "the raw query must return what our list returns"
        results.measure_pair(("ratio.list_status_and_word.ours", lambda: first_page(ctx, f)),
                             ("ratio.list_status_and_word.raw_sqlite3",
                              lambda: raw_first_page(conn, RATIO_STATUS, RATIO_WORD, ctx.today())),
                             runs=max(runs, 15))
    finally:
        conn.close()
    results.ratio("ours_vs_raw_sql", results.figures["ratio.list_status_and_word.ours"],
                  results.figures["ratio.list_status_and_word.raw_sqlite3"], target=2,
                  higher_is_better=False,
                  description=f"our first page (status 调解中, word “{RATIO_WORD}”: rows, overdue marks, "
                              "total) ÷ the same query written by hand in sqlite3")
