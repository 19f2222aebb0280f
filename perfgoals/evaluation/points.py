"""The points of a 自评: per 一级, and per indicator row.

* 一级 points: the table's own (``SelfEvaluation.level1_points``, e.g. 产出指标(50分)), else the
  default 产出 50 / 效益 30 / 满意度 10 (and 预算执行率 10, :data:`DEFAULT_RATE_POINTS`).
* A 2021-framework 成本指标 一级 has no points of its own in the standard scheme: its rows **share 产出's
  points** (they are pooled with the 产出 rows and split with them), unless the table gives 成本指标 its
  own points.  Under the older framework a 成本指标 二级 sits under 产出 anyway, so both read alike.
* A row's points are the ones entered; rows without points share what their 一级 has left, equally, in
  0.01, the remainder on the last of them.  Rows with nothing written beyond their levels (an empty
  经济效益指标 row) get no points.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal

from perfgoals.framework import DEFAULT_FRAMEWORK
from perfgoals.models import Indicator, SelfEvaluation
from perfgoals.reading.rows import is_blank, levels

OUTPUT = "产出指标"
BENEFIT = "效益指标"
SATISFACTION = "满意度指标"
COST = "成本指标"
#: The standard points of each 一级 (财政部自评表: 产出 50, 效益 30, 满意度 10; 预算执行率 10).
DEFAULT_LEVEL1_POINTS: dict[str, Decimal] = {OUTPUT: Decimal(50), BENEFIT: Decimal(30), SATISFACTION: Decimal(10)}
DEFAULT_RATE_POINTS = Decimal(10)
_CENT = Decimal("0.01")


def level1_key(label: str, framework_id: str | None) -> str:
    """A 一级 label as points are keyed: the framework's canonical name (效果指标 → 效益指标), points
    written in the label (``产出指标(50分)``) left out."""
    label = re.sub(r"[（(]\s*\d+(?:\.\d+)?\s*分\s*[)）]", "", label or "")
    return levels(framework_id or DEFAULT_FRAMEWORK, label, "").l1 or "".join(unicodedata.normalize("NFKC", label).split())


def table_points(evaluation: SelfEvaluation | None, framework_id: str | None) -> dict[str, Decimal]:
    """The table's own 一级 points, keyed canonically."""
    if evaluation is None:
        return {}
    return {level1_key(name, framework_id): points for name, points in evaluation.level1_points.items()}


def level1_points(evaluation: SelfEvaluation | None, framework_id: str | None) -> dict[str, Decimal]:
    """The points of each 一级: the table's own, else the defaults."""
    points = dict(DEFAULT_LEVEL1_POINTS)
    points.update(table_points(evaluation, framework_id))
    return points


def rate_points(evaluation: SelfEvaluation | None) -> Decimal:
    if evaluation is None or evaluation.rate_points is None:
        return DEFAULT_RATE_POINTS
    return evaluation.rate_points


def pool_of(level1: str, own: dict[str, Decimal]) -> str:
    """The 一级 whose points a row shares: 成本指标 shares 产出's unless the table gives it its own."""
    if level1 == COST and COST not in own:
        return OUTPUT
    return level1


def split(total: Decimal, parts: int) -> list[Decimal]:
    """``total`` split into ``parts`` shares of 0.01, the remainder on the last."""
    if parts <= 0:
        return []
    share = (total / parts).quantize(_CENT, rounding=ROUND_DOWN)
    return [share] * (parts - 1) + [total - share * (parts - 1)]


@dataclass(frozen=True, slots=True)
class RowPoints:
    """A row's points and where they come from."""

    points: Decimal | None  # None: a blank row, not scored
    entered: bool
    pool: str  # the 一级 whose points it shares (canonical)


def row_points(
    indicators: list[Indicator], entered: dict[int, Decimal | None], evaluation: SelfEvaluation | None,
    framework_id: str | None,
) -> list[RowPoints]:
    """Every row's effective points (``entered``: the points given per row index)."""
    own = table_points(evaluation, framework_id)
    available = level1_points(evaluation, framework_id)
    pools: list[str] = []
    for indicator in indicators:
        pools.append(pool_of(level1_key(indicator.level1, framework_id), own))
    result: list[RowPoints | None] = [None] * len(indicators)
    waiting: dict[str, list[int]] = {}
    used: dict[str, Decimal] = {}
    for index, indicator in enumerate(indicators):
        given = entered.get(index)
        if given is not None:
            result[index] = RowPoints(given, True, pools[index])
            used[pools[index]] = used.get(pools[index], Decimal(0)) + given
        elif is_blank(indicator.level3, indicator.description, indicator.value, indicator.basis):
            result[index] = RowPoints(None, False, pools[index])
        else:
            waiting.setdefault(pools[index], []).append(index)
    for pool, indices in waiting.items():
        left = max(available.get(pool, Decimal(0)) - used.get(pool, Decimal(0)), Decimal(0))
        for index, share in zip(indices, split(left, len(indices)), strict=True):
            result[index] = RowPoints(share, False, pool)
    return [entry if entry is not None else RowPoints(None, False, pools[i]) for i, entry in enumerate(result)]
