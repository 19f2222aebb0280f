"""A goal table read whole: split into projects, each project's block, columns, rows and footers read by
the modules of its layout family, and assembled into :class:`~perfgoals.models.Project` s."""

from __future__ import annotations

import re
from dataclasses import dataclass

from perfgoals.importers.goal_layout import (
    IGNORED_FIELDS,
    LabelKind,
    clean,
    footer_label,
    goal_field,
    is_goal_header_row,
    preamble_label,
    split_label_value,
)
from perfgoals.importers.interpret.cells import is_title_row, texts
from perfgoals.importers.interpret.goals import central, hubei, hunan, national, sichuan
from perfgoals.importers.interpret.goals.block import BlockRead, Money, apply_block, read_block, read_money
from perfgoals.importers.interpret.goals.columns import ColumnLayout, column_layout
from perfgoals.importers.interpret.goals.rows import ReadRow, read_rows
from perfgoals.importers.interpret.identity import named_department, title_year
from perfgoals.importers.interpret.report import Obstacle, Report
from perfgoals.importers.interpret.units import Unit
from perfgoals.importers.source import Row
from perfgoals.models import AmountSource, Footer, GoalTable, LayoutFamily, Project
from perfgoals.money import AmountError, normalise_unit
from perfgoals.reading.rows import read_row
from perfgoals.values import ValueKind, parse_value

#: A cost row is recognised under either framework while the document's own is not yet known.
_FRAMEWORKS = ("mof-2015", "mof-2021")


@dataclass(slots=True)
class GoalRead:
    """A project read from a goal table, with what the table says of the department and the year."""

    project: Project
    place: str  # where its table starts, for messages
    department: tuple[str | None, str] | None = None  # (code or None, name) from a labelled cell
    year: int | None = None  # from the table's title


def read_goal_unit(unit: Unit, report: Report) -> list[GoalRead]:
    """The projects of one goal table: usually one, but some layouts run several together."""
    result: list[GoalRead] = []
    for number, (title, rows) in enumerate(_segments(unit.rows)):
        if number and not any("一级指标" in {clean(c) for c in row.cells} for row in rows):
            for row in rows:  # something after the last project's indicators, such as a repeated title
                if not row.is_blank:
                    report.note(f"{unit.name}{row.place}", f"未能识别的行“{'、'.join(texts(row))[:40]}”，未导入")
            continue
        try:
            result.extend(_read_segment(unit, rows, unit.title if number == 0 else title, report))
        except Obstacle as obstacle:
            report.obstacle(obstacle.note.place, obstacle.note.message)
    _trailing_footers(unit, result)
    return result


def _read_segment(unit: Unit, rows: list[Row], title: str, report: Report) -> list[GoalRead]:
    header_index = next((i for i, row in enumerate(rows) if "一级指标" in {clean(c) for c in row.cells}), None)
    if header_index is None:
        raise Obstacle(f"{unit.name}{unit.table.place}", "找不到“一级指标”表头行")
    preamble = [row for row in rows[:header_index] if not row.is_blank]
    header_rows = [rows[header_index]]
    if preamble and is_goal_header_row(list(preamble[-1].cells)):
        header_rows.insert(0, preamble.pop())  # the header's upper row (绩效指标 | 指标值 over 年度/实施期)
    rest = rows[header_index + 1 :]
    if rest and _is_subheader(rest[0]):
        header_rows.append(rest.pop(0))
    breakdown_rows, preamble = hubei.split_breakdown(preamble)
    block = read_block(unit, preamble, report)
    layout = column_layout(unit, header_rows, rest)
    read = read_rows(unit, rest, layout, header_rows, report)
    footers = [entry.footer for entry in read if entry.footer is not None]
    year = title_year(title) or next((found for text in unit.before if (found := title_year(text))), None)
    if layout.project_columns:
        reads = _sichuan_projects(unit, title, layout, read, block, report)
    else:
        reads = [_single_project(unit, title, block, read, report)]
    breakdown = hubei.read_breakdown(unit, breakdown_rows, report)
    family = _family(layout, block, bool(breakdown_rows))
    for entry in reads:
        entry.year = entry.year or year
        _cost_figures_in_table_unit(unit, entry.project)
        goal = entry.project.goal
        goal.layout = family
        goal.columns = layout.recorded()
    if reads:
        reads[0].project.breakdown = breakdown
        reads[-1].project.goal.footers = footers
    return reads


def _single_project(unit: Unit, title: str, block: BlockRead, read: list[ReadRow], report: Report) -> GoalRead:
    name = national.project_name(title)
    project = Project(name=name or "未命名项目", goal=GoalTable())
    apply_block(unit, block, project, report)
    if not name and project.name == "未命名项目":
        report.note(unit.table.place, "绩效目标表没有标题，也没有“项目名称”行，暂名为“未命名项目”")
    project.goal.indicators = [entry.indicator for entry in read if entry.indicator is not None]
    return GoalRead(project, unit.title_place, block.department)


