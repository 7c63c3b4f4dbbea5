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

GROUPS = ("start", "list", "ratios", "workspace", "documents", "reports", "reminders", "import")
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


def run(cases: int, runs: int, groups: set[str], output: Path) -> Results:
    from PySide6.QtWidgets import QApplication

    from mediator.services.cases.deadline_settings import apply_deadline_settings
    from mediator.services.context import ServiceContext
    from mediator.services.settings import all_settings
    from mediator.store.db import Database
    from tests.bench import figures_docs, figures_list, figures_ui

    app = QApplication.instance() or QApplication([])  # noqa: F841 — widgets and images need it
    results = Results(machine=machine())
    results.machine["cases"] = cases
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
    results.machine["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
    output.write_text(json.dumps(results.as_json(), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print_table(results)
    print(f"\nwritten: {output}")
    return results


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
    for name, why in results.skipped.items():
        print(f"| {name} | skipped: {why} | | | | |")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.bench.run", description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=100_000, help="cases in the county (default 100000)")
    parser.add_argument("--runs", type=int, default=7, help="timed runs of each figure (default 7)")
    parser.add_argument("--only", default="", help=f"comma-separated groups of {', '.join(GROUPS)}")
    parser.add_argument("--output", type=Path, default=ROOT / "bench-results.json")
    args = parser.parse_args(argv)
    groups = set(args.only.split(",")) if args.only else set(GROUPS)
    unknown = groups - set(GROUPS)
    if unknown:
        parser.error(f"unknown groups: {', '.join(sorted(unknown))}")
    run(args.cases, args.runs, groups, args.output)
    return 0


if __name__ == "__main__":
    sys.exit(main())
