"""Shared pieces of the benchmarks: the cached N-department database, timing, machine facts, results.

Each benchmark script is run on its own (``python bench/bench_check.py``) or by ``bench/run_all.py``,
which starts every part in a fresh subprocess so that its peak memory (``ru_maxrss``) is its own.
A script prints its figure and its floor in words, and its last line is ``RESULT {json}`` for
``run_all.py`` to collect.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import resource
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
RESULTS = BENCH / "results"
YEAR = 2022
SEED = 2022
DEFAULT_N = 1000

sys.path.insert(0, str(ROOT))


def fingerprint() -> str:
    """What the cached database depends on: the generator and the schema."""
    digest = hashlib.sha256()
    for path in sorted([ROOT / "perfgoals" / "scale.py", *(ROOT / "perfgoals" / "storage" / "migrations" / "versions").glob("*.py")]):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def dataset(n: int = DEFAULT_N, *, quiet: bool = False) -> Path:
    """The SQLite file holding the N-department dataset, built once and reused while the generator is unchanged."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"scale-{n}-{SEED}.db"
    stamp = path.with_suffix(".json")
    wanted = fingerprint()
    if path.exists() and stamp.exists() and json.loads(stamp.read_text()).get("fingerprint") == wanted:
        return path
    for stale in (path, Path(f"{path}-wal"), Path(f"{path}-shm"), stamp):
        stale.unlink(missing_ok=True)
    from perfgoals.scale import load_scaled_dataset
    from perfgoals.storage.db import open_database

    if not quiet:
        print(f"building the {n}-department dataset in {path} …", file=sys.stderr)
    engine = open_database(str(path))
    report = load_scaled_dataset(engine, departments=n, year=YEAR, seed=SEED, user="bench")
    with engine.connect() as connection:  # fold the WAL into the file so later readers start clean
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    engine.dispose()
    stamp.write_text(json.dumps({
        "fingerprint": wanted, "departments": report.departments, "projects": report.projects,
        "indicators": report.indicators, "build_seconds": round(report.seconds, 2),
        "planted_errors": len(report.errors),
    }, ensure_ascii=False, indent=2))
    return path


def dataset_facts(n: int = DEFAULT_N) -> dict[str, Any]:
    dataset(n)
    return dict(json.loads((RESULTS / f"scale-{n}-{SEED}.json").read_text()))


@dataclass
class Timing:
    """Wall-clock and CPU seconds of each run.  The machine is shared, so both are kept: CPU time is what
    the code costs, wall time is what a user waits; the best run is the least disturbed one."""

    wall: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)

    @property
    def best(self) -> float:
        return min(self.wall)

    @property
    def best_cpu(self) -> float | None:
        return min(self.cpu) if self.cpu else None


def timed(function: Callable[[], Any], *, repeat: int = 3, timing: Timing | None = None) -> tuple[Timing, Any]:
    """Run ``function`` ``repeat`` times, timing each run."""
    timing = timing or Timing()
    result: Any = None
    for _ in range(repeat):
        started, started_cpu = time.perf_counter(), time.process_time()
        result = function()
        timing.cpu.append(time.process_time() - started_cpu)
        timing.wall.append(time.perf_counter() - started)
    return timing, result


def peak_rss_mb() -> float:
    """This process's peak resident memory so far, in MB (Linux reports KB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def machine() -> dict[str, Any]:
    cpu = platform.processor() or ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                memory = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
                break
    except OSError:
        pass
    return {
        "nproc": os.cpu_count(),
        "cpu": cpu,
        "memory": memory,
        "python": platform.python_version(),
        "platform": platform.platform(),
        "sqlite": __import__("sqlite3").sqlite_version,
    }


def arguments(description: str, parts: tuple[str, ...]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--n", type=int, default=DEFAULT_N, help="departments in the dataset (default 1000)")
    parser.add_argument("--only", choices=parts, help="run only this part (run_all.py runs each part alone)")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs per part; the best counts")
    parser.add_argument("--profile", metavar="FILE", help="write a cProfile of the figure part to FILE")
    return parser.parse_args()


def _seconds(value: float) -> str:
    return f"{value * 1000:.1f} ms" if value < 1 else f"{value:.2f} s"


def report(name: str, part: str, timing: Timing, **extra: Any) -> dict[str, Any]:
    """Print one measured part and return it for the RESULT line."""
    runs = ", ".join(_seconds(run) for run in timing.wall)
    cpu = f", {_seconds(timing.best_cpu)} CPU" if timing.best_cpu is not None else ""
    print(f"{name} [{part}]: {_seconds(timing.best)} wall{cpu} "
          f"(best of {len(timing.wall)}: {runs}); peak RSS {peak_rss_mb():.0f} MB")
    return {"part": part, "seconds": timing.best, "cpu_seconds": timing.best_cpu, "runs": timing.wall,
            "cpu_runs": timing.cpu, "peak_rss_mb": round(peak_rss_mb(), 1), **extra}


def emit(name: str, parts: list[dict[str, Any]], **extra: Any) -> None:
    """Print the figure/floor ratio when both ran, and the machine-readable RESULT line."""
    by_part = {p["part"]: p for p in parts}
    if "figure" in by_part and "floor" in by_part and by_part["floor"]["seconds"] > 0:
        figure, floor = by_part["figure"], by_part["floor"]
        print(f"{name}: figure {_seconds(figure['seconds'])}, floor {_seconds(floor['seconds'])}, "
              f"ratio {figure['seconds'] / floor['seconds']:.2f}× wall"
              + (f", {figure['cpu_seconds'] / max(floor['cpu_seconds'], 1e-9):.2f}× CPU"
                 if figure["cpu_seconds"] is not None and floor["cpu_seconds"] is not None else ""))
    print("RESULT " + json.dumps({"name": name, "parts": parts, **extra}, ensure_ascii=False))


def profile_to(path: str | None, function: Callable[[], Any]) -> None:
    """Run ``function`` once under cProfile and write the 40 most expensive calls (cumulative) to ``path``."""
    if not path:
        return
    import cProfile
    import io
    import pstats

    profiler = cProfile.Profile()
    profiler.enable()
    function()
    profiler.disable()
    stream = io.StringIO()
    stats = pstats.Stats(profiler, stream=stream).sort_stats("cumulative")
    stats.print_stats(40)
    stream.write("\n--- by own time ---\n")
    stats.sort_stats("tottime").print_stats(25)
    Path(path).write_text(stream.getvalue())
    print(f"profile written to {path}")