def _sichuan_projects(
    unit: Unit, title: str, layout: ColumnLayout, read: list[ReadRow], block: BlockRead, report: Report
) -> list[GoalRead]:
    """One project per run of rows under a written 项目名称 cell."""
    runs: list[tuple[dict[str, str], list[ReadRow]]] = []
    for entry in read:
        if entry.indicator is None:
            continue
        if sichuan.starts_project(entry.project, sichuan.ProjectRun(cells=runs[-1][0]) if runs else None):
            runs.append(({}, []))
        cells, rows = runs[-1]
        for name, text in entry.project.items():
            if text.strip() and not cells.get(name):
                cells[name] = text.strip()
        rows.append(entry)
    headers = {group.field: group.header for group in layout.project_columns}
    result: list[GoalRead] = []
    for cells, rows in runs:
        name = cells.get("project.name") or national.project_name(title) or "未命名项目"
        project = Project(name=name, goal=GoalTable())
        project.code = cells.get("project.code") or None
        project.implementing_unit = cells.get("project.implementing_unit", "")
        project.goal.goal_text = cells.get("goal.goal_text", "")
        project.goal.mid_term_goal_text = cells.get("goal.mid_term_goal_text", "")
        project.goal.indicators = [entry.indicator for entry in rows if entry.indicator is not None]
        figure = cells.get("project.budget_amount", "")
        if figure:
            label = preamble_label(headers.get("project.budget_amount", "预算数")) or preamble_label("预算数")
            assert label is not None
            money = read_money(unit, Money(label, figure, rows[0].row, ""), report)
            if money is not None:
                project.budget_amount, project.amount_unit = money
                project.amount_source = AmountSource.ENTERED
        department = named_department(cells["department"]) if cells.get("department") else block.department
        result.append(GoalRead(project, rows[0].row.place, department))
    if not result:
        raise Obstacle(f"{unit.name}{unit.table.place}", "表中有“项目名称”列，但没有一行写了项目名称")
    return result


def _family(layout: ColumnLayout, block: BlockRead, breakdown: bool) -> LayoutFamily:
    if layout.project_columns:
        return sichuan.FAMILY
    if breakdown:
        return hubei.FAMILY
    if layout.two_groups:
        return LayoutFamily.TWO_GROUPS
    if hunan.recognise(block, layout.recorded()):
        return hunan.FAMILY
    if central.recognise(block):
        return central.FAMILY
    return national.FAMILY


def _is_subheader(row: Row) -> bool:
    """The lower header row below 一级指标 …: 年度 | 实施期, or 指标性质 | 指标值 | 度量单位 under 指标值."""
    cells = [clean(c) for c in row.cells if clean(c)]
    return bool(cells) and all(goal_field((t,)) not in (None, *IGNORED_FIELDS) for t in cells)


def _segments(rows: list[Row]) -> list[tuple[str, list[Row]]]:
    """A goal table's rows split where a further project begins (its 项目名称 row or its title row, after
    the indicators of the one before), each with the title it opens with."""
    segments: list[tuple[str, list[Row]]] = [("", [])]
    indicators_begun = False
    for row in rows:
        cells = texts(row)
        if indicators_begun and cells:
            pair = split_label_value(cells[0])
            label = preamble_label(pair[0] if pair else cells[0])
            if is_title_row(cells):
                segments.append((cells[0], []))
                indicators_begun = False
                continue
            if label is not None and label.kind is LabelKind.NAME:
                segments.append(("", []))
                indicators_begun = False
        if "一级指标" in {clean(c) for c in row.cells}:
            indicators_begun = True
        segments[-1][1].append(row)
    return segments


def _trailing_footers(unit: Unit, reads: list[GoalRead]) -> None:
    """填表人、联系电话 … written below the table: footers of its last project."""
    if not reads:
        return
    goal = reads[-1].project.goal
    for paragraph in unit.after:
        text = paragraph.text.strip()
        if not text:
            continue
        label = footer_label(text)
        if label is None:
            break
        rest = re.sub(rf"^{re.escape(label)}\s*[:：]?\s*", "", text)
        goal.footers.append(Footer(label=label, text=rest))


def _cost_figures_in_table_unit(unit: Unit, project: Project) -> None:
    """A bare figure in a cost row (``≤21.87``) is money in the unit the table states (单位：万元): record
    that unit in the row's 度量单位, so that every reader of the row reads the same amount."""
    if not unit.unit_text:
        return
    try:
        table_unit = normalise_unit(unit.unit_text)
    except AmountError:
        return
    for indicator in project.goal.indicators:
        if indicator.unit or not any(read_row(indicator, fw).is_cost for fw in _FRAMEWORKS):
            continue
        parsed = parse_value(indicator.value)
        if parsed.kind is ValueKind.QUANTITY and parsed.number is not None and not parsed.unit:
            indicator.unit = table_unit
