"""The main screen: the project list, the selected project's goal table, and its findings.

This module is the screen's layout and routing only.  What it works on is a
:class:`~perfgoals.tui.workspace.Workspace` (drafts, findings, what is dirty); the database is reached
through :class:`~perfgoals.tui.services.Store`; and each concern has its own collaborator:

- :class:`~perfgoals.tui.screens.main_cells.CellEditing` — the cell editor and the keys that start it;
- :class:`~perfgoals.tui.screens.main_rows.RowActions` — rows, columns, clipboard, undo;
- :class:`~perfgoals.tui.screens.main_checking.CheckRunner` — when and where projects are rechecked;
- :class:`~perfgoals.tui.screens.main_saving.SaveFlow` — saving, conflicts, leaving with unsaved edits;
- :class:`~perfgoals.tui.screens.main_projects.ProjectActions` — F3, F4, adding and deleting projects;
- :class:`~perfgoals.tui.screens.main_loading.Loader` — opening a department-year;
- :class:`~perfgoals.tui.screens.main_recovery.CrashJournal` — the recovery file, and what a crash left;
- :class:`~perfgoals.tui.screens.main_watching.ChangeListener` — what colleagues save and delete meanwhile.

Edits go to per-project drafts and are written only on ctrl+s.  Database and check work runs in thread
workers that hand their results back with ``call_later``, so the screen never waits on either.
"""

from __future__ import annotations

import gc
import importlib
from collections.abc import Callable
from typing import TYPE_CHECKING, ClassVar

from textual import events, on
from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Input, OptionList

from perfgoals.tui.context import JumpTarget, TuiContext
from perfgoals.tui.editing import ProjectDraft
from perfgoals.tui.screens.main_cells import CellEditing
from perfgoals.tui.screens.main_checking import CheckRunner
from perfgoals.tui.screens.main_loading import Loader
from perfgoals.tui.screens.main_projects import ProjectActions
from perfgoals.tui.screens.main_recovery import CrashJournal
from perfgoals.tui.screens.main_rows import RowActions
from perfgoals.tui.screens.main_saving import SaveFlow
from perfgoals.tui.screens.main_view import MainView
from perfgoals.tui.screens.main_watching import ChangeListener
from perfgoals.tui.screens.review import ReviewActions
from perfgoals.tui.services import Store
from perfgoals.tui.widgets.cell_editor import CellEditor
from perfgoals.tui.widgets.chrome import DepartmentHeader, QuietFooter
from perfgoals.tui.widgets.comments_panel import CommentsPanel
from perfgoals.tui.widgets.findings_panel import FindingsPanel
from perfgoals.tui.widgets.goal_grid import GoalGrid
from perfgoals.tui.widgets.project_list import ProjectList, project_id_of
from perfgoals.tui.widgets.project_summary import ProjectSummary
from perfgoals.tui.workspace import Workspace

if TYPE_CHECKING:
    from perfgoals.checks.findings import Finding
    from perfgoals.models import Department, Project

#: Other screens, pushed lazily: binding action → (module, class).
OTHER_SCREENS: dict[str, tuple[str, str]] = {
    "departments": ("departments", "DepartmentsScreen"),
    "budget_lines": ("budget_lines", "BudgetLinesScreen"),
    "reconciliation": ("reconciliation", "ReconciliationScreen"),
    "findings": ("findings", "FindingsScreen"),
    "export": ("export", "ExportScreen"),
}
#: Below these sizes the sidebar narrows, and the summary and findings give the grid their lines.
NARROW_WIDTH = 100
SHORT_HEIGHT = 30


