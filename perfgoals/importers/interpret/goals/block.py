"""The project block above the indicators: 项目名称, 主管部门, 实施单位, 项目属性, 实施期, 项目资金 (年度/中期,
上级资金), 总体目标 (实施期/年度) … as label cells followed by their values, or a row of labels (实施期目标 |
年度目标) with the values in the row below.

:func:`read_block` turns the rows into a :class:`BlockRead`; :func:`apply_block` puts it on a project.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from perfgoals.importers.goal_layout import (
    Label,
    LabelKind,
    Period,
    clean,
    item_number,
    preamble_labels,
    split_label_value,
)
from perfgoals.importers.interpret.cells import cell_starts, looks_numeric
from perfgoals.importers.interpret.identity import named_department
from perfgoals.importers.interpret.report import Report
from perfgoals.importers.interpret.units import Unit
from perfgoals.importers.source import Row
from perfgoals.models import AmountSource, LayoutColumn, Project
from perfgoals.money import UNIT_IN_YUAN, AmountError, from_wan, normalise_unit, parse_amount, to_wan

#: Project fields a label fills with its text as written.
_TEXT_FIELDS = {
    LabelKind.ATTRIBUTE: "attribute",
    LabelKind.PERIOD: "period",
    LabelKind.CATEGORY: "category",
    LabelKind.KIND: "kind",
    LabelKind.BASIS: "basis",
}


@dataclass(slots=True)
class Money:
    label: Label
    text: str
    row: Row
    group: str  # a 项目资金（万元） label beside the amount rows: it may carry their unit


@dataclass(slots=True)
class BlockRead:
    """What a project block says."""

    name: str | None = None
    code: str | None = None
    department: tuple[str | None, str] | None = None
    implementing_unit: str | None = None
    goals: dict[Period, list[str]] = field(default_factory=lambda: {period: [] for period in Period})
    amounts: list[Money] = field(default_factory=list)
    superior: list[Money] = field(default_factory=list)
    texts: dict[str, str] = field(default_factory=dict)  # project field → text (项目属性, 实施期 …)
    extra: dict[str, str] = field(default_factory=dict)  # label as written → text
    labels: list[LayoutColumn] = field(default_factory=list)  # the labels in reading order, with their fields

    def record(self, label: Label, field_name: str) -> None:
        text = label.text.strip()
        if text and all(existing.header != text for existing in self.labels):
            self.labels.append(LayoutColumn(header=text, field=field_name))


def _cells(row: Row) -> list[tuple[int, str]]:
    """The non-blank cells of a row with their start columns; a cell holding a label and its value
    (``项目名称：科普活动``) counts as the two."""
    cells: list[tuple[int, str]] = []
    for start, text in zip(cell_starts(row), row.cells, strict=True):
        text = text.strip()
        if not text:
            continue
        pair = split_label_value(text)
        cells.extend([(start, pair[0]), (start, pair[1])] if pair else [(start, text)])
    return cells


def read_block(unit: Unit, rows: list[Row], report: Report) -> BlockRead:
    block = BlockRead()
    columns: dict[int, Label] = {}
    group = ""
    last_goal: Period | None = None
    awaiting = False  # the row above was a goal label alone (绩效目标 across the table): this row is its text
    for row in rows:
        cells = _cells(row)
        if not cells:
            continue
        labels = preamble_labels([text for _, text in cells])
        specific = {
            start: label
            for (start, _), label in zip(cells, labels, strict=True)
            if label is not None and label.kind in (LabelKind.GOAL, LabelKind.AMOUNT) and label.period is not Period.ANY
        }
        if all(labels) and specific:
            columns = specific
            for label in labels:
                if label is not None:
                    block.record(label, _field_of(label))
            group = next(
                (lb.text for lb in labels if lb and lb.kind is LabelKind.AMOUNT and lb.period is Period.ANY), group
            )
            continue
        unlabelled = [(start, text) for (start, text), label in zip(cells, labels, strict=True) if label is None]
        if columns and unlabelled:
            placed = _under_columns(columns, row, cells, labels, unlabelled)
            if placed is not None:
                for above, text in placed:
                    if above.kind is LabelKind.GOAL:
                        block.goals[above.period].append(text)
                        last_goal = above.period
                    else:
                        block.amounts.append(Money(above, text, row, group))
                continue
        columns = {}
        current: Label | None = None
        recognised = valued = False
        for (start, text), label in zip(cells, labels, strict=True):
            if label is not None:
                if current is not None and current.kind is LabelKind.AMOUNT and label.kind is LabelKind.AMOUNT:
                    group = current.text  # 项目资金（万元） | 年度资金总额 | 100
                current, recognised, valued = label, True, False
                block.record(label, _field_of(label))
                if label.kind is LabelKind.GOAL:
                    last_goal = label.period
                continue
            valued = True
            if current is None:
                if last_goal is not None and (awaiting or item_number(text) or start > 0):
                    block.goals[last_goal].append(text)  # a further item of the goal above, on its own row
                    recognised = True
            elif current.kind is LabelKind.NAME:
                block.name = text
                current = Label(LabelKind.INFO)  # a second value cell is not a second name
            elif current.kind is LabelKind.CODE:
                block.code = text
                current = Label(LabelKind.INFO)
            elif current.kind is LabelKind.SUPERVISOR:
                if block.department is None:
                    block.department = named_department(text)
                current = Label(LabelKind.INFO)
            elif current.kind is LabelKind.IMPLEMENTING_UNIT:
                block.implementing_unit = text
                current = Label(LabelKind.INFO)  # a second value cell is not a second unit
            elif current.kind in _TEXT_FIELDS:
                name = _TEXT_FIELDS[current.kind]
                block.texts[name] = "\n".join(p for p in (block.texts.get(name, ""), text) if p)
            elif current.kind is LabelKind.SUPERIOR:
                block.superior.append(Money(current, text, row, group))
                current = Label(LabelKind.INFO)
            elif current.kind is LabelKind.GOAL:
                if text not in block.goals[current.period]:
                    block.goals[current.period].append(text)
            elif current.kind is LabelKind.AMOUNT:
                block.amounts.append(Money(current, text, row, group))
                current = Label(LabelKind.INFO)
            elif current.kind is LabelKind.AMOUNT_PART:
                block.extra.setdefault(current.text, text)  # 其中：财政拨款 | 300: a part of the total
                current = Label(LabelKind.INFO)
            elif current.text and not re.search(r"绩效指标$", clean(current.text)):
                key = current.text
                block.extra[key] = "\n".join(p for p in (block.extra.get(key, ""), text) if p)
        awaiting = current is not None and current.kind is LabelKind.GOAL and not valued
        if not recognised:
            report.note(f"{unit.name}{row.place}", f"未能识别的行“{'、'.join(t for _, t in cells)[:40]}”，未导入")
    return block


def _field_of(label: Label) -> str:
    """The project field a block label fills (as :class:`LayoutColumn` records it)."""
    if label.kind is LabelKind.GOAL:
        return "goal.mid_term_goal_text" if label.period is Period.MID_TERM else "goal.goal_text"
    if label.kind is LabelKind.AMOUNT:
        return "project.mid_term_amount" if label.period is Period.MID_TERM else "project.budget_amount"
    return {
        LabelKind.NAME: "project.name",
        LabelKind.CODE: "project.code",
        LabelKind.SUPERVISOR: "department",
        LabelKind.IMPLEMENTING_UNIT: "project.implementing_unit",
        LabelKind.SUPERIOR: "project.superior_amount",
        LabelKind.AMOUNT_PART: "extra",
        LabelKind.INFO: "extra",
    }.get(label.kind) or f"project.{_TEXT_FIELDS[label.kind]}"


def _under_columns(
    columns: dict[int, Label],
    row: Row,
    cells: list[tuple[int, str]],
    labels: list[Label | None],
    unlabelled: list[tuple[int, str]],
) -> list[tuple[Label, str]] | None:
    """The values of a row below a row of labels, each with the label above it; ``None`` if they don't fit."""
    row_label = labels[0] if cells[0][0] not in columns else None
    if sum(label is not None for label in labels) > (row_label is not None):
        return None  # labels of its own: a row of another kind
    if any(label.kind is LabelKind.GOAL for label in columns.values()):
        if row_label is not None:
            return None
    elif row_label is None or row_label.kind not in (LabelKind.AMOUNT, LabelKind.AMOUNT_PART):
        return None
    elif row_label.kind is LabelKind.AMOUNT_PART:
        return []  # 其中：财政拨款 | 300 | 100: a part of the total, which is what is kept
    ordered = [columns[start] for start in sorted(columns)]
    if row.spans is not None and all(start in columns for start, _ in unlabelled):
        return [(columns[start], text) for start, text in unlabelled]
    values = [text for _, text in unlabelled]
    if len(values) == len(ordered):
        return list(zip(ordered, values, strict=True))
    if all(label.kind is LabelKind.GOAL for label in ordered):
        # A text extraction gives each paragraph of a cell a line: items numbered from 1 begin a cell.
        chunks: list[list[str]] = []
        for text in values:
            if not chunks or item_number(text) in ("1", "一"):
                chunks.append([])
            chunks[-1].append(text)
        if len(chunks) == len(ordered):
            return [(label, text) for label, chunk in zip(ordered, chunks, strict=True) for text in chunk]
    return None


