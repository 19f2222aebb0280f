"""Writing :class:`~perfgoals.export.layout.SheetLayout` objects with XlsxWriter.

Cells are written strictly row by row, which is what XlsxWriter's constant_memory mode needs.  Text is
always written with ``write_string`` (never ``write``), so user text that starts with ``=``, ``+``,
``-`` or ``@`` stays text and is never taken for a formula.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path
from typing import Any

from xlsxwriter.exceptions import XlsxWriterException
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from perfgoals.export.files import ExportError, default_mode
from perfgoals.export.layout import Row, SheetLayout
from perfgoals.export.sheetnames import quote_sheet_name
from perfgoals.export.styles import StyleRegistry
from perfgoals.text import visible

A4 = 9

#: The XlsxWriter releases the internals below were checked against (pinned in pyproject.toml;
#: tests/test_xlsxwriter_compat.py fails naming the one an upgrade removes).
TESTED_RANGE = (">=3.2", "<3.4")
#: XlsxWriter's worksheet internals used here, and only here: methods, then attributes an instance sets.
PRIVATE_METHODS = ("_write_single_row", "_opt_close")
PRIVATE_ATTRIBUTES = ("merge", "previous_row", "row_info", "row_sizes", "row_data_filename", "constant_memory")
#: Excel keeps at most this many hyperlinks on one worksheet.
MAX_LINKS = 65530


class FlatWorksheet(Worksheet):
    """A worksheet that takes merge ranges whose cells the renderer has already written.

    XlsxWriter's ``merge_range`` writes the blank cells of the range itself, which in constant_memory
    mode would flush rows before the renderer has filled them; the renderer writes every cell of a
    merge (value and formatted blanks) in row order, so only the range needs recording.
    """

    def add_merge(self, first_row: int, first_col: int, last_row: int, last_col: int) -> None:
        self.merge.append([first_row, first_col, last_row, last_col])

    def _write_single_row(self, current_row_num: int = 0) -> None:
        # constant_memory mode calls this to flush the previous row; XlsxWriter keeps every row's height
        # (row_info, row_sizes) until the end, which grows with a 150,000-row 汇总, though a flushed
        # row's properties are never read again (row_sizes only places images, which we have none of).
        flushed = self.previous_row
        super()._write_single_row(current_row_num)
        self.row_info.pop(flushed, None)
        self.row_sizes.pop(flushed, None)

    def finish(self) -> None:
        """Close this sheet's row file until the workbook is assembled (keeps open files few)."""
        if self.constant_memory:
            self._opt_close()


