"""对账: each budget line's 项目支出 against the projects charged to it, decided once.

A project is charged to one 功能分类 line, a 项 (7 digits); a 类 or 款 line covers every project
charged to a line under it.  The line's 项目支出 should equal the sum of its projects' amounts, and its
上年结转 the sum of those funded from carry-over, within publication rounding
(:mod:`perfgoals.reading.rounding`).  The checks (PG102, PG104, PG112, PG200), the TUI's 对账 screen
and budget-line screen, and the workbook's 对账 sheet all read the result from here, with one set of
verdict words (:class:`Verdict`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from perfgoals.models import BudgetLine, Department, FundSource, LineAmounts, Project
from perfgoals.reading.amounts import to_wan_or_none
from perfgoals.reading.rounding import ZERO, Status, rounding_factor, rounding_tolerance, settle

TEN_THOUSAND = Decimal(10000)
#: The multipliers of a unit slip: 万元 written as 元 (the figure is 10,000× too small) and the reverse.
SLIPS: tuple[Decimal, Decimal] = (TEN_THOUSAND, 1 / TEN_THOUSAND)


class Verdict(StrEnum):
    """What a line's reconciliation comes to, in the words every screen and sheet uses."""

    AGREES = "一致"
    ROUNDING = "舍入误差内"
    MISMATCH = "不一致"
    UNPRICED = "有项目未填金额"
    NO_FIGURE = "科目未填项目支出"
    EMPTY = "无项目支出"

    @property
    def settled(self) -> bool:
        """Nothing for a person to do: the figures agree (or there is nothing to reconcile)."""
        return self in (Verdict.AGREES, Verdict.ROUNDING, Verdict.EMPTY)


@dataclass(frozen=True, slots=True)
class Sum:
    """The sum of some projects' amounts against the line's published figure, all in 万元."""

    column: str  # 项目支出 or 上年结转
    computed: Decimal
    published: Decimal
    items: int  # figures summed (at least 1, so that a line with no project still has a tolerance)
    factor: Decimal  # the figures' rounding unit in 万元 (:func:`rounding_factor`)
    unit: str  # the line's unit: how its figures are printed
    status: Status

    @property
    def difference(self) -> Decimal:
        """Projects minus line: positive when the projects come to more than the line has."""
        return self.computed - self.published

    @property
    def tolerance(self) -> Decimal:
        return rounding_tolerance(self.items) * self.factor


@dataclass(frozen=True, slots=True)
class LineReconciliation:
    """One budget line against the projects charged to it (or to lines under it)."""

    line: BudgetLine
    projects: tuple[Project, ...]
    amounts: tuple[Decimal | None, ...]  # each project's amount in 万元, ``None`` when blank
    total: Sum | None  # None when the line has no 项目支出 figure, or a project has no amount
    carryover: Sum | None  # None when 上年结转 does not split the projects
    #: (position in ``projects``, multiplier) when one project's amount, that many times larger, makes
    #: the line add up: a unit written wrong.
    slip: tuple[int, Decimal] | None
    verdict: Verdict

    @property
    def code(self) -> str:
        return self.line.code

    @property
    def level(self) -> int:
        """0 for 类, 1 for 款, 2 for 项: the indent of the line."""
        return (len(self.line.code) - 3) // 2

    @property
    def subject(self) -> str:
        """``科目 2060702 科普活动``: how a message names the line."""
        return f"科目 {self.line.code} {self.line.name}".rstrip()

    @property
    def projects_wan(self) -> Decimal:
        """The sum of the projects' known amounts, in 万元."""
        return sum((amount for amount in self.amounts if amount is not None), ZERO)

    @property
    def line_project_wan(self) -> Decimal | None:
        return to_wan_or_none(self.line.project, self.line.unit)

    @property
    def unpriced(self) -> tuple[Project, ...]:
        return tuple(project for project, amount in zip(self.projects, self.amounts, strict=True) if amount is None)

    @property
    def carried(self) -> tuple[Project, ...]:
        return tuple(project for project in self.projects if project.fund_source == FundSource.CARRYOVER)

    @property
    def sums(self) -> tuple[Sum, ...]:
        return tuple(entry for entry in (self.total, self.carryover) if entry is not None)

    @property
    def slip_project(self) -> tuple[Project, Decimal] | None:
        if self.slip is None:
            return None
        position, multiplier = self.slip
        return self.projects[position], multiplier


