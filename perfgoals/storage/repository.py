"""Reading and writing department-years and projects.

Every function takes the caller's session and keyword-only arguments; the caller owns the transaction
(:func:`perfgoals.storage.db.write_session`).  Loading is a fixed number of statements whatever the
size of the department (no N+1): one per table, the children fetched with ``IN`` and grouped here.

Deleting a project moves it to the recycle bin (:mod:`perfgoals.storage.trash`): its row and goal table
stay, marked who deleted it and when.  Everything here that lists, loads, counts or checks projects
sees live projects only; a save over a project in the bin raises :class:`ProjectDeleted`.  Deleting
and restoring each add one to the project's revision, so a draft opened before either conflicts on
save rather than writing silently.

Every write records a history entry (:func:`record_change`), which on PostgreSQL also sends the
change to listening processes in the same transaction (:mod:`perfgoals.storage.changes`).
"""

from __future__ import annotations

import gc
import json
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any, TypeVar, cast

from pydantic import BaseModel
from sqlalchemy import Connection, CursorResult, Select, delete, func, insert, or_, select, update
from sqlmodel import Session, col

from perfgoals.models import (
    LEGACY_STATUSES,
    Acceptance,
    AmountSource,
    BudgetLine,
    CostItem,
    Department,
    DepartmentGoals,
    Direction,
    EconomicLine,
    FiscalSplit,
    Footer,
    FundSource,
    GoalTable,
    Indicator,
    LayoutColumn,
    LayoutFamily,
    LineAmounts,
    LinkStatus,
    OrgUnit,
    ProcurementItem,
    Project,
    ProjectStatus,
    SummaryRow,
    SummaryTable,
    ThreePublicRow,
)
from perfgoals.storage.changes import publish
from perfgoals.storage.db import StorageError
from perfgoals.storage.followup import FOLLOWUP_COLUMNS, followup_fields, followup_values
from perfgoals.storage.locking import TableLocked as TableLocked  # raised by the two below
from perfgoals.storage.locking import (
    refuse_locked_add,
    refuse_locked_delete,
    refuse_locked_replace,
    refuse_locked_save,
    refuse_review_statuses,
)
from perfgoals.storage.tables import (
    AcceptanceRow,
    BudgetLineRow,
    ChangeRow,
    DepartmentRow,
    EconomicLineRow,
    IndicatorRow,
    ProcurementItemRow,
    ProjectRow,
    RetiredProjectRow,
    SummaryRowRow,
    ThreePublicRowRow,
    utcnow,
)


class NotFound(StorageError):
    pass


class Ambiguous(StorageError):
    pass


class AlreadyExists(StorageError):
    pass


class RevisionConflict(StorageError):
    """Someone else saved this goal table since it was opened; nothing was written."""

    def __init__(self, message: str, *, current: Project) -> None:
        super().__init__(message)
        self.current = current


class ProjectReloaded(RevisionConflict):
    """The project's department-year was reloaded since the draft was opened: ``current`` is the project
    of the same name in the reloaded data (another id, a higher revision).  Nothing was written; a save
    merges into ``current`` three-way like any other newer version."""


@dataclass(frozen=True, slots=True)
class TrashEntry:
    """A project in the recycle bin, with the department-year it belongs to."""

    project_id: int
    name: str
    department_id: int
    department_code: str
    department_name: str
    year: int
    deleted_at: datetime
    deleted_by: str
    revision: int
    indicators: int

    @property
    def department_label(self) -> str:
        return f"{self.department_code} {self.department_name}（{self.year}年）"


class ProjectDeleted(NotFound):
    """The project was moved to the recycle bin (by someone else): nothing was written.

    ``entry`` says who and when; ``project`` is the version in the bin.  The draft can be saved as a
    new project (:func:`perfgoals.storage.trash.save_project_as_new`) or the project restored
    (:func:`perfgoals.storage.trash.restore_project`) and the draft then merged into it.
    """

    def __init__(self, message: str, *, entry: TrashEntry, project: Project) -> None:
        super().__init__(message)
        self.entry = entry
        self.project = project


@dataclass(frozen=True, slots=True)
class DepartmentKey:
    id: int
    code: str
    name: str
    year: int
    projects: int = 0

    @property
    def label(self) -> str:
        return f"{self.code} {self.name}（{self.year}年）"


# --- finding department-years -----------------------------------------------------------------


def list_departments(session: Session, *, year: int | None = None) -> list[DepartmentKey]:
    """Every department-year in the database (or of ``year``), with its number of projects."""
    counts = (
        select(col(ProjectRow.department_id), func.count().label("n"))
        .where(_live())
        .group_by(col(ProjectRow.department_id))
        .subquery()
    )
    statement = (
        select(
            col(DepartmentRow.id),
            col(DepartmentRow.code),
            col(DepartmentRow.name),
            col(DepartmentRow.year),
            counts.c.n,
        )
        .outerjoin(counts, counts.c.department_id == col(DepartmentRow.id))
        .order_by(col(DepartmentRow.year).desc(), col(DepartmentRow.code))
    )
    if year is not None:
        statement = statement.where(col(DepartmentRow.year) == year)
    return [DepartmentKey(row[0], row[1], row[2], row[3], row[4] or 0) for row in session.execute(statement)]


#: Up to this many departments are named in a message; more are counted (``perfgoals list`` lists them).
NAMED_DEPARTMENTS = 5


def find_department(session: Session, *, code: str | None = None, year: int | None = None) -> DepartmentKey:
    """The one department-year matching ``code`` and ``year``; either may be left out when unambiguous."""
    candidates = [key for key in list_departments(session, year=year) if code is None or key.code == code]
    if not candidates:
        if code is None and year is None:
            raise NotFound("数据库中还没有部门数据（可先运行 perfgoals demo 或 perfgoals import）")
        wanted = "、".join(
            part for part in (f"部门 {code}" if code else "", f"{year} 年" if year else "") if part
        )
        everything = list_departments(session)
        if len(everything) > NAMED_DEPARTMENTS:
            known = f"{len(everything)} 个部门年度（perfgoals list 可列出）"
        else:
            known = "；".join(key.label for key in everything) or "无"
        raise NotFound(f"找不到{wanted}的数据。数据库中有：{known}")
    if len(candidates) > 1:
        if code is not None:  # the same department in several years: take the latest
            return candidates[0]
        if len(candidates) > NAMED_DEPARTMENTS:
            years = sorted({key.year for key in candidates})
            when = f"{years[0]} 年" if len(years) == 1 else f"{years[0]}–{years[-1]} 年"
            raise Ambiguous(
                f"数据库中 {when}有 {len(candidates)} 个部门：请用 -d 部门编码（--department）指定其一"
                "（perfgoals list 可列出），或用 --all-departments 处理全部（check、export）"
            )
        listed = "；".join(key.label for key in candidates)
        raise Ambiguous(
            f"数据库中有多个部门，请用 -d 部门编码（--department）指定其一，或用 --all-departments 处理全部（check、export）：{listed}"
        )
    return candidates[0]


