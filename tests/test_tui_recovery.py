"""A crash never costs work: unsaved edits are journaled as they happen and offered back at the next
start, by the running TUI (Pilot) and by a real ``perfgoals`` process killed with SIGKILL."""

from __future__ import annotations

import asyncio
import os
import signal
import struct
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from textual.pilot import Pilot

from perfgoals.journal import load_recovery, recovery_path
from perfgoals.storage import repository as repo
from perfgoals.storage.db import open_database, read_session
from perfgoals.tui.screens.dialogs import ConfirmDialog
from perfgoals.tui.screens.recovery import RecoveryDialog
from tests.test_tui_main import SIZE, asynctest, edit_cell, main_screen, make_app, open_project, settle

USER = "测试员"


async def until(pilot: Pilot[None], ready: Callable[[], bool], timeout: float = 15.0) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while not ready():
        assert asyncio.get_running_loop().time() < deadline, "the TUI did not get there in time"
        await pilot.pause(0.05)


def url_of(engine: Engine) -> str:
    return engine.url.render_as_string(hide_password=False)


async def _leave_unsaved_edits(engine: Engine) -> tuple[int, int]:
    """Edit two cells of the second project and stop without saving or discarding (as a crash would)."""
    app = make_app(engine, USER)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_project(pilot, 1)
        screen = main_screen(app)
        project_id = screen.current_id
        assert project_id is not None
        await edit_cell(pilot, 0, "value", "崩溃前的值")
        await edit_cell(pilot, 1, "basis", "崩溃前的依据")
        revision = screen.drafts[project_id].revision
        found = load_recovery(url_of(engine), USER)
        assert [d.project_id for d in found] == [project_id]
        assert found[0].draft.mine.goal.indicators[0].value == "崩溃前的值"
        assert found[0].base_revision == revision
    return project_id, revision


@asynctest
async def test_edits_are_journaled_and_restored_at_the_next_start(sample_file_engine: Engine) -> None:
    engine = sample_file_engine
    project_id, _ = await _leave_unsaved_edits(engine)
    app = make_app(engine, USER)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: isinstance(app.screen, RecoveryDialog))
        await pilot.press("r")
        await settle(pilot)
        screen = main_screen(app)
        await until(pilot, lambda: project_id in screen.workspace.dirty_ids())
        draft = screen.drafts[project_id]
        assert (draft.cell(0, "value"), draft.cell(1, "basis")) == ("崩溃前的值", "崩溃前的依据")
        assert load_recovery(url_of(engine), USER)  # still journaled until saved
        await pilot.press("ctrl+s")
        await settle(pilot)
        await until(pilot, lambda: not screen.dirty_drafts())
        assert load_recovery(url_of(engine), USER) == []  # saved: the file is gone
    with read_session(engine) as session:
        project = repo.load_project(session, project_id=project_id)
    assert (project.goal.indicators[0].value, project.goal.indicators[1].basis) == ("崩溃前的值", "崩溃前的依据")


@asynctest
async def test_discarding_removes_the_file_and_later_keeps_it_untouched(sample_file_engine: Engine) -> None:
    engine = sample_file_engine
    project_id, _ = await _leave_unsaved_edits(engine)
    path = recovery_path(url_of(engine), USER)
    before = path.read_bytes()
    # 稍后: the file stays as it was, whatever is edited this session.
    app = make_app(engine, USER)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: isinstance(app.screen, RecoveryDialog))
        await pilot.press("escape")
        await settle(pilot)
        screen = main_screen(app)
        await until(pilot, lambda: screen.department is not None)
        assert not screen.dirty_drafts()
        await open_project(pilot, 0)
        await edit_cell(pilot, 0, "value", "本次的修改")
        assert path.read_bytes() == before
    # 放弃 (confirmed): the file goes, nothing is restored.
    app = make_app(engine, USER)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: isinstance(app.screen, RecoveryDialog))
        await pilot.press("d")
        await until(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        await pilot.click("#yes")
        await settle(pilot)
        screen = main_screen(app)
        await until(pilot, lambda: screen.department is not None)
        assert not path.exists() and not screen.dirty_drafts()
        assert project_id in screen.drafts


@asynctest
async def test_a_restored_draft_of_a_project_deleted_meanwhile_can_still_be_saved(sample_file_engine: Engine) -> None:
    engine = sample_file_engine
    project_id, _ = await _leave_unsaved_edits(engine)
    from perfgoals.tui.services import Store

    Store(engine, "李四").delete_project(project_id)
    app = make_app(engine, USER)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: isinstance(app.screen, RecoveryDialog))
        await pilot.press("r")
        await settle(pilot)
        screen = main_screen(app)
        await until(pilot, lambda: project_id in screen.workspace.gone)
        assert screen.drafts[project_id].cell(0, "value") == "崩溃前的值"
        await pilot.press("ctrl+s")
        await settle(pilot)
        from perfgoals.tui.screens.dialogs import GoneDialog

        await until(pilot, lambda: isinstance(app.screen, GoneDialog))
        await pilot.click("#restore")
        await settle(pilot)
        await until(pilot, lambda: not screen.dirty_drafts())
    with read_session(engine) as session:
        assert repo.load_project(session, project_id=project_id).goal.indicators[0].value == "崩溃前的值"


