"""Change notifications between processes, on SQLite (data_version + history) and PostgreSQL (LISTEN/NOTIFY)."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import pytest
from sqlalchemy.engine import Engine

from perfgoals.models import BudgetLine, Project
from perfgoals.storage import budget_lines as lines
from perfgoals.storage import repository as repo
from perfgoals.storage import trash as bin_
from perfgoals.storage.changes import Change, ChangeKind, Watcher, open_watcher
from perfgoals.storage.db import StorageError, open_database, read_session, write_session
from tests.builders import full_department


@pytest.fixture
def two(db_url: str) -> Iterator[tuple[Engine, Engine, int]]:
    """Two engines (two connection pools, as two processes would have) on one database with a department."""
    mine, other = open_database(db_url), open_database(db_url)
    with write_session(other) as session:
        department_id = repo.save_department(session, department=full_department(), user="甲")
    yield mine, other, department_id
    mine.dispose()
    other.dispose()


def _wait(watcher: Watcher, count: int, timeout: float = 10.0) -> list[Change]:
    """Poll until ``count`` changes arrived (notifications take a moment to travel)."""
    seen: list[Change] = []
    deadline = time.monotonic() + timeout
    while len(seen) < count and time.monotonic() < deadline:
        seen.extend(watcher.poll())
        time.sleep(0.02)
    return seen


def test_saves_deletes_restores_and_lines_of_another_connection_are_reported(
    two: tuple[Engine, Engine, int],
) -> None:
    mine, other, department_id = two
    with read_session(other) as session:
        project = repo.load_department(session, department_id=department_id).projects[0]
        line = repo.load_department(session, department_id=department_id).budget_lines[0]
    with open_watcher(mine) as watcher:
        assert watcher.poll() == []  # what was there before is not news
        with write_session(other) as session:
            saved = repo.save_project(
                session, project=project.model_copy(update={"notes": "改"}), expected_revision=project.goal.revision, user="乙"
            )
        [change] = _wait(watcher, 1)
        assert change == Change(department_id, "731/2022", project.id, ChangeKind.PROJECT_SAVED, "乙", saved.goal.revision)
        assert change.concerns(department_id=department_id)
        assert change.concerns(department_id=None, department_key="731/2022")
        assert not change.concerns(department_id=department_id + 1, department_key="731/2023")

        with write_session(other) as session:
            repo.delete_project(session, project_id=project.id or 0, user="乙")
        with write_session(other) as session:
            bin_.restore_project(session, project_id=project.id or 0, user="丙")
        with write_session(other) as session:
            lines.upsert_budget_line(
                session,
                department_id=department_id,
                line=BudgetLine.model_validate({**line.model_dump(), "name": "改名"}),
                user="乙",
            )
            added = repo.add_project(session, department_id=department_id, project=Project(name="新项目"), user="乙")
        changes = _wait(watcher, 4)
        assert [(c.kind, c.project_id, c.user) for c in changes] == [
            (ChangeKind.PROJECT_DELETED, project.id, "乙"),
            (ChangeKind.PROJECT_RESTORED, project.id, "丙"),
            (ChangeKind.BUDGET_LINE, None, "乙"),
            (ChangeKind.PROJECT_ADDED, added.id, "乙"),
        ]
        assert watcher.poll() == []


def test_a_rolled_back_write_is_not_reported_and_polling_does_not_block(two: tuple[Engine, Engine, int]) -> None:
    mine, other, department_id = two
    with read_session(other) as session:
        project = repo.load_department(session, department_id=department_id).projects[0]
    watcher = open_watcher(mine)
    try:
        with pytest.raises(RuntimeError), write_session(other) as session:
            repo.delete_project(session, project_id=project.id or 0, user="乙")
            raise RuntimeError("rolled back")
        started = time.monotonic()
        for _ in range(20):
            assert watcher.poll() == []
        assert time.monotonic() - started < 2.0
        # A replaced department-year: reported under its code/year (its id is new).
        with write_session(other) as session:
            new_id = repo.save_department(session, department=full_department(), user="乙", replace=True)
        changes = _wait(watcher, 1)
        assert [(c.kind, c.department_key) for c in changes] == [(ChangeKind.DEPARTMENT, "731/2022")]
        assert changes[0].concerns(department_id=department_id, department_key="731/2022")
        assert changes[0].department_id in (new_id, None)
    finally:
        watcher.close()
    with pytest.raises(StorageError):
        watcher.poll()


def test_a_watcher_polled_from_a_worker_thread_hears_another_process(
    two: tuple[Engine, Engine, int], cli, db_url: str  # type: ignore[no-untyped-def]
) -> None:
    mine, other, department_id = two
    with read_session(other) as session:
        project = repo.load_department(session, department_id=department_id).projects[1]
    with write_session(other) as session:
        repo.delete_project(session, project_id=project.id or 0, user="乙")
    watcher = open_watcher(mine)
    heard: list[Change] = []
    stop = threading.Event()

    def worker() -> None:  # as a Textual thread worker would
        while not stop.is_set() and not heard:
            heard.extend(watcher.poll())
            time.sleep(watcher.interval / 10)

    thread = threading.Thread(target=worker)
    thread.start()
    try:
        result = cli("restore", str(project.id), db=db_url)
        assert result.code == 0, result.stderr
        thread.join(timeout=15)
    finally:
        stop.set()
        thread.join()
        watcher.close()
    assert [(c.kind, c.project_id, c.user) for c in heard] == [(ChangeKind.PROJECT_RESTORED, project.id, "测试员")]
