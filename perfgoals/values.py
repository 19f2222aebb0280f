"""Reading 指标值: ``≥20次``, ``≤21.87万元``, ``≥ 95 %``, ``2022.1-12月``, ``内容丰富、形式多样``.

:func:`parse_value` never raises: every input is classified, and :attr:`ValueKind.UNRECOGNISED` is a
valid result.  The text as written is kept in :attr:`ParsedValue.raw`; the parse is derived from it.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from functools import lru_cache

from perfgoals.money import UNIT_IN_YUAN, to_wan
from perfgoals.reading.money import money_unit


class ValueKind(StrEnum):
    EMPTY = "empty"
    QUANTITY = "quantity"
    PERCENT = "percent"
    MONEY = "money"
    PERIOD = "period"
    RANGE = "range"
    QUALITATIVE = "qualitative"
    UNRECOGNISED = "unrecognised"


class Comparator(StrEnum):
    GE = "≥"
    LE = "≤"
    EQ = "="
    GT = ">"
    LT = "<"
    PLUS_MINUS = "±"


KIND_LABELS: dict[ValueKind, str] = {
    ValueKind.EMPTY: "空",
    ValueKind.QUANTITY: "数量",
    ValueKind.PERCENT: "百分比",
    ValueKind.MONEY: "金额",
    ValueKind.PERIOD: "时间",
    ValueKind.RANGE: "区间",
    ValueKind.QUALITATIVE: "定性",
    ValueKind.UNRECOGNISED: "无法识别",
}


@dataclass(frozen=True, slots=True)
class ParsedValue:
    """What a 指标值 says, read from ``raw`` (kept exactly as typed)."""

    raw: str
    kind: ValueKind
    comparator: Comparator | None = None
    number: Decimal | None = None
    upper: Decimal | None = None  # the upper bound of a range (``3-5次``)
    unit: str | None = None
    amount_wan: Decimal | None = None  # money normalised to 万元
    period_start: date | None = None
    period_end: date | None = None
    #: A deadline written without a year (``6月底前``, ``9月中旬``, ``12.31前``): its months, in the budget year.
    months: tuple[int, int] | None = None

    @property
    def is_quantitative(self) -> bool:
        return self.kind in (ValueKind.QUANTITY, ValueKind.PERCENT, ValueKind.MONEY, ValueKind.RANGE)

    def describe(self) -> str:
        """A short reading for the UI, e.g. ``≤ 21.87 万元`` or ``定性``."""
        if self.kind in (ValueKind.EMPTY, ValueKind.QUALITATIVE, ValueKind.UNRECOGNISED):
            prefix = f"{self.comparator.value} " if self.comparator else ""
            return prefix + KIND_LABELS[self.kind]
        if self.kind is ValueKind.PERIOD and self.months is not None:
            first, last = self.months
            span = f"{first:02d}" if first == last else f"{first:02d}–{last:02d}"
            return (f"{self.comparator.value} " if self.comparator else "") + f"时间 当年{span}月"
        if self.kind is ValueKind.PERIOD:
            assert self.period_start and self.period_end
            start = f"{self.period_start.year}.{self.period_start.month:02d}"
            end = f"{self.period_end.year}.{self.period_end.month:02d}"
            span = start if start == end else f"{start}–{end}"
            return (f"{self.comparator.value} " if self.comparator else "") + f"时间 {span}"
        parts: list[str] = []
        if self.comparator:
            parts.append(self.comparator.value)
        number = _plain(self.number)
        if self.kind is ValueKind.RANGE:
            number = f"{number}–{_plain(self.upper)}"
        parts.append(number)
        if self.unit:
            parts.append(self.unit)
        text = " ".join(parts)
        if self.kind is ValueKind.MONEY and self.unit not in ("万元", "万") and self.amount_wan is not None:
            text += f"（{_plain(self.amount_wan)} 万元）"
        return text


def _plain(number: Decimal | None) -> str:
    if number is None:
        return ""
    text = format(number, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


_SYMBOLS = {
    "≧": "≥",
    "⩾": "≥",
    ">=": "≥",
    "≥=": "≥",
    "≦": "≤",
    "⩽": "≤",
    "<=": "≤",
    "≤=": "≤",
    "＝": "=",
    "==": "=",
    "﹦": "=",
    "＞": ">",
    "＜": "<",
    "﹥": ">",
    "﹤": "<",
    "％": "%",
    "﹪": "%",
    "－": "-",
    "—": "-",
    "–": "-",
    "~": "-",
    "～": "-",
    "至": "-",
    "到": "-",
    "＋": "+",
    "+/-": "±",
    "+-": "±",
}
_PREFIX_WORDS: list[tuple[str, Comparator]] = [
    ("大于等于", Comparator.GE),
    ("大于或等于", Comparator.GE),
    ("不低于", Comparator.GE),
    ("不少于", Comparator.GE),
    ("不小于", Comparator.GE),
    ("至少", Comparator.GE),
    ("达到", Comparator.GE),
    ("小于等于", Comparator.LE),
    ("小于或等于", Comparator.LE),
    ("不超过", Comparator.LE),
    ("不高于", Comparator.LE),
    ("不大于", Comparator.LE),
    ("不多于", Comparator.LE),
    ("控制在", Comparator.LE),
    ("最多", Comparator.LE),
    ("大于", Comparator.GT),
    ("高于", Comparator.GT),
    ("超过", Comparator.GT),
    ("小于", Comparator.LT),
    ("低于", Comparator.LT),
    ("少于", Comparator.LT),
    ("等于", Comparator.EQ),
]
_SUFFIX_WORDS: list[tuple[str, Comparator]] = [
    ("及以上", Comparator.GE),
    ("以上", Comparator.GE),
    ("及以下", Comparator.LE),
    ("以下", Comparator.LE),
    ("以内", Comparator.LE),
    ("之内", Comparator.LE),
    ("内", Comparator.LE),
]
_SYMBOL_COMPARATORS = {
    "≥": Comparator.GE,
    "≤": Comparator.LE,
    "=": Comparator.EQ,
    ">": Comparator.GT,
    "<": Comparator.LT,
    "±": Comparator.PLUS_MINUS,
}
_PERCENT_UNITS = ("%", "百分比", "百分之")
_MONEY_UNITS = tuple(sorted(UNIT_IN_YUAN, key=len, reverse=True))
_TRAILING = "。.，,；;、！!"
_NUM = r"\d+(?:,\d{3})*(?:\.\d+)?"
_QUANTITY = re.compile(rf"^(?P<num>{_NUM})(?P<unit>.*)$")
_RANGE = re.compile(rf"^(?P<lo>{_NUM})(?P<lounit>%?)-(?P<hi>{_NUM})(?P<unit>.*)$")
_PERIOD_SPAN = re.compile(
    r"^(?P<y1>\d{4})[.年/-](?P<m1>\d{1,2})月?(?:份)?(?:\d{1,2}日)?"
    r"-(?:(?P<y2>\d{4})[.年/-])?(?P<m2>\d{1,2})月?(?:份|底|末)?(?:\d{1,2}日)?$"
)
_PERIOD_MONTH = re.compile(
    r"^(?P<y>\d{4})[.年/-](?P<m>\d{1,2})月?(?:份)?(?P<end>底|末)?(?:\d{1,2}日)?(?P<before>前|之前)?$"
)
_PERIOD_YEAR = re.compile(r"^(?P<y>\d{4})年(?:度|全年|内|底|末)?(?P<before>前|之前)?$")
_PERIOD_YEAR_SPAN = re.compile(r"^(?P<y1>\d{4})年?-(?P<y2>\d{4})年$")
_DATE_LIKE = re.compile(r"^\d{4}(?:[.年/-]\d{1,2}(?:月|-\d)|年)")
# A figure inside a sentence: never the tail of a longer, badly grouped one (``8,08元`` is not 8 元).
_EMBEDDED_MONEY = re.compile(rf"(?<!\d)(?<!\d,)(?<!\d\.)(?P<num>{_NUM})\s*(?P<unit>亿元|万元|千元|元)")
_CJK = re.compile(r"[\u4e00-\u9fff]")
_UNIT_TEXT = re.compile(r"^[^\d\s]{0,8}$")


def _normalise(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    for old, new in _SYMBOLS.items():
        text = text.replace(old, new)
    text = re.sub(r"\s+", "", text)
    return text.strip(_TRAILING)


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _valid_month(month: int) -> bool:
    return 1 <= month <= 12


#: The years a budget document can mean: anything else (``0000年``) is not a date.
FIRST_YEAR, LAST_YEAR = 1900, 2200


def _valid_year(*years: int) -> bool:
    return all(FIRST_YEAR <= year <= LAST_YEAR for year in years)


_CN_MONTHS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10,
              "十一": 11, "十二": 12}
_MONTH = r"(?:1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九])"
_PART = r"(?:份|底|末|初|上旬|中旬|下旬)?"
_DAY = r"(?:(?:[0-3]?\d)[日号])?"
_BEFORE = r"(?P<before>前|之前|以前|完成|内)?"
#: Deadlines without a year, read as months of the budget year.
_YEARLESS_MONTHS = re.compile(rf"^(?P<m1>{_MONTH})(?:月{_PART})?-(?P<m2>{_MONTH})月{_PART}{_DAY}{_BEFORE}$")
_YEARLESS_MONTH = re.compile(rf"^(?P<m>{_MONTH})月{_PART}{_DAY}{_BEFORE}$")
_YEARLESS_DOTTED = re.compile(r"^(?P<m>1[0-2]|0?[1-9])\.(?P<d>[0-3]?\d)(?P<before>前|之前|以前)$")
_YEARLESS_WORDS: dict[str, tuple[int, int, Comparator | None]] = {
    "年底前": (12, 12, Comparator.LE), "年末前": (12, 12, Comparator.LE), "年底": (12, 12, None),
    "年内": (1, 12, Comparator.LE), "年度内": (1, 12, Comparator.LE), "年": (1, 12, None), "全年": (1, 12, None),
    "当年": (1, 12, None), "本年度": (1, 12, None), "上半年": (1, 6, None), "下半年": (7, 12, None),
    "一季度": (1, 3, None), "二季度": (4, 6, None), "三季度": (7, 9, None), "四季度": (10, 12, None),
    "第一季度": (1, 3, None), "第二季度": (4, 6, None), "第三季度": (7, 9, None), "第四季度": (10, 12, None),
}


def _month_number(text: str) -> int:
    return _CN_MONTHS[text] if text in _CN_MONTHS else int(text)


def _yearless(text: str) -> ParsedValue | None:
    """A deadline written without its year: a period of the budget year (``6月底前``, ``12.31前``)."""
    before: Comparator | None = None
    if (found := _YEARLESS_WORDS.get(text.removesuffix("完成"))) is not None:
        first, last, before = found
    elif match := _YEARLESS_MONTHS.match(text):
        first, last = _month_number(match["m1"]), _month_number(match["m2"])
        before = Comparator.LE if match["before"] else None
    elif match := _YEARLESS_MONTH.match(text):
        first = last = _month_number(match["m"])
        before = Comparator.LE if match["before"] else None
    elif match := _YEARLESS_DOTTED.match(text):
        first = last = int(match["m"])
        if not 1 <= int(match["d"]) <= 31:
            return None
        before = Comparator.LE
    else:
        return None
    if not (_valid_month(first) and _valid_month(last)) or last < first:
        return None
    return ParsedValue("", ValueKind.PERIOD, comparator=before, months=(first, last))


def _period(text: str) -> ParsedValue | None:
    raw_comparator: Comparator | None = None
    if match := _PERIOD_SPAN.match(text):
        y1, m1, m2 = int(match["y1"]), int(match["m1"]), int(match["m2"])
        y2 = int(match["y2"]) if match["y2"] else y1
        if not (_valid_month(m1) and _valid_month(m2) and _valid_year(y1, y2)) or (y2, m2) < (y1, m1):
            return None
        return ParsedValue("", ValueKind.PERIOD, period_start=date(y1, m1, 1), period_end=_month_end(y2, m2))
    if match := _PERIOD_MONTH.match(text):
        year, month = int(match["y"]), int(match["m"])
        if not (_valid_month(month) and _valid_year(year)):
            return None
        if match["before"]:
            raw_comparator = Comparator.LE
        return ParsedValue(
            "",
            ValueKind.PERIOD,
            comparator=raw_comparator,
            period_start=date(year, month, 1),
            period_end=_month_end(year, month),
        )
    if match := _PERIOD_YEAR.match(text):
        year = int(match["y"])
        if not _valid_year(year):
            return None
        if match["before"]:
            raw_comparator = Comparator.LE
        return ParsedValue(
            "",
            ValueKind.PERIOD,
            comparator=raw_comparator,
            period_start=date(year, 1, 1),
            period_end=date(year, 12, 31),
        )
    if match := _PERIOD_YEAR_SPAN.match(text):
        y1, y2 = int(match["y1"]), int(match["y2"])
        if y2 < y1 or not _valid_year(y1, y2):
            return None
        return ParsedValue("", ValueKind.PERIOD, period_start=date(y1, 1, 1), period_end=date(y2, 12, 31))
    return _yearless(text)


#: The longest figure a 指标值 may hold: beyond it the text is no target anyone wrote (and would cost
#: every reader of it); it reads as unrecognised.
MAX_DIGITS, MAX_DECIMALS = 15, 6


def _decimal(text: str) -> Decimal | None:
    whole, _, fraction = text.replace(",", "").partition(".")
    if len(whole.lstrip("0")) > MAX_DIGITS or len(fraction) > MAX_DECIMALS:
        return None
    try:
        return Decimal(text.replace(",", ""))
    except InvalidOperation:
        return None


def _classify_unit(number: Decimal, unit: str, comparator: Comparator | None) -> ParsedValue | None:
    if unit in _PERCENT_UNITS or unit == "":
        kind = ValueKind.PERCENT if unit else ValueKind.QUANTITY
        return ParsedValue("", kind, comparator, number, unit="%" if unit else None)
    if unit in _MONEY_UNITS and (in_unit := money_unit(unit)) is not None:
        # The unit words of the money reader, read the same way: a bare 万/亿 is 万元/亿元.
        return ParsedValue(
            "", ValueKind.MONEY, comparator, number, unit=unit, amount_wan=to_wan(number, in_unit)
        )
    if _UNIT_TEXT.match(unit):
        return ParsedValue("", ValueKind.QUANTITY, comparator, number, unit=unit)
    return None


def _strip_comparator(text: str) -> tuple[Comparator | None, str]:
    comparator: Comparator | None = None
    if text[:1] in _SYMBOL_COMPARATORS:
        comparator = _SYMBOL_COMPARATORS[text[0]]
        text = text[1:]
    else:
        for word, word_comparator in _PREFIX_WORDS:
            if text.startswith(word):
                comparator, text = word_comparator, text[len(word) :]
                break
    for word, word_comparator in _SUFFIX_WORDS:
        if text.endswith(word) and len(text) > len(word):
            # "±3%以内" keeps ±; a plain "95%以上" becomes ≥.
            comparator = comparator or word_comparator
            text = text[: -len(word)]
            break
    return comparator, text


@lru_cache(maxsize=65536)
def parse_value(raw: str) -> ParsedValue:
    """Classify a 指标值; never raises."""
    text = _normalise(raw)
    if not text:
        return ParsedValue(raw, ValueKind.EMPTY)
    comparator, body = _strip_comparator(text)
    parsed = _parse_body(body, comparator) if body else None
    if parsed is None and comparator is None and (match := _EMBEDDED_MONEY.search(text)):
        number = _decimal(match["num"])
        if number is not None:
            parsed = ParsedValue(
                "",
                ValueKind.MONEY,
                None,
                number,
                unit=match["unit"],
                amount_wan=to_wan(number, match["unit"]),
            )
    if parsed is None:
        if _CJK.search(body or text) and not re.search(r"\d", body or text):
            return ParsedValue(raw, ValueKind.QUALITATIVE, comparator)
        if len(_CJK.findall(text)) * 2 >= len(text):  # mostly words, with a figure in passing
            return ParsedValue(raw, ValueKind.QUALITATIVE, comparator)
        return ParsedValue(raw, ValueKind.UNRECOGNISED, comparator)
    return ParsedValue(
        raw,
        parsed.kind,
        parsed.comparator,
        parsed.number,
        parsed.upper,
        parsed.unit,
        parsed.amount_wan,
        parsed.period_start,
        parsed.period_end,
        parsed.months,
    )


def _parse_body(body: str, comparator: Comparator | None) -> ParsedValue | None:
    period = _period(body)
    if period is not None:
        return ParsedValue(
            "",
            ValueKind.PERIOD,
            comparator or period.comparator,
            period_start=period.period_start,
            period_end=period.period_end,
            months=period.months,
        )
    if _DATE_LIKE.match(body):
        return None  # a date with an impossible month must not pass for a quantity of 月
    if body.startswith("百分之"):
        number = _decimal(body[3:])
        if number is not None:
            return ParsedValue("", ValueKind.PERCENT, comparator, number, unit="%")
    if match := _RANGE.match(body):
        low, high = _decimal(match["lo"]), _decimal(match["hi"])
        unit = match["unit"] or match["lounit"]
        if low is not None and high is not None and low <= high and _UNIT_TEXT.match(unit):
            kind = ValueKind.RANGE
            return ParsedValue(
                "", kind, comparator, low, high, unit=("%" if unit in _PERCENT_UNITS else unit) or None
            )
    if match := _QUANTITY.match(body):
        number = _decimal(match["num"])
        if number is None:
            return None
        return _classify_unit(number, match["unit"], comparator)
    return None
