"""Exact money handling: reading figures as written, and normalising units to 万元."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
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
ROUNDING_STEP = Decimal("0.005")  # half of the 0.01 to which published figures are rounded


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


_CN_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "壹": 1,
    "二": 2,
    "贰": 2,
    "两": 2,
    "三": 3,
    "叁": 3,
    "四": 4,
    "肆": 4,
    "五": 5,
    "伍": 5,
    "六": 6,
    "陆": 6,
    "七": 7,
    "柒": 7,
    "八": 8,
    "捌": 8,
    "九": 9,
    "玖": 9,
}
_CN_SMALL_UNITS = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
_CN_BIG_UNITS = {"万": 10000, "萬": 10000, "亿": 100000000}
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")
_GROUPED = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")


def _chinese_integer(text: str) -> int:
    total = section = digit = 0
    for char in text:
        if char in _CN_DIGITS:
            digit = _CN_DIGITS[char]
        elif char in _CN_SMALL_UNITS:
            section += (digit or 1) * _CN_SMALL_UNITS[char]
            digit = 0
        elif char in _CN_BIG_UNITS:
            total = (total + section + digit) * _CN_BIG_UNITS[char]
            section = digit = 0
        else:
            raise AmountError(f"无法识别的数字：{text!r}")
    return total + section + digit


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
        raise AmountError(f"不是金额：{text.strip()!r}")
    try:
        return Decimal(cleaned)
    except InvalidOperation:  # pragma: no cover - the regex admits only valid literals
        raise AmountError(f"不是金额：{text.strip()!r}") from None


def parse_user_amount(text: str, field_unit: str = "万元") -> Decimal:
    """Read an amount a person typed into a field kept in ``field_unit``.

    Takes plain and grouped figures (``21.87``, ``1,135.10``, full-width digits) and Chinese forms
    (``二十一点八七``, ``壹佰贰拾``), optionally followed by a unit (``元``, ``万元``, ``亿元``, or a
    bare ``万``/``亿`` multiplier), which is converted to ``field_unit``.  Raises :class:`AmountError`.
    """
    cleaned = unicodedata.normalize("NFKC", text).strip().replace(" ", "").replace(",", "")
    if not cleaned:
        raise AmountError("金额不能为空")
    unit = field_unit
    for suffix in ("百万元", "千元", "万元", "亿元", "元"):
        if cleaned.endswith(suffix) and len(cleaned) > len(suffix):
            cleaned, unit = cleaned[: -len(suffix)], suffix
            break
    multiplier = Decimal(1)
    if cleaned[-1:] in ("万", "亿") and len(cleaned) > 1 and (_NUMBER.match(cleaned[:-1]) is not None):
        multiplier = Decimal(_CN_BIG_UNITS[cleaned[-1]])
        cleaned = cleaned[:-1]
    if _NUMBER.match(cleaned):
        number = Decimal(cleaned)
    elif "点" in cleaned:
        whole, _, fraction = cleaned.partition("点")
        digits = "".join(str(_CN_DIGITS[c]) for c in fraction if c in _CN_DIGITS)
        if not digits or len(digits) != len(fraction):
            raise AmountError(f"无法识别的数字：{text.strip()!r}")
        number = Decimal(f"{_chinese_integer(whole) if whole else 0}.{digits}")
    else:
        try:
            number = Decimal(_chinese_integer(cleaned))
        except AmountError:
            raise AmountError(f"无法识别的金额：{text.strip()!r}") from None
    number *= multiplier
    if unit == field_unit:
        return number
    return from_wan(to_wan(number, unit), field_unit)


def rounding_tolerance(items: int) -> Decimal:
    """The largest difference publication rounding explains when ``items`` rounded figures are summed."""
    return ROUNDING_STEP * max(items, 1)


_ONE, _HUNDRED = Decimal(1), Decimal(100)


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


def format_amount(amount: Decimal | None) -> str:
    if amount is None:
        return ""
    return f"{amount:,.2f}"
