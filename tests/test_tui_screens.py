"""The secondary TUI screens driven with Pilot in a minimal host app, on a temp database with the sample."""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable, Coroutine, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.engine import Engine
from textual.app import App, ComposeResult
from textual.screen import Screen
from textual.widgets import DataTable, Input, Static

from perfgoals.models import Department
from perfgoals.storage import repository as repo
from perfgoals.storage.db import open_database, read_session, write_session
from perfgoals.tui.context import TuiContext
from perfgoals.tui.screens._common import StatusLine
from perfgoals.tui.screens.budget_lines import BudgetLinesScreen
from perfgoals.tui.screens.departments import DepartmentsScreen


def sample_department() -> Department:
    """The sample as imported; the hand-built department until the importer exists."""
    try:
        from perfgoals.importers import demo_department

        department: Department = demo_department()
    except Exception:  # noqa: BLE001 - the importer is still being written
        from tests.builders import full_department

        department = full_department()
    return department


@pytest.fixture
def sample_engine(tmp_path: Path) -> Iterator[tuple[Engine, int]]:
    engine = open_database(str(tmp_path / "tui.db"))
    with write_session(engine) as session:
        department_id = repo.save_department(session, department=sample_department(), user="测试员")
    yield engine, department_id
    engine.dispose()


class Host(App[None]):
    """Pushes one screen and keeps what it dismissed with."""

    def __init__(self, make_screen: Any) -> None:
        super().__init__()
        self.make_screen = make_screen
        self.results: list[Any] = []

    def compose(self) -> ComposeResult:
        yield Static("主界面")

    def on_mount(self) -> None:
        self.push_screen(self.make_screen(), self.results.append)


def run_async(test: Callable[..., Coroutine[Any, Any, None]]) -> Callable[..., None]:
    """Run an async Pilot test on its own event loop (no async pytest plugin needed)."""

    @functools.wraps(test)
    def wrapper(*args: Any, **kwargs: Any) -> None:
        asyncio.run(test(*args, **kwargs))

    return wrapper


async def settle(pilot: Any) -> None:
    """Let workers finish and their messages be handled."""
    for _ in range(3):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


def status_text(screen: Screen[Any]) -> str:
    return str(screen.query_one(StatusLine).render())


async def type_into(pilot: Any, selector: str, text: str) -> None:
    widget = pilot.app.screen.query_one(selector, Input)
    widget.value = text


# --- departments ----------------------------------------------------------------------------------


@run_async
async def test_departments_lists_creates_and_chooses(sample_engine: tuple[Engine, int]) -> None:
    engine, department_id = sample_engine
    context = TuiContext(engine, "王芳", department_id)
    app = Host(lambda: DepartmentsScreen(context))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, DepartmentsScreen)
        table = screen.query_one(DataTable)
        assert table.row_count == 1
        assert "731" in str(table.get_row_at(0)[0])

        await pilot.press("n")
        await pilot.pause()
        await type_into(pilot, "#code", "")
        await pilot.click("#save")
        await pilot.pause()
        assert "部门编码不能为空" in str(app.screen.query_one("#dialog-error", Static).render())
        await type_into(pilot, "#code", "732")
        await type_into(pilot, "#name", "张家口市社会科学界联合会")
        await type_into(pilot, "#year", "2023")
        app.screen.query_one("#year", Input).focus()
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is screen
        assert table.row_count == 2
        assert "已新建 732" in status_text(screen)
        with read_session(engine) as session:
            key = repo.find_department(session, code="732", year=2023)
        assert key.name == "张家口市社会科学界联合会"
        # The new department is selected; Enter dismisses with its id.
        await pilot.press("enter")
        await pilot.pause()
        assert app.results == [key.id]


