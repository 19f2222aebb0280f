"""What the rules look at: a department-year read once into facts that every rule shares.

:class:`CheckContext` holds a department and derives, lazily and once, what several rules need: the
budget lines by code and their tree, each project's rows read against the framework, each line's
reconciliation with its projects, and the arithmetic of the budget tables.  Nothing is cached by
object identity: what is cached (in :func:`row_facts`) is keyed by a row's text, so an edited copy of
a project can never be read as its stored version.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from operator import attrgetter
from typing import TYPE_CHECKING, Any, Generic, NamedTuple, TypeVar, overload

from perfgoals.checks.arithmetic import Comparison
from perfgoals.checks.vocabulary import clean
from perfgoals.framework import Framework, Level2, get_framework
from perfgoals.models import (
    BudgetLine,
    Department,
    Direction,
    FundSource,
    Indicator,
    ProcurementItem,
    Project,
)
from perfgoals.reading.amounts import ProjectAmount, project_amount, to_wan_or_none
from perfgoals.reading.ceiling import Ceiling, cost_ceiling
from perfgoals.reading.reconcile import LineReconciliation, Sum, department_total, reconcile_line
from perfgoals.reading.rounding import ZERO, Status
from perfgoals.reading.rows import is_blank, levels, value_text
from perfgoals.values import ParsedValue, parse_value

if TYPE_CHECKING:
    from perfgoals.evaluation import EvaluationSummary
    from perfgoals.monitoring.figures import MonitoringReading

T = TypeVar("T")


class lazy(Generic[T]):
    """``functools.cached_property`` without its lock (Python 3.11 takes one on every first access):
    a check run is single-threaded per context, and the value is stored in the instance on first use."""

    def __init__(self, function: Callable[[Any], T]) -> None:
        self.function = function
        self.name = function.__name__
        self.__doc__ = function.__doc__

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    @overload
    def __get__(self, instance: None, owner: type | None = None) -> lazy[T]: ...

    @overload
    def __get__(self, instance: object, owner: type | None = None) -> T: ...

    def __get__(self, instance: object | None, owner: type | None = None) -> T | lazy[T]:
        if instance is None:
            return self
        value = self.function(instance)
        instance.__dict__[self.name] = value
        return value


TEN_THOUSAND = Decimal(10000)
#: How far from exactly 10,000× a ratio may be and still read as a unit slip.
SLIP_LOW, SLIP_HIGH = Decimal("0.5"), Decimal(2)


class RowEnv(NamedTuple):
    """What a row rule may know beyond the row: the framework, the budget year, carry-over funding.

    A named tuple rather than a dataclass: it keys each row's cached results, looked up once per row of
    a province, and a tuple hashes in C.
    """

    framework: str
    year: int
    carryover: bool = False


#: An indicator row's fields as the model holds them (``None`` for blank cells): the cache key of
#: everything read from the row.  Equal rows give equal keys whatever object they live in.
RowKey = tuple[
    str | None, str | None, str | None, str | None, str | None, str | None, str | None, str | None, str | None
]

#: Reads the key's fields in one C call: this runs for every row of a province.
row_key: Callable[[Indicator], RowKey] = attrgetter(
    "level1", "level2", "level3", "description", "value", "basis", "unit", "mid_term_value", "direction"
)


@dataclass(frozen=True, slots=True, eq=False)
class RowFacts:
    """One indicator row, as written and as read against the framework.

    Compared and hashed by identity: equal rows share one object (:func:`row_facts`), and the engine
    keys each row's cached results by it.
    """

    level1: str
    level2: str
    level3: str
    description: str
    value: str
    basis: str
    unit: str | None
    mid_term_value: str | None
    direction: Direction | None
    l1: str  # canonical 一级
    l2: str  # canonical 二级
    l1_known: bool
    l2_known: bool
    parents: tuple[str, ...]  # the 一级 under which this 二级 may stand
    spec: Level2 | None
    parsed: ParsedValue
    blank: bool  # nothing written beyond the levels: a "not applicable" row
    name_text: str  # 三级 and description, cleaned, for keyword matching
    # Read once per distinct row, here rather than in each rule, because rules run for every row:
    level3_clean: str
    description_clean: str
    value_text: str  # the value with its separate unit column, as the parser reads it
    is_cost: bool
    is_satisfaction: bool
    is_timeliness: bool
    is_quantity: bool
    is_output: bool
    signature: tuple[str, str, str, str, str, str]  # what makes two goal tables' rows the same

    def label(self) -> str:
        """``成本指标：预算总成本`` — how a reviewer names the row."""
        group = self.level2.strip() or self.level1.strip() or "指标"
        name = self.level3.strip() or self.description.strip() or "（未填三级指标）"
        return f"{group}：{name}"


#: Rows read so far, by framework: goal tables repeat rows from templates, so a province's year reads far
#: fewer distinct rows than it holds.  Cleared when it outgrows the limit (~1 KB a row with its key and
#: results, so at most ~50 MB): rows written afresh gain nothing from the cache, templates refill it.
_ROW_FACTS: dict[str | None, dict[RowKey, RowFacts]] = {}
_ROW_FACTS_LIMIT = 50_000


def _row_facts_cache(framework_id: str | None) -> dict[RowKey, RowFacts]:
    """The cache for one framework, emptied first if the caches together have reached the limit."""
    if sum(map(len, _ROW_FACTS.values())) >= _ROW_FACTS_LIMIT:
        _ROW_FACTS.clear()
    cache = _ROW_FACTS.get(framework_id)
    if cache is None:
        cache = _ROW_FACTS[framework_id] = {}
    return cache


def row_facts(key: RowKey, framework_id: str | None) -> RowFacts:
    """One row read against the framework (cached by its text: equal rows give the same object)."""
    cache = _row_facts_cache(framework_id)
    facts = cache.get(key)
    if facts is None:
        facts = cache[key] = _read_row(key, framework_id)
    return facts


def _read_row(key: RowKey, framework_id: str | None) -> RowFacts:
    """Read one row, with the reading layer's functions (the same the importer and the screens use)."""
    level1, level2, level3, description, value, basis, unit, mid_term, direction = key
    level1, level2, level3 = level1 or "", level2 or "", level3 or ""
    description, value, basis = description or "", value or "", basis or ""
    read = levels(framework_id, level1, level2)
    text = value_text(value, unit)
    spec = read.spec
    l2 = read.l2
    level3_clean, description_clean = clean(level3), clean(description)
    return RowFacts(
        level1=level1,
        level2=level2,
        level3=level3,
        description=description,
        value=value,
        basis=basis,
        unit=unit,
        mid_term_value=mid_term,
        direction=Direction(direction) if direction else None,
        l1=read.l1,
        l2=l2,
        l1_known=read.l1_known,
        l2_known=spec is not None,
        parents=read.parents,
        spec=spec,
        parsed=parse_value(text),
        blank=is_blank(level3, description, value, basis),
        name_text=level3_clean + "|" + description_clean,
        level3_clean=level3_clean,
        description_clean=description_clean,
        value_text=text,
        is_cost=read.is_cost,
        is_satisfaction=(spec is not None and spec.satisfaction) or "满意" in level3_clean,
        is_timeliness="时效" in l2,
        is_quantity=spec.quantitative if spec else "数量" in l2,
        is_output=read.l1 == "产出指标",
        signature=(read.l1, l2, level3.strip(), description.strip(), value.strip(), basis.strip()),
    )


