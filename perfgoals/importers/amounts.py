"""Which inferred project amounts an import keeps, and what a re-import keeps of the database's.

A disclosure usually states no project amount: the importer takes each project's cost ceiling as the
evidence (:func:`perfgoals.reading.ceiling.cost_ceiling`), and the linking (:mod:`.linking`) finds the
lines those amounts add up to.  What stands afterwards:

* a ceiling that reconciles with a line is the project's amount, inferred (``COST_INDICATOR``);
* a ceiling that fits no line is no budget fact: the project is left without an amount, and PG110 says
  which ceiling and which line's 项目支出 do not agree.  Arithmetic alone cannot say which of a
  line's projects has the wrong ceiling, so every project left over is named;
* a stand-alone goal table has no lines: its ceilings are the only evidence there is, kept as inferred.

Re-importing a department-year that is already in the database does not move its budget: an amount
the database holds is a budget fact that only a person changes (:func:`keep_budget_facts`), so a
ceiling changed in the new file is checked against it, like a ceiling changed anywhere else.
"""

from __future__ import annotations

from perfgoals.importers.linking import LinkReport
from perfgoals.models import AmountSource, Department, LinkStatus
from perfgoals.reading.amounts import project_amount
from perfgoals.reading.reconcile import reconcile_department


def drop_unreconciled(department: Department, report: LinkReport) -> list[str]:
    """Clear the ceiling-inferred amounts the linking could not place on any line; says what it cleared.

    When the lines do not all come out, a ceiling small enough to vanish in its line's rounding is no
    evidence either (the line would add up with or without it: a 元/万元 slip looks like this), so it is
    cleared too.
    """
    said: list[str] = []
    complete = report.attempted and not report.unlinked and not report.unplaced_lines
    lines = {entry.line.code: entry for entry in reconcile_department(department).lines} if not complete else {}
    for project in department.projects:
        money = project_amount(project)
        if money.source is not AmountSource.COST_INDICATOR or not report.attempted:
            continue
        entry = lines.get(project.budget_line_code or "")
        vanishes = entry is not None and entry.total is not None and (money.wan or 0) <= entry.total.tolerance
        if project.budget_line_code and not vanishes:
            continue
        said.append(
            f"项目“{project.name}”的成本指标 {money.text} 与任何科目的项目支出都对不上，未作为项目金额；"
            "请核对成本指标，并在项目信息中填写年度资金"
        )
        project.budget_amount = None
        project.amount_source = AmountSource.ENTERED
        if vanishes:
            project.budget_line_code, project.line_link, project.fund_source = None, None, None
    return said


def keep_budget_facts(imported: Department, current: Department) -> list[str]:
    """Carry the database's amounts (and their line links) over to a re-import of the same department-year.

    A project of the new file matched by name keeps the amount, unit and source the database holds,
    unless the file states an amount of its own (an entered amount is the source's word); and it keeps
    its line and fund source unless the file states those, because the importer's links are only
    suggestions.  Says how many it kept.
    """
    by_name = {project.name: project for project in current.projects}
    kept = 0
    for project in imported.projects:
        stored = by_name.get(project.name)
        if stored is None or stored.budget_amount is None:
            continue
        if project.amount_source is not AmountSource.ENTERED or project.budget_amount is None:
            if (project.budget_amount, project.amount_unit, project.amount_source) != (
                stored.budget_amount, stored.amount_unit, stored.amount_source
            ):
                kept += 1
            project.budget_amount, project.amount_unit = stored.budget_amount, stored.amount_unit
            project.amount_source = stored.amount_source
        if project.line_link is not LinkStatus.CONFIRMED and stored.budget_line_code:
            project.budget_line_code, project.line_link = stored.budget_line_code, stored.line_link
            project.fund_source, project.fund_source_detail = stored.fund_source, stored.fund_source_detail
    if not kept:
        return []
    return [f"{kept} 个项目保留数据库中的年度资金（预算金额只由人填写或确认；新文件的成本指标将与之核对）"]
