"""Small readings of rows and cells shared by every part of the interpreter."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from perfgoals.importers.goal_layout import clean, footer_label
from perfgoals.importers.source import Row
from perfgoals.money import AmountError, parse_amount


def texts(row: Row) -> list[str]:
    """A row's non-blank cells, stripped."""
    return [cell.strip() for cell in row.cells if cell.strip()]


def row_key(row: Row) -> tuple[str, ...]:
    """A row's words, for telling a repeated header row: merges and blanks don't count."""
    return tuple(clean(cell) for cell in row.cells if clean(cell))


def looks_numeric(text: str) -> bool:
    text = text.strip()
    if not text:
        return False
    try:
        return parse_amount(text) is not None
    except AmountError:
        return False


def is_title_row(cells: list[str]) -> bool:
    """One text across the row that reads as a table's title (``…表``, ``…情况``), not a footer (``填表人：…``)."""
    return (
        len(set(cells)) == 1
        and ("表" in cells[0] or "情况" in cells[0])
        and len(cells[0]) > 4
        and footer_label(cells[0]) is None
    )


def grid_width(rows: Iterable[Row]) -> int:
    """How many grid columns the widest of ``rows`` covers."""
    return max((sum(row.spans) if row.spans else len(row.cells) for row in rows), default=0)


def row_width(row: Row) -> int:
    return sum(row.spans) if row.spans else len(row.cells)


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


def expand_with_sources(row: Row, width: int) -> list[tuple[str, int]]:
    """Each grid column's text with the index of the cell it comes from, so a merged cell counts once."""
    if row.spans:
        cells = [
            (text, index) for index, (text, span) in enumerate(zip(row.cells, row.spans, strict=True)) for _ in range(span)
        ]
    else:
        cells = [(text, index) for index, text in enumerate(row.cells)]
    return cells + [("", len(row.cells))] * (width - len(cells))


def cell_starts(row: Row) -> list[int]:
    """The grid column each cell starts at (the cell's index where the reader knows no spans)."""
    if row.spans is None:
        return list(range(len(row.cells)))
    starts, column = [], 0
    for span in row.spans:
        starts.append(column)
        column += span
    return starts


def find(labels: list[tuple[str, ...]], predicate: Callable[[tuple[str, ...]], bool]) -> int | None:
    """The first column whose header path satisfies ``predicate``."""
    return next((index for index, path in enumerate(labels) if predicate(path)), None)
