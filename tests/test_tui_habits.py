"""Spreadsheet habits, small terminals, many departments, settings, Chinese throughout, and crashes
that never pass silently."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.engine import Engine
from textual import events
from textual.pilot import Pilot
from textual.widgets import Input

from perfgoals.errors import EXIT_INTERNAL
from perfgoals.models import Department
from perfgoals.storage import repository as repo
from perfgoals.storage.db import write_session
from perfgoals.tui.app import CRASH_MESSAGE, PerfgoalsApp
from perfgoals.tui.commands import FindProvider, ThemeNames
from perfgoals.tui.config import Settings
from perfgoals.tui.context import TuiContext
from perfgoals.tui.screens.departments import DepartmentsScreen
from perfgoals.tui.widgets.project_list import ProjectList
from tests.test_tui_main import SIZE, asynctest, edit_cell, main_screen, make_app, open_project, settle
from tests.tui_main_sample import sample_department


@pytest.fixture
def engine(sample_file_engine: Engine) -> Engine:
    return sample_file_engine


async def until(pilot: Pilot[None], ready: Any, timeout: float = 10.0) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while not ready():
        assert asyncio.get_running_loop().time() < deadline, "the TUI did not get there in time"
        await pilot.pause(0.01)


# --- no KeyError, no silent 0 ------------------------------------------------------------------------


@asynctest
async def test_hidden_project_list_survives_other_screens_and_keeps_the_edit(engine: Engine) -> None:
    app = make_app(engine)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_project(pilot, 0)
        screen = main_screen(app)
        await edit_cell(pilot, 0, "basis", "隐藏列表时的修改")
        await pilot.press("ctrl+b")  # the list is hidden: it lays out no lines
        await pilot.pause()
        for key in ("ctrl+t", "f6", "f7", "f9"):
            await pilot.press(key)
            await settle(pilot)
            await pilot.press("escape")
            await settle(pilot)
            assert app.screen is screen and app.is_running, key
        assert screen.draft is not None and screen.draft.cell(0, "basis") == "隐藏列表时的修改"
        await edit_cell(pilot, 1, "basis", "又一处修改")  # the hidden entry is redrawn without its lines
        await pilot.press("ctrl+b")
        await pilot.pause()
        projects = screen.query_one("#projects", ProjectList)
        assert sum("●" in str(o.prompt) for o in projects.options) == 1


def test_an_unexpected_error_says_so_and_exits_non_zero(tmp_path: Path) -> None:
    script = f"""
import sys
from perfgoals.storage.db import open_database
from perfgoals.tui.app import PerfgoalsApp
from perfgoals.tui.context import TuiContext

app = PerfgoalsApp(TuiContext(engine=open_database({str(tmp_path / 'crash.db')!r}), user="测试员"))

def boom():
    raise RuntimeError("故意的错误")

app.main_screen.action_toggle_sidebar = boom

async def drive(pilot):
    await pilot.pause(0.5)
    await pilot.press("escape", "ctrl+b")
    await pilot.pause(2)

