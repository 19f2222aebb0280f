"""The people of the review: their role and the departments they act for (table ``app_user``).

API (keyword-only, the caller owns the session):

- :func:`workflow_enabled` ``(session) -> bool``: whether any user is registered.  Until one is, the
  review is not set up: everyone acts as a 项目负责人 of every department (a submitted table is
  locked all the same: withdrawing it unlocks it).
- :func:`list_users` ``(session) -> list[User]``, :func:`find_user` ``(session, name=) -> User | None``.
- :func:`add_user` ``(session, name=, role=, departments=, by=) -> User``: until a 财政审核人 is
  registered anyone may add users (it is how the review is set up), afterwards only a registered
  财政审核人.  A 部门审核人 or 项目负责人 needs at least one department; a 财政审核人 without any acts
  on every department.  Recorded in the history (entity ``user``).
- :func:`remove_user` ``(session, name=, by=) -> User``: only a 财政审核人 removes users, and the last
  财政审核人 goes only with everyone else (else nobody could add users again).  Recorded in the history.
- :func:`login_name` ``(session, requested=) -> str``: who is working.  On PostgreSQL the user is the
  database login (``SELECT current_user``); on SQLite the name given (``--user``, ``PERFGOALS_USER``,
  else the OS login).
- :func:`actor_for` ``(session, name=) -> Actor``: the user as the state machine sees him; a name the
  database does not know is refused once the review is set up, naming ``perfgoals users add``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, insert, select, text
from sqlmodel import Session, col

from perfgoals.models import Role
from perfgoals.storage.repository import AlreadyExists, NotFound, record_change
from perfgoals.storage.tables import UserRow, utcnow
from perfgoals.workflow.machine import Actor, WorkflowError, unregistered

#: The longest user name the table holds.
NAME_LENGTH = 100


@dataclass(frozen=True, slots=True)
class User:
    id: int
    name: str
    role: Role
    departments: tuple[str, ...]
    created_at: datetime | None = None
    created_by: str = ""

    @property
    def actor(self) -> Actor:
        return Actor(name=self.name, role=self.role, departments=self.departments)

    @property
    def scope(self) -> str:
        return self.actor.scope


def _user(row: Any) -> User:
    departments = row.departments or []
    if isinstance(departments, str):
        import json

        departments = json.loads(departments)
    return User(
        id=row.id,
        name=row.name,
        role=Role(row.role),
        departments=tuple(str(code) for code in departments),
        created_at=row.created_at,
        created_by=row.created_by or "",
    )


def workflow_enabled(session: Session) -> bool:
    """Whether the review is set up: at least one user registered."""
    return session.execute(select(func.count()).select_from(UserRow)).scalar_one() > 0


def list_users(session: Session) -> list[User]:
    """Every registered user, in the order they were added."""
    return [_user(row) for row in session.scalars(select(UserRow).order_by(col(UserRow.id)))]


def find_user(session: Session, *, name: str) -> User | None:
    row = session.scalars(select(UserRow).where(col(UserRow.name) == name)).first()
    return None if row is None else _user(row)


def login_name(session: Session, *, requested: str) -> str:
    """Who is working: the PostgreSQL login, or on SQLite the name given (module docstring)."""
    if session.get_bind().dialect.name == "postgresql":
        return str(session.execute(text("SELECT current_user")).scalar_one())
    return requested


def actor_for(session: Session, *, name: str) -> Actor:
    """``name`` as the state machine sees him (module docstring)."""
    if not workflow_enabled(session):
        return unregistered(name)
    user = find_user(session, name=name)
    if user is None:
        raise WorkflowError(
            f"用户“{name}”未登记，不能参与审核；请财政审核人用 perfgoals users add {name} --role 角色 -d 部门编码 登记"
        )
    return user.actor


def add_user(
    session: Session, *, name: str, role: Role | str, departments: Sequence[str] = (), by: str
) -> User:
    """Register a user (module docstring for who may).  Returns the user as stored."""
    name = name.strip()
    if not name:
        raise WorkflowError("用户名不能为空")
    if len(name) > NAME_LENGTH:
        raise WorkflowError(f"用户名最长 {NAME_LENGTH} 个字符")
    try:
        role = Role(role)
    except ValueError:
        raise WorkflowError(f"没有“{role}”这个角色；角色是 {'、'.join(r.value for r in Role)}") from None
    codes = list(dict.fromkeys(code.strip() for code in departments if code.strip()))
    if role is not Role.FINANCE_REVIEWER and not codes:
        raise WorkflowError(f"{role.value}至少要负责一个部门（-d 部门编码）")
    finance_registered = session.execute(
        select(func.count()).select_from(UserRow).where(col(UserRow.role) == Role.FINANCE_REVIEWER.value)
    ).scalar_one()
    if finance_registered:
        adder = find_user(session, name=by)
        if adder is None or adder.role is not Role.FINANCE_REVIEWER:
            who = f"{by}（{adder.role.value}）" if adder else f"{by}（未登记）"
            raise WorkflowError(f"只有财政审核人可以添加用户，{who}不能添加")
    if find_user(session, name=name) is not None:
        raise AlreadyExists(f"用户“{name}”已经登记过")
    at = utcnow()
    new_id = session.execute(
        insert(UserRow).returning(col(UserRow.id)),
        [{"name": name, "role": role.value, "departments": codes, "created_at": at, "created_by": by}],
    ).scalar_one()
    record_change(
        session,
        user=by,
        entity="user",
        action="create",
        entity_key=name,
        after={"name": name, "role": role.value, "departments": codes},
    )
    return User(int(new_id), name, role, tuple(codes), at, by)


def remove_user(session: Session, *, name: str, by: str) -> User:
    """Remove a user (module docstring for who may).  Returns the user as he was."""
    remover = find_user(session, name=by)
    if remover is None or remover.role is not Role.FINANCE_REVIEWER:
        who = f"{by}（{remover.role.value}）" if remover else f"{by}（未登记）"
        raise WorkflowError(f"只有财政审核人可以删除用户，{who}不能删除")
    user = find_user(session, name=name)
    if user is None:
        raise NotFound(f"没有登记用户“{name}”（perfgoals users list 列出用户）")
    everyone = list_users(session)
    finance = [u for u in everyone if u.role is Role.FINANCE_REVIEWER]
    if user.role is Role.FINANCE_REVIEWER and finance == [user] and len(everyone) > 1:
        raise WorkflowError(f"“{name}”是最后一位财政审核人，删除后就没有人能添加用户了；请先添加另一位财政审核人")
    session.execute(delete(UserRow).where(col(UserRow.id) == user.id))
    record_change(
        session,
        user=by,
        entity="user",
        action="delete",
        entity_key=name,
        before={"name": name, "role": user.role.value, "departments": list(user.departments)},
    )
    return user
