"""Publication rounding: when two figures that should be equal count as equal.

Published figures are rounded to 0.01 of their unit.  A sum of ``n`` rounded figures may differ from
its rounded total by up to ``n × 0.005`` of that unit: such a difference is rounding, anything larger
is a mismatch.  Every comparison of money in perfgoals (the checks, the 对账 screen and sheet, the
importer's budget-line linking) decides it here, in 万元, with the tolerance scaled to how coarsely
the figures involved were rounded.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from perfgoals.money import UNIT_IN_YUAN, WAN

ZERO = Decimal(0)
CENT = Decimal("0.01")
#: Half of the 0.01 to which published figures are rounded.
ROUNDING_STEP = Decimal("0.005")
_ONE, _HUNDRED = Decimal(1), Decimal(100)


class Status(StrEnum):
    """How a computed figure compares with the published one."""

    OK = "ok"
    ROUNDING = "rounding"
    MISMATCH = "mismatch"


def rounding_tolerance(items: int) -> Decimal:
    """The largest difference publication rounding explains when ``items`` rounded figures are summed
    (in units of the figures' rounding unit: multiply by :func:`rounding_factor`)."""
    return ROUNDING_STEP * max(items, 1)


def unit_factor(unit: str | None) -> Decimal:
    """How many 万元 one ``unit`` is (元 → 0.0001); unknown units count as 万元."""
    factor = UNIT_IN_YUAN.get(unit or "万元")
    return _ONE if factor is None else factor / WAN


def rounding_factor(figures: Iterable[tuple[Decimal | None, str | None]]) -> Decimal:
    """How many 万元 the coarsest rounding unit among ``figures`` (amount, unit) is: 0.01 of it is the
    rounding step that :func:`rounding_tolerance` allows for each figure.

    Usually the coarsest unit written (元 → 0.0001).  A figure in a finer unit may have been rounded
    coarser than it is written: whole hundreds of 元 are a 万元 figure printed in 元, rounded to 0.01 万元,
    and whole 元 were rounded to 1 元.  The step follows the rounding, never coarser than 0.01 万元.
    """
    factor = None
    for amount, unit in figures:
        in_yuan = UNIT_IN_YUAN.get(unit or "万元")
        current = _ONE if in_yuan is None else in_yuan / WAN
        if current < _ONE and amount:
            if amount % _HUNDRED == 0:
                current = min(_ONE, current * WAN)
            elif amount % _ONE == 0:
                current = min(_ONE, current * _HUNDRED)
        if factor is None or current > factor:
            factor = current
    return _ONE if factor is None else factor


def coarsest(units: Iterable[str | None]) -> Decimal:
    """The coarsest of ``units``, in 万元 (万元 → 1, 元 → 0.0001)."""
    factor = None
    for unit in units:
        current = _ONE if unit == "万元" or unit is None else unit_factor(unit)
        if factor is None or current > factor:
            factor = current
    return _ONE if factor is None else factor


def settle(computed: Decimal, published: Decimal, *, items: int, factor: Decimal = _ONE) -> Status:
    """Whether ``computed`` (a sum of ``items`` figures) agrees with the ``published`` figure.

    Both are in 万元; ``factor`` is the rounding unit of the figures involved, in 万元.
    """
    if computed == published:
        return Status.OK
    rounded = (computed / factor).quantize(CENT, rounding=ROUND_HALF_UP) * factor
    if rounded == published:
        return Status.OK
    if abs(computed - published) <= rounding_tolerance(items) * factor:
        return Status.ROUNDING
    return Status.MISMATCH
