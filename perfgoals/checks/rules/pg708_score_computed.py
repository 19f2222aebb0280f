"""PG708: a written score that the standard rules don't give."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from perfgoals.checks.base import Issue, ProjectRule
from perfgoals.checks.context import CheckContext, ProjectFacts
from perfgoals.checks.findings import Severity
from perfgoals.checks.rules._evaluation import figure, row_label
from perfgoals.evaluation import Method

_TOLERANCE = Decimal("0.01")


class ScoreNotComputed(ProjectRule):
    """检查内容：自评表填写的得分与标准算法不符：定量指标正向按“实际值 ÷ 目标值 × 分值”、反向
    （≤）按“目标值 ÷ 实际值 × 分值”计算，最多得满分；定性指标按完成档次：达成 100%–80%、
    基本达成 80%–60%、未达成 60%–0% 的分值，得分应落在实际完成情况所属的档次内。
    超过分值的得分见 PG705。

    为什么重要：自评得分应有依据；与实际完成值算不出来的得分，审核时会被认为随意打分。

    错误示例：“培训人次 ≥50人次”，实际 48，分值 10，得分写 10（应为 9.6）；
    实际完成“基本完成”，得分写满分。

    正确示例：得分 9.6；“基本完成”得 6–8 分。
    """

    code = "PG708"
    severity = Severity.WARNING
    title = "得分与标准算法不符"

    def check_project(self, ctx: CheckContext, project: ProjectFacts) -> Iterator[Issue]:
        summary = ctx.evaluations.get(project.index)
        if summary is None:
            return
        for row in summary.rows:
            computed = row.computed
            if row.written is None or computed.score is None or row.points is None or row.written > row.points:
                continue
            if computed.method is Method.BAND and computed.band is not None:
                if row.written_in_band:
                    continue
                low, high = row.points * computed.band.bottom, row.points * computed.band.top
                yield Issue(
                    f"{row_label(row)} 实际完成“{row.actual.strip()}”属“{computed.band.label}”档"
                    f"（{figure(low)}–{figure(high)} 分），得分却写 {figure(row.written)}",
                    hint="定性指标按档次给分：达成 100%–80%，基本达成 80%–60%，未达成 60%–0%。",
                    row=row.row + 1,
                    field="evaluation.score",
                )
            elif abs(row.written - computed.score) > _TOLERANCE:
                yield Issue(
                    f"{row_label(row)} 目标“{row.indicator.value.strip()}”、实际“{row.actual.strip()}”，"
                    f"按标准算法得 {figure(computed.score)} 分，填写的是 {figure(row.written)}",
                    hint="正向指标：实际值 ÷ 目标值 × 分值；反向指标：目标值 ÷ 实际值 × 分值；最多得满分。",
                    row=row.row + 1,
                    field="evaluation.score",
                )
