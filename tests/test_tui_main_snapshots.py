"""Snapshots of the main screen at 80×24 and 120×40, and Chinese text lining up in the grid.

Update the stored snapshots after a deliberate change with ``pytest --snapshot-update``.
"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from rich.cells import cell_len
from sqlalchemy.engine import Engine
from textual.geometry import Region
from textual.pilot import Pilot
from textual.widgets import Input

from perfgoals.storage import repository as repo
from perfgoals.storage.db import write_session
from perfgoals.tui.app import PerfgoalsApp
from perfgoals.tui.context import TuiContext
from perfgoals.tui.editing import GRID_FIELDS, GRID_LABELS


@pytest.fixture
def engine(sample_file_engine: Engine) -> Engine:
    return sample_file_engine


async def _settle(pilot: Pilot[Any]) -> None:
    for _ in range(3):
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def _open_second_project(pilot: Pilot[Any]) -> None:
    await _settle(pilot)
    await pilot.press("down", "enter")
    await _settle(pilot)
    await _until_grid_drawn(pilot)


async def _until_grid_drawn(pilot: Pilot[Any], timeout: float = 10.0) -> None:
    """On a busy machine the grid's rows can land a frame or two after the project opens."""
    app = pilot.app
    assert isinstance(app, PerfgoalsApp)
    grid = app.main_screen.grid
    deadline = asyncio.get_running_loop().time() + timeout
    while not any(grid.render_line(y).text.strip("│ ")[:1].isdigit() for y in range(grid.size.height)):
        assert asyncio.get_running_loop().time() < deadline, "the grid was never drawn"
        await pilot.pause(0.02)
    await pilot.pause()


async def _edit_value(pilot: Pilot[Any]) -> None:
    await _open_second_project(pilot)
    app = pilot.app
    assert isinstance(app, PerfgoalsApp)
    app.main_screen.grid.go_to(0, "value")
    await pilot.press("f2")
    await pilot.pause()
    editor = app.main_screen.query_one("#cell-editor Input", Input)
    editor.cursor_blink = False  # a blinking cursor would make the snapshot depend on timing
    editor.value = "≤21.87万元"
    await pilot.pause()


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
def test_main_screen_snapshot(snap_compare: Any, engine: Engine, size: tuple[int, int]) -> None:
    app = PerfgoalsApp(TuiContext(engine=engine, user="测试员"))
    assert snap_compare(app, terminal_size=size, run_before=_open_second_project)


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
def test_cell_editor_snapshot(snap_compare: Any, engine: Engine, size: tuple[int, int]) -> None:
    app = PerfgoalsApp(TuiContext(engine=engine, user="测试员"))
    assert snap_compare(app, terminal_size=size, run_before=_edit_value)


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
def test_chinese_text_lines_up_in_the_grid(engine: Engine, size: tuple[int, int]) -> None:
    """Every grid line is exactly as wide as the grid, and each column starts at the same cell on
    the header line and on every row line, double-width characters included."""

    async def run() -> None:
        app = PerfgoalsApp(TuiContext(engine=engine, user="测试员"))
        async with app.run_test(size=size) as pilot:
            await _open_second_project(pilot)
            grid = app.main_screen.grid
            draft = app.main_screen.draft
            assert draft is not None and draft.indicators
            width, height = grid.size
            # Drop the round border: one cell on every side.
            strips = [
                strip.crop(1, width - 1) for strip in grid.render_lines(Region(0, 0, width, height))[1:-1]
            ]
            texts = [strip.text for strip in strips]
            assert all(strip.cell_length == width - 2 for strip in strips)
            header = texts[0]

            def column_at(line: str, text: str, after: int = 0) -> int:
                return cell_len(line[: line.index(text, after)])

            def text_at(line: str, cell: int) -> str:
                position = 0
                for index, char in enumerate(line):
                    if position >= cell:
                        return line[index:]
                    position += cell_len(char)
                return ""

            # Header labels may wrap in narrow columns: their first two characters are on line one.
            starts: dict[str, int] = {}
            after = 0
            for field in GRID_FIELDS:
                label = GRID_LABELS[field]
                found = label if label in header[after:] else label[:2]
                index = header.index(found, after)
                starts[field] = cell_len(header[:index])
                after = index + len(found)
            first_row = texts[1]
            indicator = draft.indicators[0]
            checked = 0
            for field in GRID_FIELDS:
                value = getattr(indicator, field)
                if not value:
                    continue
                shown = text_at(first_row, starts[field])
                # A cell with a finding starts with its glyph.
                assert shown.startswith(value[0]) or shown[:1] in "✗⚠", (field, shown[:10])
                checked += 1
            assert checked >= 3

    asyncio.run(run())


async def _conflict(pilot: Pilot[Any]) -> None:
    await _open_second_project(pilot)
    app = pilot.app
    assert isinstance(app, PerfgoalsApp)
    screen = app.main_screen
    draft = screen.draft
    assert draft is not None and draft.id is not None
    draft.set_cell(0, "value", "≥99次")
    draft.set_cell(1, "basis", "我改的依据")
    engine = screen.context.engine
    with write_session(engine) as session:
        theirs = repo.load_project(session, project_id=draft.id)
        theirs.goal.indicators[0].value = "≥88次"
        theirs.goal.indicators[0].basis = "他人修改的依据"
        repo.save_project(session, project=theirs, expected_revision=theirs.goal.revision, user="李四")
    await pilot.press("ctrl+s")
    await _settle(pilot)
    from perfgoals.tui.screens.merge import MergeDialog

    deadline = asyncio.get_running_loop().time() + 10
    while not isinstance(app.screen, MergeDialog):
        assert asyncio.get_running_loop().time() < deadline, "no merge dialog"
        await pilot.pause(0.02)
    await pilot.pause()


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
def test_merge_dialog_snapshot(snap_compare: Any, engine: Engine, size: tuple[int, int]) -> None:
    """Only the cell both changed is asked about (指标值); the colleague's 依据 is merged already."""
    app = PerfgoalsApp(TuiContext(engine=engine, user="测试员"))
    assert snap_compare(app, terminal_size=size, run_before=_conflict)