@dataclass
class ProjectFacts:
    index: int
    project: Project
    rows: list[RowFacts]

    @lazy
    def name(self) -> str:
        """The project's name, cleaned: how names are matched (duplicates, the procurement table)."""
        return clean(self.project.name)

    @lazy
    def money(self) -> ProjectAmount:
        """The project's amount as written, in 万元, and whether it was inferred (the reading layer's)."""
        return project_amount(self.project)

    @lazy
    def amount(self) -> Decimal | None:
        """The project's budget amount in 万元 (``None`` when blank): the budget its goal table is held to,
        whether entered or inferred."""
        return self.money.wan

    @lazy
    def carryover(self) -> bool:
        return self.project.fund_source is not None and FundSource(self.project.fund_source) is FundSource.CARRYOVER

    @lazy
    def filled(self) -> list[RowFacts]:
        """The rows with something written beyond their levels."""
        return [row for row in self.rows if not row.blank]

    @lazy
    def present_level1(self) -> frozenset[str]:
        return frozenset(row.l1 for row in self.filled)

    @lazy
    def present_level2(self) -> frozenset[str]:
        return frozenset(row.l2 for row in self.filled)

    @lazy
    def cost_rows(self) -> list[tuple[int, RowFacts]]:
        return [(number, row) for number, row in enumerate(self.rows, start=1) if row.is_cost and not row.blank]

    @lazy
    def ceiling(self) -> Ceiling | None:
        """The cost ceiling (:func:`perfgoals.reading.ceiling.cost_ceiling`)."""
        return cost_ceiling(self.rows)

    @lazy
    def signature(self) -> tuple[object, ...]:
        """The goal table without the project's name: equal signatures mean copied tables."""
        return (
            clean(self.project.goal.goal_text),
            tuple(row.signature for row in self.rows if not row.blank),
        )

    @lazy
    def slip(self) -> Decimal | None:
        """10,000 or 1/10,000 when the cost ceiling is that many times the budget amount, else ``None``."""
        ceiling, amount = self.ceiling, self.amount
        if ceiling is None or not amount or not ceiling.wan:
            return None
        ratio = ceiling.wan / amount
        for multiplier in (TEN_THOUSAND, 1 / TEN_THOUSAND):
            if SLIP_LOW <= ratio / multiplier <= SLIP_HIGH:
                return multiplier
        return None


