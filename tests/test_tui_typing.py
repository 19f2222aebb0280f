"""Every character typed reaches the cell: whole words delivered as several key events in one batch, as
an input method commits them, to a grid cell, to each picker and to every dialog field, then read back
from the database through a real session.

Two ways of delivering a burst: Pilot's ``press`` (one key after another), and posting every key
event to the app at once without letting it run in between, as the terminal driver does when one
read holds a whole IME word (``burst``).
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy.engine import Engine
from textual import events
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, TextArea

from perfgoals.models import Direction, Project
from perfgoals.storage import repository as repo
from perfgoals.storage.db import read_session
from perfgoals.tui.app import PerfgoalsApp
from perfgoals.tui.screens.departments import DepartmentDialog, DepartmentsScreen
from perfgoals.tui.screens.dialogs import GoalDialog, NameDialog, ProjectFieldsDialog
from tests.test_tui_main import SIZE, asynctest, main_screen, make_app, open_project, settle


@pytest.fixture
def engine(sample_file_engine: Engine) -> Engine:
    return sample_file_engine


def burst(app: PerfgoalsApp, *keys: str) -> None:
    """Post every key at once, as the driver does for one read: nothing runs in between."""
    for key in keys:
        character = key if len(key) == 1 else {"enter": "\r", "tab": "\t", "escape": "\x1b"}.get(key)
        app.post_message(events.Key(key, character))


def stored(engine: Engine, project_id: int) -> Project:
    with read_session(engine) as session:
        return repo.load_project(session, project_id=project_id)


async def save(pilot: Pilot[None]) -> None:
    await pilot.press("ctrl+s")
    await settle(pilot)
    assert not main_screen(pilot.app).dirty_drafts()  # type: ignore[arg-type]


async def until(pilot: Pilot[None], ready: object, timeout: float = 10.0) -> None:
    import asyncio

    deadline = asyncio.get_running_loop().time() + timeout
    while not ready():  # type: ignore[operator]
        assert asyncio.get_running_loop().time() < deadline, "the TUI did not get there in time"
        await pilot.pause(0.01)


WAYS = ["pilot", "posted"]


async def deliver(pilot: Pilot[None], way: str, *keys: str) -> None:
    if way == "pilot":
        await pilot.press(*keys)
    else:
        burst(pilot.app, *keys)  # type: ignore[arg-type]
    await settle(pilot)


# --- a grid cell ------------------------------------------------------------------------------------


@pytest.mark.parametrize("way", WAYS)
@asynctest
async def test_a_word_typed_on_a_cell_is_stored_whole(engine: Engine, way: str) -> None:
    app = make_app(engine)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_project(pilot, 0)
        screen = main_screen(app)
        project_id = screen.current_id
        assert project_id is not None and app.focused is screen.grid
        screen.grid.go_to(0, "level3")
        await pilot.pause()
        await deliver(pilot, way, *"培训班次", "enter")
        # Enter commits and moves down; the next word goes to the next row's cell.
        assert (screen.grid.current_row, screen.grid.current_field) == (1, "level3")
        # (Pilot cannot press ≥: it has no key name for it; a terminal sends it like any character.)
        second = "≥15次" if way == "posted" else "不少于15次"
        await deliver(pilot, way, *second, "enter")
        await save(pilot)
    indicators = stored(engine, project_id).goal.indicators
    assert (indicators[0].level3, indicators[1].level3) == ("培训班次", second)


@asynctest
async def test_keys_right_after_f2_or_enter_go_to_the_editor_not_the_grid(engine: Engine) -> None:
    app = make_app(engine)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_project(pilot, 0)
        screen = main_screen(app)
        project_id = screen.current_id
        assert project_id is not None and screen.draft is not None
        before = [screen.draft.cell(0, "description"), screen.draft.cell(1, "description")]
        screen.grid.go_to(0, "description")
        await pilot.pause()
        # F2 and the word in one read: the word is appended to the cell's text.
        burst(app, "f2", *"（含线上）", "enter")
        await settle(pilot)
        # Enter (edit) and a word in one read: the same.
        burst(app, "enter", *"及培训", "tab")
        await settle(pilot)
        # Tab committed and moved right.
        assert (screen.grid.current_row, screen.grid.current_field) == (1, "value")
        await save(pilot)
    indicators = stored(engine, project_id).goal.indicators
    assert indicators[0].description == before[0] + "（含线上）"
    assert indicators[1].description == before[1] + "及培训"


# --- the pickers --------------------------------------------------------------------------------------


@pytest.mark.parametrize("way", WAYS)
@asynctest
async def test_pickers_keep_what_is_typed(engine: Engine, way: str) -> None:
    app = make_app(engine)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_project(pilot, 0)
        screen = main_screen(app)
        project_id = screen.current_id
        assert project_id is not None and screen.draft is not None
        row = next(i for i, r in enumerate(screen.draft.indicators) if r.level1 == "产出指标")
        screen.grid.go_to(row, "level1")
        await pilot.pause()
        # 一级: the typed word, not the first entry; the 二级 no longer fits, so its picker opens next.
        await deliver(pilot, way, *"效益指标", "enter")
        assert screen.draft.cell(row, "level1") == "效益指标"
        editor = screen.grid.editor
        assert editor is not None and editor.field == "level2"
        # 二级: a word typed in full.
        await deliver(pilot, way, *"社会效益指标", "enter")
        assert screen.draft.cell(row, "level2") == "社会效益指标"
        # A word that is none of the entries is kept as typed (the checks say what they think of it).
        screen.grid.go_to(row + 1, "level2")
        await pilot.pause()
        await deliver(pilot, way, "f2", *"自定义二级", "enter")
        assert screen.draft.cell(row + 1, "level2") == "自定义二级"
        await save(pilot)
    indicators = stored(engine, project_id).goal.indicators
    assert (indicators[row].level1, indicators[row].level2) == ("效益指标", "社会效益指标")
    assert indicators[row + 1].level2 == "自定义二级"


@asynctest
async def test_pickers_filter_as_one_types_and_arrows_pick(engine: Engine) -> None:
    app = make_app(engine)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_project(pilot, 0)
        screen = main_screen(app)
        assert screen.draft is not None
        screen.grid.go_to(0, "level1")
        await pilot.pause()
        burst(app, "x", "y")  # pinyin initials of 效益指标
        await settle(pilot)
        editor = screen.grid.editor
        assert editor is not None
        assert [str(o.prompt) for o in editor.choice_list.options] == ["效益指标"]
        await pilot.press("down", "enter")
        await settle(pilot)
        assert screen.draft.cell(0, "level1") == "效益指标"
        await pilot.press("escape")  # the 二级 picker that follows
        # F2 and Enter with nothing typed keeps the cell as it was, even a label the framework lacks.
        screen.draft.set_cell(1, "level1", "效果指标")
        screen.grid.go_to(1, "level1")
        await pilot.pause()
        await pilot.press("f2", "enter")
        await settle(pilot)
        assert screen.draft.cell(1, "level1") == "效果指标"


@asynctest
async def test_direction_and_weight_columns_are_added_and_typed_into(engine: Engine) -> None:
    app = make_app(engine)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_project(pilot, 0)
        screen = main_screen(app)
        project_id = screen.current_id
        assert project_id is not None and screen.draft is not None
        for field in ("direction", "weight"):
            await pilot.press("ctrl+o")
            await until(pilot, lambda: type(app.screen).__name__ == "ColumnDialog")
            options = app.screen.query_one("#columns")
            index = [o.id for o in options.options].index(field)  # type: ignore[attr-defined]
            options.highlighted = index  # type: ignore[attr-defined]
            await pilot.press("enter")
            await settle(pilot)
            assert field in screen.grid.fields and screen.grid.current_field == field
        screen.grid.go_to(0, "direction")
        await pilot.pause()
        burst(app, "反", "enter")  # 反 → 反向
        await settle(pilot)
        screen.grid.go_to(0, "weight")
        await pilot.pause()
        burst(app, *"二十", "enter")  # not a number: refused, the text stays in the editor
        await settle(pilot)
        editor = screen.grid.editor
        assert editor is not None and editor.typed_text() == "二十"
        assert "数字" in str(editor.query_one("#editor-hint").render())
        await pilot.press("backspace", "backspace")
        burst(app, *"12.5", "enter")
        await settle(pilot)
        assert not screen.grid.editing
        await save(pilot)
    row = stored(engine, project_id).goal.indicators[0]
    assert (row.direction, row.weight) == (Direction.NEGATIVE, Decimal("12.5"))


# --- dialog fields ----------------------------------------------------------------------------------


@pytest.mark.parametrize("way", WAYS)
@asynctest
async def test_a_new_projects_name_typed_right_after_f5(engine: Engine, way: str) -> None:
    app = make_app(engine)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        # F5 and the name in one read: the keys typed before the dialog has focused its field are
        # held, and handed to the field in order.
        await deliver(pilot, way, "f5", *"青少年科技创新大赛", "enter")
        await until(pilot, lambda: not isinstance(app.screen, NameDialog))
        await settle(pilot)
        screen = main_screen(app)
        assert screen.draft is not None and screen.draft.project.name == "青少年科技创新大赛"
        project_id = screen.current_id
    assert project_id is not None and stored(engine, project_id).name == "青少年科技创新大赛"


@asynctest
async def test_every_field_of_the_project_dialog(engine: Engine) -> None:
    app = make_app(engine)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_project(pilot, 0)
        screen = main_screen(app)
        project_id = screen.current_id
        assert project_id is not None
        burst(app, "f3")
        await until(pilot, lambda: isinstance(app.screen, ProjectFieldsDialog))
        await settle(pilot)
        dialog = app.screen
        for field, word in (
            ("#name", "老科协运转经费"),
            ("#amount", "七点二九万"),
            ("#owner", "张三丰"),
            ("#implementing-unit", "市老科协办公室"),
        ):
            widget = dialog.query_one(field, Input)
            widget.value = ""
            dialog.set_focus(widget)
            await pilot.pause()
            burst(app, *word)
            await settle(pilot)
            assert widget.value == word, field
        await pilot.press("ctrl+s")  # applies the dialog
        await settle(pilot)
        await save(pilot)
    project = stored(engine, project_id)
    assert (project.name, project.owner, project.implementing_unit) == ("老科协运转经费", "张三丰", "市老科协办公室")
    assert (project.budget_amount, project.amount_unit) == (Decimal("7.29"), "万元")


@asynctest
async def test_both_goal_text_areas(engine: Engine) -> None:
    app = make_app(engine)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_project(pilot, 0)
        screen = main_screen(app)
        project_id = screen.current_id
        assert project_id is not None
        burst(app, "f4", *"一、")  # typed before the text area has the focus: held, then added
        await until(pilot, lambda: isinstance(app.screen, GoalDialog))
        await settle(pilot)
        dialog = app.screen
        goal = dialog.query_one("#text", TextArea)
        goal.text = ""
        burst(app, *"开展科普活动二十场")
        await settle(pilot)
        mid = dialog.query_one("#mid-term-text", TextArea)
        dialog.set_focus(mid)
        await pilot.pause()
        burst(app, *"三年建成科普基地")
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        await save(pilot)
    goal_table = stored(engine, project_id).goal
    assert (goal_table.goal_text, goal_table.mid_term_goal_text) == ("开展科普活动二十场", "三年建成科普基地")


@asynctest
async def test_the_filters_take_a_burst(engine: Engine) -> None:
    app = make_app(engine)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = main_screen(app)
        burst(app, "ctrl+f", *"科普")  # the filter takes the focus as ctrl+f arrives
        await settle(pilot)
        assert screen.query_one("#filter", Input).value == "科普"
        # F6, then a department's name typed on the list: the list's filter gets the whole word.
        screen.set_focus(screen.grid)
        burst(app, "f6")
        await until(pilot, lambda: isinstance(app.screen, DepartmentsScreen))
        await settle(pilot)
        departments = app.screen
        assert isinstance(departments.focused, DataTable)
        burst(app, *"张家口")
        await settle(pilot)
        assert departments.query_one("#department-filter", Input).value == "张家口"
        assert len(departments.keys) == 1  # type: ignore[attr-defined]


@asynctest
async def test_a_new_department_typed_field_by_field(engine: Engine) -> None:
    app = make_app(engine)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        burst(app, "f6")
        await until(pilot, lambda: isinstance(app.screen, DepartmentsScreen))
        await settle(pilot)
        burst(app, "n", *"732")  # the code typed right after n: held for the dialog's first field
        await until(pilot, lambda: isinstance(app.screen, DepartmentDialog))
        await settle(pilot)
        dialog = app.screen
        assert dialog.query_one("#code", Input).value == "732"
        name = dialog.query_one("#name", Input)
        dialog.set_focus(name)
        await pilot.pause()
        burst(app, *"张家口市社会科学界联合会")
        await settle(pilot)
        year = dialog.query_one("#year", Input)
        dialog.set_focus(year)
        await pilot.pause()
        burst(app, *"2024", "enter")
        await settle(pilot)
    with read_session(engine) as session:
        keys = {(k.code, k.name, k.year) for k in repo.list_departments(session)}
    assert ("732", "张家口市社会科学界联合会", 2024) in keys


@asynctest
async def test_every_field_of_a_new_budget_line(engine: Engine) -> None:
    app = make_app(engine)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        burst(app, "f7")
        await until(pilot, lambda: type(app.screen).__name__ == "BudgetLinesScreen")
        await settle(pilot)
        lines = app.screen
        # a (新增科目) and the code in one read: held for the dialog's code field (which starts with the
        # selected 类's code, selected, so that what is typed replaces it).
        lines.query_one(DataTable).move_cursor(row=0)
        burst(app, "a", *"20699")
        await until(pilot, lambda: type(app.screen).__name__ == "BudgetLineDialog")
        await settle(pilot)
        dialog = app.screen
        assert dialog.query_one("#code", Input).value == "20699"
        for field, word in (("#name", "其他科学技术支出"), ("#project", "十二点五"), ("#basic", "0"), ("#carryover", "二万")):
            widget = dialog.query_one(field, Input)
            dialog.set_focus(widget)
            await pilot.pause()
            burst(app, *word)
            await settle(pilot)
            assert widget.value == word, field
        burst(app, "enter")
        await settle(pilot)
        await until(pilot, lambda: app.screen is lines)
    with read_session(engine) as session:
        department = repo.load_department(session, department_id=repo.list_departments(session)[0].id)
    line = department.line("20699")
    assert line is not None and line.name == "其他科学技术支出"
    assert (line.project, line.basic, line.carryover, line.total) == (Decimal("12.5"), Decimal("0"), Decimal("2"), Decimal("12.5"))


@asynctest
async def test_findings_filter_and_the_reason_for_accepting(engine: Engine) -> None:
    app = make_app(engine)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        burst(app, "ctrl+t")
        await until(pilot, lambda: type(app.screen).__name__ == "FindingsScreen")
        await settle(pilot)
        findings = app.screen
        burst(app, "slash", *"PG4")
        await settle(pilot)
        assert findings.query_one("#code-filter", Input).value == "PG4"
        target = findings.shown[0]  # type: ignore[attr-defined]
        findings.set_focus(findings.query_one("#findings-table", DataTable))
        await pilot.pause()
        burst(app, "a", *"经核实属实，按原文填报", "enter")
        await settle(pilot)
        await until(pilot, lambda: app.screen is findings)
        await settle(pilot)
    with read_session(engine) as session:
        department = repo.load_department(session, department_id=repo.list_departments(session)[0].id)
    holder = (
        department
        if target.location.project_id is None
        else next(p for p in department.projects if p.id == target.location.project_id)
    )
    assert [(a.code, a.reason) for a in holder.acceptances] == [(target.code, "经核实属实，按原文填报")]


@asynctest
async def test_the_export_path_takes_a_burst(engine: Engine) -> None:
    app = make_app(engine)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        burst(app, "ctrl+e")
        await until(pilot, lambda: type(app.screen).__name__ == "ExportScreen")
        await settle(pilot)
        path = app.screen.query_one("#path", Input)
        path.value = ""
        app.screen.set_focus(path)
        await pilot.pause()
        burst(app, *"交付/科协目标表.xlsx")
        await settle(pilot)
        assert path.value == "交付/科协目标表.xlsx"
