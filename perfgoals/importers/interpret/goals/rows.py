"""Reading the indicator rows of a goal table with its :class:`~.columns.ColumnLayout`: one
:class:`~perfgoals.models.Indicator` a row, footers apart.

A blank 一级/二级 repeats the row above (a merged cell); a new 一级 starts a new group, so a blank 二级
under it stays blank.  A value written over several cells (``≥`` | ``95`` | ``%``) is read as one; a 指标性质
column is kept apart from the value (``Indicator.nature``), the value as typed.  A row that cannot be read
is an obstacle; the rows after it are still read, so that one message names every one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from perfgoals.importers.goal_layout import (
    JOINED_FIELDS,
    JOINER,
    Qualifier,
    direction,
    footer_label,
    is_continuation,
    is_placeholder,
    qualifier,
    split_value_parts,
)
from perfgoals.importers.interpret.cells import expand_with_sources, row_key, row_width, texts
from perfgoals.importers.interpret.goals import two_groups
from perfgoals.importers.interpret.goals.columns import EXTRA, LABEL, ColumnLayout
from perfgoals.importers.interpret.goals.sichuan import is_project_field
from perfgoals.importers.interpret.report import Report
from perfgoals.importers.interpret.units import Unit
from perfgoals.importers.source import Row
from perfgoals.models import Footer, Indicator
from perfgoals.money import AmountError, parse_amount

_VALUE_FIELDS = ("value", "mid_term_value")
_TEXT_FIELDS = (
    "level1", "level2", "level3", "description", "value", "basis", "mid_term_value", "mid_term_level2",
    "mid_term_level3", "unit", "method", "standard", "expected_value",
)


@dataclass(slots=True)
class RowText:
    """One indicator row's text by field, with what a value written over several cells held besides it."""

    values: dict[str, str] = field(default_factory=dict)
    qualifiers: dict[str, list[str]] = field(default_factory=dict)  # value field → its ≥ / 定性 / 正向 cells
    units: dict[str, str] = field(default_factory=dict)  # value field → the unit cell after it
    extra: dict[str, str] = field(default_factory=dict)  # header → text, for columns with no field
    project: dict[str, str] = field(default_factory=dict)  # project field → text (Sichuan's merged columns)


@dataclass(slots=True)
class ReadRow:
    """A data row read: an indicator, or a footer, with the row's project cells."""

    row: Row
    indicator: Indicator | None = None
    footer: Footer | None = None
    project: dict[str, str] = field(default_factory=dict)


def row_text(unit: Unit, row: Row, layout: ColumnLayout, report: Report) -> RowText | None:
    """One row's text by field; ``None`` (an obstacle reported) when the row does not fit the header."""
    width = row_width(row)
    if width != layout.width:
        _width_obstacle(unit, row, width, layout.header_width, report)
        return None
    cells = expand_with_sources(row, layout.width)
    text = RowText()
    for group in layout.groups:
        if group.field == LABEL:
            continue
        sources = dict.fromkeys(cells[column][1] for column in group.columns)  # a merged cell counts once
        parts = [row.cells[source].strip() for source in sources if source < len(row.cells)]
        if group.field == EXTRA:
            text.extra[group.header] = "".join(parts)
            continue
        if is_project_field(group.field):
            text.project[group.field] = "".join(parts)
            continue
        split = split_value_parts(parts) if len(parts) > 1 and group.field in _VALUE_FIELDS else None
        if split is not None:
            text.values[group.field] = split[1]
            text.qualifiers[group.field] = split[0]
            if split[2]:
                text.units[group.field] = split[2]
        elif len(parts) > 1 and group.field in _VALUE_FIELDS and layout.width != layout.header_width:
            _width_obstacle(unit, row, width, layout.header_width, report)  # the widening guessed wrong
            return None
        elif group.field in JOINED_FIELDS:
            # 计算方法 beside 评分标准: one field, each column's text kept in column order.
            joined = [p for p in (text.values.get(group.field, ""), "".join(parts)) if p]
            text.values[group.field] = JOINER.join(joined)
        else:
            text.values[group.field] = "".join(parts)
    return text


def _width_obstacle(unit: Unit, row: Row, width: int, header_width: int, report: Report) -> None:
    what = "缺列" if width < header_width else "多列"
    report.obstacle(
        f"{unit.name}{row.place}", f"这一行有 {width} 列，表头有 {header_width} 列（{what}），请按表头补齐后再导入"
    )


