"""An indicator row read once: its 一级/二级 against the framework, and its value with its unit column.

A 指标值 may carry its unit in the cell (``≤21.87万元``) or in a 度量单位 column of its own
(``≤21.87`` + ``万元``, the central and Sichuan layouts).  Everything that reads a value (the checks,
the cost ceiling, the grid and the cell editor, the 汇总 sheet and the JSON export) reads it here,
together with that column, so that the same row is money to all of them or to none.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from perfgoals.framework import Level2, get_framework
from perfgoals.models import Indicator
from perfgoals.values import ParsedValue, parse_value


@dataclass(frozen=True, slots=True)
class Levels:
    """A row's 一级/二级 read against the framework."""

    l1: str  # canonical 一级 (cleaned when the framework does not know it)
    l2: str  # canonical 二级
    l1_known: bool
    spec: Level2 | None  # the framework's 二级, when it knows the label
    parents: tuple[str, ...]  # the 一级 under which this 二级 may stand

    @property
    def is_cost(self) -> bool:
        """A 成本 row: the framework's cost 二级, or a label that says 成本 (a bare 成本指标 一级 too)."""
        if self.spec is not None:
            return self.spec.cost
        return "成本" in self.l2 or (not self.l2 and "成本" in self.l1)


def _plain(text: str) -> str:
    """A label as compared: NFKC, no whitespace (what the framework does to labels it knows)."""
    return "".join(unicodedata.normalize("NFKC", text).split())


@lru_cache(maxsize=8192)
def levels(framework_id: str | None, level1: str, level2: str) -> Levels:
    """The framework reading of a 一级/二级 pair (cached: a framework has few labels, and variants are few)."""
    if framework_id is None:
        return Levels(_plain(level1), _plain(level2), False, None, ())
    try:
        framework = get_framework(framework_id)
    except KeyError:
        return Levels(_plain(level1), _plain(level2), False, None, ())
    l1 = framework.canonical_level1(level1)
    l2 = framework.canonical_level2(level2)
    return Levels(
        l1=l1,
        l2=l2,
        l1_known=l1 in framework.level1_names(),
        spec=framework.find_level2(l2),
        parents=tuple(framework.parents_of(l2)),
    )


#: A 指标性质 cell that is a comparator (≥, ≤, ＝, 不低于 …), as opposed to 定性/定量, 正向/反向 or a dash.
_COMPARATOR = re.compile(
    r"^(?:[≥≤=<>≠±]|>=|<=|大于等于|小于等于|大于或等于|小于或等于|不低于|不高于|不少于|不多于|不超过|"
    r"不小于|不大于|大于|小于|等于|高于|低于|达到|约|至少|至多|最多|最少)$"
)


def value_text(value: str | None, unit: str | None, nature: str | None = None) -> str:
    """The value as the parser reads it: after its 指标性质 column's comparator (``≥`` | ``95``), unless the
    cell already starts with it, and with its 度量单位 column appended unless the cell already ends in it."""
    value = value or ""
    comparator = "".join((nature or "").split())
    if (
        comparator
        and _COMPARATOR.match(unicodedata.normalize("NFKC", comparator).replace("≧", "≥").replace("≦", "≤"))
        and value.strip()
        and not value.strip().startswith(comparator)
    ):
        value = f"{comparator}{value}"
    if unit and unit.strip() and not value.strip().endswith(unit.strip()):
        return f"{value}{unit}"
    return value


def read_value(value: str | None, unit: str | None = None, nature: str | None = None) -> ParsedValue:
    """What a 指标值 says, read together with its unit and 指标性质 columns; ``raw`` is the text as the parser
    saw it."""
    return parse_value(value_text(value, unit, nature))


def indicator_value(indicator: Indicator) -> ParsedValue:
    """An indicator row's value, read with its unit and 指标性质 columns."""
    return read_value(indicator.value, indicator.unit, indicator.nature)


@dataclass(frozen=True, slots=True)
class RowReading:
    """What the cost ceiling needs of a row (the checks' :class:`~perfgoals.checks.context.RowFacts` has
    the same attributes, read by the same functions)."""

    level3: str
    description: str
    value_text: str
    parsed: ParsedValue
    is_cost: bool
    blank: bool


def read_row(indicator: Indicator, framework_id: str | None) -> RowReading:
    """One row read against ``framework_id``, for callers outside the checks (the importer, rollover)."""
    read = levels(framework_id, indicator.level1, indicator.level2)
    text = value_text(indicator.value, indicator.unit, indicator.nature)
    return RowReading(
        level3=indicator.level3,
        description=indicator.description,
        value_text=text,
        parsed=parse_value(text),
        is_cost=read.is_cost,
        blank=is_blank(indicator.level3, indicator.description, indicator.value, indicator.basis),
    )


def is_blank(level3: str | None, description: str | None, value: str | None, basis: str | None) -> bool:
    """Nothing written beyond the levels: a "not applicable" row (经济效益指标 left empty)."""
    return not ((level3 or "").strip() or (description or "").strip() or (value or "").strip() or (basis or "").strip())
