"""PG404: a direction that contradicts the indicator's name."""

from __future__ import annotations

from collections.abc import Iterator

from perfgoals.checks.base import Issue, RowRule
from perfgoals.checks.context import RowEnv, RowFacts
from perfgoals.checks.findings import Severity
from perfgoals.checks.vocabulary import (
    CAPPED_RATE_WORDS,
    HIGHER_IS_BETTER_SUFFIXES,
    LOWER_IS_BETTER_WORDS,
    MONEY_WORDS,
    contains_any,
)
from perfgoals.models import Direction
from perfgoals.values import Comparator, ValueKind

_UPPER = (Comparator.LE, Comparator.LT)
_LOWER = (Comparator.GE, Comparator.GT)


def lower_is_better(row: RowFacts) -> bool:
    if contains_any(row.name_text, LOWER_IS_BETTER_WORDS):
        return True
    # A cost row keeps money low; a rate in it (预算执行率 ≥90%, filed under 成本指标) is no ceiling.
    return row.parsed.kind is ValueKind.MONEY and (row.is_cost or contains_any(row.name_text, MONEY_WORDS))


def higher_is_better(row: RowFacts) -> bool:
    name = row.level3_clean or row.description_clean
    if lower_is_better(row) or not name:
        return False
    if contains_any(name, MONEY_WORDS):
        return False  # 三公经费增长率 ≤0%, 预算执行率 ≤100%: a rate about money may rightly be capped
    return name.endswith(HIGHER_IS_BETTER_SUFFIXES) or contains_any(name, CAPPED_RATE_WORDS)


class DirectionContradiction(RowRule):
    """检查内容：比较符的方向与指标名称相反：要越高越好的比率、满意度写成“≤”，
    要越低越好的成本、费用、投诉、事故、差错写成“≥”。有“正向/反向”一栏时，也核对它与比较符是否一致。
    名称本身说明越低越好的比率（投诉率、故障率、差错率）不算比率类；关于经费的比率
    （“三公经费增长率 ≤0%”“预算执行率 ≤100%”）两个方向都说得通，不检查。

    为什么重要：方向写反，目标就变成了“满意度不超过 99%”“成本不少于 20 万元”，
    年底自评会把好结果判成未完成。这是最常见的笔误之一，提醒而不阻止。

    错误示例：设备稳定运行率 ≤99%；预算总成本 ≥21.87万元；投诉次数 ≥3次。

    正确示例：设备稳定运行率 ≥99%；预算总成本 ≤21.87万元；投诉次数 ≤3次。
    """

    code = "PG404"
    severity = Severity.WARNING
    title = "比较方向与指标名称矛盾"

    def check_row(self, row: RowFacts, env: RowEnv) -> Iterator[Issue]:
        comparator = row.parsed.comparator
        if comparator is None or row.blank or row.parsed.kind in (ValueKind.PERIOD, ValueKind.QUALITATIVE):
            return
        upper, lower = comparator in _UPPER, comparator in _LOWER
        direction = row.direction
        if not (upper or lower) or not (
            (upper and (direction is Direction.POSITIVE or higher_is_better(row)))
            or (lower and (direction is Direction.NEGATIVE or lower_is_better(row)))
        ):
            return  # the usual case: nothing to say, so no message is built
        name = row.label()
        value = row.value_text.strip()
        if comparator in _UPPER and higher_is_better(row):
            yield Issue(
                f"{name} 应越高越好，指标值却写作“{value}”（上限）",
                hint="通常应为“≥”；确实是上限时请接受本提示并说明理由。",
                field="value",
            )
        elif comparator in _LOWER and lower_is_better(row):
            yield Issue(
                f"{name} 应越低越好，指标值却写作“{value}”（下限）",
                hint="成本、费用、投诉、事故类指标通常用“≤”。",
                field="value",
            )
        if direction is Direction.POSITIVE and comparator in _UPPER:
            yield Issue(f"{name} 标为正向指标，指标值却是上限“{value}”", hint="核对正向/反向与比较符。", field="direction")
        elif direction is Direction.NEGATIVE and comparator in _LOWER:
            yield Issue(f"{name} 标为反向指标，指标值却是下限“{value}”", hint="核对正向/反向与比较符。", field="direction")
