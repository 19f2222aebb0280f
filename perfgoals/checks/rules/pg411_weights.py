"""PG411: weights that don't add up."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from perfgoals.checks.arithmetic import ZERO
from perfgoals.checks.base import Issue, ProjectRule
from perfgoals.checks.context import CheckContext, ProjectFacts
from perfgoals.checks.findings import Severity
from perfgoals.checks.vocabulary import clean

#: What the weights of a table total when every point is in it.
FULL = Decimal(100)
#: The points of 预算执行率 in a year-end self-evaluation, when scored outside the indicators.
EXECUTION_POINTS = Decimal(10)


#: What a table says when the 10 points of 预算执行率 are scored outside the indicator weights.
APART_WORDS = ("预算执行率", "资金执行率")


def _names_execution_rate(text: str) -> bool:
    cleaned = clean(text)
    return any(word in cleaned for word in APART_WORDS)


class Weights(ProjectRule):
    """检查内容：目标表设了权重（分值）时，有的行有权重、有的行没有；或权重合计不是 100。
    合计 90 只在表中写明预算执行率另行计分时才算对：有一行“预算执行率”不设权重（它的 10 分在表外），
    或绩效目标中写明预算执行率另计。

    为什么重要：年底自评按权重给分，合计不对，项目的总分和等级（优 ≥90、良 ≥80、中 ≥60）就算不准；
    合计 90 而没有说明另 10 分在哪里，多半是漏了一行或少算了分。

    错误示例：7 个指标的权重合计 110；合计 90 而表中没有任何地方提到预算执行率；
    只有产出指标设了权重，其余各行空着。

    正确示例：全部在表内合计 100；或产出 50、效益 30、满意度 10，另有“预算执行率”一行（10 分另计）：合计 90。
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
        # A 预算执行率 row without a weight says its points are counted apart: not a missing weight.
        apart_rows = [
            number for number, indicator in filled
            if indicator.weight is None and _names_execution_rate(indicator.level3 + indicator.description)
        ]
        missing = [number for number, indicator in filled if indicator.weight is None and number not in apart_rows]
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
        if total == FULL:
            return
        apart = bool(apart_rows) or _names_execution_rate(project.project.goal.goal_text)
        if total == FULL - EXECUTION_POINTS and apart:
            return
        said = "，表中写明预算执行率另计时为 90" if apart or total == FULL - EXECUTION_POINTS else ""
        yield Issue(
            f"各指标权重合计 {total.normalize():f}，应为 100{said}"
            + ("；合计 90 时须写明预算执行率的 10 分另计" if total == FULL - EXECUTION_POINTS else ""),
            hint="调整各指标的权重（分值）；预算执行率另计时，加一行“预算执行率”（不设权重）或在绩效目标中写明。",
            field="weight",
        )
