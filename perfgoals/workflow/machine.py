"""The review's state machine: who may move a goal table from which status to which.

:data:`TRANSITIONS` is the whole rule, one entry per (status, action, role) → new status.  A finance
review (财政审核) graded 中 or 差 returns the table instead (:data:`FAILING_GRADES`).

Permissions: an :class:`Actor` has one role and a list of department codes; a 部门审核人 or 项目负责人
acts only on projects of his departments, a 财政审核人 with no departments on every department.  While
no user is registered the review is *not set up*: everyone acts as a 项目负责人 of every department
(:func:`unregistered`), who can submit and withdraw but not review; a submitted table is locked all the same.

:func:`decide` checks one request and returns the :class:`~perfgoals.models.ReviewEvent` to record, or
raises :class:`WorkflowError` with the reason in Chinese (wrong role, department not his, wrong status,
a 退回 without a comment or note, a finance review without its grade or opinions).  The submit gate
(open errors) is :mod:`perfgoals.workflow.gate`; storage is :mod:`perfgoals.storage.workflow`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum

from perfgoals.errors import PerfgoalsError
from perfgoals.models import REVIEW_POINTS, Grade, Project, ProjectStatus, ReviewEvent, Role


class WorkflowError(PerfgoalsError):
    """A review action refused; the message says why (Chinese).  Nothing was written."""


class Action(StrEnum):
    """What a user does to a goal table in the review."""

    SUBMIT = "提交"
    WITHDRAW = "撤回"
    RETURN = "退回"
    DEPARTMENT_APPROVE = "部门审核通过"
    FINANCE_REVIEW = "财政审核"


_S, _A, _R = ProjectStatus, Action, Role

#: (status, action, role) → the status after it.  Nothing else is allowed.
TRANSITIONS: dict[tuple[ProjectStatus, Action, Role], ProjectStatus] = {
    (_S.DRAFT, _A.SUBMIT, _R.OWNER): _S.SUBMITTED,
    (_S.RETURNED, _A.SUBMIT, _R.OWNER): _S.SUBMITTED,
    # The owner takes a submission back before the department has acted on it.
    (_S.SUBMITTED, _A.WITHDRAW, _R.OWNER): _S.DRAFT,
    (_S.SUBMITTED, _A.RETURN, _R.DEPARTMENT_REVIEWER): _S.RETURNED,
    (_S.SUBMITTED, _A.RETURN, _R.FINANCE_REVIEWER): _S.RETURNED,
    (_S.DEPARTMENT_APPROVED, _A.RETURN, _R.FINANCE_REVIEWER): _S.RETURNED,
    # The finance office may reopen a table it approved (a budget adjustment, a table approved in error).
    (_S.FINANCE_APPROVED, _A.RETURN, _R.FINANCE_REVIEWER): _S.RETURNED,
    (_S.SUBMITTED, _A.DEPARTMENT_APPROVE, _R.DEPARTMENT_REVIEWER): _S.DEPARTMENT_APPROVED,
    (_S.DEPARTMENT_APPROVED, _A.FINANCE_REVIEW, _R.FINANCE_REVIEWER): _S.FINANCE_APPROVED,
}

#: A finance review with one of these grades returns the table to its owner.
FAILING_GRADES = frozenset({Grade.FAIR, Grade.POOR})


@dataclass(frozen=True, slots=True)
class Actor:
    """Who acts: a registered user, or anyone while the review is not set up (``registered=False``)."""

    name: str
    role: Role
    departments: tuple[str, ...] = ()
    registered: bool = True

    def covers(self, department_code: str) -> bool:
        """Whether this user acts for ``department_code``."""
        if not self.registered:
            return True
        if not self.departments:
            return self.role is Role.FINANCE_REVIEWER
        return department_code in self.departments

    @property
    def label(self) -> str:
        return f"{self.name}（{self.role.value}）"

    @property
    def scope(self) -> str:
        """The departments in words: ``全部部门`` or ``731、732``."""
        if not self.registered or (not self.departments and self.role is Role.FINANCE_REVIEWER):
            return "全部部门"
        return "、".join(self.departments) or "无"


def unregistered(name: str) -> Actor:
    """Anyone while no user is registered: a 项目负责人 of every department."""
    return Actor(name=name, role=Role.OWNER, registered=False)


def roles_for(action: Action) -> list[Role]:
    """The roles that may take ``action`` at all, in :class:`Role` order."""
    roles = {role for (_, act, role) in TRANSITIONS if act is action}
    return [role for role in Role if role in roles]


def statuses_for(action: Action, role: Role) -> list[ProjectStatus]:
    """The statuses from which ``role`` may take ``action``, in :class:`ProjectStatus` order."""
    found = {status for (status, act, who) in TRANSITIONS if act is action and who is role}
    return [status for status in ProjectStatus if status in found]


def allowed_actions(status: ProjectStatus, actor: Actor, department_code: str) -> list[Action]:
    """What ``actor`` may do to a table in ``status`` of ``department_code`` (for menus and queues)."""
    if not actor.covers(department_code):
        return []
    return [action for action in Action if (ProjectStatus(status), action, actor.role) in TRANSITIONS]


def _quoted(items: Sequence[str]) -> str:
    return "、".join(f"“{item}”" for item in items)


def check_permission(project: Project, *, department_code: str, actor: Actor, action: Action) -> ProjectStatus:
    """The status ``action`` leads to (before a grade turns it), or :class:`WorkflowError` saying why not."""
    status = ProjectStatus(project.status)
    roles = roles_for(action)
    if actor.role not in roles:
        if not actor.registered:
            raise WorkflowError(
                f"审核流程尚未设置（数据库中还没有登记用户），不能“{action.value}”：所有人都按项目负责人提交和撤回。"
                "请先用 perfgoals users add 登记审核人（登记财政审核人之前任何人都可以添加用户）"
            )
        raise WorkflowError(
            f"“{action.value}”只能由{'或'.join(role.value for role in roles)}操作，{actor.label}不能"
        )
    if not actor.covers(department_code):
        raise WorkflowError(
            f"项目“{project.name}”属于部门 {department_code}，{actor.label}负责的部门是 {actor.scope}，不能“{action.value}”"
        )
    target = TRANSITIONS.get((status, action, actor.role))
    if target is None:
        allowed = statuses_for(action, actor.role)
        raise WorkflowError(
            f"项目“{project.name}”现为“{status.value}”，不能“{action.value}”："
            f"{actor.role.value}只能对{_quoted([s.value for s in allowed])}的表“{action.value}”"
        )
    return target


def _last_submission(project: Project) -> datetime | None:
    for event in reversed(project.reviews):
        if event.action == Action.SUBMIT.value:
            return event.at
    return None


def open_comments_since_submission(project: Project) -> list[int]:
    """The numbers of the unresolved comments made since the table was last submitted."""
    since = _last_submission(project)
    return [
        comment.number
        for comment in project.comments
        if not comment.resolved and (since is None or comment.at is None or comment.at >= since)
    ]


def _opinions(grade: Grade, opinions: Mapping[str, str]) -> dict[str, str]:
    unknown = [point for point in opinions if point not in REVIEW_POINTS]
    if unknown:
        raise WorkflowError(f"没有审核要点{_quoted(unknown)}；审核要点是 {'、'.join(REVIEW_POINTS)}")
    if grade in FAILING_GRADES:
        missing = [point for point in REVIEW_POINTS if not opinions.get(point, "").strip()]
        if missing:
            raise WorkflowError(
                f"财政审核结果为“{grade.value}”（退回），每个审核要点都要写明意见，缺少：{'、'.join(missing)}"
            )
    return {point: opinions.get(point, "") for point in REVIEW_POINTS}


def decide(
    project: Project,
    *,
    department_code: str,
    actor: Actor,
    action: Action,
    note: str = "",
    grade: Grade | None = None,
    opinions: Mapping[str, str] | None = None,
    accepted: Sequence[str] = (),
    new_comments: int = 0,
    at: datetime | None = None,
) -> ReviewEvent:
    """Check one request (module docstring) and return the event that records it.

    ``new_comments``: comments made with a 退回 (a 退回 needs one, an open comment since the last
    submission, or a note).  A finance review needs ``grade``; graded 中/差 it needs an opinion on every
    审核 point (the owner must know what to fix), graded 优/良 a point may be left blank (无意见).
    """
    target = check_permission(project, department_code=department_code, actor=actor, action=action)
    opinions = dict(opinions or {})
    if action is not Action.FINANCE_REVIEW and (grade is not None or any(v.strip() for v in opinions.values())):
        raise WorkflowError(f"“{action.value}”不记录等级和审核要点意见，只有财政审核记录")
    recorded: dict[str, str] = {}
    if action is Action.FINANCE_REVIEW:
        if grade is None:
            raise WorkflowError(f"财政审核必须给出结果：{'、'.join(g.value for g in Grade)}（中、差将退回）")
        recorded = _opinions(grade, opinions)
        if grade in FAILING_GRADES:
            target = ProjectStatus.RETURNED
    if action is Action.RETURN and not (new_comments or note.strip() or open_comments_since_submission(project)):
        raise WorkflowError(f"退回项目“{project.name}”须附至少一条评论或一段说明，告诉项目负责人要改什么")
    return ReviewEvent(
        action=action.value,
        from_status=ProjectStatus(project.status),
        to_status=target,
        user=actor.name,
        role=actor.role,
        at=at or datetime.now(UTC),
        note=note,
        grade=grade,
        opinions=recorded,
        accepted=list(accepted) if action is Action.SUBMIT else [],
    )


def apply(project: Project, event: ReviewEvent) -> Project:
    """``project`` after ``event``: its new status, the event appended to its history."""
    return project.model_copy(update={"status": event.to_status, "reviews": [*project.reviews, event]})
