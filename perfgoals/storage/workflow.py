"""The review, stored: transitions, comments, replies and the queue (see :mod:`perfgoals.workflow`).

API (keyword-only, the caller owns the session and its transaction; ``user`` is the name of who acts,
resolved by the caller, :func:`perfgoals.storage.users.login_name`):

- :func:`locate` ``(session, project=, code=None, year=None) -> Located``: a project by name or code,
  across departments unless ``code``/``year`` narrow it.
- :func:`transition` ``(session, project_id=, user=, action=, note=, grade=, opinions=, accept=,
  comments=, expected_revision=None) -> Transition``.  A 提交 first accepts ``accept`` (code → reason),
  then runs the submit gate (:mod:`perfgoals.workflow.gate`: refused with
  :class:`perfgoals.workflow.gate.SubmitBlocked`, which lists the open errors); a 退回 adds ``comments``.
- :func:`add_comment`, :func:`reply`, :func:`resolve` ``-> Project``.
- :func:`queue` ``(session, user=, everything=False) -> list[QueueEntry]``: what awaits the user.

Every write changes only the project's status and its review column, adds one to the goal table's
revision (so an editor holding an older version conflicts and merges instead of overwriting, and the
merge keeps every comment: :func:`perfgoals.workflow.comments.merge_comments`), and is recorded in the
history with the action's Chinese name (``提交``, ``退回``, ``评论`` …) and the project as it now is.
A refused request raises :class:`perfgoals.workflow.WorkflowError` (or a storage error) and writes
nothing; a concurrent write to the same project raises :class:`~perfgoals.storage.repository.RevisionConflict`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, cast

from sqlalchemy import CursorResult, case, select, update
from sqlmodel import Session, col

from perfgoals.models import LEGACY_STATUSES, Grade, Project, ProjectStatus, ReviewEvent, Role
from perfgoals.storage import repository as repo
from perfgoals.storage.followup import followup_values
from perfgoals.storage.tables import DepartmentRow, ProjectRow, utcnow
from perfgoals.storage.users import actor_for
from perfgoals.workflow.comments import find_comment, make_comment, with_comment, with_reply, with_resolved
from perfgoals.workflow.machine import (
    Action,
    Actor,
    WorkflowError,
    allowed_actions,
    apply,
    check_permission,
    decide,
)


@dataclass(frozen=True, slots=True)
class Located:
    project_id: int
    name: str
    department_id: int
    department_code: str
    department_name: str
    year: int
    status: ProjectStatus

    @property
    def department_label(self) -> str:
        return f"{self.department_code} {self.department_name}（{self.year}年）"


@dataclass(frozen=True, slots=True)
class CommentRequest:
    """A comment to add: ``row`` 0-based (``None``: the table), ``field`` an Indicator attribute or a
    Chinese column name (``None``: the whole row)."""

    text: str
    row: int | None = None
    field: str | None = None


@dataclass(frozen=True, slots=True)
class Transition:
    project: Project  # as saved
    event: ReviewEvent
    accepted_now: list[str] = field(default_factory=list)  # codes accepted with this submission

    @property
    def message(self) -> str:
        event = self.event
        text = f"项目“{self.project.name}”：{event.action}，{event.from_status.value} → {event.to_status.value}"
        if event.grade is not None:
            text += f"（{event.grade.value}）"
        if event.accepted:
            text += f"；已接受的问题：{'、'.join(event.accepted)}"
        return text + "。"


@dataclass(frozen=True, slots=True)
class QueueEntry:
    located: Located
    actions: list[Action]
    updated_at: datetime | None
    updated_by: str


def _located(row: Any) -> Located:
    return Located(
        project_id=row.id,
        name=row.name,
        department_id=row.department_id,
        department_code=row.code,
        department_name=row.department_name,
        year=row.year,
        status=ProjectStatus(repo_status(row.status)),
    )


def repo_status(value: str) -> str:
    """A stored status, the legacy ``已审核`` read as 财政已审."""
    return LEGACY_STATUSES.get(value, value)


def _project_query() -> Any:
    return (
        select(
            col(ProjectRow.id),
            col(ProjectRow.name),
            col(ProjectRow.department_id),
            col(ProjectRow.status),
            col(ProjectRow.updated_at),
            col(ProjectRow.updated_by),
            col(DepartmentRow.code),
            col(DepartmentRow.name).label("department_name"),
            col(DepartmentRow.year),
        )
        .join(DepartmentRow, col(DepartmentRow.id) == col(ProjectRow.department_id))
        .where(col(ProjectRow.deleted_at).is_(None))
    )


def locate(session: Session, *, project: str, code: str | None = None, year: int | None = None) -> Located:
    """The one live project named ``project`` (or with that project code), within ``code``/``year``."""
    wanted = project.strip()
    query = _project_query().where((col(ProjectRow.name) == wanted) | (col(ProjectRow.code) == wanted))
    if code is not None:
        query = query.where(col(DepartmentRow.code) == code)
    if year is not None:
        query = query.where(col(DepartmentRow.year) == year)
    rows = session.execute(query.order_by(col(DepartmentRow.year).desc(), col(DepartmentRow.code))).all()
    scope = "".join(part for part in (f"部门 {code} " if code else "", f"{year} 年" if year else "") if part)
    if not rows:
        raise repo.NotFound(f"{scope or '数据库'}中没有项目“{project}”（perfgoals queue 列出待办的表）")
    if len(rows) > 1:
        listed = "、".join(_located(row).department_label for row in rows[:10])
        raise repo.Ambiguous(f"有 {len(rows)} 个部门年度有项目“{project}”：{listed}；请用 -d 部门编码 和 -y 年度 指定")
    return _located(rows[0])


def _department_code(session: Session, project_id: int) -> tuple[int, str]:
    row = session.execute(
        select(col(ProjectRow.department_id), col(DepartmentRow.code))
        .join(DepartmentRow, col(DepartmentRow.id) == col(ProjectRow.department_id))
        .where(col(ProjectRow.id) == project_id)
    ).one()
    return int(row[0]), str(row[1])


def _write(session: Session, *, before: Project, after: Project, user: str, action: str) -> Project:
    """Store ``after``'s status and review over ``before`` (revision-checked), and record ``action``."""
    assert before.id is not None
    revision = before.goal.revision + 1
    saved = after.model_copy(update={"goal": after.goal.model_copy(update={"revision": revision})})
    result = session.execute(
        update(ProjectRow)
        .where(
            col(ProjectRow.id) == before.id,
            col(ProjectRow.revision) == before.goal.revision,
            col(ProjectRow.deleted_at).is_(None),
        )
        .values(
            status=ProjectStatus(saved.status).value,
            review=followup_values(saved)["review"],
            revision=revision,
            updated_at=utcnow(),
            updated_by=user,
        )
    )
    if cast(CursorResult[Any], result).rowcount != 1:
        current = repo.load_project(session, project_id=before.id)
        raise repo.RevisionConflict(
            f"项目“{before.name}”刚被他人改为第 {current.goal.revision} 版，未写入；请重试", current=current
        )
    department_id, _ = _department_code(session, before.id)
    repo.record_change(
        session,
        user=user,
        entity="project",
        action=action,
        department_id=department_id,
        project_id=before.id,
        entity_key=before.name,
        before={"status": ProjectStatus(before.status).value},
        after=saved.model_dump(mode="json", exclude={"acceptances"}),
    )
    return saved