# --- loading --------------------------------------------------------------------------------------

_M = TypeVar("_M", bound=BaseModel)
_set = object.__setattr__


def _build(cls: type[_M], **values: Any) -> _M:
    """``cls.model_construct(**values)`` for complete, already valid values, without its per-call overhead.

    A province's year is ~200,000 models; ``model_construct`` spends most of its time walking the field
    list for defaults, which loading never needs because every field comes from the database.
    """
    return _adopt(cls, values)


#: One "fields set" per model class, shared by the instances loading makes: every field is set, so the
#: set never changes (pydantic copies it in ``model_copy`` and only ever adds names already in it).
_ALL_FIELDS: dict[type, set[str]] = {}


def _adopt(cls: type[_M], values: dict[str, Any]) -> _M:
    """A model instance around ``values`` (every field, already valid), as ``model_construct`` makes it."""
    fields = _ALL_FIELDS.get(cls)
    if fields is None:
        fields = _ALL_FIELDS[cls] = set(cls.model_fields)
    instance = cls.__new__(cls)
    _set(instance, "__dict__", values)
    _set(instance, "__pydantic_fields_set__", fields)
    _set(instance, "__pydantic_extra__", None)
    _set(instance, "__pydantic_private__", None)
    return instance


def _adopter(cls: type[_M]) -> Callable[[dict[str, Any]], _M]:
    """:func:`_adopt` for one class, its lookups done once: for the ~150,000 indicators of a year."""
    fields = set(cls.model_fields)
    new, set_attribute = cls.__new__, _set

    def adopt(values: dict[str, Any]) -> _M:
        instance = new(cls)
        set_attribute(instance, "__dict__", values)
        set_attribute(instance, "__pydantic_fields_set__", fields)
        set_attribute(instance, "__pydantic_extra__", None)
        set_attribute(instance, "__pydantic_private__", None)
        return instance

    return adopt


#: Indicator fields in table-column order, for building indicators straight from row tuples.
_INDICATOR_FIELDS = (
    "level1",
    "level2",
    "level3",
    "description",
    "value",
    "basis",
    "mid_term_value",
    "weight",
    "direction",
    "unit",
    "reference_value",
    "method",
    "nature",
    "mid_term_level2",
    "mid_term_level3",
    "standard",
    "expected_value",
    "extra",
    "reference_actual",
)


def _line_amounts(data: dict[str, Any] | None) -> LineAmounts | None:
    return None if data is None else LineAmounts.model_validate(data)


def _indicator(row: Any) -> Indicator:
    return _build(
        Indicator,
        level1=row.level1,
        level2=row.level2,
        level3=row.level3,
        description=row.description,
        value=row.value,
        basis=row.basis,
        mid_term_value=row.mid_term_value,
        weight=row.weight,
        direction=Direction(row.direction) if row.direction else None,
        unit=row.unit,
        reference_value=row.reference_value,
        method=row.method,
        nature=row.nature,
        mid_term_level2=row.mid_term_level2,
        mid_term_level3=row.mid_term_level3,
        standard=row.standard,
        expected_value=row.expected_value,
        extra=_json_cell(row.extra) or {},
        reference_actual=row.reference_actual,
    )


def _status(value: str) -> ProjectStatus:
    """A stored status; one written by an earlier release (``已审核``) reads as what it means now."""
    return LEGACY_STATUSES.get(value) or ProjectStatus(value)


def _acceptance(row: Any) -> Acceptance:
    return _build(
        Acceptance,
        code=row.code, reason=row.reason, accepted_by=row.accepted_by, accepted_at=row.accepted_at
    )


def _project(row: Any, indicators: list[Indicator], acceptances: list[Acceptance]) -> Project:
    return _build(
        Project,
        id=row.id,
        name=row.name,
        code=row.code,
        budget_line_code=row.budget_line_code,
        line_link=LinkStatus(row.line_link) if row.line_link else None,
        fund_source=FundSource(row.fund_source) if row.fund_source else None,
        fund_source_detail=row.fund_source_detail,
        budget_amount=row.budget_amount,
        amount_unit=row.amount_unit,
        amount_source=AmountSource(row.amount_source),
        owner=row.owner,
        implementing_unit=row.implementing_unit,
        status=_status(row.status),
        notes=row.notes,
        goal=_build(
            GoalTable,
            goal_text=row.goal_text,
            mid_term_goal_text=row.mid_term_goal_text,
            indicators=indicators,
            revision=row.revision,
            **_goal_layout(row.goal_layout),
        ),
        acceptances=acceptances,
        **_project_details(row.details),
        **followup_fields(row.review, row.monitoring, row.evaluation),
    )


#: A project's fields kept in its ``details`` column, and a goal table's in its ``goal_layout`` column,
#: as loading gives them when the column is empty (a project written before revision 0005).
_NO_DETAILS: dict[str, Any] = {
    "attribute": "", "period": "", "category": "", "kind": "", "basis": "", "superior_amount": None,
    "mid_term_amount": None, "breakdown": [], "extra": {},
}
_NO_LAYOUT: dict[str, Any] = {"layout": None, "columns": [], "block": [], "footers": []}


def _json_cell(value: Any) -> Any:
    """A ``JsonText`` cell, whether the driver's text or already decoded by the column type."""
    return value if value is None or isinstance(value, (dict, list)) else json.loads(value)


def _project_details(value: Any) -> dict[str, Any]:
    """The project fields stored as JSON (validated: money back to Decimal, the breakdown to its items)."""
    data = _json_cell(value)
    if not data:
        return {**_NO_DETAILS, "breakdown": [], "extra": {}}
    return {
        "attribute": data.get("attribute", ""),
        "period": data.get("period", ""),
        "category": data.get("category", ""),
        "kind": data.get("kind", ""),
        "basis": data.get("basis", ""),
        "superior_amount": None if data.get("superior_amount") is None else Decimal(data["superior_amount"]),
        "mid_term_amount": None if data.get("mid_term_amount") is None else Decimal(data["mid_term_amount"]),
        "breakdown": [CostItem.model_validate(item) for item in data.get("breakdown", [])],
        "extra": dict(data.get("extra", {})),
    }


