"""Joining what a document splits: one logical table (a :class:`Unit`) from the tables and rows a page
break, a repeated title or a ``续表`` line cut it into, with its title, unit and meta lines.

A text extraction cannot show where one Word table ends and the next begins when each carries its title
in its first row, so tables are also cut where a budget table's title row appears inside one.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from perfgoals.importers.budget_layout import is_table_note, title_and_unit
from perfgoals.importers.goal_layout import (
    LabelKind,
    clean,
    is_continuation,
    preamble_label,
    split_label_value,
)
from perfgoals.importers.interpret.cells import is_title_row, looks_numeric, row_key
from perfgoals.importers.interpret.identity import (
    DEPT_FIELD,
    UNIT_FIELD,
    YEAR_FIELD,
    is_meta_cell,
)
from perfgoals.importers.source import Block, Paragraph, Row, Table


@dataclass(slots=True)
class Unit:
    """One logical table: a title, the unit it is written in, and its rows."""

    title: str
    title_place: str
    table: Table
    rows: list[Row]
    unit_text: str | None = None
    meta: list[str] = field(default_factory=list)
    before: list[str] = field(default_factory=list)  # the paragraphs just above it, as written
    after: list[Paragraph] = field(default_factory=list)  # the paragraphs after it, up to the next table

    @property
    def name(self) -> str:
        return f"「{self.title}」" if self.title else f"第 {self.table.number} 个表格"


def group_units(blocks: list[Block]) -> list[Unit]:
    """Tables with their titles; tables separated only by blank paragraphs are one table."""
    units: list[Unit] = []
    pending: list[Paragraph] = []
    previous: Unit | None = None
    for block in split_at_titles(blocks):
        if isinstance(block, Paragraph):
            pending.append(block)
            if previous is not None:
                previous.after.append(block)
            continue
        texts = [p for p in pending if p.text.strip()]
        # "续表" (or a blank paragraph where a page broke) between two tables: one table goes on.
        continued = any(is_continuation(p.text) for p in texts) and all(
            is_continuation(p.text) or is_meta_cell(p.text) for p in texts
        )
        # A budget table whose title is printed again on the next page, word for word, goes on too.
        continued = continued or (previous is not None and _same_budget_title(texts, previous))
        if previous is not None and (continued or (not texts and not _starts_anew(block, previous))):
            previous.rows.extend(without_repeated_header(block.rows, previous.rows))
            previous.after.clear()
            pending = []
            continue
        unit = _unit(block, texts)
        units.append(unit)
        previous = unit
        pending = []
    return units


def _unit(table: Table, paragraphs: list[Paragraph]) -> Unit:
    rows = list(table.rows)
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
        if is_meta_cell(text) and len(text) < 80:
            meta.append(text)
            continue
        if len(text) <= 80 and not text.endswith(("。", "；", ";")):
            title, title_place = text, paragraph.place
        break
    # A title row or meta rows inside the table, before the header.
    while rows:
        first = rows[0]
        cells = [c.strip() for c in first.cells if c.strip()]
        if not cells:
            rows.pop(0)
            continue
        titled = title_and_unit(cells[0]) if len(set(cells)) == 1 else None
        if titled is not None:
            title, title_place = titled[0], first.place
            meta.append(titled[1])
            rows.pop(0)
            continue
        if all(is_meta_cell(text) for text in cells):
            meta.extend(cells)
            rows.pop(0)
            continue
        if is_title_row(cells):
            title, title_place = cells[0], first.place
            rows.pop(0)
            continue
        break
    unit_text = None
    for text in meta:
        match = UNIT_FIELD.search(text)
        if match:
            unit_text = f"单位：{match.group(1)}"  # as money.normalise_unit reads it (单位：人民币元 too)
    before = [p.text.strip() for p in paragraphs if p.text.strip()]
    return Unit(title, title_place, table, rows, unit_text, meta, before)


def is_repeated_top(cells: list[str], unit: Unit) -> bool:
    """Whether a row (its non-blank ``cells``) is a title, ``续表`` or unit row repeated inside a table where
    it went on to another page."""
    if not cells or len(cells) > 4:  # a title or unit line has at most department, year, unit and date
        return False
    if len(set(cells)) == 1 and (
        is_continuation(cells[0]) or clean(cells[0]) == clean(unit.title) or title_and_unit(cells[0]) is not None
    ):
        return True
    return any(
        UNIT_FIELD.search(text) or YEAR_FIELD.search(text) or DEPT_FIELD.search(text) for text in cells
    ) and all(is_meta_cell(text) for text in cells)


def split_at_titles(blocks: list[Block]) -> Iterator[Block]:
    """The blocks, with a table cut where a budget table's title row appears inside it."""
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
    cells = [cell.strip() for cell in row.cells if cell.strip()]
    if len(set(cells)) != 1 or not ("表" in cells[0] or "情况" in cells[0]) or "绩效" in cells[0]:
        return False
    if is_table_note(cells[0]) or is_continuation(cells[0]):
        return False
    return title_and_unit(cells[0]) is not None or is_title_row(cells)


