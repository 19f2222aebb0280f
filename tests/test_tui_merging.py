"""Two people on one table, through the running TUI: saves merge by cell, only cells both changed are
asked about, undo cannot go around the revision check, a deleted project can be saved as new or
restored, a colleague's changes reach an open screen, and the recycle bin restores from the TUI.

Each runs on SQLite and (when PERFGOALS_TEST_PG is set) PostgreSQL, with the sample department; the
colleague is a second :class:`~perfgoals.tui.services.Store` (another user's session on the same
database) or a second app.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import pytest
from sqlalchemy.engine import Engine
from textual.pilot import Pilot

from perfgoals.models import Project
from perfgoals.storage import repository as repo
from perfgoals.storage import trash as bin_
from perfgoals.storage.db import read_session, write_session
from perfgoals.tui.app import PerfgoalsApp
from perfgoals.tui.screens.dialogs import GoneDialog
from perfgoals.tui.screens.merge import MergeDialog
from perfgoals.tui.screens.trash import TrashScreen
from perfgoals.tui.services import Store
from tests.test_tui_main import SIZE, asynctest, edit_cell, main_screen, make_app, open_project, settle
from tests.tui_main_sample import sample_department


@pytest.fixture
def sample(engine: Engine) -> Engine:
    """The conftest's database (SQLite, and PostgreSQL when available) holding the sample department."""
    with write_session(engine) as session:
        repo.save_department(session, department=sample_department(), user="样例", replace=False, action="demo")
    return engine


async def until(
    pilot: Pilot[None], ready: Callable[[], bool], timeout: float = 15.0, state: Callable[[], object] = str
) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while not ready():
        assert asyncio.get_running_loop().time() < deadline, f"the TUI did not get there in time {state()}"
        await pilot.pause(0.05)


def stored(engine: Engine, project_id: int) -> Project:
    with read_session(engine) as session:
        return repo.load_project(session, project_id=project_id)


def colleague_saves(engine: Engine, project_id: int, change: Callable[[Project], None]) -> Project:
    """李四 saves ``project_id`` with ``change`` applied, in his own session."""
    store = Store(engine, "李四")
    base = store.load_project(project_id)
    theirs = base.model_copy(deep=True)
    change(theirs)
    outcome = store.save(base, theirs)
    assert type(outcome).__name__ == "SavedProject"
    return store.load_project(project_id)


def toasts(app: PerfgoalsApp) -> str:
    return "\n".join(str(n.message) for n in app._notifications)


# --- merging by cell --------------------------------------------------------------------------------


@asynctest
async def test_disjoint_cells_of_two_people_are_both_kept_and_undo_cannot_drop_theirs(sample: Engine) -> None:
    app = make_app(sample)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_project(pilot, 0)
        screen = main_screen(app)
        project_id = screen.current_id
        assert project_id is not None
        await edit_cell(pilot, 0, "value", "≥30次")

        def theirs(p: Project) -> None:
            p.goal.indicators[1].basis = "李四的依据"

        colleague_saves(sample, project_id, theirs)
        await pilot.press("ctrl+s")
        await settle(pilot)
        await until(pilot, lambda: not screen.dirty_drafts())
        assert not isinstance(app.screen, MergeDialog)  # nothing both changed: no question
        now = stored(sample, project_id)
        assert (now.goal.indicators[0].value, now.goal.indicators[1].basis) == ("≥30次", "李四的依据")
        draft = screen.draft
        assert draft is not None and draft.cell(1, "basis") == "李四的依据"  # shown merged
        assert "已合并他人保存的 1 处修改" in toasts(app)
        # Undo the merge and save: the colleague's cell is merged in again, never overwritten.
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert draft.cell(1, "basis") != "李四的依据"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not isinstance(app.screen, MergeDialog)
        assert stored(sample, project_id).goal.indicators[1].basis == "李四的依据"


