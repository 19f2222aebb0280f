"""实施单位, 实施期目标 and 计算方法 in the TUI: shown, edited, saved with ctrl+s and read back from the database."""

from __future__ import annotations

import pytest
from sqlalchemy.engine import Engine
from textual.coordinate import Coordinate
from textual.pilot import Pilot
from textual.widgets import Input, TextArea

from perfgoals.models import Project
from perfgoals.storage import repository as repo
from perfgoals.storage.db import read_session, write_session
from perfgoals.tui.editing import GRID_FIELDS, GRID_LABELS, CellRange
from perfgoals.tui.screens.dialogs import GoalDialog, ProjectFieldsDialog
from perfgoals.tui.widgets.project_summary import ProjectSummary
from tests.test_tui_main import SIZE, asynctest, edit_cell, main_screen, make_app, open_project, settle
from tests.tui_main_sample import sample_department


@pytest.fixture
def engine(sample_file_engine: Engine) -> Engine:
    return sample_file_engine


def summary_lines(pilot: Pilot[None]) -> list[str]:
    """The project summary's lines as they are on the screen (what its height lets show)."""
    summary = main_screen(pilot.app).query_one("#summary", ProjectSummary)  # type: ignore[arg-type]
    return [summary.render_line(y).text for y in range(summary.size.height)]


def stored(engine: Engine, project_id: int) -> Project:
    with read_session(engine) as session:
        return repo.load_project(session, project_id=project_id)


async def save(pilot: Pilot[None]) -> None:
    await pilot.press("ctrl+s")
    await settle(pilot)
    assert not main_screen(pilot.app).dirty_drafts()  # type: ignore[arg-type]


def test_the_sample_has_none_of_these_fields() -> None:
    # The snapshots of the sample must not change: it fills in none of them.
    for project in sample_department().projects:
        assert not project.implementing_unit and not project.goal.mid_term_goal_text
        assert not any(indicator.method for indicator in project.goal.indicators)


@asynctest
async def test_implementing_unit_is_edited_beside_the_owner_shown_and_saved(engine: Engine) -> None:
    app = make_app(engine)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_project(pilot, 0)
        screen = main_screen(app)
        draft = screen.draft
        assert draft is not None and draft.id is not None
        project_id = draft.id
        assert not any("实施单位" in line for line in summary_lines(pilot))  # empty: no line for it
        await pilot.press("f3")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ProjectFieldsDialog)
        unit_input = dialog.query_one("#implementing-unit", Input)
        assert unit_input.value == ""
        unit_input.value = "  张家口市科技馆 "
        await pilot.press("ctrl+s")  # in the dialog: apply, not save
        await settle(pilot)
        assert draft.project.implementing_unit == "张家口市科技馆" and draft.dirty
        assert "未保存" in app.sub_title
        assert any("实施单位" in line and "张家口市科技馆" in line for line in summary_lines(pilot))
        # Undo and redo cover it like any other project field.
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert draft.project.implementing_unit == "" and not draft.dirty
        await pilot.press("ctrl+y")
        await settle(pilot)
        assert draft.project.implementing_unit == "张家口市科技馆"
        await save(pilot)
    assert stored(engine, project_id).implementing_unit == "张家口市科技馆"

    # Opened again from the database: shown, and offered for editing as saved.
    app = make_app(engine)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = main_screen(app)
        screen.select_project(project_id)
        await settle(pilot)
        assert any("实施单位" in line and "张家口市科技馆" in line for line in summary_lines(pilot))
        await pilot.press("f3")
        await pilot.pause()
        assert app.screen.query_one("#implementing-unit", Input).value == "张家口市科技馆"


