"""The province-wide export workbook over the N-department dataset, against bare XlsxWriter.

figure:     what ``perfgoals export --all-departments`` writes when the year has too many projects for a
            sheet each: departments streamed from the database in the CLI's batches, the checks run per
            department, and 目录, 汇总 (every indicator row), 对账 and 问题 written with styles, row heights
            and links in constant_memory mode, atomically.  The CPU time is split, in the same run, into
            *load* (inside the department stream), *checks* (inside the findings provider) and *write*
            (everything else: layout, styles, XlsxWriter, zipping); the target is about *write*.
record:     (not a measurement) the figure once more with every XlsxWriter call recorded by
            ``xlsx_replay.py``; kept in ``results/`` while the dataset and the code it depends on are unchanged.
floor:      the recording replayed with bare XlsxWriter: the same workbook options, formats, cells, row
            heights, links, merges, widths and page setup, from calls already in memory, and nothing else
            (unpickling the recording is timed separately and subtracted).
departments: every department's own workbook (目录, one 绩效目标表 per project, 汇总, 对账, 问题), as
            ``export --department CODE`` writes it, split into load / checks / write like the figure;
departments_floor: those workbooks' recorded calls replayed with bare XlsxWriter.
pair, departments_pair: a figure and its floor run alternately in one process (the default without
            --only), so that the shared machine's changing load falls on both alike; each pair gives a ratio.
Targets: *write* within 1.3× the floor (CPU); peak RSS under 300 MB, flat as N grows.
"""

from __future__ import annotations

import hashlib
import json
import tempfile
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from common import (
    RESULTS,
    ROOT,
    YEAR,
    Timing,
    arguments,
    dataset,
    dataset_facts,
    emit,
    fingerprint,
    profile_to,
    report,
)

NAME = "export_province"
PARTS = ("figure", "record", "floor", "pair", "departments", "departments_floor", "departments_pair")
#: Parts that run a figure and its floor alternately in one process.
PAIRS = {"pair": {"figure", "floor"}, "departments_pair": {"departments", "departments_floor"}}
#: What the recorded calls depend on besides the dataset: the export, the checks (问题) and the models.
SOURCES = (
    "perfgoals/export",
    "perfgoals/checks",
    "perfgoals/models.py",
    "perfgoals/values.py",
    "perfgoals/money.py",
)


@dataclass
class Split:
    """CPU seconds spent loading departments and checking them, inside one export."""

    load: float = 0.0
    checks: float = 0.0


def _metered(departments: Iterable[Any], split: Split) -> Iterator[Any]:
    iterator = iter(departments)
    while True:
        started = time.process_time()
        try:
            department = next(iterator)
        except StopIteration:
            split.load += time.process_time() - started
            return
        split.load += time.process_time() - started
        yield department


def _checker(split: Split) -> Any:
    from perfgoals.checks import check_department

    def findings(department: Any) -> Sequence[Any]:
        started = time.process_time()
        found = check_department(department)
        split.checks += time.process_time() - started
        return found

    return findings


def province(db: Path, out: Path, split: Split | None = None) -> Any:
    """The year's overview workbook as the CLI writes it, with the load and check CPU time metered."""
    from perfgoals.cli.exporting import _stream
    from perfgoals.export import write_workbook
    from perfgoals.storage import repository as repo
    from perfgoals.storage.db import open_database, read_session

    split = split if split is not None else Split()
    findings = _checker(split)
    engine = open_database(str(db))
    with read_session(engine) as session:
        keys = repo.list_departments(session, year=YEAR)
    summary = write_workbook(
        out, _metered(_stream(engine, [key.id for key in keys]), split), project_sheets=False,
        multi_department=True, total_projects=sum(key.projects for key in keys), findings=findings,
    )  # fmt: skip
    engine.dispose()
    return summary


def departments(db: Path, out: Path, split: Split | None = None) -> Any:
    """Every department's own workbook (目录, one 绩效目标表 per project, 汇总, 对账, 问题), as
    ``export --department CODE`` writes it, one after the other into ``out``; returns the last summary."""
    from perfgoals.cli.exporting import _stream
    from perfgoals.export import write_workbook
    from perfgoals.storage import repository as repo
    from perfgoals.storage.db import open_database, read_session

    split = split if split is not None else Split()
    findings = _checker(split)
    engine = open_database(str(db))
    with read_session(engine) as session:
        keys = repo.list_departments(session, year=YEAR)
    summary = None
    for department in _metered(_stream(engine, [key.id for key in keys]), split):
        summary = write_workbook(
            out, [department], total_projects=len(department.projects), findings=findings
        )
    engine.dispose()
    return summary


def _sources_digest() -> str:
    digest = hashlib.sha256(fingerprint().encode())
    for source in SOURCES:
        base = ROOT / source
        for path in sorted(base.rglob("*.py")) if base.is_dir() else [base]:
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


RUNS = {"province": province, "departments": departments}


def _recording(kind: str, n: int) -> Path:
    return RESULTS / f"export-{kind}-calls-{n}.pickle"


