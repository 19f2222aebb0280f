"""Reading a disclosure as a Word document (.docx): its paragraphs and real tables, in order.

Merged cells are read from the table grid: a cell merged across columns appears once with its span
(``w:gridSpan``), and a cell continuing a vertical merge (``w:vMerge`` without ``restart``) appears
as ``""`` — the same shape a text extraction of the document has, so both read the same way.
"""

from __future__ import annotations

import io
from typing import Any

from perfgoals.importers.errors import ImportFailure
from perfgoals.importers.source import Paragraph, Row, SourceDocument, Table


def read_docx(raw: bytes, *, source: str) -> SourceDocument:
    """Paragraphs and tables of a .docx given as bytes (already checked to be a zip with a body)."""
    from docx import Document
    from docx.opc.exceptions import PackageNotFoundError

    from perfgoals.importers.reading import docx_archive

    docx_archive(raw, source=source)
    try:
        word = Document(io.BytesIO(raw))
    except (PackageNotFoundError, KeyError, ValueError) as exc:
        raise ImportFailure(f"{source}：无法作为 Word 文档打开（{exc}）") from None
    except Exception as exc:  # lxml raises its own errors on malformed XML
        if type(exc).__module__.startswith("lxml"):
            raise ImportFailure(f"{source}：Word 文档内容已损坏（{exc}）") from None
        raise
    document = SourceDocument(source=source)
    paragraph_number = 0
    table_number = 0
    for block in word.iter_inner_content():
        if hasattr(block, "rows"):
            table_number += 1
            document.blocks.append(_table(block, table_number))
        else:
            paragraph_number += 1
            document.blocks.append(Paragraph(block.text, f"第 {paragraph_number} 段"))
    return document


def _table(table: Any, number: int) -> Table:
    from docx.table import _Cell

    result = Table(rows=[], place=f"第 {number} 个表格", number=number)
    for index, tr in enumerate(table._tbl.tr_lst, start=1):
        cells: list[str] = []
        spans: list[int] = []
        if tr.grid_before:  # a row that starts further right: keep its cells under their columns
            cells.append("")
            spans.append(tr.grid_before)
        for tc in tr.tc_lst:
            continuing = tc.vMerge is not None and tc.vMerge != "restart"
            cells.append("" if continuing else _Cell(tc, table).text)
            spans.append(tc.grid_span)
        if tr.grid_after:
            cells.append("")
            spans.append(tr.grid_after)
        result.rows.append(Row(tuple(cells), f"第 {number} 个表格第 {index} 行", tuple(spans)))
    return result