def footer_of(row: Row) -> Footer | None:
    """A row closing the table (财政部门审核意见, 总分 100, 填表人：…), if it is one."""
    cells = list(dict.fromkeys(texts(row)))
    if not cells or len(cells) > 4:
        return None
    label = footer_label(cells[0])
    if label is None:
        return None
    first = cells[0].strip()
    rest = first[len(label) :].lstrip(":： ") if first.startswith(label) else ""
    return Footer(label=label, text="\n".join(part for part in [rest, *cells[1:]] if part))


def read_rows(unit: Unit, rows: list[Row], layout: ColumnLayout, header_rows: list[Row], report: Report) -> list[ReadRow]:
    """The data rows below the header: indicators and footers, in order."""
    repeated = {row_key(row) for row in header_rows}
    previous: dict[str, str] = {}
    result: list[ReadRow] = []
    footers_begun = False
    for row in rows:
        if row.is_blank or row_key(row) in repeated:
            continue  # a spacer row, or the header repeated where the table crossed a page
        footer = footer_of(row)
        if footer is not None or footers_begun:
            footers_begun = True
            result.append(ReadRow(row, footer=footer or Footer(label="", text="\n".join(texts(row)))))
            continue
        if len(row.cells) == 1 and layout.width > 2:
            only = row.cells[0].strip()
            if not is_continuation(only):
                # One cell across the table: a note (说明) below the indicators, not an indicator.
                report.note(f"{unit.name}{row.place}", f"未能识别的行“{only[:40]}”，未导入")
            continue
        text = row_text(unit, row, layout, report)
        if text is None:
            continue
        values = text.values
        if not values.get("level1"):
            values["level1"] = previous.get("level1", "")
            for name in ("level2", "mid_term_level2"):
                if not values.get(name) and name in previous:
                    values[name] = previous.get(name, "")
        previous = {name: values.get(name, "") for name in ("level1", "level2", "mid_term_level2") if name in values}
        indicator = Indicator(**{name: values.get(name, "") for name in ("level1", "level2", "level3", "description", "value", "basis")})
        for name in ("mid_term_value", "mid_term_level2", "mid_term_level3", "unit", "method", "standard", "expected_value"):
            if values.get(name):
                setattr(indicator, name, values[name])
        if layout.two_groups:
            for name in ("mid_term_level2", "mid_term_level3"):
                if name in values and getattr(indicator, name) is None:
                    setattr(indicator, name, "")
            two_groups.settle(indicator)
        if values.get("weight"):
            indicator.weight = _weight(unit, row, values["weight"], report)
        indicator.extra = {key: value for key, value in text.extra.items() if value}
        _qualify(unit, row, indicator, text, report)
        result.append(ReadRow(row, indicator=indicator, project=text.project))
    return result


def _weight(unit: Unit, row: Row, text: str, report: Report) -> Decimal | None:
    try:
        return parse_amount(text.strip().rstrip("%％分"))
    except AmountError:
        report.obstacle(f"{unit.name}{row.place}", f"权重“{text}”无法读作数字")
        return None


def _qualify(unit: Unit, row: Row, indicator: Indicator, text: RowText, report: Report) -> None:
    """指标性质 / 指标方向 / split-value cells: a 指标性质 column is kept apart as written (a 正向/反向 in it is
    the direction too); comparators written in the value's own cells stay with the value; 定性/定量 there
    says nothing to keep."""
    indicator.unit = text.values.get("unit") or text.units.get("value") or None
    mid_unit = text.units.get("mid_term_value")
    if indicator.mid_term_value is not None and mid_unit and mid_unit != indicator.unit:
        indicator.mid_term_value += mid_unit
    nature = text.values.get("nature", "").strip()
    if nature and not is_placeholder(nature):
        indicator.nature = nature
        if qualifier(nature) is Qualifier.DIRECTION:
            indicator.direction = direction(nature)
    for field_name in _VALUE_FIELDS:
        own = text.qualifiers.get(field_name, [])
        for part in own:
            if qualifier(part) is Qualifier.DIRECTION:
                indicator.direction = indicator.direction or direction(part)
        comparators = [part for part in own if qualifier(part) is Qualifier.COMPARATOR]
        current = getattr(indicator, field_name)
        if comparators and current is not None:
            setattr(indicator, field_name, "".join(comparators) + current)
    stated = text.values.get("direction", "").strip()
    if stated:
        read = direction(stated)
        if read is not None:
            indicator.direction = read
        elif qualifier(stated) is Qualifier.COMPARATOR and indicator.nature is None:
            indicator.value = stated + indicator.value  # a comparator typed under 指标方向
        elif qualifier(stated) is not Qualifier.KIND and not is_placeholder(stated):
            indicator.extra["指标方向（原文）"] = stated
            report.note(f"{unit.name}{row.place}", f"指标方向“{stated}”无法识别，按原文保留在“指标方向（原文）”中")
