"""The consolidated export of the whole year against bare XlsxWriter writing the same cells with the same formats.

province:        ``perfgoals export --all-departments --year 2022`` run in-process: the year's workbook
                 (目录, 汇总 with every indicator row, 对账, 问题 with the findings; above 2,000 projects the
                 command leaves out the per-project sheets), departments streamed from the database;
province_skip:   the same with ``--skip-checks`` (问题 left empty), to show what the checks cost;
departments:     one workbook per department (目录, one 绩效目标表 per project, 汇总, 对账, 问题), as
                 ``perfgoals export --department CODE`` writes it, for every department of the year
                 (``write_workbook`` per department, departments streamed in the CLI's batches);
record_*:        (not measurements) the same once more with every XlsxWriter call recorded;
floor_*:         the recording replayed with bare XlsxWriter: the same workbook options, formats, cells,
                 merges, widths and page setup and nothing else (unpickling the recording is timed
                 separately and subtracted).
Targets: within 1.3× the floor; under 300 MB peak memory, flat as N grows (run with two --n values).
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from common import (
    RESULTS,
    YEAR,
    Timing,
    arguments,
    dataset,
    dataset_facts,
    emit,
    fingerprint,
    profile_to,
    report,
    timed,
)

NAME = "export"
PARTS = ("province", "province_skip", "departments", "record_province", "record_departments",
         "floor_province", "floor_departments")


def province(db: Path, output: Path, *, skip_checks: bool = False) -> int:
    """The export command for the whole year, in this process; returns the workbook's size in bytes."""
    from perfgoals.cli import main as cli

    output.unlink(missing_ok=True)
    args = ["--db", str(db), "export", "--all-departments", "--year", str(YEAR), "-o", str(output)]
    if skip_checks:
        args.append("--skip-checks")
    with open(os.devnull, "w", encoding="utf-8") as sink, contextlib.redirect_stdout(sink):
        cli.main(args, standalone_mode=False)
    return output.stat().st_size


def departments(db: Path, folder: Path) -> int:
    """One workbook per department, as ``export --department`` writes it; returns the total size."""
    from perfgoals.cli.exporting import _stream
    from perfgoals.export import default_output_path, write_workbook
    from perfgoals.storage import repository as repo
    from perfgoals.storage.db import open_database, read_session

    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    engine = open_database(str(db))
    with read_session(engine) as session:
        keys = repo.list_departments(session, year=YEAR)
    size = 0
    for department in _stream(engine, [key.id for key in keys]):
        path = default_output_path(directory=folder, department=department.code, year=department.year,
                                   extension="xlsx", project=None)
        write_workbook(path, [department], total_projects=len(department.projects))
        size += path.stat().st_size
        path.unlink()  # keep the disk use flat too
    engine.dispose()
    return size


def _recording(kind: str, n: int) -> Path:
    return RESULTS / f"export-calls-{kind}-{n}.pickle"


def _record(kind: str, n: int, run: Callable[[], Any]) -> None:
    from xlsx_replay import recording

    path = _recording(kind, n)
    started = time.perf_counter()
    with recording(path) as recorder:
        run()
    path.with_suffix(".json").write_text(json.dumps({"fingerprint": fingerprint(), "calls": recorder.calls}))
    print(f"recorded {recorder.calls} XlsxWriter calls in {time.perf_counter() - started:.1f} s → {path}")


def _floor(kind: str, n: int, repeat: int) -> dict[str, Any]:
    from xlsx_replay import read_only, replay

    recording = _recording(kind, n)
    if not recording.exists():
        raise SystemExit(f"no recording {recording}: run --only record_{kind} first")
    out = RESULTS / f"export-floor-{kind}-{n}.xlsx"
    timing = Timing()
    calls = 0
    for _ in range(repeat):
        out.unlink(missing_ok=True)
        unpickle, unpickle_cpu = read_only(recording)
        started, started_cpu = time.perf_counter(), time.process_time()
        calls = replay(recording, out)
        timing.cpu.append(time.process_time() - started_cpu - unpickle_cpu)
        timing.wall.append(time.perf_counter() - started - unpickle)
    out.unlink(missing_ok=True)
    return report(NAME, f"floor_{kind}", timing, calls=calls)


def main() -> None:
    args = arguments(__doc__ or NAME, PARTS)
    db = dataset(args.n)
    facts = dataset_facts(args.n)
    out = RESULTS / f"export-{args.n}.xlsx"
    folder = RESULTS / f"export-departments-{args.n}"
    parts = []
    wanted = set(PARTS) if args.only is None else {args.only}
    if "province" in wanted:
        timing, size = timed(lambda: province(db, out), repeat=args.repeat)
        parts.append(report(NAME, "province", timing, bytes=size))
        profile_to(args.profile, lambda: province(db, out))
    if "province_skip" in wanted:
        timing, size = timed(lambda: province(db, out, skip_checks=True), repeat=args.repeat)
        parts.append(report(NAME, "province_skip", timing, bytes=size))
    if "departments" in wanted:
        timing, size = timed(lambda: departments(db, folder), repeat=args.repeat)
        parts.append(report(NAME, "departments", timing, bytes=size))
        if args.only == "departments":
            profile_to(args.profile, lambda: departments(db, folder))
    if "record_province" in wanted:
        _record("province", args.n, lambda: province(db, out))
    if "record_departments" in wanted:
        _record("departments", args.n, lambda: departments(db, folder))
    if "floor_province" in wanted:
        parts.append(_floor("province", args.n, args.repeat))
    if "floor_departments" in wanted:
        parts.append(_floor("departments", args.n, args.repeat))
    out.unlink(missing_ok=True)
    shutil.rmtree(folder, ignore_errors=True)
    emit(NAME, parts, n=args.n, dataset=facts, target_ratio=1.3, target_peak_mb=300)


if __name__ == "__main__":
    main()