def _goal_layout(value: Any) -> dict[str, Any]:
    """The goal table's layout fields stored as JSON."""
    data = _json_cell(value)
    if not data:
        return {**_NO_LAYOUT, "columns": [], "block": [], "footers": []}
    return {
        "layout": LayoutFamily(data["layout"]) if data.get("layout") else None,
        "columns": [LayoutColumn.model_validate(item) for item in data.get("columns", [])],
        "block": [LayoutColumn.model_validate(item) for item in data.get("block", [])],
        "footers": [Footer.model_validate(item) for item in data.get("footers", [])],
    }


def _details_value(project: Project) -> dict[str, Any] | None:
    """A project's ``details`` column: ``None`` while every field in it is empty."""
    data = project.model_dump(mode="json", include=set(_NO_DETAILS))
    return None if all(data[key] == _NO_DETAILS[key] for key in _NO_DETAILS) else data


def _layout_value(goal: GoalTable) -> dict[str, Any] | None:
    """A goal table's ``goal_layout`` column: ``None`` while it records no layout."""
    data = goal.model_dump(mode="json", include=set(_NO_LAYOUT))
    return None if all(data[key] == _NO_LAYOUT[key] for key in _NO_LAYOUT) else data


def _columns(table: Any) -> list[Any]:
    return list(table.__table__.columns)


@contextmanager
def _without_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector while building many acyclic objects.

    Loading a year makes hundreds of thousands of models and dicts, none of them garbage; each automatic
    collection would walk all of them again (a third of the loading time at province scale).
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def load_departments(session: Session, *, department_ids: Sequence[int]) -> list[Department]:
    """Load whole department-years, in the order of ``department_ids``, in a fixed number of queries."""
    if not department_ids:
        return []
    with _without_gc():
        return _load_departments(session, list(department_ids))


def _driver_rows(connection: Connection, statement: Select[Any]) -> list[Any]:
    """The statement's rows as the database driver returns them, without SQLAlchemy's result processing.

    A province's year is ~260,000 rows: building a ``Row`` and running a type processor per cell cost
    about as much as fetching them.  Callers convert the few columns that need it with
    :func:`_money_value` and :func:`_json_value`, which read SQLite's text and PostgreSQL's types alike.
    """
    result = connection.execute(statement)
    try:
        return cast(list[Any], result.cursor.fetchall())
    finally:
        result.close()


def _money_value(value: Any) -> Decimal | None:
    """An ``ExactDecimal`` cell: decimal text on SQLite, already a ``Decimal`` on PostgreSQL."""
    if value is None or isinstance(value, Decimal):
        return value
    return Decimal(value if isinstance(value, str) else str(value))


def _json_value(value: Any) -> Any:
    """A ``JsonText`` cell."""
    return None if value is None else json.loads(value)


def _money_map(value: Any) -> dict[str, Decimal]:
    """A ``JsonText`` object of amounts (column → decimal text), as the models hold it."""
    return {key: Decimal(amount) for key, amount in json.loads(value).items()} if value else {}


def _fiscal(value: Any) -> dict[str, FiscalSplit]:
    """A budget line's 财政拨款 splits from their ``JsonText`` cell."""
    return {
        key: _adopt(
            FiscalSplit,
            {
                "total": _money_value(split.get("total")),
                "basic": _money_value(split.get("basic")),
                "project": _money_value(split.get("project")),
            },
        )
        for key, split in (json.loads(value) if value else {}).items()
    }


#: The columns each bulk select reads, in the order the loops below unpack them.
_DEPARTMENT_COLUMNS = (
    "id", "code", "name", "year", "money_unit", "framework", "goal_overall", "goal_itemised",
    "goal_safeguards", "org_units", "function_total", "procurement_total",
)  # fmt: skip
_LINE_COLUMNS = (
    "department_id", "code", "name", "unit", "total", "basic", "project", "other_expenses",
    "income_total", "income_current", "income_sources", "carryover", "fiscal",
)  # fmt: skip
_ECONOMIC_COLUMNS = ("department_id", "code", "name", "unit", "total", "personnel", "public")
_SUMMARY_COLUMNS = ("department_id", "table_name", "side", "position", "item", "unit", "amounts")
_THREE_COLUMNS = ("department_id", "position", "item", "category", "unit", "total", "amounts")
_PROCUREMENT_COLUMNS = (
    "department_id", "project_name", "project_budget", "item", "catalogue_code", "measure", "quantity",
    "unit_price", "amount", "unit", "funding", "sme_reserved",
)  # fmt: skip
_PROJECT_COLUMNS = (
    "department_id", "id", "name", "code", "budget_line_code", "line_link", "fund_source",
    "fund_source_detail", "budget_amount", "amount_unit", "amount_source", "owner", "status", "notes",
    "goal_text", "revision", "implementing_unit", "mid_term_goal_text", "details", "goal_layout",
    *FOLLOWUP_COLUMNS,
)  # fmt: skip
_ACCEPTANCE_COLUMNS = ("department_id", "project_id", "code", "reason", "accepted_by", "accepted_at")


def _live() -> Any:
    """The condition of a live project (not in the recycle bin)."""
    return col(ProjectRow.deleted_at).is_(None)


def _select_columns(table: Any, names: Sequence[str]) -> list[Any]:
    columns = table.__table__.c
    return [columns[name] for name in names]


