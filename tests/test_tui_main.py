"""The main screen driven through Textual's Pilot on a temporary SQLite database holding the sample."""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.engine import Engine
from textual.coordinate import Coordinate
from textual.pilot import Pilot
from textual.widgets import Input

from perfgoals.storage import repository as repo
from perfgoals.storage.db import open_database, read_session, write_session
from perfgoals.tui.app import PerfgoalsApp
from perfgoals.tui.context import JumpTarget, TuiContext
from perfgoals.tui.editing import GRID_FIELDS
from perfgoals.tui.screens.dialogs import ConfirmDialog, UnsavedDialog
from perfgoals.tui.screens.main import MainScreen
from perfgoals.tui.widgets.cell_editor import CellEditor
from perfgoals.tui.widgets.project_list import ProjectList
from tests.tui_main_sample import sample_department

SIZE = (120, 40)


def asynctest(test: Callable[..., Coroutine[Any, Any, None]]) -> Callable[..., None]:
    """Run an async test in its own event loop (the project has no pytest asyncio plugin)."""

    @functools.wraps(test)
    def run(*args: Any, **kwargs: Any) -> None:
        asyncio.run(test(*args, **kwargs))

    return run


@pytest.fixture
def engine(sample_file_engine: Engine) -> Engine:
    return sample_file_engine


def make_app(engine: Engine, user: str = "测试员") -> PerfgoalsApp:
    return PerfgoalsApp(TuiContext(engine=engine, user=user))


async def settle(pilot: Pilot[None]) -> None:
    """Let workers finish and their messages be handled."""
    for _ in range(3):
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def main_screen(app: PerfgoalsApp) -> MainScreen:
    return app.main_screen


async def open_project(pilot: Pilot[None], index: int = 0) -> None:
    """Highlight the index-th project of the list (headers skipped) and enter its grid."""
    screen = main_screen(pilot.app)  # type: ignore[arg-type]
    projects = screen.query_one("#projects", ProjectList)
    projects.focus()
    wanted = [i for i, option in enumerate(projects.options) if not option.disabled][index]
    projects.highlighted = wanted
    await pilot.pause()
    await pilot.press("enter")
    await settle(pilot)


async def edit_cell(pilot: Pilot[None], row: int, field: str, text: str) -> None:
    screen = main_screen(pilot.app)  # type: ignore[arg-type]
    screen.grid.go_to(row, field)
    await pilot.pause()
    await pilot.press("f2")
    await pilot.pause()
    editor = screen.query_one("#cell-editor", CellEditor)
    editor_input = editor.query_one(Input)
    editor_input.value = text  # Pilot cannot type every character (≥ …): set the text as typed
    await pilot.press("enter")
    await settle(pilot)


@asynctest
async def test_opens_the_sample_and_moves_between_projects(engine: Engine) -> None:
    department = sample_department()
    app = make_app(engine)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = main_screen(app)
        assert screen.department is not None and screen.department.name == department.name
        assert f"{department.year} 年" in app.sub_title and department.name in app.sub_title
        projects = screen.query_one("#projects", ProjectList)
        names = [str(o.prompt) for o in projects.options if not o.disabled]
        assert len(names) == len(department.projects)
        headers = [str(o.prompt) for o in projects.options if o.disabled]
        assert headers, "projects are grouped under budget-line headers"
        first = screen.current_id
        await open_project(pilot, 1)
        assert screen.current_id != first
        assert screen.draft is not None
        assert screen.grid.row_count == len(screen.draft.indicators) > 0
        assert app.focused is screen.grid


@asynctest
async def test_filter_narrows_the_list(engine: Engine) -> None:
    department = sample_department()
    target = department.projects[-1].name
    app = make_app(engine)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = main_screen(app)
        await pilot.press("ctrl+f")
        assert isinstance(app.focused, Input)
        app.focused.value = target[:6]
        await pilot.pause()
        projects = screen.query_one("#projects", ProjectList)
        shown = [str(o.prompt) for o in projects.options if not o.disabled]
        assert shown and all(target[:6] in s for s in shown)
        assert len(shown) < len(department.projects)