@dataclass
class ProcurementGroup:
    """The procurement items listed under one project name."""

    items: list[ProcurementItem] = field(default_factory=list)
    total: Decimal = ZERO
    units: list[str] = field(default_factory=list)
    budget: Decimal | None = None  # the 预算资金 column, as written in the items' unit


def _parent_code(code: str) -> str | None:
    return {5: code[:3], 7: code[:5]}.get(len(code))


class CheckContext:
    """A department-year prepared for checking; build one per check run (cheap), reuse within it."""

    def __init__(self, department: Department, *, project: Project | None = None) -> None:
        self.department = department
        #: The projects as checked: ``project`` (an edited copy, say) replaces its stored version.
        self.project_list: list[Project] = list(department.projects)
        self.focus: int | None = None
        if project is not None:
            self.focus = self._place(project)
        # Built afresh for every run (tens of microseconds): a cache keyed by the department object
        # would go stale when the TUI edits its budget lines in place.
        try:
            self.framework: Framework | None = get_framework(department.framework)
        except KeyError:
            self.framework = None
        self.lines: dict[str, BudgetLine] = {line.code: line for line in department.budget_lines}
        children: dict[str, list[BudgetLine]] = defaultdict(list)
        for line in department.budget_lines:
            parent = _parent_code(line.code)
            if parent is not None and parent in self.lines:
                children[parent].append(line)
        self.children: dict[str, list[BudgetLine]] = dict(children)
        self.year = department.year
        self._projects: dict[int, ProjectFacts] = {}
        self._all: list[ProjectFacts] | None = None
        self._lines: dict[str, LineReconciliation] = {}
        #: The stored version's line when ``project`` is an edited copy charged elsewhere: the line it
        #: left must be reconciled too, or moving a project would break one line silently.
        self.previous_line: str | None = None

    @property
    def framework_id(self) -> str | None:
        return self.framework.id if self.framework else None

    def env(self, facts: ProjectFacts) -> RowEnv:
        return RowEnv(self.department.framework, self.year, facts.carryover)

    def _place(self, project: Project) -> int:
        for matches in (
            lambda candidate: candidate is project,
            lambda candidate: project.id is not None and candidate.id == project.id,
            lambda candidate: candidate.name == project.name,
        ):
            for index, candidate in enumerate(self.project_list):
                if matches(candidate):
                    if candidate.budget_line_code != project.budget_line_code:
                        self.previous_line = candidate.budget_line_code
                    self.project_list[index] = project
                    return index
        self.project_list.append(project)
        return len(self.project_list) - 1

    def project(self, index: int) -> ProjectFacts:
        facts = self._projects.get(index)
        if facts is None:
            project = self.project_list[index]
            framework_id = self.framework_id
            cache = _row_facts_cache(framework_id)

            def read(key: RowKey) -> RowFacts:
                row = cache[key] = _read_row(key, framework_id)
                return row

            # RowFacts are always true, so ``or`` reads only the rows not seen before.
            rows = [cache.get(key) or read(key) for key in map(row_key, project.goal.indicators)]
            facts = ProjectFacts(index, project, rows)
            self._projects[index] = facts
        return facts

    def projects(self) -> list[ProjectFacts]:
        facts = self._all
        if facts is None:
            facts = self._all = [self.project(index) for index in range(len(self.project_list))]
        return facts

    # --- projects against budget lines ----------------------------------------------------------

    @lazy
    def unplaced(self) -> list[int]:
        """Projects charged to no known line (none given, or a code the tables don't have)."""
        if not self.lines:
            return []
        return [
            index
            for index, project in enumerate(self.project_list)
            if not project.budget_line_code or project.budget_line_code not in self.lines
        ]

    @lazy
    def fully_placed(self) -> bool:
        """Every project sits on a line of the budget tables, so the lines account for all of them."""
        return bool(self.lines) and not self.unplaced

    @lazy
    def members_by_line(self) -> dict[str, list[int]]:
        grouped: dict[str, list[int]] = defaultdict(list)
        for index, project in enumerate(self.project_list):
            if project.budget_line_code:
                grouped[project.budget_line_code].append(index)
        return dict(grouped)

    def lines_to_reconcile(self) -> list[str]:
        """Lines that carry projects, and lines with 项目支出 that no project is charged to.

        The second kind is reported only when every project is placed on a known line (otherwise
        an unplaced project may be the missing one) and nothing above or below the line carries
        projects (projects may be charged to a 款 instead of its 项).
        """
        codes = [code for code in self.members_by_line if code in self.lines]
        if self.project_list and not self.unplaced:
            linked = set(codes)
            for code, line in self.lines.items():
                if code in linked or code in self.children or not line.project:
                    continue
                related = {code[:3], code[:5]} | {other for other in linked if other.startswith(code)}
                if not related & linked:
                    codes.append(code)
        order = {code: position for position, code in enumerate(self.lines)}
        return sorted(codes, key=lambda code: order.get(code, len(order)))

    def reconcile(self, code: str) -> LineReconciliation:
        """The line ``code`` against the projects charged to it or to lines under it (the reading
        layer's reconciliation, with the projects as checked)."""
        found = self._lines.get(code)
        if found is None:
            line = self.lines[code]
            indices = self.covered(code)
            found = reconcile_line(
                line,
                [self.project_list[index] for index in indices],
                [self.project(index).amount for index in indices],
            )
            self._lines[code] = found
        return found

    def covered(self, code: str) -> list[int]:
        """The indices of the projects charged to line ``code`` or to a line under it, in order."""
        if len(code) == 7:
            return self.members_by_line.get(code, [])
        found = [index for member, indices in self.members_by_line.items() if member.startswith(code) for index in indices]
        return sorted(found)

    def members(self, entry: LineReconciliation) -> list[ProjectFacts]:
        """The projects of a reconciliation, as this context's facts."""
        return [self.project(index) for index in self.covered(entry.code)]

    def elsewhere(self, entry: LineReconciliation) -> list[tuple[Project, Decimal | None]]:
        """The projects not counted under ``entry``'s line, with their amounts in 万元."""
        inside = set(self.covered(entry.code))
        return [
            (self.project_list[index], self.project(index).amount)
            for index in range(len(self.project_list))
            if index not in inside
        ]

    def comparisons(self, entry: LineReconciliation, rule: str = "PG102") -> list[Comparison]:
        """A line's sums as the :class:`Comparison` records the rounding notes (PG200) are made of."""
        return [comparison_of(entry_sum, rule=rule, key=f"line:{entry.code}", subject=entry.subject,
                              relation=_relation(entry, entry_sum), budget_line=entry.code)
                for entry_sum in entry.sums]

    @lazy
    def department_reconciliation(self) -> Comparison | None:
        """Σ every project against the department's 项目支出 total (``None`` if any amount is blank)."""
        facts = self.projects()
        total = department_total(
            self.department.function_total,
            [member.amount for member in facts],
            [(m.project.budget_amount, m.project.amount_unit) for m in facts],
        )
        if total is None or total.status is Status.OK:
            return None
        return comparison_of(
            total, rule="PG103", key="total", subject="部门项目支出合计", relation=f"全部 {len(facts)} 个项目合计"
        )

    # --- budget tables --------------------------------------------------------------------------

    @lazy
    def ledger(self) -> list[Comparison]:
        """Every arithmetic relation of the budget tables, evaluated (see :mod:`perfgoals.checks.tables`)."""
        from perfgoals.checks.tables import build_ledger

        return build_ledger(self)

    def ledger_for(self, rule: str) -> list[Comparison]:
        return [entry for entry in self.ledger if entry.rule == rule]

    @lazy
    def procurement_by_project(self) -> dict[str, ProcurementGroup]:
        """The procurement table's items by the project name they are listed under (cleaned)."""
        groups: dict[str, ProcurementGroup] = {}
        for item in self.department.procurement:
            name = clean(item.project_name)
            if not name or "小计" in clean(item.item):
                continue
            group = groups.get(name)
            if group is None:
                group = groups[name] = ProcurementGroup()
            group.items.append(item)
            amount = to_wan_or_none(item.amount, item.unit)
            if amount is not None:
                group.total += amount
                group.units.append(item.unit)
            if group.budget is None and item.project_budget is not None:
                group.budget = item.project_budget
        return groups

    @lazy
    def first_by_name(self) -> dict[str, int]:
        """Each project name (cleaned) and the index of its first project."""
        first: dict[str, int] = {}
        for index, project in enumerate(self.project_list):
            first.setdefault(clean(project.name), index)
        return first

    @lazy
    def signatures(self) -> dict[tuple[object, ...], list[int]]:
        grouped: dict[tuple[object, ...], list[int]] = defaultdict(list)
        for facts in self.projects():
            if any(not row.blank for row in facts.rows):
                grouped[facts.signature].append(facts.index)
        return dict(grouped)

    @lazy
    def monitoring(self) -> dict[int, MonitoringReading]:
        """Each monitored project's 绩效监控 read once (:func:`perfgoals.monitoring.read_monitoring`),
        by project index; projects without monitoring are absent."""
        from perfgoals.monitoring.figures import read_monitoring

        readings: dict[int, MonitoringReading] = {}
        for index, project in enumerate(self.project_list):
            reading = read_monitoring(project, self.year, self.framework_id)
            if reading is not None:
                readings[index] = reading
        return readings

    @lazy
    def evaluations(self) -> dict[int, EvaluationSummary]:
        """Each project's 绩效自评 summarised once (:func:`perfgoals.evaluation.evaluate`: points, scores,
        执行率, 总分), by project index; projects without a 自评 are absent."""
        from perfgoals.evaluation import evaluate

        return {
            index: evaluate(project, self.framework_id)
            for index, project in enumerate(self.project_list)
            if project.evaluation is not None
        }


def _relation(entry: LineReconciliation, entry_sum: Sum) -> str:
    if entry_sum.column == "上年结转":
        return f"{len(entry.carried)} 个结转项目合计"
    return f"{len(entry.projects)} 个项目合计"


def comparison_of(
    entry_sum: Sum, *, rule: str, key: str, subject: str, relation: str, budget_line: str | None = None
) -> Comparison:
    """A reconciliation's sum as a :class:`Comparison`, for the messages the budget-table rules share."""
    return Comparison(
        rule=rule,
        key=key,
        subject=subject,
        column=entry_sum.column,
        relation=relation,
        computed=entry_sum.computed,
        published=entry_sum.published,
        items=entry_sum.items,
        factor=entry_sum.factor,
        unit=entry_sum.unit,
        status=entry_sum.status,
        budget_line=budget_line,
    )
