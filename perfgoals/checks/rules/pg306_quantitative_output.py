"""PG306: no quantitative output indicator."""

from __future__ import annotations

from collections.abc import Iterator

from perfgoals.checks.base import Issue, ProjectRule
from perfgoals.checks.context import CheckContext, ProjectFacts
from perfgoals.checks.findings import Severity
from perfgoals.values import ValueKind

_QUANTITATIVE = (ValueKind.QUANTITY, ValueKind.PERCENT, ValueKind.RANGE)


class NoQuantitativeOutput(ProjectRule):
    """检查内容：产出指标（成本指标除外）中没有一项是可以计量的数值目标（如“≥20次”“≥90%”）。
    全是“内容丰富、形式多样”“按期完成”之类的定性表述时报告。

    为什么重要：绩效目标要“可衡量”：没有数值的产出，年底无法判断是否完成，
    自评只能凭印象打分。

    错误示例：数量指标“活动开展情况 / 有序开展”，质量指标“活动效果 / 良好”。

    正确示例：数量指标“活动开展次数 / ≥20次”。
    """

    code = "PG306"
    severity = Severity.ERROR
    title = "没有定量的产出指标"

    def check_project(self, ctx: CheckContext, project: ProjectFacts) -> Iterator[Issue]:
        outputs = [row for row in project.rows if not row.blank and row.is_output and not row.is_cost]
        if not outputs:
            return  # no output rows at all: PG301/PG302 say so
        if any(row.parsed.kind in _QUANTITATIVE for row in outputs):
            return
        yield Issue(
            "产出指标中没有可计量的数值目标（全部为定性或时间表述）",
            hint="至少给一项数量指标写上数值目标，如“≥20次”。",
            field="value",
        )
