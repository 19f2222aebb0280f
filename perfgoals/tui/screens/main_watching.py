"""What colleagues change while the main screen is open (:mod:`perfgoals.storage.changes`).

A watcher on its own connection is polled every ``watcher.interval`` seconds in a thread worker; what
it reports is applied on the UI thread:

- a project shown saved by someone else (a revision newer than the draft's): reloaded; a clean draft
  takes it, a draft with unsaved edits keeps them (its save merges);
- a project shown deleted: a clean draft goes, a draft with unsaved edits stays (to be saved as new or
  restored);
- a project added or restored, the department-year, its budget lines, or "changes may have been
  missed": the department-year is reloaded, keeping unsaved drafts.

The process's own saves come back too: their revision is the draft's already, so they are ignored.
The watcher is closed when the screen goes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from perfgoals.errors import PerfgoalsError

if TYPE_CHECKING:
    from textual.timer import Timer

    from perfgoals.models import Project
    from perfgoals.storage.changes import Change, Watcher
    from perfgoals.tui.screens.main import MainScreen
    from perfgoals.tui.services import Store
    from perfgoals.tui.workspace import Workspace


class ChangeListener:
    """Polls a change watcher and refreshes the main screen (see the module docstring)."""

    def __init__(self, screen: MainScreen, workspace: Workspace, store: Store) -> None:
        self.screen = screen
        self.workspace = workspace
        self.store = store
        self.watcher: Watcher | None = None
        self._timer: Timer | None = None
        self._polling = False
        self._stopped = False
        self._told_failure = False

    def start(self) -> None:
        screen, engine = self.screen, self.store.engine

        def run() -> None:
            from perfgoals.storage.changes import open_watcher

            try:
                watcher = open_watcher(engine)
            except Exception as exc:  # the app works without it: say so once
                screen.call_later(screen.failed, "接收他人修改", f"无法监视他人的修改：{exc}")
                return
            screen.call_later(self._opened, watcher)

        screen.run_worker(run, thread=True, group="watch-open", description="监视他人的修改")

    def _opened(self, watcher: Watcher) -> None:
        if self._stopped:
            watcher.close()
            return
        self.watcher = watcher
        self._timer = self.screen.set_interval(watcher.interval, self.poll, name="watch")

    def stop(self) -> None:
        self._stopped = True
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        watcher, self.watcher = self.watcher, None
        if watcher is not None:
            watcher.close()

    def poll(self) -> None:
        watcher = self.watcher
        if watcher is None or self._polling:
            return
        self._polling = True
        screen = self.screen

        def run() -> None:
            try:
                changes = watcher.poll()
            except Exception as exc:
                screen.call_later(self._failed, str(exc))
                return
            finally:
                screen.call_later(self._polled)
            if changes:
                screen.call_later(self.apply, changes)

        screen.run_worker(run, thread=True, group="watch", description="接收他人的修改")

    def _polled(self) -> None:
        self._polling = False

    def _failed(self, message: str) -> None:
        if not self._told_failure and not self._stopped:
            self._told_failure = True
            self.screen.failed("接收他人修改", message)

    # -- applying ---------------------------------------------------------------------------------

    def apply(self, changes: list[Change]) -> None:
        """Apply what the watcher reported (on the UI thread)."""
        from perfgoals.storage.changes import ChangeKind

        department = self.workspace.department
        if department is None or self._stopped:
            return
        key = f"{department.code}/{department.year}"
        reload = False
        saved: list[int] = []
        deleted: dict[int, str] = {}
        for change in changes:
            if not change.concerns(department_id=department.id, department_key=key):
                continue
            project_id = change.project_id
            draft = self.workspace.drafts.get(project_id) if project_id is not None else None
            if change.kind is ChangeKind.PROJECT_SAVED:
                if draft is not None and (change.revision is None or change.revision > draft.revision):
                    saved.append(draft.id or 0)
            elif change.kind is ChangeKind.PROJECT_DELETED:
                if draft is not None and project_id is not None and project_id not in self.workspace.gone:
                    deleted[project_id] = change.user
            elif change.kind in (ChangeKind.PROJECT_ADDED, ChangeKind.PROJECT_RESTORED):
                if draft is None or project_id in self.workspace.gone:
                    reload = True
            elif change.kind in (ChangeKind.DEPARTMENT, ChangeKind.BUDGET_LINE, ChangeKind.RESYNC):
                reload = True
        if reload:
            if not self.screen.loader.loading:
                self.screen.loader.load(department.id, keep_drafts=True, key=(department.code, department.year))
            return
        if saved or deleted:
            self._reload_projects(saved, deleted)

    def _reload_projects(self, project_ids: list[int], deleted: dict[int, str]) -> None:
        """Read the projects saved meanwhile, and make sure those said deleted still are (a deletion
        heard late, after the project was restored, is not acted on)."""
        screen, store = self.screen, self.store

        def run() -> None:
            found: list[tuple[int, Project]] = []
            for project_id in project_ids:
                try:
                    found.append((project_id, store.load_project(project_id)))
                except PerfgoalsError:  # deleted meanwhile: its own change follows
                    continue
            gone: list[int] = []
            for project_id in deleted:
                try:
                    store.load_project(project_id)
                except PerfgoalsError:
                    gone.append(project_id)
            for project_id, project in found:
                screen.call_later(screen.colleague_changed, project_id, project)
            for project_id in gone:
                screen.call_later(screen.colleague_changed, project_id, None, user=deleted[project_id])

        screen.run_worker(run, thread=True, group="watch-load", description="读取他人的修改")