@contextmanager
def atomic_workbook(path: Path, options: dict[str, Any]) -> Iterator[Workbook]:
    """A workbook (user text never taken for formulas or links, plus ``options``) written beside ``path``
    that replaces ``path`` only when the block ends without error; on any failure nothing is left behind,
    and a failure to write is an :class:`ExportError` naming ``path``."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary_name = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=".xlsx.tmp", dir=path.parent)
    except OSError as exc:
        raise ExportError(f"无法在 {path.parent} 写入文件：{exc.strerror}") from None
    os.close(handle)
    temporary = Path(temporary_name)
    workbook = Workbook(str(temporary), {"strings_to_formulas": False, "strings_to_urls": False, **options})
    try:
        yield workbook
        workbook.close()
        os.chmod(temporary, default_mode())
        os.replace(temporary, path)
    except BaseException as exc:
        _discard(workbook)
        temporary.unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise ExportError(f"无法写入 {path}：{exc.strerror or exc}") from None
        if isinstance(exc, XlsxWriterException):
            raise ExportError(f"无法写入 {path}：{exc}") from None
        raise


def _discard(workbook: Workbook) -> None:
    """Remove the constant_memory row files of a workbook that will never be closed."""
    for sheet in workbook.worksheets():
        filename = getattr(sheet, "row_data_filename", None)
        if filename:
            sheet._opt_close()
            Path(filename).unlink(missing_ok=True)


class SheetWriter:
    """Writes one sheet: its layout's rows now, further rows as they come, then the page setup."""

    def __init__(self, workbook: Workbook, styles: StyleRegistry, layout: SheetLayout) -> None:
        self._workbook = workbook
        self._styles = styles
        self.layout = layout
        self.sheet: FlatWorksheet = workbook.add_worksheet(layout.name, worksheet_class=FlatWorksheet)
        for col, width in enumerate(layout.widths):
            self.sheet.set_column(col, col, width)
        self.last_row = -1
        self.links = 0
        for row in layout.rows:
            self.write(row)

    def write(self, row: Row) -> None:
        index = row.index
        if index <= self.last_row:
            raise ValueError(f"rows must be written in order: {index} after {self.last_row}")
        sheet, styles = self.sheet, self._styles
        if row.height is not None:
            sheet.set_row(index, row.height)
        for cell in row.cells:
            value, link = cell.value, cell.link
            if link is None and value.__class__ is str:
                # Text, the common case, goes straight to its typed write, made inert.
                if value:
                    sheet.write_string(index, cell.col, visible(value), styles[cell.style])
                else:
                    sheet.write_blank(index, cell.col, None, styles[cell.style])
                continue
            if link is not None:
                self.links += 1
                if self.links > MAX_LINKS:
                    # Past Excel's limit of links per sheet the name is still written, as text.
                    link = None
            _write(sheet, index, cell.col, value, styles[cell.style], link)
        self.last_row = index

    def close(self) -> int:
        """Finish the sheet; returns the number of rows written."""
        layout, sheet = self.layout, self.sheet
        for merge in layout.merges:
            sheet.add_merge(merge.first_row, merge.first_col, merge.last_row, merge.last_col)
        if layout.freeze:
            sheet.freeze_panes(*layout.freeze)
        if layout.autofilter_row is not None and layout.widths:
            sheet.autofilter(
                layout.autofilter_row, 0, max(self.last_row, layout.autofilter_row), len(layout.widths) - 1
            )
        page = layout.page
        sheet.set_paper(A4)
        if page.landscape:
            sheet.set_landscape()
        else:
            sheet.set_portrait()
        sheet.fit_to_pages(1, 0)
        sheet.center_horizontally()
        sheet.set_margins(left=0.5, right=0.5, top=0.75, bottom=0.75)
        if page.repeat_rows:
            sheet.repeat_rows(*page.repeat_rows)
        if page.header:
            sheet.set_header(visible(page.header, one_line=True))
        if page.footer:
            sheet.set_footer(visible(page.footer, one_line=True))
        if layout.tab_color:
            sheet.set_tab_color(layout.tab_color)
        if layout.defined_name:
            self._workbook.define_name(layout.defined_name, f"={quote_sheet_name(layout.name)}!$A$1")
        if layout.hidden:
            sheet.very_hidden()
        sheet.finish()
        return self.last_row + 1


def render(workbook: Workbook, styles: StyleRegistry, layout: SheetLayout) -> int:
    """Write ``layout`` as a new, finished worksheet; returns the number of rows written."""
    return SheetWriter(workbook, styles, layout).close()


def _write(
    sheet: Worksheet, row: int, col: int, value: Any, style: Any, link: tuple[str, str] | None
) -> None:
    if link is not None:
        # The link text is written as a string; the target is an internal reference to a sheet we named.
        target_sheet, target_cell = link
        sheet.write_url(
            row, col, f"internal:{quote_sheet_name(target_sheet)}!{target_cell}", style, string=visible(str(value))
        )
    elif value is None or value == "":
        sheet.write_blank(row, col, None, style)
    elif isinstance(value, bool):
        sheet.write_string(row, col, "是" if value else "否", style)
    elif isinstance(value, (Decimal, int, float)):
        sheet.write_number(row, col, value, style)
    else:
        sheet.write_string(row, col, visible(str(value)), style)
