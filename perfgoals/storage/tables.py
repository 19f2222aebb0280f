"""The database tables, all in one place (SQLModel).

Rows mirror :mod:`perfgoals.models`; :mod:`perfgoals.storage.repository` converts between the two.
Every child row belongs to a department-year and goes when it goes (``ON DELETE CASCADE``), except
the change history, which outlives what it describes.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Column, ForeignKey, Index, Integer, UniqueConstraint, text
from sqlmodel import Field, SQLModel

from perfgoals.storage.types import ExactDecimal, JsonText


def utcnow() -> datetime:
    return datetime.now(UTC)


def _money() -> Any:
    return Field(default=None, sa_type=ExactDecimal, nullable=True)


def _json(nullable: bool = True) -> Any:
    return Field(default=None, sa_column=Column(JsonText, nullable=nullable))


def _parent(table: str, *, nullable: bool = False, ondelete: str = "CASCADE") -> Any:
    return Field(
        default=None,
        sa_column=Column(
            Integer, ForeignKey(f"{table}.id", ondelete=ondelete), nullable=nullable, index=True
        ),
    )


class DepartmentRow(SQLModel, table=True):
    __tablename__ = "department"
    # AUTOINCREMENT (revision 0006): an id is never handed out twice, even after a reload.
    __table_args__ = (
        UniqueConstraint("code", "year", name="uq_department_code_year"),
        {"sqlite_autoincrement": True},
    )

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=40)
    name: str = Field(max_length=200)
    year: int = Field(index=True)
    money_unit: str = Field(default="万元", max_length=10)
    framework: str = Field(default="mof-2015", max_length=40)
    goal_overall: str = ""
    goal_itemised: str = ""
    goal_safeguards: str = ""
    org_units: Any = _json()
    function_total: Any = _json()
    procurement_total: Decimal | None = _money()
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class BudgetLineRow(SQLModel, table=True):
    __tablename__ = "budget_line"
    __table_args__ = (UniqueConstraint("department_id", "code", name="uq_budget_line_code"),)

    id: int | None = Field(default=None, primary_key=True)
    department_id: int = _parent("department")
    position: int
    code: str = Field(max_length=7)
    name: str = Field(max_length=200)
    unit: str = Field(default="万元", max_length=10)
    total: Decimal | None = _money()
    basic: Decimal | None = _money()
    project: Decimal | None = _money()
    income_total: Decimal | None = _money()
    income_current: Decimal | None = _money()
    carryover: Decimal | None = _money()
    other_expenses: Any = _json()
    income_sources: Any = _json()
    fiscal: Any = _json()


class EconomicLineRow(SQLModel, table=True):
    __tablename__ = "economic_line"

    id: int | None = Field(default=None, primary_key=True)
    department_id: int = _parent("department")
    position: int
    code: str = Field(max_length=5)
    name: str = Field(max_length=200)
    unit: str = Field(default="万元", max_length=10)
    total: Decimal | None = _money()
    personnel: Decimal | None = _money()
    public: Decimal | None = _money()


class SummaryRowRow(SQLModel, table=True):
    __tablename__ = "summary_row"

    id: int | None = Field(default=None, primary_key=True)
    department_id: int = _parent("department")
    ordinal: int
    table_name: str = Field(max_length=40)
    side: str = Field(max_length=4)
    position: int
    item: str = Field(max_length=200)
    unit: str = Field(default="万元", max_length=10)
    amounts: Any = _json()


class ThreePublicRowRow(SQLModel, table=True):
    __tablename__ = "three_public_row"

    id: int | None = Field(default=None, primary_key=True)
    department_id: int = _parent("department")
    ordinal: int
    position: int
    item: str = Field(max_length=200)
    category: str = Field(max_length=40)
    unit: str = Field(default="万元", max_length=10)
    total: Decimal | None = _money()
    amounts: Any = _json()


class ProcurementItemRow(SQLModel, table=True):
    __tablename__ = "procurement_item"

    id: int | None = Field(default=None, primary_key=True)
    department_id: int = _parent("department")
    ordinal: int
    project_name: str = Field(default="", max_length=300)
    project_budget: Decimal | None = _money()
    item: str = Field(max_length=300)
    catalogue_code: str = Field(default="", max_length=40)
    measure: str = Field(default="", max_length=20)
    quantity: Decimal | None = _money()
    unit_price: Decimal | None = _money()
    amount: Decimal | None = _money()
    unit: str = Field(default="万元", max_length=10)
    funding: Any = _json()
    sme_reserved: Decimal | None = _money()


#: Which projects are live: a deleted project stays in its row, in the recycle bin (revision 0004).
LIVE_PROJECT = "deleted_at IS NULL"


class ProjectRow(SQLModel, table=True):
    __tablename__ = "project"
    # A name is unique among a department's live projects; the bin may hold the same name (several times).
    __table_args__ = (
        Index(
            "uq_project_name_live",
            "department_id",
            "name",
            unique=True,
            sqlite_where=text(LIVE_PROJECT),
            postgresql_where=text(LIVE_PROJECT),
        ),
        {"sqlite_autoincrement": True},  # revision 0006: ids are never reused
    )

    id: int | None = Field(default=None, primary_key=True)
    department_id: int = _parent("department")
    position: int
    name: str = Field(max_length=300)
    code: str | None = Field(default=None, max_length=60)
    budget_line_code: str | None = Field(default=None, max_length=7)
    line_link: str | None = Field(default=None, max_length=20)
    fund_source: str | None = Field(default=None, max_length=20)
    fund_source_detail: str | None = Field(default=None, max_length=200)
    budget_amount: Decimal | None = _money()
    amount_unit: str = Field(default="万元", max_length=10)
    amount_source: str = Field(default="entered", max_length=20)
    owner: str = Field(default="", max_length=100)
    status: str = Field(default="草稿", max_length=20)
    notes: str = ""
    goal_text: str = ""
    revision: int = Field(default=1)
    updated_at: datetime = Field(default_factory=utcnow)
    updated_by: str = Field(default="", max_length=100)
    # Added by revision 0003: the server default fills the rows written before it.
    implementing_unit: str = Field(default="", max_length=200, sa_column_kwargs={"server_default": ""})
    mid_term_goal_text: str = Field(default="", sa_column_kwargs={"server_default": ""})
    # Added by revision 0004: set when the project is moved to the recycle bin, cleared on restore.
    deleted_at: datetime | None = Field(default=None)
    deleted_by: str = Field(default="", max_length=100, sa_column_kwargs={"server_default": ""})
    # Added by revision 0005: what a goal table from another province's layout carries besides the model's
    # first fields: the project block's fields, its cost breakdown and its own fields with no column
    # (``details``), and the layout it came in with its footers (``goal_layout``), as JSON.
    details: Any = _json()
    goal_layout: Any = _json()
    # Added by revision 0007: what follows the targets (see :mod:`perfgoals.storage.followup`): the review's
    # comments and transitions, the mid-year monitoring and the year-end 自评, as JSON.
    review: Any = _json()
    monitoring: Any = _json()
    evaluation: Any = _json()


class RetiredProjectRow(SQLModel, table=True):
    """A project row that ``load`` or ``import --replace`` deleted with its department-year (revision 0006).

    A draft or workbook of it names its id; this row says which project of the reloaded department-year
    it became (the one of the same name) and the revision it had, which the reload went past.
    """

    __tablename__ = "retired_project"
    __table_args__ = (Index("ix_retired_project_department", "department_code", "year"),)

    project_id: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    department_code: str = Field(max_length=40)
    year: int
    name: str = Field(max_length=300)
    revision: int
    retired_at: datetime = Field(default_factory=utcnow)


class IndicatorRow(SQLModel, table=True):
    __tablename__ = "indicator"
    __table_args__ = (Index("ix_indicator_project_position", "project_id", "position"),)

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(
        default=None, sa_column=Column(Integer, ForeignKey("project.id", ondelete="CASCADE"), nullable=False)
    )
    position: int
    level1: str = ""
    level2: str = ""
    level3: str = ""
    description: str = ""
    value: str = ""
    basis: str = ""
    mid_term_value: str | None = None
    weight: Decimal | None = _money()
    direction: str | None = Field(default=None, max_length=4)
    unit: str | None = Field(default=None, max_length=40)
    reference_value: str | None = None
    method: str | None = None
    # Added by revision 0005: 指标性质, the 实施期 group's 二级/三级, 绩效标准, 当年预期实现值, other columns.
    nature: str | None = None
    mid_term_level2: str | None = None
    mid_term_level3: str | None = None
    standard: str | None = None
    expected_value: str | None = None
    extra: Any = _json()
    # Added by revision 0007: last year's 实际完成值, carried by a rollover beside last year's target.
    reference_actual: str | None = None


class UserRow(SQLModel, table=True):
    """A person of the review (revision 0007): a login and its role, and the departments it acts for.

    ``departments`` lists department codes; empty means every department (the finance office).
    """

    __tablename__ = "app_user"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=100, sa_column_kwargs={"unique": True})
    role: str = Field(max_length=20)
    departments: Any = _json()
    created_at: datetime = Field(default_factory=utcnow)
    created_by: str = Field(default="", max_length=100)


class AcceptanceRow(SQLModel, table=True):
    __tablename__ = "acceptance"

    id: int | None = Field(default=None, primary_key=True)
    department_id: int = _parent("department")
    project_id: int | None = _parent("project", nullable=True)
    code: str = Field(max_length=10)
    reason: str
    accepted_by: str = Field(default="", max_length=100)
    accepted_at: datetime | None = None


class ChangeRow(SQLModel, table=True):
    """One entry of the change history: who changed what, when, with before and after."""

    __tablename__ = "change_log"

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utcnow, index=True)
    user: str = Field(default="", max_length=100)
    department_id: int | None = _parent("department", nullable=True, ondelete="SET NULL")
    department_key: str = Field(default="", max_length=80, index=True)
    project_id: int | None = Field(default=None)
    entity: str = Field(max_length=40)
    entity_key: str = Field(default="", max_length=300)
    action: str = Field(max_length=20)
    before: Any = _json()
    after: Any = _json()
