"""Identity survives a reload: ``load`` and ``import --replace`` replace a department-year, and nothing
opened or exported before then can write into the new data unnoticed, let alone into another project.

Each scenario runs on SQLite and PostgreSQL, with the reload done by the CLI in another process.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine

from perfgoals.documents import dump_document
from perfgoals.importers import demo_department
from perfgoals.merge import Side
from perfgoals.models import Department, Project
from perfgoals.storage import repository as repo
from perfgoals.storage.db import migrate, open_database, read_session, write_session
from perfgoals.storage.merging import NeedsChoice, Saved, merge_and_save
from tests.conftest import CliResult


def _stored(engine: Engine) -> Department:
    with read_session(engine) as session:
        key = repo.find_department(session, code="731", year=2022)
        return repo.load_department(session, department_id=key.id)


def _reordered_dump(cli: Any, db: str, path: Path, edit: Any = None) -> Path:
    """The department dumped, its projects in reverse order (and ``edit`` applied to the document)."""
    result = cli("dump", "-o", str(path), db=db)
    assert result.code == 0, result.stderr
    document = json.loads(path.read_text(encoding="utf-8"))
    document["department"]["projects"].reverse()
    if edit is not None:
        edit(document["department"])
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    return path


def _ok(result: CliResult) -> CliResult:
    assert result.code == 0, result.stderr
    return result


def _by_name(department: Department) -> dict[str, Project]:
    return {project.name: project for project in department.projects}


def _value_cell(sheet: Any, value: str) -> Any:
    for row in sheet.iter_rows():
        for cell in row:
            if cell.value == value:
                return cell
    raise AssertionError(f"no cell holds {value!r} in {sheet.title}")


def test_a_workbook_from_before_a_reordering_load_never_lands_in_another_project(
    cli: Any, db_url: str, tmp_path: Path
) -> None:
    _ok(cli("demo", db=db_url))
    engine = open_database(db_url)
    exported = _stored(engine)
    _ok(cli("export", "-o", str(tmp_path / "a.xlsx"), "--skip-checks", db=db_url))
    _ok(cli("load", str(_reordered_dump(cli, db_url, tmp_path / "d.json")), db=db_url))
    loaded = _stored(engine)
    # No id comes back, and every revision is past the ones before the reload.
    assert not {p.id for p in exported.projects} & {p.id for p in loaded.projects}
    assert min(p.goal.revision for p in loaded.projects) > max(p.goal.revision for p in exported.projects)
    assert [p.name for p in loaded.projects] == [p.name for p in reversed(exported.projects)]

    # The first project's sheet is edited: its place and its old id now belong to others.
    target = exported.projects[0]
    book = openpyxl.load_workbook(tmp_path / "a.xlsx")
    sheet = next(ws for ws in book.worksheets if ws.cell(1, 1).value == f"{target.name}绩效目标表")
    _value_cell(sheet, target.goal.indicators[0].value).value = "≥99次"
    book.save(tmp_path / "edited.xlsx")

    refused = cli("import", str(tmp_path / "edited.xlsx"), db=db_url)
    assert refused.code == 2, refused.stderr
    assert "重新读入" in refused.stderr and target.name in refused.stderr and "Traceback" not in refused.stderr
    assert _stored(engine) == loaded  # nothing written

    _ok(cli("import", "--replace", str(tmp_path / "edited.xlsx"), db=db_url))
    after = _stored(engine)
    changed = [name for name, project in _by_name(after).items() if project != _by_name(loaded)[name]]
    assert changed == [target.name]  # the project of that name, and no other
    assert _by_name(after)[target.name].goal.indicators[0].value == "≥99次"
    engine.dispose()


def test_a_draft_opened_before_a_reload_conflicts_and_merges_by_name(
    cli: Any, db_url: str, tmp_path: Path
) -> None:
    _ok(cli("demo", db=db_url))
    engine = open_database(db_url)
    before = _stored(engine)
    base = before.projects[0]
    rows = list(base.goal.indicators)
    rows[0] = rows[0].model_copy(update={"value": "≥7次"})
    mine = base.model_copy(update={"goal": base.goal.model_copy(update={"indicators": rows})})

    # Someone reloads the department (projects reordered, another cell of this project changed).
    def edit(department: dict[str, Any]) -> None:
        project = next(p for p in department["projects"] if p["name"] == base.name)
        project["goal"]["goal_text"] = "重新读入的目标"

    _ok(cli("load", str(_reordered_dump(cli, db_url, tmp_path / "d.json", edit)), db=db_url))
    loaded = _stored(engine)
    successor = _by_name(loaded)[base.name]
    assert successor.id != base.id and successor.goal.revision > base.goal.revision

    # A plain save is a conflict carrying the project of that name now, and writes nothing.
    with pytest.raises(repo.ProjectReloaded, match="重新读入") as raised, write_session(engine) as session:
        repo.save_project(session, project=mine, expected_revision=base.goal.revision, user="甲")
    assert raised.value.current == successor
    assert _stored(engine) == loaded

    # Merging three-way (the TUI's save): my cell and their cell both land, in that project only, and
    # the result says what was taken from the reloaded version.
    with write_session(engine) as session:
        merged = merge_and_save(session, base=base, mine=mine, user="甲")
    assert isinstance(merged, Saved) and merged.merged is not None
    assert merged.merged.taken_from_theirs == ("绩效目标",)
    assert merged.project.id == successor.id
    after = _stored(engine)
    project = _by_name(after)[base.name]
    assert project.goal.indicators[0].value == "≥7次" and project.goal.goal_text == "重新读入的目标"
    assert [p for p in after.projects if p.name != base.name] == [p for p in loaded.projects if p.name != base.name]
    engine.dispose()


def test_a_reload_that_changed_the_same_cell_needs_a_choice(cli: Any, db_url: str, tmp_path: Path) -> None:
    _ok(cli("demo", db=db_url))
    engine = open_database(db_url)
    base = _stored(engine).projects[2]
    rows = list(base.goal.indicators)
    rows[0] = rows[0].model_copy(update={"value": "我的值"})
    mine = base.model_copy(update={"goal": base.goal.model_copy(update={"indicators": rows})})

    def edit(department: dict[str, Any]) -> None:
        project = next(p for p in department["projects"] if p["name"] == base.name)
        project["goal"]["indicators"][0]["value"] = "读入的值"

    _ok(cli("load", str(_reordered_dump(cli, db_url, tmp_path / "d.json", edit)), db=db_url))
    loaded = _stored(engine)
    with write_session(engine) as session:
        outcome = merge_and_save(session, base=base, mine=mine, user="甲")
    assert isinstance(outcome, NeedsChoice)
    assert any("读入的值" in str(c.theirs) and "我的值" in str(c.mine) for c in outcome.merge.conflicts)
    assert _stored(engine) == loaded  # nothing written until a choice is made
    resolved = outcome.merge.resolve({c.index: Side.MINE for c in outcome.merge.conflicts})
    with write_session(engine) as session:
        saved = merge_and_save(session, base=outcome.theirs, mine=resolved, user="甲")
    assert isinstance(saved, Saved)
    assert _by_name(_stored(engine))[base.name].goal.indicators[0].value == "我的值"
    engine.dispose()


def test_revisions_never_go_backwards_and_history_is_kept(cli: Any, db_url: str, tmp_path: Path) -> None:
    _ok(cli("demo", db=db_url))
    dump = tmp_path / "d.json"
    _ok(cli("dump", "-o", str(dump), db=db_url))
    engine = open_database(db_url)
    seen_ids: set[int] = set()
    highest = 0
    for _ in range(3):
        _ok(cli("load", str(dump), db=db_url))
        department = _stored(engine)
        ids = {p.id or 0 for p in department.projects}
        assert not ids & seen_ids
        seen_ids |= ids
        assert min(p.goal.revision for p in department.projects) > highest
        highest = max(p.goal.revision for p in department.projects)
    with read_session(engine) as session:
        changes = repo.history(session, department_id=department.id or 0)
    assert [c.action for c in changes] == ["load", "load", "load", "demo"]
    with engine.connect() as connection:
        retired = connection.execute(text("SELECT count(*) FROM retired_project")).scalar_one()
    assert retired == 3 * len(department.projects)
    engine.dispose()


def test_revision_0006_keeps_data_and_starts_ids_past_every_one_the_history_names(tmp_path: Path) -> None:
    engine = open_database(str(tmp_path / "old.db"))
    with write_session(engine) as session:
        repo.save_department(session, department=demo_department(), user="甲")
    before = dump_document(_stored(engine))
    migrate(engine, "0005", downgrade=True)
    with engine.begin() as connection:
        assert "AUTOINCREMENT" not in connection.execute(
            text("SELECT sql FROM sqlite_master WHERE name = 'project'")
        ).scalar_one()
        # A project deleted before the upgrade, known only to the history.
        connection.execute(
            text("INSERT INTO change_log (at, user, department_key, project_id, entity, entity_key, action) "
                 "VALUES ('2026-01-01 00:00:00', '甲', '731/2022', 500, 'project', '旧项目', 'delete')")
        )
    migrate(engine, "head")
    assert dump_document(_stored(engine)) == before
    with engine.connect() as connection:
        assert "AUTOINCREMENT" in connection.execute(
            text("SELECT sql FROM sqlite_master WHERE name = 'project'")
        ).scalar_one()
        assert connection.execute(text("PRAGMA integrity_check")).scalar_one() == "ok"
    with write_session(engine) as session:
        added = repo.add_project(session, department_id=_stored(engine).id or 0, project=Project(name="新项目"), user="甲")
    assert (added.id or 0) > 500
    engine.dispose()
