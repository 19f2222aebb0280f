"""Reading a project sheet's goal table, in whatever columns it was exported with.

:func:`locate` finds the header row (the one with “一级指标”, with a second row where columns are grouped)
and the field each column holds, from its header words as the importer reads a goal table's;
:func:`read_goal` reads the indicators (blank 一级/二级 filled down as in published tables), the goal texts
and, with :func:`read_goal_rows`, the sheet row of each indicator.  Also the cells around the table: the
实施单位 row, the 年度资金 cell in the unit it is shown in, and the footers that close the table.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from perfgoals.columns import EXTRA_PREFIX, header_field
from perfgoals.columns import column as registered_column
from perfgoals.export.layout import (
    AMOUNT_LABEL,
    IMPLEMENTING_UNIT_LABEL,
    MID_TERM_GOAL_LABEL,
)
from perfgoals.importers.workbook.cells import Grid, cell_text, format_unit, line_unit, number_text
from perfgoals.importers.workbook.opening import WorkbookImportError
from perfgoals.models import Direction, Footer, GoalTable, Indicator
from perfgoals.money import AmountError
from perfgoals.reading.money import Money, read_money

#: How far down a sheet to look for the 绩效目标 and header rows (rows may have been inserted above).
SEARCH_ROWS = 60
_REQUIRED = ("level1", "level2", "level3", "description", "value", "basis")


@dataclass(slots=True)
class _Columns:
    """Where a project sheet's indicator table is: its header rows and each column's field."""

    header_row: int
    first_row: int  # the first data row
    fields: dict[int, str]  # sheet column (1-based) → field (an Indicator field, extra:表头, label, project.…)
    headers: dict[int, str]  # sheet column → header as written (a two-row one joined with “/”)

    def column_of(self, field: str) -> int | None:
        return next((col for col, name in self.fields.items() if name == field), None)


def locate(sheet: Any, grid: Grid) -> _Columns | None:
    """The header row (the row with “一级指标”), a second header row where columns are grouped
    (实施期 / 年度: the 一级指标 cell merged down over it), and the field each column holds, read from its
    header words as the importer reads a goal table's (:mod:`perfgoals.importers.interpret.goals`)."""
    from perfgoals.importers.goal_layout import IGNORED_FIELDS, clean, goal_field
    from perfgoals.importers.interpret.goals import sichuan, two_groups
    from perfgoals.importers.interpret.goals.columns import EXTRA, LABEL, ColumnLayout, Group

    header_row = level1_col = None
    for row in range(1, min(sheet.max_row, SEARCH_ROWS) + 1):
        for col in range(1, min(sheet.max_column, _SEARCH_COLUMNS) + 1):
            if clean(cell_text(grid.own(row, col))) == "一级指标":
                header_row, level1_col = row, col
                break
        if header_row is not None:
            break
    if header_row is None or level1_col is None:
        return None
    two_rows = (header_row + 1, level1_col) in grid.merged
    groups: list[Group] = []
    for col in range(1, sheet.max_column + 1):
        upper = cell_text(grid.value(header_row, col)).strip()
        lower = cell_text(grid.value(header_row + 1, col)).strip() if two_rows else upper
        if not upper and not lower:
            continue
        path = tuple(part for part in ((upper, lower) if upper != lower else (upper,)) if part)
        header = "/".join(path)
        # The registry's labels first (perfgoals' own headers), then the importer's header words.
        field = header_field(path[-1])
        if field is None:
            found = goal_field(tuple(clean(part) for part in path))
            field = EXTRA if found is None or found == "_unmodelled" else LABEL if found in IGNORED_FIELDS else found
        groups.append(Group(field, [col], header))
    layout = ColumnLayout(sheet.max_column, sheet.max_column, groups)
    sichuan.mark_project_columns(layout.groups)
    two_groups.pair(layout)
    fields: dict[int, str] = {}
    headers: dict[int, str] = {}
    seen: set[str] = set()
    for group in layout.groups:
        field = group.field
        if field == EXTRA or (field in seen and field != LABEL):
            field = EXTRA_PREFIX + group.header  # a column of the table's own, under its header
        seen.add(field)
        fields[group.columns[0]] = field
        headers[group.columns[0]] = group.header
    return _Columns(header_row, header_row + (2 if two_rows else 1), fields, headers)


#: How far right to look for the 一级指标 header (a row label or project columns may stand left of it).
_SEARCH_COLUMNS = 20
#: Indicator fields read as text that are absent (``None``) when their cell is empty.
_OPTIONAL_FIELDS = (
    "mid_term_value", "unit", "reference_value", "reference_actual", "method", "nature", "standard", "expected_value",
    "mid_term_level2", "mid_term_level3",
)  # fmt: skip


