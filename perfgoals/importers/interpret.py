"""Turning a :class:`~perfgoals.importers.source.SourceDocument` into a :class:`Department`.

Tables are recognised by their titles and header words, never by their position, so other provinces'
layouts (extra columns, other orders, titles inside the table) read the same way.  Every figure keeps
the unit its table was written in.  Whatever cannot be placed is reported by table and row.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from enum import Enum

from pydantic import ValidationError

from perfgoals.framework import DEFAULT_FRAMEWORK, get_framework
from perfgoals.importers.budget_layout import (
    BLANK_FIGURES,
    SUMMARY_ITEM_WORDS,
    TOTAL_WORDS,
    Column,
    Part,
    amount_columns,
    budget_title_key,
    expense_part,
    income_part,
    is_table_note,
    side_word,
    title_and_unit,
)
from perfgoals.importers.errors import ImportFailure
from perfgoals.importers.goal_layout import (
    IGNORED_FIELDS,
    JOINED_FIELDS,
    JOINER,
    Label,
    LabelKind,
    Period,
    Qualifier,
    clean,
    department_of,
    direction,
    goal_field,
    is_continuation,
    is_goal_header_row,
    is_placeholder,
    item_number,
    preamble_label,
    preamble_labels,
    qualifier,
    split_label_value,
    split_value_parts,
)
from perfgoals.importers.source import Block, Paragraph, Row, SourceDocument, Table
from perfgoals.models import (
    DEFAULT_UNIT,
    AmountSource,
    BudgetLine,
    Department,
    DepartmentGoals,
    EconomicLine,
    FiscalSplit,
    GoalTable,
    Indicator,
    LineAmounts,
    OrgUnit,
    ProcurementItem,
    Project,
    SummaryRow,
    SummaryTable,
    ThreePublicRow,
)
from perfgoals.money import UNIT_IN_YUAN, AmountError, from_wan, normalise_unit, parse_amount, to_wan
from perfgoals.reading.ceiling import cost_ceiling
from perfgoals.reading.rows import read_row
from perfgoals.values import ValueKind, parse_value

#: A cost row is recognised under either framework while the document's own is not yet known.
_FRAMEWORKS = ("mof-2015", "mof-2021")


@dataclass(frozen=True, slots=True)
class Note:
    """Something the import read but could not place."""

    place: str
    message: str

    def __str__(self) -> str:
        return f"{self.place}：{self.message}"


@dataclass(slots=True)
class Interpretation:
    department: Department
    notes: list[Note] = field(default_factory=list)
    tables_read: Counter[str] = field(default_factory=Counter)


class Kind(Enum):
    BUDGET_SUMMARY = "收支总表"
    FISCAL_SUMMARY = "财政拨款收支总表"
    INCOME = "收入总表"
    EXPENDITURE = "支出总表"
    FISCAL_FUNCTION = "财政拨款支出表"
    ECONOMIC = "基本支出表"
    THREE_PUBLIC = "三公经费表"
    PROCUREMENT = "政府采购表"
    ORG_UNITS = "机构设置表"
    GOAL = "绩效目标表"
    DEPARTMENT_GOAL = "部门整体绩效目标表"


_NUMBERING = re.compile(r"^\s*(?:第?[0-9０-９]+[、.．)）]|[（(][0-9０-９一二三四五六七八九十]+[)）]|[一二三四五六七八九十]+、)\s*")
_DEPT_CELL = re.compile(r"^\s*(\d{2,})\s*([^\d\s:：、.．,，)）\]年月日号%％个项].*?)\s*$")
_DEPT_FIELD = re.compile(r"(?:编制部门|编制单位|部门名称|预算部门|单位名称|部门)\s*[:：]\s*(?:(\d{2,})\s*)?(\S+)")
_YEAR_FIELD = re.compile(r"(?:预算年度|年度)\s*[:：]\s*(\d{4})")
_YEAR_LINE = re.compile(r"^(?:[（(]\s*(\d{4})\s*年度?\s*[)）]|(\d{4})\s*年度)$")  # "（2024年度）" under a title
_UNIT_FIELD = re.compile(r"(?:金额单位|单位)\s*[:：]\s*(?:人民币)?\s*(百万元|千元|万元|亿元|元)")
_CODE = re.compile(r"^\d{3}(?:\d{2}){0,2}$")
#: A code and its name in one cell: ``2060702 科普活动``, ``2060702科普活动``, ``[206]科学技术支出``.
_CODE_AND_NAME = re.compile(r"^[\[【(（]?\s*(\d{3}(?:\d{2}){0,2})\s*[\]】)）]?\s*[-－—:：、.．]?\s*([^\d\s].*)$")
_TOTAL_WORDS = TOTAL_WORDS


def _is_meta_cell(text: str) -> bool:
    text = text.strip()
    if not text:
        return True
    return bool(
        _UNIT_FIELD.search(text)
        or _YEAR_FIELD.search(text)
        or _YEAR_LINE.match(text)
        or _DEPT_FIELD.search(text)
        or _DEPT_CELL.match(text)
        or re.search(r"截[止至]\s*(?:时间|日期)?\s*[:：]", text)
    )


@dataclass(slots=True)
class Unit:
    """One logical table: a title, the unit it is written in, and its rows."""

    title: str
    title_place: str
    table: Table
    rows: list[Row]
    unit_text: str | None = None
    meta: list[str] = field(default_factory=list)

    @property
    def name(self) -> str:
        return f"「{self.title}」" if self.title else f"第 {self.table.number} 个表格"


class Interpreter:
    def __init__(self, document: SourceDocument) -> None:
        self.document = document
        self.source = document.source
        self.notes: list[Note] = [Note(self.source, note) for note in document.notes]
        self.tables_read: Counter[str] = Counter()
        self.code: str | None = None
        self.name: str | None = None
        self.year: int | None = None
        self.units_seen: Counter[str] = Counter()
        self.lines: dict[str, BudgetLine] = {}
        self.function_total: LineAmounts | None = None
        self.economic: list[EconomicLine] = []
        self.summary: list[SummaryRow] = []
        self.three_public: list[ThreePublicRow] = []
        self.procurement: list[ProcurementItem] = []
        self.procurement_total: Decimal | None = None
        self.org_units: list[OrgUnit] = []
        self.projects: list[Project] = []
        self.project_places: dict[str, str] = {}
        self.level1_seen: set[str] = set()
        self.supervisor: tuple[str, str] | None = None  # 主管部门及代码 of a goal table, if nothing better

    # ----------------------------------------------------------------- messages
    def fail(self, unit: Unit | None, place: str, message: str) -> ImportFailure:
        where = f"{unit.name}{place}" if unit else place
        return ImportFailure(f"{self.source}：{where}：{message}")

    def note(self, unit: Unit | None, place: str, message: str) -> None:
        where = f"{unit.name}{place}" if unit else place
        self.notes.append(Note(where, message))

    def amount(self, unit: Unit, row: Row, column: str, text: str) -> Decimal | None:
        if clean(text) in BLANK_FIGURES:
            return None  # a dash or slash written for "nothing here": blank, not zero
        try:
            return parse_amount(text.replace("\u2212", "-"))  # a typographic minus sign
        except AmountError as exc:
            raise self.fail(unit, row.place, f"「{column}」列的“{text.strip()}”无法读作金额（{exc}）") from None

    # ----------------------------------------------------------------- grouping
    def units(self) -> list[Unit]:
        """Tables with their titles; tables separated only by blank paragraphs are one table."""
        units: list[Unit] = []
        pending: list[Paragraph] = []
        previous: Unit | None = None
        for block in _split_at_titles(self.document.blocks):
            if isinstance(block, Paragraph):
                pending.append(block)
                continue
            texts = [p for p in pending if p.text.strip()]
            # "续表" (or a blank paragraph where a page broke) between two tables: one table goes on.
            continued = any(is_continuation(p.text) for p in texts) and all(
                is_continuation(p.text) or _is_meta_cell(p.text) for p in texts
            )
            # A budget table whose title is printed again on the next page, word for word, goes on too.
            continued = continued or (previous is not None and _same_budget_title(texts, previous))
            if previous is not None and (continued or (not texts and not _starts_anew(block, previous))):
                previous.rows.extend(_without_repeated_header(block.rows, previous.rows))
                pending = []
                continue
            unit = self._unit(block, texts)
            units.append(unit)
            previous = unit
            pending = []
        return units

    def _unit(self, table: Table, paragraphs: list[Paragraph]) -> Unit:
        rows = [row for row in table.rows]
        meta: list[str] = []
        title, title_place = "", table.place
        # Paragraphs right above the table may hold the unit line and the department line.
        for paragraph in reversed(paragraphs):
            text = paragraph.text.strip()
            titled = title_and_unit(text)
            if titled is not None and len(text) <= 80:  # 部门收支总表（单位：元）
                title, title_place = titled[0], paragraph.place
                meta.append(titled[1])
                break
            if _is_meta_cell(text) and len(text) < 80:
                meta.append(text)
                continue
            if len(text) <= 80 and not text.endswith(("。", "；", ";")):
                title, title_place = text, paragraph.place
            break
        # A title row or meta rows inside the table, before the header.
        while rows:
            first = rows[0]
            texts = [c.strip() for c in first.cells if c.strip()]
            if not texts:
                rows.pop(0)
                continue
            titled = title_and_unit(texts[0]) if len(set(texts)) == 1 else None
            if titled is not None:
                title, title_place = titled[0], first.place
                meta.append(titled[1])
                rows.pop(0)
                continue
            if all(_is_meta_cell(text) for text in texts):
                meta.extend(texts)
                rows.pop(0)
                continue
            if _is_title_row(texts):
                title, title_place = texts[0], first.place
                rows.pop(0)
                continue
            break
        unit_text = None
        for text in meta:
            match = _UNIT_FIELD.search(text)
            if match:
                unit_text = f"单位：{match.group(1)}"  # as money.normalise_unit reads it (单位：人民币元 too)
            self._department_from(text)
        return Unit(title, title_place, table, rows, unit_text, meta)

    def _department_from(self, text: str) -> None:
        text = text.strip()
        year = _YEAR_FIELD.search(text) or _YEAR_LINE.match(text)
        if year and self.year is None:
            self.year = int(next(group for group in year.groups() if group))
        if self.code is not None:
            return
        match = _DEPT_FIELD.search(text)
        if match and match.group(1):
            self._set_department(match.group(1), match.group(2))
            return
        match = _DEPT_CELL.match(text)
        if match and not _UNIT_FIELD.search(text) and not _YEAR_FIELD.search(text):
            self._set_department(match.group(1), match.group(2))

    def _set_department(self, code: str, name: str) -> None:
        # A code typed in full-width digits (３０１) is the same code: it identifies the department.
        self.code, self.name = unicodedata.normalize("NFKC", code), name

    # ----------------------------------------------------------------- classification
    @staticmethod
    def classify(unit: Unit) -> Kind | None:
        title = _NUMBERING.sub("", clean(unit.title))
        header = {clean(cell) for row in unit.rows[:40] for cell in row.cells}
        if "一级指标" in header and ("三级指标" in header or "二级指标" in header):
            if "整体绩效" in title or "部门整体" in title:
                return Kind.DEPARTMENT_GOAL
            return Kind.GOAL
        if re.search(r"绩效目标(?:申报)?表$", title):
            return Kind.DEPARTMENT_GOAL if "整体" in title else Kind.GOAL
        title = budget_title_key(title)
        if "三公" in title:
            return Kind.THREE_PUBLIC
        if "政府采购" in title:
            return Kind.PROCUREMENT
        if "机构设置" in title or {"单位名称", "单位性质"} <= header:
            return Kind.ORG_UNITS
        if "收支总表" in title:
            return Kind.FISCAL_SUMMARY if "财政拨款" in title else Kind.BUDGET_SUMMARY
        if "收入总表" in title or title.endswith("收入表"):
            return Kind.INCOME
        if "支出总表" in title:
            return Kind.EXPENDITURE
        if "基本支出" in title:
            return Kind.ECONOMIC
        if ("拨款" in title and "支出" in title) or (
            re.search("一般公共预算|政府性基金|国有资本经营", title) and title.endswith("支出表")
        ):
            return Kind.FISCAL_FUNCTION
        if title.endswith("支出表") and not re.search("项目支出|采购|明细", title):
            return Kind.EXPENDITURE  # 部门支出预算表
        return None

    # ----------------------------------------------------------------- headers
    def split_header(self, unit: Unit) -> tuple[list[Row], list[Row]]:
        """Header rows and data rows: data starts at the first row holding a figure.

        Blank rows, notes written across the table (``本部门无此项支出``, ``注：…``), and the header, title or
        unit rows a table repeats after a page break are neither.
        """
        header: list[Row] = []
        data: list[Row] = []
        header_keys: set[tuple[str, ...]] = set()
        header_firsts: set[str] = set()  # the first words of the header rows, to pass over most rows cheaply
        for row in unit.rows:
            texts = [cell.strip() for cell in row.cells if cell.strip()]
            if not texts or (len(texts) == 1 and is_table_note(texts[0])):
                continue  # a blank row, or a note across the table
            first = clean(row.cells[0])
            if not data and (first == "栏次" or _is_column_numbers(row)):
                continue
            if data and (
                first == "栏次"
                or (first in header_firsts and _row_key(row) in header_keys)
                or _is_repeated_top(texts, unit)
            ):
                continue
            if data or any(_looks_numeric(cell) for cell in row.cells):
                data.append(row)
            else:
                header.append(row)
                header_keys.add(_row_key(row))
                header_firsts.add(first)
        return header, data

    @staticmethod
    def width(rows: Iterable[Row]) -> int:
        return max((sum(row.spans) if row.spans else len(row.cells) for row in rows), default=0)

    @staticmethod
    def expand(row: Row, width: int) -> list[str]:
        """A data row as ``width`` cells: merged cells repeat their text across the columns they cover."""
        if row.spans:
            cells = [text for text, span in zip(row.cells, row.spans, strict=True) for _ in range(span)]
        else:
            cells = list(row.cells)
            if len(cells) < width and cells:
                # A label merged across the left columns (e.g. 合计 over 编码 and 名称).
                cells = [cells[0]] * (width - len(cells)) + cells
        return cells + [""] * (width - len(cells))

    def labels(self, header: list[Row], width: int, *, as_written: bool = False) -> list[tuple[str, ...]]:
        """Each column's header path, top to bottom (e.g. ``('本年收入', '小计')``); cleaned for matching,
        or ``as_written`` (only stripped) where a header text is kept."""
        if not header:
            return [()] * width
        grid: list[list[str]] = []
        below: list[str] | None = None  # the row below, spread over the grid columns
        below_cells: list[str] = []  # the row below as written: a merged cell once
        below_owner: list[int] = []  # grid column → the cell of the row below covering it (-1: none)
        for row in reversed(header):
            cells = [c.strip() if as_written else clean(c) for c in row.cells]
            owner: list[int] | None = None
            if row.spans:
                owner = [i for i, s in enumerate(row.spans) for _ in range(s)]
            elif len(cells) == width or below is None:
                owner = list(range(len(cells)))
            else:
                # A text extraction collapses merges: each cell of this row stands over a group of the
                # row's cells below (which may themselves stand over several columns, in a third row).
                groups = _cell_groups(below_cells, len(cells))
                if groups is not None:
                    parent = {member: number for number, group in enumerate(groups) for member in group}
                    owner = [parent.get(cell, -1) for cell in below_owner]
            if owner is None:
                expanded = _align_parent(cells, below or [])
                owner = list(range(width))
                cells = (expanded + [""] * width)[:width]
            owner = (owner + [-1] * width)[:width]
            expanded = [cells[o] if 0 <= o < len(cells) else "" for o in owner]
            grid.insert(0, expanded)
            below, below_cells, below_owner = expanded, cells, owner
        return [tuple(dict.fromkeys(r[c] for r in grid if r[c])) for c in range(width)]

    # ----------------------------------------------------------------- run
    def run(self) -> Interpretation:
        units = self.units()
        for unit in units:
            kind = self.classify(unit)
            if kind is None:
                if unit.rows:
                    label = f"「{unit.title}」" if unit.title else "无标题表格"
                    self.notes.append(Note(unit.table.place, f"未识别的表格{label}，已跳过"))
                continue
            if unit.unit_text:
                self.units_seen[normalise_unit(unit.unit_text)] += 1
            handler = getattr(self, f"read_{kind.name.lower()}")
            handler(unit)
            self.tables_read[kind.value] += 1
        goals = self.narrative_goals()
        if not self.tables_read:
            raise ImportFailure(f"{self.source}：没有找到可识别的预算表或绩效目标表")
        self._department_from_paragraphs()
        if self.code is None and self.supervisor is not None:
            self._set_department(*self.supervisor)
        if self.code is None or self.name is None:
            raise ImportFailure(
                f"{self.source}：找不到部门编码和名称（应在表头写作“731张家口市科学技术协会”或“编制部门：…”）"
            )
        if self.year is None:
            raise ImportFailure(f"{self.source}：找不到预算年度（应在表头写作“预算年度：2022”）")
        money_unit = self.units_seen.most_common(1)[0][0] if self.units_seen else DEFAULT_UNIT
        framework = self._framework()
        self._apply_procurement_amounts()
        self._infer_amounts(framework)
        department = Department(
            code=self.code,
            name=self.name,
            year=self.year,
            money_unit=money_unit,
            framework=framework,
            goals=goals,
            org_units=self.org_units,
            function_total=self.function_total,
            budget_lines=list(self.lines.values()),
            economic_lines=self.economic,
            summary_rows=self.summary,
            three_public=self.three_public,
            procurement=self.procurement,
            procurement_total=self.procurement_total,
            projects=self.projects,
        )
        return Interpretation(department, self.notes, self.tables_read)

    def _framework(self) -> str:
        cost_first = get_framework("mof-2021").canonical_level1("成本指标")
        if cost_first in self.level1_seen:
            return "mof-2021"
        return DEFAULT_FRAMEWORK

    def _department_from_paragraphs(self) -> None:
        if self.code is not None and self.year is not None:
            return
        for block in self.document.blocks:
            if isinstance(block, Paragraph):
                self._department_from(block.text)
                if self.year is None:
                    match = re.search(r"(\d{4})\s*年(?:度)?部门预算", block.text)
                    if match:
                        self.year = int(match.group(1))

    def table_unit(self, unit: Unit) -> str:
        if unit.unit_text:
            return normalise_unit(unit.unit_text)
        unit_word = self.units_seen.most_common(1)[0][0] if self.units_seen else DEFAULT_UNIT
        self.note(unit, "", f"表中未写金额单位，按“{unit_word}”读取，请核对")
        return unit_word

    # ----------------------------------------------------------------- function tables
    def _function_rows(
        self, unit: Unit
    ) -> tuple[list[tuple[int, tuple[str, ...]]], list[tuple[Row, list[str], str, str]]]:
        """The amount columns with their header paths, and each data row with its code and name (code ``""``
        for the 合计 row).

        The code is read from a 科目编码 column, from 类 | 款 | 项 columns (a row may print only its own
        part), or from one cell holding code and name (``2060702 科普活动``, under 功能分类科目).
        """
        header, data = self.split_header(unit)
        width = self.width(header + data)
        labels = self.labels(header, width)
        code_col = _find(labels, lambda path: any("编码" in p or p in ("科目代码", "代码") for p in path))
        name_col = _find(labels, lambda path: any("名称" in p for p in path))
        if name_col is None:  # the names under 项目 or 功能分类科目 (which may hold the codes too)
            name_col = next(
                (i for i, path in enumerate(labels) if i != code_col and path and (path[-1] == "项目" or "科目" in path[-1])),
                None,
            )
        if name_col == code_col:
            name_col = None  # 科目编码及名称: one column holds both
        split_cols = [
            col for col in (_find(labels, lambda path, w=w: path[-1:] == (w,)) for w in ("类", "款", "项"))
            if col is not None
        ]
        label_cols = {col for col in (code_col, name_col, *split_cols) if col is not None}
        columns = [(index, path) for index, path in amount_columns(labels) if index not in label_cols]
        result = []
        parents = ["", ""]  # the 类 and 款 of the rows above, for layouts that print only the new part
        for row in data:
            cells = self.expand(row, width)
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
            if clean(name) in _TOTAL_WORDS or code in _TOTAL_WORDS:
                result.append((row, cells, "", clean(name) or code))
            elif _CODE.match(code):
                result.append((row, cells, code, name))
            elif any(_looks_numeric(c) for i, c in enumerate(cells) if i not in (*label_cols, 0)):
                self.note(unit, row.place, f"科目编码“{code}”无法识别，该行未导入")
        return columns, result

    def _line(self, code: str, name: str, unit_word: str) -> LineAmounts:
        if not code:
            if self.function_total is None:
                self.function_total = LineAmounts(unit=unit_word)
            return self.function_total
        line = self.lines.get(code)
        if line is None:
            line = BudgetLine(code=code, name=name, unit=unit_word)
            self.lines[code] = line
        return line

    def _in_line_unit(self, line: LineAmounts, amount: Decimal | None, unit_word: str) -> Decimal | None:
        """An amount from a table in ``unit_word``, in the unit the line was first written in."""
        if amount is None or unit_word == line.unit:
            return amount
        return from_wan(to_wan(amount, unit_word), line.unit)

    def _figures(self, unit: Unit, row: Row, cells: list[str], columns: list[Column]) -> list[tuple[Column, Decimal | None]]:
        return [(column, self.amount(unit, row, "/".join(column.path), cells[column.index])) for column in columns]

    def _note_unkept(self, unit: Unit, columns: list[Column], parts: tuple[Part, ...], whole: dict[Part, str]) -> None:
        """Say which detail columns (人员经费 | 公用经费 under 基本支出 …) have no field of their own."""
        for part in parts:
            names = [column.name for column in columns if column.part is part]
            if names:
                listed = "、".join(f"「{name}」" for name in names)
                self.note(unit, "", f"{listed}列是{whole[part]}的明细，没有对应的字段，未单独导入")

    def read_expenditure(self, unit: Unit) -> None:
        unit_word = self.table_unit(unit)
        for line, figures, others in self._expense_rows(unit, unit_word):
            _set_expense(line, figures)
            line.other_expenses.update(others)

    def _expense_rows(
        self, unit: Unit, unit_word: str
    ) -> Iterator[tuple[LineAmounts, dict[Part, Decimal | None], dict[str, Decimal]]]:
        """Each function line of an expense table with the 合计/基本支出/项目支出 the table has, and its other
        figured columns.

        基本支出 or 项目支出 printed only as parts (人员经费, 公用经费 …, without a 小计 column) is what the
        parts add up to; the parts themselves have no field and are named in a note.
        """
        found, rows = self._function_rows(unit)
        columns = [Column(index, path, expense_part(path)) for index, path in found]
        present = {column.part for column in columns}
        self._note_unkept(unit, columns, (Part.BASIC_PART, Part.PROJECT_PART), _WHOLE)
        wholes = {Part.BASIC_PART: Part.BASIC, Part.PROJECT_PART: Part.PROJECT}
        for row, cells, code, name in rows:
            line = self._line(code, name, unit_word)
            figures: dict[Part, Decimal | None] = {}
            details: dict[Part, list[Decimal | None]] = {Part.BASIC_PART: [], Part.PROJECT_PART: []}
            others: dict[str, Decimal] = {}
            for column, amount in self._figures(unit, row, cells, columns):
                value = self._in_line_unit(line, amount, unit_word)
                if column.part in (Part.TOTAL, Part.BASIC, Part.PROJECT):
                    figures[column.part] = value
                elif column.part in details:
                    details[column.part].append(value)
                elif value is not None:
                    others[column.name] = value
            for part, whole in wholes.items():
                if whole not in present and part in present:
                    figures[whole] = _sum(details[part])
            yield line, figures, others
            if Part.PROJECT not in present and Part.PROJECT_PART in present:
                line.project = _sum(details[Part.PROJECT_PART])

    def read_income(self, unit: Unit) -> None:
        unit_word = self.table_unit(unit)
        found, rows = self._function_rows(unit)
        columns = [Column(index, path, income_part(path)) for index, path in found]
        present = {column.part for column in columns}
        self._note_unkept(unit, columns, (Part.CARRYOVER_PART,), _WHOLE)
        for row, cells, code, name in rows:
            line = self._line(code, name, unit_word)
            sources: list[Decimal | None] = []
            carried: list[Decimal | None] = []
            for column, amount in self._figures(unit, row, cells, columns):
                value = self._in_line_unit(line, amount, unit_word)
                if column.part is Part.CARRYOVER:
                    line.carryover = value
                elif column.part is Part.CARRYOVER_PART:
                    carried.append(value)
                elif column.part is Part.INCOME_TOTAL:
                    line.income_total = value
                elif column.part is Part.INCOME_CURRENT:
                    line.income_current = value
                elif column.part is Part.SOURCE:
                    sources.append(value)
                    if value is not None:
                        line.income_sources[column.name] = value
            # A table listing the sources without a 本年收入 (小计) column: this year's income is their sum.
            if Part.INCOME_CURRENT not in present and Part.SOURCE in present:
                line.income_current = _sum(sources)
            if Part.CARRYOVER not in present and Part.CARRYOVER_PART in present:
                line.carryover = _sum(carried)

    def read_fiscal_function(self, unit: Unit) -> None:
        unit_word = self.table_unit(unit)
        title = clean(unit.title)
        if "一般公共" in title:
            nature = "一般公共预算"
        elif "基金" in title:
            nature = "政府性基金预算"
        elif "国有资本" in title:
            nature = "国有资本经营预算"
        else:
            nature = "财政拨款"
        for line, figures, _ in self._expense_rows(unit, unit_word):
            _set_expense(line.fiscal.setdefault(nature, FiscalSplit()), figures)

    def read_economic(self, unit: Unit) -> None:
        unit_word = self.table_unit(unit)
        found, rows = self._function_rows(unit)
        columns = [Column(index, path, Part.FIGURE) for index, path in found]
        for row, cells, code, name in rows:
            if len(code) not in (0, 3, 5):
                self.note(unit, row.place, f"经济分类科目编码“{code}”应为 3 位（类）或 5 位（款），该行未导入")
                continue
            line = EconomicLine(code=code, name=name, unit=unit_word)
            for column, value in self._figures(unit, row, cells, columns):
                if column.name in _TOTAL_WORDS:
                    line.total = value
                elif "人员" in column.name:
                    line.personnel = value
                elif "公用" in column.name:
                    line.public = value
            self.economic.append(line)

    # ----------------------------------------------------------------- summary tables
    def _summary(self, unit: Unit, table: SummaryTable) -> None:
        unit_word = self.table_unit(unit)
        header, data = self.split_header(unit)
        # A stacked table's first side heading (收入) comes before any figure: it is a row, not the header.
        while header and _side_row(header[-1]) is not None:
            data.insert(0, header.pop())
        width = self.width(header + data)
        labels = self.labels(header, width)
        starts = [i for i, path in enumerate(labels) if path and path[-1] in SUMMARY_ITEM_WORDS]
        if not starts:
            raise self.fail(unit, "表头", "找不到“收入”和“支出”两侧的“项目”列")
        if len(starts) == 1:
            self._stacked_summary(unit, table, unit_word, data, labels, starts[0])
            return
        position_col = _find(labels, lambda path: bool(path) and path[-1] == "序号")
        sides: list[tuple[str, int, list[int]]] = []
        for n, start in enumerate(starts):
            end = starts[n + 1] if n + 1 < len(starts) else width
            path = labels[start]
            named = [word for word in ("支出", "收入") if any(word in p for p in path)]
            side = named[0] if named else ("收入" if n == 0 else "支出")
            sides.append((side, start, list(range(start + 1, end))))
        for number, row in enumerate(data, start=1):
            cells = self.expand(row, width)
            position = _position(cells, position_col, number)
            for side, start, amount_cols in sides:
                item = cells[start].strip()
                amounts = self._summary_amounts(unit, row, cells, labels, amount_cols)
                if item or amounts:
                    self.summary.append(
                        SummaryRow(table=table, side=side, position=position, item=item, unit=unit_word, amounts=amounts)
                    )

    def _summary_amounts(
        self, unit: Unit, row: Row, cells: list[str], labels: list[tuple[str, ...]], columns: list[int]
    ) -> dict[str, Decimal]:
        amounts: dict[str, Decimal] = {}
        for col in columns:
            value = self.amount(unit, row, "/".join(labels[col]), cells[col])
            if value is not None:
                amounts[labels[col][-1] if labels[col] else f"第{col + 1}列"] = value
        return amounts

    def _stacked_summary(
        self, unit: Unit, table: SummaryTable, unit_word: str, data: list[Row], labels: list[tuple[str, ...]], item_col: int
    ) -> None:
        """A 收支总表 with 收入 above 支出 in the same columns: the side is named by a heading row (收入 / 二、支出)
        or by a column beside the items (a cell merged down each side)."""
        width = len(labels)
        position_col = _find(labels, lambda path: bool(path) and path[-1] == "序号")
        label_cols = [col for col in range(item_col) if col != position_col]
        amount_cols = list(range(item_col + 1, width))
        side: str | None = None
        for number, row in enumerate(data, start=1):
            cells = self.expand(row, width)
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
            amounts = self._summary_amounts(unit, row, cells, labels, amount_cols)
            if item or amounts:
                position = _position(cells, position_col, number)
                self.summary.append(
                    SummaryRow(table=table, side=side, position=position, item=item, unit=unit_word, amounts=amounts)
                )

    def read_budget_summary(self, unit: Unit) -> None:
        self._summary(unit, SummaryTable.BUDGET)

    def read_fiscal_summary(self, unit: Unit) -> None:
        self._summary(unit, SummaryTable.FISCAL)

    # ----------------------------------------------------------------- 三公, procurement, units
    def read_three_public(self, unit: Unit) -> None:
        unit_word = self.table_unit(unit)
        header, data = self.split_header(unit)
        width = self.width(header + data)
        labels = self.labels(header, width)
        position_col = _find(labels, lambda path: bool(path) and path[-1] == "序号")
        item_col = _find(labels, lambda path: bool(path) and path[-1] in ("项目", "科目", "项目名称"))
        across = self._three_public_columns(labels, self.labels(header, width, as_written=True))
        if across:
            self._three_public_across(unit, unit_word, data, labels, across, item_col)
            return
        if item_col is None:
            if not data:
                return  # an empty table (本部门无“三公”经费): nothing to place
            raise self.fail(unit, "表头", "找不到“项目”列")
        columns = [(i, path) for i, path in enumerate(labels) if i not in (position_col, item_col)]
        for number, row in enumerate(data, start=1):
            cells = self.expand(row, width)
            item = cells[item_col].strip()
            if not item:
                continue
            position = _position(cells, position_col, number)
            entry = ThreePublicRow(position=position, item=item, category=_three_public_category(item), unit=unit_word)
            for index, path in columns:
                value = self.amount(unit, row, "/".join(path), cells[index])
                leaf = path[-1] if path else f"第{index + 1}列"
                if leaf in _TOTAL_WORDS:
                    entry.total = value
                elif value is not None:
                    entry.amounts[leaf] = value
            self.three_public.append(entry)

    def _three_public_columns(
        self, labels: list[tuple[str, ...]], written: list[tuple[str, ...]]
    ) -> list[tuple[int, str, str]]:
        """The columns of a 三公 table laid out across (合计 | 因公出国（境）费 | 公务用车… | 公务接待费), each
        with its category and its label as written; none when the categories are rows.  Columns of another
        year are left out."""
        columns: list[tuple[int, str, str]] = []
        for index, path in enumerate(labels):
            if not path:
                continue
            if any("上年" in part or (self.year is not None and _other_year(part, self.year)) for part in path):
                continue
            own = len(path) > 1 and path[-1] in ("小计", *_TOTAL_WORDS) and "三公" not in path[-2]
            category = _three_public_category(path[-2] if own else path[-1])
            if category != "other":
                shown = written[index] if len(written[index]) == len(path) else path
                columns.append((index, category, shown[-2] if own else shown[-1]))
        kinds = {category for _, category, _ in columns}
        return columns if len(kinds & {"abroad", "vehicle", "vehicle_purchase", "vehicle_operation", "reception"}) >= 2 else []

    def _three_public_across(
        self,
        unit: Unit,
        unit_word: str,
        data: list[Row],
        labels: list[tuple[str, ...]],
        columns: list[tuple[int, str, str]],
        item_col: int | None,
    ) -> None:
        """One row of figures (this year's budget) under the categories: each category becomes a row."""
        width = len(labels)
        rows = [(row, self.expand(row, width)) for row in data]
        if item_col is not None:
            # Beside this year's row there may be last year's, or the change: 上年预算数, 增减.
            this_year = [
                (row, cells) for row, cells in rows
                if not re.search(r"上年|增减|增长|减少|变动|比上|差额|增幅", clean(cells[item_col]))
                and not (self.year is not None and _other_year(clean(cells[item_col]), self.year))
            ]
            rows = this_year or rows
        if not rows:
            return
        row, cells = rows[0]
        for position, (index, category, label) in enumerate(columns, start=1):
            total = self.amount(unit, row, "/".join(labels[index]), cells[index])
            self.three_public.append(
                ThreePublicRow(position=position, item=label, category=category, unit=unit_word, total=total)
            )

    def read_procurement(self, unit: Unit) -> None:
        unit_word = self.table_unit(unit)
        header, data = self.split_header(unit)
        width = self.width(header + data)
        labels = self.labels(header, width)

        def column(*words: str) -> int | None:
            return _find(labels, lambda path: bool(path) and any(w in path[-1] for w in words))

        project_col = column("项目名称")
        budget_col = column("预算资金", "项目预算")
        item_col = column("物品名称", "品目名称", "采购项目", "采购品目", "采购物品")
        code_col = column("目录序号", "目录编码", "目录代码", "品目编码")
        measure_col = column("计量单位")
        quantity_col = column("数量")
        price_col = column("单价")
        sme_col = column("中小", "小微")
        money_parent = next(
            (i for i, path in enumerate(labels) if len(path) > 1 and "采购金额" in path[0]), None
        )
        amount_col = _find(
            labels, lambda path: bool(path) and ("采购金额" in path[-1] or (len(path) > 1 and "采购金额" in path[0] and path[-1] in _TOTAL_WORDS))
        )
        known = {project_col, budget_col, item_col, code_col, measure_col, quantity_col, price_col, sme_col, amount_col}
        funding_cols = [
            i for i, path in enumerate(labels) if i not in known and money_parent is not None and len(path) > 1 and "采购金额" in path[0]
        ]
        if item_col is None or amount_col is None:
            raise self.fail(unit, "表头", "找不到“采购物品名称”或“政府采购金额”列")
        for row in data:
            cells = self.expand(row, width)

            def text(col: int | None, cells: list[str] = cells) -> str:
                return cells[col].strip() if col is not None else ""

            def money(col: int | None, cells: list[str] = cells, row: Row = row) -> Decimal | None:
                return self.amount(unit, row, "/".join(labels[col]), cells[col]) if col is not None else None

            label = clean(text(project_col) or text(item_col) or cells[0])
            if not text(item_col) and (label.endswith(_TOTAL_WORDS) or label.endswith("小计")):
                if label.endswith(_TOTAL_WORDS):
                    self.procurement_total = money(amount_col)
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
                    item.funding[labels[col][-1]] = value
            self.procurement.append(item)

    def read_org_units(self, unit: Unit) -> None:
        rows = [row for row in unit.rows if not row.is_blank]
        start = next((i for i, row in enumerate(rows) if any("名称" in clean(c) for c in row.cells)), 0)
        header, data = rows[start : start + 1], rows[start + 1 :]
        width = self.width(header + data)
        labels = self.labels(header, width)

        def column(*words: str) -> int | None:
            return _find(labels, lambda path: bool(path) and any(w in path[-1] for w in words))

        name_col = column("单位名称", "机构名称", "名称")
        nature_col = column("性质")
        rank_col = column("规格", "级别")
        funding_col = column("经费", "保障")
        if name_col is None:
            raise self.fail(unit, "表头", "找不到“单位名称”列")
        for row in data:
            cells = self.expand(row, width)

            def text(col: int | None, cells: list[str] = cells) -> str:
                return cells[col].strip() if col is not None else ""

            if text(name_col):
                self.org_units.append(
                    OrgUnit(name=text(name_col), nature=text(nature_col), rank=text(rank_col), funding=text(funding_col))
                )

    # ----------------------------------------------------------------- goal tables
    def read_department_goal(self, unit: Unit) -> None:
        self.note(unit, unit.table.place, "部门整体绩效目标表暂不导入（整体目标取自说明文字）")

    def read_goal(self, unit: Unit) -> None:
        """The goal tables of one table: usually one project, but some layouts run several together."""
        for number, (title, rows) in enumerate(_goal_segments(unit.rows)):
            if number and not any("一级指标" in {clean(c) for c in row.cells} for row in rows):
                for row in rows:  # something after the last project's indicators, such as a repeated title
                    if not row.is_blank:
                        self.note(unit, row.place, f"未能识别的行“{'、'.join(_texts(row))[:40]}”，未导入")
                continue
            self._read_goal_table(unit, rows, unit.title if number == 0 else title)

    def _read_goal_table(self, unit: Unit, rows: list[Row], title: str) -> None:
        header_index = next((i for i, row in enumerate(rows) if "一级指标" in {clean(c) for c in row.cells}), None)
        if header_index is None:
            raise self.fail(unit, unit.table.place, "找不到“一级指标”表头行")
        preamble = [row for row in rows[:header_index] if not row.is_blank]
        header_rows = [rows[header_index]]
        if preamble and is_goal_header_row(list(preamble[-1].cells)):
            header_rows.insert(0, preamble.pop())  # the header's upper row (绩效指标 | 指标值 over 年度/实施期)
        rest = rows[header_index + 1 :]
        if rest and _is_goal_subheader(rest[0]):
            header_rows.append(rest.pop(0))
        name = _project_name(title)
        project = Project(name=name or "未命名项目", goal=GoalTable())
        self._goal_preamble(unit, preamble, project)
        if not name and project.name == "未命名项目":
            self.note(unit, unit.table.place, "绩效目标表没有标题，也没有“项目名称”行，暂名为“未命名项目”")
        layout = self._goal_layout(unit, header_rows, rest)
        repeated = {_row_key(row) for row in header_rows}
        previous: dict[str, str] = {}
        for row in rest:
            if row.is_blank or _row_key(row) in repeated:
                continue  # a spacer row, or the header repeated where the table crossed a page
            if len(row.cells) == 1 and layout.width > 2:
                only = row.cells[0].strip()
                if not is_continuation(only):
                    # One cell across the table: a note (备注, 说明) below the indicators, not an indicator.
                    self.note(unit, row.place, f"未能识别的行“{only[:40]}”，未导入")
                continue
            text = self._goal_row(unit, row, layout)
            values = text.values
            # A blank 一级/二级 repeats the row above (a merged cell); a new 一级 starts a new group, so a
            # blank 二级 under it stays blank rather than borrowing the previous group's.
            if not values.get("level1"):
                values["level1"] = previous.get("level1", "")
                if not values.get("level2"):
                    values["level2"] = previous.get("level2", "")
            previous = {"level1": values.get("level1", ""), "level2": values.get("level2", "")}
            indicator = Indicator(
                level1=values.get("level1", ""),
                level2=values.get("level2", ""),
                level3=values.get("level3", ""),
                description=values.get("description", ""),
                value=values.get("value", ""),
                basis=values.get("basis", ""),
                mid_term_value=values.get("mid_term_value") or None,
                unit=values.get("unit") or None,
                method=values.get("method") or None,
            )
            if values.get("weight"):
                indicator.weight = self._weight(unit, row, values["weight"])
            self._qualify(unit, row, indicator, text)
            project.goal.indicators.append(indicator)
            if indicator.level1:
                self.level1_seen.add(clean(indicator.level1))
        self._cost_figures_in_table_unit(unit, project)
        if project.name in self.project_places:
            original = project.name
            suffix = 2
            while f"{original}（{suffix}）" in self.project_places:
                suffix += 1
            project.name = f"{original}（{suffix}）"
            self.note(unit, unit.title_place, f"项目名称与{self.project_places[original]}的项目重复，改名为“{project.name}”")
        self.project_places[project.name] = unit.title_place
        self.projects.append(project)

    # The indicator part ------------------------------------------------------------------
    def _goal_layout(self, unit: Unit, header_rows: list[Row], rest: list[Row]) -> _GoalLayout:
        """Which columns fill which field: by header words; a header cell over several columns is one field."""
        width = self.width(header_rows)
        header_width = width
        labels = self.labels(header_rows, width)
        if not any(row.spans for row in header_rows):
            # A text extraction shows a 指标值 header merged over its ≥ | 95 | % cells once: the data rows
            # are then wider than the header, and only the value column can account for it.
            header_keys = {_row_key(row) for row in header_rows}
            widths = {len(r.cells) for r in rest if not r.is_blank and len(r.cells) > 1 and _row_key(r) not in header_keys}
            fields_present = {goal_field(path) for path in labels}
            value_columns = [i for i, path in enumerate(labels) if goal_field(path) == "value"]
            if (
                len(widths) == 1
                and 0 < (extra := next(iter(widths)) - width) <= 2
                and len(value_columns) == 1
                and not {"nature", "unit"} & fields_present
            ):
                column = value_columns[0]
                labels = labels[:column] + [labels[column]] * (extra + 1) + labels[column + 1 :]
                width += extra
        fields = self._goal_fields(unit, header_rows[-1], labels)
        groups: list[tuple[str, list[int]]] = []
        for index, field_name in enumerate(fields):
            if groups and index and labels[index] == labels[index - 1] and groups[-1][0] == field_name:
                groups[-1][1].append(index)  # one header cell merged over several columns
            else:
                groups.append((field_name, [index]))
        seen = [f for f, _ in groups if f not in IGNORED_FIELDS and f not in JOINED_FIELDS]
        duplicated = {f for f in seen if seen.count(f) > 1}
        if duplicated:
            names = "、".join("/".join(labels[cols[0]]) for f, cols in groups if f in duplicated)
            side_by_side = "level3" in duplicated and "level1" not in duplicated
            hint = "；实施期（中期）指标与年度指标左右并列的表格暂不支持，请只保留年度指标的列再导入" if side_by_side else ""
            raise self.fail(unit, header_rows[-1].place, f"有重复的列：{names}{hint}")
        unmodelled = [labels[cols[0]][-1] for f, cols in groups if f == "_unmodelled"]
        if unmodelled:
            listed = "、".join(f"「{label}」" for label in unmodelled)
            self.note(unit, header_rows[-1].place, f"{listed}列没有对应的字段，未导入")
        return _GoalLayout(width, header_width, groups)

    def _goal_fields(self, unit: Unit, header: Row, labels: list[tuple[str, ...]]) -> list[str]:
        fields: list[str] = []
        for index, path in enumerate(labels):
            field_name = goal_field(path)
            if field_name is None:
                label = "/".join(path) or f"第 {index + 1} 列（无表头）"
                raise self.fail(
                    unit, header.place, f"多出无法识别的列“{label}”；绩效目标表应有一级指标、二级指标、三级指标、"
                    "绩效指标描述、指标值、指标值确定依据等列"
                )
            fields.append(field_name)
        for required, label in (("level1", "一级指标"), ("level2", "二级指标"), ("level3", "三级指标"), ("value", "指标值")):
            if required not in fields:
                raise self.fail(unit, header.place, f"缺少“{label}”列")
        return fields

    def _goal_row(self, unit: Unit, row: Row, layout: _GoalLayout) -> _RowText:
        """One indicator row's text by field; a value written over several cells is read as one."""
        row_width = sum(row.spans) if row.spans else len(row.cells)
        if row_width != layout.width:
            raise self._width_error(unit, row, row_width, layout.header_width)
        cells = _expand_with_sources(row, layout.width)
        text = _RowText()
        for field_name, columns in layout.groups:
            if field_name in IGNORED_FIELDS:
                continue
            sources = dict.fromkeys(cells[column][1] for column in columns)  # a merged cell counts once
            parts = [row.cells[source].strip() for source in sources]
            split = split_value_parts(parts) if len(parts) > 1 and field_name in _VALUE_FIELDS else None
            if split is not None:
                text.values[field_name] = split[1]
                text.qualifiers[field_name] = split[0]
                if split[2]:
                    text.units[field_name] = split[2]
            elif len(parts) > 1 and field_name in _VALUE_FIELDS and layout.width != layout.header_width:
                raise self._width_error(unit, row, row_width, layout.header_width)  # the widening guessed wrong
            elif field_name in JOINED_FIELDS:
                # 计算方法 beside 评分标准: one field, each column's text kept in column order.
                joined = [p for p in (text.values.get(field_name, ""), "".join(parts)) if p]
                text.values[field_name] = JOINER.join(joined)
            else:
                text.values[field_name] = "".join(parts)
        return text

    def _width_error(self, unit: Unit, row: Row, row_width: int, header_width: int) -> ImportFailure:
        what = "缺列" if row_width < header_width else "多列"
        return self.fail(
            unit, row.place, f"这一行有 {row_width} 列，表头有 {header_width} 列（{what}），请按表头补齐后再导入"
        )

    def _qualify(self, unit: Unit, row: Row, indicator: Indicator, text: _RowText) -> None:
        """Fold 指标性质 / 指标方向 / split-value cells into the row: comparators stay with the value as written,
        定性/定量 says nothing to keep, 正向/反向 is the direction."""
        indicator.unit = text.values.get("unit") or text.units.get("value") or None
        mid_unit = text.units.get("mid_term_value")
        if indicator.mid_term_value is not None and mid_unit and mid_unit != indicator.unit:
            indicator.mid_term_value += mid_unit
        nature = text.values.get("nature", "").strip()
        nature = "" if is_placeholder(nature) else nature
        shared: list[str] = []  # the 指标性质 column's comparator: it applies to both values of the row
        if qualifier(nature) is Qualifier.DIRECTION:
            indicator.direction = direction(nature)
        elif qualifier(nature) is Qualifier.COMPARATOR or (nature and qualifier(nature) is None):
            shared.append(nature)  # an unknown 指标性质 stays with the value rather than being dropped
        for field_name in _VALUE_FIELDS:
            own = text.qualifiers.get(field_name, [])
            for part in own:
                if qualifier(part) is Qualifier.DIRECTION:
                    indicator.direction = indicator.direction or direction(part)
            comparators = shared + [part for part in own if qualifier(part) is Qualifier.COMPARATOR]
            current = getattr(indicator, field_name)
            if comparators and current is not None:
                setattr(indicator, field_name, "".join(comparators) + current)
        stated = text.values.get("direction", "").strip()
        if stated:
            read = direction(stated)
            if read is not None:
                indicator.direction = read
            elif qualifier(stated) is Qualifier.COMPARATOR and not shared:
                indicator.value = stated + indicator.value  # a comparator typed under 指标方向
            elif qualifier(stated) is not Qualifier.KIND and not is_placeholder(stated):
                self.note(unit, row.place, f"指标方向“{stated}”无法识别，未导入该字段")

    # The project block above the indicators -----------------------------------------------
    def _goal_preamble(self, unit: Unit, rows: list[Row], project: Project) -> None:
        """项目名称, 主管部门, 项目资金 and 总体目标 rows: label cells followed by their values, or a row of
        labels (实施期目标 | 年度目标) with the values in the row below."""
        goals: dict[Period, list[str]] = {period: [] for period in Period}
        amounts: list[tuple[Label, str, Row, str]] = []
        columns: dict[int, Label] = {}
        group = ""  # a 项目资金（万元） label beside the amount rows: it may carry their unit
        last_goal: Period | None = None
        awaiting = False  # the row above was a goal label alone (绩效目标 across the table): this row is its text
        for row in rows:
            cells = _preamble_cells(row)
            if not cells:
                continue
            labels = preamble_labels([text for _, text in cells])
            specific = {
                start: label
                for (start, _), label in zip(cells, labels, strict=True)
                if label is not None and label.kind in (LabelKind.GOAL, LabelKind.AMOUNT) and label.period is not Period.ANY
            }
            if all(labels) and specific:
                columns = specific
                group = next(
                    (lb.text for lb in labels if lb and lb.kind is LabelKind.AMOUNT and lb.period is Period.ANY), group
                )
                continue
            unlabelled = [(start, text) for (start, text), label in zip(cells, labels, strict=True) if label is None]
            if columns and unlabelled:
                placed = self._under_columns(columns, row, cells, labels, unlabelled)
                if placed is not None:
                    for above, text in placed:
                        if above.kind is LabelKind.GOAL:
                            goals[above.period].append(text)
                            last_goal = above.period
                        else:
                            amounts.append((above, text, row, group))
                    continue
            columns = {}
            current: Label | None = None
            recognised = valued = False
            for (start, text), label in zip(cells, labels, strict=True):
                if label is not None:
                    if current is not None and current.kind is LabelKind.AMOUNT and label.kind is LabelKind.AMOUNT:
                        group = current.text  # 项目资金（万元） | 年度资金总额 | 100
                    current, recognised, valued = label, True, False
                    if label.kind is LabelKind.GOAL:
                        last_goal = label.period
                    continue
                valued = True
                if current is None:
                    if last_goal is not None and (awaiting or item_number(text) or start > 0):
                        goals[last_goal].append(text)  # a further item of the goal above, on its own row
                        recognised = True
                elif current.kind is LabelKind.NAME:
                    project.name = text
                    current = Label(LabelKind.INFO)  # a second value cell is not a second name
                elif current.kind is LabelKind.CODE:
                    project.code = text
                    current = Label(LabelKind.INFO)
                elif current.kind is LabelKind.SUPERVISOR:
                    if self.supervisor is None:
                        self.supervisor = department_of(text)
                elif current.kind is LabelKind.IMPLEMENTING_UNIT:
                    project.implementing_unit = text
                    current = Label(LabelKind.INFO)  # a second value cell is not a second unit
                elif current.kind is LabelKind.GOAL:
                    if text not in goals[current.period]:
                        goals[current.period].append(text)
                elif current.kind is LabelKind.AMOUNT:
                    amounts.append((current, text, row, group))
                    current = Label(LabelKind.INFO)
            awaiting = current is not None and current.kind is LabelKind.GOAL and not valued
            if not recognised:
                self.note(unit, row.place, f"未能识别的行“{'、'.join(t for _, t in cells)[:40]}”，未导入")
        self._goal_text(unit, project, goals)
        self._preamble_amount(unit, project, amounts)

    def _under_columns(
        self,
        columns: dict[int, Label],
        row: Row,
        cells: list[tuple[int, str]],
        labels: list[Label | None],
        unlabelled: list[tuple[int, str]],
    ) -> list[tuple[Label, str]] | None:
        """The values of a row below a row of labels, each with the label above it; ``None`` if they don't fit."""
        row_label = labels[0] if cells[0][0] not in columns else None
        if sum(label is not None for label in labels) > (row_label is not None):
            return None  # labels of its own: a row of another kind
        if any(label.kind is LabelKind.GOAL for label in columns.values()):
            if row_label is not None:
                return None
        elif row_label is None or row_label.kind not in (LabelKind.AMOUNT, LabelKind.AMOUNT_PART):
            return None
        elif row_label.kind is LabelKind.AMOUNT_PART:
            return []  # 其中：财政拨款 | 300 | 100: a part of the total, which is what is kept
        ordered = [columns[start] for start in sorted(columns)]
        if row.spans is not None and all(start in columns for start, _ in unlabelled):
            return [(columns[start], text) for start, text in unlabelled]
        texts = [text for _, text in unlabelled]
        if len(texts) == len(ordered):
            return list(zip(ordered, texts, strict=True))
        if all(label.kind is LabelKind.GOAL for label in ordered):
            # A text extraction gives each paragraph of a cell a line: items numbered from 1 begin a cell.
            chunks: list[list[str]] = []
            for text in texts:
                if not chunks or item_number(text) in ("1", "一"):
                    chunks.append([])
                chunks[-1].append(text)
            if len(chunks) == len(ordered):
                return [(label, text) for label, chunk in zip(ordered, chunks, strict=True) for text in chunk]
        return None

    def _goal_text(self, unit: Unit, project: Project, goals: dict[Period, list[str]]) -> None:
        this_year = goals[Period.ANY] + goals[Period.ANNUAL]
        mid_term = goals[Period.MID_TERM]
        if this_year:
            project.goal.goal_text = "\n".join(this_year)
            project.goal.mid_term_goal_text = "\n".join(mid_term)
        elif mid_term:
            project.goal.goal_text = "\n".join(mid_term)
            self.note(unit, "", f"项目“{project.name}”只有实施期目标，已作为绩效目标导入，请核对")

    def _preamble_amount(self, unit: Unit, project: Project, amounts: list[tuple[Label, str, Row, str]]) -> None:
        """The year's money: 年度资金总额 before an unqualified total; 实施期资金总额 is the whole period's."""
        usable = [entry for entry in amounts if entry[0].period is not Period.MID_TERM and _amount_text(entry[1])]
        usable.sort(key=lambda entry: entry[0].period is not Period.ANNUAL)
        if usable:
            label, text, row, group = usable[0]
            self._entered_amount(unit, row, project, clean(label.text) + clean(group), text)

    def _entered_amount(self, unit: Unit, row: Row, project: Project, label: str, text: str) -> None:
        cleaned = clean(text)
        unit_word = None
        for word in sorted(UNIT_IN_YUAN, key=len, reverse=True):
            if cleaned.endswith(word):
                unit_word, cleaned = word, cleaned[: -len(word)]
                break
        if unit_word is None:
            match = re.search(r"(百万元|千元|万元|亿元|元)", label)
            unit_word = match.group(1) if match else (unit.unit_text and normalise_unit(unit.unit_text))
        if unit_word is None:
            self.note(unit, row.place, f"项目资金“{text}”没有写单位，未采用")
            return
        project.budget_amount = self.amount(unit, row, label, cleaned)
        project.amount_unit = "万元" if unit_word == "万" else unit_word
        project.amount_source = AmountSource.ENTERED

    def _weight(self, unit: Unit, row: Row, text: str) -> Decimal | None:
        try:
            return parse_amount(text.strip().rstrip("%％分"))
        except AmountError:
            raise self.fail(unit, row.place, f"权重“{text}”无法读作数字") from None

    def _cost_figures_in_table_unit(self, unit: Unit, project: Project) -> None:
        """A bare figure in a cost row (``≤21.87``) is money in the unit the table states (单位：万元):
        record that unit in the row's 度量单位, so that every reader of the row reads the same amount."""
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

    def _infer_amounts(self, framework: str) -> None:
        """Each project the document gives no amount for gets its cost ceiling as an inferred amount
        (:func:`perfgoals.reading.ceiling.cost_ceiling`); whether it stands is decided once the projects
        are linked to budget lines (:func:`perfgoals.importers.reading.finish`)."""
        for project in self.projects:
            if project.budget_amount is not None:
                continue
            ceiling = cost_ceiling([read_row(indicator, framework) for indicator in project.goal.indicators])
            if ceiling is None:
                self.notes.append(Note(f"项目“{project.name}”", "成本指标中没有金额，项目金额未能确定"))
                continue
            project.budget_amount = ceiling.figure
            project.amount_unit = ceiling.unit
            project.amount_source = AmountSource.COST_INDICATOR

    def _apply_procurement_amounts(self) -> None:
        """The procurement table's 预算资金 for a project is the amount the disclosure gives for it, when
        its goal table states none: an inferred amount (the table names the project, not its budget)."""
        budgets: dict[str, tuple[Decimal, str]] = {}
        for item in self.procurement:
            if item.project_name and item.project_budget is not None:
                budgets.setdefault(clean(item.project_name), (item.project_budget, item.unit))
        for project in self.projects:
            found = budgets.get(clean(project.name))
            if found is not None and project.budget_amount is None:
                project.budget_amount, project.amount_unit = found
                project.amount_source = AmountSource.PROCUREMENT

    # ----------------------------------------------------------------- narrative
    def narrative_goals(self) -> DepartmentGoals:
        """部门整体绩效目标, 分项绩效目标 and 工作保障措施 from the narrative."""
        goals: dict[str, list[str]] = {"overall": [], "itemised": [], "safeguards": []}
        current: str | None = None
        inside = False
        for block in self.document.blocks:
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
            if re.search(r"绩效目标(?:申报)?表$", _NUMBERING.sub("", key)) or "项目绩效目标" in key or (
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


# --------------------------------------------------------------------- helpers
def _split_code(parts: list[str], parents: list[str]) -> str:
    """The code of a row of a 类 | 款 (| 项) layout, where a row may print only its own part (``07``).

    A column may also hold the full code of its level (``20607`` under 款), and the economic
    classification has only 类 and 款.
    """
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


_WHOLE = {Part.BASIC_PART: "基本支出", Part.PROJECT_PART: "项目支出", Part.CARRYOVER_PART: "上年结转"}


def _set_expense(target: LineAmounts | FiscalSplit, figures: dict[Part, Decimal | None]) -> None:
    """Set the 合计/基本支出/项目支出 an expense table has on a line (or its 财政拨款 split)."""
    if Part.TOTAL in figures:
        target.total = figures[Part.TOTAL]
    if Part.BASIC in figures:
        target.basic = figures[Part.BASIC]
    if Part.PROJECT in figures:
        target.project = figures[Part.PROJECT]


def _sum(amounts: list[Decimal | None]) -> Decimal | None:
    """The sum of the figures written; ``None`` when every one is blank (blank is not zero)."""
    written = [amount for amount in amounts if amount is not None]
    return sum(written, Decimal(0)) if written else None


def _side_row(row: Row) -> str | None:
    """The side a heading row of a stacked 收支总表 opens (``收入``, ``二、支出``), if it is one."""
    texts = {cell.strip() for cell in row.cells if cell.strip()}
    return side_word(next(iter(texts))) if len(texts) == 1 else None


def _is_repeated_top(texts: list[str], unit: Unit) -> bool:
    """Whether a row (its non-blank ``texts``) is a title, ``续表`` or unit row repeated inside a table where it
    went on to another page."""
    if not texts or len(texts) > 4:  # a title or unit line has at most department, year, unit and date
        return False
    if len(set(texts)) == 1 and (
        is_continuation(texts[0]) or clean(texts[0]) == clean(unit.title) or title_and_unit(texts[0]) is not None
    ):
        return True
    return any(
        _UNIT_FIELD.search(text) or _YEAR_FIELD.search(text) or _DEPT_FIELD.search(text) for text in texts
    ) and all(_is_meta_cell(text) for text in texts)


def _other_year(text: str, year: int) -> bool:
    """Whether a label names a year other than the budget year (``2023年预算数`` in a 2024 budget)."""
    return any(int(found) != year for found in re.findall(r"((?:19|20)\d\d)年", text))


def _position(cells: list[str], column: int | None, fallback: int) -> int:
    """The row's 序号 where the table has one, else its place among the data rows."""
    text = cells[column].strip() if column is not None else ""
    return int(text) if text.isdigit() and int(text) > 0 else fallback


def _looks_numeric(text: str) -> bool:
    text = text.strip()
    if not text:
        return False
    try:
        return parse_amount(text) is not None
    except AmountError:
        return False


def _is_title_row(texts: list[str]) -> bool:
    return len(set(texts)) == 1 and ("表" in texts[0] or "情况" in texts[0]) and len(texts[0]) > 4


def _split_at_titles(blocks: list[Block]) -> Iterator[Block]:
    """The blocks, with a table cut where a budget table's title row appears inside it.

    A text extraction cannot show where one Word table ends and the next begins when each carries its
    title in its first row: the tables run together, and only the title rows say where each starts.
    """
    for block in blocks:
        if not isinstance(block, Table):
            yield block
            continue
        start = 0
        for index, row in enumerate(block.rows):
            if index > start and _is_budget_title_row(row) and any(not r.is_blank for r in block.rows[start:index]):
                yield Table(block.rows[start:index], block.rows[start].place, block.number)
                start = index
        yield block if start == 0 else Table(block.rows[start:], block.rows[start].place, block.number)


def _is_budget_title_row(row: Row) -> bool:
    """A row holding only a budget table's title (``部门收支总表``, ``部门收支总表（单位：元）``)."""
    if not any("表" in cell or "情况" in cell for cell in row.cells):
        return False  # most rows: told apart without looking further
    texts = [cell.strip() for cell in row.cells if cell.strip()]
    if len(set(texts)) != 1 or not ("表" in texts[0] or "情况" in texts[0]) or "绩效" in texts[0]:
        return False
    if is_table_note(texts[0]) or is_continuation(texts[0]):
        return False
    return title_and_unit(texts[0]) is not None or _is_title_row(texts)


def _starts_anew(table: Table, previous: Unit) -> bool:
    """Whether a table right after another (no paragraph between) begins a table of its own.

    Without a title in between, a table continues the one before (a goal table's 绩效目标 part and
    its indicator part, or a table split across pages) unless it opens with a title, the meta line,
    or the goal part of another goal table.
    """
    first = next((row for row in table.rows if not row.is_blank), None)
    if first is None:
        return False
    texts = [c.strip() for c in first.cells if c.strip()]
    if _is_title_row(texts) and is_continuation(texts[0]):
        return False  # 部门预算支出总表（续）
    if all(_is_meta_cell(text) for text in texts):
        # The unit line printed again above the same header after a page break: the table goes on.
        return not _repeats_header(table, previous)
    if _is_title_row(texts):
        return True
    pair = split_label_value(texts[0])
    label = preamble_label(pair[0] if pair else texts[0])
    has_indicators = any("一级指标" in {clean(c) for c in row.cells} for row in previous.rows)
    opens_goal = label is not None and label.kind in (LabelKind.NAME, LabelKind.GOAL)
    return has_indicators and (opens_goal or bool(re.search(r"(绩效目标|项目名称)$", clean(texts[0]))))


def _repeats_header(table: Table, previous: Unit) -> bool:
    """Whether ``table``, after its unit line, opens with the first header row of ``previous``."""
    header = next((row for row in previous.rows if not row.is_blank), None)
    following = [row for row in table.rows if not row.is_blank and not all(_is_meta_cell(c) for c in row.cells)]
    return header is not None and bool(following) and _row_key(following[0]) == _row_key(header)


def _same_budget_title(paragraphs: list[Paragraph], previous: Unit) -> bool:
    """Whether the only text between two tables is the title of the one before, again (not a goal table's)."""
    if not previous.title or len(paragraphs) > 3:  # the title, and perhaps its unit and department lines
        return False
    texts = [
        titled[0] if (titled := title_and_unit(p.text)) is not None else p.text
        for p in paragraphs
        if title_and_unit(p.text) is not None or not _is_meta_cell(p.text)
    ]
    if len(texts) != 1 or not previous.title or clean(texts[0]) != clean(previous.title):
        return False
    return "绩效目标" not in clean(previous.title) and not any("一级指标" in _row_key(row) for row in previous.rows)


def _is_column_numbers(row: Row) -> bool:
    """The 栏次 row: 1, 2, 3 … (possibly with a label or blank first cell)."""
    texts = [clean(c) for c in row.cells]
    numbers = [t for t in texts if t]
    if len(numbers) < 3 or not all(t.isdigit() for t in numbers[1:]):
        return False
    values = [int(t) for t in numbers if t.isdigit()]
    return values == list(range(values[0], values[0] + len(values)))


def _cell_groups(children: list[str], count: int) -> list[list[int]] | None:
    """The cells of a header row grouped under the ``count`` cells of the row above, or ``None`` when the
    grouping of :func:`_header_groups` does not give that many."""
    groups = _header_groups(children)
    return groups if len(groups) == count else None


def _header_groups(children: list[str]) -> list[list[int]]:
    """The cells of a header row grouped by the cell above each: a blank child continues a cell above
    downwards (a group of its own); a run of labelled children sits under one cell above, a new one
    starting where the run's first label repeats."""
    groups: list[list[int]] = []
    run: list[int] = []
    for index, child in enumerate(children):
        if not child:
            if run:
                groups.append(run)
                run = []
            groups.append([index])
        else:
            if run and child == children[run[0]]:
                groups.append(run)
                run = []
            run.append(index)
    if run:
        groups.append(run)
    return groups


def _align_parent(parent: list[str], children: list[str]) -> list[str]:
    """Spread a header row whose merged cells were collapsed over the full-width row below it.

    The columns are grouped as :func:`_header_groups` groups cells.
    """
    groups = _header_groups(children)
    result = [""] * len(children)
    if len(groups) == len(parent):
        for label, group in zip(parent, groups, strict=True):
            for index in group:
                result[index] = label
        return result
    # Cannot tell which parent spans what: keep the blank columns at both ends, which are unambiguous.
    left = 0
    while left < len(children) and left < len(parent) and not children[left]:
        result[left] = parent[left]
        left += 1
    right = 1
    while right <= len(children) - left and right <= len(parent) - left and not children[-right]:
        result[-right] = parent[-right]
        right += 1
    return result


def _find(labels: list[tuple[str, ...]], predicate: object) -> int | None:
    for index, path in enumerate(labels):
        if callable(predicate) and predicate(path):
            return index
    return None


def _three_public_category(item: str) -> str:
    text = clean(item)
    if text in _TOTAL_WORDS:
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


@dataclass(slots=True)
class _GoalLayout:
    """The indicator columns of a goal table: each field with the grid columns it is read from."""

    width: int
    header_width: int  # as the header is written; less than ``width`` where a merged 指标值 was widened
    groups: list[tuple[str, list[int]]]


_VALUE_FIELDS = ("value", "mid_term_value")


@dataclass(slots=True)
class _RowText:
    """One indicator row's text by field, with what a value written over several cells held besides it."""

    values: dict[str, str] = field(default_factory=dict)
    qualifiers: dict[str, list[str]] = field(default_factory=dict)  # value field → its ≥ / 定性 / 正向 cells
    units: dict[str, str] = field(default_factory=dict)  # value field → the unit cell after it


def _texts(row: Row) -> list[str]:
    return [cell.strip() for cell in row.cells if cell.strip()]


def _row_key(row: Row) -> tuple[str, ...]:
    """A row's words, for telling a repeated header row: merges and blanks don't count."""
    return tuple(clean(cell) for cell in row.cells if clean(cell))


def _is_goal_subheader(row: Row) -> bool:
    """The lower header row below 一级指标 …: 年度 | 实施期, or 指标性质 | 指标值 | 度量单位 under 指标值."""
    texts = [clean(c) for c in row.cells if clean(c)]
    return bool(texts) and all(goal_field((t,)) not in (None, *IGNORED_FIELDS) for t in texts)


def _goal_segments(rows: list[Row]) -> list[tuple[str, list[Row]]]:
    """A goal table's rows split where a further project begins (its 项目名称 row or its title row, after
    the indicators of the one before), each with the title it opens with."""
    segments: list[tuple[str, list[Row]]] = [("", [])]
    indicators_begun = False
    for row in rows:
        texts = _texts(row)
        if indicators_begun and texts:
            pair = split_label_value(texts[0])
            label = preamble_label(pair[0] if pair else texts[0])
            if _is_title_row(texts):
                segments.append((texts[0], []))
                indicators_begun = False
                continue
            if label is not None and label.kind is LabelKind.NAME:
                segments.append(("", []))
                indicators_begun = False
        if "一级指标" in {clean(c) for c in row.cells}:
            indicators_begun = True
        segments[-1][1].append(row)
    return segments


def _cell_starts(row: Row) -> list[int]:
    """The grid column each cell starts at (the cell's index where the reader knows no spans)."""
    if row.spans is None:
        return list(range(len(row.cells)))
    starts, column = [], 0
    for span in row.spans:
        starts.append(column)
        column += span
    return starts


def _expand_with_sources(row: Row, width: int) -> list[tuple[str, int]]:
    """Each grid column's text with the index of the cell it comes from, so a merged cell counts once."""
    if row.spans:
        cells = [(text, index) for index, (text, span) in enumerate(zip(row.cells, row.spans, strict=True)) for _ in range(span)]
    else:
        cells = [(text, index) for index, text in enumerate(row.cells)]
    return cells + [("", len(row.cells))] * (width - len(cells))


def _preamble_cells(row: Row) -> list[tuple[int, str]]:
    """The non-blank cells of a row of the project block with their start columns; a cell holding a label
    and its value (``项目名称：科普活动``) counts as the two."""
    cells: list[tuple[int, str]] = []
    for start, text in zip(_cell_starts(row), row.cells, strict=True):
        text = text.strip()
        if not text:
            continue
        pair = split_label_value(text)
        cells.extend([(start, pair[0]), (start, pair[1])] if pair else [(start, text)])
    return cells


def _amount_text(text: str) -> bool:
    """Whether a cell holds a figure, with or without its unit (``1,200.00``, ``300000元``)."""
    return _looks_numeric(re.sub(r"(百万元|千元|万元|亿元|元|万)$", "", clean(text)))


def _without_repeated_header(rows: list[Row], before: list[Row]) -> list[Row]:
    """The rows of a table continuing ``before`` after a page break, without the header rows it repeats."""
    header: set[tuple[str, ...]] = set()
    for row in before:
        if any(_looks_numeric(cell) for cell in row.cells):
            break
        header.add(_row_key(row))
    for index, row in enumerate(before):
        if "一级指标" in _row_key(row):
            header.update(_row_key(r) for r in before[index : index + 2])
    header.discard(())
    start = 0
    while start < len(rows) and (rows[start].is_blank or _row_key(rows[start]) in header):
        start += 1
    return rows[start:]


def _project_name(title: str) -> str:
    text = _NUMBERING.sub("", title.strip())
    text = re.sub(r"\s*(?:项目支出)?绩效目标(?:申报)?表\s*$", "", text)
    text = re.sub(r"^[《“\"]|[》”\"]$", "", text.strip())
    return text.strip()


def interpret(document: SourceDocument) -> Interpretation:
    try:
        return Interpreter(document).run()
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        raise ImportFailure(f"{document.source}：读出的数据不合格式（{where}：{first['msg']}）") from None
