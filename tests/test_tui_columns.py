"""Every column of every goal-table layout the importer reads (the documents tests/test_import_layouts.py
builds) is shown in the grid and can be edited there, then saved and read back."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.engine import Engine

import tests.test_import_layouts as layouts
from perfgoals.columns import cell_text, column, used_fields, value_of
from perfgoals.importers.errors import ImportFailure
from perfgoals.models import Department, Direction, Indicator, Project
from perfgoals.storage import repository as repo
from perfgoals.storage.db import open_database, read_session, write_session
from tests.test_tui_main import asynctest, main_screen, make_app, settle
from tests.test_tui_typing import burst

#: The documents of test_import_layouts: module-level lists of paragraphs and tables.
DOCUMENTS: dict[str, list[Any]] = {
    name: value
    for name, value in vars(layouts).items()
    if name.isupper()
    and isinstance(value, list)
    and value
    and isinstance(value[0], str)
    and any(isinstance(block, list) for block in value)
}


def imported_projects(tmp_path: Path) -> list[tuple[str, Project]]:
    found: list[tuple[str, Project]] = []
    for name, blocks in DOCUMENTS.items():
        folder = tmp_path / name
        folder.mkdir()
        try:
            result = layouts.import_blocks(folder, blocks, "docx")
        except ImportFailure:
            continue  # the documents built to be refused
        found.extend((name, project) for project in result.department.projects if project.goal.indicators)
    return found


def new_text(field: str, old: str) -> str:
    """A different value typed into ``field``'s column."""
    kind = column(field).kind
    if field == "direction":
        return "反向" if old == "正向" else "正向"
    if kind == "number":
        return "7" if old != "7" else "8"
    return f"改{old}"[:20] if old else "新填"


def test_the_layouts_are_found() -> None:
    assert len(DOCUMENTS) >= 8, sorted(DOCUMENTS)


@asynctest
async def test_every_column_of_every_layout_is_edited_in_the_grid(tmp_path: Path) -> None:
    projects = imported_projects(tmp_path)
    wanted: dict[str, set[str]] = {}
    department = Department(code="301", name="某某省科学技术厅", year=2024)
    for index, (_name, project) in enumerate(projects):
        copy = project.model_copy(update={"id": None, "name": f"{index:02d} {project.name}"[:60], "budget_line_code": None})
        department.projects.append(copy)
        wanted[copy.name] = set(used_fields(project.goal.indicators))
    every = set().union(*wanted.values())
    # The layouts bring the optional columns: 实施期, 度量单位, 指标方向, 权重, 计算方法 at least.
    assert {"mid_term_value", "unit", "direction", "weight", "method"} <= every, sorted(every)
    engine: Engine = open_database(f"sqlite:///{tmp_path / 'layouts.db'}")
    with write_session(engine) as session:
        repo.save_department(session, department=department, user="样例", replace=False, action="import")
    # Which fields the database keeps (a column it does not keep yet is still edited in the grid).
    probe = Indicator(**{f: ("正向" if f == "direction" else Decimal("1") if f == "weight" else "x") for f in every if not f.startswith("extra:")})
    with write_session(engine) as session:
        key = repo.list_departments(session)[0]
        added = repo.add_project(session, department_id=key.id, project=Project(name="探针"), user="样例")
        added.goal.indicators = [probe]
        repo.save_project(session, project=added, expected_revision=added.goal.revision, user="样例")
        back = repo.load_project(session, project_id=added.id or 0).goal.indicators[0]
        repo.delete_project(session, project_id=added.id or 0, user="样例")
    kept = {f for f in every if not f.startswith("extra:") and cell_text(back, f) == cell_text(probe, f)}

    typed: dict[tuple[int, str], str] = {}
    app = make_app(engine)
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        screen = main_screen(app)
        assert screen.department is not None
        for project in screen.department.projects:
            assert project.id is not None
            screen.select_project(project.id)
            screen.set_focus(screen.grid)
            await pilot.pause()
            draft = screen.draft
            assert draft is not None
            for field in sorted(wanted[project.name], key=lambda f: screen.grid.fields.index(f) if f in screen.grid.fields else 99):
                if field not in screen.grid.fields:
                    # Not kept by the database, or not shown yet: 添加列 shows it.
                    screen.rows.add_column(field)
                    await pilot.pause()
                assert field in screen.grid.fields, (project.name, field)
                screen.grid.go_to(0, field)
                await pilot.pause()
                text = new_text(field, draft.cell(0, field))
                burst(app, "f2")
                await pilot.pause()
                editor = screen.grid.editor
                assert editor is not None, (project.name, field)
                editor.input.value = ""
                burst(app, *text, "enter")
                await pilot.pause()
                await pilot.pause()
                if screen.grid.editing:  # a picker's follow-up (二级 after 一级): leave it
                    await pilot.press("escape")
                    await pilot.pause()
                assert draft.cell(0, field) == text, (project.name, field)
                typed[(project.id, field)] = text
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not screen.dirty_drafts()
    with read_session(engine) as session:
        for (project_id, field), text in typed.items():
            if field in kept:
                row = repo.load_project(session, project_id=project_id).goal.indicators[0]
                stored = value_of(row, field)
                if field == "direction":
                    assert stored is Direction(text), (project_id, field)
                else:
                    assert cell_text(row, field) == text, (project_id, field)
    engine.dispose()


@pytest.mark.parametrize("field", ["weight", "direction", "unit", "mid_term_value", "method", "reference_value"])
def test_each_optional_column_can_be_added_from_the_tui(field: str) -> None:
    from perfgoals.tui.editing import ProjectDraft

    draft = ProjectDraft(Project(id=1, name="x", goal={"indicators": [Indicator(level3="a")]}))  # type: ignore[arg-type]
    assert field in draft.addable_columns() and draft.add_column(field) and field in draft.fields