@asynctest
async def test_two_apps_on_one_database_edit_different_cells_and_both_keep_them(sample_file_engine: Engine) -> None:
    first, second = make_app(sample_file_engine, "张三"), make_app(sample_file_engine, "李四")
    async with first.run_test(size=SIZE) as one, second.run_test(size=SIZE) as two:
        await settle(one)
        await settle(two)
        await open_project(one, 0)
        await open_project(two, 0)
        project_id = main_screen(first).current_id
        assert project_id is not None and main_screen(second).current_id == project_id
        await edit_cell(one, 0, "value", "张三的值")
        await edit_cell(two, 1, "basis", "李四的依据")
        await one.press("ctrl+s")
        await settle(one)
        await until(one, lambda: not main_screen(first).dirty_drafts())
        await two.press("ctrl+s")
        await settle(two)
        await until(two, lambda: not main_screen(second).dirty_drafts())
        now = stored(sample_file_engine, project_id)
        assert (now.goal.indicators[0].value, now.goal.indicators[1].basis) == ("张三的值", "李四的依据")
        # The first screen hears of the second save and shows both (its draft was clean).
        await until(one, lambda: main_screen(first).drafts[project_id].cell(1, "basis") == "李四的依据")
        assert main_screen(first).drafts[project_id].cell(0, "value") == "张三的值"


@asynctest
async def test_the_same_cell_asks_only_that_cell_and_undo_asks_again(sample: Engine) -> None:
    app = make_app(sample)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_project(pilot, 0)
        screen = main_screen(app)
        project_id = screen.current_id
        assert project_id is not None
        await edit_cell(pilot, 0, "value", "≥30次")
        await edit_cell(pilot, 1, "basis", "我的依据")

        def theirs(p: Project) -> None:
            p.goal.indicators[0].value = "≥40次"
            p.notes = "李四的备注"

        colleague_saves(sample, project_id, theirs)
        await pilot.press("ctrl+s")
        await settle(pilot)
        await until(pilot, lambda: isinstance(app.screen, MergeDialog))
        dialog = app.screen
        assert isinstance(dialog, MergeDialog)
        assert [(c.row, c.column) for c in dialog.result.conflicts] == [(1, "value")]
        await pilot.press("2", "enter")  # 他人的
        await settle(pilot)
        await until(pilot, lambda: not screen.dirty_drafts())
        now = stored(sample, project_id)
        assert (now.goal.indicators[0].value, now.goal.indicators[1].basis, now.notes) == ("≥40次", "我的依据", "李四的备注")
        draft = screen.draft
        assert draft is not None and draft.cell(0, "value") == "≥40次"
        # ctrl+z brings my version back, with the older base: saving it asks again, never overwrites.
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert draft.cell(0, "value") == "≥30次" and draft.dirty
        await pilot.press("ctrl+s")
        await settle(pilot)
        await until(pilot, lambda: isinstance(app.screen, MergeDialog))
        assert [c.column for c in app.screen.result.conflicts] == ["value"]  # type: ignore[attr-defined]
        await pilot.press("escape")  # later
        await settle(pilot)
        assert stored(sample, project_id).goal.indicators[0].value == "≥40次"
        # Choosing 我的 this time is a choice, and it is saved.
        await pilot.press("ctrl+s")
        await settle(pilot)
        await until(pilot, lambda: isinstance(app.screen, MergeDialog))
        await pilot.press("1", "enter")
        await settle(pilot)
        await until(pilot, lambda: not screen.dirty_drafts())
        now = stored(sample, project_id)
        assert (now.goal.indicators[0].value, now.notes) == ("≥30次", "李四的备注")


