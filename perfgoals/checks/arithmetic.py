"""The budget tables' arithmetic: a published total against what it should equal.

Whether a difference is rounding is decided by :mod:`perfgoals.reading.rounding` (a sum of ``n``
figures rounded to 0.01 may differ from its total by ``n × 0.005``), in 万元 so that rows written in
元 and 万元 mix correctly.  This module records each relation as a :class:`Comparison` with the words
its message needs.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from perfgoals.reading.amounts import to_wan_or_none as wan
from perfgoals.reading.money import format_wan
from perfgoals.reading.rounding import (
    CENT,
    ZERO,
    Status,
    coarsest,
    rounding_factor,
    settle,
    unit_factor,
)

__all__ = [
    "CENT",
    "ZERO",
    "Comparison",
    "Status",
    "agrees",
    "coarsest",
    "compare",
    "fmt",
    "fmt_plain",
    "settle",
    "unit_factor",
    "wan",
]


def fmt(amount_wan: Decimal | None, unit: str = "万元") -> str:
    """An amount held in 万元, for a message, in ``unit``: ``1,135.10 万元``, rounded to 0.01 of the unit
    (:func:`perfgoals.reading.money.format_wan`)."""
    return format_wan(amount_wan, unit)


def fmt_plain(amount: Decimal | None) -> str:
    """A figure without a unit, e.g. for 数量 × 单价."""
    if amount is None:
        return "（空）"
    return format(amount.normalize(), "f")


@dataclass(frozen=True, slots=True)
class Comparison:
    """One arithmetic relation of the budget tables, evaluated.

    ``rule`` owns a mismatch; ``key`` groups rounding notes by place (one note per line or row);
    ``subject`` names the place (``科目 20607 科学技术普及``), ``column`` the figure (``基本支出``),
    ``relation`` what the published figure should equal (``各项合计``).
    """

    rule: str
    key: str
    subject: str
    column: str
    relation: str
    computed: Decimal
    published: Decimal
    items: int
    factor: Decimal
    unit: str
    status: Status
    budget_line: str | None = None
    table: str | None = None
    project: int | None = None

    @property
    def difference(self) -> Decimal:
        return self.computed - self.published

    def describe(self) -> str:
        """``基本支出：各项合计 418.84 万元，公布数 418.85 万元，相差 0.01 万元``."""
        return (
            f"{self.column}：{self.relation} {fmt(self.computed, self.unit)}，"
            f"公布数 {fmt(self.published, self.unit)}，相差 {fmt(abs(self.difference), self.unit)}"
        )


def agrees(parts: Iterable[tuple[Decimal | None, str | None]], published: Decimal | None, unit: str | None) -> bool:
    """The usual case, decided without conversions or objects: everything in 万元 and Σ ``parts``
    equal to ``published``, or nothing to compare.  ``False`` means "ask :func:`compare`"; callers in
    loops over a province's tables test this first so that they build no messages for figures that add up.
    """
    if published is None:
        return True
    if unit != "万元":
        return False
    total = ZERO
    count = 0
    for amount, part_unit in parts:
        if amount is None:
            continue
        if part_unit != "万元":
            return False
        total += amount
        count += 1
    return count == 0 or total == published


def compare(
    *,
    rule: str,
    key: str,
    subject: str,
    column: str,
    relation: str,
    parts: Iterable[tuple[Decimal | None, str | None]],
    published: tuple[Decimal | None, str | None],
    budget_line: str | None = None,
    table: str | None = None,
    project: int | None = None,
    keep_ok: bool = False,
) -> Comparison | None:
    """Compare Σ ``parts`` with ``published`` (each an amount and its unit).

    Returns ``None`` when there is nothing to compare (the published figure is blank, or every part
    is) and, unless ``keep_ok``, when the figures agree: most relations hold, and only the others
    are reported.  Blank parts among figured ones are empty cells of the table and add nothing.
    """
    if published[0] is None:
        return None
    if not keep_ok and agrees(parts, published[0], published[1]):
        return None
    total = wan(*published)
    if total is None:
        return None
    values: list[Decimal] = []
    for amount, unit in parts:
        if amount is None:
            continue
        value = wan(amount, unit)
        if value is not None:
            values.append(value)
    if not values:
        return None
    computed = sum(values, ZERO)
    if computed == total and not keep_ok:
        return None
    factor = rounding_factor([*parts, published])
    status = settle(computed, total, items=len(values), factor=factor)
    if status is Status.OK and not keep_ok:
        return None
    return Comparison(
        rule=rule,
        key=key,
        subject=subject,
        column=column,
        relation=relation,
        computed=computed,
        published=total,
        items=len(values),
        factor=factor,
        unit=published[1] or "万元",
        status=status,
        budget_line=budget_line,
        table=table,
        project=project,
    )
