"""Saving the main screen's drafts (ctrl+s, and before leaving), merging what colleagues saved meanwhile.

Each dirty draft is saved by :meth:`perfgoals.tui.services.Store.save` in a worker: a three-way merge
(:func:`perfgoals.storage.merging.merge_and_save`) over the revision its edits started from, the
draft's base, which undo and redo carry with the content (so neither can go around the check).
The outcomes come back one by one:

- saved: the draft is clean at the new revision (edits made meanwhile stay unsaved); when a
  colleague's cells were merged in, the draft shows them (one undo step) and the status says how many;
- both changed some cells: :attr:`SaveFlow.resolve_conflict` (by default
  :class:`~perfgoals.tui.screens.merge.MergeDialog`, the cells both changed, each 我的 / 他人的 / 合并前),
  one question at a time; the answer becomes the draft over the colleague's version (an undo step)
  and is saved again;
- deleted meanwhile: :attr:`SaveFlow.on_gone` (by default :class:`~perfgoals.tui.screens.dialogs.GoneDialog`:
  另存为新项目 / 恢复后保存 / 稍后).  Leaving does not wait for such a draft: its edits stay in the
  crash journal and are offered back at the next start.
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
#: What to do with a draft whose project was deleted meanwhile: called with (the outcome, done).
GoneHandler = Callable[[ProjectGone, Callable[[], None]], None]


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
        self._questions: list[tuple[int, SaveConflict | ProjectGone]] = []
        self._question_open = False
        self.resolve_conflict: ConflictResolver = self._ask_merge
        self.on_gone: GoneHandler = self._ask_gone

    # -- saving ---------------------------------------------------------------------------------

    def save(self, then: Callable[[], None] | None = None) -> None:
        """Save every dirty draft; then run ``then`` if all were saved.

        When leaving (``then``), drafts of projects deleted meanwhile are not tried again: their edits
        stay in the crash journal, offered back at the next start."""
        self.screen.cells.commit_open()
        dirty = [d for d in self.workspace.dirty_drafts() if d.id is not None]
        if then is not None:
            left = [d for d in dirty if d.id in self.workspace.gone]
            dirty = [d for d in dirty if d.id not in self.workspace.gone]
            if left:
                names = "、".join(f"“{d.project.name}”" for d in left)
                self.screen.notify(
                    f"{names}已被删除，修改未保存；已记入恢复文件，下次启动时可以恢复",
                    severity="warning",
                    timeout=8,
                )
        if not dirty:
            if then is None:
                self.screen.notify("没有需要保存的修改", timeout=2)
            else:
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
                screen.call_later(self.outcome, project_id, mine, outcome)
            screen.call_later(self._finished, saved, failed)

        screen.run_worker(run, thread=True, group="write", description="保存")

    def outcome(self, project_id: int, sent: Project, outcome: SaveOutcome) -> None:
        """What a save of ``sent`` came to (on the UI thread)."""
        if isinstance(outcome, SavedProject):
            merged = outcome.merged is not None
            self.workspace.mark_saved(project_id, outcome.project, sent=sent, merged=merged)
            if merged:
                self.screen.view.project_replaced(project_id)
                self.screen.notify(
                    f"“{outcome.project.name}”：已合并他人保存的 {outcome.taken} 处修改（ctrl+z 可撤销合并）",
                    title="已合并",
                    timeout=8,
                )
            else:
                self.screen.view.project_saved(project_id)
            return
        if isinstance(outcome, ProjectGone):
            self.workspace.gone.add(project_id)
            self.screen.view.refresh_item(project_id)
        self._questions.append((project_id, outcome))
        self._next_question()

    def _finished(self, saved: int, failed: int) -> None:
        self.saving = max(0, self.saving - 1)
        self.screen.view.refresh_title()
        then, self._after_save = self._after_save, None
        if failed:
            return
        self.screen.notify(f"已保存 {saved} 个项目", timeout=3)
        if then is not None:
            then()

    # -- questions: both changed a cell, or the project was deleted --------------------------------

    def _next_question(self) -> None:
        if self._question_open or not self._questions:
            return
        project_id, question = self._questions.pop(0)
        if project_id not in self.workspace.drafts:
            self._next_question()
            return
        self._question_open = True

        def asked() -> None:
            self._question_open = False
            self._next_question()

        if isinstance(question, ProjectGone):
            self.on_gone(question, asked)
            return

        conflict = question

        def done(project: Project | None) -> None:
            if project is not None and project_id in self.workspace.drafts:
                self.workspace.take_merge(project_id, conflict.current, project)
                self.screen.view.project_replaced(project_id)
                draft = self.workspace.drafts[project_id]
                if draft.dirty:
                    self._start([(project_id, draft.saved, draft.project.model_copy(deep=True))])
                else:
                    self.screen.notify("已采用他人的版本（ctrl+z 可找回你的修改）", timeout=5)
            elif project is None:
                self.screen.notify("修改未保存；再按 ctrl+s 时会再次询问", severity="warning", timeout=5)
            asked()

        self.resolve_conflict(project_id, conflict, done)

    def _ask_merge(self, project_id: int, conflict: SaveConflict, done: Callable[[Project | None], None]) -> None:
        """The cells both changed, each 我的 / 他人的 / 合并前; the others are merged already."""
        from perfgoals.tui.screens.merge import MergeDialog

        self.screen.app.push_screen(MergeDialog(conflict.merge), done)

    def _ask_gone(self, gone: ProjectGone, done: Callable[[], None]) -> None:
        """另存为新项目 / 恢复后保存 / 稍后 for a draft whose project is in the recycle bin."""
        draft = self.workspace.drafts.get(gone.project_id)
        if draft is None:
            done()
            return
        module = dialogs()
        entry = gone.entry
        by = entry.deleted_by if entry is not None else ""
        at = entry.deleted_at.astimezone().strftime("%Y-%m-%d %H:%M") if entry is not None else ""

        def chosen(choice: object) -> None:
            if choice == module.GoneChoice.SAVE_AS_NEW:
                self.save_as_new(gone.project_id)
            elif choice == module.GoneChoice.RESTORE:
                self.restore_and_save(gone.project_id)
            else:
                self.screen.notify("修改保留在界面中（并记入恢复文件）；再按 ctrl+s 时会再次询问", timeout=6)
            done()

        self.screen.app.push_screen(module.GoneDialog(draft.project.name, by, at), chosen)

    def save_as_new(self, project_id: int) -> None:
        """Add a deleted project's draft as a new project; the draft moves to it."""
        draft = self.workspace.drafts.get(project_id)
        if draft is None:
            return
        mine = draft.project.model_copy(deep=True)
        screen, store = self.screen, self.store

        def run() -> None:
            try:
                project = store.save_as_new(mine)
            except PerfgoalsError as exc:
                screen.call_later(screen.failed, "另存为新项目", f"“{mine.name}”：{exc}")
                return
            screen.call_later(self._saved_as_new, project_id, project)

        screen.run_worker(run, thread=True, group="write", description="另存为新项目")

    def _saved_as_new(self, old_id: int, project: Project) -> None:
        if self.workspace.department is None or project.id is None:
            return
        self.workspace.remove_project(old_id)
        self.workspace.add_project(project)
        self.workspace.changed(project.id)  # the journal forgets the old draft
        self.screen.view.refresh_list()
        self.screen.select_project(project.id)
        self.screen.checks.check(project.id)
        self.screen.notify(f"已另存为新项目“{project.name}”", timeout=6)

    def restore_and_save(self, project_id: int) -> None:
        """Take a deleted project out of the recycle bin and save the draft into it."""
        draft = self.workspace.drafts.get(project_id)
        if draft is None:
            return
        base, mine = draft.saved, draft.project.model_copy(deep=True)
        screen, store = self.screen, self.store

        def run() -> None:
            try:
                restored, outcome = store.restore_and_save(base, mine)
            except PerfgoalsError as exc:
                screen.call_later(screen.failed, "恢复项目", f"“{mine.name}”：{exc}")
                return
            screen.call_later(self._restored, project_id, restored.message, mine, outcome)

        screen.run_worker(run, thread=True, group="write", description="恢复后保存")

    def _restored(self, project_id: int, message: str, sent: Project, outcome: SaveOutcome) -> None:
        self.workspace.gone.discard(project_id)
        self.screen.notify(message, timeout=6)
        self.outcome(project_id, sent, outcome)
        self.screen.view.refresh_list()

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
