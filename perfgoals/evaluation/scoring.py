"""Scoring one indicator row of a 自评 by the standard rules, and the grade of a 总分.

* higher is better (``≥``, ``>``, ``=`` or no comparator, 正向): actual ÷ target × points;
* lower is better (``≤``, ``<``, or 反向): target ÷ actual × points;
* a range (``3-5次``): full points inside it, else the nearer bound against the actual as above;
* qualitative (the target or the actual is words): by band — the actual's words read as 100–80 %,
  80–60 % or 60–0 % of the points; the computed score is the band's upper bound, and a written score
  is accepted anywhere inside its band.

A score is never above the points nor below 0, and is rounded to 0.01 (ROUND_HALF_UP).  Targets and
actuals are read by :func:`perfgoals.values.parse_value` (the same reader the checks use); money is
compared in 万元, so a target in 万元 and an actual in 元 agree.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from perfgoals.models import Direction, Grade
from perfgoals.values import Comparator, ParsedValue, ValueKind, parse_value

CENT = Decimal("0.01")
ZERO = Decimal(0)
HUNDRED = Decimal(100)


def round2(value: Decimal) -> Decimal:
    """``value`` rounded to 0.01, halves away from zero."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


class Band(StrEnum):
    """The band a qualitative result falls in: its share of the points."""

    FULL = "100%-80%"
    PARTIAL = "80%-60%"
    SHORT = "60%-0%"

    @property
    def top(self) -> Decimal:
        return {Band.FULL: Decimal(1), Band.PARTIAL: Decimal("0.8"), Band.SHORT: Decimal("0.6")}[self]

    @property
    def bottom(self) -> Decimal:
        return {Band.FULL: Decimal("0.8"), Band.PARTIAL: Decimal("0.6"), Band.SHORT: ZERO}[self]

    @property
    def label(self) -> str:
        return {Band.FULL: "达成", Band.PARTIAL: "基本达成", Band.SHORT: "未达成"}[self]


class Method(StrEnum):
    """How a row's score was computed."""

    HIGHER = "正向：实际值÷目标值×分值"
    LOWER = "反向：目标值÷实际值×分值"
    RANGE = "区间：区间内满分"
    BAND = "定性：按档次"


#: Words that put an actual in the lowest band (checked first: 未完成 contains 完成).
_SHORT_WORDS = re.compile(
    r"未完成|未达成|未达到|未达标|未实现|没有完成|没完成|未按时|未及时|未能|不符合|不合格|不达标|不满意|"
    r"未落实|未执行|未开展|滞后|延期|较差|无效果|没有效果|未见成效"
)
#: Words of the middle band (checked before the top: 基本完成 contains 完成).
_PARTIAL_WORDS = re.compile(r"基本|部分|大部分|大体|较好|一般|尚可|有所|初步")
#: Words of the top band.
_FULL_WORDS = re.compile(
    r"达成|达到|完成|实现|达标|符合|合格|满意|落实|执行|按时|及时|如期|按期|明显|显著|良好|有效|提高|提升|"
    r"改善|保障|规范|严格|^是$|^已|^有$|全部|全面|100%|优"
)


def _plain(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split()).strip("。.，,；;")


def read_band(actual: str, target: str = "") -> Band | None:
    """The band an actual written in words falls in (``None``: the words say nothing readable).

    达成预期指标 / 全部完成 / 达到 / the target's own words → the top band; 基本达成 / 部分完成 → the
    middle one; 未完成 / 未达成 / 不符合 → the lowest.
    """
    text = _plain(actual)
    if not text:
        return None
    if target and text == _plain(target):
        return Band.FULL
    if _SHORT_WORDS.search(text):
        return Band.SHORT
    if _PARTIAL_WORDS.search(text):
        return Band.PARTIAL
    if _FULL_WORDS.search(text):
        return Band.FULL
    return None


def band_of_score(score: Decimal, points: Decimal) -> Band:
    """The band a written score lies in (the upper band on a boundary)."""
    if points <= 0:
        return Band.FULL
    share = score / points
    if share >= Band.FULL.bottom:
        return Band.FULL
    if share >= Band.PARTIAL.bottom:
        return Band.PARTIAL
    return Band.SHORT


def grade_of(total: Decimal | None) -> Grade | None:
    """优 ≥ 90, 良 ≥ 80, 中 ≥ 60, else 差."""
    if total is None:
        return None
    if total >= 90:
        return Grade.EXCELLENT
    if total >= 80:
        return Grade.GOOD
    if total >= 60:
        return Grade.FAIR
    return Grade.POOR


