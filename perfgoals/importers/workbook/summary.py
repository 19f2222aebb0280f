"""The 汇总 sheet, which is read-only: edits to it are found and reported, never imported.

汇总 is made from the project sheets, so an edit there has no place to go.  Its columns are found by their
headers and its rows compared in order with the records exported (rebuilt from the dump the workbook
carries); each edited cell is listed with where to make the change instead.  An older workbook without
the dump says nothing about 汇总.
"""

from __future__ import annotations

from typing import Any

from perfgoals.export.xlsx import SUMMARY_SHEET
from perfgoals.importers.workbook.cells import (
    cell_text,
    column_letter,
    displayed,
    quoted,
    same_number,
    shown_value,
)
from perfgoals.models import Department


def edits_to_summary(workbook: Any, departments: list[Department], dumps: dict[tuple[str, int], str]) -> list[str]:
    """Edits to 汇总 (read-only: made from the project sheets), each reported as not imported.  The sheet's
    columns are found by their headers, its rows compared in order with the records exported."""
    from perfgoals.documents import DocumentError, parse_document
    from perfgoals.export.layout import Styled, money_cell
    from perfgoals.export.records import INDICATOR_FIELDS, indicator_rows

    if SUMMARY_SHEET not in workbook.sheetnames or not dumps:
        return []
    exported: list[tuple[Any, ...]] = []
    for department in departments:
        text = dumps.get((department.code, department.year))
        if text is None:
            return []  # an older workbook: what 汇总 held is not known
        try:
            exported.extend(indicator_rows(parse_document(text, source=""), amount_cell=money_cell))
        except DocumentError:
            return []
    labels = {item.label: index for index, item in enumerate(INDICATOR_FIELDS)}
    sheet = workbook[SUMMARY_SHEET]
    rows = [list(row) for row in sheet.iter_rows()]
    header_at = next(
        (i for i, row in enumerate(rows[:5]) if sum(1 for c in row if cell_text(c.value).strip() in labels) >= 3), None
    )
    if header_at is None:
        return [f"{SUMMARY_SHEET}：表头已被改动（汇总为只读，未导入）"]
    columns = {
        col: labels[cell_text(cell.value).strip()]
        for col, cell in enumerate(rows[header_at])
        if cell_text(cell.value).strip() in labels
    }
    edits: list[str] = []
    body = rows[header_at + 1 :]
    for index in range(max(len(body), len(exported))):
        cells = body[index] if index < len(body) else []
        record = exported[index] if index < len(exported) else None
        for col, field in columns.items():
            shown = cell_text(displayed(cells[col])) if col < len(cells) else ""
            value = None if record is None else record[field]
            if isinstance(value, Styled):
                value = value.value
            expected = shown_value(value)
            if shown.strip() != expected.strip() and not same_number(shown, expected):
                edits.append(
                    f"{SUMMARY_SHEET}!{column_letter(col + 1)}{header_at + index + 2}：{quoted(expected)} → "
                    f"{quoted(shown)}（未导入：汇总由各项目表生成，为只读；请在项目工作表中修改）"
                )
    return edits
