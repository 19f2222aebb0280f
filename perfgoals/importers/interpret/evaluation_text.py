"""A 自评表 whose cells run together in one line of text, separated only by spaces (a web page copied or
crawled as text), rebuilt into the table a Word document would give, so that it reads the same way.

Only the standard 自评表 order can be told apart without cell borders: 项目名称 · 主管部门 · 实施单位, the
项目资金 block (its header words, then each row's label and figures), 年度总体目标 with 预期目标 and
实际完成情况, then the indicators: a 一级 label (``产出指标(50分)``) opens a group, a 二级 label a
sub-group, anything else a 三级 row followed by its 年度指标值, 实际完成值 and figures.  A cell holding
spaces cannot be told from two cells, and 偏差原因 texts cannot be told from the next row's 三级: they
are not read (a note says so when the table has that column).
"""

from __future__ import annotations

import re
import unicodedata

from perfgoals.framework import get_framework
from perfgoals.importers.interpret.cells import looks_numeric
from perfgoals.importers.interpret.evaluation import FUNDS_COLUMNS, INDICATOR_COLUMNS
from perfgoals.importers.source import Paragraph, Row, SourceDocument, Table

_LABELS = ("项目名称", "主管部门", "主管部门及编码", "主管部门及代码", "实施单位")
_LEVEL1 = re.compile(r"^(?:产出|效益|效果|满意度|成本)指标(?:\s*[（(]\s*\d+(?:\.\d+)?\s*分\s*[)）])?$")
_WITH_POINTS = re.compile(r"[（(]\s*\d+(?:\.\d+)?\s*分\s*[)）]$")
_UNIT = re.compile(r"^[（(](?:单位[:：])?(?:万元|元|千元)[)）]$")


def _key(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split()).rstrip(":：")


def _header_field(token: str, columns: tuple[tuple[str, tuple[str, ...]], ...]) -> str | None:
    key = _key(token)
    return next((name for name, words in columns if any(word in key for word in words)), None)


def _is_level2(token: str) -> bool:
    key = _key(token)
    if not key.endswith("指标"):
        return False
    for framework in ("mof-2015", "mof-2021"):
        found = get_framework(framework)
        if found.find_level2(found.canonical_level2(key)) is not None:
            return True
    return bool(re.search("数量|质量|时效|成本|效益|影响|满意度", key))


def looks_run_together(document: SourceDocument) -> bool:
    """No tables, and a paragraph holding a whole 自评表."""
    if any(isinstance(block, Table) for block in document.blocks):
        return False
    text = " ".join(block.text for block in document.blocks if isinstance(block, Paragraph))
    return "自评" in text and "一级指标" in text and "项目名称" in text


def rebuild_run_together(document: SourceDocument) -> SourceDocument:
    """``document`` with a run-together 自评表 rebuilt as a table; any other document as it is."""
    if not looks_run_together(document):
        return document
    paragraphs = [block for block in document.blocks if isinstance(block, Paragraph)]
    tokens = " ".join(paragraph.text for paragraph in paragraphs).split()
    place = paragraphs[0].place if paragraphs else "第 1 行"
    start = tokens.index("项目名称")
    rebuilt = SourceDocument(source=document.source, notes=[*document.notes, "表格各单元格连成一行，已按自评表的格式拆分"])
    title: list[str] = []
    for token in tokens[:start]:
        if token.endswith((":", "：")) and not title:
            rebuilt.blocks.append(Paragraph(token, place))
        else:
            title.append(token)
    if title:
        rebuilt.blocks.append(Paragraph(" ".join(title), place))
    rows = _Rows(tokens[start:], place)
    table = Table(rows=rows.read(), place=place, number=1)
    rebuilt.blocks.append(table)
    if rows.reasons_dropped:
        rebuilt.notes.append("连排文字中分不出“偏差原因”一栏，未导入（请核对原表）")
    return rebuilt


