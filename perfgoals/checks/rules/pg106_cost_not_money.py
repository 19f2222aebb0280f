"""PG106: a 成本指标 whose value is not an amount of money."""

from __future__ import annotations

from collections.abc import Iterator

from perfgoals.checks.base import Issue, RowRule
from perfgoals.checks.context import RowEnv, RowFacts
from perfgoals.checks.findings import Severity
from perfgoals.checks.vocabulary import is_placeholder
from perfgoals.values import ValueKind


class CostNotMoney(RowRule):
    """检查内容：成本指标的指标值读不出金额：没写单位（“≤21.87”）、写成百分比或定性文字
    （“控制在预算内”）。

    为什么重要：成本指标是核对目标与预算是否一致（PG101、PG102）的依据；读不出金额就无法核对，
    审核时也会被要求改成“≤X万元”的形式。

    错误示例：成本指标“预算总成本”，指标值“≤21.87”或“不超预算”。

    正确示例：指标值“≤21.87万元”或“≤218700元”。
    """

    code = "PG106"
    severity = Severity.WARNING
    title = "成本指标不是金额"

    def check_row(self, row: RowFacts, env: RowEnv) -> Iterator[Issue]:
        if not row.is_cost or row.blank:
            return
        parsed = row.parsed
        if parsed.kind in (ValueKind.MONEY, ValueKind.EMPTY) or is_placeholder(row.value):
            return
        if parsed.kind is ValueKind.QUANTITY and not parsed.unit:
            why = "没有金额单位"
        elif parsed.kind is ValueKind.QUANTITY:
            why = f"单位“{parsed.unit}”不是金额单位"
        else:
            why = {
                ValueKind.PERCENT: "是百分比",
                ValueKind.PERIOD: "是时间",
                ValueKind.RANGE: "是没有金额单位的区间",
            }.get(parsed.kind, "是文字表述")
        yield Issue(
            f"{row.label()} 指标值“{row.value_text.strip()}”{why}，读不出金额",
            hint="写成“≤金额+单位”，如“≤21.87万元”。",
            field="value",
        )
