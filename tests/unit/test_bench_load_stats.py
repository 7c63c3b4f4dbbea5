"""The load test's percentiles and aggregation (tests/bench/load.py)."""
from __future__ import annotations

import math

from tests.bench.load import ClientResult, aggregate, percentile


def test_percentile_interpolates_between_closest_ranks():
    values = [float(v) for v in range(1, 101)]  # 1 … 100, shuffled order does not matter
    assert percentile(list(reversed(values)), 50) == 50.5
    assert math.isclose(percentile(values, 95), 95.05)
    assert percentile(values, 0) == 1 and percentile(values, 100) == 100
    assert percentile([7.0], 95) == 7.0
    assert math.isnan(percentile([], 50))


def test_aggregate_merges_clients_per_operation_and_counts_errors():
    a = ClientResult(0, {"search": [10.0, 20.0], "open_case": [100.0]}, ["search: 超时"], 0.0, 10.0)
    b = ClientResult(1, {"search": [30.0]}, ["search: 超时", "record_session: 冲突"], 1.0, 11.0)
    out = aggregate([a, b])
    assert out["clients"] == 2 and out["operations"] == 4 and out["errors"] == 3
    assert out["error_messages"] == ["record_session: 冲突", "search: 超时"]
    assert out["per_operation"]["search"] == {"count": 3, "p50_ms": 20.0, "p95_ms": 29.0, "max_ms": 30.0}
    assert out["p50_ms"] == 25.0 and out["max_ms"] == 100.0
    assert math.isclose(out["throughput_per_s"], 4 / 11)
