"""The budget-table readers: 支出总表, 收入总表, 财政拨款支出表, 基本支出表, 收支总表, 三公经费, 政府采购, 机构设置,
and the narrative's 部门整体绩效目标.

Each reader is a function from a table's rows to data.  The function tables give :class:`LineUpdate` s,
which :class:`Ledger` applies to the budget lines in document order (a line keeps the unit it was first
written in; figures of later tables are converted into it).  A figure that cannot be read stops its
table with an :class:`~perfgoals.importers.interpret.report.Obstacle`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from perfgoals.importers.budget_layout import (
    BLANK_FIGURES,
    SUMMARY_ITEM_WORDS,
    TOTAL_WORDS,
    Column,
    Part,
    amount_columns,
    expense_part,
    income_part,
    side_word,
)
from perfgoals.importers.goal_layout import clean
from perfgoals.importers.interpret.cells import expand, find, grid_width, looks_numeric
from perfgoals.importers.interpret.classify import NUMBERING
from perfgoals.importers.interpret.geometry import labels as header_labels
from perfgoals.importers.interpret.geometry import split_header
from perfgoals.importers.interpret.report import Obstacle, Report
from perfgoals.importers.interpret.units import Unit
from perfgoals.importers.source import Block, Paragraph, Row
from perfgoals.models import (
    BudgetLine,
    DepartmentGoals,
    EconomicLine,
    FiscalSplit,
    LineAmounts,
    OrgUnit,
    ProcurementItem,
    SummaryRow,
    SummaryTable,
    ThreePublicRow,
)
from perfgoals.money import AmountError, from_wan, normalise_unit, parse_amount, to_wan

_CODE = re.compile(r"^\d{3}(?:\d{2}){0,2}$")
#: A code and its name in one cell: ``2060702 科普活动``, ``2060702科普活动``, ``[206]科学技术支出``.
_CODE_AND_NAME = re.compile(r"^[\[【(（]?\s*(\d{3}(?:\d{2}){0,2})\s*[\]】)）]?\s*[-－—:：、.．]?\s*([^\d\s].*)$")
_WHOLE = {Part.BASIC_PART: "基本支出", Part.PROJECT_PART: "项目支出", Part.CARRYOVER_PART: "上年结转"}


# --------------------------------------------------------------------- figures
def amount(unit: Unit, row: Row, column: str, text: str) -> Decimal | None:
    """A figure of a table; a dash written for "nothing here" is blank, not zero."""
    if clean(text) in BLANK_FIGURES:
        return None
    try:
        return parse_amount(text.replace("\u2212", "-"))  # a typographic minus sign
    except AmountError as exc:
        raise Obstacle(
            f"{unit.name}{row.place}", f"「{column}」列的“{text.strip()}”无法读作金额（{exc}）"
        ) from None


def table_unit(unit: Unit, fallback: str, report: Report) -> str:
    """The money unit a table is written in: its own, else ``fallback`` (said in a note)."""
    if unit.unit_text:
        return normalise_unit(unit.unit_text)
    report.note(unit.name, f"表中未写金额单位，按“{fallback}”读取，请核对")
    return fallback


def _sum(amounts: list[Decimal | None]) -> Decimal | None:
    """The sum of the figures written; ``None`` when every one is blank (blank is not zero)."""
    written = [value for value in amounts if value is not None]
    return sum(written, Decimal(0)) if written else None


# --------------------------------------------------------------------- function lines
@dataclass(slots=True)
class LineUpdate:
    """What one row of a function table says about one line (code ``""``: the 合计 row), in ``unit``.

    ``fields`` holds the :class:`LineAmounts` fields the table has a column for (a blank figure is set
    as ``None``); ``fiscal`` the 财政拨款 split of a fiscal table, by 资金性质.
    """

    code: str
    name: str
    unit: str
    fields: dict[str, Decimal | None] = field(default_factory=dict)
    other_expenses: dict[str, Decimal] = field(default_factory=dict)
    income_sources: dict[str, Decimal] = field(default_factory=dict)
    fiscal: tuple[str, dict[str, Decimal | None]] | None = None


@dataclass(slots=True)
class Ledger:
    """The budget lines and the 合计 row, built from the function tables' updates in document order."""

    lines: dict[str, BudgetLine] = field(default_factory=dict)
    total: LineAmounts | None = None

    def line(self, code: str, name: str, unit_word: str) -> LineAmounts:
        if not code:
            if self.total is None:
                self.total = LineAmounts(unit=unit_word)
            return self.total
        line = self.lines.get(code)
        if line is None:
            line = self.lines[code] = BudgetLine(code=code, name=name, unit=unit_word)
        return line

    def apply(self, update: LineUpdate) -> None:
        line = self.line(update.code, update.name, update.unit)

        def into(value: Decimal | None) -> Decimal | None:
            """A figure of the table, in the unit the line was first written in."""
            if value is None or update.unit == line.unit:
                return value
            return from_wan(to_wan(value, update.unit), line.unit)

        if update.fiscal is not None:
            nature, figures = update.fiscal
            split = line.fiscal.setdefault(nature, FiscalSplit())
            for name, value in figures.items():
                setattr(split, name, into(value))
        for name, value in update.fields.items():
            setattr(line, name, into(value))
        for name, value in update.other_expenses.items():
            converted = into(value)
            if converted is not None:
                line.other_expenses[name] = converted
        for name, value in update.income_sources.items():
            converted = into(value)
            if converted is not None:
                line.income_sources[name] = converted


