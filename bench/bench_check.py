"""The whole-year ``check`` over the N-department dataset, against reading the same rows with plain sqlite3.

figure: ``perfgoals check --all-departments --year 2022`` as a user runs it: a fresh process (interpreter
        start, imports, listing, loading in batches, every rule, the report written to /dev/null), with its
        default of one process per CPU for a year of more than 50 departments;
serial: the same command with ``--jobs 1``: one process, so its CPU time is the whole cost;
rules:  in this process, without the CLI and rendering: load in batches and ``check_department`` each
        (the first run has cold caches, later runs warm ones: the best is a warm run);
load:   the loading alone (repository → pydantic models), to split the figure into loading and rules;
floor:  a fresh ``python`` process that ``SELECT``s the same rows of every table with the bare ``sqlite3``
        module and fetches every row.
Targets: under 5 s, and within 3× the floor.  Bytecode is compiled first, as an installed package has it
(this machine sets PYTHONDONTWRITEBYTECODE, which would otherwise recompile perfgoals on every start).
"""

from __future__ import annotations

import compileall
import contextlib
import os
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from typing import Any

from common import BENCH, YEAR, Timing, arguments, dataset, dataset_facts, emit, profile_to, report, timed

NAME = "check"
BATCH = 50  # departments per load_departments round trip

TABLES = ("budget_line", "economic_line", "summary_row", "three_public_row", "procurement_item", "project",
          "acceptance")


def read_floor(path: str) -> int:
    """Every row a whole-year check reads, with bare sqlite3: the least any implementation must pay."""
    connection = sqlite3.connect(path)
    rows = 0
    try:
        ids = [row[0] for row in connection.execute("SELECT id FROM department WHERE year = ?", (YEAR,))]
        rows += len(connection.execute("SELECT * FROM department WHERE year = ?", (YEAR,)).fetchall())
        for table in TABLES:
            rows += len(connection.execute(
                f"SELECT t.* FROM {table} t JOIN department d ON d.id = t.department_id "
                f"WHERE d.year = ? ORDER BY t.department_id, t.id", (YEAR,)).fetchall())
        rows += len(connection.execute(
            "SELECT i.* FROM indicator i JOIN project p ON p.id = i.project_id "
            "JOIN department d ON d.id = p.department_id WHERE d.year = ? ORDER BY i.project_id, i.position",
            (YEAR,)).fetchall())
        assert ids
    finally:
        connection.close()
    return rows


def checker() -> Callable[[Any], Any] | None:
    try:
        from perfgoals.checks import check_department
    except ImportError:
        return None
    return check_department  # type: ignore[no-any-return]


def whole_year(engine: Any, check: Callable[[Any], Any] | None) -> tuple[int, int]:
    """Load every department of the year in batches and check each; returns (departments, findings)."""
    from perfgoals.storage import repository as repo
    from perfgoals.storage.db import read_session

    departments = findings = 0
    with read_session(engine) as session:
        ids = [key.id for key in repo.list_departments(session, year=YEAR)]
    for start in range(0, len(ids), BATCH):
        with read_session(engine) as session:
            batch = repo.load_departments(session, department_ids=ids[start : start + BATCH])
        for department in batch:
            departments += 1
            if check is not None:
                findings += len(list(check(department)))
    return departments, findings


def cli_check(path: str) -> int:
    """The check command in this process, its output discarded; returns its exit code (for --profile)."""
    from perfgoals.cli import main as cli

    with open(os.devnull, "w", encoding="utf-8") as sink, contextlib.redirect_stdout(sink), \
            contextlib.redirect_stderr(sink):
        try:
            cli.main(["--db", path, "check", "--all-departments", "--year", str(YEAR), "--jobs", "1"],
                     standalone_mode=False)
        except SystemExit as exit:  # 1 when there are errors, which the planted data has
            return int(exit.code or 0)
    return 0


def run_process(command: list[str], timing: Timing, peaks: list[float]) -> int:
    """Run ``command`` as a fresh process, its output discarded; adds its wall and CPU time (the process
    and the worker processes it waited for) to ``timing``, its peak RSS in MB to ``peaks``, and returns
    its exit code."""
    started = time.perf_counter()
    with open(os.devnull, "wb") as sink:
        process = subprocess.Popen(command, stdout=sink, stderr=sink)
        _, status, usage = os.wait4(process.pid, 0)
    timing.wall.append(time.perf_counter() - started)
    timing.cpu.append(usage.ru_utime + usage.ru_stime)
    peaks.append(usage.ru_maxrss / 1024)
    return os.waitstatus_to_exitcode(status)


def check_command(path: str, *jobs: str) -> list[str]:
    return [sys.executable, "-m", "perfgoals", "--db", path, "check", "--all-departments", "--year", str(YEAR),
            *jobs]


def floor_command(path: str) -> list[str]:
    return [sys.executable, "-c", f"import sys; sys.path.insert(0, {str(BENCH)!r}); import bench_check; "
            f"bench_check.read_floor({path!r})"]


def compile_perfgoals() -> None:
    import perfgoals

    compileall.compile_dir(os.path.dirname(perfgoals.__file__), quiet=1)


def main() -> None:
    args = arguments(__doc__ or NAME, ("figure", "serial", "rules", "load", "floor"))
    path = dataset(args.n)
    facts = dataset_facts(args.n)
    parts = []
    check = checker()
    if check is None:
        print("check: perfgoals.checks.check_department is not available yet; figure not measured")
    compile_perfgoals()
    for part, jobs in (("figure", ()), ("serial", ("--jobs", "1"))):
        if check is not None and args.only in (None, part):
            timing, peaks = Timing(), []
            codes = [run_process(check_command(str(path), *jobs), timing, peaks) for _ in range(args.repeat)]
            parts.append(report(NAME, part, timing, exit_code=codes[-1], process_peak_rss_mb=round(max(peaks), 1),
                                processes=os.cpu_count() if not jobs else 1))
            if part == "serial":
                profile_to(args.profile, lambda: cli_check(str(path)))
    if check is not None and args.only in (None, "rules"):
        from perfgoals.storage.db import open_database

        engine = open_database(str(path))
        timing, (departments, findings) = timed(lambda: whole_year(engine, check), repeat=args.repeat)
        print(f"checked {departments} departments, {findings} findings")
        parts.append(report(NAME, "rules", timing, departments=departments, findings=findings))
        if args.only == "rules":
            profile_to(args.profile, lambda: whole_year(engine, check))
    if args.only in (None, "load"):
        from perfgoals.storage.db import open_database

        engine = open_database(str(path))
        timing, (departments, _) = timed(lambda: whole_year(engine, None), repeat=args.repeat)
        parts.append(report(NAME, "load", timing, departments=departments))
        if args.only == "load":
            profile_to(args.profile, lambda: whole_year(engine, None))
    if args.only in (None, "floor"):
        timing, peaks = Timing(), []
        for _ in range(args.repeat):
            run_process(floor_command(str(path)), timing, peaks)
        parts.append(report(NAME, "floor", timing, rows=read_floor(str(path)), process_peak_rss_mb=round(max(peaks), 1)))
    emit(NAME, parts, n=args.n, dataset=facts, target_seconds=5.0, target_ratio=3.0)


if __name__ == "__main__":
    main()
