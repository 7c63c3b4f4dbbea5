"""Measuring: a figure is the median, fastest and slowest of several timed runs."""
from __future__ import annotations

import gc
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Figure:
    """One measured figure, in milliseconds, with its target when the issue sets one."""

    name: str
    times_ms: list[float]
    target_ms: float | None = None
    note: str = ""

    @property
    def median_ms(self) -> float:
        return statistics.median(self.times_ms)

    @property
    def min_ms(self) -> float:
        return min(self.times_ms)

    @property
    def max_ms(self) -> float:
        return max(self.times_ms)

    @property
    def met(self) -> bool | None:
        return None if self.target_ms is None else self.median_ms <= self.target_ms

    def as_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"median_ms": round(self.median_ms, 2), "min_ms": round(self.min_ms, 2),
                               "max_ms": round(self.max_ms, 2), "runs": len(self.times_ms)}
        if self.target_ms is not None:
            out["target_ms"] = self.target_ms
            out["met"] = self.met
        if self.note:
            out["note"] = self.note
        return out


def timed(fn: Callable[[], Any], *, runs: int = 7, warmup: int = 1,
          budget_ms: float | None = None) -> tuple[list[float], Any]:
    """Run ``fn`` ``warmup`` times untimed, then ``runs`` times timed; the times and last result.

    With ``budget_ms``, stop early once the timed runs took that long (slow figures: fewer runs).
    """
    result = None
    for _ in range(warmup):
        result = fn()
    times: list[float] = []
    for _ in range(runs):
        gc.collect()
        started = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - started) * 1000)
        if budget_ms is not None and sum(times) >= budget_ms:
            break
    return times, result


@dataclass
class Results:
    """Everything a bench run found: figures, ratios, memory, and what was skipped and why."""

    figures: dict[str, Figure] = field(default_factory=dict)
    ratios: dict[str, dict[str, Any]] = field(default_factory=dict)
    memory: dict[str, float] = field(default_factory=dict)
    skipped: dict[str, str] = field(default_factory=dict)
    machine: dict[str, Any] = field(default_factory=dict)
    values: dict[str, dict[str, Any]] = field(default_factory=dict)  # single figures (load test)

    def add(self, name: str, times_ms: list[float], target_ms: float | None = None,
            note: str = "") -> Figure:
        figure = Figure(name, times_ms, target_ms, note)
        self.figures[name] = figure
        print(f"  {name:<40} {figure.median_ms:10.1f} ms  (min {figure.min_ms:.1f}, max {figure.max_ms:.1f})"
              + (f"  target {target_ms:g} ms {'ok' if figure.met else 'MISSED'}" if target_ms else "")
              + (f"  [{note}]" if note else ""), flush=True)
        return figure

    def measure(self, name: str, fn: Callable[[], Any], *, target_ms: float | None = None,
                runs: int = 7, warmup: int = 1, note: str = "", budget_ms: float | None = None) -> Any:
        times, result = timed(fn, runs=runs, warmup=warmup, budget_ms=budget_ms)
        self.add(name, times, target_ms, note)
        return result

    def measure_pair(self, first: tuple[str, Callable[[], Any]], second: tuple[str, Callable[[], Any]], *,
                     runs: int = 7, warmup: int = 1) -> None:
        """Two figures timed in turn (first, second, first, …): a busy machine slows both alike."""
        for _ in range(warmup):
            first[1]()
            second[1]()
        times: tuple[list[float], list[float]] = ([], [])
        for _ in range(runs):
            for (_, fn), bucket in zip((first, second), times, strict=True):
                gc.collect()
                started = time.perf_counter()
                fn()
                bucket.append((time.perf_counter() - started) * 1000)
        self.add(first[0], times[0])
        self.add(second[0], times[1])

    def value(self, name: str, value: float, *, target: float | None = None, note: str = "") -> None:
        """A figure that is one number, not the median of runs (the load test's percentiles)."""
        entry: dict[str, Any] = {"value": round(value, 2)}
        if target is not None:
            entry["target"] = target
            entry["met"] = value <= target
        if note:
            entry["note"] = note
        self.values[name] = entry
        print(f"  {name:<40} {value:10.1f}" + (f"  (target ≤ {target:g})" if target is not None else ""),
              flush=True)

    def skip(self, name: str, why: str) -> None:
        self.skipped[name] = why
        print(f"  {name:<40} skipped: {why}", flush=True)

    def ratio(self, name: str, theirs: Figure, ours: Figure, *, target: float, higher_is_better: bool,
              description: str) -> None:
        value = theirs.median_ms / ours.median_ms if ours.median_ms else float("inf")
        met = value >= target if higher_is_better else value <= target
        self.ratios[name] = {"value": round(value, 2), "target": target,
                             "target_is": "at least" if higher_is_better else "at most", "met": met,
                             "numerator": theirs.name, "denominator": ours.name,
                             "description": description}
        print(f"  ratio {name:<34} {value:10.2f}×  (target {'≥' if higher_is_better else '≤'} {target:g}) "
              f"{'ok' if met else 'MISSED'}", flush=True)

    def as_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {name: f.as_json() for name, f in self.figures.items()}
        out.update(self.values)
        out["ratios"] = self.ratios
        out["memory"] = self.memory
        out["skipped"] = self.skipped
        out["machine"] = self.machine
        return out