app.run(headless=True, auto_pilot=drive)
print("not reached")
"""
    result = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        timeout=120,
        env={"PERFGOALS_CONFIG_DIR": str(tmp_path), "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)},
    )
    assert result.returncode == EXIT_INTERNAL, result.stderr[-2000:]
    assert "not reached" not in result.stdout
    assert CRASH_MESSAGE in result.stderr and "故意的错误" in result.stderr + result.stdout


# --- spreadsheet habits -----------------------------------------------------------------------------


@asynctest
async def test_tab_moves_across_and_on_to_the_next_row(engine: Engine) -> None:
    app = make_app(engine)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_project(pilot, 0)
        screen = main_screen(app)
        grid = screen.grid
        grid.go_to(0, "level1")
        await pilot.press("tab", "tab")
        assert (grid.current_row, grid.current_field) == (0, "level3")
        grid.go_to(0, grid.fields[-1])
        await pilot.press("tab")
        assert (grid.current_row, grid.current_field) == (1, "level1")
        await pilot.press("shift+tab")
        assert (grid.current_row, grid.current_field) == (0, grid.fields[-1])
        assert app.focused is grid


@asynctest
async def test_ctrl_n_and_paste_put_the_focus_on_the_new_row(engine: Engine) -> None:
    app = make_app(engine)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_project(pilot, 0)
        screen = main_screen(app)
        draft = screen.draft
        assert draft is not None
        rows = len(draft.indicators)
        projects = screen.query_one("#projects", ProjectList)
        projects.focus()
        await pilot.pause()
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert app.focused is screen.grid and len(draft.indicators) == rows + 1
        assert (screen.grid.current_row, screen.grid.current_field) == (1, "level3")
        # A terminal paste while the project list has the focus lands in the grid, at the cursor.
        projects.focus()
        screen.grid.go_to(len(draft.indicators) - 1, "level3")
        await pilot.pause()
        app.post_message(events.Paste("新指标甲\t描述甲\n新指标乙\t描述乙\n"))
        await settle(pilot)
        assert app.focused is screen.grid
        assert len(draft.indicators) == rows + 2
        assert [draft.cell(rows, "level3"), draft.cell(rows + 1, "level3")] == ["新指标甲", "新指标乙"]


@asynctest
async def test_a_pasted_header_row_is_skipped_and_a_paste_never_lands_in_the_filter(engine: Engine) -> None:
    app = make_app(engine)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_project(pilot, 0)
        screen = main_screen(app)
        draft = screen.draft
        assert draft is not None
        rows = len(draft.indicators)
        screen.grid.go_to(rows - 1, "level1")
        await pilot.press("ctrl+f")  # the filter has the focus
        await pilot.pause()
        text = "一级指标\t二级指标\t三级指标\t绩效指标描述\t指标值\t指标值确定依据\n产出指标\t数量指标\t培训班次\t举办培训\t≥15次\t计划标准\n"
        app.post_message(events.Paste(text))
        await settle(pilot)
        assert screen.query_one("#filter", Input).value == ""
        assert len(draft.indicators) == rows  # the header is no row; the one row went over the last
        last = draft.indicators[-1]
        assert (last.level1, last.level3, last.value, last.basis) == ("产出指标", "培训班次", "≥15次", "计划标准")
        # A single word pasted into the filter stays there: it is a filter.
        screen.set_focus(screen.query_one("#filter", Input))
        app.post_message(events.Paste("科普"))
        await settle(pilot)
        assert screen.query_one("#filter", Input).value == "科普"


# --- small terminals ---------------------------------------------------------------------------------


def _grid_rows_visible(screen: Any) -> int:
    grid = screen.grid
    lines = [grid.render_line(y).text for y in range(grid.size.height)]
    return sum(1 for line in lines if line.strip("│ ").split(" ")[0].isdigit())


@asynctest
async def test_at_80x24_six_grid_rows_show_and_the_footer_keeps_f1_and_quit(engine: Engine) -> None:
    app = make_app(engine)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await open_project(pilot, 0)
        screen = main_screen(app)
        assert screen.draft is not None and len(screen.draft.indicators) >= 6
        # On a busy machine the resize's relayout can land a frame after the project opens.
        await until(pilot, lambda: _grid_rows_visible(screen) >= 6)
        footer = screen.query_one("QuietFooter")
        keys = [str(getattr(key, "key_display", "")) for key in footer.children]
        assert keys[:2] == ["^q", "f1"] or keys[:2] == ["f1", "^q"], keys
        # Both are drawn within the 80 columns, not pushed off the right edge.
        assert all(key.region.right <= 80 for key in list(footer.children)[:2])
        # Taller again: rows wrap, the panels come back.
        await pilot.resize_terminal(120, 40)
        await settle(pilot)
        assert not screen.grid.compact and screen.query_one("#summary").size.height > 1


# --- many departments: F6 and the palette find by name, code or pinyin initials ------------------------


NAMES = ["张家口市科学技术协会", "石家庄市教育局", "唐山市卫生健康委员会", "保定市农业农村局", "承德市文化和旅游局"]


def _many_departments(engine: Engine, count: int) -> None:
    with write_session(engine) as session:
        for index in range(count):
            name = f"{NAMES[index % len(NAMES)][:3]}第{index}{NAMES[index % len(NAMES)][3:]}"
            repo.save_department(
                session,
                department=Department(code=f"9{index:04d}", name=name, year=2022),
                user="样例",
                action="create",
            )


@asynctest
async def test_f6_and_the_palette_find_one_of_a_thousand_departments(engine: Engine) -> None:
    _many_departments(engine, 1000)
    app = make_app(engine)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = main_screen(app)
        await pilot.press("f6")
        await until(pilot, lambda: isinstance(app.screen, DepartmentsScreen) and bool(app.screen.all_keys))
        departments = app.screen
        assert isinstance(departments, DepartmentsScreen) and len(departments.all_keys) == 1001
        await pilot.press("slash", *"zjkskxjsxh")  # 张家口市科学技术协会 by its initials
        await settle(pilot)
        assert [key.code for key in departments.keys] == ["731"]
        departments.query_one("#department-filter", Input).value = "90123"  # by code
        await settle(pilot)
        assert [key.code for key in departments.keys] == ["90123"]
        await pilot.press("escape")
        await until(pilot, lambda: app.screen is screen)

        # The palette: departments and the current department's projects.
        provider = FindProvider(screen)
        await provider.startup()
        hits = [hit async for hit in provider.search("bdsd")]  # 保定市第…
        assert hits and all("保定市" in (hit.text or "") for hit in hits)
        assert screen.department is not None
        project = screen.department.projects[0]
        found = [hit async for hit in provider.search(project.name[:4])]
        assert any(hit.text == f"项目 {project.name}" for hit in found)
        target = next(hit for hit in hits if "第3" in (hit.text or ""))
        target.command()
        await settle(pilot)
        assert screen.department is not None and screen.department.name.startswith("保定市第3")


# --- settings ------------------------------------------------------------------------------------------


@asynctest
async def test_the_last_department_year_theme_and_keys_are_kept(engine: Engine, tmp_path: Path) -> None:
    later = sample_department().model_copy(update={"year": 2023})
    with write_session(engine) as session:
        repo.save_department(session, department=later, user="样例", replace=False, action="demo")
        older = next(k.id for k in repo.list_departments(session) if k.year == 2022)
    path = tmp_path / "config.toml"
    path.write_text('[keys]\n"main.save" = "f10"\n', encoding="utf-8")
    app = PerfgoalsApp(TuiContext(engine, "测试员", settings=Settings.load(path)))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = main_screen(app)
        assert screen.department is not None and screen.department.year == 2023  # the latest, the first time
        screen.open_department(older)
        await settle(pilot)
        assert screen.department is not None and screen.department.year == 2022
        app.theme = "nord"
        await pilot.pause()
        # The key remapped in the file saves.
        await open_project(pilot, 0)
        await edit_cell(pilot, 0, "basis", "按 F10 保存")
        await pilot.press("f10")
        await settle(pilot)
        assert not screen.dirty_drafts()
    settings = Settings.load(path)
    assert settings.theme == "nord" and settings.keys == {"main.save": "f10"}
    app = PerfgoalsApp(TuiContext(engine, "测试员", settings=settings))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.theme == "nord"
        screen = main_screen(app)
        assert screen.department is not None and screen.department.year == 2022  # reopened where left


# --- Chinese throughout ----------------------------------------------------------------------------------


@asynctest
async def test_palette_theme_picker_and_commands_speak_chinese(engine: Engine) -> None:
    app = make_app(engine)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        commands = list(app.get_system_commands(app.screen))
        assert commands and all(not command.title.isascii() for command in commands)
        assert all("." not in command.title and "." not in command.help for command in commands)
        assert any(command.title == "添加列" for command in commands)
        await pilot.press("ctrl+p")
        await until(pilot, lambda: app.screen.id == "--command-palette" and bool(app.screen.query(Input)))
        await settle(pilot)
        placeholder = str(app.screen.query_one(Input).placeholder)
        assert "搜索" in placeholder and "部门" in placeholder
        await pilot.press("escape")
        await settle(pilot)
        themes = ThemeNames(app.screen)
        labels = [str(hit.display) async for hit in themes.discover()]
        assert labels and all(label.startswith("主题：") for label in labels)
        assert any("深色" in label for label in labels) and any("浅色" in label for label in labels)
        app.action_change_theme()
        await until(pilot, lambda: any("主题" in str(i.placeholder) for i in app.screen.query(Input)))
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        # Help over the main screen: Chinese names of where each key works, no internal names or ids.
        await open_project(pilot, 0)
        await pilot.press("f1")
        await until(pilot, lambda: type(app.screen).__name__ == "HelpScreen")
        entries = app.screen.entries  # type: ignore[attr-defined]
        assert entries and all(not e.where.isascii() and "Screen" not in e.where for e in entries)
        assert any(e.where == "当前屏幕：主界面" for e in entries)
        assert all(not e.description.isascii() for e in entries)


@asynctest
async def test_a_colleagues_save_or_deletion_reaches_the_screen_keeping_unsaved_edits(engine: Engine) -> None:
    from perfgoals.tui.services import Store

    app = make_app(engine)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = main_screen(app)
        assert screen.department is not None
        first, second, third = (p.id for p in screen.department.projects[:3])
        assert first is not None and second is not None and third is not None
        colleague = Store(engine, "李四")
        for project_id in (first, second):
            base = colleague.load_project(project_id)
            theirs = base.model_copy(deep=True)
            theirs.goal.indicators[0].basis = "李四改的依据"
            colleague.save(base, theirs)
        screen.select_project(second)
        await pilot.pause()
        await edit_cell(pilot, 0, "value", "我的未保存值")
        for project_id in (first, second):
            screen.colleague_changed(project_id, screen.store.load_project(project_id))
        await settle(pilot)
        assert screen.drafts[first].cell(0, "basis") == "李四改的依据" and not screen.drafts[first].dirty
        assert screen.drafts[second].cell(0, "value") == "我的未保存值"  # kept: its save will merge
        colleague.delete_project(third)
        screen.colleague_changed(third, None)
        await settle(pilot)
        assert third not in screen.drafts
        assert all(p.id != third for p in screen.department.projects)