def _current(session: Session, project_id: int, expected_revision: int | None) -> Project:
    project = repo.load_project(session, project_id=project_id)
    if expected_revision is not None and project.goal.revision != expected_revision:
        raise repo.RevisionConflict(
            f"项目“{project.name}”已被他人改为第 {project.goal.revision} 版（你看到的是第 {expected_revision} 版），"
            "未写入；请刷新后再操作",
            current=project,
        )
    return project


def _accept(
    session: Session, *, project: Project, department_id: int, accept: Mapping[str, str], user: str
) -> list[str]:
    """Accept ``accept`` (code → reason) on ``project``: each must be a finding of the project."""
    if not accept:
        return []
    from perfgoals.workflow.gate import project_findings

    department = repo.load_department(session, department_id=department_id)
    found = {finding.code for finding in project_findings(department, project)}
    for code, reason in accept.items():
        if not reason.strip():
            raise WorkflowError(f"接受 {code} 要写明理由（--accept {code}=理由）")
        if code not in found:
            raise WorkflowError(f"项目“{project.name}”没有 {code} 问题，无需接受（perfgoals check -p 项目 列出问题）")
    for code, reason in accept.items():
        repo.accept_finding(
            session, department_id=department_id, project_id=project.id, code=code, reason=reason, user=user
        )
    return list(accept)