def _is_indicator_column(field: str) -> bool:
    return field.startswith(EXTRA_PREFIX) or field in Indicator.model_fields


def read_goal(
    sheet: Any, file_name: str, *, fill_down: bool = True, expected: tuple[str, ...] = ()
) -> GoalTable:
    """The goal table of a project sheet, in whatever columns it was exported with (``expected``: the
    fields the export wrote, every one of which must still have its column)."""
    grid = Grid(sheet)
    where = f"{file_name} 工作表“{sheet.title}”"
    located = locate(sheet, grid)
    if located is None:
        raise WorkbookImportError(f"{where}：找不到“一级指标”表头行")
    goal_row = mid_term_row = None
    for row in range(1, located.header_row):
        label = cell_text(grid.value(row, 1)).strip()
        if label == "绩效目标" and goal_row is None:
            goal_row = row
        elif label == MID_TERM_GOAL_LABEL and mid_term_row is None:
            mid_term_row = row
    columns = {field: col for col, field in located.fields.items() if _is_indicator_column(field)}
    present = set(columns)
    required = [name for name in _REQUIRED_ANY if name not in present and f"mid_term_{name}" not in present]
    wanted = expected or _REQUIRED
    required += [name for name in wanted if _is_indicator_column(name) and name not in present and name not in required]
    if required:
        raise WorkbookImportError(f"{where}：表头缺少“{'、'.join(_label(name) for name in required)}”列")
    goal_text = "" if goal_row is None else labelled_text(grid, goal_row)
    mid_term_goal_text = "" if mid_term_row is None else labelled_text(grid, mid_term_row)
    # Project columns beside the indicators (Sichuan's 年度目标) hold the goal text on the first row.
    for name in ("goal.goal_text", "goal.mid_term_goal_text"):
        col = located.column_of(name)
        if col is not None:
            text = cell_text(grid.value(located.first_row, col))
            if name == "goal.goal_text":
                goal_text = text
            else:
                mid_term_goal_text = text
    indicators: list[Indicator] = []
    previous: Indicator | None = None
    for row in range(located.first_row, sheet.max_row + 1):
        first_own = next(
            (cell_text(grid.own(row, col)).strip() for col in range(1, sheet.max_column + 1) if grid.own(row, col) is not None),
            "",
        )
        if first_own and (row, 1) not in grid.merged and _is_footer(cell_text(grid.own(row, 1))):
            break  # the table's footers (审核意见, 总分, 备注, 填表人) close it
        raw = {field: grid.value(row, col) for field, col in columns.items()}
        if all(cell_text(grid.own(row, col)).strip() == "" for col in columns.values()):
            continue  # an emptied row (merged 一级/二级 aside) is a deleted one
        values: dict[str, Any] = {field: cell_text(raw.get(field)) for field in _REQUIRED}
        for field in _OPTIONAL_FIELDS:
            if field in columns:
                values[field] = None if raw[field] is None or cell_text(raw[field]) == "" else cell_text(raw[field])
        if "weight" in columns and raw["weight"] is not None and cell_text(raw["weight"]).strip():
            values["weight"] = _weight(raw["weight"], f"{where} 第 {row} 行“权重”")
        if "direction" in columns and raw["direction"] is not None and cell_text(raw["direction"]).strip():
            values["direction"] = _direction(raw["direction"], f"{where} 第 {row} 行“指标方向”")
        extra = {
            field.removeprefix(EXTRA_PREFIX): cell_text(raw[field])
            for field in columns
            if field.startswith(EXTRA_PREFIX) and cell_text(raw[field]) != ""
        }
        if extra:
            values["extra"] = extra
        # As in published tables, a blank 一级 or 二级 cell means the same as the row above.
        if fill_down and previous is not None:
            if not values["level1"].strip():
                values["level1"] = previous.level1
            if not values["level2"].strip() and values["level1"] == previous.level1:
                values["level2"] = previous.level2
        # The 实施期 二级/三级 are printed as the 年度 ones where they are the same.
        for mid, annual in (("mid_term_level2", "level2"), ("mid_term_level3", "level3")):
            if values.get(mid) is not None and values[mid] == values[annual]:
                values[mid] = None
        indicator = Indicator(**values)
        indicators.append(indicator)
        previous = indicator
    return GoalTable(goal_text=goal_text, mid_term_goal_text=mid_term_goal_text, indicators=indicators)


_REQUIRED_ANY = ("level1", "level2", "level3", "value")


def _label(field: str) -> str:
    try:
        return registered_column(field).label
    except KeyError:
        return field


def _is_footer(text: str) -> bool:
    from perfgoals.importers.goal_layout import footer_label

    return footer_label(text) is not None


