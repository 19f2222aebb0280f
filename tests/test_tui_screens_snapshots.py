"""Snapshots of the secondary screens at 80×24, on the sample department (pytest-textual-snapshot).

Update after a deliberate change of layout with ``pytest tests/test_tui_screens_snapshots.py --snapshot-update``
and look at the SVGs before committing them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.engine import Engine
from textual.pilot import Pilot
from textual.widgets import DataTable, Input

from perfgoals.storage import repository as repo
from perfgoals.storage.db import open_database, write_session
from perfgoals.tui.context import TuiContext
from perfgoals.tui.screens.budget_lines import BudgetLinesScreen
from perfgoals.tui.screens.departments import DepartmentsScreen
from perfgoals.tui.screens.export import ExportScreen
from perfgoals.tui.screens.findings import FindingsScreen
from perfgoals.tui.screens.help import HelpScreen
from perfgoals.tui.screens.reconciliation import ReconciliationScreen
from tests.test_tui_screens import Host, sample_department, settle

SIZE = (80, 24)


@pytest.fixture
def context(tmp_path: Path) -> Iterator[TuiContext]:
    engine: Engine = open_database(str(tmp_path / "snap.db"))
    with write_session(engine) as session:
        department_id = repo.save_department(session, department=sample_department(), user="测试员")
    yield TuiContext(engine, "王芳", department_id)
    engine.dispose()


def _host(make: Callable[[], Any]) -> Host:
    return Host(make)


async def _settled(pilot: Pilot[Any]) -> None:
    await settle(pilot)
    steady_cursors(pilot)


def steady_cursors(pilot: Pilot[Any]) -> None:
    """Stop text cursors blinking, so that a screenshot does not depend on when it was taken."""
    for field in pilot.app.screen.query(Input):
        field.cursor_blink = False


def test_departments_screen(snap_compare: Any, context: TuiContext) -> None:
    assert snap_compare(_host(lambda: DepartmentsScreen(context)), terminal_size=SIZE, run_before=_settled)


def test_department_dialog(snap_compare: Any, context: TuiContext) -> None:
    async def open_dialog(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        await pilot.press("n")
        await pilot.pause()
        steady_cursors(pilot)
        await pilot.pause()

    assert snap_compare(_host(lambda: DepartmentsScreen(context)), terminal_size=SIZE, run_before=open_dialog)


def test_budget_lines_screen(snap_compare: Any, context: TuiContext) -> None:
    assert snap_compare(_host(lambda: BudgetLinesScreen(context)), terminal_size=SIZE, run_before=_settled)


def test_budget_line_dialog_with_error(snap_compare: Any, context: TuiContext) -> None:
    async def bad_code(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        await pilot.press("a")
        await pilot.pause()
        pilot.app.screen.query_one("#code", Input).value = "2069901"
        pilot.app.screen.query_one("#name", Input).value = "其他科学技术支出"
        pilot.app.screen.query_one("#name", Input).focus()
        await pilot.press("enter")
        steady_cursors(pilot)
        await pilot.pause()

    assert snap_compare(_host(lambda: BudgetLinesScreen(context)), terminal_size=SIZE, run_before=bad_code)


def test_reconciliation_screen(snap_compare: Any, context: TuiContext) -> None:
    async def on_a_leaf(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        table = pilot.app.screen.query_one("#recon-lines", DataTable)
        table.move_cursor(row=[str(table.get_row_at(i)[0]) for i in range(table.row_count)].index("2060702"))
        await pilot.pause()

    assert snap_compare(
        _host(lambda: ReconciliationScreen(context)), terminal_size=SIZE, run_before=on_a_leaf
    )


def test_findings_screen(snap_compare: Any, context: TuiContext) -> None:
    assert snap_compare(_host(lambda: FindingsScreen(context)), terminal_size=SIZE, run_before=_settled)


def test_export_screen(snap_compare: Any, context: TuiContext) -> None:
    async def fixed_path(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        pilot.app.screen.query_one("#path", Input).value = "exports/731-2022.xlsx"
        steady_cursors(pilot)
        await pilot.pause()

    assert snap_compare(
        _host(lambda: ExportScreen(context, directory=Path("exports"))),
        terminal_size=SIZE,
        run_before=fixed_path,
    )


def test_help_screen(snap_compare: Any, context: TuiContext) -> None:
    async def open_help(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        pilot.app.push_screen(HelpScreen(context))
        await pilot.pause()

    assert snap_compare(_host(lambda: BudgetLinesScreen(context)), terminal_size=SIZE, run_before=open_help)
