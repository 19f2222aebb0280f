"""The conflict, recycle-bin and recovery dialogs, each driven with Pilot in a minimal host app."""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable, Coroutine
from decimal import Decimal as D
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.engine import Engine
from textual.app import App, ComposeResult
from textual.widgets import DataTable, Static

from perfgoals.journal import Journal, load_recovery
from perfgoals.merge import WHOLE_ROW, Draft, merge_projects
from perfgoals.models import GoalTable, Indicator, Project
from perfgoals.storage import repository as repo
from perfgoals.storage import trash as bin_
from perfgoals.storage.db import read_session, write_session
from perfgoals.tui.context import TuiContext
from perfgoals.tui.screens._common import StatusLine
from perfgoals.tui.screens.merge import ConflictTable, MergeDialog
from perfgoals.tui.screens.recovery import RecoveryChoice, RecoveryDialog
from perfgoals.tui.screens.trash import TrashScreen

APP_CSS = Path(__file__).resolve().parent.parent / "perfgoals" / "tui" / "app.tcss"


class Host(App[None]):
    """Pushes one screen and keeps what it dismissed with; styled by the app's stylesheet."""

    CSS_PATH = APP_CSS

    def __init__(self, make_screen: Callable[[], Any]) -> None:
        super().__init__()
        self.make_screen = make_screen
        self.results: list[Any] = []

    def compose(self) -> ComposeResult:
        yield Static("主界面")

    def on_mount(self) -> None:
        self.push_screen(self.make_screen(), self.results.append)


def run_async(test: Callable[..., Coroutine[Any, Any, None]]) -> Callable[..., None]:
    @functools.wraps(test)
    def wrapper(*args: Any, **kwargs: Any) -> None:
        asyncio.run(test(*args, **kwargs))

    return wrapper


async def until(pilot: Any, ready: Callable[[], bool], *, timeout: float = 10.0) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while not ready():
        assert asyncio.get_running_loop().time() < deadline, "the TUI did not get there in time"
        await pilot.pause(0.01)


# --- the conflict dialog ------------------------------------------------------------------------------


def _row(name: str, value: str) -> Indicator:
    return Indicator(level1="产出指标", level2="数量指标", level3=name, value=value, basis="方案")


def _project(rows: list[Indicator], revision: int, **fields: Any) -> Project:
    return Project(id=3, name="科普活动", budget_amount=D("10"), goal=GoalTable(indicators=rows, revision=revision), **fields)


BASE = _project([_row("培训班次", "≥20次"), _row("参训人数", "≥500人"), _row("满意度", "≥95%")], 2)
MINE = _project(
    [_row("培训班次", "≥25次"), _row("参训人数", "≥600人"), _row("满意度", "≥96%")], 2, notes="我的备注", owner="王芳"
)
THEIRS = _project(
    [_row("培训班次", "≥30次"), _row("参训人数", "≥700人")], 5, notes="他人的备注", implementing_unit="科技馆"
)


def _merge_app() -> tuple[Host, Any]:
    result = merge_projects(BASE, MINE, THEIRS)
    return Host(lambda: MergeDialog(result)), result


@run_async
async def test_the_dialog_lists_only_the_conflicting_cells_and_applies_each_answer() -> None:
    app, result = _merge_app()
    # 负责人 (mine only) and 实施单位 (theirs only) merged without a question.
    assert result.taken_from_theirs == ("实施单位",)
    async with app.run_test(size=(110, 30)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, MergeDialog))
        dialog = app.screen
        table = dialog.query_one(ConflictTable)
        assert [(c.row, c.column) for c in result.conflicts] == [
            (None, "notes"),
            (1, "value"),
            (2, "value"),
            (3, WHOLE_ROW),
        ]
        assert table.row_count == 4
        assert [str(cell) for cell in table.get_row_at(1)] == ["第 1 行（培训班次）", "指标值", "● ≥25次", "○ ≥30次", "○ ≥20次"]
        assert "他人的另外 1 处修改已自动合并" in str(dialog.query_one("#merge-intro", Static).render())
        # 备注: 他人的 (2); 第 1 行: t then → (合并前); 第 2 行: 3 then ← (他人的); the deleted row: keep mine.
        await pilot.press("2", "down", "t", "right", "down", "3", "left")
        detail = str(dialog.query_one("#merge-detail", Static).render())
        assert "● 他人的：≥700人" in detail and "○ 我的：≥600人" in detail
        assert str(table.get_row_at(1)[4]) == "● ≥20次"
        await pilot.press("down", "enter")
        await pilot.pause()
    [resolved] = app.results
    assert (resolved.notes, resolved.owner, resolved.implementing_unit) == ("他人的备注", "王芳", "科技馆")
    assert [(r.level3, r.value) for r in resolved.goal.indicators] == [
        ("培训班次", "≥20次"),
        ("参训人数", "≥700人"),
        ("满意度", "≥96%"),
    ]
    assert resolved.goal.revision == 5 and resolved.id == 3