def _load_departments(session: Session, ids: list[int]) -> list[Department]:
    connection = session.connection()
    department_rows = {
        row[0]: row
        for row in _driver_rows(
            connection,
            select(*_select_columns(DepartmentRow, _DEPARTMENT_COLUMNS)).where(col(DepartmentRow.id).in_(ids)),
        )
    }
    missing = [i for i in ids if i not in department_rows]
    if missing:
        raise NotFound(f"找不到编号为 {missing[0]} 的部门")

    def children(table: Any, names: Sequence[str], order: Any, *where: Any) -> list[Any]:
        statement = (
            select(*_select_columns(table, names))
            .where(table.department_id.in_(ids), *where)
            .order_by(table.department_id, order)
        )
        return _driver_rows(connection, statement)

    # Decimal() reads SQLite's decimal text and copies PostgreSQL's Decimal: inlined, as loading calls it
    # ~300,000 times a year.
    money, money_map = Decimal, _money_map
    lines: dict[int, list[BudgetLine]] = defaultdict(list)
    for (
        department_id, code, name, unit, total, basic, project, other_expenses,
        income_total, income_current, income_sources, carryover, fiscal,
    ) in children(BudgetLineRow, _LINE_COLUMNS, col(BudgetLineRow.position)):  # fmt: skip
        lines[department_id].append(
            _adopt(
                BudgetLine,
                {
                    "unit": unit,
                    "total": None if total is None else money(total),
                    "basic": None if basic is None else money(basic),
                    "project": None if project is None else money(project),
                    "other_expenses": money_map(other_expenses),
                    "income_total": None if income_total is None else money(income_total),
                    "income_current": None if income_current is None else money(income_current),
                    "income_sources": money_map(income_sources),
                    "carryover": None if carryover is None else money(carryover),
                    "fiscal": _fiscal(fiscal),
                    "code": code,
                    "name": name,
                },
            )
        )

    economic: dict[int, list[EconomicLine]] = defaultdict(list)
    for department_id, code, name, unit, total, personnel, public in children(
        EconomicLineRow, _ECONOMIC_COLUMNS, col(EconomicLineRow.position)
    ):
        economic[department_id].append(
            _adopt(
                EconomicLine,
                {
                    "code": code,
                    "name": name,
                    "unit": unit,
                    "total": None if total is None else money(total),
                    "personnel": None if personnel is None else money(personnel),
                    "public": None if public is None else money(public),
                },
            )
        )

    summary: dict[int, list[SummaryRow]] = defaultdict(list)
    tables = {table.value: table for table in SummaryTable}
    for department_id, table_name, side, position, item, unit, amounts in children(
        SummaryRowRow, _SUMMARY_COLUMNS, col(SummaryRowRow.ordinal)
    ):
        summary[department_id].append(
            _adopt(
                SummaryRow,
                {
                    "table": tables.get(table_name) or SummaryTable(table_name),
                    "side": side,
                    "position": position,
                    "item": item,
                    "unit": unit,
                    "amounts": money_map(amounts),
                },
            )
        )

    three: dict[int, list[ThreePublicRow]] = defaultdict(list)
    for department_id, position, item, category, unit, total, amounts in children(
        ThreePublicRowRow, _THREE_COLUMNS, col(ThreePublicRowRow.ordinal)
    ):
        three[department_id].append(
            _adopt(
                ThreePublicRow,
                {
                    "position": position,
                    "item": item,
                    "category": category,
                    "unit": unit,
                    "total": None if total is None else money(total),
                    "amounts": money_map(amounts),
                },
            )
        )

    procurement: dict[int, list[ProcurementItem]] = defaultdict(list)
    for (
        department_id, project_name, project_budget, item, catalogue_code, measure, quantity,
        unit_price, amount, unit, funding, sme_reserved,
    ) in children(ProcurementItemRow, _PROCUREMENT_COLUMNS, col(ProcurementItemRow.ordinal)):  # fmt: skip
        procurement[department_id].append(
            _adopt(
                ProcurementItem,
                {
                    "project_name": project_name,
                    "project_budget": None if project_budget is None else money(project_budget),
                    "item": item,
                    "catalogue_code": catalogue_code,
                    "measure": measure,
                    "quantity": None if quantity is None else money(quantity),
                    "unit_price": None if unit_price is None else money(unit_price),
                    "amount": None if amount is None else money(amount),
                    "unit": unit,
                    "funding": money_map(funding),
                    "sme_reserved": None if sme_reserved is None else money(sme_reserved),
                },
            )
        )

    # Acceptances are few and carry a timestamp, whose text SQLite's dialect knows how to read.
    acceptances: dict[int, dict[int | None, list[Acceptance]]] = defaultdict(lambda: defaultdict(list))
    acceptance_statement = (
        select(*_select_columns(AcceptanceRow, _ACCEPTANCE_COLUMNS))
        .where(col(AcceptanceRow.department_id).in_(ids))
        .order_by(col(AcceptanceRow.department_id), col(AcceptanceRow.id))
    )
    for department_id, project_id, code, reason, accepted_by, accepted_at in connection.execute(
        acceptance_statement
    ):
        acceptances[department_id][project_id].append(
            _adopt(Acceptance, {"code": code, "reason": reason, "accepted_by": accepted_by, "accepted_at": accepted_at})
        )

    # The bulk of a year's rows: wrapped straight from the driver's tuples.
    indicators: dict[int, list[Indicator]] = defaultdict(list)
    indicator_statement = (
        select(col(IndicatorRow.project_id), *_select_columns(IndicatorRow, _INDICATOR_FIELDS))
        .join(ProjectRow, col(ProjectRow.id) == col(IndicatorRow.project_id))
        .where(col(ProjectRow.department_id).in_(ids), _live())
        .order_by(col(IndicatorRow.project_id), col(IndicatorRow.position))
    )
    directions = {direction.value: direction for direction in Direction}
    indicator = _adopter(Indicator)
    for (
        project_id, level1, level2, level3, description, value, basis, mid_term_value, weight, direction,
        unit, reference_value, method, nature, mid_term_level2, mid_term_level3, standard, expected_value,
        extra, reference_actual,
    ) in _driver_rows(connection, indicator_statement):  # fmt: skip
        indicators[project_id].append(
            indicator(
                {
                    "level1": level1,
                    "level2": level2,
                    "level3": level3,
                    "description": description,
                    "value": value,
                    "basis": basis,
                    "mid_term_value": mid_term_value,
                    "weight": None if weight is None else money(weight),
                    "direction": (directions.get(direction) or Direction(direction)) if direction else None,
                    "unit": unit,
                    "reference_value": reference_value,
                    "reference_actual": reference_actual,
                    "method": method,
                    "nature": nature,
                    "mid_term_level2": mid_term_level2,
                    "mid_term_level3": mid_term_level3,
                    "standard": standard,
                    "expected_value": expected_value,
                    "extra": _json_value(extra) or {},
                },
            )
        )

    projects: dict[int, list[Project]] = defaultdict(list)
    link_statuses = {status.value: status for status in LinkStatus}
    fund_sources = {source.value: source for source in FundSource}
    amount_sources = {source.value: source for source in AmountSource}
    project_statuses = {status.value: status for status in ProjectStatus}
    no_indicators: list[Indicator] = []
    no_acceptances: list[Acceptance] = []
    for (
        department_id, project_id, name, code, budget_line_code, line_link, fund_source, fund_source_detail,
        budget_amount, amount_unit, amount_source, owner, status, notes, goal_text, revision,
        implementing_unit, mid_term_goal_text, details, goal_layout, review, monitoring, evaluation,
    ) in children(ProjectRow, _PROJECT_COLUMNS, col(ProjectRow.position), _live()):  # fmt: skip
        goal = _adopt(
            GoalTable,
            {
                "goal_text": goal_text,
                "mid_term_goal_text": mid_term_goal_text,
                "indicators": indicators.pop(project_id, no_indicators),
                "revision": revision,
                **_goal_layout(goal_layout),
            },
        )
        projects[department_id].append(
            _adopt(
                Project,
                {
                    "id": project_id,
                    "name": name,
                    "code": code,
                    "budget_line_code": budget_line_code,
                    "line_link": (link_statuses.get(line_link) or LinkStatus(line_link)) if line_link else None,
                    "fund_source": (fund_sources.get(fund_source) or FundSource(fund_source)) if fund_source else None,
                    "fund_source_detail": fund_source_detail,
                    "budget_amount": None if budget_amount is None else money(budget_amount),
                    "amount_unit": amount_unit,
                    "amount_source": amount_sources.get(amount_source) or AmountSource(amount_source),
                    "owner": owner,
                    "implementing_unit": implementing_unit,
                    "status": project_statuses.get(status) or _status(status),
                    "notes": notes,
                    "goal": goal,
                    "acceptances": list(acceptances[department_id].get(project_id, no_acceptances)),
                    **_project_details(details),
                    **followup_fields(review, monitoring, evaluation),
                },
            )
        )

    result: list[Department] = []
    for department_id in ids:
        (
            _, code, name, year, money_unit, framework, goal_overall, goal_itemised, goal_safeguards,
            org_units, function_total, procurement_total,
        ) = department_rows[department_id]  # fmt: skip
        function_total_value = _json_value(function_total)
        result.append(
            _adopt(
                Department,
                {
                    "id": department_id,
                    "code": code,
                    "name": name,
                    "year": year,
                    "money_unit": money_unit,
                    "framework": framework,
                    "goals": _adopt(
                        DepartmentGoals,
                        {"overall": goal_overall, "itemised": goal_itemised, "safeguards": goal_safeguards},
                    ),
                    "org_units": [OrgUnit.model_validate(unit) for unit in _json_value(org_units) or []],
                    "function_total": _line_amounts(function_total_value),
                    "budget_lines": lines.get(department_id, []),
                    "economic_lines": economic.get(department_id, []),
                    "summary_rows": summary.get(department_id, []),
                    "three_public": three.get(department_id, []),
                    "procurement": procurement.get(department_id, []),
                    "procurement_total": None if procurement_total is None else money(procurement_total),
                    "projects": projects.get(department_id, []),
                    "acceptances": list(acceptances[department_id].get(None, no_acceptances)),
                },
            )
        )
    return result


