"""Adding, editing and deleting a department's 功能分类科目 lines, one at a time.

A code is 3 (类), 5 (款) or 7 (项) digits and its parent (the code two digits shorter) must exist.
Lines are kept in code order, which is the order of the published tables (类 → 款 → 项, depth
first).  Every change goes into the history in the caller's transaction.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from typing import Any

from sqlalchemy import delete, func, insert, select, update
from sqlmodel import Session, col

from perfgoals.errors import PerfgoalsError
from perfgoals.models import BudgetLine
from perfgoals.storage import repository as repo
from perfgoals.storage.tables import BudgetLineRow, DepartmentRow, ProjectRow

_CODE = re.compile(r"^\d{3}(\d{2}){0,2}$")
LEVEL_NAMES = {3: "类", 5: "款", 7: "项"}


#: The stored columns that make up a :class:`BudgetLine`.
_SNAPSHOT_FIELDS = frozenset(BudgetLine.model_fields)


class BudgetLineError(PerfgoalsError):
    """A budget line that cannot be saved or deleted; nothing was written."""


def parent_code(code: str) -> str | None:
    """The code of the line above ``code`` (``2060702`` → ``20607`` → ``206`` → None)."""
    return code[:-2] if len(code) > 3 else None


def code_problem(code: str, existing: Collection[str]) -> str | None:
    """Why ``code`` cannot be used among the ``existing`` (other) codes, in Chinese; None when it can."""
    if not _CODE.match(code):
        return f"科目编码“{code}”无效：应为 3 位（类）、5 位（款）或 7 位（项）数字"
    if code in existing:
        return f"科目编码 {code} 已存在"
    parent = parent_code(code)
    if parent is not None and parent not in existing:
        return f"科目编码 {code} 的上级科目 {parent} 不存在，请先添加 {parent}"
    return None


def _codes(session: Session, department_id: int) -> list[str]:
    return list(
        session.execute(
            select(col(BudgetLineRow.code))
            .where(col(BudgetLineRow.department_id) == department_id)
            .order_by(col(BudgetLineRow.position))
        ).scalars()
    )


def _values(line: BudgetLine) -> dict[str, Any]:
    return {**repo.budget_line_values(line), "name": line.name.strip()}


def _department_key(session: Session, department_id: int) -> str:
    row = session.execute(
        select(col(DepartmentRow.code), col(DepartmentRow.year)).where(col(DepartmentRow.id) == department_id)
    ).first()
    if row is None:
        raise repo.NotFound(f"找不到编号为 {department_id} 的部门")
    return f"{row[0]}/{row[1]}"


def upsert_budget_line(
    session: Session, *, department_id: int, line: BudgetLine, user: str, replacing: str | None = None
) -> None:
    """Add ``line``, or update the line coded ``replacing`` (default: ``line.code``) to it.

    A changed code carries its projects along; a line with lines under it keeps its code.
    """
    department_key = _department_key(session, department_id)
    if not line.name.strip():
        raise BudgetLineError(f"科目 {line.code} 的名称不能为空")
    codes = _codes(session, department_id)
    old_code = replacing if replacing is not None else (line.code if line.code in codes else None)
    if old_code is not None and old_code not in codes:
        raise BudgetLineError(f"科目 {old_code} 已不存在（可能已被他人删除）")
    problem = code_problem(line.code, [c for c in codes if c != old_code])
    if problem:
        raise BudgetLineError(problem)
    if old_code is None:
        _insert(session, department_id=department_id, line=line, codes=codes)
        repo.record_change(
            session,
            user=user,
            entity="budget_line",
            action="create",
            department_id=department_id,
            department_key=department_key,
            entity_key=line.code,
            after=line.model_dump(mode="json"),
        )
        return
    if old_code != line.code and any(parent_code(c) == old_code for c in codes):
        raise BudgetLineError(f"科目 {old_code} 下还有下级科目，不能改编码")
    before = _snapshot(session, department_id, old_code)
    session.execute(
        update(BudgetLineRow)
        .where(col(BudgetLineRow.department_id) == department_id, col(BudgetLineRow.code) == old_code)
        .values(_values(line))
    )
    if old_code != line.code:
        session.execute(
            update(ProjectRow)
            .where(
                col(ProjectRow.department_id) == department_id, col(ProjectRow.budget_line_code) == old_code
            )
            .values(budget_line_code=line.code)
        )
    repo.record_change(
        session,
        user=user,
        entity="budget_line",
        action="update",
        department_id=department_id,
        department_key=department_key,
        entity_key=line.code,
        before=before,
        after=line.model_dump(mode="json"),
    )


def _snapshot(session: Session, department_id: int, code: str) -> dict[str, Any]:
    """The stored line as JSON, for the history's "before"."""
    columns = [column for column in BudgetLineRow.__table__.columns if column.name in _SNAPSHOT_FIELDS]  # type: ignore[attr-defined]
    row = session.execute(
        select(*columns).where(
            col(BudgetLineRow.department_id) == department_id, col(BudgetLineRow.code) == code
        )
    ).one()
    data = {name: value for name, value in row._mapping.items() if value is not None}
    return BudgetLine.model_validate(data).model_dump(mode="json")


def _insert(session: Session, *, department_id: int, line: BudgetLine, codes: list[str]) -> None:
    # Place the line after the last line whose code sorts before it: depth-first code order.
    positions = {
        row[0]: row[1]
        for row in session.execute(
            select(col(BudgetLineRow.code), col(BudgetLineRow.position)).where(
                col(BudgetLineRow.department_id) == department_id
            )
        )
    }
    earlier = [positions[c] for c in codes if c < line.code]
    position = (max(earlier) if earlier else 0) + 1
    session.execute(
        update(BudgetLineRow)
        .where(col(BudgetLineRow.department_id) == department_id, col(BudgetLineRow.position) >= position)
        .values(position=BudgetLineRow.position + 1)
    )
    session.execute(
        insert(BudgetLineRow), [{"department_id": department_id, "position": position, **_values(line)}]
    )


def delete_budget_line(session: Session, *, department_id: int, code: str, user: str) -> None:
    """Delete a line that has no lines under it and no projects charged to it."""
    department_key = _department_key(session, department_id)
    codes = _codes(session, department_id)
    if code not in codes:
        raise BudgetLineError(f"科目 {code} 不存在（可能已被他人删除）")
    children = [c for c in codes if parent_code(c) == code]
    if children:
        raise BudgetLineError(f"科目 {code} 下还有下级科目 {'、'.join(children)}，请先删除它们")
    linked = session.execute(
        select(func.count())
        .select_from(ProjectRow)
        .where(col(ProjectRow.department_id) == department_id, col(ProjectRow.budget_line_code) == code)
    ).scalar_one()
    if linked:
        raise BudgetLineError(f"有 {linked} 个项目挂在科目 {code} 下，请先把它们改挂到其他科目")
    before = _snapshot(session, department_id, code)
    session.execute(
        delete(BudgetLineRow).where(
            col(BudgetLineRow.department_id) == department_id, col(BudgetLineRow.code) == code
        )
    )
    repo.record_change(
        session,
        user=user,
        entity="budget_line",
        action="delete",
        department_id=department_id,
        department_key=department_key,
        entity_key=code,
        before=before,
    )
