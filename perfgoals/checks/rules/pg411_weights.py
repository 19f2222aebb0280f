"""PG411: weights that don't add up."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from perfgoals.checks.arithmetic import ZERO
from perfgoals.checks.base import Issue, ProjectRule
from perfgoals.checks.context import CheckContext, ProjectFacts
from perfgoals.checks.findings import Severity

#: 100 with all indicators, 90 when the 10 points of 预算执行率 are scored outside the table.
VALID_TOTALS = (Decimal(100), Decimal(90))


class Weights(ProjectRule):
    """检查内容：目标表设了权重（分值）时，有的行有权重、有的行没有；或权重合计既不是 100，
    也不是 90（预算执行率的 10 分在表外计分时）。

    为什么重要：年底自评按权重给分，合计不对，项目的总分和等级（优 ≥90、良 ≥80、中 ≥60）就算不准。

    错误示例：7 个指标的权重合计 110；或只有产出指标设了权重，其余各行空着。

    正确示例：产出 50、效益 30、满意度 10，另 10 分为预算执行率：合计 90；或全部在表内合计 100。
    """

    code = "PG411"
    severity = Severity.WARNING
    title = "权重（分值）合计不对"

    def check_project(self, ctx: CheckContext, project: ProjectFacts) -> Iterator[Issue]:
        indicators = project.project.goal.indicators
        if all(indicator.weight is None for indicator in indicators):
            return  # the usual case: no weights at all
        filled = [
            (number, indicator)
            for number, (indicator, row) in enumerate(zip(indicators, project.rows, strict=True), start=1)
            if not row.blank
        ]
        weighted = [(number, indicator.weight) for number, indicator in filled if indicator.weight is not None]
        if not weighted:
            return
        missing = [number for number, indicator in filled if indicator.weight is None]
        if missing:
            listed = "、".join(str(number) for number in missing[:8])
            yield Issue(
                f"部分指标有权重、部分没有：第 {listed} 行未设权重",
                hint="要么每一行都设权重，要么都不设。",
                row=missing[0],
                field="weight",
            )
            return
        total = sum((weight for _, weight in weighted if weight is not None), ZERO)
        if total not in VALID_TOTALS:
            yield Issue(
                f"各指标权重合计 {total.normalize():f}，应为 100（或预算执行率另计时为 90）",
                hint="调整各指标的权重（分值）。",
                field="weight",
            )