def load_department(session: Session, *, department_id: int) -> Department:
    return load_departments(session, department_ids=[department_id])[0]


def load_project(session: Session, *, project_id: int, include_deleted: bool = False) -> Project:
    """One live project with its goal table, in three statements.

    A project in the recycle bin raises :class:`ProjectDeleted` (it is loaded with ``include_deleted``).
    """
    row = session.execute(select(*_columns(ProjectRow)).where(col(ProjectRow.id) == project_id)).first()
    if row is None:
        raise NotFound(f"找不到编号为 {project_id} 的项目（可能已被他人彻底删除）")
    if row.deleted_at is not None and not include_deleted:
        project = load_project(session, project_id=project_id, include_deleted=True)
        entry = trash_entry(session, project_id=project_id)
        raise ProjectDeleted(_deleted_message(entry), entry=entry, project=project)
    indicator_rows = session.execute(
        select(*_columns(IndicatorRow))
        .where(col(IndicatorRow.project_id) == project_id)
        .order_by(col(IndicatorRow.position))
    )
    acceptance_rows = session.execute(
        select(*_columns(AcceptanceRow))
        .where(col(AcceptanceRow.project_id) == project_id)
        .order_by(col(AcceptanceRow.id))
    )
    return _project(row, [_indicator(r) for r in indicator_rows], [_acceptance(r) for r in acceptance_rows])


# --- writing --------------------------------------------------------------------------------------


def _json_amounts(amounts: dict[str, Decimal]) -> dict[str, str] | None:
    return {key: str(value) for key, value in amounts.items()} or None


def budget_line_values(line: BudgetLine) -> dict[str, Any]:
    """The ``budget_line`` columns of ``line`` (without its department and position)."""
    return {
        "code": line.code,
        "name": line.name,
        "unit": line.unit,
        "total": line.total,
        "basic": line.basic,
        "project": line.project,
        "income_total": line.income_total,
        "income_current": line.income_current,
        "carryover": line.carryover,
        "other_expenses": _json_amounts(line.other_expenses),
        "income_sources": _json_amounts(line.income_sources),
        "fiscal": {k: v.model_dump(mode="json") for k, v in line.fiscal.items()} or None,
    }


def _project_values(project: Project, *, department_id: int, position: int, user: str) -> dict[str, Any]:
    return {
        "department_id": department_id,
        "position": position,
        "name": project.name,
        "code": project.code,
        "budget_line_code": project.budget_line_code,
        "line_link": project.line_link.value if project.line_link else None,
        "fund_source": project.fund_source.value if project.fund_source else None,
        "fund_source_detail": project.fund_source_detail,
        "budget_amount": project.budget_amount,
        "amount_unit": project.amount_unit,
        "amount_source": AmountSource(project.amount_source).value,
        "owner": project.owner,
        "implementing_unit": project.implementing_unit,
        "status": ProjectStatus(project.status).value,
        "notes": project.notes,
        "goal_text": project.goal.goal_text,
        "mid_term_goal_text": project.goal.mid_term_goal_text,
        "details": _details_value(project),
        "goal_layout": _layout_value(project.goal),
        **followup_values(project),
        "revision": project.goal.revision,
        "updated_at": utcnow(),
        "updated_by": user,
    }


def _indicator_values(indicators: Iterable[Indicator], project_id: int) -> list[dict[str, Any]]:
    return [
        {
            "project_id": project_id,
            "position": position,
            "level1": indicator.level1,
            "level2": indicator.level2,
            "level3": indicator.level3,
            "description": indicator.description,
            "value": indicator.value,
            "basis": indicator.basis,
            "mid_term_value": indicator.mid_term_value,
            "weight": indicator.weight,
            "direction": Direction(indicator.direction).value if indicator.direction else None,
            "unit": indicator.unit,
            "reference_value": indicator.reference_value,
            "method": indicator.method,
            "nature": indicator.nature,
            "mid_term_level2": indicator.mid_term_level2,
            "mid_term_level3": indicator.mid_term_level3,
            "standard": indicator.standard,
            "expected_value": indicator.expected_value,
            "extra": indicator.extra or None,
            "reference_actual": indicator.reference_actual,
        }
        for position, indicator in enumerate(indicators, start=1)
    ]


def _acceptance_values(
    acceptances: Iterable[Acceptance], *, department_id: int, project_id: int | None
) -> list[dict[str, Any]]:
    return [
        {
            "department_id": department_id,
            "project_id": project_id,
            "code": a.code,
            "reason": a.reason,
            "accepted_by": a.accepted_by,
            "accepted_at": a.accepted_at,
        }
        for a in acceptances
    ]