@asynctest
async def test_taking_the_other_version_then_undo_and_save_never_overwrites_it(sample: Engine) -> None:
    app = make_app(sample)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_project(pilot, 0)
        screen = main_screen(app)
        project_id = screen.current_id
        assert project_id is not None
        await edit_cell(pilot, 0, "value", "≥30次")

        def theirs(p: Project) -> None:
            p.goal.indicators[0].value = "≥40次"

        colleague_saves(sample, project_id, theirs)
        await pilot.press("ctrl+s")
        await settle(pilot)
        await until(pilot, lambda: isinstance(app.screen, MergeDialog))
        await pilot.press("t", "enter")  # their value for the only cell: the draft is their version
        await settle(pilot)
        draft = screen.draft
        assert draft is not None and not draft.dirty and draft.cell(0, "value") == "≥40次"
        revision = stored(sample, project_id).goal.revision
        await pilot.press("ctrl+z", "ctrl+s")
        await settle(pilot)
        await until(pilot, lambda: isinstance(app.screen, MergeDialog))
        await pilot.press("escape")
        await settle(pilot)
        now = stored(sample, project_id)
        assert (now.goal.indicators[0].value, now.goal.revision) == ("≥40次", revision)


# --- a project deleted under someone --------------------------------------------------------------------


@asynctest
async def test_a_project_deleted_meanwhile_is_saved_as_new_or_restored(sample: Engine) -> None:
    app = make_app(sample)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = main_screen(app)
        assert screen.department is not None
        first, second = (p.id for p in screen.department.projects[:2])
        assert first is not None and second is not None
        colleague = Store(sample, "李四")
        name = screen.drafts[first].project.name
        # 1. save as new
        screen.select_project(first)
        await pilot.pause()
        await edit_cell(pilot, 0, "value", "删后另存")
        colleague.delete_project(first)
        await until(pilot, lambda: first in screen.workspace.gone)  # the watcher told the screen
        assert screen.drafts[first].cell(0, "value") == "删后另存"  # the edits stay
        await pilot.press("ctrl+s")
        await settle(pilot)
        await until(pilot, lambda: isinstance(app.screen, GoneDialog))
        await pilot.click("#save_as_new")
        await settle(pilot)
        await until(pilot, lambda: first not in screen.drafts)
        new_id = screen.current_id
        assert new_id is not None and new_id != first
        copy = stored(sample, new_id)
        assert (copy.name, copy.goal.indicators[0].value) == (name, "删后另存")
        assert not screen.dirty_drafts()
        # 2. restore, then save into it
        screen.select_project(second)
        await pilot.pause()
        await edit_cell(pilot, 0, "basis", "恢复后保存的依据")
        colleague.delete_project(second)
        await pilot.press("ctrl+s")
        await settle(pilot)
        await until(pilot, lambda: isinstance(app.screen, GoneDialog))
        await pilot.click("#restore")
        await settle(pilot)
        await until(pilot, lambda: not screen.dirty_drafts())
        back = stored(sample, second)
        assert back.goal.indicators[0].basis == "恢复后保存的依据"
        with read_session(sample) as session:
            assert not [e for e in bin_.list_trash(session, department_id=screen.department.id) if e.project_id == second]
        # 3. later: the edits stay, and leaving does not loop on them
        third = screen.department.projects[2].id
        assert third is not None
        screen.select_project(third)
        await pilot.pause()
        await edit_cell(pilot, 0, "basis", "稍后再说")
        colleague.delete_project(third)
        await pilot.press("ctrl+s")
        await settle(pilot)
        await until(pilot, lambda: isinstance(app.screen, GoneDialog))
        await pilot.press("escape")
        await settle(pilot)
        assert screen.drafts[third].cell(0, "basis") == "稍后再说"
        await pilot.press("ctrl+q")
        await settle(pilot)
        await pilot.click("#save")  # UnsavedDialog: save the others, leave the deleted one's edits journaled
        await settle(pilot)
        await until(pilot, lambda: not app.is_running)


# --- a colleague's changes reach the open screen -------------------------------------------------------


