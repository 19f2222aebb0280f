"""No N+1: the number of SQL statements for loading and checking does not grow with the data."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager, redirect_stderr, redirect_stdout
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event
from sqlalchemy.engine import Engine

from perfgoals.models import Department
from perfgoals.scale import generate_department
from perfgoals.storage import repository as repo
from perfgoals.storage.db import open_database, read_session, write_session

YEAR, SEED = 2022, 7


@contextmanager
def counting(engine: Engine) -> Iterator[list[str]]:
    """Collect every statement the engine sends to the database while the block runs."""
    statements: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", record)


def _sized(index: int, projects: int) -> Department:
    """Department ``index`` of the synthetic dataset cut down to ``projects`` projects."""
    department, _ = generate_department(index, year=YEAR, seed=SEED, plant_errors=False)
    return department.model_copy(update={"projects": department.projects[:projects]})


def _save(engine: Engine, departments: list[Department]) -> list[int]:
    with write_session(engine) as session:
        return [repo.save_department(session, department=d, user="测试员") for d in departments]


def _load_count(engine: Engine, ids: list[int]) -> tuple[int, list[Department]]:
    with read_session(engine) as session, counting(engine) as statements:
        loaded = repo.load_departments(session, department_ids=ids)
    return len(statements), loaded


def test_loading_one_department_does_not_depend_on_its_size(engine: Engine) -> None:
    small, large = _save(engine, [_sized(0, 2), _sized(1, 23)])
    small_count, [small_department] = _load_count(engine, [small])
    large_count, [large_department] = _load_count(engine, [large])
    assert len(small_department.projects) == 2
    assert len(large_department.projects) == len(_sized(1, 23).projects) > 15
    assert sum(len(p.goal.indicators) for p in large_department.projects) > 100
    assert small_count == large_count
    # One statement per table at most (department + 7 kinds of children + indicators), plus BEGIN.
    assert large_count <= 10


def test_loading_many_departments_costs_the_same_as_one(engine: Engine) -> None:
    ids = _save(engine, [_sized(i, 20) for i in range(8)])
    one, _ = _load_count(engine, ids[:1])
    eight, loaded = _load_count(engine, ids)
    assert [d.code for d in loaded] == [_sized(i, 20).code for i in range(8)]
    assert one == eight


def test_loading_a_project_does_not_depend_on_its_rows(engine: Engine) -> None:
    [department_id] = _save(engine, [_sized(2, 20)])
    with read_session(engine) as session:
        department = repo.load_department(session, department_id=department_id)
    by_rows = sorted(department.projects, key=lambda p: len(p.goal.indicators))
    counts = []
    for project in (by_rows[0], by_rows[-1]):
        assert project.id is not None
        with read_session(engine) as session, counting(engine) as statements:
            loaded = repo.load_project(session, project_id=project.id)
        assert loaded.goal.indicators == project.goal.indicators
        counts.append(len(statements))
    assert len(by_rows[0].goal.indicators) < len(by_rows[-1].goal.indicators)
    assert counts[0] == counts[1]


def _check_count(engine: Engine, department_id: int) -> int:
    """Statements for checking a department the way ``perfgoals check`` does: find, load, check."""
    from perfgoals.checks import check_department
    with read_session(engine) as session, counting(engine) as statements:
        keys = {key.id: key for key in repo.list_departments(session)}
        key = repo.find_department(session, code=keys[department_id].code, year=YEAR)
        department = repo.load_department(session, department_id=key.id)
        list(check_department(department))
    return len(statements)


def test_checking_a_department_does_not_depend_on_its_size(engine: Engine) -> None:
    small, large = _save(engine, [_sized(3, 3), _sized(4, 23)])
    assert _check_count(engine, small) == _check_count(engine, large)


def _cli_statements(url: str, *args: str) -> int:
    """Statements sent by ``perfgoals ARGS`` run in this process (every engine it opens is counted)."""
    from perfgoals.cli import main as cli

    statements: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(statement)

    code = 0
    event.listen(Engine, "before_cursor_execute", record)
    try:
        with open(os.devnull, "w", encoding="utf-8") as sink, redirect_stdout(sink), redirect_stderr(sink):
            try:
                cli.main(["--db", url, *args], standalone_mode=False)
            except SystemExit as exit:
                code = int(exit.code or 0)
    finally:
        event.remove(Engine, "before_cursor_execute", record)
    assert code in (0, 1), f"perfgoals {' '.join(args)} exited with {code}"  # 1: errors were found
    assert any("FROM indicator" in statement for statement in statements)
    return len(statements)


def test_the_check_command_does_not_depend_on_size_or_number_of_departments(tmp_path: Path) -> None:
    pytest.importorskip("perfgoals.cli.checking")
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    engine = open_database(url)
    small, large = _sized(5, 2), _sized(6, 23)
    _save(engine, [small, large])
    engine.dispose()
    one_small = _cli_statements(url, "check", "--department", small.code, "--year", str(YEAR))
    one_large = _cli_statements(url, "check", "--department", large.code, "--year", str(YEAR))
    assert one_small == one_large
    both = _cli_statements(url, "check", "--all-departments", "--year", str(YEAR))
    engine = open_database(url)
    _save(engine, [_sized(i, 20) for i in range(7, 12)])
    engine.dispose()
    seven = _cli_statements(url, "check", "--all-departments", "--year", str(YEAR))
    assert both == seven
