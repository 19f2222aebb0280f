"""Cells as Excel shows them: the text of a cell value, merged ranges resolved (:class:`Grid`).

Where Excel converted what was typed, a cell is read as the text it shows (:func:`displayed`): a
percent-formatted number as its percentage, a date or time as its number format prints it, a float as its
15 significant digits.  Also here: the money unit a number format or a sheet's unit line shows, and the
small renderings the reports share (a column letter, a value as shown, a quoted value, two texts that are
the same number).
"""

from __future__ import annotations

import re
from datetime import date, datetime, time
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from perfgoals.money import AmountError, normalise_unit
from perfgoals.reading.money import money_unit
from perfgoals.text import restore_controls, visible


def cell_text(value: Any) -> str:
    """A cell as text: numbers Excel made of typed digits come back as the digits typed, and the
    control characters the export showed as signs (:func:`perfgoals.text.visible`) as themselves."""
    if value is None:
        return ""
    if isinstance(value, str):
        return restore_controls(value)
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        return number_text(value)
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d") if value.time() == datetime.min.time() else value.isoformat(" ")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


class Grid:
    """Cell values with merged ranges resolved to their top-left value (un-merging 一级/二级)."""

    def __init__(self, sheet: Any) -> None:
        self.sheet = sheet
        self.merged: dict[tuple[int, int], Any] = {}
        for merged in sheet.merged_cells.ranges:
            value = displayed(sheet.cell(merged.min_row, merged.min_col))
            for row in range(merged.min_row, merged.max_row + 1):
                for col in range(merged.min_col, merged.max_col + 1):
                    if (row, col) != (merged.min_row, merged.min_col):
                        self.merged[(row, col)] = value

    def own(self, row: int, col: int) -> Any:
        """The cell's own value as shown: ``None`` for a cell that a merge covers."""
        return None if (row, col) in self.merged else displayed(self.sheet.cell(row, col))

    def value(self, row: int, col: int) -> Any:
        if (row, col) in self.merged:
            return self.merged[(row, col)]
        return displayed(self.sheet.cell(row, col))


#: A number format's fixed decimals (``0.0%`` → one).
_DECIMALS = re.compile(r"0\.(0+)")
#: Date formats Excel shows in the reader's locale: as a Chinese Excel shows them.
_LOCALE_DATE_FORMATS = {"mm-dd-yy": "yyyy/m/d", "m/d/yy h:mm": "yyyy/m/d h:mm", "General": "yyyy/m/d"}
_DATE_TOKEN = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]|yyyy|yy|mmmm|mmm|mm|m|dddd|ddd|dd|d|hh|h|ss|s|AM/PM|.', re.IGNORECASE)


def displayed(cell: Any) -> Any:
    """A cell's value as Excel shows it, where Excel converted what was typed: a percent-formatted
    number (``0.95`` shown ``95%``) and a date (``2022/1/12``) as the text shown, a float as its 15
    significant digits (``0.1+0.2`` is ``0.3``).  Text, whole numbers and booleans are left as they are."""
    value = cell.value
    if value is None or isinstance(value, (str, bool, int)):
        return value
    number_format = str(cell.number_format or "General")
    section = number_format.split(";")[0]
    if isinstance(value, float):
        if "%" in section:
            found = _DECIMALS.search(section)
            decimals = len(found.group(1)) if found else 0
            figure = (Decimal(f"{value:.15g}") * 100).quantize(Decimal(1).scaleb(-decimals), ROUND_HALF_UP)
            return f"{figure}%"
        return number_text(value)
    if isinstance(value, (datetime, date, time)):
        return _date_text(value, _LOCALE_DATE_FORMATS.get(section, section))
    return value


def _date_text(value: date | time, number_format: str) -> str:
    """A date or time as its number format prints it (years, months, days, hours, minutes, seconds)."""
    parts: list[str] = []
    previous = ""
    tokens = _DATE_TOKEN.findall(number_format)
    for index, token in enumerate(tokens):
        lower = token.lower()
        if lower in ("mm", "m"):
            # m after an hour or before a second is minutes
            following = next((t.lower() for t in tokens[index + 1 :] if t.strip(" :")), "")
            minutes = previous in ("h", "hh") or following in ("s", "ss")
            number = getattr(value, "minute" if minutes else "month", 0)
            parts.append(f"{number:02d}" if lower == "mm" else str(number))
        elif lower in ("yyyy", "yy"):
            year = getattr(value, "year", 0)
            parts.append(str(year) if lower == "yyyy" else f"{year % 100:02d}")
        elif lower in ("dd", "d"):
            day = getattr(value, "day", 0)
            parts.append(f"{day:02d}" if lower == "dd" else str(day))
        elif lower in ("hh", "h"):
            hour = getattr(value, "hour", 0)
            parts.append(f"{hour:02d}" if lower == "hh" else str(hour))
        elif lower in ("ss", "s"):
            second = getattr(value, "second", 0)
            parts.append(f"{second:02d}" if lower == "ss" else str(second))
        elif lower in ("mmmm", "mmm", "dddd", "ddd") and isinstance(value, date):
            parts.append(value.strftime({"mmmm": "%B", "mmm": "%b", "dddd": "%A", "ddd": "%a"}[lower]))
        elif token.startswith('"'):
            parts.append(token[1:-1])
        elif token.startswith("\\"):
            parts.append(token[1:])
        elif token.startswith("[") or lower == "am/pm":
            continue
        else:
            parts.append(token)
        if lower[:1] in ("y", "m", "d", "h", "s"):
            previous = lower
    return "".join(parts)


#: A quoted literal in a number format: ``#,##0.00" 元"`` prints the unit after the figure.
_FORMAT_LITERAL = re.compile(r'"([^"]*)"')


def format_unit(number_format: str | None) -> str | None:
    """The money unit a cell's number format prints after the figure, if any."""
    for literal in _FORMAT_LITERAL.findall(number_format or ""):
        unit = money_unit(literal.strip())
        if unit is not None:
            return unit
    return None


def line_unit(sheet: Any, above: int) -> str | None:
    """The unit of the sheet's unit line (``单位：元``) above row ``above``."""
    for row in range(1, above):
        for col in range(1, sheet.max_column + 1):
            text = cell_text(sheet.cell(row, col).value).strip()
            if text.startswith(("单位", "金额单位")):
                try:
                    return money_unit(normalise_unit(text))
                except AmountError:
                    continue
    return None


def number_text(value: float) -> str:
    """A number cell as Excel shows it: 15 significant digits (``=22.85*1.1`` is 25.135, not
    25.135000000000002), written out without an exponent."""
    number = Decimal(f"{value:.15g}") if isinstance(value, float) else Decimal(value)
    return format(number, "f")


def column_letter(col: int) -> str:
    from openpyxl.utils import get_column_letter

    return str(get_column_letter(col))


def shown_value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


def quoted(text: str) -> str:
    return visible(text, one_line=True) if text else "（空）"


def same_number(a: str, b: str) -> bool:
    try:
        return Decimal(a.replace(",", "")) == Decimal(b.replace(",", ""))
    except InvalidOperation:
        return False