@asynctest
async def test_edit_save_reopen_finds_the_edit(engine: Engine) -> None:
    app = make_app(engine)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_project(pilot, 0)
        screen = main_screen(app)
        project_id = screen.current_id
        assert project_id is not None
        await edit_cell(pilot, 0, "value", "≥12次")
        assert screen.draft is not None and screen.draft.cell(0, "value") == "≥12次"
        assert "未保存" in app.sub_title
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "未保存" not in app.sub_title
        assert not screen.dirty_drafts()
    with read_session(engine) as session:
        stored = repo.load_project(session, project_id=project_id)
    assert stored.goal.indicators[0].value == "≥12次"
    assert stored.goal.revision == 2
    # A new session shows the saved edit.
    app = make_app(engine)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = main_screen(app)
        screen.select_project(project_id)
        await pilot.pause()
        assert screen.draft is not None and screen.draft.cell(0, "value") == "≥12次"


@asynctest
async def test_saving_with_the_editor_open_keeps_what_was_typed(engine: Engine) -> None:
    app = make_app(engine)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_project(pilot, 0)
        screen = main_screen(app)
        project_id = screen.current_id
        assert project_id is not None
        screen.grid.go_to(0, "basis")
        await pilot.press("f2")
        await pilot.pause()
        screen.query_one("#cell-editor Input", Input).value = "行业标准"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not screen.grid.editing and not screen.dirty_drafts()
    with read_session(engine) as session:
        assert repo.load_project(session, project_id=project_id).goal.indicators[0].basis == "行业标准"


@asynctest
async def test_leaving_the_editor_keeps_what_was_typed(engine: Engine) -> None:
    app = make_app(engine)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_project(pilot, 0)
        screen = main_screen(app)
        screen.grid.go_to(1, "description")
        await pilot.press("f2")
        await pilot.pause()
        screen.query_one("#cell-editor Input", Input).value = "点到别处也保留"
        await pilot.click("#filter")
        await settle(pilot)
        assert not screen.grid.editing
        assert screen.draft is not None and screen.draft.cell(1, "description") == "点到别处也保留"
        assert isinstance(app.focused, Input) and app.focused.id == "filter"


@asynctest
async def test_an_edit_redraws_its_project_entry(engine: Engine) -> None:
    # Only the edited project's entry is drawn again: what is drawn must still be the new entry.
    app = make_app(engine)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_project(pilot, 2)
        screen = main_screen(app)
        assert screen.draft is not None
        name = screen.draft.project.name
        projects = screen.query_one("#projects", ProjectList)

        def drawn_entry() -> str:
            lines = [projects.render_line(y).text for y in range(projects.size.height)]
            # A project's entry is indented under its budget line's header.
            return next(line for line in lines if line.startswith("  ") and name in line)

        assert "●" not in drawn_entry() and "●" not in app.export_screenshot()
        await edit_cell(pilot, 0, "basis", "行业标准")
        assert "●" in drawn_entry()
        other = [projects.render_line(y).text for y in range(projects.size.height)]
        assert sum("●" in line for line in other) == 1, "only the edited project is marked"
        # And on the screen as painted: in the title, above the grid and in the list.
        assert app.export_screenshot().count("●") == 3


@asynctest
async def test_the_grid_keeps_its_focused_look_while_a_cell_is_edited(engine: Engine) -> None:
    app = make_app(engine)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_project(pilot, 0)
        screen = main_screen(app)
        grid = screen.grid
        focused_border = grid.styles.border_top
        await pilot.press("f2")
        await pilot.pause()
        assert app.focused is not grid and grid.styles.border_top == focused_border
        await pilot.press("escape")
        await pilot.pause()
        assert app.focused is grid and not grid.has_class("-editing")
        assert grid.styles.border_top == focused_border
        # Opened from the project list, closed back into the grid: it looks focused too.
        screen.query_one("#projects", ProjectList).focus()
        await pilot.pause()
        assert grid.styles.border_top != focused_border
        await pilot.press("f2")
        await pilot.pause()
        await pilot.press("enter")
        await settle(pilot)
        assert app.focused is grid and grid.styles.border_top == focused_border
        # Left by clicking elsewhere: the grid looks as unfocused as it is.
        await pilot.press("f2")
        await pilot.pause()
        await pilot.click("#filter")
        await settle(pilot)
        assert not screen.grid.editing and not grid.has_class("-editing")
        assert grid.styles.border_top != focused_border


@asynctest
async def test_value_editor_shows_its_reading(engine: Engine) -> None:
    app = make_app(engine)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_project(pilot, 0)
        screen = main_screen(app)
        screen.grid.go_to(0, "value")
        await pilot.press("f2")
        await pilot.pause()
        editor = screen.query_one("#cell-editor", CellEditor)
        editor.query_one(Input).value = "≤21.87万元"
        await pilot.pause()
        hint = str(editor.query_one("#editor-hint").render())
        assert "≤ 21.87 万元" in hint
        await pilot.press("escape")
        await pilot.pause()
        assert not screen.grid.editing
        assert screen.draft is not None and screen.draft.cell(0, "value") != "≤21.87万元"


