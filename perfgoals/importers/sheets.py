"""Reading any workbook that holds goal tables (.xlsx with openpyxl, .xls with xlrd) into the neutral
:class:`~perfgoals.importers.source.SourceDocument`, merged cells and all.

Each sheet is cut at its blank rows into tables; the one-text rows opening a part (the title, the unit
line) become paragraphs above its table, as a Word document has them.  A merged range appears once, at
its top-left cell, spanning the columns it covers; the rows below it in the range continue it (``""``):
the same shape :mod:`.wordfile` gives, so a workbook reads as its Word form does.

perfgoals' own workbooks (with the hidden ``_perfgoals`` sheet) are read by :mod:`.workbook` instead;
:func:`is_perfgoals_workbook` tells them apart without opening the workbook.
"""

from __future__ import annotations

import os
import zipfile
from collections.abc import Iterable, Iterator
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from perfgoals.importers.errors import ImportFailure
from perfgoals.importers.source import Paragraph, Row, SourceDocument, Table

#: The hidden sheet perfgoals' own workbooks carry (:data:`perfgoals.export.xlsx.META_SHEET`).
META_SHEET = "_perfgoals"

Grid = list[list[tuple[str, int] | None]]  # per row: (text, span) at a cell's start, "" continuing, None covered


def is_perfgoals_workbook(path: Path) -> bool:
    """Whether an .xlsx is one perfgoals exported (its workbook part names the ``_perfgoals`` sheet)."""
    try:
        with zipfile.ZipFile(path) as archive:
            book = archive.read("xl/workbook.xml")
    except (zipfile.BadZipFile, KeyError, OSError, EOFError):
        return False
    return f'name="{META_SHEET}"'.encode() in book


