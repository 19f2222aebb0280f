"""PG707: a 总分 or grade written that disagrees with the scores."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from perfgoals.checks.base import Issue, ProjectRule
from perfgoals.checks.context import CheckContext, ProjectFacts
from perfgoals.checks.findings import Severity
from perfgoals.checks.rules._evaluation import figure
from perfgoals.evaluation import grade_of
from perfgoals.models import Grade

_TOLERANCE = Decimal("0.01")


class TotalAndGrade(ProjectRule):
    """检查内容：自评表写的总分应等于各指标得分与预算执行率得分之和；写的评价等级应与总分相符
    （优 ≥90、良 ≥80、中 ≥60、差 <60）。没填得分的行按标准算法计算。

    为什么重要：总分和等级是自评的结论，会进入绩效评价结果和下年预算安排；
    与各项得分对不上，结论就不可信。

    错误示例：各项得分合计 80，总分写 100，等级写“优”。

    正确示例：总分 80，等级“良”。
    """

    code = "PG707"
    severity = Severity.ERROR
    title = "总分或评价等级与各项得分不符"

    def check_project(self, ctx: CheckContext, project: ProjectFacts) -> Iterator[Issue]:
        summary = ctx.evaluations.get(project.index)
        if summary is None:
            return
        total = summary.total
        written = summary.written_total
        if written is not None and abs(written - total) > _TOLERANCE:
            computed = summary.computed_total
            also = f"（全部按标准算法为 {figure(computed)}）" if computed != total else ""
            yield Issue(
                f"总分写作 {figure(written)}，各项得分合计 {figure(total)}{also}",
                hint="总分填各指标得分与预算执行率得分之和。",
                field="evaluation.total",
            )
        text = summary.written_grade.strip()
        said = next((grade for grade in Grade if grade.value in text), None)
        if said is None:
            return
        expected = grade_of(written if written is not None else total)
        if expected is not None and said is not expected:
            basis = f"总分 {figure(written if written is not None else total)}"
            yield Issue(
                f"评价等级写作“{text}”，{basis}应为“{expected.value}”",
                hint="优 ≥90、良 ≥80、中 ≥60、差 <60。",
                field="evaluation.grade",
            )
