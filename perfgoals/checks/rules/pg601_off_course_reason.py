"""PG601: an indicator off course in the monitoring, without its 偏差原因."""

from __future__ import annotations

from collections.abc import Iterator

from perfgoals.checks.base import Issue, ProjectRule
from perfgoals.checks.context import CheckContext, ProjectFacts
from perfgoals.checks.findings import Severity
from perfgoals.checks.rules._monitoring import row_number, signal_text
from perfgoals.models import DeviationCause

_CAUSES = "、".join(cause.value for cause in DeviationCause)


class OffCourseWithoutReason(ProjectRule):
    """检查内容：绩效监控中偏离目标的指标没有填写偏差原因分析：既要勾选原因类别（经费保障、
    制度保障、人员保障、硬件条件保障、其他），也要写原因说明。偏离目标指：全年预计完成情况
    低于年度指标值（正向指标，≥）或超出年度指标值（反向指标，≤）；或数量指标 1-N月的完成量
    不到年度指标值的“序时进度 × 50%”（7月31日序时进度为 7/12，即完成不到 29%；监控日期在
    3月底之前不判断进度）。完成可能性为“有可能”“完全不可能”而未写说明的，见 PG602。

    为什么重要：监控表要求对每一项偏离目标的指标分析原因并提出纠偏措施；没有原因的偏离
    无法判断是预算安排、执行管理还是目标设定出了问题，也无法据以调整预算或目标。

    错误示例：数量指标“活动开展次数 ≥20次”，全年预计完成“15次”，偏差原因一栏空白。

    正确示例：勾选“经费保障”，原因说明“下半年配套资金未到位，两场活动推迟至明年”。
    """

    code = "PG601"
    severity = Severity.ERROR
    title = "偏离目标的指标未分析偏差原因"

    def check_project(self, ctx: CheckContext, project: ProjectFacts) -> Iterator[Issue]:
        reading = ctx.monitoring.get(project.index)
        if reading is None:
            return
        for row in reading.rows:
            signals = row.off_by_figures
            if not signals or (row.has_cause and row.has_reason):
                continue
            missing = "原因类别和原因说明" if not row.has_cause and not row.has_reason else (
                "原因类别" if not row.has_cause else "原因说明"
            )
            why = "；".join(signal_text(reading, row, signal) for signal in signals)
            yield Issue(
                f"{row.label()} 偏离目标（{why}），未填偏差原因分析的{missing}",
                hint=f"勾选原因类别（{_CAUSES}）并写明原因和纠偏措施。",
                field="monitoring.causes" if not row.has_cause else "monitoring.reason",
                row=row_number(row),
            )
