"""Saving the main screen's drafts (ctrl+s, and before leaving), and what happens when a colleague
saved or deleted a project meanwhile.

Each dirty draft is saved by :meth:`perfgoals.tui.services.Store.save` in a worker, over the revision
its edits started from.  The outcomes come back one by one:

- saved: the draft is clean at the new revision (edits made meanwhile stay unsaved);
- a conflict: shown by :attr:`SaveFlow.resolve_conflict`, one dialog at a time — the seam for the
  three-way merge: replace it (``flow.resolve_conflict = my_resolver``) to show only the cells both
  sides changed, and return the resolved project to save;
- gone (deleted meanwhile): :attr:`SaveFlow.on_gone`, the seam for "save as new / restore"; by default
  the edits stay in the draft and the user is told, and leaving is not held up by it.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from perfgoals.errors import PerfgoalsError
from perfgoals.tui.services import ProjectGone, SaveConflict, SavedProject, SaveOutcome

if TYPE_CHECKING:
    from perfgoals.models import Project
    from perfgoals.tui.screens.main import MainScreen
    from perfgoals.tui.services import Store
    from perfgoals.tui.workspace import Workspace

#: How a conflict is settled: called with (project id, the conflict, done); ``done`` gets the project
#: to save now over the other version (``None``: keep the draft unsaved for now).
ConflictResolver = Callable[[int, SaveConflict, Callable[["Project | None"], None]], None]
#: What to do with a draft whose project was deleted meanwhile.
GoneHandler = Callable[[ProjectGone], None]


def dialogs() -> Any:
    return importlib.import_module("perfgoals.tui.screens.dialogs")


class SaveFlow:
    """Saves drafts in workers and settles conflicts one at a time (see the module docstring)."""

    def __init__(self, screen: MainScreen, workspace: Workspace, store: Store) -> None:
        self.screen = screen
        self.workspace = workspace
        self.store = store
        self.saving = 0
        self._after_save: Callable[[], None] | None = None
        self._conflicts: list[tuple[int, SaveConflict]] = []
        self._conflict_open = False
        self._gone: set[int] = set()
        self.resolve_conflict: ConflictResolver = self._ask_mine_or_theirs
        self.on_gone: GoneHandler = self._tell_gone

    # -- saving ---------------------------------------------------------------------------------

    def save(self, then: Callable[[], None] | None = None) -> None:
        """Save every dirty draft; then run ``then`` if all were saved."""
        self.screen.cells.commit_open()
        dirty = [d for d in self.workspace.dirty_drafts() if d.id is not None and d.id not in self._gone]
        if not dirty:
            if self.workspace.dirty_drafts():
                self.screen.notify("未保存的修改属于已被删除的项目，请另存为新项目或恢复该项目", severity="warning")
            else:
                self.screen.notify("没有需要保存的修改", timeout=2)
            if then is not None:
                then()
            return
        self._after_save = then
        items = [(d.id, d.saved, d.project.model_copy(deep=True)) for d in dirty if d.id is not None]
        self._start(items)

    def _start(self, items: list[tuple[int, Project, Project]]) -> None:
        self.saving += 1
        self.screen.view.refresh_title()
        screen, store = self.screen, self.store

        def run() -> None:
            saved = failed = 0
            for project_id, base, mine in items:
                try:
                    outcome: SaveOutcome = store.save(base, mine)
                except PerfgoalsError as exc:
                    failed += 1
                    screen.call_later(screen.failed, "保存", f"“{mine.name}”：{exc}")
                    continue
                except Exception as exc:  # keep the edits: an unexpected error must not end the app
                    failed += 1
                    screen.call_later(
                        screen.failed, "保存", f"“{mine.name}”：意外错误 {exc!r}，修改仍保留在界面中"
                    )
                    continue
                if isinstance(outcome, SavedProject):
                    saved += 1
                else:
                    failed += 1
                screen.call_later(self._outcome, project_id, outcome)
            screen.call_later(self._finished, saved, failed)

        screen.run_worker(run, thread=True, group="write", description="保存")

    def _outcome(self, project_id: int, outcome: SaveOutcome) -> None:
        if isinstance(outcome, SavedProject):
            self.workspace.mark_saved(project_id, outcome.project)
            self.screen.view.project_saved(project_id)
        elif isinstance(outcome, SaveConflict):
            self._conflicts.append((project_id, outcome))
            self._next_conflict()
        else:
            self._gone.add(project_id)
            self.on_gone(outcome)

    def _finished(self, saved: int, failed: int) -> None:
        self.saving = max(0, self.saving - 1)
        self.screen.view.refresh_title()
        then, self._after_save = self._after_save, None
        if failed:
            return
        self.screen.notify(f"已保存 {saved} 个项目", timeout=3)
        if then is not None:
            then()

    # -- conflicts --------------------------------------------------------------------------------

    def _next_conflict(self) -> None:
        if self._conflict_open or not self._conflicts:
            return
        project_id, conflict = self._conflicts.pop(0)
        if project_id not in self.workspace.drafts:
            self._next_conflict()
            return
        self._conflict_open = True

        def done(project: Project | None) -> None:
            self._conflict_open = False
            if project is not None:
                draft = self.workspace.drafts.get(project_id)
                if draft is not None:
                    self._start([(project_id, conflict.current, project)])
            self._next_conflict()

        self.resolve_conflict(project_id, conflict, done)

    def _ask_mine_or_theirs(self, project_id: int, conflict: SaveConflict, done: Callable[[Project | None], None]) -> None:
        """The whole-project choice: keep mine (saved over theirs) or take theirs (mine kept for undo)."""
        draft = self.workspace.drafts[project_id]

        def decided(choice: str | None) -> None:
            if choice == "mine":
                done(draft.project.model_copy(deep=True))
                return
            if choice == "theirs":
                self.workspace.take_saved_version(project_id, conflict.current)
                self.screen.view.project_replaced(project_id)
                self.screen.notify("已采用已保存的版本（ctrl+z 可找回你的修改）", timeout=5)
            else:
                self.screen.notify("修改未保存；再按 ctrl+s 时会再次提示冲突", severity="warning", timeout=5)
            done(None)

        self.screen.app.push_screen(dialogs().ConflictDialog(draft.project, conflict.current, conflict.message), decided)

    def _tell_gone(self, gone: ProjectGone) -> None:
        draft = self.workspace.drafts.get(gone.project_id)
        name = draft.project.name if draft is not None else str(gone.project_id)
        self.screen.notify(
            f"项目“{name}”已被删除，你的修改未保存，仍保留在界面中。{gone.message}",
            title="保存失败",
            severity="error",
            timeout=15,
        )

    # -- leaving --------------------------------------------------------------------------------

    def confirm_leave(self, leaving: str, proceed: Callable[[], None]) -> None:
        """Run ``proceed`` now, or after asking what to do with unsaved edits.

        Drafts of projects deleted meanwhile cannot be saved: they are named, and "save" saves the
        others and then leaves, rather than failing on them again and again.
        """
        dirty = self.workspace.dirty_drafts()
        if not dirty:
            proceed()
            return

        def answered(choice: str | None) -> None:
            if choice == "save":
                self.save(then=proceed)
            elif choice == "discard":
                self.workspace.discard(dirty)
                proceed()

        self.screen.app.push_screen(dialogs().UnsavedDialog([d.project.name for d in dirty], leaving), answered)