def _text(value: Any, number_format: str = "") -> str:
    """A cell's value as the text a person sees (a percentage as ``95%``, a whole number without ``.0``)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat(sep=" ")
    if isinstance(value, (date, time)):
        return value.isoformat()
    if isinstance(value, (int, float)):
        try:
            number = Decimal(repr(value))
        except InvalidOperation:
            return str(value)
        if "%" in number_format:
            number *= 100
        text = format(number.normalize(), "f") if number == number.to_integral() else format(number, "f")
        if "." in text:
            text = text.rstrip("0").rstrip(".")
        return text + ("%" if "%" in number_format else "")
    return str(value)


def _rows(name: str, grid: Grid) -> list[Row]:
    rows: list[Row] = []
    for number, cells in enumerate(grid, start=1):
        texts = [cell[0] for cell in cells if cell is not None]
        spans = [cell[1] for cell in cells if cell is not None]
        rows.append(Row(tuple(texts), f"工作表“{name}”第 {number} 行", tuple(spans)))
    return rows


def _blocks(name: str, grid: Grid, first_table: int, merged: set[int]) -> Iterator[Paragraph | Table]:
    """A sheet's rows as paragraphs and tables: cut at blank rows (not those a merged cell goes on
    through), leading one-text rows as paragraphs."""
    rows = _rows(name, grid)
    part: list[Row] = []
    number = first_table

    def flush() -> Iterator[Paragraph | Table]:
        nonlocal number
        start = 0
        while start < len(part) and len({cell.strip() for cell in part[start].cells if cell.strip()}) <= 1:
            text = next((cell for cell in part[start].cells if cell.strip()), "")
            if text:
                yield Paragraph(text, part[start].place)
            start += 1
        if start < len(part):
            number += 1
            yield Table(part[start:], part[start].place, number)

    for index, row in enumerate(rows):
        if row.is_blank and index not in merged:
            if part:
                yield from flush()
                part = []
            continue
        part.append(row)
    if part:
        yield from flush()


def _grid(
    height: int, width: int, value: Any, merges: Iterable[tuple[int, int, int, int]]
) -> tuple[Grid, set[int]]:
    """The grid of a sheet (``value(row, column)``, 0-based, for plain cells; ``merges`` as (first row, last
    row, first column, last column), inclusive and 0-based), and the rows a merged cell goes on through."""
    owner: dict[tuple[int, int], tuple[int, int, int, int]] = {}
    for merge in merges:
        top, bottom, left, right = merge
        for r in range(top, min(bottom, height - 1) + 1):
            for c in range(left, min(right, width - 1) + 1):
                owner[(r, c)] = merge
    grid: Grid = []
    merged = {r for top, bottom, _, _ in owner.values() for r in range(top + 1, bottom + 1)}
    for r in range(height):
        cells: list[tuple[str, int] | None] = []
        for c in range(width):
            covering = owner.get((r, c))
            if covering is None:
                cells.append((value(r, c), 1))
                continue
            top, _, left, right = covering
            span = min(right, width - 1) - left + 1
            if c != left:
                cells.append(None)
            elif r == top:
                cells.append((value(r, c), span))
            else:
                cells.append(("", span))  # the merge going on downwards
        grid.append(cells)
    return grid, merged


def _trimmed(height: int, width: int, value: Any) -> tuple[int, int]:
    """The height and width holding text (a sheet's stated range often runs past it)."""
    last_row = last_column = 0
    for r in range(height):
        for c in range(width):
            if value(r, c).strip():
                last_row, last_column = max(last_row, r + 1), max(last_column, c + 1)
    return last_row, last_column


def read_xlsx(path: Path) -> SourceDocument:
    """Every sheet of an .xlsx (already checked by :func:`~perfgoals.importers.workbook_limits.check_workbook`)."""
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(path, data_only=False)
    except (zipfile.BadZipFile, EOFError, KeyError, OSError):
        raise ImportFailure(f"{path}：工作簿已损坏或不完整，无法打开") from None
    except Exception as exc:  # openpyxl raises assorted errors for malformed parts
        raise ImportFailure(f"{path}：工作簿内容有误，无法读取（{type(exc).__name__}）") from None
    document = SourceDocument(source=str(path))
    tables = 0
    for sheet in workbook.worksheets:
        if sheet.sheet_state != "visible":
            continue

        def value(r: int, c: int, sheet: Any = sheet) -> str:
            cell = sheet.cell(row=r + 1, column=c + 1)
            return _text(cell.value, cell.number_format or "")

        height, width = _trimmed(sheet.max_row, sheet.max_column, value)
        merges = [
            (m.min_row - 1, m.max_row - 1, m.min_col - 1, m.max_col - 1) for m in sheet.merged_cells.ranges
        ]
        grid, merged = _grid(height, width, value, merges)
        for block in _blocks(sheet.title, grid, tables, merged):
            if isinstance(block, Table):
                tables = block.number
            document.blocks.append(block)
    return document


def read_xls(path: Path, raw: bytes) -> SourceDocument:
    """Every sheet of an .xls (already checked by :func:`~perfgoals.importers.workbook_limits.check_xls`)."""
    import xlrd

    try:
        with open(os.devnull, "w") as quiet:
            book = xlrd.open_workbook(file_contents=raw, formatting_info=True, logfile=quiet)
    except xlrd.XLRDError as exc:
        raise ImportFailure(f"{path}：无法作为 .xls 工作簿打开（{exc}）") from None
    except Exception as exc:  # xlrd raises assorted errors for damaged files
        raise ImportFailure(f"{path}：.xls 工作簿已损坏，无法读取（{type(exc).__name__}）") from None
    document = SourceDocument(source=str(path))
    tables = 0
    for index in range(book.nsheets):
        sheet = book.sheet_by_index(index)
        if getattr(sheet, "visibility", 0) != 0:
            continue

        def value(r: int, c: int, sheet: Any = sheet) -> str:
            cell = sheet.cell(r, c)
            if cell.ctype == xlrd.XL_CELL_DATE:
                try:
                    return _text(xlrd.xldate_as_datetime(cell.value, book.datemode))
                except (ValueError, OverflowError):
                    return str(cell.value)
            if cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK, xlrd.XL_CELL_ERROR):
                return ""
            if cell.ctype == xlrd.XL_CELL_BOOLEAN:
                return _text(bool(cell.value))
            number_format = ""
            if cell.ctype == xlrd.XL_CELL_NUMBER:
                xf = book.xf_list[cell.xf_index] if cell.xf_index is not None else None
                found = book.format_map.get(xf.format_key) if xf is not None else None
                number_format = found.format_str if found is not None else ""
            return _text(cell.value, number_format)

        height, width = _trimmed(sheet.nrows, sheet.ncols, value)
        merges = [(top, bottom - 1, left, right - 1) for top, bottom, left, right in sheet.merged_cells]
        grid, merged = _grid(height, width, value, merges)
        for block in _blocks(sheet.name, grid, tables, merged):
            if isinstance(block, Table):
                tables = block.number
            document.blocks.append(block)
    return document

