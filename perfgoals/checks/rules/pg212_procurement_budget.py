"""PG212: a project's procurement costs more than the project's budget."""

from __future__ import annotations

from collections.abc import Iterator

from perfgoals.checks.arithmetic import Status, coarsest, fmt, settle
from perfgoals.checks.base import Issue, ProjectRule
from perfgoals.checks.context import CheckContext, ProjectFacts
from perfgoals.checks.findings import Severity


class ProcurementOverBudget(ProjectRule):
    """检查内容：政府采购表中列在某个项目名下的各品目金额之和，超过该项目的预算金额。

    为什么重要：采购资金出自项目预算，不能超过它；超过说明采购计划或项目预算有一处录错，
    或采购挂错了项目。

    错误示例：项目“科普活动”预算 65.61 万元，采购表列在其下的品目合计 70.00 万元。

    正确示例：采购合计 13.86 万元，不超过 65.61 万元。
    """

    code = "PG212"
    severity = Severity.ERROR
    title = "项目采购金额超出项目预算"

    def check_project(self, ctx: CheckContext, project: ProjectFacts) -> Iterator[Issue]:
        entry = ctx.procurement_by_project.get(project.name)
        if entry is None or project.amount is None:
            return
        total, count, units = entry.total, len(entry.items), entry.units
        factor = coarsest([*units, project.project.amount_unit])
        if total > project.amount and settle(total, project.amount, items=count, factor=factor) is Status.MISMATCH:
            unit = project.project.amount_unit
            yield Issue(
                f"政府采购表列在本项目下的 {count} 个品目合计 {fmt(total, unit)}，"
                f"超过项目预算 {fmt(project.amount, unit)}",
                hint="核对采购品目的金额和所属项目，或项目预算金额。",
                field="budget_amount",
                table="政府采购表",
            )
