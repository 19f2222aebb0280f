"""The cost ceiling: how much money a goal table's 成本指标 rows promise.

One definition, read by the checks (PG101, PG104, PG105, PG110), by the importer when it infers a
project's amount from its goal table, and by the screens that show it:

* the cost rows are those the framework calls 成本 (or labelled so), with a value that reads as money
  once joined with its 度量单位 column;
* if some of them is a total (its 三级 says 总, 控制 or 合计: ``预算总成本``, ``项目控制数``), the
  ceiling is that row (the largest, if several: the others are parts of it);
* otherwise the parts add up to the ceiling (``设备购置成本 ≤10万元`` + ``运维成本 ≤5万元``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol

from perfgoals.reading.money import money_unit
from perfgoals.values import ParsedValue, ValueKind

#: Words in a cost row's 三级 that make it the total of the cost rows.
TOTAL_WORDS: tuple[str, ...] = ("总", "控制", "合计")
_MONEY = ValueKind.MONEY
#: Each money unit word as the unit it names (``万`` → ``万元``), for the one-row case.
_UNITS: dict[str, str] = {word: unit for word in ("元", "千元", "万元", "百万元", "亿元", "万", "亿")
                          if (unit := money_unit(word)) is not None}


class CostRow(Protocol):
    """What the ceiling reads of a row (:class:`perfgoals.reading.rows.RowReading`, the checks' RowFacts)."""

    @property
    def level3(self) -> str: ...
    @property
    def value_text(self) -> str: ...
    @property
    def parsed(self) -> ParsedValue: ...
    @property
    def is_cost(self) -> bool: ...
    @property
    def blank(self) -> bool: ...


@dataclass(frozen=True, slots=True)
class Ceiling:
    """The money a goal table's cost rows promise."""

    wan: Decimal  # in 万元
    rows: tuple[int, ...]  # the 1-based rows it is read from
    written: str  # as written, for messages: ``≤21.87万元``; several joined by ``＋``
    units: tuple[str, ...]  # each row's money unit (万元, 元 …)
    figure: Decimal  # the amount in ``unit``: as written for one row, else the rows' sum
    unit: str

    @property
    def row(self) -> int:
        """The row a finding about the ceiling points at: the first it is read from."""
        return self.rows[0]


def _is_total(row: CostRow) -> bool:
    return any(word in row.level3 for word in TOTAL_WORDS)


def cost_ceiling(rows: Sequence[CostRow]) -> Ceiling | None:
    """The ceiling of a goal table whose rows are ``rows`` (in order), or ``None`` when no cost row is money."""
    money: list[tuple[int, CostRow]] = []
    for number, row in enumerate(rows, start=1):
        if row.is_cost and not row.blank:
            parsed = row.parsed
            if parsed.kind is _MONEY and parsed.amount_wan is not None and parsed.number is not None:
                money.append((number, row))
    if not money:
        return None
    if len(money) == 1:  # the usual table: one cost row
        number, row = money[0]
        parsed = row.parsed
        unit = _UNITS.get(parsed.unit or "", "万元")
        assert parsed.amount_wan is not None and parsed.number is not None
        return Ceiling(parsed.amount_wan, (number,), row.value_text.strip(), (unit,), parsed.number, unit)
    totals = [(number, row) for number, row in money if _is_total(row)]
    chosen = [max(totals, key=lambda item: item[1].parsed.amount_wan or Decimal(0))] if totals else money
    units = tuple(money_unit(row.parsed.unit or "") or "万元" for _, row in chosen)
    total_wan = sum((row.parsed.amount_wan or Decimal(0) for _, row in chosen), Decimal(0))
    if len(set(units)) == 1:
        figure = sum((row.parsed.number or Decimal(0) for _, row in chosen), Decimal(0))
        unit = units[0]
    else:
        figure, unit = total_wan, "万元"
    return Ceiling(
        wan=total_wan,
        rows=tuple(number for number, _ in chosen),
        written="＋".join(row.value_text.strip() for _, row in chosen),
        units=units,
        figure=figure,
        unit=unit,
    )