def transition(
    session: Session,
    *,
    project_id: int,
    user: str,
    action: Action | str,
    note: str = "",
    grade: Grade | str | None = None,
    opinions: Mapping[str, str] | None = None,
    accept: Mapping[str, str] | None = None,
    comments: Sequence[CommentRequest] = (),
    expected_revision: int | None = None,
    at: datetime | None = None,
) -> Transition:
    """Take ``action`` on the project for ``user`` (module docstring)."""
    action = Action(action)
    grade = Grade(grade) if grade is not None else None
    actor = actor_for(session, name=user)
    project = _current(session, project_id, expected_revision)
    department_id, code = _department_code(session, project_id)
    check_permission(project, department_code=code, actor=actor, action=action)
    if comments and action is not Action.RETURN:
        raise WorkflowError(f"“{action.value}”不带评论；评论用 perfgoals comment，或随“退回”一起写")
    at = at or datetime.now(UTC)
    accepted: list[str] = []
    accepted_now: list[str] = []
    if action is Action.SUBMIT:
        from perfgoals.workflow.gate import SubmitBlocked, accepted_codes, open_errors, project_findings

        accepted_now = _accept(session, project=project, department_id=department_id, accept=accept or {}, user=user)
        department = repo.load_department(session, department_id=department_id)
        stored = next(p for p in department.projects if p.id == project_id)
        findings = project_findings(department, stored)
        errors = open_errors(findings)
        if errors:
            raise SubmitBlocked(project, errors)
        accepted = accepted_codes(findings)
    elif accept:
        raise WorkflowError("只有提交时可以用 --accept 接受问题")
    reviewed = project
    for request in comments:
        comment = make_comment(
            reviewed, author=actor.name, role=actor.role, text=request.text, row=request.row, field=request.field, at=at
        )
        reviewed = with_comment(reviewed, comment)
    event = decide(
        reviewed,
        department_code=code,
        actor=actor,
        action=action,
        note=note,
        grade=grade,
        opinions=opinions,
        accepted=accepted,
        new_comments=len(comments),
        at=at,
    )
    saved = _write(session, before=project, after=apply(reviewed, event), user=actor.name, action=action.value)
    return Transition(saved, event, accepted_now)


def _commenter(session: Session, *, project: Project, code: str, user: str) -> Actor:
    actor = actor_for(session, name=user)
    if actor.role is Role.OWNER:
        raise WorkflowError(
            f"只有部门审核人和财政审核人可以发表评论；{actor.label}可以回复评论（perfgoals reply）"
            if actor.registered
            else "审核流程尚未设置（数据库中还没有登记用户），还没有审核人可以评论；可先用 perfgoals users add 登记"
        )
    if not actor.covers(code):
        raise WorkflowError(f"项目“{project.name}”属于部门 {code}，{actor.label}负责的部门是 {actor.scope}")
    return actor


def add_comment(
    session: Session,
    *,
    project_id: int,
    user: str,
    text: str,
    row: int | None = None,
    field: str | None = None,
    expected_revision: int | None = None,
) -> Project:
    """A reviewer's comment on the table, a row (0-based) or a cell; returns the project as saved."""
    project = _current(session, project_id, expected_revision)
    _, code = _department_code(session, project_id)
    actor = _commenter(session, project=project, code=code, user=user)
    comment = make_comment(project, author=actor.name, role=actor.role, text=text, row=row, field=field)
    return _write(session, before=project, after=with_comment(project, comment), user=actor.name, action="评论")


