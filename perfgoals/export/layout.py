"""Sheet layouts: what goes in which cell, which cells merge, how wide and tall things are.

This step is pure: it turns models into :class:`SheetLayout` objects and never touches XlsxWriter.
Rows are produced in order (and may be a generator), so the renderer can write them with
XlsxWriter's constant_memory mode, one row in memory at a time.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache

from perfgoals.columns import EXPORTED_COLUMNS
from perfgoals.export.goal_layouts import (
    EXTRA_PREFIX,
    LABEL_FIELD,
    family_of,
    is_project_column,
    sheet_columns,
)
from perfgoals.export.styles import money_style
from perfgoals.models import Department, Indicator, Project
from perfgoals.reading.amounts import project_amount

CellValue = str | Decimal | int | None

#: Height of one line of 11-point 宋体, in points, and the padding added to a wrapped cell.
LINE_HEIGHT = 14.5
ROW_PADDING = 4.0
#: Excel's column unit is the width of a digit of the default font; a CJK character takes about 2.2.
WIDTH_PER_DISPLAY_UNIT = 1.1
CELL_PADDING = 1.5
TITLE_HEIGHT = 30.0
#: Tables wider than this (in Excel units) print in landscape; narrower ones as published, in portrait.
LANDSCAPE_WIDTH = 125
TITLE_LINE_HEIGHT = 21.0
#: How much narrower a column is, in characters, for the 16-point title than for 11-point body text.
BODY_TO_TITLE = 11 / 16


# The caches are small on purpose: most texts of a province are unique, and a large cache would keep
# tens of MB of them alive; the repeats that matter (a project's name on each of its rows) are recent.
@lru_cache(maxsize=4096)
def display_width(text: str) -> int:
    """Columns ``text`` takes: CJK (wide, full-width and East-Asian-ambiguous) characters count 2."""
    return sum(2 if unicodedata.east_asian_width(char) in "WFA" else 1 for char in text)


@lru_cache(maxsize=8192)
def lines_needed(text: str, width: float) -> int:
    """How many lines ``text`` wraps to in a column ``width`` Excel units wide."""
    usable = max(width - CELL_PADDING, 1.0) / WIDTH_PER_DISPLAY_UNIT
    total = 0
    for paragraph in text.splitlines() or [""]:
        total += max(1, math.ceil(display_width(paragraph) / usable))
    return total


def fit_width(texts: Iterable[str], *, minimum: float, maximum: float) -> float:
    """A column width that fits the widest line of ``texts``, within ``minimum`` and ``maximum``."""
    widest = 0
    for text in texts:
        for line in text.splitlines():
            widest = max(widest, display_width(line))
    return round(min(max(widest * WIDTH_PER_DISPLAY_UNIT + CELL_PADDING + 0.5, minimum), maximum), 1)


def title_height(text: str, width: float) -> float:
    """The height of a wrapped title row in the larger title font."""
    return max(TITLE_HEIGHT, round(lines_needed(text, width * BODY_TO_TITLE) * TITLE_LINE_HEIGHT + 8, 1))


def row_height(cells: Iterable[tuple[str, float]]) -> float:
    """The height that shows every (text, available width) pair of a row without clipping."""
    return row_height_for_lines(max((lines_needed(text, width) for text, width in cells), default=1))


def row_height_for_lines(lines: int) -> float:
    """The height of a row whose tallest cell wraps to ``lines`` lines."""
    return round(lines * LINE_HEIGHT + ROW_PADDING, 1)


@dataclass(frozen=True, slots=True)
class Cell:
    col: int
    value: CellValue
    style: str
    #: An internal link target (sheet name, cell reference); the cell's value is the link text.
    link: tuple[str, str] | None = None


@dataclass(slots=True)
class Row:
    index: int
    cells: list[Cell]
    height: float | None = None


@dataclass(frozen=True, slots=True)
class Merge:
    first_row: int
    first_col: int
    last_row: int
    last_col: int


@dataclass(slots=True)
class PageSetup:
    landscape: bool = False
    repeat_rows: tuple[int, int] | None = None
    footer: str = "&C第 &P 页，共 &N 页"
    header: str = ""


@dataclass(slots=True)
class SheetLayout:
    name: str
    widths: list[float]
    rows: Iterable[Row]
    merges: list[Merge] = field(default_factory=list)
    page: PageSetup = field(default_factory=PageSetup)
    freeze: tuple[int, int] | None = None
    #: The header row of an autofilter that covers every row written below it.
    autofilter_row: int | None = None
    #: Defined names pointing at this sheet's A1, so that a renamed sheet can still be found.
    defined_name: str | None = None
    hidden: bool = False
    tab_color: str | None = None


# --- the project sheet: the published 绩效目标表 --------------------------------------------------


@dataclass(frozen=True, slots=True)
class IndicatorColumn:
    field: str
    label: str
    style: str
    minimum: float
    maximum: float
    optional: bool = False
    #: The group header above this one in a two-row header (实施期指标 / 年度指标).
    upper: str | None = None


#: How the export prints each column (style, least and most width); the columns themselves (field,
#: label, order, optional) are the one registry's, :data:`perfgoals.columns.INDICATOR_COLUMNS`.
_EXPORT_STYLES: dict[str, tuple[str, float, float]] = {
    "level1": ("text_center", 8, 12),
    "level2": ("text_center", 8, 21),
    "level3": ("text", 10, 26),
    "description": ("text", 12, 36),
    "mid_term_value": ("text_center", 10, 20),
    "value": ("text_center", 9, 20),
    "unit": ("text_center", 8, 10),
    "direction": ("text_center", 8, 8),
    "weight": ("number", 6, 8),
    "basis": ("text", 10, 22),
    "method": ("text", 10, 30),
    "reference_value": ("text_center", 9, 20),
    "reference_actual": ("text_center", 9, 20),
}

#: Columns of a goal table in the order of the published layouts; optional ones only when used.
INDICATOR_COLUMNS: tuple[IndicatorColumn, ...] = tuple(
    IndicatorColumn(column.field, column.label, *_EXPORT_STYLES[column.field], optional=column.optional)
    for column in EXPORTED_COLUMNS
)
#: The label beside a project's amount on its sheet (printed in the unit it was written in).
AMOUNT_LABEL = "年度资金"
#: The widest the column of an inferred amount's marker (``（按成本指标推断，待确认）``) grows to fit it.
MARKER_WIDTH = 34.0
#: The label of an inferred amount's marker where the amount is a column (Sichuan's 预算数), not a row.
MARKER_LABEL = "金额说明"
#: The sheet's unit line: the unit of its 年度资金.
UNIT_LINE = "单位：{}"
#: Labels of the header-block rows shown only when the project has them.
IMPLEMENTING_UNIT_LABEL = "实施单位"
MID_TERM_GOAL_LABEL = "实施期目标"
#: The 指标值 header reads 年度指标值 when a 实施期 column stands beside it.
ANNUAL_VALUE_LABEL = "年度指标值"


def columns_for(indicators: Sequence[Indicator]) -> list[IndicatorColumn]:
    """The goal-table columns ``indicators`` need: the six standard ones plus optional ones in use."""
    used = {
        column.field
        for column in INDICATOR_COLUMNS
        if column.optional and any(getattr(indicator, column.field) is not None for indicator in indicators)
    }
    return [column for column in INDICATOR_COLUMNS if not column.optional or column.field in used]


def column_label(column: IndicatorColumn, columns: Sequence[IndicatorColumn]) -> str:
    if column.field == "value" and any(other.field == "mid_term_value" for other in columns):
        return ANNUAL_VALUE_LABEL
    return column.label


def cell_text(indicator: Indicator, field_name: str) -> CellValue:
    """The value of one field as written in the sheet: text as typed, the weight as a number."""
    value = getattr(indicator, field_name)
    if value is None:
        return None
    if isinstance(value, Decimal):
        return value
    return str(value.value if hasattr(value, "value") else value)


def spans(keys: Sequence[tuple[str, ...]]) -> list[tuple[int, int]]:
    """Runs of equal, non-empty keys as (first, last) positions; only runs longer than one."""
    runs: list[tuple[int, int]] = []
    start = 0
    for position in range(1, len(keys) + 1):
        if position == len(keys) or keys[position] != keys[start]:
            if position - start > 1 and keys[start][-1]:
                runs.append((start, position - 1))
            start = position
    return runs


@dataclass(frozen=True, slots=True)
class ProjectSheetGeometry:
    """Where things are on a project sheet, for the metadata the importer reads back."""

    goal_row: int
    header_row: int
    first_indicator_row: int
    columns: tuple[str, ...]


#: How the export prints the columns the registry's default layout leaves out, and a table's own ones.
_OWN_STYLES: dict[str, tuple[str, float, float]] = {
    "mid_term_level2": ("text_center", 8, 21),
    "mid_term_level3": ("text", 10, 26),
    "nature": ("text_center", 6, 8),
    "standard": ("text", 10, 22),
    "expected_value": ("text_center", 9, 20),
    LABEL_FIELD: ("label", 6, 10),
    "department": ("text", 10, 20),
    "project.name": ("text", 10, 20),
    "project.budget_amount": ("money", 12, 24),
    "goal.goal_text": ("text", 16, 36),
    "goal.mid_term_goal_text": ("text", 16, 36),
}
_OWN_DEFAULT_STYLE = ("text", 10, 26)
#: Labels of project-block fields with no row of their own in the default block, when the layout had
#: them (the block's own label is printed when it recorded one).
_BLOCK_LABELS: dict[str, str] = {
    "project.attribute": "项目属性",
    "project.period": "实施期",
    "project.category": "项目类别",
    "project.kind": "项目性质",
    "project.basis": "立项依据",
    "project.superior_amount": "上级资金",
    "project.mid_term_amount": "中期资金总额",
}
#: Block fields the default rows (项目名称 · 年度资金, 实施单位, 绩效目标, 实施期目标) already print.
_BLOCK_SHOWN = frozenset(
    {"department", "project.name", "project.budget_amount", "project.implementing_unit", "goal.goal_text",
     "goal.mid_term_goal_text", "label"}
)
#: The cost breakdown's columns (an amount column's label names its unit).
BREAKDOWN_LABELS = ("成本构成", "金额", "测算依据", "前两年实际执行数")


def _indicator_columns(project: Project, layout: str | None) -> list[IndicatorColumn]:
    """The sheet's columns: the registry's default ones, or the table's own (or the named layout's)."""
    goal = project.goal
    own = sheet_columns(goal, layout)
    if own is None:
        columns = columns_for(goal.indicators)
        return [
            IndicatorColumn(c.field, column_label(c, columns), c.style, c.minimum, c.maximum, c.optional)
            for c in columns
        ]
    result = []
    for column in own:
        style, minimum, maximum = _EXPORT_STYLES.get(column.field) or _OWN_STYLES.get(
            column.field, _OWN_DEFAULT_STYLE
        )
        if column.field == "project.budget_amount":
            style = money_style(project_amount(project).unit)
        result.append(IndicatorColumn(column.field, column.header, style, minimum, maximum, upper=column.upper))
    return result


def indicator_cell(indicator: Indicator, field_name: str) -> CellValue:
    """An indicator's cell in a column of any field: a table's own column by its header, the 实施期
    二级/三级 as the 年度 ones where they are the same."""
    if field_name.startswith(EXTRA_PREFIX):
        return indicator.extra.get(field_name.removeprefix(EXTRA_PREFIX)) or None
    if field_name in ("mid_term_level2", "mid_term_level3"):
        own = getattr(indicator, field_name)
        return own if own is not None else getattr(indicator, field_name.removeprefix("mid_term_"))
    if field_name not in Indicator.model_fields:
        return None
    return cell_text(indicator, field_name)


def _project_cell(department: Department, project: Project, field_name: str) -> CellValue:
    """The cell of a project column merged down beside the indicators (Sichuan's)."""
    if field_name == "department":
        return department.name
    if field_name == "project.budget_amount":
        return project_amount(project).amount
    owner: object = project.goal if field_name.startswith("goal.") else project
    value = getattr(owner, field_name.partition(".")[2], None)
    if value is None or isinstance(value, (str, Decimal, int)):
        return value
    return str(value)


def _project_texts(department: Department, project: Project, field_name: str) -> list[str]:
    """The text a project column shows, to fit its width (an amount as its number format prints it)."""
    if not is_project_column(field_name):
        return []
    if field_name == "project.budget_amount":
        amount = project_amount(project)
        return [amount.text + "  "] if amount.amount is not None else []
    return [str(_project_cell(department, project, field_name) or "")]


def _block_rows(project: Project) -> list[tuple[str, CellValue, str]]:
    """The project-block fields the layout had beyond the default rows: (label as written, value, style)."""
    labels: dict[str, str] = {}
    for recorded in project.goal.block:
        if recorded.field == "extra" or recorded.field in _BLOCK_SHOWN:
            continue
        labels.setdefault(recorded.field, recorded.header)
    rows: list[tuple[str, CellValue, str]] = []
    for field_name, default in _BLOCK_LABELS.items():
        value = getattr(project, field_name.removeprefix("project."))
        if value in (None, "") and field_name not in labels:
            continue
        label = labels.get(field_name, default)
        if isinstance(value, Decimal):
            rows.append((label, value, money_style(project.amount_unit)))
        else:
            rows.append((label, "" if value is None else str(value), "text"))
    rows.extend((label, text, "text") for label, text in project.extra.items())
    return rows


def project_sheet(
    department: Department,
    project: Project,
    *,
    name: str,
    defined_name: str | None = None,
    layout: str | None = None,
) -> tuple[SheetLayout, ProjectSheetGeometry]:
    """Lay out ``project``'s goal table as the published 绩效目标表: in the columns it came in with, or in
    the named ``layout`` (:data:`perfgoals.export.goal_layouts.NAMED_LAYOUTS`), else the national template."""
    goal = project.goal
    indicators = goal.indicators
    columns = _indicator_columns(project, layout)
    family = family_of(goal, layout)
    # Sichuan's project columns stand beside the indicators: no block above them.
    project_columns = any(is_project_column(column.field) for column in columns)
    n = len(columns)
    last = n - 1
    widths = [
        fit_width(
            [column.label]
            + [str(indicator_cell(indicator, column.field) or "") for indicator in indicators]
            + _project_texts(department, project, column.field),
            minimum=column.minimum,
            maximum=column.maximum,
        )
        for column in columns
    ]

    def span_width(first: int, last_col: int) -> float:
        return sum(widths[first : last_col + 1])

    rows: list[Row] = []
    merges: list[Merge] = []

    def merged(row: int, first: int, last_col: int, value: CellValue, style: str) -> list[Cell]:
        if last_col > first:
            merges.append(Merge(row, first, row, last_col))
        return [Cell(first, value, style)] + [
            Cell(col, None, style) for col in range(first + 1, last_col + 1)
        ]

    # 项目名称 and 年度资金, as the MoF declaration form has them; the amount in the unit it was written
    # in (the unit line says which, and so does the cell's number format), and an inferred amount
    # marked beside it until a person confirms it.
    amount = project_amount(project)
    marker = f"（{amount.marker}）" if amount.marker else ""
    amount_col = last - 1 if marker else last
    name_end = max(amount_col - 2, 1)
    if amount.amount is not None and not project_columns:
        # A number too wide for its column shows as ####: the amount's column fits the amount.
        widths[amount_col] = fit_width(
            [amount.text + "  "], minimum=widths[amount_col], maximum=max(widths[amount_col], 30)
        )
    if marker:
        widths[last] = fit_width([marker], minimum=widths[last], maximum=MARKER_WIDTH)

    # Title, then the line naming the department, the year and the unit.
    title = f"{project.name}绩效目标表"
    rows.append(Row(0, merged(0, 0, last, title, "title"), title_height(title, span_width(0, last))))
    left_end = max(n // 2 - 1, 0)
    middle_end = max(n - 2, left_end + 1) if n > 2 else left_end
    line = merged(1, 0, left_end, f"填报单位：{department.name}", "line_left")
    if middle_end > left_end:
        line += merged(1, left_end + 1, middle_end, f"预算年度：{department.year}年", "line_center")
    line.append(Cell(last, UNIT_LINE.format(amount.unit), "line_right"))
    rows.append(Row(1, line, row_height([(f"填报单位：{department.name}", span_width(0, left_end))])))

    def labelled_text(row: int, label: str, text: CellValue, style: str = "text") -> Row:
        """A label, then ``text`` across the rest of the table (a label of the layout's own words may wrap)."""
        cells = [Cell(0, label, "label"), *merged(row, 1, last, text, style)]
        measured = [(str(text or ""), span_width(1, last))]
        if family is not None:
            measured.append((label, widths[0]))
        return Row(row, cells, row_height(measured))

    next_row = 2
    goal_row = next_row
    if project_columns:
        # The project's name, amount and goal are its columns; an inferred amount is still marked.
        if marker:
            rows.append(labelled_text(next_row, MARKER_LABEL, marker, "marker"))
            next_row += 1
    else:
        # 项目名称 | name | 年度资金 | amount [| marker]
        info = [Cell(0, "项目名称", "label")]
        info += merged(2, 1, name_end, project.name, "text")
        if amount_col - 1 > name_end:
            info.append(Cell(amount_col - 1, AMOUNT_LABEL, "label"))
        info.append(Cell(amount_col, amount.amount, money_style(amount.unit)))
        info_texts = [(project.name, span_width(1, name_end)), (AMOUNT_LABEL, widths[amount_col - 1])]
        if marker:
            info.append(Cell(last, marker, "marker"))
            info_texts.append((marker, widths[last]))
        rows.append(Row(2, info, row_height(info_texts)))
        next_row = 3
        # 实施单位 when known, the block's other fields where the layout had them, then 绩效目标, then
        # the 实施期目标 when the goal is split by period.
        if project.implementing_unit:
            rows.append(labelled_text(next_row, IMPLEMENTING_UNIT_LABEL, project.implementing_unit))
            next_row += 1
        if family is not None:
            for block_label, block_value, block_style in _block_rows(project):
                rows.append(labelled_text(next_row, block_label, block_value, block_style))
                next_row += 1
        goal_row = next_row
        rows.append(labelled_text(goal_row, "绩效目标", goal.goal_text))
        next_row += 1
        if goal.mid_term_goal_text:
            rows.append(labelled_text(next_row, MID_TERM_GOAL_LABEL, goal.mid_term_goal_text))
            next_row += 1

    # The cost breakdown, where the project has one: 成本构成 · 金额 · 测算依据 · 前两年实际执行数 (and the
    # breakdown's own columns), each across the sheet's columns.
    if project.breakdown:
        own_headers = list(dict.fromkeys(key for item in project.breakdown for key in item.extra))
        unit = project.breakdown[0].unit
        labels = [BREAKDOWN_LABELS[0], f"{BREAKDOWN_LABELS[1]}（{unit}）", *BREAKDOWN_LABELS[2:], *own_headers]
        spans_at = _spread(len(labels), n)
        header_cells: list[Cell] = []
        for (first_col, last_col), text in zip(spans_at, labels, strict=True):
            header_cells += merged(next_row, first_col, last_col, text, "header")
        rows.append(Row(next_row, header_cells, row_height([(text, widths[a]) for (a, _), text in zip(spans_at, labels, strict=True)])))
        next_row += 1
        for item in project.breakdown:
            values: list[tuple[CellValue, str]] = [
                (item.item, "text"),
                (item.amount, money_style(item.unit)),
                (item.basis, "text"),
                (item.previous, "text"),
                *((item.extra.get(header, ""), "text") for header in own_headers),
            ]
            item_cells: list[Cell] = []
            measured: list[tuple[str, float]] = []
            for (first_col, last_col), (item_value, style) in zip(spans_at, values, strict=True):
                item_cells += merged(next_row, first_col, last_col, item_value, style)
                if isinstance(item_value, str):
                    measured.append((item_value, span_width(first_col, last_col)))
            rows.append(Row(next_row, item_cells, row_height(measured)))
            next_row += 1

    # The header: one row, or two where columns are grouped (实施期 / 年度), a column without a group
    # merged down both.
    header_row = next_row
    two_rows = any(column.upper for column in columns)
    last_header = header_row + (1 if two_rows else 0)
    first = last_header + 1
    last_indicator = first + max(len(indicators), 1) - 1
    if not two_rows:
        rows.append(
            Row(
                header_row,
                [Cell(col, column.label, "header") for col, column in enumerate(columns)],
                row_height((column.label, width) for column, width in zip(columns, widths, strict=True)),
            )
        )
    else:
        upper_cells: list[Cell] = []
        lower_cells: list[Cell] = []
        col = 0
        while col < n:
            column = columns[col]
            if column.upper is None:
                upper_cells.append(Cell(col, column.label, "header"))
                lower_cells.append(Cell(col, None, "header"))
                if column.field != LABEL_FIELD:
                    merges.append(Merge(header_row, col, last_header, col))
                col += 1
                continue
            end = col
            while end + 1 < n and columns[end + 1].upper == column.upper:
                end += 1
            upper_cells += merged(header_row, col, end, column.upper, "header")
            lower_cells += [Cell(c, columns[c].label, "header") for c in range(col, end + 1)]
            col = end + 1
        rows.append(Row(header_row, upper_cells, row_height([(c.upper or c.label, widths[i]) for i, c in enumerate(columns)])))
        rows.append(
            Row(last_header, lower_cells, row_height((c.label, w) for c, w in zip(columns, widths, strict=True)))
        )

    # Merges down the indicator rows: 一级 (and 二级 within it) where they repeat, a row label down the
    # whole table from its header, project columns down all the project's rows.  A long run of one
    # label is cut into merges of at most :data:`LABEL_SPAN_POINTS`, the label written again at the top
    # of each: whatever the scale, every printed page then holds a whole one, its label visible.
    label_fields = ("level1", "level2", "mid_term_level2")
    heights = [
        row_height(
            (str(indicator_cell(indicator, column.field) or ""), widths[col])
            for col, column in enumerate(columns)
            if column.field not in label_fields and not is_project_column(column.field)
            and column.field != LABEL_FIELD
        )
        for indicator in indicators
    ]
    covered: set[tuple[int, int]] = set()
    for col, column in enumerate(columns):
        keys: list[tuple[str, ...]] | None = None
        if column.field == "level1":
            keys = [(indicator.level1,) for indicator in indicators]
        elif column.field in ("level2", "mid_term_level2"):
            keys = [(indicator.level1, str(indicator_cell(indicator, column.field) or "")) for indicator in indicators]
        if keys is not None:
            for run_start, run_end in spans(keys):
                for start, end in label_chunks(heights, run_start, run_end):
                    if end > start:
                        merges.append(Merge(first + start, col, first + end, col))
                    covered.update((position, col) for position in range(start + 1, end + 1))
        elif column.field == LABEL_FIELD:
            merges.append(Merge(header_row, col, last_indicator, col))
            covered.update((position, col) for position in range(len(indicators) or 1))
        elif is_project_column(column.field):
            if last_indicator > first:
                merges.append(Merge(first, col, last_indicator, col))
            covered.update((position, col) for position in range(1, len(indicators) or 1))
    for position in range(max(len(indicators), 1 if project_columns else 0)):
        indicator = indicators[position] if position < len(indicators) else None
        cells: list[Cell] = []
        measured = []
        for col, column in enumerate(columns):
            value: CellValue = None
            if (position, col) not in covered:
                if is_project_column(column.field):
                    value = _project_cell(department, project, column.field)
                elif indicator is not None:
                    value = indicator_cell(indicator, column.field)
            cells.append(Cell(col, value, column.style))
            # A merged label has the height of all its rows; it does not set this row's.
            starts_merge = (position + 1, col) in covered or is_project_column(column.field)
            if isinstance(value, str) and not starts_merge:
                measured.append((value, widths[col]))
        rows.append(Row(first + position, cells, row_height(measured)))

    # The footers the table closed with (审核意见, 总分, 备注, 填表人): a label, then the text.
    next_row = first + max(len(indicators), 1 if project_columns else 0)
    for footer in goal.footers:
        rows.append(labelled_text(next_row, footer.label, footer.text))
        next_row += 1

    total_width = sum(widths)
    sheet_layout = SheetLayout(
        name=name,
        widths=widths,
        rows=rows,
        merges=merges,
        page=PageSetup(
            landscape=total_width > LANDSCAPE_WIDTH,
            repeat_rows=(header_row, last_header),
            header=(
                f"&L{_header_text(department.name)}&C{_header_text(_short(project.name))}"
                f"&R{department.year}年"
            ),
        ),
        defined_name=defined_name,
    )
    geometry = ProjectSheetGeometry(goal_row, header_row, first, tuple(column.field for column in columns))
    return sheet_layout, geometry


#: The tallest a merged 一级/二级 label runs, in points: under half the height a landscape A4 page
#: holds below its repeated header at 100% (and a smaller scale only fits more), so that every page
#: holds at least one whole merge.
LABEL_SPAN_POINTS = 200.0
#: The longest project name the print header holds (Excel allows 255 characters in all).
HEADER_NAME_LENGTH = 60


def label_chunks(heights: Sequence[float], start: int, end: int) -> list[tuple[int, int]]:
    """Rows ``start``–``end`` cut into runs no taller than :data:`LABEL_SPAN_POINTS` (a row taller
    than that alone)."""
    chunks: list[tuple[int, int]] = []
    first, total = start, 0.0
    for position in range(start, end + 1):
        height = heights[position] if position < len(heights) else LINE_HEIGHT
        if position > first and total + height > LABEL_SPAN_POINTS:
            chunks.append((first, position - 1))
            first, total = position, 0.0
        total += height
    chunks.append((first, end))
    return chunks


def _short(text: str) -> str:
    return text if len(text) <= HEADER_NAME_LENGTH else text[: HEADER_NAME_LENGTH - 1] + "…"


def _spread(count: int, width: int) -> list[tuple[int, int]]:
    """``count`` cells across ``width`` columns: one column each, the last taking what is left over
    (more cells than columns: one column each, past the table's width)."""
    if count >= width:
        return [(col, col) for col in range(count)]
    return [(col, col) for col in range(count - 1)] + [(count - 1, width - 1)]


def _header_text(text: str) -> str:
    # '&' starts a control code in Excel headers.
    return text.replace("&", "&&")


# --- tables: 目录, 汇总, 对账, 问题 ---------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TableColumn:
    label: str
    style: str
    width: float
    wrap: bool = True


@dataclass(frozen=True, slots=True)
class Link:
    """A cell that links to a place in the workbook: ``text`` shown, ``sheet``!``cell`` the target."""

    text: str
    sheet: str
    cell: str = "A1"


@dataclass(frozen=True, slots=True)
class Styled:
    """A table cell in a style of its own rather than its column's: an amount in the unit it was
    written in (:func:`money_cell`), a total row."""

    value: CellValue
    style: str


def money_cell(amount: Decimal | None, unit: str, *, bold: bool = False) -> Styled:
    """``amount`` as a number whose format prints it in ``unit`` (``755.00 元``)."""
    return Styled(amount, money_style(unit, bold=bold))


TableItem = CellValue | Link | Styled


@dataclass(frozen=True, slots=True)
class Table:
    """A flat table sheet: an optional title row, a header row (frozen, filtered), then records."""

    name: str
    columns: tuple[TableColumn, ...]
    title: str | None = None
    landscape: bool = True
    tab_color: str | None = None

    @property
    def header_row(self) -> int:
        return 1 if self.title else 0

    def layout(self) -> SheetLayout:
        """The sheet with its title and header rows; records follow through :meth:`row`."""
        widths = [column.width for column in self.columns]
        rows: list[Row] = []
        if self.title:
            rows.append(Row(0, [Cell(0, self.title, "title_left")], TITLE_HEIGHT))
        labels = [column.label for column in self.columns]
        rows.append(
            Row(
                self.header_row,
                [Cell(col, label, "header") for col, label in enumerate(labels)],
                row_height(zip(labels, widths, strict=True)),
            )
        )
        return SheetLayout(
            name=self.name,
            widths=widths,
            rows=rows,
            page=PageSetup(landscape=self.landscape, repeat_rows=(self.header_row, self.header_row)),
            freeze=(self.header_row + 1, 0),
            autofilter_row=self.header_row,
            tab_color=self.tab_color,
        )

    def row(self, index: int, record: Sequence[TableItem]) -> Row:
        """Record number ``index`` (0-based) as a sheet row."""
        cells: list[Cell] = []
        measured: list[tuple[str, float]] = []
        for col, (column, item) in enumerate(zip(self.columns, record, strict=True)):
            if isinstance(item, Link):
                cells.append(Cell(col, item.text, "link", link=(item.sheet, item.cell)))
                measured.append((item.text, column.width))
            elif isinstance(item, Styled):
                cells.append(Cell(col, item.value, item.style))
                if isinstance(item.value, str) and column.wrap:
                    measured.append((item.value, column.width))
            else:
                cells.append(Cell(col, item, column.style))
                if isinstance(item, str) and column.wrap:
                    measured.append((item, column.width))
        return Row(self.header_row + 1 + index, cells, row_height(measured))
