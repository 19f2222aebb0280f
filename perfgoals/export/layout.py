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


def project_sheet(
    department: Department, project: Project, *, name: str, defined_name: str | None = None
) -> tuple[SheetLayout, ProjectSheetGeometry]:
    """Lay out ``project``'s goal table as the published 绩效目标表."""
    indicators = project.goal.indicators
    columns = columns_for(indicators)
    n = len(columns)
    last = n - 1
    widths = [
        fit_width(
            [column_label(column, columns)]
            + [str(cell_text(indicator, column.field) or "") for indicator in indicators],
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
    if amount.amount is not None:
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

    def labelled_text(row: int, label: str, text: str) -> Row:
        """A label, then ``text`` across the rest of the table."""
        cells = [Cell(0, label, "label"), *merged(row, 1, last, text, "text")]
        return Row(row, cells, row_height([(text, span_width(1, last))]))

    # 实施单位 when known, then 绩效目标, then the 实施期目标 when the goal is split by period.
    next_row = 3
    if project.implementing_unit:
        rows.append(labelled_text(next_row, IMPLEMENTING_UNIT_LABEL, project.implementing_unit))
        next_row += 1
    goal_row = next_row
    rows.append(labelled_text(goal_row, "绩效目标", project.goal.goal_text))
    next_row += 1
    if project.goal.mid_term_goal_text:
        rows.append(labelled_text(next_row, MID_TERM_GOAL_LABEL, project.goal.mid_term_goal_text))
        next_row += 1

    header_row = next_row
    labels = [column_label(column, columns) for column in columns]
    rows.append(
        Row(
            header_row,
            [Cell(col, label, "header") for col, label in enumerate(labels)],
            row_height(zip(labels, widths, strict=True)),
        )
    )

    first = header_row + 1
    level1_keys = [(indicator.level1,) for indicator in indicators]
    level2_keys = [(indicator.level1, indicator.level2) for indicator in indicators]
    covered: set[tuple[int, int]] = set()
    for col, keys in ((0, level1_keys), (1, level2_keys)):
        for start, end in spans(keys):
            merges.append(Merge(first + start, col, first + end, col))
            covered.update((position, col) for position in range(start + 1, end + 1))
    for position, indicator in enumerate(indicators):
        cells: list[Cell] = []
        measured: list[tuple[str, float]] = []
        for col, column in enumerate(columns):
            value = None if (position, col) in covered else cell_text(indicator, column.field)
            cells.append(Cell(col, value, column.style))
            # A merged 一级/二级 label has the height of all its rows; it does not set this row's.
            starts_merge = (position + 1, col) in covered
            if isinstance(value, str) and not starts_merge:
                measured.append((value, widths[col]))
        rows.append(Row(first + position, cells, row_height(measured)))

    total_width = sum(widths)
    layout = SheetLayout(
        name=name,
        widths=widths,
        rows=rows,
        merges=merges,
        page=PageSetup(
            landscape=total_width > LANDSCAPE_WIDTH,
            repeat_rows=(header_row, header_row),
            header=f"&L{_header_text(department.name)}&R{department.year}年",
        ),
        defined_name=defined_name,
    )
    geometry = ProjectSheetGeometry(goal_row, header_row, first, tuple(column.field for column in columns))
    return layout, geometry


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
