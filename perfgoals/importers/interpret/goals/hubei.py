"""The Hubei (Ezhou) 申报表: a project block with a cost breakdown, 成本构成 · 金额 · 测算依据 · 前两年实际执行数,
whose parts add up to the project's amount.  The breakdown is a run of rows in the project block (below
its own header row), or a table of its own beside the goal table.
"""

from __future__ import annotations

import re
from decimal import Decimal

from perfgoals.importers.budget_layout import BLANK_FIGURES, TOTAL_WORDS
from perfgoals.importers.goal_layout import LabelKind, clean, preamble_label, split_label_value
from perfgoals.importers.interpret.cells import expand_with_sources, grid_width, texts
from perfgoals.importers.interpret.geometry import labels as header_labels
from perfgoals.importers.interpret.report import Report
from perfgoals.importers.interpret.units import Unit
from perfgoals.importers.source import Row
from perfgoals.models import DEFAULT_UNIT, CostItem
from perfgoals.money import AmountError, normalise_unit, parse_amount

_ITEM = ("成本构成", "成本项目", "成本明细", "构成内容", "支出内容", "明细项目")
_UNIT_IN_HEADER = re.compile(r"(百万元|千元|万元|亿元|元)")
#: Labels that end a breakdown: the project block goes on.
_BLOCK_KINDS = {
    LabelKind.NAME, LabelKind.CODE, LabelKind.SUPERVISOR, LabelKind.IMPLEMENTING_UNIT, LabelKind.ATTRIBUTE,
    LabelKind.PERIOD, LabelKind.CATEGORY, LabelKind.KIND, LabelKind.BASIS, LabelKind.SUPERIOR, LabelKind.GOAL,
}


def is_breakdown_header(row: Row) -> bool:
    """成本构成 | 金额 | 测算依据 (| 前两年实际执行数)."""
    cells = [clean(cell) for cell in row.cells if clean(cell)]
    return any(any(word in cell for word in _ITEM) for cell in cells) and any("测算依据" in cell for cell in cells)


def split_breakdown(rows: list[Row]) -> tuple[list[Row], list[Row]]:
    """The breakdown's rows (its header first) and the rest of the project block."""
    start = next((index for index, row in enumerate(rows) if is_breakdown_header(row)), None)
    if start is None:
        return [], rows
    end = start + 1
    while end < len(rows):
        cells = texts(rows[end])
        if cells:
            pair = split_label_value(cells[0])
            label = preamble_label(pair[0] if pair else cells[0])
            if label is not None and label.kind in _BLOCK_KINDS and not label.loose:
                break
        end += 1
    return rows[start:end], rows[:start] + rows[end:]


def read_breakdown(unit: Unit, rows: list[Row], report: Report) -> list[CostItem]:
    """The parts of a breakdown (its header row first); its 合计 row is the sum, not a part."""
    if not rows:
        return []
    header, data = rows[:1], rows[1:]
    width = grid_width(rows)
    paths = header_labels(header, width)
    written = header_labels(header, width, as_written=True)
    kinds: list[str] = []
    for path in paths:
        leaf = path[-1] if path else ""
        if any(word in leaf for word in _ITEM):
            kinds.append("item")
        elif "测算依据" in leaf:
            kinds.append("basis")
        elif "前两年" in leaf or "实际执行" in leaf or "上年" in leaf:
            kinds.append("previous")
        elif "金额" in leaf or "预算" in leaf:
            kinds.append("amount")
        elif leaf == "序号" or leaf == "成本":
            kinds.append("")
        else:
            kinds.append("extra")
    amount_header = next(("".join(p) for p, kind in zip(paths, kinds, strict=True) if kind == "amount"), "")
    found = _UNIT_IN_HEADER.search(amount_header)
    unit_word = found.group(1) if found else (normalise_unit(unit.unit_text) if unit.unit_text else None)
    if unit_word is None:
        unit_word = DEFAULT_UNIT
        report.note(f"{unit.name}{rows[0].place}", f"成本构成的金额没有写单位，按“{DEFAULT_UNIT}”读取，请核对")
    items: list[CostItem] = []
    for row in data:
        if row.is_blank:
            continue
        cells = expand_with_sources(row, width)
        by_kind: dict[str, list[str]] = {}
        extra: dict[str, str] = {}
        seen_sources: set[int] = set()
        for column, (text, source) in enumerate(cells):
            if source in seen_sources:
                continue
            seen_sources.add(source)
            kind = kinds[column] if column < len(kinds) else "extra"
            if kind == "extra" and text.strip():
                extra["/".join(written[column]) or f"第{column + 1}列"] = text.strip()
            elif kind:
                by_kind.setdefault(kind, []).append(text.strip())
        name = "".join(by_kind.get("item", []))
        if not name or clean(name) in TOTAL_WORDS or clean(name).startswith(("合计", "小计", "总计")):
            continue
        figure = "".join(by_kind.get("amount", []))
        amount = _figure(unit, row, figure, report)
        items.append(
            CostItem(
                item=name, amount=amount, unit=unit_word, basis="".join(by_kind.get("basis", [])),
                previous="".join(by_kind.get("previous", [])), extra=extra,
            )
        )
    return items


def _figure(unit: Unit, row: Row, text: str, report: Report) -> Decimal | None:
    cleaned = clean(text)
    if not cleaned or cleaned in BLANK_FIGURES:
        return None
    try:
        return parse_amount(re.sub(r"(百万元|千元|万元|亿元|元|万)$", "", cleaned))
    except AmountError:
        report.obstacle(f"{unit.name}{row.place}", f"成本构成的金额“{text}”无法读作金额")
        return None


from perfgoals.models import LayoutFamily  # noqa: E402

FAMILY = LayoutFamily.HUBEI
