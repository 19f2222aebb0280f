"""The named cell styles of perfgoals workbooks, each created once and cached as one XlsxWriter Format.

Layouts refer to styles by name only; the renderer asks the registry for the Format.  Keeping one
Format per name keeps the workbook's style table small however many cells use it.

Money is printed in the unit it was written in: :func:`money_style` names a ``money`` style whose number
format carries the unit (``#,##0.00" 元"``), so a cell stays a number and reads ``755.00 元``.
"""

from __future__ import annotations

from typing import Any

from xlsxwriter.format import Format
from xlsxwriter.workbook import Workbook

FONT_NAME = "宋体"
#: GB2312 character set and the "modern" family, as Chinese Excel writes 宋体: Excel then picks the
#: font for East Asian text too.
FONT_CHARSET = 134
FONT_FAMILY = 3
BODY_SIZE = 11
TITLE_SIZE = 16
MONEY_FORMAT = "#,##0.00"
#: An amount in 万元 converted from another unit: at least two decimals, and every further one it has,
#: so that 755 元 reads 0.0755 and never 0.08.
EXACT_WAN_FORMAT = "#,##0.00####"
TEXT_FORMAT = "@"
#: A style named ``money:元`` is ``money`` with the unit in its number format.
MONEY_STYLE_PREFIX = "money:"

_BASE: dict[str, Any] = {
    "font_name": FONT_NAME,
    "font_charset": FONT_CHARSET,
    "font_family": FONT_FAMILY,
    "font_size": BODY_SIZE,
    "valign": "vcenter",
}
_BOX: dict[str, Any] = {"border": 1, "text_wrap": True}

STYLES: dict[str, dict[str, Any]] = {
    "title": {"bold": True, "font_size": TITLE_SIZE, "align": "center", "text_wrap": True},
    "title_left": {"bold": True, "font_size": TITLE_SIZE, "align": "left"},
    "line_left": {"align": "left"},
    "line_center": {"align": "center"},
    "line_right": {"align": "right"},
    "label": {**_BOX, "bold": True, "align": "center"},
    "header": {**_BOX, "bold": True, "align": "center", "bg_color": "#F2F2F2"},
    "text": {**_BOX, "align": "left", "indent": 1, "num_format": TEXT_FORMAT},
    "text_center": {**_BOX, "align": "center", "num_format": TEXT_FORMAT},
    "money": {**_BOX, "align": "right", "indent": 1, "num_format": MONEY_FORMAT},
    "money_exact": {**_BOX, "align": "right", "indent": 1, "num_format": EXACT_WAN_FORMAT},
    "money_total": {**_BOX, "bold": True, "align": "right", "indent": 1, "num_format": MONEY_FORMAT},
    "integer_total": {**_BOX, "bold": True, "align": "right", "indent": 1, "num_format": "0"},
    "number": {**_BOX, "align": "center", "num_format": "General"},
    "integer": {**_BOX, "align": "right", "indent": 1, "num_format": "0"},
    "link": {**_BOX, "align": "left", "indent": 1, "font_color": "#0563C1", "underline": 1},
    "error": {**_BOX, "align": "center", "font_color": "#C00000", "num_format": TEXT_FORMAT},
    "warning": {**_BOX, "align": "center", "font_color": "#9C5700", "num_format": TEXT_FORMAT},
    "marker": {**_BOX, "align": "left", "font_color": "#9C5700", "num_format": TEXT_FORMAT},
    "total_label": {**_BOX, "bold": True, "align": "center", "num_format": TEXT_FORMAT},
    "plain": {"num_format": TEXT_FORMAT},
    "text_bold": {**_BOX, "bold": True, "align": "left", "indent": 1, "num_format": TEXT_FORMAT},
}
#: Text indented by level (``indent:2``; ``indent:1:bold`` for a subtotal's label): 对账's 类/款/项 and
#: the projects under them.
INDENT_STYLE_PREFIX = "indent:"
MAX_INDENT = 6


def indent_style(level: int, *, bold: bool = False) -> str:
    """The name of a left-aligned text style indented ``level`` steps (one step is Excel's indent 1)."""
    return f"{INDENT_STYLE_PREFIX}{max(0, min(level, MAX_INDENT))}{':bold' if bold else ''}"


def money_format(unit: str) -> str:
    """The number format of an amount written in ``unit``: ``#,##0.00" 元"`` (0.01 of the unit)."""
    shown = unit.replace('"', "")
    return f'{MONEY_FORMAT}" {shown}"'


def money_style(unit: str, *, bold: bool = False) -> str:
    """The name of the style of an amount written in ``unit`` (``money:元``; ``money:万元:bold``)."""
    return f"{MONEY_STYLE_PREFIX}{unit}{':bold' if bold else ''}"


def _properties(name: str) -> dict[str, Any]:
    if name.startswith(MONEY_STYLE_PREFIX):
        unit, _, flag = name.removeprefix(MONEY_STYLE_PREFIX).partition(":")
        if unit and flag in ("", "bold"):
            return {**STYLES["money"], "num_format": money_format(unit), "bold": flag == "bold"}
    if name.startswith(INDENT_STYLE_PREFIX):
        level, _, flag = name.removeprefix(INDENT_STYLE_PREFIX).partition(":")
        if level.isdigit() and flag in ("", "bold"):
            return {**STYLES["text"], "indent": 1 + 2 * int(level), "bold": flag == "bold"}
    try:
        return STYLES[name]
    except KeyError:
        raise KeyError(f"unknown cell style {name!r}") from None


class StyleRegistry:
    """Formats by style name, created on first use."""

    def __init__(self, workbook: Workbook) -> None:
        self._workbook = workbook
        self._formats: dict[str, Format] = {}

    def __getitem__(self, name: str) -> Format:
        cached = self._formats.get(name)
        if cached is None:
            cached = self._workbook.add_format({**_BASE, **_properties(name)})
            self._formats[name] = cached
        return cached

    def __len__(self) -> int:
        return len(self._formats)
