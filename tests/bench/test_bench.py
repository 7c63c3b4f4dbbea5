"""`pytest tests/bench -s` runs the whole bench too (``make bench`` runs ``python -m tests.bench.run``).

Not collected by ``make test`` (``--ignore=tests/bench`` in the pytest options). The figures and
their targets are in the table and in ``bench-results.json``; a missed target is reported, not
failed, so one slow figure never hides the others. ``BENCH_CASES=2000`` makes a quick small run.
"""
from __future__ import annotations

import json
import os

from tests.bench.cache import ROOT
from tests.bench.run import main


def test_bench_writes_every_figure():
    args = ["--cases", os.environ["BENCH_CASES"]] if os.environ.get("BENCH_CASES") else []
    assert main(args) == 0
    results = json.loads((ROOT / "bench-results.json").read_text(encoding="utf-8"))
    assert "list.first_page" in results and "ratios" in results
