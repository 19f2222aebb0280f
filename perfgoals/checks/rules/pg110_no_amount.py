"""PG110: a project with no budget amount at all."""

from __future__ import annotations

from collections.abc import Iterator

from perfgoals.checks.arithmetic import fmt
from perfgoals.checks.base import Issue, ProjectRule
from perfgoals.checks.context import CheckContext, ProjectFacts
from perfgoals.checks.findings import Severity
from perfgoals.reading.reconcile import SLIPS
from perfgoals.reading.rounding import Status


class ProjectWithoutAmount(ProjectRule):
    """检查内容：项目没有年度资金（空白不等于零）。部门有列出项目支出的预算科目时是错误：
    预算里有这笔钱，目标表却没有对应的金额，成本指标也就无从核对；没有预算表时（单独的目标表）
    只作警告。导入时成本指标与任何科目的项目支出都对不上，程序不会把它当作项目金额，
    项目就会没有金额：本规则指出成本指标写的是多少、哪个科目还有项目支出没有着落，
    差额恰好是成本指标的一万倍或万分之一时提示单位可能写错。

    为什么重要：没有金额的项目既不能与成本指标比较，也使其所在科目、部门的项目合计无法核对
    （PG102、PG103 对含空白金额的科目不作判断）。

    错误示例：项目“老科协工作经费”的成本指标写成 ≤9.11万元，与科目 2060701 的项目支出
    对不上，导入后没有年度资金。

    正确示例：年度资金填 7.29（万元），成本指标“≤7.29万元”。
    """

    code = "PG110"
    severity = Severity.ERROR
    title = "项目没有年度资金"

    def check_project(self, ctx: CheckContext, project: ProjectFacts) -> Iterator[Issue]:
        if project.amount is not None:
            return
        budgeted = any(line.project for line in ctx.lines.values())
        ceiling = project.ceiling
        message = "项目没有年度资金，无法核对成本指标和科目的项目合计"
        hint = "在项目信息（F3）中填写年度资金。"
        if ceiling is not None:
            message = f"项目没有年度资金；成本指标写的是 {ceiling.written}"
            gaps = []
            for code, line in ctx.lines.items():
                if len(code) != 7 or not line.project:
                    continue
                total = ctx.reconcile(code).total
                if total is not None and total.status is Status.MISMATCH and total.difference < 0:
                    gaps.append((ctx.reconcile(code).subject, -total.difference))
            if gaps:
                listed = "、".join(f"{subject}尚有 {fmt(gap)}" for subject, gap in gaps[:3])
                message += f"，与预算表对不上（{listed}项目支出没有项目对应）"
                for subject, gap in gaps:
                    if any(abs(ceiling.wan * multiplier - gap) <= gap / 1000 for multiplier in SLIPS):
                        message += f"；{subject}的缺口约为成本指标的一万倍或万分之一，疑似金额单位写错"
                        break
            hint = "核对成本指标；确认后在项目信息（F3）中填写年度资金。"
        yield Issue(
            message,
            hint=hint,
            field="budget_amount",
            severity=None if budgeted else Severity.WARNING,
        )