def _split_code(parts: list[str], parents: list[str]) -> str:
    """The code of a row of a 类 | 款 (| 项) layout, where a row may print only its own part (``07``)."""
    category, section, item = [*parts, "", ""][:3]
    if len(item) == 7 or len(section) == 5:  # the full code printed in its level's column
        full = item if len(item) == 7 else section
        parents[:] = [full[:3], full[3:5]]
        return full
    if category:
        parents[:] = [category, section]
        return category + section + item
    if section:
        parents[1] = section
        return parents[0] + section + item
    if item:
        return parents[0] + parents[1] + item
    return ""


def _function_rows(
    unit: Unit, report: Report
) -> tuple[list[tuple[int, tuple[str, ...]]], list[tuple[Row, list[str], str, str]]]:
    """The amount columns with their header paths, and each data row with its code and name (code ``""``
    for the 合计 row).

    The code is read from a 科目编码 column, from 类 | 款 | 项 columns (a row may print only its own
    part), or from one cell holding code and name (``2060702 科普活动``, under 功能分类科目).
    """
    header, data = split_header(unit)
    width = grid_width(header + data)
    paths = header_labels(header, width)
    code_col = find(paths, lambda path: any("编码" in p or p in ("科目代码", "代码") for p in path))
    name_col = find(paths, lambda path: any("名称" in p for p in path))
    if name_col is None:  # the names under 项目 or 功能分类科目 (which may hold the codes too)
        name_col = next(
            (i for i, path in enumerate(paths) if i != code_col and path and (path[-1] == "项目" or "科目" in path[-1])),
            None,
        )
    if name_col == code_col:
        name_col = None  # 科目编码及名称: one column holds both
    leaves = [path[-1:] for path in paths]
    split_cols = [leaves.index((word,)) for word in ("类", "款", "项") if (word,) in leaves]
    label_cols = {col for col in (code_col, name_col, *split_cols) if col is not None}
    columns = [(index, path) for index, path in amount_columns(paths) if index not in label_cols]
    result = []
    parents = ["", ""]  # the 类 and 款 of the rows above, for layouts that print only the new part
    for row in data:
        cells = expand(row, width)
        code = cells[code_col].strip() if code_col is not None else ""
        name = cells[name_col].strip() if name_col is not None else ""
        if len(split_cols) >= 2:  # 类 | 款 (| 项)
            code = _split_code([clean(cells[col]) for col in split_cols], parents)
        if code and not name:
            match = _CODE_AND_NAME.match(code)
            if match:
                code, name = match.groups()
        if not code:
            match = _CODE_AND_NAME.match(name)
            if match:
                code, name = match.groups()
        code = clean(code)
        if clean(name) in TOTAL_WORDS or code in TOTAL_WORDS:
            result.append((row, cells, "", clean(name) or code))
        elif _CODE.match(code):
            result.append((row, cells, code, name))
        elif any(looks_numeric(c) for i, c in enumerate(cells) if i not in (*label_cols, 0)):
            report.note(f"{unit.name}{row.place}", f"科目编码“{code}”无法识别，该行未导入")
    return columns, result


