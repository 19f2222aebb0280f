"""Importing the sample disclosure (``demo_department()``) against just reading the file and splitting its lines.

figure: the first call in a fresh process (what ``perfgoals import`` pays: the importer's own modules are
        imported lazily inside it);
warm:   the best of the following calls (caches warm, modules loaded);
floor:  reading the same file's bytes, decoding and splitting them into lines.
Target: under 0.5 s.
"""

from __future__ import annotations

import time

from common import Timing, arguments, emit, profile_to, report, timed

from perfgoals.importers import SAMPLE_RESOURCE

NAME = "import"


def _read_and_split() -> int:
    from importlib import resources

    raw = resources.files("perfgoals").joinpath(SAMPLE_RESOURCE).read_bytes()
    return len(raw.decode("utf-8-sig").splitlines())


def main() -> None:
    args = arguments(__doc__ or NAME, ("figure", "floor"))
    parts = []
    if args.only in (None, "figure"):
        from perfgoals.importers import demo_department

        started, started_cpu = time.perf_counter(), time.process_time()
        department = demo_department()
        cold = Timing([time.perf_counter() - started], [time.process_time() - started_cpu])
        rows = sum(len(p.goal.indicators) for p in department.projects)
        print(f"sample: {len(department.projects)} projects, {rows} indicator rows, {len(department.budget_lines)} lines")
        warm, _ = timed(demo_department, repeat=args.repeat)
        parts.append(report(NAME, "figure", cold, projects=len(department.projects), indicators=rows))
        parts.append(report(NAME, "warm", warm))
        profile_to(args.profile, demo_department)
    if args.only in (None, "floor"):
        _read_and_split()  # the package resource machinery, once
        timing, lines = timed(_read_and_split, repeat=max(args.repeat, 5))
        parts.append(report(NAME, "floor", timing, lines=lines))
    emit(NAME, parts, target_seconds=0.5)


if __name__ == "__main__":
    main()