@asynctest
async def test_mid_term_goal_is_edited_with_the_goal_shown_in_one_line_and_saved(engine: Engine) -> None:
    app = make_app(engine)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_project(pilot, 0)
        screen = main_screen(app)
        draft = screen.draft
        assert draft is not None and draft.id is not None
        project_id = draft.id
        goal_before = draft.project.goal.goal_text
        assert not any("实施期目标" in line for line in summary_lines(pilot))
        await pilot.press("f4")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, GoalDialog)
        assert dialog.query_one("#text", TextArea).text == goal_before
        mid_term = dialog.query_one("#mid-term-text", TextArea)
        assert mid_term.text == ""
        text = "2022—2024年：建成科普场馆三座\n2. 培训科普人员"
        mid_term.text = text
        await pilot.press("ctrl+s")  # in the dialog: apply
        await settle(pilot)
        assert draft.project.goal.mid_term_goal_text == text  # kept exactly as typed
        assert draft.project.goal.goal_text == goal_before and draft.dirty
        shown = [line for line in summary_lines(pilot) if "实施期目标" in line]
        assert len(shown) == 1 and "建成科普场馆三座 …" in shown[0] and "培训" not in shown[0]
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert draft.project.goal.mid_term_goal_text == "" and not draft.dirty
        await pilot.press("ctrl+y")
        await settle(pilot)
        await save(pilot)
    saved = stored(engine, project_id)
    assert saved.goal.mid_term_goal_text == text and saved.goal.goal_text == goal_before

    app = make_app(engine)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = main_screen(app)
        screen.select_project(project_id)
        await settle(pilot)
        assert any("实施期目标" in line for line in summary_lines(pilot))
        await pilot.press("f4")
        await pilot.pause()
        assert app.screen.query_one("#mid-term-text", TextArea).text == text
        # Emptied again: the summary line goes, and the empty text is saved.
        app.screen.query_one("#mid-term-text", TextArea).text = ""
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not any("实施期目标" in line for line in summary_lines(pilot))
        await save(pilot)
    assert stored(engine, project_id).goal.mid_term_goal_text == ""


def _with_method(engine: Engine) -> int:
    """Give the first project's first row a 计算方法 in the database, as an import would; its id."""
    with write_session(engine) as session:
        department_id = repo.list_departments(session)[0].id
        project = repo.load_department(session, department_id=department_id).projects[0]
        assert project.id is not None and len(project.goal.indicators) >= 3
        project.goal.indicators[0].method = "实际开展次数"
        repo.save_project(session, project=project, expected_revision=project.goal.revision, user="样例")
        return project.id


@asynctest
async def test_method_column_shows_only_when_a_row_has_one(engine: Engine) -> None:
    app = make_app(engine)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_project(pilot, 0)
        screen = main_screen(app)
        assert screen.grid.fields == GRID_FIELDS
        assert len(screen.grid.columns) == len(GRID_FIELDS)
    project_id = _with_method(engine)
    app = make_app(engine)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = main_screen(app)
        screen.select_project(project_id)
        screen.grid.focus()
        await settle(pilot)
        assert screen.grid.fields == (*GRID_FIELDS, "method")
        labels = [str(column.label) for column in screen.grid.columns.values()]
        assert labels[-1] == GRID_LABELS["method"] == "计算方法"
        column = len(GRID_FIELDS)
        assert screen.grid.get_cell_at(Coordinate(0, column)).plain == "实际开展次数"
        # Another project without methods: the column goes.
        assert screen.department is not None
        other = next(p.id for p in screen.department.projects if p.id not in (project_id, None))
        screen.select_project(other)
        await settle(pilot)
        assert screen.grid.fields == GRID_FIELDS