def _note_unkept(unit: Unit, columns: list[Column], parts: tuple[Part, ...], report: Report) -> None:
    """Say which detail columns (人员经费 | 公用经费 under 基本支出 …) have no field of their own."""
    for part in parts:
        names = [column.name for column in columns if column.part is part]
        if names:
            listed = "、".join(f"「{name}」" for name in names)
            report.note(unit.name, f"{listed}列是{_WHOLE[part]}的明细，没有对应的字段，未单独导入")


def _expense_rows(
    unit: Unit, unit_word: str, report: Report
) -> Iterator[tuple[str, str, dict[Part, Decimal | None], dict[str, Decimal]]]:
    """Each function line of an expense table with the 合计/基本支出/项目支出 the table has, and its other
    figured columns.

    基本支出 or 项目支出 printed only as parts (人员经费, 公用经费 …, without a 小计 column) is what the
    parts add up to; the parts themselves have no field and are named in a note.
    """
    found, rows = _function_rows(unit, report)
    columns = [Column(index, path, expense_part(path)) for index, path in found]
    present = {column.part for column in columns}
    _note_unkept(unit, columns, (Part.BASIC_PART, Part.PROJECT_PART), report)
    wholes = {Part.BASIC_PART: Part.BASIC, Part.PROJECT_PART: Part.PROJECT}
    for row, cells, code, name in rows:
        figures: dict[Part, Decimal | None] = {}
        details: dict[Part, list[Decimal | None]] = {Part.BASIC_PART: [], Part.PROJECT_PART: []}
        others: dict[str, Decimal] = {}
        for column in columns:
            value = amount(unit, row, "/".join(column.path), cells[column.index])
            if column.part in (Part.TOTAL, Part.BASIC, Part.PROJECT):
                figures[column.part] = value
            elif column.part in details:
                details[column.part].append(value)
            elif value is not None:
                others[column.name] = value
        for part, whole in wholes.items():
            if whole not in present and part in present:
                figures[whole] = _sum(details[part])
        yield code, name, figures, others


_EXPENSE_FIELDS = {Part.TOTAL: "total", Part.BASIC: "basic", Part.PROJECT: "project"}


def read_expenditure(unit: Unit, unit_word: str, report: Report) -> list[LineUpdate]:
    return [
        LineUpdate(
            code, name, unit_word, {_EXPENSE_FIELDS[part]: value for part, value in figures.items()}, others
        )
        for code, name, figures, others in _expense_rows(unit, unit_word, report)
    ]


def read_fiscal_function(unit: Unit, unit_word: str, report: Report) -> list[LineUpdate]:
    title = clean(unit.title)
    if "一般公共" in title:
        nature = "一般公共预算"
    elif "基金" in title:
        nature = "政府性基金预算"
    elif "国有资本" in title:
        nature = "国有资本经营预算"
    else:
        nature = "财政拨款"
    return [
        LineUpdate(
            code, name, unit_word, fiscal=(nature, {_EXPENSE_FIELDS[part]: value for part, value in figures.items()})
        )
        for code, name, figures, _ in _expense_rows(unit, unit_word, report)
    ]


