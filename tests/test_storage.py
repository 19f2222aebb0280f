"""Storage through real sessions, on SQLite and on PostgreSQL (when PERFGOALS_TEST_PG is set)."""

from __future__ import annotations

import sqlite3
import threading
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import event, select, text
from sqlalchemy.engine import Engine

from perfgoals.models import GoalTable, Indicator, Project
from perfgoals.storage import repository as repo
from perfgoals.storage.db import (
    DatabaseLocked,
    DatabaseUnavailable,
    SchemaTooNew,
    head_revision,
    make_engine,
    open_database,
    read_session,
    write_session,
)
from perfgoals.storage.tables import ChangeRow, IndicatorRow
from tests.builders import full_department


def _save(engine: Engine, department=None, **kwargs) -> int:  # type: ignore[no-untyped-def]
    with write_session(engine) as session:
        return repo.save_department(session, department=department or full_department(), user="甲", **kwargs)


def test_round_trip_keeps_every_field_and_exact_decimals(engine: Engine) -> None:
    department = full_department()
    department_id = _save(engine, department)
    with read_session(engine) as session:
        loaded = repo.load_department(session, department_id=department_id)
    assert loaded.model_dump(mode="json") == department.model_dump(mode="json")
    line = loaded.line("2060799")
    assert line is not None
    # The scale as written survives ("219500.00" stays two decimals) and no float sneaks in.
    assert str(line.project) == "219500.00"
    assert isinstance(line.project, Decimal)
    assert loaded.projects[0].goal.indicators[1].value == "≤ 21.87 万元 "
    assert loaded.procurement[0].quantity == Decimal("80.2")
    # The single-project path reads the same fields as the bulk one, the 0003 ones included.
    with read_session(engine) as session:
        single = repo.load_project(session, project_id=loaded.projects[0].id or 0)
    assert single.model_dump(mode="json") == loaded.projects[0].model_dump(mode="json")
    assert (single.implementing_unit, single.goal.mid_term_goal_text.splitlines()[0]) == (
        "张家口市科技馆",
        "1.三年内推广新品种10种",
    )
    assert single.goal.indicators[0].method == "推广品种数；完成得满分，每少1种扣2分"


def test_foreign_keys_cascade_and_history_outlives_the_department(engine: Engine) -> None:
    department_id = _save(engine)
    with write_session(engine) as session:
        repo.delete_department(session, department_id=department_id)
    with read_session(engine) as session:
        assert session.execute(select(IndicatorRow)).first() is None
        changes = session.execute(select(ChangeRow.action, ChangeRow.department_id)).all()
    assert [(action, dep) for action, dep in changes] == [("load", None)]


def test_saving_the_same_department_year_twice_needs_replace(engine: Engine) -> None:
    _save(engine)
    with pytest.raises(repo.AlreadyExists, match="--replace"):
        _save(engine)
    new_id = _save(engine, replace=True)
    with read_session(engine) as session:
        keys = repo.list_departments(session)
    assert [(k.id, k.code, k.year, k.projects) for k in keys] == [(new_id, "731", 2022, 2)]


def test_a_failed_write_leaves_nothing_behind(engine: Engine) -> None:
    broken = full_department()
    broken.projects.append(broken.projects[0].model_copy())  # the same name twice violates uniqueness
    with pytest.raises(Exception):  # noqa: B017 - the driver's integrity error differs by database
        _save(engine, broken)
    with read_session(engine) as session:
        assert repo.list_departments(session) == []


def test_revision_conflict_is_refused_and_carries_the_other_version(engine: Engine) -> None:
    department_id = _save(engine)
    with read_session(engine) as session:
        project = repo.load_department(session, department_id=department_id).projects[0]
    assert project.goal.revision == 3
    mine = project.model_copy(update={"notes": "我的修改"})
    theirs = project.model_copy(
        update={"goal": project.goal.model_copy(update={"indicators": project.goal.indicators[:1]})}
    )
    with write_session(engine) as session:
        saved = repo.save_project(session, project=theirs, expected_revision=3, user="乙")
    assert saved.goal.revision == 4
    with pytest.raises(repo.RevisionConflict) as conflict, write_session(engine) as session:
        repo.save_project(session, project=mine, expected_revision=3, user="甲")
    assert "乙" in str(conflict.value) and "第 4 版" in str(conflict.value)
    assert len(conflict.value.current.goal.indicators) == 1
    with read_session(engine) as session:
        stored = repo.load_project(session, project_id=project.id or 0)
    assert stored.notes == project.notes and stored.goal.revision == 4