@asynctest
async def test_sidebar_can_be_hidden_to_widen_the_grid(engine: Engine) -> None:
    app = make_app(engine)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await open_project(pilot, 0)
        screen = main_screen(app)
        narrow = screen.grid.size.width
        await pilot.press("ctrl+b")
        await pilot.pause()
        assert screen.grid.size.width > narrow
        await pilot.press("ctrl+f")
        await pilot.pause()
        assert screen.query_one("#sidebar").display and isinstance(app.focused, Input)


@asynctest
async def test_typing_on_a_cell_starts_editing_it(engine: Engine) -> None:
    app = make_app(engine)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_project(pilot, 0)
        screen = main_screen(app)
        screen.grid.go_to(0, "value")
        await pilot.press("9", "8", "%", "enter")
        await settle(pilot)
        assert screen.draft is not None and screen.draft.cell(0, "value") == "98%"


@asynctest
async def test_level2_offers_only_pairs_valid_under_level1(engine: Engine) -> None:
    app = make_app(engine)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_project(pilot, 0)
        screen = main_screen(app)
        draft = screen.draft
        assert draft is not None
        row = next(i for i, ind in enumerate(draft.indicators) if ind.level1 == "满意度指标")
        screen.grid.go_to(row, "level2")
        await pilot.press("f2")
        await pilot.pause()
        from textual.widgets import OptionList

        choices = screen.query_one("#cell-editor OptionList", OptionList)
        offered = [str(o.prompt) for o in choices.options]
        assert offered == ["服务对象满意度指标"]
        await pilot.press("escape")
        # Choosing a new 一级 under which the 二级 does not belong goes straight on to the 二级.
        screen.grid.go_to(row, "level1")
        await pilot.press("f2")
        await pilot.pause()
        choices = screen.query_one("#cell-editor OptionList", OptionList)
        assert [str(o.prompt) for o in choices.options] == ["产出指标", "效益指标", "满意度指标"]
        choices.highlighted = 0
        await pilot.press("enter")
        await settle(pilot)
        assert draft.cell(row, "level1") == "产出指标"
        choices = screen.query_one("#cell-editor OptionList", OptionList)
        assert "数量指标" in [str(o.prompt) for o in choices.options]


@asynctest
async def test_add_delete_rows_and_undo(engine: Engine) -> None:
    app = make_app(engine)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_project(pilot, 0)
        screen = main_screen(app)
        draft = screen.draft
        assert draft is not None
        before = [i.model_copy() for i in draft.indicators]
        screen.grid.go_to(0, "level1")
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert len(draft.indicators) == len(before) + 1
        assert screen.grid.row_count == len(before) + 1
        assert screen.grid.current_row == 1 and screen.grid.current_field == "level3"
        await edit_cell(pilot, 1, "level3", "新增指标")
        assert draft.cell(1, "level3") == "新增指标"
        await pilot.press("ctrl+k")
        await pilot.pause()
        assert len(draft.indicators) == len(before)
        # Delete two rows at once with a shift-extended selection.
        screen.grid.go_to(0, "level1")
        await pilot.press("shift+down", "ctrl+k")
        await pilot.pause()
        assert len(draft.indicators) == len(before) - 2
        await pilot.press("ctrl+z", "ctrl+z", "ctrl+z", "ctrl+z")
        await pilot.pause()
        assert draft.indicators == before
        assert not draft.dirty
        await pilot.press("ctrl+y")
        await pilot.pause()
        assert len(draft.indicators) == len(before) + 1


@asynctest
async def test_move_and_duplicate_rows(engine: Engine) -> None:
    app = make_app(engine)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_project(pilot, 0)
        screen = main_screen(app)
        draft = screen.draft
        assert draft is not None
        names = [i.level3 for i in draft.indicators]
        screen.grid.go_to(0, "level3")
        await pilot.press("alt+down")
        await pilot.pause()
        assert [i.level3 for i in draft.indicators][:2] == [names[1], names[0]]
        assert screen.grid.current_row == 1
        await pilot.press("ctrl+d")
        await pilot.pause()
        assert [i.level3 for i in draft.indicators][1:3] == [names[0], names[0]]