def read_income(unit: Unit, unit_word: str, report: Report) -> list[LineUpdate]:
    found, rows = _function_rows(unit, report)
    columns = [Column(index, path, income_part(path)) for index, path in found]
    present = {column.part for column in columns}
    _note_unkept(unit, columns, (Part.CARRYOVER_PART,), report)
    updates: list[LineUpdate] = []
    for row, cells, code, name in rows:
        update = LineUpdate(code, name, unit_word)
        sources: list[Decimal | None] = []
        carried: list[Decimal | None] = []
        for column in columns:
            value = amount(unit, row, "/".join(column.path), cells[column.index])
            if column.part is Part.CARRYOVER:
                update.fields["carryover"] = value
            elif column.part is Part.CARRYOVER_PART:
                carried.append(value)
            elif column.part is Part.INCOME_TOTAL:
                update.fields["income_total"] = value
            elif column.part is Part.INCOME_CURRENT:
                update.fields["income_current"] = value
            elif column.part is Part.SOURCE:
                sources.append(value)
                if value is not None:
                    update.income_sources[column.name] = value
        # A table listing the sources without a 本年收入 (小计) column: this year's income is their sum.
        if Part.INCOME_CURRENT not in present and Part.SOURCE in present:
            update.fields["income_current"] = _sum(sources)
        if Part.CARRYOVER not in present and Part.CARRYOVER_PART in present:
            update.fields["carryover"] = _sum(carried)
        updates.append(update)
    return updates


def read_economic(unit: Unit, unit_word: str, report: Report) -> list[EconomicLine]:
    found, rows = _function_rows(unit, report)
    result: list[EconomicLine] = []
    for row, cells, code, name in rows:
        if len(code) not in (0, 3, 5):
            report.note(
                f"{unit.name}{row.place}", f"经济分类科目编码“{code}”应为 3 位（类）或 5 位（款），该行未导入"
            )
            continue
        line = EconomicLine(code=code, name=name, unit=unit_word)
        for index, path in found:
            value = amount(unit, row, "/".join(path), cells[index])
            leaf = path[-1] if path else f"第{index + 1}列"
            if leaf in TOTAL_WORDS:
                line.total = value
            elif "人员" in leaf:
                line.personnel = value
            elif "公用" in leaf:
                line.public = value
        result.append(line)
    return result


# --------------------------------------------------------------------- summary tables
def _side_row(row: Row) -> str | None:
    """The side a heading row of a stacked 收支总表 opens (``收入``, ``二、支出``), if it is one."""
    cells = {cell.strip() for cell in row.cells if cell.strip()}
    return side_word(next(iter(cells))) if len(cells) == 1 else None


def _position(cells: list[str], column: int | None, fallback: int) -> int:
    """The row's 序号 where the table has one, else its place among the data rows."""
    text = cells[column].strip() if column is not None else ""
    return int(text) if text.isdigit() and int(text) > 0 else fallback


def _summary_amounts(
    unit: Unit, row: Row, cells: list[str], paths: list[tuple[str, ...]], columns: list[int]
) -> dict[str, Decimal]:
    amounts: dict[str, Decimal] = {}
    for col in columns:
        value = amount(unit, row, "/".join(paths[col]), cells[col])
        if value is not None:
            amounts[paths[col][-1] if paths[col] else f"第{col + 1}列"] = value
    return amounts


def read_summary(unit: Unit, table: SummaryTable, unit_word: str) -> list[SummaryRow]:
    header, data = split_header(unit)
    # A stacked table's first side heading (收入) comes before any figure: it is a row, not the header.
    while header and _side_row(header[-1]) is not None:
        data.insert(0, header.pop())
    width = grid_width(header + data)
    paths = header_labels(header, width)
    starts = [i for i, path in enumerate(paths) if path and path[-1] in SUMMARY_ITEM_WORDS]
    if not starts:
        raise Obstacle(f"{unit.name}表头", "找不到“收入”和“支出”两侧的“项目”列")
    if len(starts) == 1:
        return _stacked_summary(unit, table, unit_word, data, paths, starts[0])
    position_col = find(paths, lambda path: bool(path) and path[-1] == "序号")
    sides: list[tuple[str, int, list[int]]] = []
    for n, start in enumerate(starts):
        end = starts[n + 1] if n + 1 < len(starts) else width
        named = [word for word in ("支出", "收入") if any(word in p for p in paths[start])]
        side = named[0] if named else ("收入" if n == 0 else "支出")
        sides.append((side, start, list(range(start + 1, end))))
    result: list[SummaryRow] = []
    for number, row in enumerate(data, start=1):
        cells = expand(row, width)
        position = _position(cells, position_col, number)
        for side, start, amount_cols in sides:
            item = cells[start].strip()
            amounts = _summary_amounts(unit, row, cells, paths, amount_cols)
            if item or amounts:
                result.append(
                    SummaryRow(table=table, side=side, position=position, item=item, unit=unit_word, amounts=amounts)
                )
    return result