def _record(kind: str, db: Path, n: int) -> None:
    from xlsx_replay import recording

    path = _recording(kind, n)
    stamp = path.with_suffix(".json")
    wanted = _sources_digest()
    if path.exists() and stamp.exists() and json.loads(stamp.read_text()).get("digest") == wanted:
        print(f"recording {path} is current")
        return
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as folder, recording(path) as recorder:
        RUNS[kind](db, Path(folder) / "recorded.xlsx")
    stamp.write_text(json.dumps({"digest": wanted, "calls": recorder.calls}))
    print(f"recorded {recorder.calls} XlsxWriter calls in {time.perf_counter() - started:.1f} s → {path}")


def _replay_once(path: Path, out: Path, timing: Timing) -> int:
    from xlsx_replay import read_only, replay

    unpickle, unpickle_cpu = read_only(path)
    started, started_cpu = time.perf_counter(), time.process_time()
    calls = replay(path, out)
    timing.cpu.append(time.process_time() - started_cpu - unpickle_cpu)
    timing.wall.append(time.perf_counter() - started - unpickle)
    return calls


def _export_once(kind: str, db: Path, out: Path, timing: Timing, splits: list[Split]) -> Any:
    split = Split()
    started, started_cpu = time.perf_counter(), time.process_time()
    summary = RUNS[kind](db, out, split)
    timing.cpu.append(time.process_time() - started_cpu)
    timing.wall.append(time.perf_counter() - started)
    splits.append(split)
    return summary


def _measure(
    kind: str, db: Path, n: int, out: Path, repeat: int, *, figure: bool, floor: bool, profile: str | None
) -> list[dict[str, Any]]:
    """The figure and/or the floor; with both, runs alternate (figure, floor, figure, …) so that the
    machine's changing load falls on both alike, and each pair gives a ratio."""
    if floor:
        _record(kind, db, n)
    path = _recording(kind, n)
    timing, floor_timing, splits, summary, calls = Timing(), Timing(), [], None, 0
    for _ in range(repeat):
        if figure:
            summary = _export_once(kind, db, out, timing, splits)
        if floor:
            calls = _replay_once(path, out, floor_timing)
    parts = []
    name = "figure" if kind == "province" else kind
    if figure:
        writes = [cpu - split.load - split.checks for cpu, split in zip(timing.cpu, splits, strict=True)]
        best = min(range(repeat), key=lambda i: writes[i])
        load, checks = splits[best].load, splits[best].checks
        print(
            f"{NAME} [{name}] CPU split: load {load:.2f} s, checks {checks:.2f} s, write {writes[best]:.2f} s"
        )
        extra: dict[str, Any] = {}
        if floor:
            ratios = sorted(w / f for w, f in zip(writes, floor_timing.cpu, strict=True))
            extra["pair_ratios"] = [round(r, 3) for r in ratios]
            print(f"{NAME} [{name}] write/floor CPU of each pair: {', '.join(f'{r:.2f}×' for r in ratios)}")
        parts.append(report(NAME, name, timing, rows=summary.indicator_rows, projects=summary.projects,
                            file_mb=round(out.stat().st_size / 1e6, 1), load_cpu=round(load, 3),
                            checks_cpu=round(checks, 3), write_cpu=round(writes[best], 3), **extra))  # fmt: skip
        profile_to(profile, lambda: RUNS[kind](db, out))
    if floor:
        parts.append(
            report(NAME, "floor" if kind == "province" else f"{kind}_floor", floor_timing, calls=calls)
        )
    return parts


def main() -> None:
    args = arguments(__doc__ or NAME, PARTS)
    db = dataset(args.n)
    facts = dataset_facts(args.n)
    parts = []
    wanted = set(PARTS) if args.only is None else PAIRS.get(args.only, {args.only})
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "export.xlsx"
        if "record" in wanted:
            _record("province", db, args.n)
        for kind, figure, floor in (
            ("province", "figure", "floor"),
            ("departments", "departments", "departments_floor"),
        ):
            if figure in wanted or floor in wanted:
                parts += _measure(kind, db, args.n, out, args.repeat, figure=figure in wanted, floor=floor in wanted,
                                  profile=args.profile if args.only else None)  # fmt: skip
    by_part = {part["part"]: part for part in parts}
    for figure, floor in (("figure", "floor"), ("departments", "departments_floor")):
        if figure in by_part and floor in by_part and by_part[floor]["cpu_seconds"]:
            floor_cpu = by_part[floor]["cpu_seconds"]
            print(f"{NAME} [{figure}]: write {by_part[figure]['write_cpu']:.2f} s CPU vs floor {floor_cpu:.2f} s CPU: "
                  f"{by_part[figure]['write_cpu'] / floor_cpu:.2f}× (target ≤ 1.3×); the whole export "
                  f"{by_part[figure]['cpu_seconds'] / floor_cpu:.2f}×")  # fmt: skip
    emit(NAME, parts, n=args.n, dataset=facts, target_ratio=1.3, target_peak_mb=300)


if __name__ == "__main__":
    main()
