"""Turning a :class:`~perfgoals.importers.source.SourceDocument` into a :class:`Department`.

Tables are recognised by their titles and header words, never by their position, so other provinces'
layouts (extra columns, other orders, titles inside the table) read the same way.  Every figure keeps
the unit its table was written in.  Whatever cannot be placed is reported by table and row; whatever
stops a table from being read is an obstacle, and every obstacle is named in one message.

The parts, each a function from rows to data:

* :mod:`.units` — joining tables split across pages, with their titles, units and meta lines;
* :mod:`.geometry` — header geometry (merges, two-row headers, column groups);
* :mod:`.classify` — what kind of table each is;
* :mod:`.identity` — the department and the year;
* :mod:`.budget` — the budget-table readers;
* :mod:`.goals` — the goal tables, one module per layout family.

:func:`interpret` assembles them, in document order, explicitly.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from pydantic import ValidationError

from perfgoals.framework import DEFAULT_FRAMEWORK, get_framework
from perfgoals.importers.errors import ImportFailure
from perfgoals.importers.goal_layout import clean
from perfgoals.importers.interpret import budget
from perfgoals.importers.interpret.classify import Kind, classify
from perfgoals.importers.interpret.evaluation import read_evaluation_unit
from perfgoals.importers.interpret.goals import hubei
from perfgoals.importers.interpret.goals.table import GoalRead, read_goal_unit
from perfgoals.importers.interpret.identity import (
    NAMED_FIELD,
    Identity,
    derived_code,
    disclosure_year,
    from_meta,
    named_department,
    title_year,
)
from perfgoals.importers.interpret.report import Note, Obstacle, Report
from perfgoals.importers.interpret.units import Unit, group_units
from perfgoals.importers.source import Paragraph, SourceDocument
from perfgoals.models import (
    DEFAULT_UNIT,
    AmountSource,
    CostItem,
    Department,
    EconomicLine,
    OrgUnit,
    ProcurementItem,
    Project,
    SummaryRow,
    SummaryTable,
    ThreePublicRow,
)
from perfgoals.money import normalise_unit
from perfgoals.reading.ceiling import cost_ceiling
from perfgoals.reading.rows import read_row

__all__ = ["Interpretation", "Note", "interpret"]

@dataclass(slots=True)
class Interpretation:
    department: Department
    notes: list[Note] = field(default_factory=list)
    tables_read: Counter[str] = field(default_factory=Counter)
    standalone: bool = False  # goal tables only: no budget table
    department_named: bool = True  # the document names the department (else it comes from --department)
    code_derived: bool = False  # the department's code was made from its name


@dataclass(slots=True)
class _Read:
    """Everything the tables of a document gave, in document order."""

    ledger: budget.Ledger = field(default_factory=budget.Ledger)
    economic: list[EconomicLine] = field(default_factory=list)
    summary: list[SummaryRow] = field(default_factory=list)
    three_public: list[ThreePublicRow] = field(default_factory=list)
    procurement: list[ProcurementItem] = field(default_factory=list)
    procurement_total: Decimal | None = None
    org_units: list[OrgUnit] = field(default_factory=list)
    goals: list[GoalRead] = field(default_factory=list)
    breakdowns: list[tuple[int, list[CostItem]]] = field(default_factory=list)  # (goals read before it, items)
    tables: Counter[str] = field(default_factory=Counter)


def interpret(document: SourceDocument, *, department: str | None = None, year: int | None = None) -> Interpretation:
    """Read a document; ``department`` (a code) and ``year`` override what it says."""
    report = Report(document.source, notes=[Note(document.source, note) for note in document.notes])
    try:
        interpretation = _interpret(document, report, department, year)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        raise ImportFailure(f"{document.source}：读出的数据不合格式（{where}：{first['msg']}）") from None
    failure = report.failure()
    if failure is not None:
        raise failure
    assert interpretation is not None
    return interpretation


def _interpret(
    document: SourceDocument, report: Report, code_override: str | None, year_override: int | None
) -> Interpretation | None:
    units = group_units(document.blocks)
    identity = Identity()
    from_meta((text for unit in units for text in unit.meta), identity)
    read = _read_tables(units, identity.year, report)
    if not read.tables:
        if not report.obstacles:
            report.obstacle("", "没有找到可识别的预算表或绩效目标表")
        return None
    standalone = not (read.ledger.lines or read.ledger.total or read.economic or read.summary or read.three_public
                      or read.procurement or read.org_units)
    _identity_from_paragraphs(document, identity)
    _identity_from_goals(units, read.goals, document, identity)
    if code_override:
        identity.code = code_override
    if year_override:
        identity.year = year_override
    named = identity.name is not None
    if identity.code is None and identity.name is not None:
        identity.code, identity.code_derived = derived_code(identity.name), True
    if identity.code is None:
        report.obstacle(
            "", "找不到部门（应在表头写作“731张家口市科学技术协会”或“编制部门：…”，或在绩效目标表中写"
            "“预算部门”“单位名称”“填报单位”等）；也可用 --department 指定部门编码",
        )
    if identity.year is None:
        report.obstacle("", "找不到预算年度（应在表头写作“预算年度：2022”，或在标题中写“2023年…”）；也可用 --year 指定")
    if report.obstacles or identity.code is None or identity.year is None:
        return None
    projects = _projects(read, report)
    framework = _framework(projects)
    _apply_procurement_amounts(read.procurement, projects)
    _infer_amounts(projects, framework, report)
    units_seen = Counter(normalise_unit(unit.unit_text) for unit in units if unit.unit_text and classify(unit))
    department = Department(
        code=identity.code,
        name=identity.name or identity.code,
        year=identity.year,
        money_unit=units_seen.most_common(1)[0][0] if units_seen else DEFAULT_UNIT,
        framework=framework,
        goals=budget.narrative_goals(document.blocks),
        org_units=read.org_units,
        function_total=read.ledger.total,
        budget_lines=list(read.ledger.lines.values()),
        economic_lines=read.economic,
        summary_rows=read.summary,
        three_public=read.three_public,
        procurement=read.procurement,
        procurement_total=read.procurement_total,
        projects=projects,
    )
    return Interpretation(department, report.notes, read.tables, standalone, named, identity.code_derived)


def _read_tables(units: list[Unit], meta_year: int | None, report: Report) -> _Read:
    """Each table read by its kind's reader, in document order."""
    read = _Read()
    units_seen: Counter[str] = Counter()
    for unit in units:
        kind = classify(unit)
        if kind is None:
            if unit.rows:
                label = f"「{unit.title}」" if unit.title else "无标题表格"
                report.note(unit.table.place, f"未识别的表格{label}，已跳过")
            continue
        if kind is Kind.SELF_EVALUATION:  # a 自评表: its project with its targets and its 自评
            try:
                read.goals.extend(read_evaluation_unit(unit, report))
            except Obstacle as obstacle:
                report.obstacle(obstacle.note.place, obstacle.note.message)
                continue  # not counted as read: its reason is the message, not a missing department after it
            read.tables[kind.value] += 1
            continue
        if unit.unit_text:
            units_seen[normalise_unit(unit.unit_text)] += 1
        fallback = units_seen.most_common(1)[0][0] if units_seen else DEFAULT_UNIT
        try:
            _read_table(unit, kind, fallback, meta_year, read, report)
        except Obstacle as obstacle:
            report.obstacle(obstacle.note.place, obstacle.note.message)
        read.tables[kind.value] += 1
    return read


