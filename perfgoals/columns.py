"""The columns of a goal table (绩效目标表): one registry that the TUI grid, the export and the workbook
reader all read, so that a column is named, ordered, typed and shown the same way everywhere.

Every field of :class:`perfgoals.models.Indicator` is a column here.  The six standard columns are
always shown; an optional one (实施期指标值, 度量单位, 指标方向, 权重, 计算方法, 上年指标值) only when
some row of the table fills it in, or when a person adds it (the TUI's 添加列).

A cell is always edited as text: :func:`cell_text` gives a field's text, and :func:`parse_cell` reads
typed text back into the field's value (a weight is a number, a direction 正向/反向), refusing with a
Chinese reason what cannot be stored, so that nothing typed is silently changed or dropped.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any, Literal

from perfgoals.models import Direction, Indicator

#: How a column's cells are edited: free text; the indicator's value (read with its 度量单位); a level
#: of the indicator framework (chosen from it, or typed); one of a closed set; a number.
ColumnKind = Literal["text", "value", "level", "choice", "number"]


@dataclass(frozen=True, slots=True)
class Column:
    """One goal-table column: the Indicator field, its published label, a short label for narrow
    places (the TUI grid's header), how it is edited, and whether it is shown only when used."""

    field: str
    label: str
    short: str
    kind: ColumnKind = "text"
    optional: bool = False
    #: The closed set of texts a ``choice`` column takes.
    choices: tuple[str, ...] = ()
    #: Whether perfgoals' own workbook prints the column (when used): the export's columns are these.
    exported: bool = True


#: A column of a table's own, kept in :attr:`Indicator.extra` under its header: ``extra:数据来源``.
EXTRA_PREFIX = "extra:"

_COLUMNS: tuple[Column, ...] = (
    Column("level1", "一级指标", "一级指标", "level"),
    Column("level2", "二级指标", "二级指标", "level"),
    Column("level3", "三级指标", "三级指标"),
    Column("description", "绩效指标描述", "指标描述"),
    Column("mid_term_level2", "实施期二级指标", "实施期二级", optional=True, exported=False),
    Column("mid_term_level3", "实施期三级指标", "实施期三级", optional=True, exported=False),
    Column("mid_term_value", "实施期指标值", "实施期指标值", "value", optional=True),
    Column("nature", "指标性质", "指标性质", optional=True, exported=False),
    Column("value", "指标值", "指标值", "value"),
    Column("expected_value", "当年预期实现值", "预期实现值", "value", optional=True, exported=False),
    Column("unit", "度量单位", "度量单位", optional=True),
    Column("direction", "指标方向", "指标方向", "choice", optional=True, choices=tuple(d.value for d in Direction)),
    Column("weight", "权重", "权重", "number", optional=True),
    Column("basis", "指标值确定依据", "确定依据"),
    Column("standard", "绩效标准", "绩效标准", optional=True, exported=False),
    Column("method", "计算方法", "计算方法", optional=True),
    Column("reference_value", "上年指标值", "上年指标值", "value", optional=True),
    Column("reference_actual", "上年实际完成值", "上年实际", "value", optional=True),
)
# (exported=False: kept from the layouts that have them, shown and edited in the TUI, not printed by
# perfgoals' own workbook, whose columns stay those it has always printed.)

#: Every column of the Indicator model, in the order of the published layouts; optional ones only when used.
INDICATOR_COLUMNS: tuple[Column, ...] = tuple(c for c in _COLUMNS if c.field in Indicator.model_fields)

COLUMNS_BY_FIELD: dict[str, Column] = {column.field: column for column in INDICATOR_COLUMNS}

#: The export's columns (what perfgoals' workbook prints), in order.
EXPORTED_COLUMNS: tuple[Column, ...] = tuple(c for c in INDICATOR_COLUMNS if c.exported)

#: The fields of the columns always shown, in order.
STANDARD_FIELDS: tuple[str, ...] = tuple(c.field for c in INDICATOR_COLUMNS if not c.optional)
#: The fields of the columns shown only when used, in order.
OPTIONAL_FIELDS: tuple[str, ...] = tuple(c.field for c in INDICATOR_COLUMNS if c.optional)
#: Every column's field, in order.
ALL_FIELDS: tuple[str, ...] = tuple(c.field for c in INDICATOR_COLUMNS)

#: Header words a pasted or imported header row may use for a column, besides its labels.
HEADER_ALIASES: dict[str, str] = {
    "年度指标值": "value",
    "指标值（年度）": "value",
    "年度目标值": "value",
    "实施期目标值": "mid_term_value",
    "描述": "description",
    "指标描述": "description",
    "确定依据": "basis",
    "依据": "basis",
    "权重（%）": "weight",
    "权重(%)": "weight",
    "分值": "weight",
    "指标方向性": "direction",
    "方向": "direction",
    "单位": "unit",
    "评分标准": "method",
    "评（计）分标准": "method",
    "上年值": "reference_value",
    "上年实际": "reference_actual",
    "上年实际值": "reference_actual",
}


def used_fields(indicators: Iterable[Indicator], extra: Iterable[str] = ()) -> tuple[str, ...]:
    """The columns ``indicators`` show: the standard ones, then every optional one that some row fills
    in or that ``extra`` names (a column added by hand before anything is typed into it), in order."""
    rows = list(indicators)
    wanted = list(extra)
    fields = [
        column.field
        for column in INDICATOR_COLUMNS
        if not column.optional
        or column.field in wanted
        or any(getattr(row, column.field, None) is not None for row in rows)
    ]
    # A table's own columns (数据来源 …), in the order first met, and any added by hand.
    own = {f"{EXTRA_PREFIX}{header}": None for row in rows for header in _extras(row)}
    own.update({field: None for field in wanted if field.startswith(EXTRA_PREFIX)})
    return (*fields, *own)


def _extras(indicator: Indicator) -> dict[str, str]:
    extra = getattr(indicator, "extra", None)
    return extra if isinstance(extra, dict) else {}


def column(field: str) -> Column:
    """The column of ``field``: the registry's, or a table's own column (``extra:表头``)."""
    found = COLUMNS_BY_FIELD.get(field)
    if found is not None:
        return found
    if field.startswith(EXTRA_PREFIX) and "extra" in Indicator.model_fields:
        header = field.removeprefix(EXTRA_PREFIX)
        return Column(field, header, header, optional=True, exported=False)
    raise KeyError(field)


def is_column(field: str) -> bool:
    try:
        column(field)
    except KeyError:
        return False
    return True


def label(field: str) -> str:
    """The short (grid) label of a column."""
    return column(field).short


def header_field(text: str) -> str | None:
    """The field a header cell names (``一级指标``, ``绩效指标描述``, ``权重（%）`` …), or ``None``."""
    word = "".join(text.split())
    for column in INDICATOR_COLUMNS:
        if word in (column.label, column.short):
            return column.field
    return HEADER_ALIASES.get(word)


def header_fields(cells: Sequence[str]) -> list[str] | None:
    """The fields a row of header cells names, when every non-empty cell names one (and one is the
    三级 or the 一级, so that a row of values is never taken for a header); else ``None``."""
    named = [header_field(cell) if cell.strip() else "" for cell in cells]
    if not any(named) or any(field is None for field in named):
        return None
    fields = [field or "" for field in named]
    if not {"level1", "level3"} & set(fields):
        return None
    return fields


def cell_text(indicator: Indicator, field: str) -> str:
    """A cell as text: what was typed, a weight's number as written, a direction's word."""
    if field.startswith(EXTRA_PREFIX):
        return _extras(indicator).get(field.removeprefix(EXTRA_PREFIX), "")
    value = getattr(indicator, field, None)
    if value is None:
        return ""
    if isinstance(value, Direction):
        return value.value
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


class CellValueError(ValueError):
    """Typed text that the column cannot hold; the message says why, in Chinese."""


_DIRECTION_WORDS: dict[str, Direction] = {
    "正向": Direction.POSITIVE,
    "正向指标": Direction.POSITIVE,
    "正": Direction.POSITIVE,
    "+": Direction.POSITIVE,
    "反向": Direction.NEGATIVE,
    "反向指标": Direction.NEGATIVE,
    "反": Direction.NEGATIVE,
    "-": Direction.NEGATIVE,
}


def parse_cell(field: str, text: str) -> Any:
    """The value to store for ``text`` typed into ``field``'s column.

    Text is kept exactly as typed; an optional column left empty is absent (``None``), as the importers
    leave it.  Raises :class:`CellValueError` for text the field cannot hold (a weight that is no number,
    a direction other than 正向/反向).
    """
    try:
        found = column(field)
    except KeyError:
        raise CellValueError(f"不可编辑的列：{field}") from None
    if found.field.startswith(EXTRA_PREFIX):
        return text
    if found.kind == "number":
        stripped = text.strip().removesuffix("%").removesuffix("％").strip()
        if not stripped:
            return None
        try:
            number = Decimal(stripped.translate(_FULL_WIDTH_DIGITS))
        except InvalidOperation:
            raise CellValueError(f"{found.label}应为数字，如 10 或 12.5（输入的是“{text}”）") from None
        if not number.is_finite() or number < 0:
            raise CellValueError(f"{found.label}应为不小于 0 的数字（输入的是“{text}”）")
        return number
    if found.kind == "choice" and field == "direction":
        stripped = text.strip()
        if not stripped:
            return None
        direction = _DIRECTION_WORDS.get(stripped)
        if direction is None:
            raise CellValueError(f"{found.label}只能是“正向”或“反向”（输入的是“{text}”）")
        return direction
    if found.optional:
        return text or None
    return text


def value_of(indicator: Indicator, field: str) -> Any:
    """What ``field`` holds now (the text of a table's own column)."""
    if field.startswith(EXTRA_PREFIX):
        return _extras(indicator).get(field.removeprefix(EXTRA_PREFIX))
    return getattr(indicator, field, None)


def set_value(indicator: Indicator, field: str, value: Any) -> None:
    """Store a value :func:`parse_cell` gave (a table's own column: empty removes it from the row)."""
    if field.startswith(EXTRA_PREFIX):
        header = field.removeprefix(EXTRA_PREFIX)
        extra = dict(_extras(indicator))
        if value:
            extra[header] = value
        else:
            extra.pop(header, None)
        indicator.extra = extra  # type: ignore[attr-defined,unused-ignore]
        return
    setattr(indicator, field, value)


_FULL_WIDTH_DIGITS = str.maketrans("０１２３４５６７８９．", "0123456789.")
