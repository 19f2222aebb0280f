"""The TUI's way to the review's core: each method one transaction of :mod:`perfgoals.storage.workflow`
(the same functions ``perfgoals review …`` calls), run in a worker thread.

Who acts is resolved as the CLI resolves it (:func:`perfgoals.storage.users.login_name`: the
PostgreSQL login, or the name given with ``--user`` / ``PERFGOALS_USER``).  A submit refused for open
errors comes back as :class:`Blocked`, listing them (the gate's own findings), for the dialog that
accepts each with a reason.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy.engine import Engine

from perfgoals.models import DepartmentGoals, Grade, Project, ProjectStatus, Role
from perfgoals.tui.screens.review_dialogs import OpenError
from perfgoals.workflow import Action, Actor, WorkflowError, unregistered

if TYPE_CHECKING:
    from sqlmodel import Session

    from perfgoals.checks.findings import Finding


@dataclass(frozen=True, slots=True)
class Who:
    """Who is working: the name, the actor the workflow sees (``None``: not registered), whether the
    review is set up, and what went wrong reading it."""

    name: str
    registered: Actor | None = None
    enabled: bool = False
    problem: str = ""

    @property
    def actor(self) -> Actor:
        """The actor for menus and queues (an unregistered name acts as nobody in particular)."""
        if self.registered is not None:
            return self.registered
        if not self.enabled:
            return unregistered(self.name)
        return Actor(name=self.name, role=Role.OWNER, departments=("—",))

    @property
    def label(self) -> str:
        if self.registered is not None:
            return f"当前用户：{self.registered.label}，负责部门：{self.registered.scope}"
        if not self.enabled:
            return f"当前用户：{self.name}（审核流程尚未设置：所有人按项目负责人提交）"
        return f"当前用户：{self.name}（未登记，不能参与审核）"


@dataclass(frozen=True, slots=True)
class Blocked:
    """A submit refused for open errors: every one, and the refusal as the core words it."""

    project_name: str
    errors: list[OpenError]
    message: str


@dataclass(frozen=True, slots=True)
class QueueRow:
    """One table of a queue, as the queue screen lists it."""

    department_id: int
    department: str
    project_id: int
    project: str
    status: ProjectStatus
    submitted_by: str = ""
    submitted_at: datetime | None = None
    open_comments: int = 0
    actions: list[str] = field(default_factory=list)


def _open_error(finding: Finding) -> OpenError:
    from perfgoals.tui.widgets.findings_panel import where

    return OpenError(finding.code, where(finding), finding.message)


class ReviewStore:
    """One database and the person working on it (see the module docstring)."""

    def __init__(self, engine: Engine, user: str) -> None:
        self.engine = engine
        self.user = user

    def _name(self, session: Session) -> str:
        from perfgoals.storage.users import login_name

        return login_name(session, requested=self.user)

    def who(self) -> Who:
        from perfgoals.storage.db import read_session
        from perfgoals.storage.users import actor_for, workflow_enabled

        with read_session(self.engine) as session:
            name = self._name(session)
            enabled = workflow_enabled(session)
            try:
                actor = actor_for(session, name=name)
            except WorkflowError as exc:
                return Who(name=name, enabled=enabled, problem=str(exc))
            return Who(name=name, registered=actor if actor.registered else None, enabled=enabled)

    # -- transitions ---------------------------------------------------------------------------

    def submit(self, project_id: int, accept: dict[str, str]) -> Project | Blocked:
        """提交, accepting ``accept`` (code → reason) first; refused for open errors: :class:`Blocked`."""
        try:
            return self.transition(project_id, Action.SUBMIT, accept=accept)
        except WorkflowError as exc:
            blocked = self._open_errors(project_id, str(exc))
            if blocked is None:
                raise
            return blocked

    def _open_errors(self, project_id: int, message: str) -> Blocked | None:
        from perfgoals.storage import repository as repo
        from perfgoals.storage.db import read_session
        from perfgoals.workflow.gate import open_errors, project_findings

        with read_session(self.engine) as session:
            project = repo.load_project(session, project_id=project_id)
            department_id = self._department_id(session, project_id)
            department = repo.load_department(session, department_id=department_id)
        stored = next((p for p in department.projects if p.id == project_id), project)
        errors = open_errors(project_findings(department, stored))
        if not errors:
            return None
        return Blocked(project.name, [_open_error(finding) for finding in errors], message)

    @staticmethod
    def _department_id(session: Session, project_id: int) -> int:
        from sqlalchemy import select
        from sqlmodel import col

        from perfgoals.storage.tables import ProjectRow

        query = select(col(ProjectRow.department_id)).where(col(ProjectRow.id) == project_id)
        return int(session.execute(query).scalar_one())

    def transition(
        self,
        project_id: int,
        action: Action,
        *,
        note: str = "",
        grade: Grade | None = None,
        opinions: dict[str, str] | None = None,
        accept: dict[str, str] | None = None,
        comment: tuple[str, int | None, str | None] | None = None,
    ) -> Project:
        from perfgoals.storage import workflow
        from perfgoals.storage.db import write_session

        comments = [workflow.CommentRequest(comment[0], comment[1], comment[2])] if comment else []
        with write_session(self.engine) as session:
            done = workflow.transition(
                session,
                project_id=project_id,
                user=self._name(session),
                action=action,
                note=note,
                grade=grade,
                opinions=opinions,
                accept=accept,
                comments=comments,
            )
        # Read back: the project as stored now, with what the submit accepted.
        return self.load(done.project.id or project_id)

    def load(self, project_id: int) -> Project:
        from perfgoals.storage import repository as repo
        from perfgoals.storage.db import read_session

        with read_session(self.engine) as session:
            return repo.load_project(session, project_id=project_id)

    # -- comments ------------------------------------------------------------------------------

    def comment(self, project_id: int, text: str, row: int | None, field: str | None) -> Project:
        from perfgoals.storage import workflow
        from perfgoals.storage.db import write_session

        with write_session(self.engine) as session:
            return workflow.add_comment(
                session, project_id=project_id, user=self._name(session), text=text, row=row, field=field
            )

    def reply(self, project_id: int, number: int, text: str) -> Project:
        from perfgoals.storage import workflow
        from perfgoals.storage.db import write_session

        with write_session(self.engine) as session:
            return workflow.reply(session, project_id=project_id, user=self._name(session), number=number, text=text)

    # -- the queue -----------------------------------------------------------------------------

    def queue(self, *, all_departments: bool = False) -> list[QueueRow]:
        """What awaits the user (``all_departments``, for a 财政审核人: every department's tables
        awaiting anyone), with who submitted each and when, and its open comments."""
        from perfgoals.storage import repository as repo
        from perfgoals.storage import workflow
        from perfgoals.storage.db import read_session

        with read_session(self.engine) as session:
            entries = workflow.queue(session, user=self._name(session), all_departments=all_departments)
            ids = sorted({entry.located.department_id for entry in entries})
            projects = {
                project.id: project
                for department in repo.load_departments(session, department_ids=ids)
                for project in department.projects
            }
        rows: list[QueueRow] = []
        for entry in entries:
            located = entry.located
            project = projects.get(located.project_id)
            submitted = None
            if project is not None:
                submitted = next((e for e in reversed(project.reviews) if e.action == Action.SUBMIT.value), None)
            rows.append(
                QueueRow(
                    department_id=located.department_id,
                    department=located.department_label,
                    project_id=located.project_id,
                    project=located.name,
                    status=located.status,
                    submitted_by=submitted.user if submitted is not None else "",
                    submitted_at=submitted.at if submitted is not None else None,
                    open_comments=sum(1 for c in project.comments if not c.resolved and not c.replies) if project else 0,
                    actions=[action.value for action in entry.actions],
                )
            )
        return rows

    # -- 部门整体绩效目标 ---------------------------------------------------------------------------

    def load_goals(self, department_id: int) -> DepartmentGoals:
        from perfgoals.storage.db import read_session
        from perfgoals.storage.department_goals import load_department_goals

        with read_session(self.engine) as session:
            return load_department_goals(session, department_id=department_id)

    def save_goals(self, department_id: int, goals: DepartmentGoals) -> bool:
        from perfgoals.storage.db import write_session
        from perfgoals.storage.department_goals import save_department_goals

        with write_session(self.engine) as session:
            return save_department_goals(session, department_id=department_id, goals=goals, user=self._name(session))