def covers(line_code: str, project_code: str | None) -> bool:
    """Whether a project charged to ``project_code`` counts under ``line_code`` (the line or one under it)."""
    return bool(project_code) and project_code.startswith(line_code)  # type: ignore[union-attr]


def _sum(
    column: str,
    amounts: Sequence[Decimal],
    published: Decimal,
    *,
    factor: Decimal,
    unit: str,
    lenient_below: bool = False,
) -> Sum:
    computed = sum(amounts, ZERO)
    items = max(len(amounts), 1)
    status = settle(computed, published, items=items, factor=factor)
    if lenient_below and status is Status.MISMATCH and computed < published:
        status = Status.OK  # the rest of the carry-over funds running costs
    return Sum(column, computed, published, items, factor, unit, status)


def _slip(total: Sum, amounts: Sequence[Decimal | None], factor: Decimal) -> tuple[int, Decimal] | None:
    """A project whose amount, ×10,000 or ÷10,000, makes the line's projects add up.

    Not when the amount so corrected would vanish in the line's rounding: then the line is simply
    over by the project's whole amount, which is what a project charged to the wrong line looks like.
    """
    if total.status is not Status.MISMATCH:
        return None
    for position, amount in enumerate(amounts):
        if not amount:
            continue
        for multiplier in SLIPS:
            if abs(amount * multiplier) <= total.tolerance:
                continue
            corrected = total.computed - amount + amount * multiplier
            if settle(corrected, total.published, items=total.items, factor=factor) is not Status.MISMATCH:
                return position, multiplier
    return None


#: A comparison's status in the verdict words.
VERDICTS: dict[Status, Verdict] = {Status.OK: Verdict.AGREES, Status.ROUNDING: Verdict.ROUNDING, Status.MISMATCH: Verdict.MISMATCH}

_ORDER = (Verdict.NO_FIGURE, Verdict.UNPRICED, Verdict.MISMATCH, Verdict.ROUNDING, Verdict.AGREES, Verdict.EMPTY)


def reconcile_line(line: BudgetLine, projects: Sequence[Project], amounts: Sequence[Decimal | None]) -> LineReconciliation:
    """``line`` against ``projects`` (those charged to it or to lines under it), whose amounts in 万元
    are ``amounts`` (:func:`perfgoals.reading.amounts.project_amount`)."""
    unit = line.unit
    published = to_wan_or_none(line.project, unit)
    factor = rounding_factor(
        [(line.project, unit), (line.carryover, unit)] + [(p.budget_amount, p.amount_unit) for p in projects]
    )
    priced = [amount for amount in amounts if amount is not None]
    complete = len(priced) == len(amounts)
    total: Sum | None = None
    carryover: Sum | None = None
    slip: tuple[int, Decimal] | None = None
    if published is None:
        verdict = Verdict.NO_FIGURE if projects else Verdict.EMPTY
    elif not complete:
        verdict = Verdict.UNPRICED
    else:
        total = _sum("项目支出", priced, published, factor=factor, unit=unit)
        carried = [a for p, a in zip(projects, amounts, strict=True) if p.fund_source == FundSource.CARRYOVER]
        line_carryover = to_wan_or_none(line.carryover, unit)
        if carried and line_carryover is not None and all(p.fund_source for p in projects):
            # Carry-over beyond the line's 项目支出 also funds running costs: then projects may use less of it.
            carryover = _sum(
                "上年结转",
                [a for a in carried if a is not None],
                line_carryover,
                factor=factor,
                unit=unit,
                lenient_below=line_carryover > published,
            )
        slip = _slip(total, amounts, factor)
        verdict = VERDICTS[max((entry.status for entry in (total, carryover) if entry is not None), key=_severity)]
        if not projects and total.status is Status.OK and published == ZERO:
            verdict = Verdict.EMPTY
    return LineReconciliation(line, tuple(projects), tuple(amounts), total, carryover, slip, verdict)


def _severity(status: Status) -> int:
    return (Status.OK, Status.ROUNDING, Status.MISMATCH).index(status)


def worst(verdicts: Iterable[Verdict]) -> Verdict:
    """The verdict that needs a person most among ``verdicts`` (``一致`` when there are none)."""
    return min(verdicts, key=_ORDER.index, default=Verdict.AGREES)


