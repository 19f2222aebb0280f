"""Exact money handling: reading figures as written, and normalising units to 万元."""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation

#: How many 元 one unit is worth.  Keys are the unit words seen in budget documents.
UNIT_IN_YUAN: dict[str, Decimal] = {
    "元": Decimal(1),
    "千元": Decimal(1000),
    "万元": Decimal(10000),
    "万": Decimal(10000),
    "百万元": Decimal(1000000),
    "亿元": Decimal(100000000),
    "亿": Decimal(100000000),
}

WAN = Decimal(10000)


class AmountError(ValueError):
    """A figure that cannot be read as an amount; the message says why, in Chinese."""


def normalise_unit(text: str) -> str:
    """Return the unit word of a unit line such as ``单位：万元`` or ``金额单位:元``."""
    text = unicodedata.normalize("NFKC", text).strip()
    match = re.search(r"(?:单位|金额单位)\s*[:：]?\s*(百万元|千元|万元|亿元|元)", text)
    if match:
        return match.group(1)
    if text in UNIT_IN_YUAN:
        return text
    raise AmountError(f"无法识别的金额单位：{text!r}")


def to_wan(amount: Decimal, unit: str) -> Decimal:
    """Convert ``amount`` written in ``unit`` to 万元, exactly."""
    try:
        factor = UNIT_IN_YUAN[unit]
    except KeyError:
        raise AmountError(f"无法识别的金额单位：{unit!r}") from None
    if factor == WAN:
        return amount
    return amount * factor / WAN


def from_wan(amount: Decimal, unit: str) -> Decimal:
    """Convert an amount in 万元 to ``unit``, exactly."""
    factor = UNIT_IN_YUAN[unit]
    if factor == WAN:
        return amount
    return amount * WAN / factor


_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")
_GROUPED = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")


def parse_amount(text: str) -> Decimal | None:
    """Read a figure as written in a table cell; blank means ``None``.

    Accepts ``1135.10``, ``1,135.10``, full-width ``１１３５.１０``, a trailing unit-free ``万``
    multiplier is *not* applied here (units belong to the table).  Raises :class:`AmountError`.
    """
    cleaned = unicodedata.normalize("NFKC", text).strip().replace(" ", "")
    if cleaned in ("", "-", "—", "——", "--"):
        return None
    if _GROUPED.match(cleaned):
        cleaned = cleaned.replace(",", "")
    if not _NUMBER.match(cleaned):
        raise AmountError(f"不是金额：{text.strip()[:40]!r}")
    whole, _, fraction = cleaned.lstrip("+-").partition(".")
    if len(whole.lstrip("0")) > 15 or len(fraction) > 6:
        raise AmountError(f"金额位数超过上限（整数最多 15 位、小数最多 6 位）：{text.strip()[:40]!r}")
    try:
        return Decimal(cleaned)
    except InvalidOperation:  # pragma: no cover - the regex admits only valid literals
        raise AmountError(f"不是金额：{text.strip()!r}") from None
