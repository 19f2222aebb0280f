"""Adding, editing and deleting a department's 功能分类科目 lines, one at a time.

A code is 3 (类), 5 (款) or 7 (项) digits and its parent (the code two digits shorter) must exist.
Lines are kept in code order, which is the order of the published tables (类 → 款 → 项, depth
first).  Every change goes into the history in the caller's transaction.

An edited figure can *roll up*: the change of each amount (new − old) is added to the same figure of
every line above (款, 类) and of the department's 合计 row, in the same transaction, each of those
changes recorded in the history like the line's own.  A figure left blank above stays blank (PG201
then says the tree does not add up).
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass
from decimal import Decimal, localcontext
from typing import Any

from sqlalchemy import delete, func, insert, select, update
from sqlmodel import Session, col

from perfgoals.errors import PerfgoalsError
from perfgoals.models import BudgetLine, LineAmounts
from perfgoals.money import AmountError, from_wan, to_wan
from perfgoals.storage import repository as repo
from perfgoals.storage.locking import refuse_locked_line_code
from perfgoals.storage.tables import BudgetLineRow, DepartmentRow, ProjectRow

_CODE = re.compile(r"^\d{3}(\d{2}){0,2}$")
LEVEL_NAMES = {3: "类", 5: "款", 7: "项"}

#: The figures of a line that roll up into the lines above it and into the 合计 row.
ROLLED_FIELDS: tuple[str, ...] = ("total", "basic", "project", "income_total", "income_current", "carryover")
#: How the function table's 合计 row is named (in messages, and as its key in the history).
TOTAL_ROW = "合计"

#: The stored columns that make up a :class:`BudgetLine`.
_SNAPSHOT_FIELDS = frozenset(BudgetLine.model_fields)


class BudgetLineError(PerfgoalsError):
    """A budget line that cannot be saved or deleted; nothing was written."""


@dataclass(frozen=True, slots=True)
class RolledUp:
    """A line above the edited one (or the 合计 row, ``code`` ``None``) whose figures followed the edit."""

    code: str | None
    name: str
    unit: str
    changes: dict[str, tuple[Decimal, Decimal]]  # field → (before, after), in ``unit``

    @property
    def label(self) -> str:
        """``20607`` or ``合计行``: how a message names it."""
        return self.code if self.code is not None else f"{TOTAL_ROW}行"


@dataclass(frozen=True, slots=True)
class LineSaved:
    """What :func:`upsert_budget_line` did: the line before (``None`` when added), as saved, and what
    rolled up with it."""

    before: BudgetLine | None
    line: BudgetLine
    rolled_up: tuple[RolledUp, ...] = ()


def parent_code(code: str) -> str | None:
    """The code of the line above ``code`` (``2060702`` → ``20607`` → ``206`` → None)."""
    return code[:-2] if len(code) > 3 else None


def ancestor_codes(code: str) -> list[str]:
    """Every code above ``code``, nearest first (``2060702`` → ``20607``, ``206``)."""
    found: list[str] = []
    parent = parent_code(code)
    while parent is not None:
        found.append(parent)
        parent = parent_code(parent)
    return found


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
    session: Session,
    *,
    department_id: int,
    line: BudgetLine,
    user: str,
    replacing: str | None = None,
    roll_up: bool = False,
) -> LineSaved:
    """Add ``line``, or update the line coded ``replacing`` (default: ``line.code``) to it.

    A changed code carries its projects along; a line with lines under it keeps its code.  With
    ``roll_up``, an update's change of each figure is added to the lines above and to the 合计 row
    (see the module's description); what rolled up is returned with the line as it was before.
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
    saved = line.model_copy(update={"name": line.name.strip()})
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
        return LineSaved(None, saved)
    if old_code != line.code and any(parent_code(c) == old_code for c in codes):
        raise BudgetLineError(f"科目 {old_code} 下还有下级科目，不能改编码")
    if old_code != line.code:  # the projects charged to it would follow: not while one is locked for review
        refuse_locked_line_code(session, department_id=department_id, old_code=old_code, new_code=line.code)
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
            # A new revision: an open draft still holding the old code merges the new one in on save.
            .values(budget_line_code=line.code, revision=col(ProjectRow.revision) + 1)
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
    old = BudgetLine.model_validate(before)
    rolled: tuple[RolledUp, ...] = ()
    if roll_up:
        rolled = _roll_up(
            session,
            department_id=department_id,
            department_key=department_key,
            before=old,
            after=saved,
            user=user,
        )
    return LineSaved(old, saved, rolled)


# --- rolling a change up the tree ------------------------------------------------------------------


def _wan(amount: Decimal | None, unit: str) -> Decimal | None:
    """``amount`` in 万元 (the one conversion, :func:`perfgoals.money.to_wan`); a unit it does not know is refused."""
    if amount is None:
        return None
    try:
        return to_wan(amount, unit)
    except AmountError as exc:
        raise BudgetLineError(str(exc)) from None


def _in_unit(amount_wan: Decimal, unit: str) -> Decimal:
    try:
        return from_wan(amount_wan, unit)
    except KeyError:
        raise BudgetLineError(f"无法识别的金额单位：{unit!r}") from None


def _keeping_scale(value: Decimal, like: Decimal) -> Decimal:
    """``value`` written with as many decimals as ``like`` when that loses nothing (444.1300 → 444.13)."""
    exponent = like.as_tuple().exponent
    if not isinstance(exponent, int) or not value.is_finite():
        return value
    quantum = Decimal(1).scaleb(exponent)
    with localcontext() as context:
        context.prec = 60
        rounded = value.quantize(quantum)
    return rounded if rounded == value else value


def _deltas(before: BudgetLine, after: BudgetLine, *, had: bool, has: bool) -> dict[str, Decimal]:
    """How much each figure of a line above changes, in 万元.

    ``had``/``has``: whether that line is above the edited line's old/new code.  Above both, the
    change is new − old where both are filled in; above only one, the line leaves or joins it.
    """
    deltas: dict[str, Decimal] = {}
    with localcontext() as context:
        context.prec = 60
        for field in ROLLED_FIELDS:
            old = _wan(getattr(before, field), before.unit) if had else None
            new = _wan(getattr(after, field), after.unit) if has else None
            if had and has:
                if old is None or new is None:
                    continue
                change = new - old
            elif had:
                if old is None:
                    continue
                change = -old
            else:
                if new is None:
                    continue
                change = new
            if change:
                deltas[field] = change
    return deltas


def _apply(figures: LineAmounts, deltas: dict[str, Decimal]) -> dict[str, tuple[Decimal, Decimal]]:
    """Add ``deltas`` (in 万元) to the filled-in figures of ``figures`` (changed in place)."""
    changes: dict[str, tuple[Decimal, Decimal]] = {}
    with localcontext() as context:
        context.prec = 60
        for field, change in deltas.items():
            current = getattr(figures, field)
            if current is None:
                continue  # left blank: PG201 says the tree does not add up
            updated = _keeping_scale(current + _in_unit(change, figures.unit), current)
            setattr(figures, field, updated)
            changes[field] = (current, updated)
    return changes


def _roll_up(
    session: Session,
    *,
    department_id: int,
    department_key: str,
    before: BudgetLine,
    after: BudgetLine,
    user: str,
) -> tuple[RolledUp, ...]:
    old_above, new_above = ancestor_codes(before.code), ancestor_codes(after.code)
    rolled: list[RolledUp] = []
    for code in dict.fromkeys(new_above + old_above):
        deltas = _deltas(before, after, had=code in old_above, has=code in new_above)
        if not deltas:
            continue
        found = session.execute(
            select(col(BudgetLineRow.code)).where(
                col(BudgetLineRow.department_id) == department_id, col(BudgetLineRow.code) == code
            )
        ).first()
        if found is None:
            continue
        snapshot = _snapshot(session, department_id, code)
        parent = BudgetLine.model_validate(snapshot)
        changes = _apply(parent, deltas)
        if not changes:
            continue
        session.execute(
            update(BudgetLineRow)
            .where(col(BudgetLineRow.department_id) == department_id, col(BudgetLineRow.code) == code)
            .values({field: new for field, (_, new) in changes.items()})
        )
        repo.record_change(
            session,
            user=user,
            entity="budget_line",
            action="update",
            department_id=department_id,
            department_key=department_key,
            entity_key=code,
            before=snapshot,
            after=parent.model_dump(mode="json"),
        )
        rolled.append(RolledUp(code, parent.name, parent.unit, changes))
    total = _roll_up_total(
        session,
        department_id=department_id,
        department_key=department_key,
        deltas=_deltas(before, after, had=True, has=True),
        user=user,
    )
    if total is not None:
        rolled.append(total)
    return tuple(rolled)


def _roll_up_total(
    session: Session, *, department_id: int, department_key: str, deltas: dict[str, Decimal], user: str
) -> RolledUp | None:
    """Add ``deltas`` (in 万元) to the department's 合计 row, when it has one."""
    if not deltas:
        return None
    stored = session.execute(
        select(col(DepartmentRow.function_total)).where(col(DepartmentRow.id) == department_id)
    ).scalar_one_or_none()
    if stored is None:
        return None
    figures = LineAmounts.model_validate(stored)
    before = figures.model_dump(mode="json")
    changes = _apply(figures, deltas)
    if not changes:
        return None
    after = figures.model_dump(mode="json")
    session.execute(
        update(DepartmentRow).where(col(DepartmentRow.id) == department_id).values(function_total=after)
    )
    repo.record_change(
        session,
        user=user,
        entity="function_total",
        action="update",
        department_id=department_id,
        department_key=department_key,
        entity_key=TOTAL_ROW,
        before=before,
        after=after,
    )
    return RolledUp(None, TOTAL_ROW, figures.unit, changes)


# --- reading, inserting, deleting --------------------------------------------------------------------


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


def delete_budget_line(session: Session, *, department_id: int, code: str, user: str) -> BudgetLine:
    """Delete a line that has no lines under it and no projects charged to it; the line as it was."""
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
        .where(
            col(ProjectRow.department_id) == department_id,
            col(ProjectRow.budget_line_code) == code,
            col(ProjectRow.deleted_at).is_(None),  # the bin does not hold lines up
        )
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
    return BudgetLine.model_validate(before)