# --------------------------------------------------------------------- onto the project
def apply_block(unit: Unit, block: BlockRead, project: Project, report: Report) -> None:
    if block.name:
        project.name = block.name
    if block.code:
        project.code = block.code
    if block.implementing_unit:
        project.implementing_unit = block.implementing_unit
    for name, text in block.texts.items():
        setattr(project, name, text)
    project.extra.update(block.extra)
    project.goal.block = list(block.labels)
    _goal_text(unit, project, block.goals, report)
    _amounts(unit, project, block, report)


def _goal_text(unit: Unit, project: Project, goals: dict[Period, list[str]], report: Report) -> None:
    this_year = goals[Period.ANY] + goals[Period.ANNUAL]
    mid_term = goals[Period.MID_TERM]
    if this_year:
        project.goal.goal_text = "\n".join(this_year)
        project.goal.mid_term_goal_text = "\n".join(mid_term)
    elif mid_term:
        project.goal.goal_text = "\n".join(mid_term)
        report.note(unit.name, f"项目“{project.name}”只有实施期目标，已作为绩效目标导入，请核对")


def _amounts(unit: Unit, project: Project, block: BlockRead, report: Report) -> None:
    """The year's money: 年度资金总额 before an unqualified total; 实施期资金总额 is the whole period's."""
    usable = [money for money in block.amounts if money.label.period is not Period.MID_TERM and amount_text(money.text)]
    usable.sort(key=lambda money: money.label.period is not Period.ANNUAL)
    if usable:
        read = read_money(unit, usable[0], report)
        if read is not None:
            project.budget_amount, project.amount_unit = read
            project.amount_source = AmountSource.ENTERED
    mid = [money for money in block.amounts if money.label.period is Period.MID_TERM and amount_text(money.text)]
    if mid:
        read = read_money(unit, mid[0], report)
        if read is not None:
            project.mid_term_amount = _in_unit(read, project.amount_unit)
    superior = [money for money in block.superior if amount_text(money.text)]
    if superior:
        read = read_money(unit, superior[0], report)
        if read is not None:
            project.superior_amount = _in_unit(read, project.amount_unit)


