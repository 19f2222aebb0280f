"""PG101: the goal table's 成本指标 promises more money than the project has."""

from __future__ import annotations

from collections.abc import Iterator

from perfgoals.checks.arithmetic import Status, coarsest, fmt, settle
from perfgoals.checks.base import Issue, ProjectRule
from perfgoals.checks.context import CheckContext, ProjectFacts
from perfgoals.checks.findings import Severity


class CostCeilingAboveBudget(ProjectRule):
    """检查内容：目标表“成本指标”的上限（如“预算总成本 ≤21.87万元”）高于项目的年度资金。
    有“总成本”“控制数”一行时取该行；否则把各成本指标行的金额相加。金额统一折算为万元比较，
    元与万元可以混用；在舍入误差以内的差异不报。项目金额是导入时推断的（按成本指标或政府采购表），
    也照样核对：推断的金额一经与科目对上，就是项目的预算，此后成本指标改动了就是不符，而不是新的预算。

    为什么重要：成本指标是项目花钱的上限，不能超过批复的预算；超出说明目标表按错误的金额编制，
    或预算金额录错了。财政审核（适当性）首先核对这一点。

    错误示例：项目年度资金 7.29 万元，成本指标改成“预算总成本 ≤9.29万元”。

    正确示例：项目年度资金 21.87 万元，成本指标“预算总成本 ≤21.87万元”；或年度资金 218,700 元，
    成本指标“≤21.87万元”。
    """

    code = "PG101"
    severity = Severity.ERROR
    title = "成本指标高于项目预算"

    def check_project(self, ctx: CheckContext, project: ProjectFacts) -> Iterator[Issue]:
        ceiling, amount = project.ceiling, project.amount
        if ceiling is None or amount is None:
            return
        if project.slip is not None or ceiling.wan <= amount:
            return
        factor = coarsest([project.project.amount_unit, *ceiling.units])
        if settle(ceiling.wan, amount, items=len(ceiling.rows), factor=factor) is not Status.MISMATCH:
            return
        unit = project.project.amount_unit
        yield Issue(
            f"{project.rows[ceiling.row - 1].label()} {ceiling.written} 高于项目年度资金 {project.money.describe()}，"
            f"超出 {fmt(ceiling.wan - amount, unit)}",
            hint="把成本指标改为不超过年度资金的金额；若年度资金有误，在项目信息（F3）中改正金额。",
            row=ceiling.row,
            field="value",
        )
