"""PG602: 完成目标可能性 有可能 or 完全不可能, with no reason given."""

from __future__ import annotations

from collections.abc import Iterator

from perfgoals.checks.base import Issue, ProjectRule
from perfgoals.checks.context import CheckContext, ProjectFacts
from perfgoals.checks.findings import Severity
from perfgoals.checks.rules._monitoring import row_number
from perfgoals.models import Likelihood


class DoubtfulWithoutReason(ProjectRule):
    """检查内容：绩效监控中完成目标可能性选了“完全不可能”或“有可能”，却没有写原因说明。
    “完全不可能”是错误；“有可能”是警告（目标有风险，也应说明风险在哪里）。

    为什么重要：判断目标完不成或可能完不成，是监控最要紧的结论，财政部门据此决定是否
    调整预算、督促整改；不写原因，这一判断就无从核实，也谈不上纠偏。

    错误示例：“参加群众满意度 ≥90%”，完成可能性勾“完全不可能”，原因说明空白。

    正确示例：原因说明“受疫情影响线下活动取消，满意度调查无法开展，拟改为线上问卷”。
    """

    code = "PG602"
    severity = Severity.ERROR
    title = "完成可能性存疑但未说明原因"

    def check_project(self, ctx: CheckContext, project: ProjectFacts) -> Iterator[Issue]:
        reading = ctx.monitoring.get(project.index)
        if reading is None:
            return
        for row in reading.rows:
            if not row.doubtful or row.has_reason:
                continue
            likelihood = row.entry.likelihood
            assert likelihood is not None
            yield Issue(
                f"{row.label()} 完成目标可能性为“{likelihood.value}”，未写原因说明",
                hint="在原因说明中写明目标可能完不成的原因和拟采取的措施。",
                field="monitoring.reason",
                row=row_number(row),
                severity=Severity.WARNING if likelihood is Likelihood.POSSIBLE else None,
            )
