"""PG703: a 自评's 年度资金总额 is not the sum of its parts."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from perfgoals.checks.base import Issue, ProjectRule
from perfgoals.checks.context import CheckContext, ProjectFacts
from perfgoals.checks.findings import Severity
from perfgoals.checks.rules._evaluation import figure

_COLUMNS = (("initial", "年初预算数"), ("full_year", "全年预算数"), ("executed", "全年执行数"))
#: Published figures are rounded: each part may be off by half a unit of its last place.
_TOLERANCE = Decimal("0.005")


class FundsTotal(ProjectRule):
    """检查内容：自评表“项目资金”中，年度资金总额的年初预算数、全年预算数、全年执行数应等于其下
    本年财政拨款、上年结转资金、其他资金之和（只比较填了的列；各项按 0.005 的舍入误差放宽）。

    为什么重要：预算执行率按年度资金总额计算；总额填 0 或漏填，执行率和它的 10 分就算错了，
    审核时也看不出项目到底花了多少钱。

    错误示例：年度资金总额 0 / 0 / 0，其中本年财政拨款 90 / 89.974 / 89.974。

    正确示例：年度资金总额 90 / 89.974 / 89.974，其中本年财政拨款 90 / 89.974 / 89.974。
    """

    code = "PG703"
    severity = Severity.ERROR
    title = "年度资金总额与其中各项之和不符"

    def check_project(self, ctx: CheckContext, project: ProjectFacts) -> Iterator[Issue]:
        evaluation = project.project.evaluation
        if evaluation is None or len(evaluation.funds) < 2:
            return
        total, parts = evaluation.funds[0], evaluation.funds[1:]
        wrong: list[str] = []
        for attribute, label in _COLUMNS:
            values = [getattr(part, attribute) for part in parts if getattr(part, attribute) is not None]
            if not values:
                continue
            summed = sum(values, Decimal(0))
            written = getattr(total, attribute)
            if written is None or abs(written - summed) > _TOLERANCE * len(values):
                wrong.append(f"{label} {figure(written) if written is not None else '未填'}，各项合计 {figure(summed)}")
        if wrong:
            yield Issue(
                f"{total.label.strip().rstrip(':：')}：{'；'.join(wrong)}（{evaluation.unit}）",
                hint="年度资金总额填其下本年财政拨款、上年结转资金、其他资金之和。",
                field="evaluation.funds",
            )
