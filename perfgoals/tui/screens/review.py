"""The review (审核) on the main screen: its actions, the lock, and the comments in the grid.

:class:`ReviewActions` is one more collaborator of :class:`~perfgoals.tui.screens.main.MainScreen`.
It is a thin client of the workflow's core, exactly as the CLI is (``perfgoals review …``): every
transition, comment and reply is :mod:`perfgoals.storage.workflow` through
:class:`~perfgoals.tui.screens.review_store.ReviewStore`, in a worker; the state machine, the
permissions, the submit gate and the lock rule are :mod:`perfgoals.workflow`'s, never repeated here.

- F10 lists what the user may do to the table shown (:func:`perfgoals.workflow.allowed_actions`);
  each action also has its own key (main screen bindings, listed in F1 and the command palette).
- 提交 saves unsaved edits first; refused for open errors, it shows every one
  (:class:`~perfgoals.tui.screens.review_dialogs.OpenErrorsDialog`), each accepted with a reason, then
  submits with them.
- 已提交, 部门已审 and 财政已审 tables are locked: the grid refuses every edit with one message.
- Comments are marked in the grid (◆ open, ◇ answered), listed under it (those of the cursor cell
  first), and answered with 回复.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from textual import events
from textual.binding import Binding

from perfgoals.errors import PerfgoalsError
from perfgoals.models import Comment, DepartmentGoals, Project, ProjectStatus, Role
from perfgoals.tui.context import JumpTarget
from perfgoals.tui.screens.review_dialogs import (
    CommentDialog,
    CommentRequest,
    FinanceReviewDialog,
    OpenErrorsDialog,
    ReviewMenu,
    ReviewResult,
)
from perfgoals.tui.screens.review_goals import edit_department_goals
from perfgoals.tui.screens.review_store import Blocked, ReviewStore, Who
from perfgoals.tui.widgets.comments_panel import (
    CommentsPanel,
    comment_marks,
    comment_place,
    comments_at,
)
from perfgoals.workflow import Action, allowed_actions, is_locked

if TYPE_CHECKING:
    from perfgoals.tui.screens.main import MainScreen
    from perfgoals.tui.services import Store
    from perfgoals.tui.workspace import Workspace

#: What the grid says when a table under review is edited, by status.
LOCK_MESSAGES: dict[ProjectStatus, str] = {
    ProjectStatus.SUBMITTED: "已提交，等待部门审核：目标表已锁定，退回后才能修改",
    ProjectStatus.DEPARTMENT_APPROVED: "部门已审，等待财政审核：目标表已锁定，退回后才能修改",
    ProjectStatus.FINANCE_APPROVED: "财政已审：目标表已锁定，退回后才能修改",
}

#: The main screen's review actions: name → (workflow action or None, menu label, binding id).
ACTIONS: dict[str, tuple[Action | None, str, str]] = {
    "submit": (Action.SUBMIT, "提交审核", "main.review_submit"),
    "withdraw": (Action.WITHDRAW, "撤回提交", ""),
    "return": (Action.RETURN, "退回（附意见）", "main.review_return"),
    "approve": (Action.DEPARTMENT_APPROVE, "部门审核通过", "main.review_approve"),
    "finance": (Action.FINANCE_REVIEW, "财政审核（优/良/中/差）", "main.review_finance"),
    "comment": (None, "评论（单元格/行/整张表）", "main.review_comment"),
    "reply": (None, "回复评论", "main.review_reply"),
    "queue": (None, "审核队列", "main.review_queue"),
    "goals": (None, "部门整体绩效目标", "main.department_goals"),
}


#: How long the lock's message stays, and is not repeated for further keys.
LOCK_NOTICE_SECONDS = 5


def lock_message(status: ProjectStatus) -> str:
    return LOCK_MESSAGES.get(ProjectStatus(status), f"{ProjectStatus(status).value}：目标表已锁定，退回后才能修改")


class ReviewActions:
    """The review's actions, the lock and the comments on the main screen (module docstring)."""

    def __init__(self, screen: MainScreen, workspace: Workspace, store: Store) -> None:
        self.screen = screen
        self.workspace = workspace
        self.store = ReviewStore(store.engine, store.user)
        #: Who is working, as the workflow sees him (read when the screen opens).
        self.who = Who(name=store.user)
        self._said: tuple[str, int | None] | None = None
        self._said_at = 0.0

    # -- who is working ------------------------------------------------------------------------

    def start(self) -> None:
        """Read who is working (and whether the review is set up), in a worker."""
        screen, store = self.screen, self.store

        def run() -> None:
            try:
                who = store.who()
            except Exception as exc:  # the main screen works without the review
                who = Who(name=store.user, problem=str(exc))
            screen.call_later(self._set_who, who)

        screen.run_worker(run, thread=True, group="review-who", description="读取用户")

    def _set_who(self, who: Who) -> None:
        self.who = who
        if who.problem:
            self.screen.notify(who.problem, title="审核", severity="warning", timeout=8)
        if self.workspace.draft is not None:
            self.screen.view.refresh_project()

    # -- the lock ------------------------------------------------------------------------------

    def locked(self, project: Project | None = None) -> bool:
        """Whether the table shown (or ``project``) is locked: submitted, under review or approved."""
        if project is None:
            draft = self.workspace.draft
            project = draft.project if draft is not None else None
        return project is not None and is_locked(project.status)

    def refuses_edit(self) -> bool:
        """Before an edit of the table shown: True when it is locked, saying why (once, not once per
        key: a burst of typing on a locked table shows one message)."""
        draft = self.workspace.draft
        if draft is None or not self.locked(draft.project):
            return False
        message = lock_message(draft.project.status)
        now = time.monotonic()
        if (message, draft.id) != self._said or now - self._said_at > LOCK_NOTICE_SECONDS:
            self.screen.notify(message, title="目标表已锁定", severity="warning", timeout=LOCK_NOTICE_SECONDS)
            self._said, self._said_at = (message, draft.id), now
        return True

    def blocks_key(self, event: events.Key) -> bool:
        """A key typed on the grid that would start an edit of a locked table: refused (True)."""
        screen = self.screen
        grid = screen.grid
        if screen.app.screen is not screen or screen.focused is not grid or grid.editing:
            return False
        if event.key != "enter" and not (event.is_printable and event.character):
            return False
        return self.refuses_edit()

    # -- drawing -------------------------------------------------------------------------------

    def before_grid(self, project: Project | None, fields: tuple[str, ...] | None) -> None:
        """The comment markers and the lock of the project about to be shown (drawn with its rows)."""
        grid = self.screen.grid
        grid.set_comment_marks(comment_marks(project.comments, fields) if project else {}, redraw=False)
        if project is not None and self.locked(project):
            grid.border_subtitle = f"已锁定（{ProjectStatus(project.status).value}） F10 审核"
        elif project is not None and project.status is ProjectStatus.RETURNED:
            grid.border_subtitle = "已退回：改后再提交 F10 审核"
        elif project is not None and self.who.enabled:
            grid.border_subtitle = f"{ProjectStatus(project.status).value} F10 审核"
        else:
            grid.border_subtitle = ""

    def cursor_moved(self) -> None:
        """The comments panel follows the cursor: those of its cell and row first."""
        panel = self.screen.query_one("#comments", CommentsPanel)
        draft = self.workspace.draft
        if draft is None:
            panel.show([])
            return
        grid = self.screen.grid
        row = grid.current_row if draft.indicators else None
        panel.show(draft.project.comments, row, grid.current_field if row is not None else None)

    def comment_chosen(self, comment: Comment) -> None:
        """A comment chosen in the panel: its cell (or row) in the grid."""
        if comment.row is not None and self.workspace.current_id is not None:
            self.screen.jump_to(JumpTarget(self.workspace.current_id, comment.row + 1, comment.field))

    # -- actions -------------------------------------------------------------------------------

    def act(self, name: str) -> None:
        handlers: dict[str, Callable[[], None]] = {
            "menu": self.menu,
            "submit": self.submit,
            "withdraw": self.withdraw,
            "return": self.return_table,
            "approve": self.approve,
            "finance": self.finance_review,
            "comment": self.comment,
            "reply": self.reply,
            "queue": self.queue,
            "goals": self.department_goals,
        }
        handlers[name]()

    def _project(self) -> Project | None:
        draft = self.workspace.draft
        if draft is None or draft.id is None:
            self.screen.notify("请先在左侧选择一个项目", severity="warning", timeout=4)
            return None
        return draft.project

    def _department_code(self) -> str:
        department = self.workspace.department
        return department.code if department is not None else ""

    def allowed(self, project: Project) -> list[Action]:
        return allowed_actions(project.status, self.who.actor, self._department_code())

    def menu(self) -> None:
        """F10: every review action, those the user may take now enabled, the others saying why not."""
        draft = self.workspace.draft
        project = draft.project if draft is not None else None
        allowed = self.allowed(project) if project is not None else []
        entries: list[tuple[str, str, str, bool]] = []
        for name, (action, label, binding_id) in ACTIONS.items():
            key = self._key(binding_id)
            if action is None:
                enabled = name in ("queue", "goals") or project is not None
                if name == "reply":
                    enabled = project is not None and bool(project.comments)
                elif name == "comment":  # reviewers comment, owners reply (the core refuses otherwise)
                    enabled = enabled and self.who.registered is not None and self.who.actor.role is not Role.OWNER
                entries.append((name, label, key, enabled))
            else:
                entries.append((name, label, key, action in allowed))
        status = ProjectStatus(project.status).value if project is not None else ""
        title = f"审核：{project.name}（{status}）" if project is not None else "审核"

        def chosen(name: str | None) -> None:
            if name:
                self.act(name)

        self.screen.app.push_screen(ReviewMenu(title, self.who.label, entries), chosen)

    def _key(self, binding_id: str) -> str:
        if not binding_id:
            return ""
        keymap = getattr(self.screen.app, "_keymap", None) or {}
        if binding_id in keymap:
            return str(keymap[binding_id])
        for binding in type(self.screen).BINDINGS:
            if isinstance(binding, Binding) and binding.id == binding_id:
                return self.screen.app.get_key_display(binding)
        return ""

    def _then_saved(self, proceed: Callable[[], None]) -> None:
        """Run ``proceed`` now, or once the unsaved edits of the table shown are saved."""
        draft = self.workspace.draft
        if draft is not None and draft.dirty:
            self.screen.notify("先保存未保存的修改……", timeout=3)
            self.screen.saving.save(then=proceed)
        else:
            proceed()

    # 提交 ----------------------------------------------------------------------------------------

    def submit(self, accept: dict[str, str] | None = None) -> None:
        project = self._project()
        if project is None or project.id is None:
            return
        project_id = project.id
        self._then_saved(lambda: self._run("提交", lambda: self.store.submit(project_id, accept or {})))

    def _blocked(self, blocked: Blocked) -> None:
        """A submit refused for open errors: each accepted with a reason, then submitted again."""

        def answered(reasons: dict[str, str] | None) -> None:
            if reasons:
                self.submit(reasons)
            else:
                self.screen.notify("未提交：请改正问题后再提交", severity="warning", timeout=5)

        self.screen.app.push_screen(OpenErrorsDialog(blocked.project_name, blocked.errors), answered)

    def withdraw(self) -> None:
        project = self._project()
        if project is None or project.id is None:
            return
        project_id = project.id
        self._run("撤回", lambda: self.store.transition(project_id, Action.WITHDRAW))

    # 退回, 审核通过, 财政审核 ------------------------------------------------------------------------

    def _places(self, project: Project) -> list[tuple[str, str]]:
        """Where a comment may go, the cursor cell first: (scope, label)."""
        grid = self.screen.grid
        if not project.goal.indicators:
            return [("table", "整张表")]
        row, field = grid.current_row, grid.current_field
        cell = Comment(number=1, text="-", row=row, field=field)
        whole_row = Comment(number=1, text="-", row=row)
        return [
            ("cell", f"当前单元格：{comment_place(cell)}"),
            ("row", f"当前行：{comment_place(whole_row)}"),
            ("table", "整张表"),
        ]

    def _target(self, scope: str) -> tuple[int | None, str | None]:
        if scope == "table":
            return None, None
        grid = self.screen.grid
        return grid.current_row, grid.current_field if scope == "cell" else None

    def return_table(self) -> None:
        project = self._project()
        if project is None or project.id is None:
            return
        project_id = project.id

        def typed(request: CommentRequest | None) -> None:
            if request is None:
                return
            row, field = self._target(request.scope)
            self._run(
                "退回",
                lambda: self.store.transition(
                    project_id, Action.RETURN, comment=(request.text, row, field) if request.text.strip() else None
                ),
            )

        self.screen.app.push_screen(
            CommentDialog(
                f"退回“{project.name}”：写明要改什么",
                places=self._places(project),
                ok_label="退回",
                hint="意见记为一条评论，项目负责人在表格中看到并回复。",
            ),
            typed,
        )

    def approve(self) -> None:
        project = self._project()
        if project is None or project.id is None:
            return
        project_id = project.id
        from perfgoals.tui.screens.dialogs import ConfirmDialog

        def answered(yes: bool | None) -> None:
            if yes:
                self._run("部门审核通过", lambda: self.store.transition(project_id, Action.DEPARTMENT_APPROVE))

        self.screen.app.push_screen(
            ConfirmDialog(f"“{project.name}”部门审核通过，送财政审核？", yes="审核通过"), answered
        )

    def finance_review(self) -> None:
        project = self._project()
        if project is None or project.id is None:
            return
        project_id = project.id

        def reviewed(result: ReviewResult | None) -> None:
            if result is not None:
                self._run(
                    "财政审核",
                    lambda: self.store.transition(
                        project_id,
                        Action.FINANCE_REVIEW,
                        note=result.note,
                        grade=result.grade,
                        opinions=result.opinions,
                    ),
                )

        self.screen.app.push_screen(FinanceReviewDialog(project.name), reviewed)

    # 评论, 回复 ----------------------------------------------------------------------------------

    def comment(self) -> None:
        project = self._project()
        if project is None or project.id is None:
            return
        if self.who.registered is not None and self.who.registered.role is Role.OWNER:
            # Said before anything is typed (the core refuses it too).
            self.screen.notify(
                f"{self.who.registered.label}不能发表评论，只能回复审核人的评论（ctrl+]）", severity="warning", timeout=6
            )
            return
        project_id = project.id

        def typed(request: CommentRequest | None) -> None:
            if request is None:
                return
            row, field = self._target(request.scope)
            self._run("评论", lambda: self.store.comment(project_id, request.text, row, field))

        self.screen.app.push_screen(
            CommentDialog(f"评论“{project.name}”", places=self._places(project), ok_label="评论"), typed
        )

    def _comment_to_answer(self, project: Project) -> Comment | None:
        """The comment 回复 answers: the one highlighted in the panel when it has the focus, else the
        first of the cursor cell (or its row), else the first table-level or open one."""
        panel = self.screen.query_one("#comments", CommentsPanel)
        if self.screen.focused is panel and panel.highlighted_comment is not None:
            return panel.highlighted_comment
        grid = self.screen.grid
        here = comments_at(project.comments, grid.current_row, grid.current_field) if project.goal.indicators else []
        if here:
            return here[0]
        return panel.highlighted_comment if panel.comments else None

    def reply(self, comment: Comment | None = None) -> None:
        """回复 ``comment``, else the comment at the cursor (see :meth:`_comment_to_answer`)."""
        project = self._project()
        if project is None or project.id is None:
            return
        comment = comment or self._comment_to_answer(project)
        if comment is None:
            self.screen.notify("该项目没有评论可以回复", severity="warning", timeout=4)
            return
        project_id, number = project.id, comment.number

        def typed(request: CommentRequest | None) -> None:
            if request is not None:
                self._then_saved(lambda: self._run("回复", lambda: self.store.reply(project_id, number, request.text)))

        quote = f"#{comment.number} {comment_place(comment)}　{comment.author}：{comment.text}"
        if comment.quote:
            quote += f"\n（当时内容：{comment.quote}）"
        self.screen.app.push_screen(CommentDialog(f"回复评论 #{comment.number}", quote=quote, ok_label="回复"), typed)

    # running one action ------------------------------------------------------------------------

    def _run(self, what: str, call: Callable[[], Project | Blocked]) -> None:
        """Run ``call`` (one transaction) in a worker; the project as stored comes back to the screen."""
        screen = self.screen

        def run() -> None:
            try:
                outcome = call()
            except PerfgoalsError as exc:
                screen.call_later(screen.failed, what, str(exc))
                return
            except Exception as exc:  # never ends the app
                screen.call_later(screen.failed, what, f"意外错误 {exc!r}")
                return
            screen.call_later(self._done, what, outcome)

        screen.run_worker(run, thread=True, group="write", description=what)

    def _done(self, what: str, outcome: Project | Blocked) -> None:
        if isinstance(outcome, Blocked):
            self._blocked(outcome)
            return
        self.took(outcome)
        status = ProjectStatus(outcome.status).value
        said = {
            "评论": f"已添加评论（共 {len(outcome.comments)} 条）",
            "回复": "已回复",
        }.get(what, f"{what}：“{outcome.name}”现为{status}")
        self.screen.notify(said, title="审核", timeout=5)

    def took(self, project: Project) -> None:
        """The database now holds ``project`` (after a review action): the screen shows it."""
        if project.id is None or project.id not in self.workspace.drafts:
            return
        draft = self.workspace.drafts[project.id]
        if draft.dirty:
            # Edits made meanwhile stay; their save merges the review's fields (never losing one).
            self.screen.notify("有未保存的修改：保存后显示最新的审核状态", severity="warning", timeout=6)
            return
        if self.workspace.refresh_project(project):
            self.screen.view.project_replaced(project.id)

    # 审核队列 and 部门整体绩效目标 -------------------------------------------------------------------

    def queue(self) -> None:
        from perfgoals.tui.screens.review_queue import ReviewQueueScreen

        self.screen.app.push_screen(ReviewQueueScreen(self.store, self.who), self.open_from_queue)

    def open_from_queue(self, target: Any) -> None:
        """Back from the queue with a project to open: (department id, project id)."""
        if not isinstance(target, tuple):
            return
        department_id, project_id = target
        department = self.workspace.department
        if department is not None and department.id == department_id and project_id in self.workspace.drafts:
            self.screen.jump_to(JumpTarget(project_id))
            return
        loader = self.screen.loader

        def go() -> None:
            loader.pending_jump = JumpTarget(project_id)
            loader.load(department_id)

        self.screen.confirm_leave("打开项目", go)

    def department_goals(self) -> None:
        department = self.workspace.department
        if department is None or department.id is None:
            return
        department_id = department.id
        label = f"{department.code} {department.name}（{department.year} 年）"

        def saved(goals: DepartmentGoals) -> None:
            current = self.workspace.department
            if current is not None and current.id == department_id:
                current.goals = goals

        edit_department_goals(self.screen, self.store, department_id, label, saved)
