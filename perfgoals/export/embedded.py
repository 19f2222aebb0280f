"""What a workbook carries to recreate its department-years: JSON embedded in the hidden ``_perfgoals`` sheet.

From column :data:`EMBED_COLUMN` on (where the header row says ``base_cells``):

- each project's row holds the number of cells its exported version takes, a 0, then those cells: the
  project as exported (``Project`` JSON), the *base* of the three-way merge when the workbook comes back;
- after the first project row of each department-year, rows with nothing in column A hold its ``dump``
  document (what ``perfgoals dump`` writes: projects, rows, amounts with source and unit, budget lines,
  links, accepted findings with reasons), one chunk a row: ``dump``, code, year, chunk.  Rows, not
  columns, so that a large department stays within the columns an import accepts.

A cell holds at most 32,767 characters, so the JSON is cut into chunks of :data:`CHUNK` characters.
Characters a workbook cannot hold or that the export would make visible are written as JSON ``\\uXXXX``
escapes, so the text read back is the very JSON written.  Readers of workbooks exported before the
embedding skip these cells: the project table is left of them, and the dump rows have no column A.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from typing import Any

from perfgoals.models import Department, DepartmentDocument, Project

#: The first column (0-based) of the embedded JSON on a project's row of ``_perfgoals``.
EMBED_COLUMN = 20
#: Characters per cell (Excel's limit is 32,767).
CHUNK = 30000
#: The header written above the embedded columns.
EMBED_HEADER = ("base_cells",)
#: Column :data:`EMBED_COLUMN` of a row carrying a chunk of a department's dump.
DUMP_MARK = "dump"

#: Characters written as escapes: controls (but tab and newline, which JSON escapes anyway), DEL, C1,
#: bidi controls, control pictures and ``<`` (so ``<U+…>`` never reads as a sign), surrogates, U+FFFE/F.
_ESCAPED = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2400-\u2421<\ud800-\udfff\ufffe\uffff]")


def _escape(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


def embedded_json(data: Any) -> str:
    """Compact JSON safe to write into a cell as it is."""
    return _ESCAPED.sub(_escape, json.dumps(data, ensure_ascii=False, separators=(",", ":")))


def chunks(text: str) -> list[str]:
    return [text[start : start + CHUNK] for start in range(0, len(text), CHUNK)] or [""]


def embedded_cells(project: Project) -> list[str]:
    """A project row's cells from :data:`EMBED_COLUMN` on: the count, 0, the project as exported."""
    base = chunks(embedded_json(project.model_dump(mode="json")))
    return [str(len(base)), "0", *base]


def dump_rows(department: Department) -> list[list[str]]:
    """The rows carrying ``department``'s dump, from :data:`EMBED_COLUMN` on."""
    text = embedded_json(DepartmentDocument(department=department).model_dump(mode="json"))
    return [[DUMP_MARK, department.code, str(department.year), chunk] for chunk in chunks(text)]


def read_dump_row(row: Sequence[Any], at: int | None) -> tuple[str, int, str] | None:
    """(code, year, chunk) of a dump row, ``None`` for any other row."""
    if at is None or len(row) < at + 4 or row[0] not in (None, "") or row[at] != DUMP_MARK:
        return None
    code, year, chunk = row[at + 1], row[at + 2], row[at + 3]
    if not isinstance(chunk, str):
        raise ValueError("dump chunk")
    return str(code), int(str(year)), chunk


def read_embedded(row: Sequence[Any], at: int | None) -> str | None:
    """The project's exported version (JSON text) from its row of ``_perfgoals``, whose embedded cells
    start at column ``at`` (``None``: a workbook exported before the embedding).  Raises ``ValueError``
    when the cells are not what the export wrote."""
    if at is None or len(row) <= at + 1 or row[at] in (None, ""):
        return None
    count = int(str(row[at]))
    if count < 0:
        raise ValueError("negative count")
    cells = list(row[at + 2 : at + 2 + count])
    if len(cells) < count or any(not isinstance(cell, str) for cell in cells):
        raise ValueError("missing cells")
    return "".join(cells)
