"""Print settings decided once for a set of project sheets, as an office prints a set of tables.

Every project sheet of a workbook prints in one orientation (landscape when any of them is too wide
for portrait) and at one scale (the largest at which the widest fits the page's width, at most 100%).
XlsxWriter writes page setup when the workbook is assembled, so the sheets, written and flushed one by
one, are set here once all are known.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from xlsxwriter.worksheet import Worksheet

from perfgoals.export.layout import LANDSCAPE_WIDTH

#: A4 in inches, and the left + right margins :class:`~perfgoals.export.render.SheetWriter` sets.
A4_WIDTH, A4_HEIGHT = 8.27, 11.69
SIDE_MARGINS = 1.0
#: Kept spare so that a renderer measuring fonts slightly wider still fits the width.
SLACK = 0.97
#: Excel's smallest print scale.
MIN_SCALE = 10


@dataclass(frozen=True, slots=True)
class SetPrinting:
    landscape: bool
    scale: int


#: Pixels of a column-width unit: the widest digit of the workbook's default font, Calibri 11, as Excel
#: (and LibreOffice with Carlito, Calibri's metric twin) measures it.
DIGIT_PIXELS = 7.0


def width_inches(widths: Sequence[float], digit_pixels: float = DIGIT_PIXELS) -> float:
    """The printed width of columns ``widths`` (Excel units) at 100%, in inches (as XlsxWriter sizes
    them: ``digit_pixels`` a character plus 5 of padding, 96 pixels an inch)."""
    pixels = sum(int(width * 12 + 0.5) if width < 1 else int(width * digit_pixels + 0.5) + 5 for width in widths)
    return pixels / 96


def decide(widths: Sequence[Sequence[float]], digit_pixels: float = DIGIT_PIXELS) -> SetPrinting:
    """One orientation and one scale for sheets of these column widths.

    ``digit_pixels`` is the renderer's column unit: a LibreOffice without Calibri's metrics measures
    columns in a wider substitute's digits (:func:`perfgoals.export.pdf.renderer_digit_pixels`)."""
    landscape = any(sum(sheet) > LANDSCAPE_WIDTH for sheet in widths)
    printable = (A4_HEIGHT if landscape else A4_WIDTH) - SIDE_MARGINS
    widest = max((width_inches(sheet, digit_pixels) for sheet in widths), default=0.0)
    scale = 100 if widest <= 0 else min(100, math.floor(100 * printable * SLACK / widest))
    return SetPrinting(landscape, max(scale, MIN_SCALE))


def apply(
    sheets: Sequence[tuple[Worksheet, Sequence[float]]], digit_pixels: float = DIGIT_PIXELS
) -> SetPrinting | None:
    """Set every sheet of ``sheets`` (sheet, its column widths) to the set's orientation and scale."""
    if not sheets:
        return None
    decided = decide([widths for _sheet, widths in sheets], digit_pixels)
    for sheet, _widths in sheets:
        if decided.landscape:
            sheet.set_landscape()
        else:
            sheet.set_portrait()
        sheet.fit_width = sheet.fit_height = 0
        # A scale, never "fit to page": Excel and LibreOffice would then shrink each sheet its own way.
        sheet.fit_page = 0
        sheet.print_scale = decided.scale
        sheet.page_setup_changed = True
    return decided