def _read_table(unit: Unit, kind: Kind, fallback: str, meta_year: int | None, read: _Read, report: Report) -> None:
    if kind is Kind.GOAL:
        read.goals.extend(read_goal_unit(unit, report))
    elif kind is Kind.DEPARTMENT_GOAL:
        report.note(f"{unit.name}{unit.table.place}", "部门整体绩效目标表暂不导入（整体目标取自说明文字）")
    elif kind is Kind.COST_BREAKDOWN:
        read.breakdowns.append((len(read.goals), hubei.read_breakdown(unit, unit.rows, report)))
    elif kind is Kind.ORG_UNITS:
        read.org_units.extend(budget.read_org_units(unit))
    else:
        unit_word = budget.table_unit(unit, fallback, report)
        if kind is Kind.EXPENDITURE:
            updates = budget.read_expenditure(unit, unit_word, report)
        elif kind is Kind.INCOME:
            updates = budget.read_income(unit, unit_word, report)
        elif kind is Kind.FISCAL_FUNCTION:
            updates = budget.read_fiscal_function(unit, unit_word, report)
        else:
            updates = []
            if kind is Kind.ECONOMIC:
                read.economic.extend(budget.read_economic(unit, unit_word, report))
            elif kind in (Kind.BUDGET_SUMMARY, Kind.FISCAL_SUMMARY):
                table = SummaryTable.FISCAL if kind is Kind.FISCAL_SUMMARY else SummaryTable.BUDGET
                read.summary.extend(budget.read_summary(unit, table, unit_word))
            elif kind is Kind.THREE_PUBLIC:
                read.three_public.extend(budget.read_three_public(unit, unit_word, meta_year))
            elif kind is Kind.PROCUREMENT:
                items, total = budget.read_procurement(unit, unit_word)
                read.procurement.extend(items)
                read.procurement_total = total if total is not None else read.procurement_total
        for update in updates:
            read.ledger.apply(update)


