"""The recycle bin, on SQLite and PostgreSQL: deleting, what sees deleted projects, restoring, the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine

from perfgoals.checks import check_department
from perfgoals.documents import dump_document
from perfgoals.models import Project
from perfgoals.storage import repository as repo
from perfgoals.storage import trash as bin_
from perfgoals.storage.db import open_database, read_session, write_session
from tests.builders import full_department


def _department(engine: Engine) -> int:
    with write_session(engine) as session:
        return repo.save_department(session, department=full_department(), user="甲")


def _projects(engine: Engine, department_id: int) -> list[Project]:
    with read_session(engine) as session:
        return repo.load_department(session, department_id=department_id).projects


def _delete(engine: Engine, project_id: int, user: str = "乙") -> None:
    with write_session(engine) as session:
        repo.delete_project(session, project_id=project_id, user=user)


def test_a_deleted_project_goes_to_the_bin_and_nowhere_else(engine: Engine) -> None:
    department_id = _department(engine)
    first, second = _projects(engine, department_id)
    findings_before = {f.location.project for f in check_department(_load(engine, department_id))}
    assert first.name in findings_before  # so that its absence below means something
    _delete(engine, first.id or 0)
    with read_session(engine) as session:
        department = repo.load_department(session, department_id=department_id)
        [key] = repo.list_departments(session)
        [entry] = bin_.list_trash(session, department_id=department_id)
        with pytest.raises(repo.ProjectDeleted) as raised:
            repo.load_project(session, project_id=first.id or 0)
        binned = repo.load_project(session, project_id=first.id or 0, include_deleted=True)
    assert [p.name for p in department.projects] == [second.name]
    assert key.projects == 1
    assert first.name not in {f.location.project for f in check_department(department)}
    assert (entry.project_id, entry.name, entry.deleted_by, entry.indicators) == (
        first.id,
        first.name,
        "乙",
        len(first.goal.indicators),
    )
    assert raised.value.entry == entry
    # Its goal table is intact in the bin, one revision on (an open draft cannot be saved over it).
    assert binned.goal.indicators == first.goal.indicators
    assert binned.goal.revision == first.goal.revision + 1
    # Deleting it again is refused.
    with write_session(engine) as session, pytest.raises(repo.ProjectDeleted):
        repo.delete_project(session, project_id=first.id or 0, user="乙")


def _load(engine: Engine, department_id: int):  # type: ignore[no-untyped-def]
    with read_session(engine) as session:
        return repo.load_department(session, department_id=department_id)


def test_restore_brings_it_back_in_place_and_the_history_records_both(engine: Engine) -> None:
    department_id = _department(engine)
    first, second = _projects(engine, department_id)
    _delete(engine, first.id or 0)
    with write_session(engine) as session:
        restored = bin_.restore_project(session, project_id=first.id or 0, user="甲")
    assert restored.renamed_from is None and "已恢复项目" in restored.message
    projects = _projects(engine, department_id)
    assert [p.name for p in projects] == [first.name, second.name]
    assert projects[0].goal.indicators == first.goal.indicators
    assert projects[0].goal.revision == first.goal.revision + 2
    with read_session(engine) as session:
        changes = repo.history(session, project_id=first.id, limit=5)
        assert bin_.list_trash(session) == []
    assert [(c.action, c.user) for c in changes[:2]] == [("restore", "甲"), ("delete", "乙")]
    assert changes[1].before["goal"]["indicators"][0]["level3"] == first.goal.indicators[0].level3


def test_a_name_taken_meanwhile_is_restored_with_a_suffix(engine: Engine) -> None:
    department_id = _department(engine)
    first, _ = _projects(engine, department_id)
    _delete(engine, first.id or 0)
    # The name is free again among live projects: a new project may take it.
    with write_session(engine) as session:
        repo.add_project(session, department_id=department_id, project=Project(name=first.name), user="丙")
    _delete(engine, _projects(engine, department_id)[-1].id or 0)
    with write_session(engine) as session:
        repo.add_project(session, department_id=department_id, project=Project(name=first.name), user="丙")
    with read_session(engine) as session:
        with pytest.raises(bin_.AmbiguousTrash, match="请用编号指定"):
            bin_.find_in_trash(session, reference=first.name)
        found = bin_.find_in_trash(session, reference=str(first.id))
    with write_session(engine) as session:
        restored = bin_.restore_project(session, project_id=found.project_id, user="甲")
    assert restored.renamed_from == first.name
    assert restored.project.name == f"{first.name}（恢复）"
    assert "改名为" in restored.message
    names = [p.name for p in _projects(engine, department_id)]
    assert names.count(first.name) == 1 and f"{first.name}（恢复）" in names


def test_dump_leaves_the_bin_out_and_round_trips(engine: Engine) -> None:
    department_id = _department(engine)
    first, _ = _projects(engine, department_id)
    _delete(engine, first.id or 0)
    text = dump_document(_load(engine, department_id))
    assert first.name not in text
    # Loading the dump (replacing the department-year) and dumping again gives the same bytes but for the
    # revisions, which move past every one the replaced projects had (the bin's included); the
    # replaced department-year's bin goes with it.
    from perfgoals.documents import parse_document

    with write_session(engine) as session:
        new_id = repo.save_department(session, department=parse_document(text, source="x.json"), user="甲", replace=True)
    reloaded = _load(engine, new_id)
    assert min(p.goal.revision for p in reloaded.projects) > first.goal.revision + 1  # deleting added one
    unrevised = [p.model_copy(update={"goal": p.goal.model_copy(update={"revision": 1})}) for p in reloaded.projects]
    assert dump_document(reloaded.model_copy(update={"projects": unrevised})) == text
    with read_session(engine) as session:
        assert bin_.list_trash(session) == []


def test_adding_a_project_with_a_binned_name_and_budget_lines_ignore_the_bin(engine: Engine) -> None:
    from perfgoals.storage import budget_lines as lines

    department_id = _department(engine)
    projects = _projects(engine, department_id)
    code = projects[0].budget_line_code
    assert code is not None
    with write_session(engine) as session, pytest.raises(lines.BudgetLineError, match="个项目挂在"):
        lines.delete_budget_line(session, department_id=department_id, code=code, user="甲")
    for project in projects:
        if project.budget_line_code == code:
            _delete(engine, project.id or 0)
    with write_session(engine) as session:
        lines.delete_budget_line(session, department_id=department_id, code=code, user="甲")


# --- the command line -------------------------------------------------------------------------------


def test_trash_and_restore_commands(cli, db_url: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert cli("demo", db=db_url).code == 0
    engine = open_database(db_url)
    with read_session(engine) as session:
        department_id = repo.find_department(session).id
    first, second, third = _projects(engine, department_id)[:3]
    before = cli("check", "--format", "json", db=db_url)
    assert first.name in {f["project"] for f in json.loads(before.stdout)}
    _delete(engine, first.id or 0)
    _delete(engine, second.id or 0)
    engine.dispose()

    listed = cli("trash", "-d", "731", "-y", "2022", db=db_url)
    assert listed.code == 0
    lines = listed.stdout.splitlines()
    assert len(lines) == 2 and lines[0].startswith(f"{second.id}\t731\t2022\t{second.name}\t乙\t")
    assert cli("trash", "-y", "2021", db=db_url).stdout.strip() == "回收站是空的。"

    # Deleted projects are not checked, exported or dumped.
    checked = cli("check", "--format", "json", db=db_url)
    assert first.name not in {f["project"] for f in json.loads(checked.stdout)}
    assert cli("export", "--format", "json", "-o", "out.json", db=db_url).code == 0
    exported = (tmp_path / "out.json").read_text(encoding="utf-8")
    assert third.name in exported and first.name not in exported and second.name not in exported
    assert cli("export", "-p", str(first.id), "-o", "one.xlsx", db=db_url).code == 2

    # Bad references: exit 2, one line, nothing restored.
    missing = cli("restore", str(first.id), "不存在的项目", db=db_url)
    assert missing.code == 2
    assert missing.stderr.strip().splitlines() == ["错误：回收站中没有名为“不存在的项目”的项目（perfgoals trash 可列出回收站）"]
    assert len(cli("trash", db=db_url).stdout.splitlines()) == 2
    assert cli("restore", db=db_url).code == 2  # a name or id is required

    restored = cli("restore", str(first.id), second.name, db=db_url)
    assert restored.code == 0, restored.stderr
    assert restored.stdout.splitlines() == [
        f"已恢复项目“{first.name}”到 731 张家口市科学技术协会（2022年）。",
        f"已恢复项目“{second.name}”到 731 张家口市科学技术协会（2022年）。",
    ]
    assert cli("trash", db=db_url).stdout.strip() == "回收站是空的。"
    history = cli("history", db=db_url).stdout.splitlines()
    assert history[0].split("\t")[2:] == ["恢复", "project", second.name]
    assert "列出回收站" in cli("trash", "--help", db=db_url).stdout