def _in_unit(read: tuple[Decimal, str], unit_word: str) -> Decimal:
    figure, written = read
    return figure if written == unit_word else from_wan(to_wan(figure, written), unit_word)


def amount_text(text: str) -> bool:
    """Whether a cell holds a figure, with or without its unit (``1,200.00``, ``300000元``, ``250万``)."""
    return looks_numeric(re.sub(r"(百万元|千元|万元|亿元|元|万)$", "", clean(text)))


def read_money(unit: Unit, money: Money, report: Report) -> tuple[Decimal, str] | None:
    """A figure of the block with its unit: written after it, in its label, or the table's unit line."""
    label = clean(money.label.text) + clean(money.group)
    cleaned = clean(money.text)
    unit_word = None
    for word in sorted(UNIT_IN_YUAN, key=len, reverse=True):
        if cleaned.endswith(word):
            unit_word, cleaned = word, cleaned[: -len(word)]
            break
    if unit_word is None:
        match = re.search(r"(百万元|千元|万元|亿元|元)", label)
        unit_word = match.group(1) if match else (unit.unit_text and normalise_unit(unit.unit_text))
    if unit_word is None:
        report.note(f"{unit.name}{money.row.place}", f"项目资金“{money.text}”没有写单位，未采用")
        return None
    try:
        figure = parse_amount(cleaned.replace("\u2212", "-"))
    except AmountError as exc:
        report.obstacle(
            f"{unit.name}{money.row.place}", f"「{label}」的“{money.text.strip()}”无法读作金额（{exc}）"
        )
        return None
    if figure is None:
        return None
    return figure, "万元" if unit_word == "万" else unit_word