def _identity_from_paragraphs(document: SourceDocument, identity: Identity) -> None:
    if identity.code is not None and identity.year is not None:
        return
    paragraphs = [block.text for block in document.blocks if isinstance(block, Paragraph)]
    from_meta(paragraphs, identity)
    for text in paragraphs:
        identity.take_year(disclosure_year(text))


def _identity_from_goals(units: list[Unit], goals: list[GoalRead], document: SourceDocument, identity: Identity) -> None:
    """A stand-alone goal table's department (a labelled cell) and year (its title)."""
    if identity.code is None:
        coded = next((read.department for read in goals if read.department and read.department[0]), None)
        if coded is not None:
            identity.code, identity.name = coded[0], coded[1]
    if identity.name is None:
        named = next((read.department for read in goals if read.department), None)
        if named is None:
            for text in (text for unit in units for text in unit.meta):
                match = NAMED_FIELD.match(text.strip())
                found = named_department(match.group(1)) if match else None
                if found is not None:
                    named = found
                    break
        if named is not None:
            identity.code, identity.name = named
    if identity.year is None:
        identity.take_year(next((read.year for read in goals if read.year), None))
    if identity.year is None and goals:
        for block in document.blocks:
            if isinstance(block, Paragraph) and re.search(r"表|预算|绩效", block.text):
                identity.take_year(title_year(block.text))


def _projects(read: _Read, report: Report) -> list[Project]:
    """The projects in document order, a repeated name made unique; separate cost breakdowns attached to
    the project read just before them (or the first one)."""
    projects: list[Project] = []
    places: dict[str, str] = {}
    for goal in read.goals:
        project = goal.project
        if project.name in places:
            original, suffix = project.name, 2
            while f"{original}（{suffix}）" in places:
                suffix += 1
            project.name = f"{original}（{suffix}）"
            report.note(goal.place, f"项目名称与{places[original]}的项目重复，改名为“{project.name}”")
        places[project.name] = goal.place
        projects.append(project)
    for before, items in read.breakdowns:
        if not projects:
            report.note("成本构成表", "文件中没有绩效目标表，成本构成无处放置，未导入")
            continue
        target = projects[max(before - 1, 0)]
        target.breakdown.extend(items)
    return projects


def _framework(projects: list[Project]) -> str:
    seen = {clean(indicator.level1) for project in projects for indicator in project.goal.indicators if indicator.level1}
    cost_first = get_framework("mof-2021").canonical_level1("成本指标")
    return "mof-2021" if cost_first in seen else DEFAULT_FRAMEWORK


def _infer_amounts(projects: list[Project], framework: str, report: Report) -> None:
    """Each project the document gives no amount for gets its cost ceiling as an inferred amount; whether it
    stands is decided once the projects are linked to budget lines (:func:`perfgoals.importers.reading.finish`)."""
    for project in projects:
        if project.budget_amount is not None:
            continue
        ceiling = cost_ceiling([read_row(indicator, framework) for indicator in project.goal.indicators])
        if ceiling is None:
            report.note(f"项目“{project.name}”", "成本指标中没有金额，项目金额未能确定")
            continue
        project.budget_amount = ceiling.figure
        project.amount_unit = ceiling.unit
        project.amount_source = AmountSource.COST_INDICATOR


def _apply_procurement_amounts(procurement: list[ProcurementItem], projects: list[Project]) -> None:
    """The procurement table's 预算资金 for a project, when its goal table states none: an inferred amount."""
    budgets: dict[str, tuple[Decimal, str]] = {}
    for item in procurement:
        if item.project_name and item.project_budget is not None:
            budgets.setdefault(clean(item.project_name), (item.project_budget, item.unit))
    for project in projects:
        found = budgets.get(clean(project.name))
        if found is not None and project.budget_amount is None:
            project.budget_amount, project.amount_unit = found
            project.amount_source = AmountSource.PROCUREMENT