def _insert_many(session: Session, table: Any, rows: list[dict[str, Any]]) -> None:
    if rows:
        session.execute(insert(table), rows)


def _insert_projects(
    session: Session,
    *,
    department_id: int,
    projects: Sequence[Project],
    user: str,
    first_position: int = 1,
    revision_floor: int = 0,
) -> list[int]:
    """Insert projects with their goal tables and acceptances; returns the new ids in order.

    Each goal table's revision is at least ``revision_floor`` (a reload's: past every earlier one)."""
    if not projects:
        return []
    values = [
        _project_values(project, department_id=department_id, position=first_position + i, user=user)
        for i, project in enumerate(projects)
    ]
    if revision_floor:
        for row in values:
            row["revision"] = max(row["revision"], revision_floor)
    result = session.execute(
        insert(ProjectRow).returning(col(ProjectRow.id), sort_by_parameter_order=True),
        values,
    )
    ids = [row[0] for row in result]
    indicator_rows: list[dict[str, Any]] = []
    acceptance_rows: list[dict[str, Any]] = []
    for project_id, project in zip(ids, projects, strict=True):
        indicator_rows.extend(_indicator_values(project.goal.indicators, project_id))
        acceptance_rows.extend(
            _acceptance_values(project.acceptances, department_id=department_id, project_id=project_id)
        )
    _insert_many(session, IndicatorRow, indicator_rows)
    _insert_many(session, AcceptanceRow, acceptance_rows)
    return ids


def record_change(
    session: Session,
    *,
    user: str,
    entity: str,
    action: str,
    department_id: int | None = None,
    department_key: str = "",
    project_id: int | None = None,
    entity_key: str = "",
    before: Any = None,
    after: Any = None,
) -> None:
    """Add one entry to the change history (in the caller's transaction); on PostgreSQL, listening
    processes hear of it when the transaction commits (:mod:`perfgoals.storage.changes`)."""
    if department_id is not None and not department_key:
        # The key (code/year) lets the history of a department-year survive its replacement.
        found = session.execute(
            select(col(DepartmentRow.code), col(DepartmentRow.year)).where(col(DepartmentRow.id) == department_id)
        ).first()
        if found is not None:
            department_key = f"{found[0]}/{found[1]}"
    session.execute(
        insert(ChangeRow),
        [
            {
                "at": utcnow(),
                "user": user,
                "department_id": department_id,
                "department_key": department_key,
                "project_id": project_id,
                "entity": entity,
                "entity_key": entity_key,
                "action": action,
                "before": before,
                "after": after,
            }
        ],
    )
    publish(
        session,
        department_id=department_id,
        department_key=department_key,
        project_id=project_id,
        entity=entity,
        action=action,
        user=user,
        after=after,
    )


def _department_key(department: Department) -> str:
    return f"{department.code}/{department.year}"


def save_department(
    session: Session, *, department: Department, user: str, replace: bool = False, action: str = "load"
) -> int:
    """Write a whole department-year; with ``replace``, the same code and year is replaced.

    Returns the new department id.  Without ``replace`` an existing department-year is an error.
    """
    existing = session.execute(
        select(col(DepartmentRow.id)).where(
            col(DepartmentRow.code) == department.code, col(DepartmentRow.year) == department.year
        )
    ).scalar_one_or_none()
    before: Any = None
    revision_floor = 0
    refuse_review_statuses(
        session, department=department, label=f"{department.code} {department.name}（{department.year} 年）", user=user
    )
    if existing is not None:
        if not replace:
            raise AlreadyExists(
                f"数据库中已有 {department.code} {department.name} {department.year} 年的数据；"
                "如要替换，请加 --replace"
            )
        before = {
            "projects": session.execute(
                select(func.count()).select_from(ProjectRow).where(col(ProjectRow.department_id) == existing)
            ).scalar_one()
        }
        refuse_locked_replace(
            session, department_id=existing, label=f"{department.code} {department.name}（{department.year} 年）", user=user
        )
        revision_floor = _retire_projects(session, department_id=existing, code=department.code, year=department.year)
        delete_department(session, department_id=existing)
    values = {
        "code": department.code,
        "name": department.name,
        "year": department.year,
        "money_unit": department.money_unit,
        "framework": department.framework,
        "goal_overall": department.goals.overall,
        "goal_itemised": department.goals.itemised,
        "goal_safeguards": department.goals.safeguards,
        "org_units": [unit.model_dump(mode="json") for unit in department.org_units] or None,
        "function_total": department.function_total.model_dump(mode="json")
        if department.function_total
        else None,
        "procurement_total": department.procurement_total,
        "created_at": utcnow(),
        "updated_at": utcnow(),
    }
    department_id = session.execute(
        insert(DepartmentRow).returning(col(DepartmentRow.id)),
        [values],
    ).scalar_one()
    _insert_many(
        session,
        BudgetLineRow,
        [
            {"department_id": department_id, "position": position, **budget_line_values(line)}
            for position, line in enumerate(department.budget_lines, start=1)
        ],
    )
    _insert_many(
        session,
        EconomicLineRow,
        [
            {
                "department_id": department_id,
                "position": position,
                "code": e.code,
                "name": e.name,
                "unit": e.unit,
                "total": e.total,
                "personnel": e.personnel,
                "public": e.public,
            }
            for position, e in enumerate(department.economic_lines, start=1)
        ],
    )
    _insert_many(
        session,
        SummaryRowRow,
        [
            {
                "department_id": department_id,
                "ordinal": ordinal,
                "table_name": SummaryTable(s.table).value,
                "side": s.side,
                "position": s.position,
                "item": s.item,
                "unit": s.unit,
                "amounts": _json_amounts(s.amounts),
            }
            for ordinal, s in enumerate(department.summary_rows, start=1)
        ],
    )
    _insert_many(
        session,
        ThreePublicRowRow,
        [
            {
                "department_id": department_id,
                "ordinal": ordinal,
                "position": t.position,
                "item": t.item,
                "category": t.category,
                "unit": t.unit,
                "total": t.total,
                "amounts": _json_amounts(t.amounts),
            }
            for ordinal, t in enumerate(department.three_public, start=1)
        ],
    )
    _insert_many(
        session,
        ProcurementItemRow,
        [
            {
                "department_id": department_id,
                "ordinal": ordinal,
                "project_name": p.project_name,
                "project_budget": p.project_budget,
                "item": p.item,
                "catalogue_code": p.catalogue_code,
                "measure": p.measure,
                "quantity": p.quantity,
                "unit_price": p.unit_price,
                "amount": p.amount,
                "unit": p.unit,
                "funding": _json_amounts(p.funding),
                "sme_reserved": p.sme_reserved,
            }
            for ordinal, p in enumerate(department.procurement, start=1)
        ],
    )
    _insert_projects(
        session, department_id=department_id, projects=department.projects, user=user, revision_floor=revision_floor
    )
    _insert_many(
        session,
        AcceptanceRow,
        _acceptance_values(department.acceptances, department_id=department_id, project_id=None),
    )
    record_change(
        session,
        user=user,
        entity="department",
        action=action,
        department_id=department_id,
        department_key=_department_key(department),
        entity_key=department.name,
        before=before,
        after={
            "projects": len(department.projects),
            "indicators": sum(len(p.goal.indicators) for p in department.projects),
        },
    )
    return int(department_id)


