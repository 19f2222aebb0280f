"""PG103: the department's projects don't add up to its 项目支出 total."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from perfgoals.checks.arithmetic import Status, coarsest, fmt, settle
from perfgoals.checks.base import DepartmentRule, Issue
from perfgoals.checks.context import TEN_THOUSAND, CheckContext
from perfgoals.checks.findings import Severity
from perfgoals.reading.rounding import rounding_tolerance


class DepartmentProjectsMismatch(DepartmentRule):
    """检查内容：部门全部项目的金额之和与功能分类表合计行的“项目支出”不相等。
    所有项目都已挂接到预算表中的科目时，差额已由 PG102（逐科目）和 PG201（科目汇总）说明，
    本规则只报告它们说明不了的部分：有项目未挂接科目、或挂接的科目不在表中时的总差额。
    在舍入误差以内的差异只作提示（PG200）。

    为什么重要：部门的项目支出总额必须全部有绩效目标表覆盖，且目标表的金额不能凭空多出来。

    错误示例：项目支出合计 444.13 万元，15 个项目（其中 3 个尚未挂接科目）合计 430.00 万元。

    正确示例：15 个项目合计 444.13 万元（在舍入误差以内）。
    """

    code = "PG103"
    severity = Severity.ERROR
    title = "全部项目合计与部门项目支出不符"

    def check_department(self, ctx: CheckContext) -> Iterator[Issue]:
        comparison = ctx.department_reconciliation
        if comparison is None or comparison.status is not Status.MISMATCH:
            return
        if ctx.fully_placed:
            return  # every project sits on a known line: PG102 and PG201 say where it goes wrong
        unit = comparison.unit
        word = "多" if comparison.difference > 0 else "少"
        message = (
            f"{comparison.relation} {fmt(comparison.computed, unit)}，部门项目支出 "
            f"{fmt(comparison.published, unit)}，{word} {fmt(abs(comparison.difference), unit)}"
        )
        slip = _slip(ctx, comparison.computed, comparison.published, comparison.items)
        hint = "核对各项目金额；未挂接科目的项目请先挂接，便于逐科目核对。"
        if slip:
            hint = f"项目“{slip}”的金额按一万倍或万分之一计时恰好相符，请核对其单位（元/万元）。"
        yield Issue(message, hint=hint, field="project", table="支出总表")


def _slip(ctx: CheckContext, computed: Decimal, published: Decimal, items: int) -> str | None:
    for facts in ctx.projects():
        amount = facts.amount
        if not amount:
            continue
        for multiplier in (TEN_THOUSAND, 1 / TEN_THOUSAND):
            factor = coarsest([facts.project.amount_unit])
            if abs(amount * multiplier) <= rounding_tolerance(items) * factor:
                continue  # the amount would vanish: the total is over by a whole project, not a slip
            corrected = computed - amount + amount * multiplier
            if settle(corrected, published, items=items, factor=factor) is not Status.MISMATCH:
                return facts.project.name
    return None
