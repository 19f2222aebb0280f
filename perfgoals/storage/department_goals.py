"""A department-year's 部门整体绩效目标 (overall goal, itemised goals, 工作保障措施), saved on their own.

The texts are stored exactly as typed.  Every save that changes them is one entry in the history
(entity ``department``, action ``goals``: before and after), in the caller's transaction.
"""

from __future__ import annotations

from sqlalchemy import select, update
from sqlmodel import Session, col

from perfgoals.models import DepartmentGoals
from perfgoals.storage import repository as repo
from perfgoals.storage.tables import DepartmentRow, utcnow

#: DepartmentGoals field → its column on the department row.
COLUMNS: dict[str, str] = {
    "overall": "goal_overall",
    "itemised": "goal_itemised",
    "safeguards": "goal_safeguards",
}


def load_department_goals(session: Session, *, department_id: int) -> DepartmentGoals:
    """The department-year's goals as stored; raises :class:`repository.NotFound` for an unknown id."""
    row = session.execute(
        select(*(getattr(DepartmentRow, column) for column in COLUMNS.values())).where(
            col(DepartmentRow.id) == department_id
        )
    ).first()
    if row is None:
        raise repo.NotFound(f"没有编号为 {department_id} 的部门年度")
    return DepartmentGoals(**dict(zip(COLUMNS, row, strict=True)))


def save_department_goals(session: Session, *, department_id: int, goals: DepartmentGoals, user: str) -> bool:
    """Store ``goals`` for the department-year; returns whether anything changed (recorded in the history)."""
    before = load_department_goals(session, department_id=department_id)
    if before == goals:
        return False
    values = {column: getattr(goals, name) for name, column in COLUMNS.items()}
    session.execute(
        update(DepartmentRow)
        .where(col(DepartmentRow.id) == department_id)
        .values(**values, updated_at=utcnow())
    )
    changed = [name for name in COLUMNS if getattr(before, name) != getattr(goals, name)]
    repo.record_change(
        session,
        user=user,
        entity="department",
        action="goals",
        department_id=department_id,
        entity_key="部门整体绩效目标",
        before={name: getattr(before, name) for name in changed},
        after={name: getattr(goals, name) for name in changed},
    )
    return True