def _retire_projects(session: Session, *, department_id: int, code: str, year: int) -> int:
    """Note every project row of a department-year about to be replaced (:class:`RetiredProjectRow`);
    returns the revision the new rows must start from: past every revision the department-year's
    projects ever had, so that a revision never goes backwards across a reload."""
    rows = session.execute(
        select(col(ProjectRow.id), col(ProjectRow.name), col(ProjectRow.revision)).where(
            col(ProjectRow.department_id) == department_id
        )
    ).all()
    earlier = session.execute(
        select(func.max(col(RetiredProjectRow.revision))).where(
            col(RetiredProjectRow.department_code) == code, col(RetiredProjectRow.year) == year
        )
    ).scalar_one()
    _insert_many(
        session,
        RetiredProjectRow,
        [
            {
                "project_id": project_id,
                "department_code": code,
                "year": year,
                "name": name,
                "revision": revision,
                "retired_at": utcnow(),
            }
            for project_id, name, revision in rows
        ],
    )
    return max([earlier or 0, *(revision for _, _, revision in rows)]) + 1


def was_reloaded(session: Session, *, project_id: int) -> bool:
    """Whether ``project_id`` was a project a reload replaced (:func:`reloaded_project`)."""
    return session.get(RetiredProjectRow, project_id) is not None


def reloaded_project(session: Session, *, project_id: int) -> Project | None:
    """What became of a project a reload (``load``, ``import --replace``) replaced: the live project of
    the same name in its department-year now, or ``None`` when ``project_id`` was never replaced so or
    the reloaded department-year has no project of that name."""
    retired = session.get(RetiredProjectRow, project_id)
    if retired is None:
        return None
    successor = session.execute(
        select(col(ProjectRow.id))
        .join(DepartmentRow, col(DepartmentRow.id) == col(ProjectRow.department_id))
        .where(
            col(DepartmentRow.code) == retired.department_code,
            col(DepartmentRow.year) == retired.year,
            col(ProjectRow.name) == retired.name,
            _live(),
        )
    ).scalar_one_or_none()
    return None if successor is None else load_project(session, project_id=successor)


def delete_department(session: Session, *, department_id: int) -> None:
    # Children go by ON DELETE CASCADE; the change history keeps its entries (SET NULL).
    session.execute(delete(DepartmentRow).where(col(DepartmentRow.id) == department_id))


def _project_snapshot(project: Project) -> dict[str, Any]:
    return project.model_dump(mode="json", exclude={"acceptances"})


def save_project(session: Session, *, project: Project, expected_revision: int, user: str) -> Project:
    """Save a project's fields and goal table over revision ``expected_revision``.

    If someone else saved it since (the stored revision differs), nothing is written and
    :class:`RevisionConflict` carries their version; a project in the recycle bin raises
    :class:`ProjectDeleted`.  Returns the project as saved, revision + 1.  This is the only way a
    goal table is written over; :func:`perfgoals.storage.merging.merge_and_save` builds on it.
    A table under review keeps its targets, and a status changes only through the review, once the review
    is set up (:class:`TableLocked`, :mod:`perfgoals.storage.locking`).
    """
    if project.id is None:
        raise NotFound("项目尚未保存到数据库")
    try:
        current = load_project(session, project_id=project.id)
    except ProjectDeleted:
        raise
    except NotFound:
        successor = reloaded_project(session, project_id=project.id)
        if successor is None:
            raise
        raise ProjectReloaded(
            f"项目“{project.name}”所在的部门年度已被重新读入（load 或 import --replace），"
            f"项目现为第 {successor.goal.revision} 版（编号 {successor.id}）；你打开的是读入前的第 "
            f"{expected_revision} 版，未保存。",
            current=successor,
        ) from None
    if current.goal.revision == expected_revision:  # (a stale one is a conflict first, merged, then checked)
        refuse_locked_save(session, current=current, project=project)
    new_revision = expected_revision + 1
    result = session.execute(
        update(ProjectRow)
        .where(col(ProjectRow.id) == project.id, col(ProjectRow.revision) == expected_revision, _live())
        .values(
            {
                key: value
                for key, value in _project_values(
                    project.model_copy(
                        update={"goal": project.goal.model_copy(update={"revision": new_revision})}
                    ),
                    department_id=0,
                    position=0,
                    user=user,
                ).items()
                if key not in ("department_id", "position")
            }
        )
    )
    if cast(CursorResult[Any], result).rowcount != 1:
        # Read again: a concurrent save or deletion may have landed since ``current`` was read.
        current = load_project(session, project_id=project.id)
        raise RevisionConflict(
            f"项目“{project.name}”已被 {current.goal.revision and _last_editor(session, project.id)} "
            f"保存为第 {current.goal.revision} 版（你打开的是第 {expected_revision} 版），未保存。",
            current=current,
        )
    session.execute(delete(IndicatorRow).where(col(IndicatorRow.project_id) == project.id))
    _insert_many(session, IndicatorRow, _indicator_values(project.goal.indicators, project.id))
    saved = project.model_copy(update={"goal": project.goal.model_copy(update={"revision": new_revision})})
    department_id = session.execute(
        select(col(ProjectRow.department_id)).where(col(ProjectRow.id) == project.id)
    ).scalar_one()
    record_change(
        session,
        user=user,
        entity="project",
        action="update",
        department_id=department_id,
        project_id=project.id,
        entity_key=project.name,
        before=_project_snapshot(current),
        after=_project_snapshot(saved),
    )
    return saved


def _last_editor(session: Session, project_id: int) -> str:
    editor = session.execute(
        select(col(ProjectRow.updated_by)).where(col(ProjectRow.id) == project_id)
    ).scalar_one_or_none()
    return editor or "他人"


def _deleted_message(entry: TrashEntry) -> str:
    when = entry.deleted_at.astimezone().strftime("%Y-%m-%d %H:%M")
    return (
        f"项目“{entry.name}”已被 {entry.deleted_by or '他人'} 于 {when} 删除（在回收站中，编号 {entry.project_id}），"
        "未保存：可另存为新项目，或先恢复再保存。"
    )