@asynctest
async def test_a_colleagues_saves_deletions_and_additions_refresh_the_screen(sample: Engine) -> None:
    app = make_app(sample)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = main_screen(app)
        assert screen.department is not None and screen.department.id is not None
        department_id = screen.department.id
        first, second, third = (p.id for p in screen.department.projects[:3])
        assert first is not None and second is not None and third is not None
        screen.select_project(second)
        await pilot.pause()
        await edit_cell(pilot, 0, "value", "我的未保存值")

        def basis(p: Project) -> None:
            p.goal.indicators[0].basis = "李四改的依据"

        colleague_saves(sample, first, basis)
        colleague_saves(sample, second, basis)
        await until(pilot, lambda: screen.drafts[first].cell(0, "basis") == "李四改的依据")
        assert not screen.drafts[first].dirty
        await pilot.pause(1.5)
        assert screen.drafts[second].cell(0, "value") == "我的未保存值"  # kept: its save merges
        assert screen.drafts[second].cell(0, "basis") != "李四改的依据"
        colleague = Store(sample, "李四")
        colleague.delete_project(third)
        await until(pilot, lambda: third not in screen.drafts)
        assert all(p.id != third for p in screen.department.projects)
        added = colleague.add_project(department_id, "李四新建的项目")
        await until(pilot, lambda: added.id in screen.drafts)
        with write_session(sample) as session:
            bin_.restore_project(session, project_id=third, user="李四")
        await until(pilot, lambda: third in screen.drafts)
        assert screen.drafts[second].cell(0, "value") == "我的未保存值"  # reloads keep drafts
        # Saving merges the colleague's cell in.
        await pilot.press("ctrl+s")
        await settle(pilot)
        await until(pilot, lambda: not screen.dirty_drafts())
        now = stored(sample, second)
        assert (now.goal.indicators[0].value, now.goal.indicators[0].basis) == ("我的未保存值", "李四改的依据")


# --- the recycle bin in the TUI ---------------------------------------------------------------------------


@asynctest
async def test_the_recycle_bin_restores_a_deleted_project_and_selects_it(sample_file_engine: Engine) -> None:
    app = make_app(sample_file_engine)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_project(pilot, 1)
        screen = main_screen(app)
        project_id = screen.current_id
        assert project_id is not None
        name = screen.drafts[project_id].project.name
        await pilot.press("f8")
        await settle(pilot)
        await pilot.click("#yes")
        await settle(pilot)
        await until(pilot, lambda: project_id not in screen.drafts)
        assert "ctrl+r" in toasts(app)
        await pilot.press("ctrl+r")
        await settle(pilot)
        await until(pilot, lambda: isinstance(app.screen, TrashScreen) and bool(app.screen.entries))
        trash = app.screen
        assert isinstance(trash, TrashScreen) and trash.entries[0].name == name
        await pilot.press("enter")
        await settle(pilot)
        await until(pilot, lambda: trash.restored == [project_id])
        await pilot.press("escape")
        await settle(pilot)
        await until(
            pilot,
            lambda: project_id in screen.drafts and screen.current_id == project_id,
            state=lambda: (project_id in screen.drafts, screen.current_id, app.screen, screen.loader.loading, toasts(app)),
        )
        assert screen.drafts[project_id].project.name == name


def test_the_recycle_bin_is_in_help_and_the_palette(sample_file_engine: Engine) -> None:
    app = make_app(sample_file_engine)
    bindings = [b for _, b in app.all_bindings() if b.id == "main.trash"]
    assert bindings and bindings[0].description.startswith("回收站") and bindings[0].key == "ctrl+r"

    async def run() -> None:
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            titles = [command.title for command in app.get_system_commands(app.screen)]
            assert any(title.startswith("回收站") for title in titles)
            await pilot.press("f1")
            await until(pilot, lambda: type(app.screen).__name__ == "HelpScreen")
            entries = app.screen.entries  # type: ignore[attr-defined]
            assert any(e.description.startswith("回收站") and "main.trash" not in e.description for e in entries)

    asyncio.run(run())
