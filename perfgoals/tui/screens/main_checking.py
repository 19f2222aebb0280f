"""The main screen's check policy: when a project is rechecked, where (at once or in a worker), and
which results still count."""

from __future__ import annotations

import sys
import time
from typing import TYPE_CHECKING

from perfgoals.tui.workspace import Workspace, counts_of

if TYPE_CHECKING:
    from perfgoals.checks.findings import Finding
    from perfgoals.models import Department, Project
    from perfgoals.tui.screens.main import MainScreen

#: A project check slower than this (a huge goal table, a slow machine) moves rechecks to workers.
INLINE_CHECK_LIMIT = 0.015

#: At most this many other projects of a line are rechecked when a project's line or amount changes.
LINE_MATES_LIMIT = 200


def check_project(department: Department, project: Project, *, previous_line: str | None = None) -> list[Finding]:
    """The project's findings from the checks engine (imported lazily, as the checks load their rules
    on first use); ``previous_line`` is the line the project left (its saved version's), reconciled too."""
    from perfgoals.checks import check_project as run_checks

    return run_checks(department, project, previous_line=previous_line)


class CheckRunner:
    """Rechecks projects after edits: inline while the checks prove fast, else in thread workers whose
    results are dropped when a later edit overtook them."""

    def __init__(self, screen: MainScreen, workspace: Workspace) -> None:
        self.screen = screen
        self.workspace = workspace
        self.inline = True

    def check(self, project_id: int, *, inline: bool = False) -> None:
        """Recheck one project: in a worker, or (``inline``, after an edit) at once when the checks
        have proved fast here, so that the edit and its findings reach the screen in one redraw.

        An inline check only updates the workspace's findings; the caller redraws.
        """
        workspace = self.workspace
        if workspace.department is None or project_id not in workspace.drafts:
            return
        draft = workspace.drafts[project_id]
        workspace.generation[project_id] += 1
        if inline and self.inline and "perfgoals.checks" in sys.modules:
            # No copies needed: nothing else touches the drafts while this runs on the UI thread.
            live = workspace.live_department()
            started = time.perf_counter()
            try:
                findings = check_project(live, draft.project, previous_line=draft.saved.budget_line_code)
            except Exception as exc:  # a failing rule must not take the editor down
                self.screen.notify(f"检查出错：{exc}", title="检查失败", severity="error", timeout=10)
                findings = []
            if time.perf_counter() - started > INLINE_CHECK_LIMIT:
                self.inline = False  # too slow to run between keystrokes: use workers
            workspace.checked_generation[project_id] = workspace.generation[project_id]
            workspace.findings[project_id] = findings
            return
        department = workspace.department_with_drafts()
        project = draft.project.model_copy(deep=True)
        # The line the saved version is charged to: a project moved to another line breaks both.
        previous_line = draft.saved.budget_line_code
        generation = workspace.generation[project_id]
        screen = self.screen
        # Say "checking" only if the check is slow to come back: a flicker on every edit costs a redraw.
        screen.set_timer(0.3, lambda: self._still_checking(project_id, generation))

        def run() -> None:
            try:
                findings = check_project(department, project, previous_line=previous_line)
            except Exception as exc:  # a failing rule must not take the editor down
                screen.call_later(screen.failed, "检查", f"检查出错：{exc}")
                findings = []
            screen.call_later(self.checked, project_id, generation, findings)

        # A closure rather than @work: the decorator would format the whole department into the
        # worker's description on every edit.
        screen.run_worker(run, thread=True, group="check", description="检查项目")

    def recheck_line_mates(self, project_id: int) -> None:
        """After a project's line or amount changed: recheck (in workers) the other projects of the
        line it left and of the line it joined, so that their entries in the list say so too."""
        for pid in self.workspace.line_mates(project_id)[:LINE_MATES_LIMIT]:
            self.check(pid)

    def _still_checking(self, project_id: int, generation: int) -> None:
        workspace = self.workspace
        if (
            project_id == workspace.current_id
            and workspace.generation[project_id] == generation
            and workspace.checked_generation.get(project_id) != generation
        ):
            self.screen.view.show_checking()

    def checked(self, project_id: int, generation: int, findings: list[Finding]) -> None:
        """A worker's result (on the UI thread)."""
        workspace = self.workspace
        if generation != workspace.generation[project_id]:
            return  # an older check, overtaken by a later edit
        workspace.checked_generation[project_id] = generation
        before = workspace.findings.get(project_id)
        workspace.findings[project_id] = findings
        if project_id == workspace.current_id:
            self.screen.view.refresh_findings()
        if before is None or counts_of(before) != counts_of(findings):
            self.screen.view.refresh_item(project_id)
