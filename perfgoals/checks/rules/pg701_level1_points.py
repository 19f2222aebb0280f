"""PG701: the points of a 一级's 三级 rows don't add up to the 一级's points."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from perfgoals.checks.base import Issue, ProjectRule
from perfgoals.checks.context import CheckContext, ProjectFacts
from perfgoals.checks.findings import Severity
from perfgoals.checks.rules._evaluation import figure
from perfgoals.evaluation.points import COST, OUTPUT


class Level1Points(ProjectRule):
    """检查内容：自评表的一级指标写明了分值（如“产出指标(50分)”）时，其下各三级指标的分值合计
    应等于它。只检查填了分值的行：各行都填了而合计不等，或已填的合计已超过一级指标的分值。
    2021 年版指标体系的“成本指标”没有单独写分值时，与产出指标合用产出指标的分值。
    一级指标没有写分值时，各行的分值就是表自己的权重，只检查总分是否为 100（PG702）。

    为什么重要：一级指标的分值是评分的框架（产出 50、效益 30、满意度 10、预算执行率 10）；
    三级指标分值加起来不等于它，总分就会多出或少了分，等级（优 ≥90、良 ≥80）随之失真。

    错误示例：产出指标(50分) 下 6 个三级指标各 10 分，合计 60。

    正确示例：产出指标(50分) 下 5 个三级指标各 10 分；或 6 个指标 8、8、8、8、8、10 分。
    """

    code = "PG701"
    severity = Severity.ERROR
    title = "三级指标分值合计与一级指标分值不符"

    def check_project(self, ctx: CheckContext, project: ProjectFacts) -> Iterator[Issue]:
        summary = ctx.evaluations.get(project.index)
        if summary is None or not summary.level1_own:
            return
        for pool, expected in summary.level1_points.items():
            if pool not in summary.level1_own:
                continue
            rows = [row for row in summary.rows if row.pool == pool and row.points is not None]
            entered = [row for row in rows if row.points_entered]
            if not entered:
                continue
            total = sum((row.points for row in entered if row.points is not None), Decimal(0))
            name = f"{pool}（含{COST}）" if pool == OUTPUT and any(row.level1 == COST for row in rows) else pool
            first = entered[0].row + 1
            if len(entered) == len(rows) and total != expected:
                yield Issue(
                    f"{name}的三级指标分值合计 {figure(total)}，与一级指标的 {figure(expected)} 分不符",
                    hint="调整各三级指标的分值，使其合计等于一级指标的分值。",
                    row=first,
                    field="evaluation.points",
                )
            elif total > expected:
                yield Issue(
                    f"{name}已填的三级指标分值合计 {figure(total)}，已超过一级指标的 {figure(expected)} 分",
                    hint="调整各三级指标的分值，使其合计等于一级指标的分值。",
                    row=first,
                    field="evaluation.points",
                )
