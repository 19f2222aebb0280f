"""PG705: a score above its points."""

from __future__ import annotations

from collections.abc import Iterator

from perfgoals.checks.base import Issue, ProjectRule
from perfgoals.checks.context import CheckContext, ProjectFacts
from perfgoals.checks.findings import Severity
from perfgoals.checks.rules._evaluation import figure, row_label


class ScoreOverPoints(ProjectRule):
    """检查内容：自评表中任何一项的得分都不能超过它的分值，也不能为负数；预算执行率的得分不能
    超过它的分值。超额完成（实际值大于目标值）也只得满分。没填分值的行按一级指标剩余分值平均分配后比较。

    为什么重要：超过分值的得分会把总分抬高，甚至超过 100；这是自评表最常见的错误之一，
    审核时一眼就能看出。

    错误示例：分值 10 的指标，实际完成 120%，得分 12。

    正确示例：得分 10（封顶为分值）。
    """

    code = "PG705"
    severity = Severity.ERROR
    title = "得分超过分值"

    def check_project(self, ctx: CheckContext, project: ProjectFacts) -> Iterator[Issue]:
        summary = ctx.evaluations.get(project.index)
        if summary is None:
            return
        for row in summary.rows:
            if row.written is None or row.points is None:
                continue
            if row.written > row.points or row.written < 0:
                yield Issue(
                    f"{row_label(row)} 得分 {figure(row.written)}，"
                    + (f"超过分值 {figure(row.points)}" if row.written > row.points else "不能为负数"),
                    hint="得分在 0 与分值之间；超额完成也只得满分。",
                    row=row.row + 1,
                    field="evaluation.score",
                )
        rate = summary.rate
        if rate.written is not None and rate.written > rate.points:
            yield Issue(
                f"预算执行率得分 {figure(rate.written)}，超过分值 {figure(rate.points)}",
                hint="执行率超过 100% 也只得满分。",
                field="evaluation.rate_score",
            )