@asynctest
async def test_method_is_edited_in_place_undone_copied_pasted_and_saved(engine: Engine) -> None:
    project_id = _with_method(engine)
    app = make_app(engine)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = main_screen(app)
        screen.select_project(project_id)
        screen.grid.focus()
        await settle(pilot)
        draft = screen.draft
        assert draft is not None
        # Enter/F2 on the cell edits it, like any text cell.
        await edit_cell(pilot, 1, "method", "（实际值/目标值）×100%")
        assert draft.indicators[1].method == "（实际值/目标值）×100%" and draft.dirty
        assert screen.grid.get_cell_at(Coordinate(1, len(GRID_FIELDS))).plain == "（实际值/目标值）×100%"
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert draft.indicators[1].method is None and not draft.dirty
        await pilot.press("ctrl+y")
        await settle(pilot)
        assert draft.indicators[1].method == "（实际值/目标值）×100%"
        # A range copy takes the shown method column with the others; pasting fills it in.
        basis = GRID_FIELDS.index("basis")
        screen.grid.select_range(CellRange(0, basis, 1, basis + 1))
        await pilot.press("ctrl+c")
        await pilot.pause()
        assert screen.clipboard.splitlines()[0].endswith("\t实际开展次数")
        screen.grid.go_to(2, "basis")
        await pilot.pause()
        await pilot.press("ctrl+v")
        await settle(pilot)
        assert draft.indicators[2].method == "实际开展次数"
        assert draft.indicators[3].method == "（实际值/目标值）×100%"
        await save(pilot)
    saved = stored(engine, project_id)
    assert [indicator.method for indicator in saved.goal.indicators[:4]] == [
        "实际开展次数",
        "（实际值/目标值）×100%",
        "实际开展次数",
        "（实际值/目标值）×100%",
    ]

    # Read back, then every method cleared: the column is hidden again and nothing stays behind.
    app = make_app(engine)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = main_screen(app)
        screen.select_project(project_id)
        screen.grid.focus()
        await settle(pilot)
        draft = screen.draft
        assert draft is not None and screen.grid.fields[-1] == "method"
        assert screen.grid.get_cell_at(Coordinate(3, len(GRID_FIELDS))).plain == "（实际值/目标值）×100%"
        column = len(GRID_FIELDS)
        screen.grid.select_range(CellRange(0, column, len(draft.indicators) - 1, column))
        await pilot.press("delete")
        await settle(pilot)
        assert screen.grid.fields == GRID_FIELDS
        assert screen.grid.current_field in GRID_FIELDS
        await save(pilot)
    assert not any(indicator.method for indicator in stored(engine, project_id).goal.indicators)


def _draft_project() -> Project:
    from perfgoals.models import GoalTable, Indicator

    return Project(
        id=3,
        name="科普活动",
        goal=GoalTable(
            goal_text="开展科普活动",
            indicators=[
                Indicator(level1="产出指标", level2="数量指标", level3="活动场次", value="≥10场"),
                Indicator(level1="产出指标", level2="时效指标", level3="完成时间", value="2022年底"),
            ],
        ),
    )


def test_draft_edits_the_new_fields_and_compares_them() -> None:
    from perfgoals.tui.editing import ProjectDraft, differences

    draft = ProjectDraft(_draft_project())
    assert draft.fields == GRID_FIELDS
    assert draft.set_fields({"implementing_unit": "科技馆"})
    assert draft.set_fields({"goal_text": "开展科普活动", "mid_term_goal_text": "三年建成"})
    assert (
        draft.project.goal.mid_term_goal_text == "三年建成" and draft.project.goal.goal_text == "开展科普活动"
    )
    assert draft.set_cell(1, "method", "按时得分")
    assert draft.fields == (*GRID_FIELDS, "method")
    what = [row[0] for row in differences(draft.project, draft.saved)]
    assert what == ["实施单位", "实施期目标", "第 2 行 计算方法"]
    # Cleared, the method is absent again (as imported), and the draft is back to what was saved.
    assert draft.clear_range(CellRange.cell(1, len(GRID_FIELDS)))
    assert draft.indicators[1].method is None and draft.fields == GRID_FIELDS
    for _ in range(4):  # the clearing, the method, the goals, the unit
        assert draft.undo() is not None
    assert not draft.dirty


def test_copy_and_paste_reach_the_method_column_only_while_it_is_shown() -> None:
    from perfgoals.tui.editing import ProjectDraft

    draft = ProjectDraft(_draft_project())
    basis = GRID_FIELDS.index("basis")
    draft.paste(0, basis, "依据\t方法")  # no method column: the extra cell is dropped
    assert draft.indicators[0].basis == "依据" and draft.indicators[0].method is None
    draft.set_cell(0, "method", "方法一")
    area = draft.paste(1, basis, "依据二\t方法二\t多余")
    assert area == CellRange(1, basis, 1, basis + 1)
    assert draft.indicators[1].method == "方法二"
    assert draft.copy(CellRange(0, basis, 1, basis + 1)) == "依据\t方法一\n依据二\t方法二"
