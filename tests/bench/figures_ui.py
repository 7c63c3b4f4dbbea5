"""Start-up of the app in a fresh process (offscreen), its memory, and opening a case workspace."""
from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tests.bench.cache import BENCH_PASSWORD, BENCH_USER, ROOT
from tests.bench.timing import Results

START_MS = 1000
WORKSPACE_MS = 150
SIMILAR_MS = 300  # the 类案参考 tab reads it in the background when first shown
MEMORY_MB = 300
SCROLL_ROWS = 2000
START_TIMEOUT_S = 180


def _child(mode: str, url: str, home: Path, timeout: float) -> dict[str, float]:
    """Run the app (or its list page alone) in a new process; the marks in ms from its start."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", XDG_CONFIG_HOME=str(home / "config"),
               XDG_DATA_HOME=str(home / "data"), XDG_STATE_HOME=str(home / "state"),
               XDG_CACHE_HOME=str(home / "cache"))
    env.pop("MEDIATOR_DATABASE_URL", None)
    started = time.monotonic()
    proc = subprocess.Popen(
        [sys.executable, "-m", "tests.bench.app_start", mode, url, BENCH_USER, BENCH_PASSWORD,
         str(SCROLL_ROWS)], cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        out, err = proc.communicate()
        reached = [line.split()[1] for line in out.splitlines() if line.startswith("MARK")]
        raise RuntimeError(f"not interactive after {timeout:.0f} s (reached: {', '.join(reached) or 'nothing'})") \
            from None
    if proc.returncode != 0:
        raise RuntimeError(f"the app failed ({proc.returncode}): {err.strip().splitlines()[-1:]}")
    found: dict[str, float] = {}
    for line in out.splitlines():
        parts = line.split()
        if parts[:1] == ["MARK"]:
            found[parts[1]] = (float(parts[2]) - started) * 1000
        elif parts[:1] == ["MEMORY"]:
            found[f"memory_{parts[1]}"] = float(parts[2])
            if len(parts) > 3:
                found["scrolled_rows"] = float(parts[3])
        elif parts[:1] == ["TOTAL"]:
            found["total"] = float(parts[1])
    return found


def measure_start(results: Results, url: str, runs: int, timeout: float = START_TIMEOUT_S) -> None:
    """Cold start in a new process each time (OS file cache warm): login dialog, main window, list.

    Then the 案件 page alone in a new process, for the memory of the list at county scale.
    """
    with tempfile.TemporaryDirectory(prefix="mediator-bench-home-") as tmp:
        home = Path(tmp)
        try:
            _child("app", url, home, timeout)  # compiles byte code, writes settings: not counted
            found = [_child("app", url, home, timeout) for _ in range(runs)]
        except RuntimeError as exc:
            for name in ("start.main_window", "start.case_list_open"):
                results.skip(name, f"the app {exc}")
            found = []
        if found:
            results.add("start.login_dialog", [r["login"] for r in found],
                        note="process start to the login dialog on screen")
            if all("shown" in r for r in found):
                results.add("start.main_window_shown", [r["shown"] for r in found], target_ms=START_MS,
                            note="process start to the main window on screen and answering input, "
                                 "password typed at once (its pages still load their data off the UI "
                                 "thread)")
            results.add("start.main_window", [r["main"] for r in found],
                        note="process start to the main window on screen and every page's data loaded")
            results.add("start.case_list_open", [r["list"] - r["main"] for r in found], target_ms=START_MS,
                        note=f"main window to the 案件 page showing the first page of {int(found[0]['total'])}")
            results.memory["peak_mb_app_after_start"] = max(r["memory_main"] for r in found)
            results.memory["peak_mb_app_list_open"] = max(r["memory_list"] for r in found)
        _child("list", url, home, timeout)
        pages = [_child("list", url, home, timeout) for _ in range(runs)]
    results.add("start.case_list_page_alone", [r["list"] for r in pages],
                note=f"process start to the 案件 page alone showing the first page of {int(pages[0]['total'])}")
    list_open = max(r["memory_list"] for r in pages)
    results.memory.update({
        "peak_mb_list_open": list_open,
        "peak_mb_after_scrolling": max(r["memory_scrolled"] for r in pages),
        "rows_scrolled": pages[0]["scrolled_rows"],
        "target_mb": MEMORY_MB,
        "met": max(list_open, results.memory.get("peak_mb_app_list_open", 0)) <= MEMORY_MB,
    })
    print(f"  memory: peak {list_open:.0f} MiB with the list of {int(pages[0]['total'])} open, "
          f"{results.memory['peak_mb_after_scrolling']:.0f} MiB after loading "
          f"{int(results.memory['rows_scrolled'])} rows (target ≤ {MEMORY_MB} MB)", flush=True)


def measure_workspace(results: Results, ctx, case_ids: list[int], runs: int) -> None:
    """Open a case workspace (read the case, build and show its tabs), offscreen, in this process."""
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from mediator.services.safety.auth import authenticate
    from mediator.ui.bridge import AppSignals
    from mediator.ui.env import UiEnv
    from mediator.ui.ops import SyncRunner
    from mediator.ui.workspace.case_workspace import CaseWorkspace

    app = QApplication.instance() or QApplication([])
    user = authenticate(ctx, BENCH_USER, BENCH_PASSWORD)
    with tempfile.TemporaryDirectory(prefix="mediator-bench-ui-") as tmp:
        settings = QSettings(str(Path(tmp) / "settings.ini"), QSettings.Format.IniFormat)
        env = UiEnv(ctx=ctx, user=user, signals=AppSignals(), runner=SyncRunner(), settings=settings)
        times = []
        for i in range(runs + 2):  # the first two warm up
            case_id = case_ids[i % len(case_ids)]
            started = time.perf_counter()
            workspace = CaseWorkspace(env, case_id)
            workspace.resize(1280, 800)
            workspace.show()
            app.processEvents()
            elapsed = (time.perf_counter() - started) * 1000
            assert workspace.detail is not None
            if i == 2:
                workspace.grab().save(str(ROOT / ".bench-cache" / "workspace.png"))
            workspace.close()
            workspace.deleteLater()
            app.processEvents()
            if i >= 2:
                times.append(elapsed)
        results.add("workspace.open", times, target_ms=WORKSPACE_MS,
                    note="read the case, build its header, actions and tabs, show them")


def measure_similar_cases(results: Results, ctx, case_ids: list[int], runs: int) -> None:
    """类案参考 of cases spread over the table: the ranked look-up behind the workspace tab."""
    from itertools import count

    from mediator.services.cases.similar import similar_cases

    turn = count()
    results.measure("workspace.similar_cases", lambda: similar_cases(ctx, case_ids[next(turn) % len(case_ids)]),
                    target_ms=SIMILAR_MS, runs=max(runs, 10), warmup=2,
                    note="the 类案参考 tab's read: ranked earlier cases of the office, their agreements")
