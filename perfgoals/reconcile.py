"""Reconciling projects against budget lines (对账): each line's 项目支出 and the sum of its projects.

A project is charged to one 功能分类 line, usually a 项 (7 digits); a 类 or 款 line covers every
project charged to a line under it.  All money is compared in 万元 (:func:`perfgoals.money.to_wan`);
a difference within publication rounding (0.005 of the figures' rounding unit per figure summed, as
in the checks) is not a discrepancy.  The same
comparison is made for 上年结转 against the projects funded from carry-over.

Shared by the TUI's 对账 screen and the workbook export, so that both say the same thing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from perfgoals.models import BudgetLine, Department, FundSource, Project
from perfgoals.money import AmountError, to_wan
from perfgoals.reading.rounding import rounding_factor, rounding_tolerance


@dataclass(frozen=True, slots=True)
class LineReconciliation:
    """One budget line against the projects charged to it (or to lines under it)."""

    line: BudgetLine
    projects: list[Project]
    line_project_wan: Decimal | None  # the line's 项目支出 in 万元; None when the line has none
    projects_wan: Decimal  # sum of the projects' amounts that are known, in 万元
    unpriced: list[Project] = field(default_factory=list)  # projects without an amount
    line_carryover_wan: Decimal | None = None
    carryover_projects_wan: Decimal = Decimal(0)
    rounding: Decimal = Decimal(1)  # the figures' rounding unit in 万元 (:func:`perfgoals.money.rounding_factor`)

    @property
    def level(self) -> int:
        """0 for 类, 1 for 款, 2 for 项: the indent of the line."""
        return (len(self.line.code) - 3) // 2

    @property
    def difference(self) -> Decimal | None:
        """Line minus projects, in 万元; None when the line states no 项目支出 and has no projects."""
        if self.line_project_wan is None:
            return -self.projects_wan if self.projects else None
        return self.line_project_wan - self.projects_wan

    @property
    def tolerance(self) -> Decimal:
        return rounding_tolerance(len(self.projects) + 1) * self.rounding

    @property
    def balanced(self) -> bool:
        """The line and its projects agree within rounding, and every project has an amount."""
        difference = self.difference
        return (difference is None or abs(difference) <= self.tolerance) and not self.unpriced

    @property
    def carryover_difference(self) -> Decimal | None:
        """上年结转 minus the projects funded from carry-over, in 万元 (None when neither has any)."""
        if self.line_carryover_wan is None:
            return -self.carryover_projects_wan if self.carryover_projects_wan else None
        return self.line_carryover_wan - self.carryover_projects_wan

    @property
    def carryover_balanced(self) -> bool:
        """Carry-over projects do not exceed the line's 上年结转 (beyond rounding).

        Carry-over may also fund basic spending, so a line's 上年结转 larger than its carry-over
        projects is not a discrepancy; projects funded from carry-over the line does not have are.
        """
        difference = self.carryover_difference
        return difference is None or difference >= -self.tolerance


@dataclass(frozen=True, slots=True)
class Reconciliation:
    department: Department
    lines: list[LineReconciliation]
    unlinked: list[Project]  # projects with no line, or a line the department does not have

    @property
    def discrepancies(self) -> list[LineReconciliation]:
        return [line for line in self.lines if not line.balanced]

    @property
    def carryover_discrepancies(self) -> list[LineReconciliation]:
        return [line for line in self.lines if not line.carryover_balanced]


def project_wan(project: Project) -> Decimal | None:
    """The project's amount in 万元, or None when it has none (or its unit is unknown)."""
    if project.budget_amount is None:
        return None
    try:
        return to_wan(project.budget_amount, project.amount_unit)
    except AmountError:
        return None


def _line_wan(amount: Decimal | None, unit: str) -> Decimal | None:
    if amount is None:
        return None
    try:
        return to_wan(amount, unit)
    except AmountError:
        return None


def _covers(line_code: str, project_code: str) -> bool:
    return project_code.startswith(line_code)


def reconcile(department: Department) -> Reconciliation:
    """Every budget line of ``department`` against its projects, in the lines' order."""
    codes = {line.code for line in department.budget_lines}
    results: list[LineReconciliation] = []
    for line in department.budget_lines:
        projects = [
            p for p in department.projects if p.budget_line_code and _covers(line.code, p.budget_line_code)
        ]
        priced = [(p, amount) for p in projects if (amount := project_wan(p)) is not None]
        results.append(
            LineReconciliation(
                line=line,
                projects=projects,
                line_project_wan=_line_wan(line.project, line.unit),
                projects_wan=sum((amount for _, amount in priced), Decimal(0)),
                unpriced=[p for p in projects if project_wan(p) is None],
                line_carryover_wan=_line_wan(line.carryover, line.unit),
                carryover_projects_wan=sum(
                    (amount for p, amount in priced if p.fund_source == FundSource.CARRYOVER), Decimal(0)
                ),
                rounding=rounding_factor(
                    [(line.project, line.unit), (line.carryover, line.unit)]
                    + [(p.budget_amount, p.amount_unit) for p in projects]
                ),
            )
        )
    unlinked = [p for p in department.projects if not p.budget_line_code or p.budget_line_code not in codes]
    return Reconciliation(department=department, lines=results, unlinked=unlinked)