def labelled_text(grid: Grid, row: int) -> str:
    """The text beside a row's label (绩效目标, 实施期目标, 实施单位): the first non-empty cell after it."""
    return next(
        (cell_text(grid.value(row, col)) for col in range(2, grid.sheet.max_column + 1) if grid.value(row, col)),
        "",
    )


def read_implementing_unit(sheet: Any) -> tuple[bool, str]:
    """The 实施单位 row above the goal table: whether the sheet has one, and its text."""
    grid = Grid(sheet)
    for row in range(1, min(sheet.max_row, SEARCH_ROWS) + 1):
        label = cell_text(grid.value(row, 1)).strip()
        if label == IMPLEMENTING_UNIT_LABEL:
            return True, labelled_text(grid, row)
        if label == "一级指标":
            break
    return False, ""


#: The unit of a sheet that says none: what sheets showed before amounts were printed as written.
_DEFAULT_SHOWN_UNIT = "万元"


def read_amount(sheet: Any, file_name: str) -> tuple[bool, Money | None]:
    """The 年度资金 cell: whether the sheet has one, and the amount it shows, in the unit it shows it in.

    The unit is the one printed with the figure (the cell's number format, ``755.00 元``), else the
    sheet's unit line (``单位：元``), else 万元; a figure typed with a unit (``800元``) is in that unit.
    """
    where = f"{file_name} 工作表“{sheet.title}”"
    for row in range(1, min(sheet.max_row, SEARCH_ROWS) + 1):
        for col in range(1, sheet.max_column):
            if cell_text(sheet.cell(row, col).value).strip() == AMOUNT_LABEL:
                return True, _amount_cell(sheet, row, col + 1, where, AMOUNT_LABEL)
    # A 预算数 column beside the indicators (Sichuan's): its first row.
    located = locate(sheet, Grid(sheet))
    if located is not None:
        amount_col = located.column_of("project.budget_amount")
        if amount_col is not None:
            return True, _amount_cell(sheet, located.first_row, amount_col, where, located.headers[amount_col])
    return False, None


def _amount_cell(sheet: Any, row: int, col: int, where: str, label: str) -> Money | None:
    cell = sheet.cell(row, col)
    value = cell.value
    if value is None or cell_text(value).strip() == "":
        return None
    unit = format_unit(cell.number_format) or line_unit(sheet, row) or _DEFAULT_SHOWN_UNIT
    if isinstance(value, bool):
        raise WorkbookImportError(f"{where} 第 {row} 行“{label}”不是金额：{cell_text(value)}")
    text = number_text(value) if isinstance(value, (int, float)) else cell_text(value)
    try:
        return read_money(text, default_unit=unit)
    except AmountError as exc:
        raise WorkbookImportError(f"{where} 第 {row} 行“{label}”：{exc}") from None


def _weight(value: Any, where: str) -> Decimal:
    if isinstance(value, bool):
        raise WorkbookImportError(f"{where}不是数字：{value}")
    try:
        number = Decimal(repr(value)) if isinstance(value, float) else Decimal(cell_text(value).strip())
    except InvalidOperation:
        raise WorkbookImportError(f"{where}不是数字：{cell_text(value)}") from None
    if not number.is_finite():
        raise WorkbookImportError(f"{where}不是数字：{cell_text(value)}")
    return number


def _direction(value: Any, where: str) -> Direction:
    text = cell_text(value).strip()
    for direction in Direction:
        if text == direction.value:
            return direction
    raise WorkbookImportError(f"{where}应为“正向”或“反向”，现为“{text}”")


def read_footers(sheet: Any, grid: Grid, first_row: int) -> list[Footer]:
    """The rows closing the table, from the first footer label below the indicators on."""
    footers: list[Footer] = []
    for row in range(first_row, sheet.max_row + 1):
        label = cell_text(grid.own(row, 1)).strip()
        if label and (footers or ((row, 1) not in grid.merged and _is_footer(label))):
            footers.append(Footer(label=label, text=labelled_text(grid, row)))
    return footers


def read_goal_rows(sheet: Any, file_name: str, *, expected: tuple[str, ...]) -> tuple[GoalTable, list[int]]:
    """The goal table filled down as published tables are, and the sheet row of each indicator."""
    goal = read_goal(sheet, file_name, expected=expected)
    rows: list[int] = []
    grid = Grid(sheet)
    located = locate(sheet, grid)
    if located is not None:
        columns = [col for col, field in located.fields.items() if _is_indicator_column(field)]
        for row in range(located.first_row, sheet.max_row + 1):
            if len(rows) == len(goal.indicators):
                break
            if any(cell_text(grid.own(row, col)).strip() for col in columns):
                rows.append(row)
    rows += [0] * (len(goal.indicators) - len(rows))
    return goal, rows