@dataclass(frozen=True, slots=True)
class DepartmentReconciliation:
    """Every budget line of a department against its projects, and the whole against the 合计 row."""

    department: Department
    lines: list[LineReconciliation]
    unlinked: list[Project]  # projects charged to no line, or to a line the department does not have
    unlinked_amounts: list[Decimal | None]
    total: Sum | None  # Σ every project against the 合计 row's 项目支出 (None when either is missing)

    @property
    def discrepancies(self) -> list[LineReconciliation]:
        return [entry for entry in self.lines if not entry.verdict.settled]

    @property
    def verdict(self) -> Verdict:
        """What Σ every project against the 合计 row's 项目支出 comes to, in the lines' words."""
        if self.total is not None:
            return VERDICTS[self.total.status]
        if not self.department.projects:
            return Verdict.EMPTY
        function_total = self.department.function_total
        if function_total is None or function_total.project is None:
            return Verdict.NO_FIGURE
        return Verdict.UNPRICED

    @property
    def projects_wan(self) -> Decimal:
        """Σ every project's known amount in 万元: the total the 目录 and the 对账 sheet both print."""
        linked = sum((entry.projects_wan for entry in self.lines if _top_level(entry, self.lines)), ZERO)
        return linked + sum((amount for amount in self.unlinked_amounts if amount is not None), ZERO)


def _top_level(entry: LineReconciliation, lines: list[LineReconciliation]) -> bool:
    """A line no other listed line covers (so that summing these counts each project once)."""
    code = entry.line.code
    return not any(other.line.code != code and code.startswith(other.line.code) for other in lines)


def department_total(
    function_total: LineAmounts | None, amounts: Sequence[Decimal | None], units: Iterable[tuple[Decimal | None, str]]
) -> Sum | None:
    """Σ every project against the department's 项目支出 total: ``None`` when either is missing or an
    amount is blank (no sum can be trusted then)."""
    if function_total is None or function_total.project is None or not amounts:
        return None
    if any(amount is None for amount in amounts):
        return None
    published = to_wan_or_none(function_total.project, function_total.unit)
    if published is None:
        return None
    factor = rounding_factor([(function_total.project, function_total.unit), *units])
    return _sum("项目支出", [a for a in amounts if a is not None], published, factor=factor, unit=function_total.unit)


def reconcile_department(department: Department, amounts: Sequence[Decimal | None] | None = None) -> DepartmentReconciliation:
    """Every line of ``department`` (in the lines' order) against its projects.

    ``amounts`` are the projects' amounts in 万元 in ``department.projects`` order (read with
    :func:`perfgoals.reading.amounts.project_amount` when not given).
    """
    projects = department.projects
    if amounts is None:
        amounts = [to_wan_or_none(p.budget_amount, p.amount_unit) for p in projects]
    codes = {line.code for line in department.budget_lines}
    results = []
    for line in department.budget_lines:
        members = [(p, a) for p, a in zip(projects, amounts, strict=True) if covers(line.code, p.budget_line_code)]
        results.append(reconcile_line(line, [p for p, _ in members], [a for _, a in members]))
    unlinked = [
        (p, a) for p, a in zip(projects, amounts, strict=True) if not p.budget_line_code or p.budget_line_code not in codes
    ]
    total = department_total(department.function_total, amounts, [(p.budget_amount, p.amount_unit) for p in projects])
    return DepartmentReconciliation(
        department, results, [p for p, _ in unlinked], [a for _, a in unlinked], total
    )


def suspects(
    entry: LineReconciliation, others: Iterable[tuple[Project, Decimal | None]]
) -> tuple[list[Project], list[Project]]:
    """Projects whose amount alone explains a line's mismatch: (charged here but seemingly not of this
    line, charged elsewhere but seemingly of this line).

    When the projects come to more than the line by one project's amount, that project may be charged
    here by mistake; when they come to less by the amount of a project on another line (or none), that
    one may belong here: what a project moved to the wrong line looks like from both lines.
    """
    total = entry.total
    if total is None or total.status is not Status.MISMATCH:
        return [], []
    gap, tolerance = total.difference, total.tolerance
    if gap > 0:
        here = [p for p, a in zip(entry.projects, entry.amounts, strict=True) if a is not None and abs(a - gap) <= tolerance]
        return here, []
    elsewhere = [p for p, a in others if a is not None and a > 0 and abs(a + gap) <= tolerance]
    return [], elsewhere
