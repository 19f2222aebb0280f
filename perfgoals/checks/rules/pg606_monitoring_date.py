"""PG606: a monitoring date outside the budget year."""

from __future__ import annotations

from collections.abc import Iterator

from perfgoals.checks.base import Issue, ProjectRule
from perfgoals.checks.context import CheckContext, ProjectFacts
from perfgoals.checks.findings import Severity


class MonitoringDateOutsideYear(ProjectRule):
    """检查内容：绩效监控的截止日期不在预算年度之内（例如 2022 年的项目写成 2021-07-31 或
    2023-07-31）。

    为什么重要：监控是对本年度预算执行和目标完成情况的年中检查；日期不在本年度，序时进度、
    “1-N月”执行数和执行率都无从计算，多半是套用了上年的表或把年份写错。

    错误示例：2022 年预算的项目，监控截止日期 2021-07-31。

    正确示例：监控截止日期 2022-07-31（1-7月）。
    """

    code = "PG606"
    severity = Severity.ERROR
    title = "监控日期不在预算年度内"

    def check_project(self, ctx: CheckContext, project: ProjectFacts) -> Iterator[Issue]:
        reading = ctx.monitoring.get(project.index)
        if reading is None or reading.in_year:
            return
        where = "早于" if reading.as_of.year < reading.year else "晚于"
        yield Issue(
            f"监控截止日期 {reading.as_of:%Y-%m-%d} {where}预算年度 {reading.year} 年",
            hint=f"改为 {reading.year} 年内的日期，通常为 {reading.year}-07-31。",
            field="monitoring.as_of",
        )