def _stacked_summary(
    unit: Unit, table: SummaryTable, unit_word: str, data: list[Row], paths: list[tuple[str, ...]], item_col: int
) -> list[SummaryRow]:
    """A 收支总表 with 收入 above 支出 in the same columns: the side is named by a heading row (收入 / 二、支出)
    or by a column beside the items (a cell merged down each side)."""
    width = len(paths)
    position_col = find(paths, lambda path: bool(path) and path[-1] == "序号")
    label_cols = [col for col in range(item_col) if col != position_col]
    amount_cols = list(range(item_col + 1, width))
    side: str | None = None
    result: list[SummaryRow] = []
    for number, row in enumerate(data, start=1):
        cells = expand(row, width)
        item = cells[item_col].strip()
        named = [found for col in label_cols if (found := side_word(cells[col])) is not None]
        heading = side_word(item)
        if named:
            side = named[0]
        elif heading is not None and all(not cells[col].strip() or cells[col] == item for col in amount_cols):
            side = heading  # a heading row: 收入 / 二、支出
            continue
        if side is None:
            side = "支出" if "支出" in item else "收入"
        amounts = _summary_amounts(unit, row, cells, paths, amount_cols)
        if item or amounts:
            position = _position(cells, position_col, number)
            result.append(
                SummaryRow(table=table, side=side, position=position, item=item, unit=unit_word, amounts=amounts)
            )
    return result


# --------------------------------------------------------------------- 三公经费
def _other_year(text: str, year: int) -> bool:
    """Whether a label names a year other than the budget year (``2023年预算数`` in a 2024 budget)."""
    return any(int(found) != year for found in re.findall(r"((?:19|20)\d\d)年", text))


def three_public_category(item: str) -> str:
    text = clean(item)
    if text in TOTAL_WORDS:
        return "total"
    if "小计" in text:
        return "subtotal"
    if "出国" in text:
        if "教学科研" in text:
            return "abroad_research"
        if "其他" in text:
            return "abroad_other"
        return "abroad"
    if "车" in text:
        if "购置及" in text or "购置和" in text:
            return "vehicle"
        if "购置" in text:
            return "vehicle_purchase"
        if "运行" in text or "运维" in text:
            return "vehicle_operation"
        return "vehicle"
    if "接待" in text:
        return "reception"
    return "other"


def read_three_public(unit: Unit, unit_word: str, year: int | None) -> list[ThreePublicRow]:
    """The 三公 table, with the categories as rows or across (columns of another ``year`` left out)."""
    header, data = split_header(unit)
    width = grid_width(header + data)
    paths = header_labels(header, width)
    position_col = find(paths, lambda path: bool(path) and path[-1] == "序号")
    item_col = find(paths, lambda path: bool(path) and path[-1] in ("项目", "科目", "项目名称"))
    across = _three_public_columns(paths, header_labels(header, width, as_written=True), year)
    if across:
        return _three_public_across(unit, unit_word, data, paths, across, item_col, year)
    if item_col is None:
        if not data:
            return []  # an empty table (本部门无“三公”经费): nothing to place
        raise Obstacle(f"{unit.name}表头", "找不到“项目”列")
    columns = [(i, path) for i, path in enumerate(paths) if i not in (position_col, item_col)]
    result: list[ThreePublicRow] = []
    for number, row in enumerate(data, start=1):
        cells = expand(row, width)
        item = cells[item_col].strip()
        if not item:
            continue
        position = _position(cells, position_col, number)
        entry = ThreePublicRow(position=position, item=item, category=three_public_category(item), unit=unit_word)
        for index, path in columns:
            value = amount(unit, row, "/".join(path), cells[index])
            leaf = path[-1] if path else f"第{index + 1}列"
            if leaf in TOTAL_WORDS:
                entry.total = value
            elif value is not None:
                entry.amounts[leaf] = value
        result.append(entry)
    return result