@run_async
async def test_a_deleted_row_can_be_taken_and_escape_postpones() -> None:
    app, _ = _merge_app()
    async with app.run_test(size=(110, 30)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, MergeDialog))
        await pilot.press("end", "down", "down", "down", "m", "t")
        assert "（已删除）" in str(app.screen.query_one("#merge-detail", Static).render())
        await pilot.click("#merge-apply")
        await pilot.pause()
    [resolved] = app.results
    assert [r.level3 for r in resolved.goal.indicators] == ["培训班次", "参训人数"]

    app, _ = _merge_app()
    async with app.run_test(size=(110, 30)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, MergeDialog))
        await pilot.press("2", "escape")
        await pilot.pause()
    assert app.results == [None]


@run_async
async def test_the_dialog_fits_a_small_terminal() -> None:
    app, _ = _merge_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, MergeDialog))
        region = app.screen.query_one("#merge-apply").region
        assert region.bottom <= 24 and region.right <= 80
        table = app.screen.query_one(ConflictTable)
        assert table.virtual_size.width <= table.size.width  # 我的 / 他人的 / 合并前 all on screen
        await pilot.press("enter")
        await pilot.pause()
    assert len(app.results) == 1 and app.results[0].notes == "我的备注"


# --- the recycle bin ----------------------------------------------------------------------------------


def _binned(engine: Engine) -> tuple[int, list[Project]]:
    with read_session(engine) as session:
        key = repo.find_department(session)
        projects = repo.load_department(session, department_id=key.id).projects[:2]
    with write_session(engine) as session:
        for project in projects:
            repo.delete_project(session, project_id=project.id or 0, user="李明")
        # The first one's name is taken again meanwhile.
        repo.add_project(session, department_id=key.id, project=Project(name=projects[0].name), user="李明")
    return key.id, projects


@run_async
async def test_the_bin_lists_and_restores_with_a_suffix_when_the_name_is_taken(sample_file_engine: Engine) -> None:
    department_id, (first, second) = _binned(sample_file_engine)
    app = Host(lambda: TrashScreen(TuiContext(sample_file_engine, "王芳", department_id)))
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, TrashScreen) and app.screen.query_one(DataTable).row_count == 2)
        screen = app.screen
        table = screen.query_one(DataTable)
        assert table.virtual_size.width <= table.size.width  # every column on screen at 80×24
        shown = {str(table.get_row_at(i)[0]) for i in range(2)}
        assert shown == {first.name, second.name}
        assert str(table.get_row_at(0)[1]) == "李明"
        # Restore the row showing the first project.
        target = next(i for i in range(2) if str(table.get_row_at(i)[0]) == first.name)
        table.move_cursor(row=target)
        await pilot.press("enter")
        await until(pilot, lambda: table.row_count == 1)
        status = str(screen.query_one(StatusLine).render())
        assert f"改名为“{first.name}（恢复）”" in status
        await pilot.press("r")
        await until(pilot, lambda: table.row_count == 0)
        assert "回收站是空的" in str(screen.query_one("#trash-empty", Static).render())
        await pilot.press("escape")
        await pilot.pause()
    assert app.results == [[first.id, second.id]]
    with read_session(sample_file_engine) as session:
        names = [p.name for p in repo.load_department(session, department_id=department_id).projects]
        assert bin_.list_trash(session) == []
    assert names[:2] == [f"{first.name}（恢复）", second.name]


# --- recovery -----------------------------------------------------------------------------------------


def _recovered(tmp_path: Path) -> list[Any]:
    mine = BASE.model_copy(update={"notes": "崩溃前的修改", "goal": MINE.goal})
    Journal("sqlite:////x.db", "王芳", directory=tmp_path).write([Draft(BASE, mine)], departments={3: (1, "731 科协")})
    return load_recovery("sqlite:////x.db", "王芳", directory=tmp_path)


@pytest.mark.parametrize(
    ("keys", "expected"),
    [(("r",), RecoveryChoice.RESTORE), (("escape",), RecoveryChoice.LATER), (("d",), RecoveryChoice.DISCARD)],
)
@run_async
async def test_recovery_offers_restore_discard_and_later(
    tmp_path: Path, keys: tuple[str, ...], expected: RecoveryChoice
) -> None:
    drafts = _recovered(tmp_path)
    app = Host(lambda: RecoveryDialog(drafts))
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, RecoveryDialog))
        table = app.screen.query_one(DataTable)
        assert table.virtual_size.width <= table.size.width
        row = [str(cell) for cell in table.get_row_at(0)]
        assert row[:3] == ["科普活动", "731 科协", "第 2 版"]
        detail = str(app.screen.query_one("#recovery-detail", Static).render())
        assert detail == "科普活动：备注、第 1 行 指标值、第 2 行 指标值、第 3 行 指标值"
        assert row[3].startswith("4 处：备注、第 1 行 指标值、第 2 行 指标值等")
        if keys == ("d",):
            await pilot.press("d")
            await until(pilot, lambda: bool(app.screen.query("#yes")))
            assert "放弃后无法找回" in str(app.screen.query_one(".dialog-question", Static).render())
            # The confirmation starts on 返回: Enter there keeps the dialog.
            await pilot.press("enter")
            await until(pilot, lambda: isinstance(app.screen, RecoveryDialog))
            await pilot.press("d")
            await until(pilot, lambda: bool(app.screen.query("#yes")))
            await pilot.click("#yes")
        else:
            await pilot.press(*keys)
        await pilot.pause()
    assert app.results == [expected]
