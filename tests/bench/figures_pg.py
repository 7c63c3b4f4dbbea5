"""The list, search, filter and year-statistics figures again on the PostgreSQL county (``pg.*``).

Beside them, the list's first page written by hand and run through psycopg directly: the floor
the server sets, and our figure divided by it.
"""
from __future__ import annotations

from datetime import date

import psycopg
import sqlalchemy as sa

from mediator.services.cases.read import CaseFilter
from mediator.services.context import ServiceContext
from tests.bench import figures_list, figures_ui
from tests.bench.figures_list import RATIO_STATUS, RATIO_WORD, first_page
from tests.bench.timing import Results

RAW_PAGE = """
SELECT c.id, c.ref, c.number, c.track, c.status, c.category, c.level, c.risk_level, c.received_on,
       c.summary, v.name, o.name, c.version,
       (SELECT string_agg(p.name, '、' ORDER BY p.seq) FROM case_party p WHERE p.case_id = c.id),
       EXISTS (SELECT 1 FROM case_deadline d WHERE d.case_id = c.id AND d.state = 'open' AND d.due < %(today)s)
FROM case_file c JOIN region v ON v.id = c.village_id JOIN organization o ON o.id = c.organization_id
WHERE {where}
ORDER BY c.received_on DESC, c.id DESC LIMIT 200
"""
RAW_COUNT = "SELECT count(*) FROM case_file c WHERE {where}"
RAW_WORD = """(c.number ILIKE %(like)s OR c.ref ILIKE %(like)s OR c.summary ILIKE %(like)s
  OR c.requests ILIKE %(like)s
  OR c.id IN (SELECT case_id FROM case_party WHERE name ILIKE %(like)s OR phone ILIKE %(like)s))"""


def raw_first_page(conn: psycopg.Connection, today: date, status: str | None = None,
                   word: str | None = None) -> tuple[int, list[tuple]]:
    """The list's first page (same columns, overdue marks, total) in hand-written SQL."""
    conditions = ["TRUE"]
    if status:
        conditions.append("c.status = %(status)s")
    if word:
        conditions.append(RAW_WORD)
    where = " AND ".join(conditions)
    params = {"status": status, "like": f"%{word}%", "today": today}
    with conn.cursor() as cur:
        total = cur.execute(RAW_COUNT.format(where=where), params).fetchone()[0]
        rows = cur.execute(RAW_PAGE.format(where=where), params).fetchall()
    return total, rows


def _prefixed(results: Results, part: Results, prefix: str = "pg.") -> None:
    for name, figure in part.figures.items():
        figure.name = prefix + name
        results.figures[figure.name] = figure
    for name, why in part.skipped.items():
        results.skipped[prefix + name] = why


def measure_pg(results: Results, ctx: ServiceContext, url: str, runs: int) -> None:
    part = Results()
    figures_list.measure_list(part, ctx, runs)
    _year_statistics(part, ctx, runs)
    _case_steps(part, ctx, runs)
    _prefixed(results, part)
    _floors(results, ctx, url, runs)


def _year_statistics(part: Results, ctx: ServiceContext, runs: int) -> None:
    from mediator.services.reports.statistics import ALL, Period, period_stats
    from tests.bench.figures_docs import REPORT_MS

    year = ctx.today().year
    part.measure("reports.year_statistics", lambda: period_stats(ctx, Period.year(year), ALL),
                 target_ms=REPORT_MS, runs=runs, note=f"the statistics of {year}, whole county")


def _case_steps(part: Results, ctx: ServiceContext, runs: int) -> None:
    """One client alone: the load test's two case steps (open a case, record a session)."""
    from itertools import count

    from sqlmodel import select

    from mediator.domain.enums import CaseStatus, SessionKind
    from mediator.services.cases.inputs import SessionInput
    from mediator.services.cases.lifecycle import record_session
    from mediator.store.models import Case
    from mediator.ui.workspace.case_workspace import load_case_bundle
    from tests.bench.figures_docs import workspace_cases

    ids = workspace_cases(ctx)
    turn = count()
    part.measure("case.open", lambda: load_case_bundle(ctx, ids[next(turn) % len(ids)]), runs=max(runs, 10),
                 note="the workspace's read (load_case_bundle), cases spread over the table")
    with ctx.read() as s:
        mediating = list(s.exec(select(Case.id).where(Case.status == CaseStatus.MEDIATING.value)
                                .order_by(Case.id).limit(20)))
    figures_ui.measure_similar_cases(part, ctx, ids, runs)  # pg.workspace.similar_cases
    writes = count()
    part.measure("case.record_session", lambda: record_session(ctx, mediating[next(writes) % len(mediating)],
                 SessionInput(on=ctx.today(), kind=SessionKind.MEDIATION, place="村委会调解室",
                              participants="双方当事人", record="双方陈述意见，调解员释法说理。")),
                 runs=max(runs, 10), note="a mediation session recorded (the work copy)")


def _floors(results: Results, ctx: ServiceContext, url: str, runs: int) -> None:
    """Our first page against the same query by hand in psycopg: unfiltered, and status + word."""
    dsn = sa.make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    today = ctx.today()
    cases = {"first_page": (CaseFilter(), None, None),
             "status_and_word": (CaseFilter(status=[RATIO_STATUS], text=RATIO_WORD), RATIO_STATUS, RATIO_WORD)}
    with psycopg.connect(dsn) as conn:  # one open connection, as our engine keeps one in its pool
        for name, (f, status, word) in cases.items():
            ours = first_page(ctx, f)
            raw_total, raw_rows = raw_first_page(conn, today, status, word)
            assert raw_total == ours.total and [r[0] for r in raw_rows] == [r.id for r in ours.rows], \
                f"the raw query must return what our list returns ({name})"
            results.measure_pair((f"pg.ratio.{name}.ours", lambda f=f: first_page(ctx, f)),
                                 (f"pg.ratio.{name}.raw_psycopg",
                                  lambda s=status, w=word: raw_first_page(conn, today, s, w)),
                                 runs=max(runs, 15))
            results.ratio(f"pg_{name}_ours_vs_raw_sql", results.figures[f"pg.ratio.{name}.ours"],
                          results.figures[f"pg.ratio.{name}.raw_psycopg"], target=2, higher_is_better=False,
                          description=f"our first page ({name}: rows, overdue marks, total) on PostgreSQL ÷ "
                                      "the same query written by hand, run with psycopg")
