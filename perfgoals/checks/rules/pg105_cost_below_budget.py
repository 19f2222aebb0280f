"""PG105: the 成本指标 covers less money than the project's budget."""

from __future__ import annotations

from collections.abc import Iterator

from perfgoals.checks.arithmetic import Status, coarsest, fmt, settle
from perfgoals.checks.base import Issue, ProjectRule
from perfgoals.checks.context import CheckContext, ProjectFacts
from perfgoals.checks.findings import Severity


class CostCeilingBelowBudget(ProjectRule):
    """检查内容：成本指标的上限低于项目的年度资金（超出舍入误差）。项目金额是导入时推断的
    也照样核对：成本指标改小了，目标表就与预算不再相符。

    为什么重要：成本指标应反映项目的全部资金。上限低于预算，说明目标表只覆盖了部分资金，
    或按旧的金额编制后预算又调整过——目标与资金不匹配，年底自评时“预算执行率”与成本指标会互相矛盾。

    错误示例：项目年度资金 84.00 万元，成本指标“项目总成本 ≤55万元”。

    正确示例：项目年度资金 84.00 万元，成本指标“项目总成本 ≤84万元”。
    """

    code = "PG105"
    severity = Severity.ERROR
    title = "成本指标低于项目预算"

    def check_project(self, ctx: CheckContext, project: ProjectFacts) -> Iterator[Issue]:
        ceiling, amount = project.ceiling, project.amount
        if ceiling is None or amount is None:
            return
        if project.slip is not None or ceiling.wan >= amount:
            return
        factor = coarsest([project.project.amount_unit, *ceiling.units])
        if settle(ceiling.wan, amount, items=len(ceiling.rows), factor=factor) is not Status.MISMATCH:
            return
        unit = project.project.amount_unit
        yield Issue(
            f"{project.rows[ceiling.row - 1].label()} {ceiling.written} 低于项目年度资金 {project.money.describe()}，"
            f"少 {fmt(amount - ceiling.wan, unit)}",
            hint="成本指标应覆盖项目的全部年度资金；核对两者哪个是最新的金额。",
            row=ceiling.row,
            field="value",
        )