def _starts_anew(table: Table, previous: Unit) -> bool:
    """Whether a table right after another (no paragraph between) begins a table of its own.

    Without a title in between, a table continues the one before (a goal table's 绩效目标 part and
    its indicator part, or a table split across pages) unless it opens with a title, the meta line,
    or the goal part of another goal table.
    """
    first = next((row for row in table.rows if not row.is_blank), None)
    if first is None:
        return False
    cells = [c.strip() for c in first.cells if c.strip()]
    if is_title_row(cells) and is_continuation(cells[0]):
        return False  # 部门预算支出总表（续）
    if all(is_meta_cell(text) for text in cells):
        # The unit line printed again above the same header after a page break: the table goes on.
        return not _repeats_header(table, previous)
    if is_title_row(cells):
        return True
    pair = split_label_value(cells[0])
    label = preamble_label(pair[0] if pair else cells[0])
    has_indicators = any("一级指标" in {clean(c) for c in row.cells} for row in previous.rows)
    opens_goal = label is not None and label.kind in (LabelKind.NAME, LabelKind.GOAL)
    return has_indicators and (opens_goal or bool(re.search(r"(绩效目标|项目名称)$", clean(cells[0]))))


def _repeats_header(table: Table, previous: Unit) -> bool:
    """Whether ``table``, after its unit line, opens with the first header row of ``previous``."""
    header = next((row for row in previous.rows if not row.is_blank), None)
    following = [row for row in table.rows if not row.is_blank and not all(is_meta_cell(c) for c in row.cells)]
    return header is not None and bool(following) and row_key(following[0]) == row_key(header)


def _same_budget_title(paragraphs: list[Paragraph], previous: Unit) -> bool:
    """Whether the only text between two tables is the title of the one before, again (not a goal table's)."""
    if not previous.title or len(paragraphs) > 3:  # the title, and perhaps its unit and department lines
        return False
    found = [
        titled[0] if (titled := title_and_unit(p.text)) is not None else p.text
        for p in paragraphs
        if title_and_unit(p.text) is not None or not is_meta_cell(p.text)
    ]
    if len(found) != 1 or clean(found[0]) != clean(previous.title):
        return False
    return "绩效目标" not in clean(previous.title) and not any("一级指标" in row_key(row) for row in previous.rows)


#: The 一级 names a data row starts with (a header row says 一级指标 instead).
_LEVEL1_WORDS = ("产出指标", "效益指标", "满意度指标", "成本指标", "产出", "效益", "满意度", "成本")


def _indicator_row(row: Row) -> bool:
    """Whether a row holds an indicator (a 一级 name or a figure), not header words."""
    return any(clean(cell) in _LEVEL1_WORDS or looks_numeric(cell) for cell in row.cells)


def without_repeated_header(rows: list[Row], before: list[Row]) -> list[Row]:
    """The rows of a table continuing ``before`` after a page break, without the header rows it repeats."""
    header: set[tuple[str, ...]] = set()
    for row in before:
        if _indicator_row(row):
            break
        header.add(row_key(row))
    for index, row in enumerate(before):
        if "一级指标" in row_key(row):
            header.add(row_key(row))
            # The row under it belongs to a two-row header only when it is not already an indicator row.
            following = before[index + 1 : index + 2]
            if following and not _indicator_row(following[0]):
                header.add(row_key(following[0]))
    header.discard(())
    start = 0
    while start < len(rows) and (rows[start].is_blank or row_key(rows[start]) in header):
        start += 1
    return rows[start:]