@asynctest
async def test_copy_range_as_tsv_and_paste(engine: Engine) -> None:
    app = make_app(engine)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_project(pilot, 0)
        screen = main_screen(app)
        draft = screen.draft
        assert draft is not None
        screen.grid.go_to(0, "level3")
        await pilot.press("shift+down", "shift+right", "ctrl+c")
        await pilot.pause()
        expected = "\n".join(f"{draft.cell(r, 'level3')}\t{draft.cell(r, 'description')}" for r in range(2))
        assert screen.clipboard == expected
        assert app.clipboard == expected
        rows = len(draft.indicators)
        screen.grid.go_to(rows - 1, "level3")
        await pilot.press("escape", "ctrl+v")
        await pilot.pause()
        assert len(draft.indicators) == rows + 1  # the paste ran past the end and added a row
        assert draft.cell(rows, "level3") == draft.cell(1, "level3")
        # Text pasted from Excel through the terminal (bracketed paste).
        from textual import events

        screen.grid.go_to(0, "basis")
        screen.grid.focus()
        screen.post_message(events.Paste("计划标准\n行业标准\n"))
        await pilot.pause()
        assert [draft.cell(0, "basis"), draft.cell(1, "basis")] == ["计划标准", "行业标准"]


@asynctest
async def test_project_fields_amount_in_chinese_and_confirming_the_line(engine: Engine) -> None:
    app = make_app(engine)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_project(pilot, 0)
        screen = main_screen(app)
        draft = screen.draft
        assert draft is not None
        await pilot.press("f3")
        await pilot.pause()
        dialog = app.screen
        amount = dialog.query_one("#amount", Input)
        amount.value = "二十一点八七"
        await pilot.pause()
        assert "21.87" in str(dialog.query_one("#amount-hint").render())
        from textual.widgets import Checkbox

        dialog.query_one("#confirmed", Checkbox).value = True
        await pilot.press("ctrl+s")
        await pilot.pause()
        from decimal import Decimal

        expected = Decimal("21.87") if draft.project.amount_unit == "万元" else None
        if expected is not None:
            assert draft.project.budget_amount == expected
        if draft.project.budget_line_code:
            assert draft.project.line_link == "confirmed"
        assert draft.dirty


@asynctest
async def test_add_and_delete_a_project(engine: Engine) -> None:
    app = make_app(engine)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = main_screen(app)
        assert screen.department is not None
        count = len(screen.department.projects)
        await pilot.press("f5")
        await pilot.pause()
        app.screen.query_one("#name", Input).value = "新的测试项目"
        await pilot.press("enter")
        await settle(pilot)
        assert screen.draft is not None and screen.draft.project.name == "新的测试项目"
        assert len(screen.department.projects) == count + 1
        await pilot.press("f8")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.click("#yes")
        await settle(pilot)
        assert len(screen.department.projects) == count
    with read_session(engine) as session:
        department_id = repo.list_departments(session)[0].id
        names = [p.name for p in repo.load_department(session, department_id=department_id).projects]
    assert "新的测试项目" not in names and len(names) == count


@asynctest
async def test_quitting_with_unsaved_edits_asks(engine: Engine) -> None:
    app = make_app(engine)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_project(pilot, 0)
        await edit_cell(pilot, 0, "basis", "未保存的依据")
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert isinstance(app.screen, UnsavedDialog)
        await pilot.click("#stay")
        await pilot.pause()
        assert app.is_running and main_screen(app).dirty_drafts()
        await pilot.press("ctrl+q")
        await pilot.pause()
        await pilot.click("#save")
        await settle(pilot)
    assert app.return_code == 0
    with read_session(engine) as session:
        department_id = repo.list_departments(session)[0].id
        projects = repo.load_department(session, department_id=department_id).projects
    assert any(i.basis == "未保存的依据" for p in projects for i in p.goal.indicators)


@asynctest
async def test_empty_database_offers_the_sample(tmp_path: Path) -> None:
    engine = open_database(f"sqlite:///{tmp_path / 'empty.db'}")
    app = make_app(engine)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.click("#yes")
        await settle(pilot)
        screen = main_screen(app)
        assert screen.department is not None and screen.department.projects
    with read_session(engine) as session:
        assert len(repo.list_departments(session)) == 1


@asynctest
async def test_jump_target_moves_to_the_cell(engine: Engine) -> None:
    app = make_app(engine)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = main_screen(app)
        assert screen.department is not None
        project = screen.department.projects[-1]
        assert project.id is not None
        screen.jump_to(JumpTarget(project.id, row=2, field="value"))
        await pilot.pause()
        assert screen.current_id == project.id
        assert (screen.grid.current_row, screen.grid.current_field) == (1, "value")


