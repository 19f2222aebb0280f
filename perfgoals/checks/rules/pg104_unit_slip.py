"""PG104: an amount 10,000× off — 元 written where 万元 was meant, or the reverse."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from perfgoals.checks.arithmetic import fmt
from perfgoals.checks.base import Issue, ProjectRule
from perfgoals.checks.context import CheckContext, ProjectFacts
from perfgoals.checks.findings import Severity


def _unit_words(multiplier: Decimal) -> tuple[str, str]:
    """(written, meant) for a figure that is ``multiplier`` times what it should be."""
    return ("万元", "元") if multiplier > 1 else ("元", "万元")


def _times(multiplier: Decimal) -> str:
    return "一万倍" if multiplier > 1 else "万分之一"


class UnitSlip(ProjectRule):
    """检查内容：金额的单位写错，使数额差了一万倍：
    (1) 成本指标的上限约为项目年度资金的 10,000 倍或 1/10,000（年度资金是导入时推断的也照样核对）；
    (2) 某功能科目下的项目合计与科目的项目支出对不上，而把其中一个项目的金额乘以或除以 10,000
    后恰好对上（在舍入误差以内）。

    为什么重要：同一份公开文件里元和万元混用（成本指标写“≤755元”，预算表以万元为单位），
    把“万元”写成“元”会让金额缩小一万倍，汇总和审核都会被误导。这种错误单看一张表发现不了。

    错误示例：项目年度资金 7.29 万元，成本指标写成“≤7.29元”；或“≤72900万元”。

    正确示例：成本指标写“≤7.29万元”或“≤72900元”——两者相等，都正确。
    """

    code = "PG104"
    severity = Severity.ERROR
    title = "金额单位疑似写错（相差一万倍）"

    def check_project(self, ctx: CheckContext, project: ProjectFacts) -> Iterator[Issue]:
        multiplier = project.slip
        ceiling = project.ceiling
        if multiplier is not None and ceiling is not None:
            written, meant = _unit_words(multiplier)
            yield Issue(
                f"{project.rows[ceiling.row - 1].label()} {ceiling.written} 是项目年度资金 "
                f"{project.money.describe()}的约{_times(multiplier)}，疑似把“{meant}”写成了“{written}”",
                hint="核对成本指标的金额单位（元/万元）。",
                row=ceiling.row,
                field="value",
            )
            return
        code = project.project.budget_line_code
        if not code or code not in ctx.lines:
            return
        entry = ctx.reconcile(code)
        found = entry.slip_project
        if found is None or found[0] is not project.project or entry.total is None:
            return
        multiplier = found[1]
        # The amount is 1/multiplier of what would make the line add up.
        written, meant = _unit_words(1 / multiplier)
        total = entry.total
        yield Issue(
            f"项目年度资金 {project.money.describe()} 使{entry.subject}的项目合计 "
            f"{fmt(total.computed, total.unit)} 与项目支出 {fmt(total.published, total.unit)} 不符；"
            f"按{_times(multiplier)}计恰好相符，疑似把“{meant}”写成了“{written}”",
            hint="在项目信息（F3）中核对年度资金的单位（元/万元），成本指标的单位也一并核对。",
            field="budget_amount",
            budget_line=code,
        )
