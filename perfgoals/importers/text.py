"""Reading the plain-text form of a disclosure (a Word document extracted to text).

The form: one table cell per line, indented by a tab; rows separated by blank lines; a blank cell is a
line holding only a tab; any other line is a paragraph (headings carry ``[bookmark: …]`` artefacts).
"""

from __future__ import annotations

import codecs
import re

from perfgoals.importers.errors import ImportFailure
from perfgoals.importers.source import Paragraph, Row, SourceDocument, Table

_BOOKMARK = re.compile(r"\[bookmark:[^\]]*\]")


def decode_text(raw: bytes, *, source: str) -> tuple[str, str | None]:
    """The text of ``raw`` and, when it was not UTF-8, the encoding it was read in.

    UTF-8 (with or without BOM) and UTF-16 with a BOM are taken as they are; anything else is tried
    as GB18030 (a superset of GBK and GB2312, the usual encodings of Chinese Windows exports).
    """
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return raw.decode("utf-16"), "UTF-16"
        except UnicodeDecodeError as exc:
            raise ImportFailure(f"{source}：第 {exc.start} 字节起不是有效的 UTF-16 文本") from None
    if b"\x00" in raw[:65536]:
        raise ImportFailure(f"{source}：不是文本文件（含有二进制内容），请检查扩展名")
    try:
        return raw.decode("utf-8-sig"), None
    except UnicodeDecodeError as utf8_error:
        try:
            return raw.decode("gb18030"), "GBK/GB18030"
        except UnicodeDecodeError:
            line = raw.count(b"\n", 0, utf8_error.start) + 1
            raise ImportFailure(
                f"{source}：第 {line} 行（第 {utf8_error.start} 字节）既不是 UTF-8 也不是 GBK 编码的文本"
            ) from None


def read_text(text: str, *, source: str) -> SourceDocument:
    """Split extracted text into paragraphs and tables."""
    document = SourceDocument(source=source)
    table: Table | None = None
    cells: list[str] = []
    row_start = 0

    def end_row() -> None:
        nonlocal cells
        if cells and table is not None:
            table.rows.append(Row(tuple(cells), f"第 {row_start} 行"))
        cells = []

    for number, line in enumerate(text.splitlines(), start=1):
        if line.startswith("\t"):
            if table is None:
                table = Table(rows=[], place=f"第 {number} 行")
                document.blocks.append(table)
            if not cells:
                row_start = number
            cells.append(_BOOKMARK.sub("", line[1:]))
        elif line == "":
            end_row()
        else:
            end_row()
            table = None
            document.blocks.append(Paragraph(_BOOKMARK.sub("", line), f"第 {number} 行"))
    end_row()
    number = 0
    for block in document.blocks:
        if isinstance(block, Table):
            number += 1
            block.number = number
    return document
