"""One money reader for people: an amount typed into a field, and how an amount is printed.

:func:`read_money` reads ``21.87``, ``1,135.10``, ``21.87万``, ``218700元``, ``1.2亿``,
``二十一点八七万``, ``壹万贰仟叁佰肆拾伍元陆角柒分`` and the like, keeping the figure in the unit it was
written in.  A bare ``万``/``亿`` at the end is the unit (万元/亿元), never a multiplier on top of the
field's unit.  Everything it cannot read with certainty it refuses with a Chinese message naming what
was typed: badly grouped digits are refused, never re-read as some other amount.

The reader is a single left-to-right scan (no backtracking), so any input returns or raises in time
linear in its length.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Context, Decimal, localcontext

from perfgoals.money import UNIT_IN_YUAN, WAN, AmountError, from_wan, to_wan

__all__ = [
    "MAX_DECIMALS",
    "MAX_YUAN",
    "AmountError",
    "Money",
    "format_money",
    "format_wan",
    "money_unit",
    "read_money",
]

#: The largest amount accepted, in 元: 1000 万亿元.
MAX_YUAN = Decimal(10) ** 15
#: How :data:`MAX_YUAN` is said in messages.
MAX_TEXT = "1000 万亿元"
#: The most decimal places accepted in a figure as written.
MAX_DECIMALS = 6

#: The units an amount is kept in.
MONEY_UNITS = ("元", "千元", "万元", "百万元", "亿元")
_UNIT_WORDS: dict[str, str] = {unit: unit for unit in MONEY_UNITS} | {"万": "万元", "亿": "亿元"}


def money_unit(word: str) -> str | None:
    """The unit a unit word names: ``万`` → ``万元``, ``亿`` → ``亿元``, ``元``, ``千元``, ``万元``,
    ``百万元``, ``亿元`` as themselves; ``None`` for anything else."""
    return _UNIT_WORDS.get(word)


# An exact context for the reader's arithmetic: every value it builds is bounded (at most a few dozen
# digits), so nothing is ever rounded.
_EXACT = Context(prec=80)


@dataclass(frozen=True, slots=True)
class Money:
    """An amount as written: ``amount`` in ``unit`` (one of :data:`MONEY_UNITS`)."""

    amount: Decimal
    unit: str

    def __post_init__(self) -> None:
        if self.unit not in MONEY_UNITS:
            raise AmountError(f"无法识别的金额单位：{self.unit!r}")

    @property
    def wan(self) -> Decimal:
        """The amount in 万元, exactly."""
        with localcontext(_EXACT):
            return to_wan(self.amount, self.unit)

    def in_unit(self, unit: str) -> Decimal:
        """The amount in ``unit`` (a unit word, ``万`` and ``亿`` included), exactly."""
        target = money_unit(unit)
        if target is None:
            raise AmountError(f"无法识别的金额单位：{unit!r}")
        if target == self.unit:
            return self.amount
        with localcontext(_EXACT):
            return from_wan(to_wan(self.amount, self.unit), target)


# --- reading -------------------------------------------------------------------------------------

_ASCII_DIGITS = "0123456789"
_ARABIC_CHARS = frozenset(_ASCII_DIGITS + ".,")
_CN_DIGITS: dict[str, int] = {
    "〇": 0,
    "零": 0,
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
_SMALL: dict[str, int] = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
_TEN = frozenset("十拾")
_BIG_UNIT = {"万": "万元", "亿": "亿元"}
# Traditional and cheque forms, read as their everyday equivalents before anything else.
_VARIANTS = str.maketrans({"萬": "万", "億": "亿", "圆": "元", "−": "-"})
_CURRENCY_PREFIXES = ("人民币", "¥")  # NFKC turns ￥ into ¥
_NEGATIVE_PREFIXES = ("-", "负")
_TRAILERS = ("整", "正")
_D0, _D_WAN, _D_YI = Decimal(0), Decimal(10_000), Decimal(100_000_000)
# An integer part with more significant digits than this is more than MAX_YUAN in any unit.
_MAX_INTEGER_DIGITS = len(str(int(MAX_YUAN)))


def _shown(text: str) -> str:
    """What was typed, for a message: stripped, and cut short when long."""
    text = text.strip()
    if len(text) > 40:
        text = text[:40] + "…"
    return repr(text)


class _Refusal:
    """The messages :func:`read_money` raises, each naming what was typed."""

    def __init__(self, typed: str) -> None:
        self.shown = _shown(typed)

    def unreadable(self) -> AmountError:
        return AmountError(f"无法识别的金额：{self.shown}")

    def negative(self) -> AmountError:
        return AmountError(f"金额不能为负数：{self.shown}")

    def grouping(self) -> AmountError:
        return AmountError(f"千位分隔符位置不对（逗号应每三位一个，如 1,135.10）：{self.shown}")

    def decimals(self) -> AmountError:
        return AmountError(f"小数位数过多（最多 {MAX_DECIMALS} 位）：{self.shown}")

    def too_large(self) -> AmountError:
        return AmountError(f"金额过大（最多 {MAX_TEXT}）：{self.shown}")

    def exponent(self) -> AmountError:
        return AmountError(f"金额不能用科学计数法书写：{self.shown}")


def _arabic(token: str, refuse: _Refusal) -> tuple[Decimal, bool]:
    """A run of ASCII digits, commas and points: its value, and whether it has a fractional part."""
    whole, _, fraction = token.partition(".")
    if "." in fraction:
        raise refuse.unreadable()
    if "," in fraction:
        raise refuse.grouping()
    if "," in whole:
        groups = whole.split(",")
        if not (1 <= len(groups[0]) <= 3 and all(len(group) == 3 for group in groups[1:])):
            raise refuse.grouping()
        whole = "".join(groups)
    if not whole and not fraction:
        raise refuse.unreadable()
    if len(fraction) > MAX_DECIMALS:
        raise refuse.decimals()
    if len(whole.lstrip("0")) > _MAX_INTEGER_DIGITS:
        raise refuse.too_large()
    if fraction:
        return Decimal(f"{whole or '0'}.{fraction}"), True
    return Decimal(whole), False


def _plain_number(text: str) -> bool:
    return bool(text) and all(char in _ARABIC_CHARS for char in text)


@dataclass(slots=True)
class _Numeral:
    """The parts of a number read so far: ``yi`` 亿 + ``wan`` 万 + ``section`` + ``digit``."""

    yi: Decimal | None = None
    wan: Decimal | None = None
    section: Decimal = _D0
    digit: Decimal | None = None  # a digit (or Arabic figure) not yet taken by a magnitude
    last_small: int = 0  # the last 十/百/千 of this section: each must be smaller than the one before
    in_group: bool = False  # something has been written since the last 万/亿
    fraction: bool = False  # a decimal fraction has been read: only magnitudes may follow

    def low(self) -> Decimal:
        return self.section + (self.digit if self.digit is not None else _D0)

    def end_group(self) -> None:
        self.section, self.digit, self.last_small, self.in_group = _D0, None, 0, False


def _read_numeral(core: str, refuse: _Refusal) -> _Numeral:
    """Scan a number written with Arabic figures, Chinese numerals or both, once, left to right."""
    state = _Numeral()
    i, n = 0, len(core)
    while i < n:
        char = core[i]
        if char in _ARABIC_CHARS:
            j = i
            while j < n and core[j] in _ARABIC_CHARS:
                j += 1
            if state.digit is not None or state.fraction:
                raise refuse.unreadable()
            state.digit, state.fraction = _arabic(core[i:j], refuse)
            state.in_group = True
            i = j
            continue
        if char in _CN_DIGITS:
            value = _CN_DIGITS[char]
            if state.digit is not None or state.fraction:
                raise refuse.unreadable()
            if value:  # 零 is a placeholder (一百零五): nothing is pending after it
                state.digit = Decimal(value)
            state.in_group = True
        elif char == "点":
            j = i + 1
            while j < n and core[j] in _CN_DIGITS and core[j] != "两" and j - i <= MAX_DECIMALS + 1:
                j += 1
            places = j - i - 1
            if not places or state.fraction:
                raise refuse.unreadable()
            if places > MAX_DECIMALS:
                raise refuse.decimals()
            fraction = Decimal("0." + "".join(str(_CN_DIGITS[c]) for c in core[i + 1 : j]))
            state.digit = fraction if state.digit is None else state.digit + fraction
            state.fraction = state.in_group = True
            i = j
            continue
        elif char in _SMALL:
            magnitude = _SMALL[char]
            if state.last_small and magnitude >= state.last_small:
                raise refuse.unreadable()
            if state.digit is None:
                if char not in _TEN:  # 十五 is 15; a bare 百 or 千 is not a number
                    raise refuse.unreadable()
                state.digit = Decimal(1)
            state.section += state.digit * magnitude
            state.digit, state.last_small, state.in_group = None, magnitude, True
        elif char == "万":
            if state.wan is not None or not state.in_group:
                raise refuse.unreadable()
            state.wan = state.low()
            state.end_group()
        elif char == "亿":
            if state.yi is not None or not (state.in_group or state.wan is not None):
                raise refuse.unreadable()
            state.yi = (state.wan or _D0) * _D_WAN + state.low()
            state.wan = None
            state.end_group()
        else:
            raise refuse.unreadable()
        i += 1
    return state


def _numeral_amount(core: str, final: str | None, refuse: _Refusal) -> tuple[Decimal, bool]:
    """The amount ``core`` stands for, counted in the final 万 or 亿 when there is one (the unit);
    and whether a decimal fraction was written."""
    state = _read_numeral(core, refuse)
    if final == "万":
        if state.wan is not None or not state.in_group:
            raise refuse.unreadable()
        amount = state.low() if state.yi is None else state.yi * _D_WAN + state.low()
    elif final == "亿":
        if state.yi is not None or not (state.in_group or state.wan is not None):
            raise refuse.unreadable()
        amount = state.low() if state.wan is None else state.wan * _D_WAN + state.low()
    else:
        if not (state.in_group or state.wan is not None or state.yi is not None):
            raise refuse.unreadable()
        amount = state.low()
        if state.wan is not None:
            amount += state.wan * _D_WAN
        if state.yi is not None:
            amount += state.yi * _D_YI
    return amount, state.fraction


def _cents_digit(char: str) -> int | None:
    if char in _CN_DIGITS:
        return _CN_DIGITS[char]
    if char in _ASCII_DIGITS:
        return int(char)
    return None


def _split_cents(body: str, refuse: _Refusal) -> tuple[str, Decimal | None]:
    """Split ``…元陆角柒分`` into ``…元`` and ``0.67``; 角 and 分 only ever follow 元."""
    if not body.endswith(("角", "分")):
        return body, None
    end = len(body)
    jiao = fen = None
    if body.endswith("分"):
        fen = _cents_digit(body[-2]) if len(body) >= 2 else None
        if fen is None:
            raise refuse.unreadable()
        end -= 2
        if body[:end].endswith(("零", "〇")):
            end -= 1
            jiao = 0
    if jiao is None and body[:end].endswith("角"):
        jiao = _cents_digit(body[end - 2]) if end >= 2 else None
        if jiao is None:
            raise refuse.unreadable()
        end -= 2
    rest = body[:end]
    if not rest.endswith("元") or len(rest) < 2:
        raise refuse.unreadable()
    cents = f"0.{jiao or 0}{fen}" if fen is not None else f"0.{jiao}"
    return rest, Decimal(cents)


def _has_exponent(text: str) -> bool:
    """``1e5``, ``2.5E-3``: a figure, then e, then a figure (signed or not)."""
    for i in range(1, len(text) - 1):
        if text[i] in "eE" and text[i - 1] in _ARABIC_CHARS:
            after = text[i + 2] if text[i + 1] in "+-" and i + 2 < len(text) else text[i + 1]
            if after in _ASCII_DIGITS:
                return True
    return False


def _strip_prefixes(text: str, refuse: _Refusal) -> str:
    """Drop a leading ``¥``/``人民币`` and a ``+``, in either order; refuse a minus sign or 负 before
    the figure."""
    for _ in range(3):  # at most currency, sign, currency: a bounded number of steps
        if text.startswith(_NEGATIVE_PREFIXES):
            raise refuse.negative()
        for prefix in (*_CURRENCY_PREFIXES, "+"):
            if text.startswith(prefix):
                text = text[len(prefix) :]
                break
        else:
            break
    return text


def read_money(text: str, *, default_unit: str = "万元") -> Money:
    """Read an amount a person typed into a field; ``default_unit`` is the field's unit.

    The unit is the trailing unit word (``元``, ``千元``, ``万元``, ``百万元``, ``亿元``, or a bare ``万``/``亿``
    meaning 万元/亿元), else ``default_unit``; the amount is kept in the unit it was written in.  Raises
    :class:`~perfgoals.money.AmountError` with a Chinese message naming what was typed.
    """
    base_unit = money_unit(default_unit)
    if base_unit is None:
        raise AmountError(f"无法识别的金额单位：{default_unit!r}")
    refuse = _Refusal(text)
    body = "".join(unicodedata.normalize("NFKC", text).translate(_VARIANTS).split())
    if not body:
        raise AmountError("金额不能为空")
    if ("e" in body or "E" in body) and _has_exponent(body):
        raise refuse.exponent()
    body = _strip_prefixes(body, refuse)
    if body.endswith(_TRAILERS):
        body = body[:-1]
    body, cents = _split_cents(body, refuse)
    with localcontext(_EXACT):
        money = _read_body(body, base_unit, cents, refuse)
        if money.amount * UNIT_IN_YUAN[money.unit] > MAX_YUAN:
            raise refuse.too_large()
    return money


def _read_body(body: str, base_unit: str, cents: Decimal | None, refuse: _Refusal) -> Money:
    has_yuan = body.endswith("元")
    core = body[:-1] if has_yuan else body
    if has_yuan:
        # 千元 and 百万元 are unit words after a plain figure (1.5千元, 2百万元); after a Chinese
        # numeral 千 and 百 are its own magnitudes (五千元 is 5000 元).
        for word, unit in (("百万", "百万元"), ("千", "千元")):
            figure = core[: -len(word)]
            if core.endswith(word) and _plain_number(figure):
                if cents is not None:
                    raise refuse.unreadable()
                return Money(_arabic(figure, refuse)[0], unit)
    final = core[-1:] if core[-1:] in _BIG_UNIT else None
    if final is not None:
        unit, core = _BIG_UNIT[final], core[:-1]
    else:
        unit = "元" if has_yuan else base_unit
    amount, fraction = _numeral_amount(core, final, refuse)
    if cents is not None:
        if unit != "元" or fraction:
            raise refuse.unreadable()
        amount += cents
    return Money(amount, unit)


# --- printing ------------------------------------------------------------------------------------

_CENT = Decimal("0.01")
EMPTY_TEXT = "（空）"


def _two_places(amount: Decimal) -> Decimal:
    with localcontext(Context(prec=max(28, amount.adjusted() + 6))):
        rounded = amount.quantize(_CENT, rounding=ROUND_HALF_UP)
    return abs(rounded) if rounded == 0 else rounded  # never "-0.00"


def format_money(amount: Decimal | None, unit: str) -> str:
    """``755.00 元``: an amount as written in ``unit``, rounded half-up to 0.01, with thousands
    separators; ``（空）`` for ``None``."""
    if amount is None:
        return EMPTY_TEXT
    unit = money_unit(unit) or unit
    if not amount.is_finite():
        return f"{amount} {unit}"
    return f"{_two_places(amount):,.2f} {unit}"


def format_wan(amount_wan: Decimal | None, unit: str = "万元") -> str:
    """An amount held in 万元, printed in ``unit`` rounded to 0.01 of it: ``444.13 万元``.

    A non-zero amount that would print as 0.00 is printed in 元 instead (``45.00 元`` for 0.0045 万元),
    so that a small difference never reads as none.  An unknown ``unit`` prints in 万元.
    """
    if amount_wan is None:
        return EMPTY_TEXT
    target = money_unit(unit) or "万元"
    if not amount_wan.is_finite():
        return f"{amount_wan} {target}"
    with localcontext(_EXACT):
        value = from_wan(amount_wan, target)
        if target != "元" and amount_wan and not _two_places(value):
            target, value = "元", amount_wan * WAN
    return f"{_two_places(value):,.2f} {target}"