@asynctest
async def test_findings_follow_edits(engine: Engine) -> None:
    app = make_app(engine)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_project(pilot, 0)
        screen = main_screen(app)
        assert screen.current_id is not None and screen.draft is not None
        original = screen.draft.cell(0, "value")

        def at_value() -> list[object]:
            assert screen.current_id is not None
            return [
                f
                for f in screen.findings.get(screen.current_id, [])
                if f.location.row == 1 and f.location.field == "value" and not f.accepted
            ]

        assert not at_value()
        await edit_cell(pilot, 0, "value", "")  # an empty 指标值 is a finding
        assert at_value()
        from perfgoals.tui.widgets.findings_panel import FindingsPanel

        panel = screen.query_one("#findings", FindingsPanel)
        assert any(f.location.row == 1 for f in panel.findings)
        # Choosing the finding puts the cursor on its cell.
        screen.grid.go_to(2, "level1")
        index = next(i for i, f in enumerate(panel.findings) if f.location.row == 1)
        panel.focus()
        panel.highlighted = index
        await pilot.press("enter")
        await pilot.pause()
        assert (screen.grid.current_row, screen.grid.current_field) == (0, "value")
        await edit_cell(pilot, 0, "value", original)
        assert not at_value()


def test_grid_fields_are_the_goal_table_columns() -> None:
    assert GRID_FIELDS == ("level1", "level2", "level3", "description", "value", "basis")


def test_tui_command_reports_an_unknown_department(cli: Any) -> None:
    result = cli("tui", "--department", "999")
    assert result.code == 2
    assert "错误：" in result.stderr and "999" in result.stderr


def test_tui_command_is_listed_in_help(cli: Any) -> None:
    result = cli("tui", "--help")
    assert result.code == 0 and "终端界面" in result.stdout and "--department" in result.stdout


@asynctest
async def test_switching_department_year_from_the_header(engine: Engine) -> None:
    later = sample_department().model_copy(update={"year": 2023})
    with write_session(engine) as session:
        repo.save_department(session, department=later, user="样例", replace=False, action="demo")
    app = make_app(engine)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = main_screen(app)
        assert screen.department is not None and screen.department.year == 2023  # the latest opens first
        await edit_cell(pilot, 0, "basis", "未保存")
        await pilot.click("HeaderTitle")
        await settle(pilot)
        assert type(app.screen).__name__ == "DepartmentsScreen"
        await pilot.press("down", "enter")
        await settle(pilot)
        # Leaving the year with unsaved edits asks first.
        assert isinstance(app.screen, UnsavedDialog)
        await pilot.click("#discard")
        await settle(pilot)
        assert app.screen is screen
        assert screen.department is not None and screen.department.year == 2022
        assert "2022 年" in app.sub_title and not screen.dirty_drafts()


@asynctest
async def test_goal_text_is_edited_in_a_dialog_and_undone(engine: Engine) -> None:
    app = make_app(engine)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_project(pilot, 0)
        screen = main_screen(app)
        draft = screen.draft
        assert draft is not None
        before = draft.project.goal.goal_text
        await pilot.press("f4")
        await pilot.pause()
        from textual.widgets import TextArea

        app.screen.query_one(TextArea).text = "1.新的绩效目标\n2.第二条"
        await pilot.press("ctrl+s")  # in the dialog: apply, not save
        await pilot.pause()
        assert draft.project.goal.goal_text == "1.新的绩效目标\n2.第二条" and draft.dirty
        assert "未保存" in app.sub_title
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert draft.project.goal.goal_text == before and not draft.dirty


@asynctest
async def test_last_years_value_is_shown_beside_the_target(engine: Engine) -> None:
    with write_session(engine) as session:
        department_id = repo.list_departments(session)[0].id
        project = repo.load_department(session, department_id=department_id).projects[0]
        assert project.id is not None
        project.goal.indicators[0].reference_value = "≥8次"
        repo.save_project(session, project=project, expected_revision=project.goal.revision, user="样例")
    app = make_app(engine)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = main_screen(app)
        screen.select_project(project.id)
        await pilot.pause()
        # Its own column (上年指标值), shown because the table uses it, and editable like any other.
        assert "reference_value" in screen.grid.fields
        cell = screen.grid.get_cell_at(Coordinate(0, screen.grid.fields.index("reference_value")))
        assert cell.plain == "≥8次"