class _Rows:
    def __init__(self, tokens: list[str], place: str) -> None:
        self.tokens, self.at, self.place = tokens, 0, place
        self.rows: list[Row] = []
        self.reasons_dropped = False

    def peek(self) -> str | None:
        return self.tokens[self.at] if self.at < len(self.tokens) else None

    def take(self) -> str:
        token = self.tokens[self.at]
        self.at += 1
        return token

    def emit(self, *cells: str) -> None:
        self.rows.append(Row(tuple(cells), f"{self.place}（第 {len(self.rows) + 1} 格行）"))

    def until(self, stops: tuple[str, ...]) -> list[str]:
        found: list[str] = []
        while (token := self.peek()) is not None and _key(token) not in stops:
            found.append(self.take())
        return found

    def read(self) -> list[Row]:
        self._labels()
        self._funds()
        self._goals()
        self._indicators()
        return self.rows

    def _labels(self) -> None:
        cells: list[str] = []
        while (token := self.peek()) is not None and _key(token) in _LABELS:
            label = self.take()
            value = self.until((*_LABELS, "项目资金", "年度总体目标", "绩效指标", "一级指标"))
            if cells and _key(label) == "实施单位":
                cells += [label, " ".join(value)]
                continue
            if cells:
                self.emit(*cells)
            cells = [label, " ".join(value)]
        if cells:
            self.emit(*cells)

    def _funds(self) -> None:
        if self.peek() is None or not _key(self.peek() or "").startswith("项目资金"):
            return
        group = self.take()
        if (token := self.peek()) is not None and _UNIT.match(_key(token)):
            group = f"{group} {self.take()}"
        headers: list[str] = []
        while (token := self.peek()) is not None and _header_field(token, FUNDS_COLUMNS):
            headers.append(self.take())
        self.emit(group, "", *headers)
        while (token := self.peek()) is not None and _key(token) not in ("年度总体目标", "绩效指标", "一级指标"):
            label = self.take()
            figures: list[str] = []
            while len(figures) < len(headers) and (token := self.peek()) is not None and looks_numeric(token):
                figures.append(self.take())
            self.emit("", label, *figures, *([""] * (len(headers) - len(figures))))

    def _goals(self) -> None:
        if self.peek() is None or _key(self.peek() or "") != "年度总体目标":
            return
        label = self.take()
        heads = [self.take() for _ in range(2) if (token := self.peek()) is not None and _key(token) in ("预期目标", "实际完成情况")]
        texts = self.until(("绩效指标", "一级指标"))
        self.emit(label, *heads)
        self.emit("", *_split_goals(texts, len(heads)))

    def _indicators(self) -> None:
        if (token := self.peek()) is not None and _key(token) == "绩效指标":
            self.take()
        headers: list[str] = []
        while (token := self.peek()) is not None and _header_field(token, INDICATOR_COLUMNS):
            headers.append(self.take())
        fields = [_header_field(header, INDICATOR_COLUMNS) or "" for header in headers]
        self.emit("绩效指标", *headers)
        if "level3" not in fields:
            return
        after = fields[fields.index("level3") + 1 :]
        self.reasons_dropped = "reason" in after
        level1 = level2 = ""
        while (token := self.peek()) is not None:
            if self._is_level1(token):
                level1, level2 = self.take(), ""
                continue
            if _is_level2(token):
                level2 = self.take()
                following = self.peek()
                if following is None or _LEVEL1.match(_key(following)) or _is_level2(following):
                    self._row(fields, level1, level2, "", [])
                    level1 = level2 = ""
                continue
            level3 = self.take()
            values: list[str] = []
            for name in after:
                following = self.peek()
                if name == "reason" or following is None:
                    values.append("")
                elif name in ("points", "score"):
                    values.append(self.take() if looks_numeric(following) else "")
                elif _LEVEL1.match(_key(following)) or _is_level2(following):
                    values.append("")
                else:
                    values.append(self.take())
            self._row(fields, level1, level2, level3, values)
            level1 = level2 = ""

    def _is_level1(self, token: str) -> bool:
        """A 一级 label: with its points (``产出指标(50分)``), or a bare one followed by a 二级 label (a bare
        成本指标 or 满意度指标 followed by a 三级 is the 二级 of that name)."""
        key = _key(token)
        if not _LEVEL1.match(key):
            return False
        if _WITH_POINTS.search(key):
            return True
        following = self.tokens[self.at + 1] if self.at + 1 < len(self.tokens) else None
        return following is not None and _is_level2(following) and not _WITH_POINTS.search(_key(following))

    def _row(self, fields: list[str], level1: str, level2: str, level3: str, after: list[str]) -> None:
        cells = ["" for _ in fields]
        for index, name in enumerate(fields):
            if name == "level1":
                cells[index] = level1
            elif name == "level2":
                cells[index] = level2
        position = fields.index("level3")
        cells[position] = level3
        for offset, value in enumerate(after):
            cells[position + 1 + offset] = value
        self.emit("", *cells)


def _split_goals(texts: list[str], parts: int) -> list[str]:
    """The 预期目标 and 实际完成情况 texts: two runs of words, split where a sentence ends nearest the middle."""
    if parts < 2 or len(texts) < 2:
        return [" ".join(texts)] + [""] * max(parts - 1, 0)
    ends = [index for index in range(1, len(texts)) if texts[index - 1].endswith(("。", "；", ";", "."))]
    total = sum(len(text) for text in texts)
    cut = min(ends or [len(texts) // 2], key=lambda index: abs(sum(len(t) for t in texts[:index]) * 2 - total))
    return [" ".join(texts[:cut]), " ".join(texts[cut:])]
