"""`make bench`: every figure of issue 9 at county scale, a table, and ``bench-results.json``.

Usage: ``python -m tests.bench.run [--cases 100000] [--runs 7] [--only list,search,…]``. The first
run builds the county once (minutes) and keeps it in ``.bench-cache/``.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import sqlite3
import sys
import time
from dataclasses import dataclass
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from tests.bench.cache import (
    CACHE,
    ROOT,
    bench_clock,
    county_database,
    empty_database,
    remove_database,
    sqlite_url,
    work_copy,
)
from tests.bench.timing import Results

SQLITE_GROUPS = ("start", "list", "ratios", "workspace", "documents", "reports", "reminders", "import")
POSTGRES_GROUPS = ("pg", "load")
STANDALONE_GROUPS = ("idcard",)  # no county needed: `--only idcard` builds nothing
GROUPS = SQLITE_GROUPS + POSTGRES_GROUPS + STANDALONE_GROUPS
EXCEL_RATIO = 100


def machine() -> dict:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f"{kb / 1024 / 1024:.0f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    load = os.getloadavg() if hasattr(os, "getloadavg") else ()
    import PySide6
    import sqlalchemy

    return {"cpu": cpu, "cores": os.cpu_count(), "memory": memory, "os": platform.platform(),
            "python": platform.python_version(), "sqlite": sqlite3.sqlite_version,
            "sqlalchemy": sqlalchemy.__version__, "pyside6": PySide6.__version__,
            "load_average_at_start": [round(x, 2) for x in load],
            "date": time.strftime("%Y-%m-%d %H:%M")}


def run(cases: int, runs: int, groups: set[str], output: Path, *, load: LoadOptions | None = None) -> Results:
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([])  # noqa: F841 — widgets and images need it
    results = Results(machine=machine())
    results.machine["cases"] = cases
    if groups & set(SQLITE_GROUPS):
        _run_sqlite(results, cases, runs, groups)
    if groups & set(POSTGRES_GROUPS):
        _run_postgres(results, cases, runs, groups, load or LoadOptions())
    if "idcard" in groups:
        from tests.bench.figures_idcard import measure_idcard

        print("读取身份证照片 (OCR of drawn cards)", flush=True)
        measure_idcard(results)
    results.machine["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
    output.write_text(json.dumps(results.as_json(), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print_table(results)
    print(f"\nwritten: {output}")
    return results


@dataclass
class LoadOptions:
    clients: int = 20
    seconds: float = 60
    think_ms: float = 500


def _run_postgres(results: Results, cases: int, runs: int, groups: set[str], load: LoadOptions) -> None:
    from mediator.services.cases.deadline_settings import apply_deadline_settings
    from mediator.services.context import ServiceContext
    from mediator.services.settings import all_settings
    from mediator.store.db import Database
    from tests.bench import figures_pg, pg_cache

    county = pg_cache.county_database(cases)
    url = pg_cache.work_copy(county, os.environ.get("MEDIATOR_BENCH_WORK", "work"))
    db = Database(url)
    ctx = ServiceContext(db, actor="测评", clock=bench_clock())
    apply_deadline_settings(ctx, all_settings(ctx))
    with db.engine.connect() as conn:
        results.machine["postgresql"] = conn.exec_driver_sql("SHOW server_version").scalar()
    print(f"\nPostgreSQL county: {county} (work copy {db.display_url()}), runs: {runs}", flush=True)
    try:
        if "pg" in groups:
            print("PostgreSQL: case list, search, year statistics", flush=True)
            figures_pg.measure_pg(results, ctx, url, runs)
        if "load" in groups:
            _measure_load(results, ctx, url, load)
    finally:
        db.dispose()
        pg_cache.drop_copy(url)


def _measure_load(results: Results, ctx, url: str, options: LoadOptions) -> None:
    from tests.bench import load

    print(f"load: {options.clients} client processes, {options.seconds:g} s, "
          f"think time {options.think_ms:g} ms on average", flush=True)
    plans = load.plans(ctx, url, options.clients, options.seconds, options.think_ms)
    before = [round(x, 2) for x in os.getloadavg()]
    summary = load.run_load(plans)
    summary.update({"think_ms": options.think_ms, "seconds": options.seconds,
                    "load_average_before": before, "load_average_after": [round(x, 2) for x in os.getloadavg()]})
    results.machine["load_test"] = summary
    how = (f"{summary['clients']} clients × {options.seconds:g} s, think {options.think_ms:g} ms, "
           f"{summary['operations']} operations")
    results.value("load.p50_ms", summary["p50_ms"], note=how)
    results.value("load.p95_ms", summary["p95_ms"], target=load.LOAD_P95_MS, note=how)
    results.value("load.errors", summary["errors"], target=0, note="; ".join(summary["error_messages"]))
    results.value("load.throughput_per_s", summary["throughput_per_s"], note="operations per second, all clients")
    for op, figures in summary["per_operation"].items():
        results.value(f"load.{op}.p50_ms", figures["p50_ms"], note=f"{figures['count']} operations")
        results.value(f"load.{op}.p95_ms", figures["p95_ms"], target=load.LOAD_P95_MS,
                      note=f"{figures['count']} operations")


def _run_sqlite(results: Results, cases: int, runs: int, groups: set[str]) -> None:
    from mediator.services.cases.deadline_settings import apply_deadline_settings
    from mediator.services.context import ServiceContext
    from mediator.services.settings import all_settings
    from mediator.store.db import Database
    from tests.bench import figures_docs, figures_list, figures_ui

    county = county_database(cases)
    work = work_copy(county, os.environ.get("MEDIATOR_BENCH_WORK", "work"))  # two runs side by side
    db = Database(sqlite_url(work))
    ctx = ServiceContext(db, actor="测评", clock=bench_clock())
    apply_deadline_settings(ctx, all_settings(ctx))
    print(f"\ncounty: {county.name} ({county.stat().st_size / 1e6:.0f} MB), runs: {runs}", flush=True)
    try:
        if "start" in groups:
            print("start-up (new process each run)", flush=True)
            figures_ui.measure_start(results, sqlite_url(work), max(3, runs // 2))
        if "list" in groups:
            print("case list", flush=True)
            figures_list.measure_list(results, ctx, runs)
        if "ratios" in groups:
            print("side by side", flush=True)
            figures_list.measure_raw_sql(results, ctx, work, runs)
            _excel_ratio(results, ctx, county)
        if "workspace" in groups:
            print("case workspace", flush=True)
            figures_ui.measure_workspace(results, ctx, figures_docs.workspace_cases(ctx), runs)
            figures_ui.measure_similar_cases(results, ctx, figures_docs.workspace_cases(ctx), runs)
        if "documents" in groups:
            print("documents", flush=True)
            case_id = figures_docs.agreement_case(ctx)
            figures_docs.measure_documents(results, ctx, case_id, runs)
            figures_docs.measure_libreoffice(results, ctx, case_id, runs)
            figures_docs.measure_dossier(results, ctx, case_id, runs)
        if "reports" in groups:
            print("reports and exports", flush=True)
            figures_docs.measure_reports(results, ctx, runs)
        if "reminders" in groups:
            print("reminders", flush=True)
            figures_docs.measure_reminders(results, ctx, runs, CACHE / "data")
        if "import" in groups:
            print("import", flush=True)
            figures_docs.measure_import(results, lambda name: Database(sqlite_url(empty_database(name))),
                                        10_000, max(3, runs // 2))
            figures_docs.measure_old_ledger(results, lambda name: Database(sqlite_url(empty_database(name))),
                                            10_000, max(1, runs // 4))
    finally:
        db.dispose()
        remove_database(work)  # 800 MB: each run makes its own copy


def _excel_ratio(results: Results, ctx, county: Path) -> None:
    """Ratio (a): the Excel ledger opened with openpyxl and filtered, against our list."""
    from mediator.domain.enums import CaseStatus
    from mediator.services.cases.read import CaseFilter, count_cases
    from tests.bench import excel
    from tests.bench.figures_list import RATIO_STATUS, RATIO_WORD

    ledger = excel.ledger_for(county)
    label = CaseStatus(RATIO_STATUS).label
    ours_total = count_cases(ctx, CaseFilter(status=[RATIO_STATUS], text=RATIO_WORD))
    total, _rows = results.measure(
        "ratio.list_status_and_word.excel_openpyxl", lambda: excel.office_search(ledger, label, RATIO_WORD),
        runs=3, warmup=0, budget_ms=120_000,
        note=f"open the {ledger.stat().st_size / 1e6:.0f} MB ledger read-only and filter it")
    results.figures["ratio.list_status_and_word.excel_openpyxl"].note += (
        f": {total} rows (our list: {ours_total})")
    results.ratio("excel_vs_ours", results.figures["ratio.list_status_and_word.excel_openpyxl"],
                  results.figures["ratio.list_status_and_word.ours"], target=EXCEL_RATIO, higher_is_better=True,
                  description="the same filtered list from the .xlsx ledger with openpyxl ÷ our list")


def print_table(results: Results) -> None:
    print("\n| figure | median ms | min ms | max ms | target | met |")
    print("|---|---:|---:|---:|---:|:-:|")
    for f in results.figures.values():
        target = f"≤ {f.target_ms:g} ms" if f.target_ms is not None else ""
        met = "" if f.met is None else ("yes" if f.met else "**no**")
        print(f"| {f.name} | {f.median_ms:.1f} | {f.min_ms:.1f} | {f.max_ms:.1f} | {target} | {met} |")
    for name, r in results.ratios.items():
        sign = "≥" if r["target_is"] == "at least" else "≤"
        print(f"| ratio {name} | {r['value']:.1f}× | | | {sign} {r['target']:g}× | "
              f"{'yes' if r['met'] else '**no**'} |")
    m = results.memory
    if m:
        print(f"| peak memory, list open | {m['peak_mb_list_open']:.0f} MiB | | | ≤ {m['target_mb']} MB | "
              f"{'yes' if m['met'] else '**no**'} |")
    for name, v in results.values.items():
        target = f"≤ {v['target']:g}" if "target" in v else ""
        met = "" if "met" not in v else ("yes" if v["met"] else "**no**")
        print(f"| {name} | {v['value']:.1f} | | | {target} | {met} |")
    for name, why in results.skipped.items():
        print(f"| {name} | skipped: {why} | | | | |")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.bench.run", description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=100_000, help="cases in the county (default 100000)")
    parser.add_argument("--runs", type=int, default=7, help="timed runs of each figure (default 7)")
    parser.add_argument("--only", default="", help=f"comma-separated groups of {', '.join(GROUPS)}")
    parser.add_argument("--clients", type=int, default=20, help="load test: client processes (default 20)")
    parser.add_argument("--seconds", type=float, default=60, help="load test: seconds of load (default 60)")
    parser.add_argument("--think-ms", type=float, default=500,
                        help="load test: mean pause between a client's operations (default 500; 0: stress)")
    parser.add_argument("--output", type=Path, default=ROOT / "bench-results.json")
    args = parser.parse_args(argv)
    groups = set(args.only.split(",")) if args.only else set(GROUPS)
    unknown = groups - set(GROUPS)
    if unknown:
        parser.error(f"unknown groups: {', '.join(sorted(unknown))}")
    run(args.cases, args.runs, groups, args.output,
        load=LoadOptions(clients=args.clients, seconds=args.seconds, think_ms=args.think_ms))
    return 0


if __name__ == "__main__":
    sys.exit(main())