def trash_entries(session: Session, *, where: Sequence[Any] = ()) -> list[TrashEntry]:
    """The projects in the bin matching ``where`` (conditions on ProjectRow/DepartmentRow), newest first."""
    counts = (
        select(col(IndicatorRow.project_id), func.count().label("n"))
        .group_by(col(IndicatorRow.project_id))
        .subquery()
    )
    statement = (
        select(
            col(ProjectRow.id),
            col(ProjectRow.name),
            col(ProjectRow.department_id),
            col(DepartmentRow.code),
            col(DepartmentRow.name),
            col(DepartmentRow.year),
            col(ProjectRow.deleted_at),
            col(ProjectRow.deleted_by),
            col(ProjectRow.revision),
            counts.c.n,
        )
        .join(DepartmentRow, col(DepartmentRow.id) == col(ProjectRow.department_id))
        .outerjoin(counts, counts.c.project_id == col(ProjectRow.id))
        .where(col(ProjectRow.deleted_at).is_not(None), *where)
        .order_by(col(ProjectRow.deleted_at).desc(), col(ProjectRow.id).desc())
    )
    return [
        TrashEntry(
            project_id=row[0],
            name=row[1],
            department_id=row[2],
            department_code=row[3],
            department_name=row[4],
            year=row[5],
            deleted_at=row[6],
            deleted_by=row[7],
            revision=row[8],
            indicators=row[9] or 0,
        )
        for row in session.execute(statement)
    ]


def trash_entry(session: Session, *, project_id: int) -> TrashEntry:
    """The bin's entry for ``project_id``; :class:`NotFound` when it is not in the bin."""
    found = trash_entries(session, where=[col(ProjectRow.id) == project_id])
    if not found:
        raise NotFound(f"回收站中没有编号为 {project_id} 的项目")
    return found[0]


def add_project(session: Session, *, department_id: int, project: Project, user: str) -> Project:
    """Add a project at the end of the department's list; its name must be new among its live projects."""
    refuse_locked_add(project)  # a new table is a draft: a status is set only by the review
    clash = session.execute(
        select(col(ProjectRow.id)).where(
            col(ProjectRow.department_id) == department_id, col(ProjectRow.name) == project.name, _live()
        )
    ).first()
    if clash is not None:
        raise AlreadyExists(f"本部门已有名为“{project.name}”的项目")
    last = session.execute(
        select(func.max(col(ProjectRow.position))).where(col(ProjectRow.department_id) == department_id)
    ).scalar_one()
    [project_id] = _insert_projects(
        session, department_id=department_id, projects=[project], user=user, first_position=(last or 0) + 1
    )
    record_change(
        session,
        user=user,
        entity="project",
        action="create",
        department_id=department_id,
        project_id=project_id,
        entity_key=project.name,
        after=_project_snapshot(project),
    )
    return project.model_copy(update={"id": project_id})


def delete_project(session: Session, *, project_id: int, user: str) -> None:
    """Move a live project to the recycle bin (restorable with :func:`perfgoals.storage.trash.restore_project`).

    Its row and goal table stay; its revision goes up by one, so an open draft of it cannot be saved
    over it.  Raises :class:`ProjectDeleted` when it is already in the bin, :class:`TableLocked` when it
    is under review (unless a 财政审核人 deletes it).
    """
    project = load_project(session, project_id=project_id)
    refuse_locked_delete(session, project=project, user=user)
    department_id = session.execute(
        select(col(ProjectRow.department_id)).where(col(ProjectRow.id) == project_id)
    ).scalar_one()
    session.execute(
        update(ProjectRow)
        .where(col(ProjectRow.id) == project_id)
        .values(
            deleted_at=utcnow(),
            deleted_by=user,
            revision=col(ProjectRow.revision) + 1,
            updated_at=utcnow(),
            updated_by=user,
        )
    )
    record_change(
        session,
        user=user,
        entity="project",
        action="delete",
        department_id=department_id,
        project_id=project_id,
        entity_key=project.name,
        before=_project_snapshot(project),
    )


def accept_finding(
    session: Session, *, department_id: int, project_id: int | None, code: str, reason: str, user: str
) -> None:
    """Accept finding ``code`` for a project (or the department) with a written reason."""
    if not reason.strip():
        raise StorageError("接受问题必须写明理由")
    session.execute(
        delete(AcceptanceRow).where(
            col(AcceptanceRow.department_id) == department_id,
            col(AcceptanceRow.project_id) == project_id
            if project_id is not None
            else col(AcceptanceRow.project_id).is_(None),
            col(AcceptanceRow.code) == code,
        )
    )
    session.execute(
        insert(AcceptanceRow),
        [
            {
                "department_id": department_id,
                "project_id": project_id,
                "code": code,
                "reason": reason.strip(),
                "accepted_by": user,
                "accepted_at": utcnow(),
            }
        ],
    )
    record_change(
        session,
        user=user,
        entity="acceptance",
        action="create",
        department_id=department_id,
        project_id=project_id,
        entity_key=code,
        after={"code": code, "reason": reason.strip()},
    )


def withdraw_acceptance(
    session: Session, *, department_id: int, project_id: int | None, code: str, user: str
) -> None:
    session.execute(
        delete(AcceptanceRow).where(
            col(AcceptanceRow.department_id) == department_id,
            col(AcceptanceRow.project_id) == project_id
            if project_id is not None
            else col(AcceptanceRow.project_id).is_(None),
            col(AcceptanceRow.code) == code,
        )
    )
    record_change(
        session,
        user=user,
        entity="acceptance",
        action="delete",
        department_id=department_id,
        project_id=project_id,
        entity_key=code,
    )


@dataclass(frozen=True, slots=True)
class Change:
    at: datetime
    user: str
    entity: str
    entity_key: str
    action: str
    before: Any
    after: Any


def history(
    session: Session, *, department_id: int | None = None, project_id: int | None = None, limit: int = 200
) -> list[Change]:
    """The latest changes, newest first."""
    statement = select(ChangeRow).order_by(col(ChangeRow.id).desc()).limit(limit)
    if department_id is not None:
        found = session.execute(
            select(col(DepartmentRow.code), col(DepartmentRow.year)).where(col(DepartmentRow.id) == department_id)
        ).first()
        key = f"{found[0]}/{found[1]}" if found is not None else ""
        statement = statement.where(
            or_(col(ChangeRow.department_id) == department_id, col(ChangeRow.department_key) == key)
        )
    if project_id is not None:
        statement = statement.where(col(ChangeRow.project_id) == project_id)
    return [
        Change(row.at, row.user, row.entity, row.entity_key, row.action, row.before, row.after)
        for row in session.scalars(statement)
    ]
