"""PG101: the goal table's 成本指标 promises more money than the project has."""

from __future__ import annotations

from collections.abc import Iterator

from perfgoals.checks.arithmetic import Status, coarsest, fmt, settle
from perfgoals.checks.base import Issue, ProjectRule
from perfgoals.checks.context import CheckContext, ProjectFacts
from perfgoals.checks.findings import Severity
from perfgoals.checks.rules.pg104_unit_slip import ceiling_slip


class CostCeilingAboveBudget(ProjectRule):
    """检查内容：目标表“成本指标”的上限（如“预算总成本 ≤21.87万元”）高于项目的预算金额。
    有“总成本”一行时取该行；否则把各成本指标行的金额相加。金额统一折算为万元比较，
    元与万元可以混用；在舍入误差（0.005 万元）以内的差异不报。项目预算金额取自成本指标本身时不检查。

    为什么重要：成本指标是项目花钱的上限，不能超过批复的预算；超出说明目标表按错误的金额编制，
    或预算金额录错了。财政审核（适当性）首先核对这一点。

    错误示例：项目预算 20.00 万元，成本指标“预算总成本 ≤21.87万元”。

    正确示例：项目预算 21.87 万元，成本指标“预算总成本 ≤21.87万元”；或预算 218,700 元，
    成本指标“≤21.87万元”。
    """

    code = "PG101"
    severity = Severity.ERROR
    title = "成本指标高于项目预算"

    def check_project(self, ctx: CheckContext, project: ProjectFacts) -> Iterator[Issue]:
        ceiling, amount = project.ceiling, project.amount
        if ceiling is None or amount is None or not project.amount_is_independent:
            return
        if ceiling_slip(project) is not None or ceiling.amount <= amount:
            return
        factor = coarsest([project.project.amount_unit, *ceiling.units])
        status = settle(ceiling.amount, amount, items=len(ceiling.rows), factor=factor)
        if status is not Status.MISMATCH:
            return
        unit = project.project.amount_unit
        yield Issue(
            f"{project.rows[ceiling.rows[0] - 1].label()} {ceiling.written} 高于项目预算 {fmt(amount, unit)}"
            f"（超出 {fmt(ceiling.amount - amount, unit)}）",
            hint="把成本指标改为不超过项目预算的金额，或核对项目预算金额是否录错。",
            row=ceiling.rows[0],
            field="value",
        )
