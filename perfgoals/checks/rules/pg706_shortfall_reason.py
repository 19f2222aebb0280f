"""PG706: a score below full without a reason."""

from __future__ import annotations

from collections.abc import Iterator

from perfgoals.checks.base import Issue, ProjectRule
from perfgoals.checks.context import CheckContext, ProjectFacts
from perfgoals.checks.findings import Severity
from perfgoals.checks.rules._evaluation import figure, row_label


class ShortfallWithoutReason(ProjectRule):
    """检查内容：自评表中得分低于分值（没有完成目标）的指标，要填写“偏差原因分析及改进措施”
    （有的表叫“未完成原因”）。得分取填写的，没填的按标准算法计算。

    为什么重要：扣分的原因和改进措施是自评的目的：说明为什么没有完成、明年怎么改；
    没有原因的扣分，审核时无法判断是目标定高了、执行不力还是外部原因。

    错误示例：“培训人次 ≥50人次”，实际 48 人次，得 9.6 分，原因一栏空白。

    正确示例：原因写“两期培训因疫情合并举办，参训人数减少；明年提前安排线上培训”。
    """

    code = "PG706"
    severity = Severity.ERROR
    title = "未得满分的指标没有写偏差原因"

    def check_project(self, ctx: CheckContext, project: ProjectFacts) -> Iterator[Issue]:
        summary = ctx.evaluations.get(project.index)
        if summary is None:
            return
        for row in summary.rows:
            used = row.used
            if used is None or row.points is None or used >= row.points or row.reason.strip():
                continue
            how = "" if row.written is not None else "（按标准算法）"
            yield Issue(
                f"{row_label(row)} 得分 {figure(used)}{how}，低于分值 {figure(row.points)}，未填写偏差原因分析及改进措施",
                hint="写明未完成的原因和改进措施。",
                row=row.row + 1,
                field="evaluation.reason",
            )