class MainScreen(Screen[None]):
    """Where project owners fill in their goal tables."""

    #: How F1 帮助 names this screen (a TITLE would replace the department shown in the header).
    HELP_NAME = "主界面"

    # Keys after which what is typed goes somewhere else (another cell, a dialog, the filter) are
    # priority bindings: they act as the key arrives, before the keys typed after it are handed on.
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "保存", id="main.save", priority=True),
        Binding("ctrl+z", "undo", "撤销", id="main.undo"),
        Binding("ctrl+y", "redo", "重做", id="main.redo", show=False),
        Binding("f2", "edit_cell", "编辑", id="main.edit_cell", priority=True),
        Binding("f3", "edit_project", "项目信息", id="main.edit_project", priority=True),
        Binding("f4", "edit_goal", "绩效目标", id="main.edit_goal", priority=True),
        Binding("ctrl+n", "insert_row", "插入行", id="main.insert_row", priority=True),
        Binding("ctrl+d", "duplicate_row", "复制行", id="main.duplicate_row", show=False, priority=True),
        Binding("ctrl+k", "delete_rows", "删除行", id="main.delete_rows", priority=True),
        Binding("ctrl+o", "add_column", "添加列", id="main.add_column", show=False, priority=True),
        Binding("alt+up", "move_rows(-1)", "上移行", id="main.move_up", show=False),
        Binding("alt+down", "move_rows(1)", "下移行", id="main.move_down", show=False),
        Binding("delete", "clear_cells", "清空单元格", id="main.clear_cells", show=False),
        Binding("ctrl+c", "copy", "复制（TSV）", id="main.copy", show=False),
        Binding("ctrl+x", "cut", "剪切", id="main.cut", show=False),
        Binding("ctrl+v", "paste", "粘贴", id="main.paste", show=False),
        Binding("escape", "clear_selection", "取消选区", id="main.clear_selection", show=False),
        Binding("f5", "new_project", "新建项目", id="main.new_project", show=False, priority=True),
        Binding("f8", "delete_project", "删除项目", id="main.delete_project", show=False, priority=True),
        Binding("ctrl+r", "trash", "回收站（恢复已删除的项目）", id="main.trash", show=False, priority=True),
        Binding("ctrl+f", "focus_filter", "筛选项目", id="main.filter", show=False, priority=True),
        Binding("ctrl+b", "toggle_sidebar", "显示/隐藏项目列表", id="main.toggle_sidebar", show=False, priority=True),
        Binding("f6", "other('departments')", "部门", id="main.departments", priority=True),
        Binding("f7", "other('budget_lines')", "功能科目", id="main.budget_lines", show=False, priority=True),
        Binding("f9", "other('reconciliation')", "对账", id="main.reconciliation", show=False, priority=True),
        Binding("ctrl+t", "other('findings')", "问题清单", id="main.findings", show=False, priority=True),
        Binding("ctrl+e", "other('export')", "导出", id="main.export", show=False, priority=True),
        Binding("ctrl+g", "followup('monitoring')", "绩效监控", id="main.monitoring", show=False),
        Binding("ctrl+w", "followup('evaluation')", "绩效自评", id="main.evaluation", show=False),
        # The review (perfgoals.tui.screens.review): F10 lists what the user may do to the table shown.
        Binding("f10", "review('menu')", "审核", id="main.review", show=False, priority=True),
        Binding("ctrl+u", "review('submit')", "提交审核", id="main.review_submit", show=False),
        Binding("ctrl+l", "review('return')", "退回（附意见）", id="main.review_return", show=False),
        Binding("ctrl+a", "review('approve')", "部门审核通过", id="main.review_approve", show=False),
        Binding("ctrl+j", "review('finance')", "财政审核（优/良/中/差）", id="main.review_finance", show=False),
        Binding("ctrl+backslash", "review('comment')", "评论（单元格/行/整张表）", id="main.review_comment", show=False),
        Binding("ctrl+right_square_bracket", "review('reply')", "回复评论", id="main.review_reply", show=False),
        Binding("f12", "review('queue')", "审核队列", id="main.review_queue", show=False, priority=True),
        Binding("f11", "review('goals')", "部门整体绩效目标", id="main.department_goals", show=False, priority=True),
    ]

    def __init__(self, context: TuiContext) -> None:
        super().__init__()
        self.context = context
        self.store = Store(context.engine, context.user)
        self.workspace = Workspace()
        self.cell_editor = CellEditor()
        self.checks = CheckRunner(self, self.workspace)
        self.cells = CellEditing(self, self.workspace)
        self.rows = RowActions(self, self.workspace)
        self.saving = SaveFlow(self, self.workspace, self.store)
        self.projects = ProjectActions(self, self.workspace, self.store)
        self.loader = Loader(self, self.workspace, self.store)
        self.view = MainView(self, self.workspace)
        self.journal = CrashJournal(self, self.workspace)
        self.watching = ChangeListener(self, self.workspace, self.store)
        self.review = ReviewActions(self, self.workspace, self.store)

    # -- layout ---------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        # The editor first among the screen's children: the compositor numbers the painting order
        # from the last child, so showing and hiding it never shifts any other widget's order.
        yield self.cell_editor
        yield DepartmentHeader(icon="≡")
        with Horizontal(id="body"):
            with Vertical(id="sidebar"):
                yield Input(placeholder="筛选项目（名称、编码或拼音首字母）…", id="filter")
                yield ProjectList(id="projects")
            with Vertical(id="detail"):
                yield ProjectSummary(id="summary")
                yield GoalGrid(id="grid")
                yield FindingsPanel(id="findings")
                yield CommentsPanel(id="comments")
        yield QuietFooter()

    def on_mount(self) -> None:
        self.app.title = "perfgoals 绩效目标"
        self.app.sub_title = "正在打开数据库…"
        self.query_one("#projects", ProjectList).border_title = "项目"
        self.grid.border_title = "绩效指标"
        self.grid.attach_editor(self.cell_editor)
        # What a crash left is offered first; then the department-year of those drafts, or the usual one.
        self.journal.start(self._open_first)
        self.watching.start()
        self.review.start()

    def _open_first(self, recovered: int | None) -> None:
        if recovered is not None:
            self.loader.load(recovered, fallback=True)
        else:
            self.loader.load(self.context.department_id)

    def on_unmount(self) -> None:
        self.watching.stop()
        self.journal.flush()
        if self.loader.settled:
            # The app is closing: what was spared becomes collectable again (in this process's
            # tests, or for whatever runs after the app in the same process).
            gc.unfreeze()

    def on_resize(self, event: events.Resize) -> None:
        short = event.size.height < SHORT_HEIGHT
        self.set_class(event.size.width < NARROW_WIDTH, "-narrow")
        self.set_class(short, "-short")
        self.grid.compact = short
        self.query_one("#summary", ProjectSummary).compact = short
        self.view.summary_shown = None
        self.view.refresh_title()
        if self.workspace.department is not None:
            self.view.refresh_project()

    # -- the state shown (for the collaborators, tests and benchmarks) ----------------------------

    @property
    def department(self) -> Department | None:
        return self.workspace.department

    @property
    def drafts(self) -> dict[int, ProjectDraft]:
        return self.workspace.drafts

    @property
    def findings(self) -> dict[int, list[Finding]]:
        return self.workspace.findings

    @property
    def current_id(self) -> int | None:
        return self.workspace.current_id

    @property
    def draft(self) -> ProjectDraft | None:
        return self.workspace.draft

    @property
    def clipboard(self) -> str:
        return self.rows.clipboard

    @property
    def grid(self) -> GoalGrid:
        return self.query_one("#grid", GoalGrid)

    def dirty_drafts(self) -> list[ProjectDraft]:
        return self.workspace.dirty_drafts()

    def changed(self, place: tuple[int | None, str | None] | None = None, *, regroup: bool = False) -> None:
        """After any edit: recheck, redraw, update markers, tell the workspace's listeners.

        ``regroup`` rebuilds the whole list (a name or budget line may have changed); otherwise
        only the edited project's entry is redrawn.
        """
        current = self.workspace.current_id
        if current is not None:
            self.checks.check(current, inline=True)
            self.checks.recheck_line_mates(current)
        self.view.refresh_project()
        if regroup:
            self.view.refresh_list()
        elif current is not None:
            self.view.refresh_item(current)
        if place is not None and place[0] is not None:
            self.grid.go_to(place[0], place[1])
        if current is not None:
            self.workspace.changed(current)

    def failed(self, what: str, message: str) -> None:
        self.notify(message, title=f"{what}失败", severity="error", timeout=10)

    # -- choosing a project ---------------------------------------------------------------------

    @on(OptionList.OptionHighlighted, "#projects")
    def _project_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if self.query_one("#projects", ProjectList).highlighted_option_id() != event.option.id:
            return  # a stale event: the list was redrawn or moved on since (a reload, a jump)
        project_id = project_id_of(event.option.id)
        if project_id is not None and project_id != self.workspace.current_id:
            self.cells.commit_open()
            self.workspace.current_id = project_id
            self.grid.clear_selection()
            self.view.refresh_project()
            self.grid.go_to(0, "level1")
            self.checks.check(project_id)

    @on(OptionList.OptionSelected, "#projects")
    def _project_selected(self) -> None:
        self.grid.focus()

    @on(Input.Changed, "#filter")
    def _filter_changed(self) -> None:
        self.view.refresh_list()

    @on(Input.Submitted, "#filter")
    def _filter_submitted(self) -> None:
        self.query_one("#projects", ProjectList).focus()

    def select_project(self, project_id: int) -> None:
        self.view.select_project(project_id)

    def colleague_changed(self, project_id: int, project: Project | None, *, user: str = "") -> None:
        """A colleague saved (``project``) or deleted (``None``) a project shown here.  A clean draft
        takes their version, or goes with the project; a draft with unsaved edits keeps them (saving
        then meets their revision: a merge, or the project's deletion).  Call on the UI thread, with
        the project as :meth:`Store.load_project` reads it."""
        draft = self.workspace.drafts.get(project_id)
        if draft is None:
            return
        who = user or "他人"
        if project is None:
            if not draft.dirty:
                self.workspace.remove_project(project_id)
                self.view.project_removed()
                self.workspace.changed(project_id)
                self.notify(f"项目“{draft.project.name}”已被 {who} 删除（在回收站中，ctrl+r 可恢复）", timeout=8)
            else:
                self.workspace.gone.add(project_id)
                self.view.refresh_item(project_id)
                self.notify(
                    f"项目“{draft.project.name}”已被 {who} 删除；你的修改仍保留，保存时可另存为新项目或恢复后保存",
                    severity="warning",
                    timeout=12,
                )
            return
        if project.goal.revision <= draft.revision:
            return  # this process's own save, or one already shown
        if self.workspace.refresh_project(project):
            self.view.project_replaced(project_id)

    def jump_to(self, target: JumpTarget) -> None:
        """Go to a project and, if given, one of its cells (from the findings or reconciliation screens)."""
        self.view.jump_to(target)

    def go_to_project(self, project_id: int) -> None:
        """Show a project and put the focus in its grid (the command palette's 项目 entries)."""
        if project_id in self.workspace.drafts:
            self.select_project(project_id)
            self.set_focus(self.grid)

    def open_department(self, department_id: int) -> None:
        """Open another department-year (the command palette's 部门 entries), asking about unsaved edits."""
        current = self.workspace.department
        if current is None or current.id != department_id:
            self.confirm_leave("切换部门", lambda: self.loader.load(department_id))

    @on(FindingsPanel.Chosen)
    def _finding_chosen(self, message: FindingsPanel.Chosen) -> None:
        location = message.finding.location
        if self.workspace.current_id is not None:
            self.jump_to(JumpTarget(self.workspace.current_id, location.row, location.field))

    # -- keys and pastes, as the app receives them ------------------------------------------------

    def route_key(self, event: events.Key) -> bool:
        """Called by the app for every key before Textual hands it on (see CellEditing.route_key)."""
        if self.review.blocks_key(event):
            return True
        return self.cells.route_key(event)

    def route_paste(self, event: events.Paste) -> bool:
        """Called by the app for every terminal paste (see RowActions.route_paste)."""
        if self.focused is self.grid and self.review.refuses_edit():
            return True
        return self.rows.route_paste(event)

    @on(DataTable.CellSelected, "#grid")
    def _cell_selected(self) -> None:
        # A click on the cursor cell (Enter is routed as the app receives it).
        if not self.review.refuses_edit():
            self.cells.open()

    @on(DataTable.CellHighlighted, "#grid")
    def _cell_highlighted(self) -> None:
        self.review.cursor_moved()

    @on(CommentsPanel.Chosen)
    def _comment_chosen(self, message: CommentsPanel.Chosen) -> None:
        self.review.comment_chosen(message.comment)

    @on(CommentsPanel.ReplyRequested)
    def _reply_requested(self, message: CommentsPanel.ReplyRequested) -> None:
        self.review.reply(message.comment)

    async def on_cell_editor_committed(self, message: CellEditor.Committed) -> None:
        self.cells.committed(message)

    async def on_cell_editor_cancelled(self) -> None:
        self.cells.cancelled()

    # -- actions: each says what it does and hands it on -------------------------------------------

    def _in_text_field(self) -> bool:
        """Whether a text field has the focus (its own ctrl+d/ctrl+k/ctrl+f edit the text)."""
        return isinstance(self.focused, Input)

    def action_save(self) -> None:
        self.saving.save()

    def confirm_leave(self, leaving: str, proceed: Callable[[], None]) -> None:
        """Run ``proceed`` now, or after asking what to do with unsaved edits."""
        self.saving.confirm_leave(leaving, proceed)

    def action_undo(self) -> None:
        if not self.review.refuses_edit():
            self.rows.undo()

    def action_redo(self) -> None:
        if not self.review.refuses_edit():
            self.rows.redo()

    def action_edit_cell(self) -> None:
        if not self.review.refuses_edit():
            self.cells.open()

    def action_edit_project(self) -> None:
        self.cells.commit_open()
        if not self.review.refuses_edit():
            self.projects.edit_fields()

    def action_edit_goal(self, field: str = "goal_text") -> None:
        self.cells.commit_open()
        if not self.review.refuses_edit():
            self.projects.edit_goal(field)

    def _row_action(self, text_key: bool = False) -> None:
        """Before a row action: a text field keeps its own meaning of the key; an open editor commits."""
        if text_key and self._in_text_field():
            raise SkipAction()
        if not self.cells.commit_open():
            raise SkipAction()
        if self.review.refuses_edit():
            raise SkipAction()

    def action_insert_row(self) -> None:
        self._row_action()
        self.rows.insert()

    def action_duplicate_row(self) -> None:
        self._row_action(text_key=True)
        self.rows.duplicate()

    def action_delete_rows(self) -> None:
        self._row_action(text_key=True)
        self.rows.delete()

    def action_add_column(self) -> None:
        self._row_action()
        self.rows.choose_column()

    def action_move_rows(self, delta: int) -> None:
        if not self.review.refuses_edit():
            self.rows.move(delta)

    def action_clear_cells(self) -> None:
        if not self.review.refuses_edit():
            self.rows.clear()

    def action_clear_selection(self) -> None:
        self.grid.clear_selection()

    def action_copy(self) -> None:
        self.rows.copy()

    def action_cut(self) -> None:
        if not self.review.refuses_edit():
            self.rows.cut()

    def action_paste(self) -> None:
        if not self.review.refuses_edit():
            self.rows.paste()

    def action_new_project(self) -> None:
        self.cells.commit_open()
        self.projects.new()

    def action_delete_project(self) -> None:
        self.cells.commit_open()
        self.projects.delete()

    def action_trash(self) -> None:
        """回收站: restore deleted projects of this department-year; they reappear, the last selected."""
        self.cells.commit_open()
        if self.workspace.department is None:
            return
        from perfgoals.tui.screens.trash import TrashScreen

        def restored(ids: list[int] | None) -> None:
            if not ids or self.workspace.department is None:
                return
            if ids[-1] in self.workspace.drafts:  # already listed (the change was heard first)
                self.jump_to(JumpTarget(ids[-1]))
            self.loader.pending_jump = JumpTarget(ids[-1])
            self.loader.load(self.workspace.department.id, keep_drafts=True)

        self.app.push_screen(TrashScreen(self.context), restored)

    def action_focus_filter(self) -> None:
        if self.focused is not None and self.focused.id == "editor-input":
            raise SkipAction()  # the cell editor's own ctrl+f (delete the next word)
        self.query_one("#sidebar").display = True
        self.set_focus(self.query_one("#filter", Input))

    def action_toggle_sidebar(self) -> None:
        # In a narrow terminal the grid can have the whole width.
        sidebar = self.query_one("#sidebar")
        sidebar.display = not sidebar.display
        if not sidebar.display and self.focused is not None and sidebar in self.focused.ancestors:
            self.set_focus(self.grid)

    def action_review(self, name: str) -> None:
        """The review: F10 menu, 提交, 退回, 审核通过, 财政审核, 评论, 回复, 审核队列, 部门整体绩效目标."""
        self.cells.commit_open()
        self.review.act(name)

    def action_followup(self, kind: str) -> None:
        """绩效监控 / 绩效自评 of the project shown (perfgoals.tui.screens.followup)."""
        self.cells.commit_open()
        from perfgoals.tui.screens.followup import open_followup

        open_followup(self, kind)

    def action_other(self, name: str) -> None:
        self.cells.commit_open()
        module_name, class_name = OTHER_SCREENS[name]
        module = importlib.import_module(f"perfgoals.tui.screens.{module_name}")
        screen_class = getattr(module, class_name)
        self.app.push_screen(screen_class(self.context), lambda result: self.loader.returned(name, result))
