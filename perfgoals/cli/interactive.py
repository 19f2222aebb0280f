"""``perfgoals tui``: the terminal UI (also what ``perfgoals`` alone opens)."""

from __future__ import annotations

import click

from perfgoals.cli import AppState, department_options, handled, main, pass_state


@main.command()
@department_options
@pass_state
def tui(state: AppState, department: str | None = None, year: int | None = None) -> None:
    """打开终端界面，填写、检查和保存绩效目标表（空数据库时可装入示例部门）。"""
    from perfgoals.tui.app import PerfgoalsApp
    from perfgoals.tui.context import TuiContext

    with handled():
        engine = state.engine()
        department_id: int | None = None
        if department is not None or year is not None:
            # Only then: the repository imports the SQLModel tables, which the first screen need not wait for.
            from perfgoals.storage import repository as repo
            from perfgoals.storage.db import read_session

            with read_session(engine) as session:
                department_id = repo.find_department(session, code=department, year=year).id
    PerfgoalsApp(TuiContext(engine=engine, user=state.user, department_id=department_id)).run()
    click.echo("", nl=False)