# --- a real process, killed -------------------------------------------------------------------------------


PERFGOALS = Path(sys.executable).with_name("perfgoals")


class Terminal:
    """``perfgoals`` on a pseudo-terminal of 120×40; what it draws is collected."""

    def __init__(self, env: dict[str, str]) -> None:
        import pty

        pid, fd = pty.fork()
        if pid == 0:  # the child: the TUI itself
            os.execve(str(PERFGOALS), [str(PERFGOALS)], env)
        self.pid, self.fd = pid, fd
        import fcntl
        import termios

        fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
        self.output = bytearray()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        while True:
            try:
                chunk = os.read(self.fd, 65536)
            except OSError:
                return
            if not chunk:
                return
            self.output.extend(chunk)

    def shown(self, text: str) -> bool:
        return text.encode() in self.output

    def wait_for(self, ready: Callable[[], bool], what: str, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        while not ready():
            if time.monotonic() > deadline:
                tail = self.output[-3000:].decode(errors="replace")
                raise AssertionError(f"perfgoals did not get to {what}; last output: {tail!r}")
            time.sleep(0.1)

    def send(self, keys: str) -> None:
        os.write(self.fd, keys.encode())
        time.sleep(0.3)

    def kill(self) -> None:
        os.kill(self.pid, signal.SIGKILL)
        os.waitpid(self.pid, 0)
        os.close(self.fd)

    def wait_exit(self, timeout: float = 30.0) -> int:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            done, status = os.waitpid(self.pid, os.WNOHANG)
            if done:
                os.close(self.fd)
                return os.waitstatus_to_exitcode(status)
            time.sleep(0.1)
        self.kill()
        raise AssertionError("perfgoals did not exit")


@pytest.mark.skipif(not PERFGOALS.exists() or sys.platform == "win32", reason="needs the installed perfgoals and a pty")
def test_a_killed_tui_s_edits_come_back_when_it_restarts(tmp_path: Path) -> None:
    import subprocess

    database = tmp_path / "killed.db"
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(tmp_path),
        "TERM": "xterm-256color",
        "LANG": "C.UTF-8",
        "PERFGOALS_DB": str(database),
        "PERFGOALS_USER": USER,
        "PERFGOALS_CONFIG_DIR": str(tmp_path / "config"),
        "PERFGOALS_RECOVERY_DIR": str(tmp_path / "recovery"),
    }
    subprocess.run([str(PERFGOALS), "demo"], env=env, check=True, capture_output=True, timeout=120)
    url = f"sqlite:///{database}"
    folder = tmp_path / "recovery"

    first = Terminal(env)
    try:
        first.wait_for(lambda: first.shown("绩效指标"), "the main screen")
        time.sleep(1.0)
        first.send("\r")  # the project list → the first project's grid
        first.send("\x1b[C\x1b[C")  # → 三级
        first.send("培训班次")  # one burst, as an IME commits a word
        first.send("\r")
        first.wait_for(
            lambda: any(
                i.level3 == "培训班次" for d in load_recovery(url, USER, directory=folder) for i in d.draft.mine.goal.indicators
            ),
            "the journal holding the edit",
            timeout=30,
        )
    finally:
        first.kill()  # SIGKILL: no chance to save or clean up

    drafts = load_recovery(url, USER, directory=folder)
    assert len(drafts) == 1
    project_id = drafts[0].project_id

    second = Terminal(env)
    try:
        second.wait_for(lambda: second.shown("恢复未保存的修改"), "the recovery dialog")
        second.send("r")
        second.wait_for(lambda: second.shown("已恢复 1 个项目"), "the restored edits")
        second.send("\x13")  # ctrl+s
        second.wait_for(lambda: not load_recovery(url, USER, directory=folder), "the save (the journal cleared)", timeout=30)
        second.send("\x11")  # ctrl+q: nothing unsaved, so it leaves at once
        assert second.wait_exit() == 0
    except BaseException:
        second.kill()
        raise
    engine = open_database(url)
    try:
        with read_session(engine) as session:
            project = repo.load_project(session, project_id=project_id)
    finally:
        engine.dispose()
    assert [i.level3 for i in project.goal.indicators if i.level3 == "培训班次"] == ["培训班次"]
