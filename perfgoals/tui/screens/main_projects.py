"""Project-level actions of the main screen: its fields (F3), its goal text (F4), adding (F5) and
deleting (F8) a project."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from perfgoals.errors import PerfgoalsError
from perfgoals.tui.screens.main_saving import dialogs

if TYPE_CHECKING:
    from perfgoals.models import Project
    from perfgoals.tui.screens.main import MainScreen
    from perfgoals.tui.services import Store
    from perfgoals.tui.workspace import Workspace


class ProjectActions:
    """Dialogs for a project's fields and goal, and the workers that add and delete projects."""

    def __init__(self, screen: MainScreen, workspace: Workspace, store: Store) -> None:
        self.screen = screen
        self.workspace = workspace
        self.store = store

    def edit_fields(self) -> None:
        draft = self.workspace.draft
        if draft is None or self.workspace.department is None:
            return
        department = self.workspace.live_department()

        def done(changes: dict[str, Any] | None) -> None:
            if changes and draft.set_fields(changes):
                self.screen.changed(None, regroup=True)

        self.screen.app.push_screen(dialogs().ProjectFieldsDialog(department, draft.project), done)

    def edit_goal(self, field: str = "goal_text") -> None:
        """Edit the 绩效目标 and 实施期目标 together; ``field`` is the one the cursor starts in."""
        draft = self.workspace.draft
        if draft is None:
            return
        goal = draft.project.goal

        def done(texts: dict[str, str] | None) -> None:
            if not texts:
                return
            label = "修改实施期目标" if texts["goal_text"] == goal.goal_text else "修改绩效目标"
            if draft.set_fields(texts, label=label):
                self.screen.changed(None)

        self.screen.app.push_screen(
            dialogs().GoalDialog(draft.project.name, goal.goal_text, goal.mid_term_goal_text, focus=field), done
        )

    # -- adding ---------------------------------------------------------------------------------

    def new(self) -> None:
        department = self.workspace.department
        if department is None or department.id is None:
            return
        department_id = department.id
        taken = {p.name for p in self.workspace.projects()}

        def named(name: str | None) -> None:
            if name:
                self._add(department_id, name)

        self.screen.app.push_screen(dialogs().NameDialog("新建项目", taken), named)

    def _add(self, department_id: int, name: str) -> None:
        screen, store = self.screen, self.store

        def run() -> None:
            try:
                project = store.add_project(department_id, name)
            except PerfgoalsError as exc:
                screen.call_later(screen.failed, "新建项目", str(exc))
                return
            screen.call_later(self.added, project)

        screen.run_worker(run, thread=True, group="write", description="新建项目")

    def added(self, project: Project) -> None:
        if self.workspace.department is None or project.id is None:
            return
        self.workspace.add_project(project)
        self.screen.view.refresh_list()
        self.screen.select_project(project.id)
        self.screen.checks.check(project.id)
        self.screen.notify(f"已新建项目“{project.name}”，按 F3 填写项目信息，ctrl+n 添加指标行")

    # -- deleting -------------------------------------------------------------------------------

    def delete(self) -> None:
        draft = self.workspace.draft
        if draft is None or draft.id is None:
            return
        project_id, name = draft.id, draft.project.name
        rows = len(draft.indicators)

        def answered(yes: bool | None) -> None:
            if yes:
                self._delete(project_id, name)

        self.screen.app.push_screen(
            dialogs().ConfirmDialog(
                f"删除项目“{name}”及其 {rows} 行绩效指标？\n删除的项目移入回收站，可以恢复（修改历史中保留记录）。",
                yes="删除",
                danger=True,
            ),
            answered,
        )

    def _delete(self, project_id: int, name: str) -> None:
        screen, store = self.screen, self.store

        def run() -> None:
            try:
                store.delete_project(project_id)
            except PerfgoalsError as exc:
                screen.call_later(screen.failed, "删除项目", str(exc))
                return
            screen.call_later(self.deleted, project_id, name)

        screen.run_worker(run, thread=True, group="write", description="删除项目")

    def deleted(self, project_id: int, name: str) -> None:
        """A project gone from the database (deleted here; or, by the change notifications' seam, by
        a colleague): its draft and entry go, and another project is shown."""
        if self.workspace.department is None:
            return
        self.workspace.remove_project(project_id)
        self.workspace.changed(project_id)  # the crash journal forgets its draft
        self.screen.view.project_removed()
        self.screen.notify(f"已删除项目“{name}”（在回收站中，ctrl+r 可恢复）")