@dataclass(frozen=True, slots=True)
class Computed:
    """A row's computed score, how it was computed, and why not when it could not be."""

    score: Decimal | None
    method: Method | None = None
    band: Band | None = None
    note: str = ""  # why no score could be computed, in Chinese


_NUMERIC = (ValueKind.QUANTITY, ValueKind.PERCENT, ValueKind.MONEY)


def _lower_is_better(target: ParsedValue, direction: Direction | None) -> bool:
    if target.comparator in (Comparator.LE, Comparator.LT):
        return True
    return direction is not None and Direction(direction) is Direction.NEGATIVE and target.comparator is None


def _actual_number(target: ParsedValue, actual: ParsedValue) -> tuple[Decimal, Decimal] | str:
    """Target and actual as two numbers in one unit, or why they cannot be compared."""
    assert target.number is not None
    if actual.number is None:
        return "实际完成值不是数值"
    if target.kind is ValueKind.MONEY or actual.kind is ValueKind.MONEY:
        if target.kind is ValueKind.MONEY and actual.kind is ValueKind.MONEY:
            assert target.amount_wan is not None and actual.amount_wan is not None
            return target.amount_wan, actual.amount_wan
        if actual.unit is None:  # a bare figure is in the target's unit
            return target.number, actual.number
        if target.unit is None and target.kind is not ValueKind.MONEY:
            return target.number, actual.number
        return f"单位不一致：目标值为“{target.unit or '无单位'}”，实际值为“{actual.unit}”"
    if actual.unit is not None and target.unit is not None and actual.unit != target.unit:
        return f"单位不一致：目标值为“{target.unit}”，实际值为“{actual.unit}”"
    return target.number, actual.number


def _capped(value: Decimal, points: Decimal) -> Decimal:
    return round2(min(max(value, ZERO), points))


def compute_score(
    target_text: str, actual_text: str, points: Decimal, direction: Direction | None = None
) -> Computed:
    """The score of one row: ``target_text`` as the target reader reads it (with its unit column
    already appended: :func:`perfgoals.reading.rows.value_text`), ``actual_text`` as written."""
    if not actual_text.strip():
        return Computed(None, note="未填写实际完成值")
    target = parse_value(target_text)
    actual = parse_value(actual_text)
    if target.kind in _NUMERIC and target.number is not None and actual.kind in (*_NUMERIC, ValueKind.RANGE):
        numbers = _actual_number(target, actual)
        if isinstance(numbers, str):
            return Computed(None, note=numbers)
        goal, done = numbers
        if _lower_is_better(target, direction):
            if done <= 0:
                return Computed(_capped(points, points), Method.LOWER)
            return Computed(_capped(goal / done * points, points), Method.LOWER)
        if goal <= 0:
            return Computed(_capped(points, points), Method.HIGHER)
        return Computed(_capped(done / goal * points, points), Method.HIGHER)
    if target.kind is ValueKind.RANGE and target.number is not None and target.upper is not None and actual.number is not None:
        done = actual.number
        if target.number <= done <= target.upper:
            return Computed(_capped(points, points), Method.RANGE)
        if done < target.number:
            share = done / target.number if target.number else Decimal(1)
        else:
            share = target.upper / done if done else Decimal(1)
        return Computed(_capped(share * points, points), Method.RANGE)
    band = read_band(actual_text, target_text)
    if band is None:
        if actual.number is not None:
            return Computed(None, note="目标值不是数值，实际完成值却是数值，无法按比例计算")
        return Computed(None, note=f"无法从“{actual_text.strip()}”判断完成档次")
    return Computed(_capped(points * band.top, points), Method.BAND, band)


def in_band(score: Decimal, points: Decimal, band: Band) -> bool:
    """Whether a written score lies inside ``band`` of ``points``."""
    if points <= 0:
        return score <= 0
    return points * band.bottom <= score <= points * band.top


def percent_text(rate: Decimal | None) -> str:
    """A rate (a fraction) as ``99.97%``."""
    if rate is None:
        return ""
    return f"{round2(rate * HUNDRED)}%"


def parse_rate(text: str | None) -> Decimal | None:
    """A 执行率 as written (``99.97%``, ``99.97``, ``0.9997``, ``0``) as a fraction; ``None`` if blank or
    not a figure.  A figure without ``%`` above 1 is a percentage; at most 1, a fraction."""
    if text is None or not text.strip():
        return None
    plain = _plain(text).replace("％", "%")
    match = re.fullmatch(r"(-?\d+(?:\.\d+)?)(%?)", plain)
    if match is None:
        return None
    number = Decimal(match.group(1))
    if match.group(2) or number > 1:
        return number / HUNDRED
    return number
