"""PG213: the procurement table names a project that isn't there, or gives it another budget."""

from __future__ import annotations

from collections.abc import Iterator

from perfgoals.checks.arithmetic import Status, coarsest, fmt, settle, wan
from perfgoals.checks.base import Issue, ProjectRule
from perfgoals.checks.context import CheckContext, ProjectFacts
from perfgoals.checks.findings import Severity


class ProcurementProjectMismatch(ProjectRule):
    """检查内容：政府采购表“项目名称”一栏的项目在本部门的项目中找不到；或采购表所列该项目的
    “预算资金”与项目的预算金额不同（超出舍入误差）。

    为什么重要：采购表与项目目标表是同一份预算的两个侧面；名称对不上，采购就无法落到项目上核对
    （PG212），金额对不上则至少有一处录错。

    错误示例：采购表写“科普活动经费”“预算资金 60.00”，项目名为“科普活动”、预算 65.61 万元。

    正确示例：采购表写“科普活动”，预算资金 65.61 万元。
    """

    code = "PG213"
    severity = Severity.WARNING
    title = "采购表中的项目与项目预算对不上"

    def check_project(self, ctx: CheckContext, project: ProjectFacts) -> Iterator[Issue]:
        entry = ctx.procurement_by_project.get(project.name)
        if entry is None or entry.budget is None or project.amount is None:
            return
        budget_unit = entry.items[0].unit
        budget = wan(entry.budget, budget_unit)
        if budget is None:
            return
        factor = coarsest([budget_unit, project.project.amount_unit])
        if settle(budget, project.amount, items=1, factor=factor) is Status.MISMATCH:
            unit = project.project.amount_unit
            yield Issue(
                f"政府采购表所列本项目预算资金 {fmt(budget, unit)}，与项目预算 {fmt(project.amount, unit)} 不同",
                hint="核对采购表的预算资金或项目预算金额。",
                field="budget_amount",
                table="政府采购表",
            )

    def check_department(self, ctx: CheckContext) -> Iterator[Issue]:
        if not ctx.project_list:
            return
        for name, entry in ctx.procurement_by_project.items():
            if name not in ctx.first_by_name:
                yield Issue(
                    f"政府采购表中的项目“{entry.items[0].project_name.strip()}”在本部门的项目中找不到",
                    hint="核对项目名称，使采购表与目标表一致。",
                    table="政府采购表",
                )
