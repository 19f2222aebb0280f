"""kill -9 and many-writers figures (issue 14), bigger runs than the suite's.

Usage::

    python bench/bench_crash.py [--trials 10] [--writers 8x20] [--pg postgresql+psycopg://…/test]

Every writing command is killed at a random moment ``--trials`` times on SQLite (and on PostgreSQL, for
the commands in ``tests/test_crash_and_writers.PG_COMMANDS``, with ``--pg``); then several processes
save at once.  Prints one line per command and mode (tests/crash_harness.py says what each figure means).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.crash_harness import databases, kill_trials, many_writers, scenarios

PG_COMMANDS = {"load", "import --replace", "demo --scale", "restore"}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--trials", type=int, default=10)
    parser.add_argument("--writers", default="8x20")
    parser.add_argument("--pg", default=None)
    parser.add_argument("--seed", type=int, default=14)
    args = parser.parse_args()
    processes, saves = (int(part) for part in args.writers.split("x"))
    backends: list[tuple[str, str | None]] = [("sqlite", None)] + ([("postgresql", args.pg)] if args.pg else [])
    failed = False
    for backend, pg in backends:
        with tempfile.TemporaryDirectory() as folder, databases(Path(folder), pg) as made:
            work = Path(folder)
            for scenario in scenarios(work):
                if pg is not None and scenario.name not in PG_COMMANDS:
                    continue
                figures = kill_trials(scenario, made, work, trials=args.trials, seed=args.seed)
                failed |= bool(figures.partial or figures.integrity_failures)
                print(f"[{backend}] kill -9 {figures.line()}", flush=True)
            for mode in ("different", "same"):
                writers = many_writers(made.new(), work, processes=processes, saves=saves, mode=mode)
                failed |= not (writers.revisions_match and writers.history == writers.landed)
                print(f"[{backend}] writers {writers.line()}", flush=True)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
