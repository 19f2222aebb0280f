"""The lock of goal tables under review, where the repository writes (:mod:`perfgoals.workflow.lock`).

Always, whether or not the review is set up (a user is registered, :mod:`perfgoals.storage.users`):

- :func:`refuse_locked_save` (called by :func:`perfgoals.storage.repository.save_project`): a table
  已提交, 部门已审 or 财政已审 keeps its targets (:func:`perfgoals.workflow.lock.locked_changes`), and a
  status changes only through the review (:mod:`perfgoals.storage.workflow`), never by a save.  Before
  the review is set up an owner unlocks a submitted table by withdrawing it (撤回).

Once the review is set up:

- :func:`refuse_locked_replace` (called by :func:`perfgoals.storage.repository.save_department` with
  ``replace``: ``load``, ``import --replace``, ``demo``): a department-year with tables under review or
  approved is replaced only by a 财政审核人; anyone else is refused, naming those tables.

- :func:`refuse_locked_delete` (called by :func:`perfgoals.storage.repository.delete_project`): a table
  under review or approved is moved to the recycle bin only by a 财政审核人.

- :func:`refuse_review_statuses` (called by :func:`perfgoals.storage.repository.save_department`): a
  department-year written whole (``load``, ``import``) brings no table in as 已提交, 部门已审 or 财政已审
  unless a 财政审核人 writes it: a status is set only by the review.

Always: :func:`refuse_locked_add` (called by :func:`perfgoals.storage.repository.add_project`): a project
is added as a draft, never already under review; :func:`refuse_locked_line_code` (called by
:func:`perfgoals.storage.budget_lines.upsert_budget_line`): a budget line's code does not change while a
table charged to it is locked (its 功能分类科目 would change with it).

Each raises :class:`TableLocked`; nothing is written.  While no user is registered, replacing a
department-year or deleting a table is the one operator's call (there is no 财政审核人 to ask).
"""

from __future__ import annotations

from sqlalchemy import func, select, text
from sqlmodel import Session, col

from perfgoals.models import LEGACY_STATUSES, Department, Project, ProjectStatus, Role
from perfgoals.storage.db import StorageError
from perfgoals.storage.tables import ProjectRow, UserRow
from perfgoals.workflow.lock import LOCKED_STATUSES, is_locked, locked_changes, locked_message


class TableLocked(StorageError):
    """A goal table under review cannot change (its targets, or its status outside the review)."""


def review_set_up(session: Session) -> bool:
    return session.execute(select(func.count()).select_from(UserRow)).scalar_one() > 0


def refuse_locked_save(session: Session, *, current: Project, project: Project) -> None:
    """Refuse saving ``project`` over ``current`` if it changes what the review locks."""
    status, new_status = ProjectStatus(current.status), ProjectStatus(project.status)
    changes = locked_changes(current, project) if is_locked(status) else []
    if not changes and status == new_status:
        return
    if changes:
        raise TableLocked(locked_message(current, changes))
    raise TableLocked(
        f"项目“{current.name}”的状态只能通过审核流程改变（现为“{status.value}”，本次保存为“{new_status.value}”）："
        "用 perfgoals submit、approve、return 或终端界面的审核操作"
    )


def _role(session: Session, user: str) -> Role | None:
    if session.get_bind().dialect.name == "postgresql":
        user = str(session.execute(text("SELECT current_user")).scalar_one())
    role = session.execute(select(col(UserRow.role)).where(col(UserRow.name) == user)).scalar_one_or_none()
    return None if role is None else Role(role)


def refuse_locked_replace(session: Session, *, department_id: int, label: str, user: str) -> None:
    """Refuse replacing department-year ``department_id`` while tables in it are under review, unless
    ``user`` is a 财政审核人."""
    stored = [status.value for status in LOCKED_STATUSES] + list(LEGACY_STATUSES)
    rows = session.execute(
        select(col(ProjectRow.name), col(ProjectRow.status))
        .where(
            col(ProjectRow.department_id) == department_id,
            col(ProjectRow.deleted_at).is_(None),
            col(ProjectRow.status).in_(stored),
        )
        .order_by(col(ProjectRow.position))
    ).all()
    if not rows or not review_set_up(session) or _role(session, user) is Role.FINANCE_REVIEWER:
        return
    listed = "、".join(f"“{name}”（{LEGACY_STATUSES.get(status, status)}）" for name, status in rows)
    raise TableLocked(
        f"{label}有 {len(rows)} 张绩效目标表正在审核或已审核，不能整体替换：{listed}；"
        "只有财政审核人可以替换，或先将这些表退回"
    )


def refuse_locked_delete(session: Session, *, project: Project, user: str) -> None:
    """Refuse deleting ``project`` while it is under review or approved, unless ``user`` is a 财政审核人."""
    if not is_locked(project.status) or not review_set_up(session) or _role(session, user) is Role.FINANCE_REVIEWER:
        return
    raise TableLocked(
        f"项目“{project.name}”{ProjectStatus(project.status).value}，绩效目标表已锁定，不能删除；"
        "只有财政审核人可以删除，或先将它退回"
    )


def _locked_names(projects: list[Project]) -> str:
    return "、".join(f"“{p.name}”（{ProjectStatus(p.status).value}）" for p in projects)


def refuse_review_statuses(session: Session, *, department: Department, label: str, user: str) -> None:
    """Refuse writing ``department`` whole when it brings tables in under review or approved, once the review
    is set up and ``user`` is not a 财政审核人 (a status is set only by the review)."""
    locked = [project for project in department.projects if is_locked(project.status)]
    if not locked or not review_set_up(session) or _role(session, user) is Role.FINANCE_REVIEWER:
        return
    raise TableLocked(
        f"{label}中有 {len(locked)} 张绩效目标表的状态为已提交或已审核，不能这样读入：{_locked_names(locked)}；"
        "状态只能通过审核流程改变（perfgoals submit、approve），只有财政审核人可以读入已审核的表"
    )


def refuse_locked_add(project: Project) -> None:
    """Refuse adding ``project`` with a status of the review: a new table is a draft."""
    if is_locked(project.status):
        raise TableLocked(
            f"项目“{project.name}”不能以“{ProjectStatus(project.status).value}”状态新增：新增的表是草稿，"
            "状态只能通过审核流程改变"
        )


def refuse_locked_line_code(session: Session, *, department_id: int, old_code: str, new_code: str) -> None:
    """Refuse recoding budget line ``old_code`` while a live table charged to it is locked."""
    stored = [status.value for status in LOCKED_STATUSES] + list(LEGACY_STATUSES)
    rows = session.execute(
        select(col(ProjectRow.name), col(ProjectRow.status))
        .where(
            col(ProjectRow.department_id) == department_id,
            col(ProjectRow.budget_line_code) == old_code,
            col(ProjectRow.deleted_at).is_(None),
            col(ProjectRow.status).in_(stored),
        )
        .order_by(col(ProjectRow.position))
    ).all()
    if not rows:
        return
    projects = [Project(name=name, status=LEGACY_STATUSES.get(status, status)) for name, status in rows]
    if len(projects) == 1:
        raise TableLocked(
            locked_message(projects[0], ["功能分类科目"]).replace("不能修改", f"科目 {old_code} 不能改编码为 {new_code}", 1)
        )
    raise TableLocked(
        f"科目 {old_code} 下有 {len(projects)} 张绩效目标表已锁定，不能改编码为 {new_code}（它们的功能分类科目会随之改变）："
        f"{_locked_names(projects)}；退回后才能修改"
    )