def _three_public_columns(
    paths: list[tuple[str, ...]], written: list[tuple[str, ...]], year: int | None
) -> list[tuple[int, str, str]]:
    """The columns of a 三公 table laid out across (合计 | 因公出国（境）费 | 公务用车… | 公务接待费), each
    with its category and its label as written; none when the categories are rows."""
    columns: list[tuple[int, str, str]] = []
    for index, path in enumerate(paths):
        if not path:
            continue
        if any("上年" in part or (year is not None and _other_year(part, year)) for part in path):
            continue
        own = len(path) > 1 and path[-1] in ("小计", *TOTAL_WORDS) and "三公" not in path[-2]
        category = three_public_category(path[-2] if own else path[-1])
        if category != "other":
            shown = written[index] if len(written[index]) == len(path) else path
            columns.append((index, category, shown[-2] if own else shown[-1]))
    kinds = {category for _, category, _ in columns}
    return columns if len(kinds & {"abroad", "vehicle", "vehicle_purchase", "vehicle_operation", "reception"}) >= 2 else []


def _three_public_across(
    unit: Unit,
    unit_word: str,
    data: list[Row],
    paths: list[tuple[str, ...]],
    columns: list[tuple[int, str, str]],
    item_col: int | None,
    year: int | None,
) -> list[ThreePublicRow]:
    """One row of figures (this year's budget) under the categories: each category becomes a row."""
    width = len(paths)
    rows = [(row, expand(row, width)) for row in data]
    if item_col is not None:
        # Beside this year's row there may be last year's, or the change: 上年预算数, 增减.
        this_year = [
            (row, cells)
            for row, cells in rows
            if not re.search(r"上年|增减|增长|减少|变动|比上|差额|增幅", clean(cells[item_col]))
            and not (year is not None and _other_year(clean(cells[item_col]), year))
        ]
        rows = this_year or rows
    if not rows:
        return []
    row, cells = rows[0]
    return [
        ThreePublicRow(
            position=position, item=label, category=category, unit=unit_word,
            total=amount(unit, row, "/".join(paths[index]), cells[index]),
        )
        for position, (index, category, label) in enumerate(columns, start=1)
    ]