@run_async
async def test_departments_rollover_from_the_selected_year(sample_engine: tuple[Engine, int]) -> None:
    engine, department_id = sample_engine
    app = Host(lambda: DepartmentsScreen(TuiContext(engine, "王芳", department_id)))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        await pilot.press("r")
        await pilot.pause()
        prompt = app.screen.query_one("#prompt-input", Input)
        assert prompt.value == "2023"
        prompt.value = "2021"
        await pilot.press("enter")
        await pilot.pause()
        assert "必须晚于 2022" in str(app.screen.query_one("#prompt-error", Static).render())
        prompt.value = "2023"
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is screen
        assert "已从 2022 年结转" in status_text(screen)
        table = screen.query_one(DataTable)
        assert table.row_count == 2 and str(table.get_row_at(table.cursor_row)[2]) == "2023"
    with read_session(engine) as session:
        key = repo.find_department(session, year=2023)
        new = repo.load_department(session, department_id=key.id)
    assert new.projects and all(p.status.value == "草稿" for p in new.projects)


# --- budget lines ---------------------------------------------------------------------------------


@run_async
async def test_budget_lines_add_rejects_bad_code_and_saves_good_one(sample_engine: tuple[Engine, int]) -> None:
    engine, department_id = sample_engine
    with read_session(engine) as session:
        before = repo.load_department(session, department_id=department_id).budget_lines
    app = Host(lambda: BudgetLinesScreen(TuiContext(engine, "王芳", department_id)))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        table = screen.query_one(DataTable)
        assert table.row_count == len(before)
        assert [str(table.get_row_at(i)[0]) for i in range(table.row_count)] == [line.code for line in before]

        await pilot.press("a")
        await pilot.pause()
        await type_into(pilot, "#code", "2069901")  # its 款 20699 does not exist
        await type_into(pilot, "#name", "其他科学技术支出")
        app.screen.query_one("#name", Input).focus()
        await pilot.press("enter")
        await pilot.pause()
        error = str(app.screen.query_one("#dialog-error", Static).render())
        assert "上级科目 20699 不存在" in error
        await type_into(pilot, "#code", "20699")
        await type_into(pilot, "#project", "十二点五")
        await type_into(pilot, "#total", "12.5万x")
        await pilot.press("enter")
        await pilot.pause()
        assert "合计" in str(app.screen.query_one("#dialog-error", Static).render())
        await type_into(pilot, "#total", "125,000元")
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is screen
        assert "已新增科目 20699" in status_text(screen)
        codes = [str(table.get_row_at(i)[0]) for i in range(table.row_count)]
        assert "20699" in codes and str(table.get_row_at(table.cursor_row)[0]) == "20699"
    with read_session(engine) as session:
        department = repo.load_department(session, department_id=department_id)
        changes = repo.history(session, department_id=department_id, limit=1)
    line = department.line("20699")
    assert line is not None and line.unit == department.money_unit == "万元"
    assert line.project == Decimal("12.5") and line.total == Decimal("12.5")
    assert (changes[0].entity, changes[0].action, changes[0].user) == ("budget_line", "create", "王芳")


@run_async
async def test_budget_lines_edit_and_refused_delete(sample_engine: tuple[Engine, int]) -> None:
    engine, department_id = sample_engine
    app = Host(lambda: BudgetLinesScreen(TuiContext(engine, "王芳", department_id)))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        await pilot.press("enter")  # edit the first line (a 类 with lines under it)
        await pilot.pause()
        name = app.screen.query_one("#name", Input)
        first_code = app.screen.query_one("#code", Input).value
        name.value = name.value + "（改）"
        name.focus()
        await pilot.press("enter")
        await settle(pilot)
        assert "已保存科目" in status_text(screen)
        await pilot.press("delete")
        await pilot.pause()
        await pilot.press("y")
        await settle(pilot)
        assert "下级科目" in status_text(screen)
    with read_session(engine) as session:
        department = repo.load_department(session, department_id=department_id)
    line = department.line(first_code)
    assert line is not None and line.name.endswith("（改）")
