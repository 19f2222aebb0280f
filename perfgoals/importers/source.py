"""The neutral form every reader produces: a document as a sequence of paragraphs and tables.

A reader (plain text, .docx) turns a file into :class:`SourceDocument`; one interpreter
(:mod:`perfgoals.importers.interpret`) turns that into a :class:`~perfgoals.models.Department`.  So a
.docx and its text extraction give the same department, and places in messages read the same way.

Rows hold one string per *distinct* cell, the way a text extraction shows them: a cell merged across
columns appears once (``spans`` says how many grid columns it covers, when the reader knows), and a
cell continuing a vertical merge appears as ``""``.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Row:
    cells: tuple[str, ...]
    place: str  # where the row is, for messages: "第 1877 行" or "第 3 个表格第 5 行"
    spans: tuple[int, ...] | None = None  # grid columns each cell covers, when the reader knows

    @property
    def is_blank(self) -> bool:
        return not any(cell.strip() for cell in self.cells)


@dataclass(frozen=True, slots=True)
class Paragraph:
    text: str  # as written, with reader artefacts (bookmarks) removed
    place: str


@dataclass(slots=True)
class Table:
    rows: list[Row]
    place: str  # where the table starts
    number: int = 0  # 1-based, in document order

    @property
    def width(self) -> int:
        return max((len(row.cells) for row in self.rows), default=0)


Block = Paragraph | Table


@dataclass(slots=True)
class SourceDocument:
    """What a reader found in a file: paragraphs and tables in order."""

    source: str  # the file name, for messages
    blocks: list[Block] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what the reader itself noticed (e.g. encoding)