# --------------------------------------------------------------------- 政府采购, 机构设置
def read_procurement(unit: Unit, unit_word: str) -> tuple[list[ProcurementItem], Decimal | None]:
    """The procurement items and the table's 合计 (``None`` without one)."""
    header, data = split_header(unit)
    width = grid_width(header + data)
    paths = header_labels(header, width)

    def column(*words: str) -> int | None:
        return find(paths, lambda path: bool(path) and any(w in path[-1] for w in words))

    project_col = column("项目名称")
    budget_col = column("预算资金", "项目预算")
    item_col = column("物品名称", "品目名称", "采购项目", "采购品目", "采购物品")
    code_col = column("目录序号", "目录编码", "目录代码", "品目编码")
    measure_col = column("计量单位")
    quantity_col = column("数量")
    price_col = column("单价")
    sme_col = column("中小", "小微")
    money_parent = next((i for i, path in enumerate(paths) if len(path) > 1 and "采购金额" in path[0]), None)
    amount_col = find(
        paths,
        lambda path: bool(path)
        and ("采购金额" in path[-1] or (len(path) > 1 and "采购金额" in path[0] and path[-1] in TOTAL_WORDS)),
    )
    known = {project_col, budget_col, item_col, code_col, measure_col, quantity_col, price_col, sme_col, amount_col}
    funding_cols = [
        i for i, path in enumerate(paths)
        if i not in known and money_parent is not None and len(path) > 1 and "采购金额" in path[0]
    ]
    if item_col is None or amount_col is None:
        raise Obstacle(f"{unit.name}表头", "找不到“采购物品名称”或“政府采购金额”列")
    items: list[ProcurementItem] = []
    total: Decimal | None = None
    for row in data:
        cells = expand(row, width)

        def text(col: int | None, cells: list[str] = cells) -> str:
            return cells[col].strip() if col is not None else ""

        def money(col: int | None, cells: list[str] = cells, row: Row = row) -> Decimal | None:
            return amount(unit, row, "/".join(paths[col]), cells[col]) if col is not None else None

        label = clean(text(project_col) or text(item_col) or cells[0])
        if not text(item_col) and (label.endswith(TOTAL_WORDS) or label.endswith("小计")):
            if label.endswith(TOTAL_WORDS):
                total = money(amount_col)
            continue
        item = ProcurementItem(
            project_name=text(project_col),
            project_budget=money(budget_col),
            item=text(item_col),
            catalogue_code=text(code_col),
            measure=text(measure_col),
            quantity=money(quantity_col),
            unit_price=money(price_col),
            amount=money(amount_col),
            unit=unit_word,
            sme_reserved=money(sme_col),
        )
        for col in funding_cols:
            value = money(col)
            if value is not None:
                item.funding[paths[col][-1]] = value
        items.append(item)
    return items, total


def read_org_units(unit: Unit) -> list[OrgUnit]:
    rows = [row for row in unit.rows if not row.is_blank]
    start = next((i for i, row in enumerate(rows) if any("名称" in clean(c) for c in row.cells)), 0)
    header, data = rows[start : start + 1], rows[start + 1 :]
    width = grid_width(header + data)
    paths = header_labels(header, width)

    def column(*words: str) -> int | None:
        return find(paths, lambda path: bool(path) and any(w in path[-1] for w in words))

    name_col = column("单位名称", "机构名称", "名称")
    nature_col = column("性质")
    rank_col = column("规格", "级别")
    funding_col = column("经费", "保障")
    if name_col is None:
        raise Obstacle(f"{unit.name}表头", "找不到“单位名称”列")
    result: list[OrgUnit] = []
    for row in data:
        cells = expand(row, width)

        def text(col: int | None, cells: list[str] = cells) -> str:
            return cells[col].strip() if col is not None else ""

        if text(name_col):
            result.append(
                OrgUnit(name=text(name_col), nature=text(nature_col), rank=text(rank_col), funding=text(funding_col))
            )
    return result


# --------------------------------------------------------------------- the narrative
def narrative_goals(blocks: list[Block]) -> DepartmentGoals:
    """部门整体绩效目标, 分项绩效目标 and 工作保障措施 from the narrative."""
    goals: dict[str, list[str]] = {"overall": [], "itemised": [], "safeguards": []}
    current: str | None = None
    inside = False
    for block in blocks:
        if not isinstance(block, Paragraph):
            continue
        text = block.text.strip()
        if not text:
            continue
        key = clean(text)
        if not inside:
            if "部门整体绩效目标" in key and len(key) <= 30:
                inside, current = True, "overall"
            continue
        if re.search(r"绩效目标(?:申报)?表$", NUMBERING.sub("", key)) or "项目绩效目标" in key or (
            key.startswith("第") and "部分" in key[:5]
        ):
            break
        heading = re.match(r"^[（(][一二三四五六七八九十]+[）)]\s*(.*)$", key)
        if heading and len(key) <= 20:
            word = heading.group(1)
            if "分项" in word:
                current = "itemised"
                continue
            if "保障" in word or "措施" in word:
                current = "safeguards"
                continue
            if "总体" in word or "整体" in word:
                current = "overall"
                continue
        if current:
            goals[current].append(text)
    return DepartmentGoals(
        overall="\n".join(goals["overall"]),
        itemised="\n".join(goals["itemised"]),
        safeguards="\n".join(goals["safeguards"]),
    )