def test_every_change_is_recorded_with_before_and_after(engine: Engine) -> None:
    department_id = _save(engine)
    with read_session(engine) as session:
        project = repo.load_department(session, department_id=department_id).projects[1]
    edited = project.model_copy(
        update={"goal": GoalTable(goal_text="新目标", indicators=[Indicator(level3="新指标", value="≥1次")])}
    )
    with write_session(engine) as session:
        repo.save_project(session, project=edited, expected_revision=1, user="乙")
        repo.add_project(session, department_id=department_id, project=Project(name="新项目"), user="丙")
    with read_session(engine) as session:
        changes = repo.history(session, department_id=department_id)
    assert [(c.user, c.action, c.entity_key) for c in changes] == [
        ("丙", "create", "新项目"),
        ("乙", "update", "开展科技工作者助力精准扶贫经费"),
        ("甲", "load", "张家口市科学技术协会"),
    ]
    update = changes[1]
    assert update.before["goal"]["goal_text"] == "1.生态优先"
    assert update.after["goal"]["indicators"][0]["level3"] == "新指标"


def test_accepting_a_finding_needs_a_reason_and_replaces_the_old_one(engine: Engine) -> None:
    department_id = _save(engine)
    with read_session(engine) as session:
        project_id = repo.load_department(session, department_id=department_id).projects[0].id
    with pytest.raises(repo.StorageError, match="理由"), write_session(engine) as session:
        repo.accept_finding(
            session, department_id=department_id, project_id=project_id, code="PG401", reason="  ", user="甲"
        )
    with write_session(engine) as session:
        repo.accept_finding(
            session,
            department_id=department_id,
            project_id=project_id,
            code="PG401",
            reason="新的理由",
            user="甲",
        )
    with read_session(engine) as session:
        project = repo.load_project(session, project_id=project_id or 0)
    assert [(a.code, a.reason) for a in project.acceptances] == [("PG401", "新的理由")]


def test_loading_departments_takes_a_fixed_number_of_statements(engine: Engine) -> None:
    ids = [_save(engine, full_department(code=str(700 + i))) for i in range(3)]
    statements: list[str] = []
    event.listen(engine, "before_cursor_execute", lambda *args: statements.append(args[2]))
    with read_session(engine) as session:
        repo.load_departments(session, department_ids=ids[:1])
    one = len(statements)
    statements.clear()
    with read_session(engine) as session:
        departments = repo.load_departments(session, department_ids=ids)
    assert len(statements) == one <= 11
    assert [d.code for d in departments] == ["700", "701", "702"]


def test_find_department_explains_what_exists(engine: Engine) -> None:
    with read_session(engine) as session, pytest.raises(repo.NotFound, match="perfgoals demo"):
        repo.find_department(session)
    _save(engine)
    _save(engine, full_department(code="732"))
    with read_session(engine) as session:
        with pytest.raises(repo.Ambiguous, match="--department"):
            repo.find_department(session)
        with pytest.raises(repo.NotFound, match="731"):
            repo.find_department(session, code="999")
        assert repo.find_department(session, code="732", year=2022).code == "732"


# --- SQLite specifics ------------------------------------------------------------------------------


def test_sqlite_runs_in_wal_mode_with_foreign_keys(sqlite_url: str) -> None:
    engine = open_database(sqlite_url)
    with engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def test_a_locked_database_fails_with_a_clear_message(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PERFGOALS_LOCK_TIMEOUT", "0.3")
    path = tmp_path / "locked.db"
    engine = open_database(str(path))
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(DatabaseLocked, match="其他程序") as locked, write_session(engine) as session:
            repo.save_department(session, department=full_department(), user="甲")
        assert str(path) in str(locked.value)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    with read_session(engine) as session:
        assert repo.list_departments(session) == []


def test_a_database_path_that_cannot_be_opened(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(DatabaseUnavailable, match="文件夹"):
        open_database(str(blocker / "sub" / "perfgoals.db"))
    garbage = tmp_path / "garbage.db"
    garbage.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(DatabaseUnavailable, match="不是 SQLite"):
        open_database(str(garbage))


def test_a_database_from_a_newer_release_is_refused(sqlite_url: str) -> None:
    engine = open_database(sqlite_url)
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '9999_future'"))
    with pytest.raises(SchemaTooNew, match="更新版本"):
        open_database(sqlite_url)


def test_concurrent_writers_wait_for_each_other(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'shared.db'}"
    open_database(url)
    errors: list[BaseException] = []

    def writer(code: str) -> None:
        try:
            engine = make_engine(url)
            with write_session(engine) as session:
                repo.save_department(session, department=full_department(code=code), user=code)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(str(800 + i),)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with read_session(open_database(url)) as session:
        assert sorted(k.code for k in repo.list_departments(session)) == ["800", "801", "802", "803"]


def test_the_schema_is_at_this_releases_head(engine: Engine) -> None:
    with engine.connect() as connection:
        assert connection.execute(text("SELECT version_num FROM alembic_version")).scalar() == head_revision()
