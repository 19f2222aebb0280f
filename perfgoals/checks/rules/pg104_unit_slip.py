"""PG104: an amount 10,000× off — 元 written where 万元 was meant, or the reverse."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from perfgoals.checks.arithmetic import fmt
from perfgoals.checks.base import Issue, ProjectRule
from perfgoals.checks.context import CheckContext, ProjectFacts
from perfgoals.checks.findings import Severity


def ceiling_slip(project: ProjectFacts) -> Decimal | None:
    """10,000 or 1/10,000 when the cost ceiling is that many times the budget amount, else ``None``."""
    return project.slip


def _unit_words(multiplier: Decimal) -> tuple[str, str]:
    """(written, meant) for a figure that is ``multiplier`` times what it should be."""
    return ("万元", "元") if multiplier > 1 else ("元", "万元")


class UnitSlip(ProjectRule):
    """检查内容：金额的单位写错，使数额差了一万倍：
    (1) 成本指标的上限约为项目预算金额的 10,000 倍或 1/10,000；
    (2) 某功能科目下的项目合计与科目的项目支出对不上，而把其中一个项目的金额乘以或除以 10,000
    后恰好对上（在舍入误差以内）。

    为什么重要：同一份公开文件里元和万元混用（成本指标写“≤755元”，预算表以万元为单位），
    把“万元”写成“元”会让金额缩小一万倍，汇总和审核都会被误导。这种错误单看一张表发现不了。

    错误示例：项目预算 21.87 万元，成本指标写成“≤21.87元”；或“≤218700万元”。

    正确示例：成本指标写“≤21.87万元”或“≤218700元”——两者相等，都正确。
    """

    code = "PG104"
    severity = Severity.ERROR
    title = "金额单位疑似写错（相差一万倍）"

    def check_project(self, ctx: CheckContext, project: ProjectFacts) -> Iterator[Issue]:
        multiplier = ceiling_slip(project)
        if multiplier is not None and project.ceiling is not None and project.amount is not None:
            written, meant = _unit_words(multiplier)
            ceiling = project.ceiling
            yield Issue(
                f"{project.rows[ceiling.rows[0] - 1].label()} {ceiling.written} 是项目预算 "
                f"{fmt(project.amount, project.project.amount_unit)}的约{'一万倍' if multiplier > 1 else '万分之一'}，"
                f"疑似把“{meant}”写成了“{written}”",
                hint="核对成本指标的金额单位（元/万元）。",
                row=ceiling.rows[0],
                field="value",
            )
            return
        code = project.project.budget_line_code
        if not code or code not in ctx.lines:
            return
        line = ctx.reconcile(code)
        if line.slip is None or line.slip[0].index != project.index or line.total is None:
            return
        multiplier = line.slip[1]
        # The amount is 1/multiplier of what would make the line add up.
        written, meant = _unit_words(1 / multiplier)
        row, field = project.money_location()
        yield Issue(
            f"项目金额 {fmt(project.amount, project.project.amount_unit)} 使{line.subject}的项目合计 "
            f"{fmt(line.total.computed, line.total.unit)} 与项目支出 {fmt(line.total.published, line.total.unit)} 不符；"
            f"按{'一万倍' if multiplier > 1 else '万分之一'}计恰好相符，疑似把“{meant}”写成了“{written}”",
            hint="核对该项目金额或成本指标的单位（元/万元）。",
            row=row,
            field=field,
            budget_line=code,
        )
