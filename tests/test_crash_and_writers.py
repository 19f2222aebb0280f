"""kill -9 during every writing command, and many processes saving at once (tests/crash_harness.py).

The suite runs small numbers; ``PERFGOALS_KILL_TRIALS`` and ``PERFGOALS_WRITERS`` (``processes x saves``,
e.g. ``8x20``) make bigger runs, and ``bench/bench_crash.py`` reports the figures.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import PG_ENV
from tests.crash_harness import Databases, databases, kill_trials, many_writers, scenarios

TRIALS = int(os.environ.get("PERFGOALS_KILL_TRIALS", "1"))
PROCESSES, SAVES = (int(part) for part in os.environ.get("PERFGOALS_WRITERS", "4x8").split("x"))
#: The commands also killed on PostgreSQL (each trial copies a database from a template there).
PG_COMMANDS = {"load", "import --replace", "demo --scale", "restore"}


@pytest.fixture(params=["sqlite", "postgresql"])
def made(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Databases]:
    pg = None
    if request.param == "postgresql":
        pg = os.environ.get(PG_ENV)
        if not pg:
            pytest.skip(f"PostgreSQL 测试未运行：未设置 {PG_ENV}")
    with databases(tmp_path, pg) as made:
        yield made


@pytest.mark.parametrize("command", [scenario.name for scenario in scenarios(Path())])
def test_a_killed_command_leaves_the_old_state_or_the_new(made: Databases, tmp_path: Path, command: str) -> None:
    if made.pg_base is not None and command not in PG_COMMANDS:
        pytest.skip("在 PostgreSQL 上只对部分命令做 kill -9 试验（事务由服务器保证）")
    [scenario] = [s for s in scenarios(tmp_path) if s.name == command]
    figures = kill_trials(scenario, made, tmp_path, trials=TRIALS)
    print(figures.line())
    assert figures.partial == 0 and figures.integrity_failures == 0, figures.problems
    assert figures.old + figures.new == figures.trials


@pytest.mark.parametrize("mode", ["different", "same"])
def test_many_writers_every_save_lands_or_is_reported(made: Databases, tmp_path: Path, mode: str) -> None:
    figures = many_writers(made.new(), tmp_path, processes=PROCESSES, saves=SAVES, mode=mode)
    print(figures.line())
    assert figures.landed + figures.conflicts + figures.lock_timeouts + figures.unchanged == PROCESSES * SAVES
    assert figures.history == figures.landed and figures.revisions_match
    assert figures.integrity == "ok"
    if mode == "different":
        assert figures.conflicts == 0  # nobody else edits these projects: nothing to choose
