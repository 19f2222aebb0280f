"""Header geometry: which rows are the header, and each grid column's header path, top to bottom.

Word tables say how cells merge (``spans``); a text extraction shows a merged cell once, so a header row
shorter than the table is spread over the row below it by grouping that row's cells.
"""

from __future__ import annotations

from perfgoals.importers.budget_layout import is_table_note
from perfgoals.importers.goal_layout import clean
from perfgoals.importers.interpret.cells import looks_numeric, row_key
from perfgoals.importers.interpret.units import Unit, is_repeated_top
from perfgoals.importers.source import Row


def split_header(unit: Unit) -> tuple[list[Row], list[Row]]:
    """Header rows and data rows: data starts at the first row holding a figure.

    Blank rows, notes written across the table (``本部门无此项支出``, ``注：…``), and the header, title or
    unit rows a table repeats after a page break are neither.
    """
    header: list[Row] = []
    data: list[Row] = []
    header_keys: set[tuple[str, ...]] = set()
    header_firsts: set[str] = set()  # the first words of the header rows, to pass over most rows cheaply
    for row in unit.rows:
        cells = [cell.strip() for cell in row.cells if cell.strip()]
        if not cells or (len(cells) == 1 and is_table_note(cells[0])):
            continue  # a blank row, or a note across the table
        first = clean(row.cells[0])
        if not data and (first == "栏次" or is_column_numbers(row)):
            continue
        if data and (
            first == "栏次"
            or (first in header_firsts and row_key(row) in header_keys)
            or is_repeated_top(cells, unit)
        ):
            continue
        if data or any(looks_numeric(cell) for cell in row.cells):
            data.append(row)
        else:
            header.append(row)
            header_keys.add(row_key(row))
            header_firsts.add(first)
    return header, data


def labels(header: list[Row], width: int, *, as_written: bool = False) -> list[tuple[str, ...]]:
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


def is_column_numbers(row: Row) -> bool:
    """The 栏次 row: 1, 2, 3 … (possibly with a label or blank first cell)."""
    cells = [clean(c) for c in row.cells]
    numbers = [t for t in cells if t]
    if len(numbers) < 3 or not all(t.isdigit() for t in numbers[1:]):
        return False
    values = [int(t) for t in numbers if t.isdigit()]
    return values == list(range(values[0], values[0] + len(values)))


def _cell_groups(children: list[str], count: int) -> list[list[int]] | None:
    """The cells of a header row grouped under the ``count`` cells of the row above, or ``None`` when the
    grouping of :func:`header_groups` does not give that many."""
    groups = header_groups(children)
    return groups if len(groups) == count else None


def header_groups(children: list[str]) -> list[list[int]]:
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
    """Spread a header row whose merged cells were collapsed over the full-width row below it."""
    groups = header_groups(children)
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