def reply(
    session: Session, *, project_id: int, user: str, number: int, text: str, expected_revision: int | None = None
) -> Project:
    """Anyone who may act on the project's department answers comment ``number``."""
    project = _current(session, project_id, expected_revision)
    _, code = _department_code(session, project_id)
    actor = actor_for(session, name=user)
    if not actor.covers(code):
        raise WorkflowError(f"项目“{project.name}”属于部门 {code}，{actor.label}负责的部门是 {actor.scope}")
    return _write(
        session, before=project, after=with_reply(project, number, author=actor.name, text=text), user=actor.name,
        action="回复",
    )


def resolve(
    session: Session,
    *,
    project_id: int,
    user: str,
    number: int,
    resolved: bool = True,
    expected_revision: int | None = None,
) -> Project:
    """A reviewer (or the comment's author) marks comment ``number`` resolved (or open again)."""
    project = _current(session, project_id, expected_revision)
    _, code = _department_code(session, project_id)
    actor = actor_for(session, name=user)
    comment = find_comment(project, number)
    if comment.author != actor.name:
        _commenter(session, project=project, code=code, user=user)
    return _write(
        session, before=project, after=with_resolved(project, number, resolved=resolved), user=actor.name,
        action="解决" if resolved else "重开评论",
    )


#: What each role finds in its queue.
QUEUE_STATUSES: dict[Role, tuple[ProjectStatus, ...]] = {
    Role.OWNER: (ProjectStatus.RETURNED, ProjectStatus.DRAFT),
    Role.DEPARTMENT_REVIEWER: (ProjectStatus.SUBMITTED,),
    Role.FINANCE_REVIEWER: (ProjectStatus.DEPARTMENT_APPROVED,),
}
#: Who a table in each status waits for (the whole office's queue).
AWAITING: dict[ProjectStatus, Role] = {
    ProjectStatus.RETURNED: Role.OWNER,
    ProjectStatus.SUBMITTED: Role.DEPARTMENT_REVIEWER,
    ProjectStatus.DEPARTMENT_APPROVED: Role.FINANCE_REVIEWER,
}


def queue(
    session: Session, *, user: str, all_departments: bool = False, year: int | None = None
) -> list[QueueEntry]:
    """The tables awaiting ``user``: a 部门审核人 the 已提交 ones of his departments, a 财政审核人 the
    部门已审 ones of every department (or of his, if he has a list), an owner his departments' 已退回
    and 草稿 ones (returned first).

    ``all_departments`` (a 财政审核人, or anyone while the review is not set up): every department's
    tables awaiting anyone, 已退回 · 已提交 · 部门已审 (:data:`AWAITING` says whose turn it is).
    """
    actor = actor_for(session, name=user)
    if all_departments:
        if actor.registered and actor.role is not Role.FINANCE_REVIEWER:
            raise WorkflowError(f"只有财政审核人可以查看全部部门的待办，{actor.label}只能查看自己的")
        statuses: tuple[ProjectStatus, ...] = tuple(AWAITING)
    else:
        statuses = QUEUE_STATUSES[actor.role]
    query = _project_query().where(col(ProjectRow.status).in_([s.value for s in statuses]))
    if year is not None:
        query = query.where(col(DepartmentRow.year) == year)
    if not all_departments and actor.registered and actor.departments:
        query = query.where(col(DepartmentRow.code).in_(actor.departments))
    elif not all_departments and actor.registered and actor.role is not Role.FINANCE_REVIEWER:
        return []
    order = case({s.value: i for i, s in enumerate(statuses)}, value=col(ProjectRow.status), else_=len(statuses))
    rows = session.execute(
        query.order_by(col(DepartmentRow.year).desc(), col(DepartmentRow.code), order, col(ProjectRow.position))
    ).all()
    entries = []
    for row in rows:
        located = _located(row)
        actions = allowed_actions(located.status, actor, located.department_code)
        entries.append(QueueEntry(located, actions, row.updated_at, row.updated_by))
    return entries
