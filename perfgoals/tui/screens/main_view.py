"""Drawing the main screen: the title, the project list, the current project (summary, grid, findings)
and the footer while a cell is edited; each part redrawn only when what it shows changed."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.widgets import Input

from perfgoals.tui.context import JumpTarget
from perfgoals.tui.editing import ALL_GRID_FIELDS, GOAL_TEXT_FIELDS
from perfgoals.tui.widgets.chrome import QuietFooter
from perfgoals.tui.widgets.findings_panel import FindingsPanel
from perfgoals.tui.widgets.project_list import ProjectList, project_id_of
from perfgoals.tui.widgets.project_summary import ProjectSummary
from perfgoals.tui.workspace import Workspace, finding_marks

if TYPE_CHECKING:
    from perfgoals.tui.screens.main import MainScreen


class MainView:
    """Redraws the main screen from its workspace."""

    def __init__(self, screen: MainScreen, workspace: Workspace) -> None:
        self.screen = screen
        self.workspace = workspace
        #: What the summary shows (redrawn only when this changes); ``None`` forces a redraw.
        self.summary_shown: tuple[object, ...] | None = None
        self._grid_project: int | None = None

    def refresh_title(self) -> None:
        department = self.workspace.department
        if department is None:
            return
        dirty = len(self.workspace.dirty_drafts())
        # In 80 columns the long forms would push the unsaved marker off the header.
        narrow = self.screen.has_class("-narrow")
        self.screen.app.title = "perfgoals" if narrow else "perfgoals 绩效目标"
        marker = (f"  ● 未保存 {dirty}" if narrow else f"  ● 未保存（{dirty} 个项目）") if dirty else ""
        if self.screen.saving.saving:
            marker += "  保存中…"
        self.screen.app.sub_title = f"{department.code} {department.name} · {department.year} 年{marker}"

    def refresh_list(self) -> None:
        workspace = self.workspace
        if workspace.department is None:
            return
        needle = self.screen.query_one("#filter", Input).value.strip()
        self.screen.query_one("#projects", ProjectList).show(
            workspace.department, workspace.projects(), workspace.all_counts(), workspace.dirty_ids(), needle
        )

    def refresh_item(self, project_id: int) -> None:
        """Redraw one entry of the project list."""
        draft = self.workspace.drafts.get(project_id)
        if draft is None:
            return
        dirty = {project_id} if draft.dirty else set()
        self.screen.query_one("#projects", ProjectList).update_project(draft.project, self.workspace.counts(project_id), dirty)

    def refresh_project(self) -> None:
        """Show the current draft: fields, grid (with finding marks) and findings.

        Each part is redrawn only when what it shows changed: the summary's height is automatic,
        so updating it re-lays out the whole screen.
        """
        workspace = self.workspace
        draft = workspace.draft
        project = draft.project if draft else None
        dirty = bool(draft and draft.dirty)
        shown = (id(workspace.department), project.model_dump() if project else None, dirty)
        if shown != self.summary_shown:
            self.summary_shown = shown
            self.screen.query_one("#summary", ProjectSummary).show(workspace.department, project, dirty)
        findings = workspace.current_findings()
        rows = draft.indicators if draft else []
        fields = draft.fields if draft else None
        other = workspace.current_id != self._grid_project
        self._grid_project = workspace.current_id
        self.screen.review.before_grid(project, fields)  # comment markers and the lock, drawn with the rows
        self.screen.grid.show_rows(rows, finding_marks(findings, fields or ALL_GRID_FIELDS), top=other, fields=fields)
        self.screen.review.cursor_moved()
        self.screen.grid.border_title = f"绩效指标（{len(rows)} 行）" if draft else "绩效指标"
        self.screen.query_one("#findings", FindingsPanel).show(findings if draft else [])
        self.refresh_title()

    def refresh_findings(self) -> None:
        """After a check of the current project: only the marks and the findings panel change."""
        draft = self.workspace.draft
        if draft is None:
            return
        findings = self.workspace.current_findings()
        self.screen.grid.set_marks(finding_marks(findings, draft.fields))
        self.screen.query_one("#findings", FindingsPanel).show(findings)

    def show_checking(self) -> None:
        self.screen.query_one("#findings", FindingsPanel).show(None)

    def freeze_footer(self, frozen: bool) -> None:
        """While the cell editor is open the footer keeps the grid's keys (rebuilding them twice per
        edit cost more than the edit); thawed, it shows what is active again."""
        self.screen.query_one(QuietFooter).frozen = frozen
        if not frozen:
            self.screen.bindings_updated_signal.publish(self.screen)

    # -- after the collaborators' work ----------------------------------------------------------

    def project_saved(self, project_id: int) -> None:
        if project_id == self.workspace.current_id:
            self.refresh_project()
        self.refresh_item(project_id)
        self.refresh_title()

    def project_replaced(self, project_id: int) -> None:
        """A draft took another version (a colleague's): redraw and recheck it."""
        if project_id == self.workspace.current_id:
            self.screen.changed(None, regroup=True)
        else:
            self.refresh_list()
            self.screen.checks.check(project_id)

    def project_removed(self) -> None:
        self.refresh_list()
        if self.workspace.current_id is None:
            self.workspace.current_id = project_id_of(self.screen.query_one("#projects", ProjectList).highlighted_option_id())
        self.refresh_project()

    # -- going to a project -----------------------------------------------------------------------

    def select_project(self, project_id: int) -> None:
        projects = self.screen.query_one("#projects", ProjectList)
        option_id = f"project-{project_id}"
        if not projects.find(option_id):
            self.screen.query_one("#filter", Input).value = ""
            self.refresh_list()
        if projects.find(option_id):
            projects.highlighted = projects.get_option_index(option_id)
        if self.workspace.current_id != project_id:
            self.workspace.current_id = project_id
            self.refresh_project()

    def jump_to(self, target: JumpTarget) -> None:
        """Go to a project and, if given, one of its cells (from the findings or reconciliation screens)."""
        if target.project_id not in self.workspace.drafts:
            self.screen.notify("找不到该项目（可能已被删除）", severity="warning")
            return
        self.select_project(target.project_id)
        if target.row is not None:
            self.screen.grid.go_to(target.row - 1, target.field)
            self.screen.grid.focus()
        elif target.field in GOAL_TEXT_FIELDS:
            self.screen.projects.edit_goal(target.field)
        elif target.field is not None and target.field not in ALL_GRID_FIELDS:
            self.screen.projects.edit_fields()
        else:
            self.screen.grid.focus()
