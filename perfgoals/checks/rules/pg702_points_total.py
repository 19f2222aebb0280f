"""PG702: the points of a 自评 (indicators and 预算执行率) don't total 100."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from perfgoals.checks.base import Issue, ProjectRule
from perfgoals.checks.context import CheckContext, ProjectFacts
from perfgoals.checks.findings import Severity
from perfgoals.checks.rules._evaluation import figure

FULL = Decimal(100)


class PointsTotal(ProjectRule):
    """检查内容：自评表各三级指标的分值加上预算执行率的分值，合计应为 100。没填分值的行按一级指标
    剩余的分值平均分配（一级指标默认产出 50、效益 30、满意度 10，预算执行率 10）；某个一级指标
    没有任何三级指标时，它的分值就落空了。

    为什么重要：总分满分 100，等级按 90、80、60 划分；分值合计 110 的表，总分可能超过 100，
    合计 90 的表，全部完成也评不上优。

    错误示例：产出 60 + 效益 30 + 满意度 10 + 预算执行率 10 = 110，总分一栏却写满分 100。

    正确示例：产出 50 + 效益 30 + 满意度 10 + 预算执行率 10 = 100。
    """

    code = "PG702"
    severity = Severity.ERROR
    title = "自评分值合计不是 100"

    def check_project(self, ctx: CheckContext, project: ProjectFacts) -> Iterator[Issue]:
        summary = ctx.evaluations.get(project.index)
        if summary is None:
            return
        total = summary.points_total
        if total == FULL:
            return
        indicators = total - summary.rate.points
        parts = [f"指标 {figure(indicators)}", f"预算执行率 {figure(summary.rate.points)}"]
        empty = [
            f"{name}的 {figure(points)} 分没有对应的三级指标"
            for name, points in summary.level1_points.items()
            if points and not any(row.pool == name and row.points is not None for row in summary.rows)
        ]
        written = f"，总分一栏写的是 {figure(summary.written_total)}" if summary.written_total is not None else ""
        yield Issue(
            f"分值合计 {figure(total)}（{' + '.join(parts)}），应为 100{written}"
            + (f"；{'；'.join(empty)}" if empty else ""),
            hint="调整各指标的分值：产出 50、效益 30、满意度 10、预算执行率 10，或按本地规定，合计 100。",
            field="evaluation.points",
        )
