"""PG605: executed (or expected to be executed) above the year's budget."""

from __future__ import annotations

from collections.abc import Iterator

from perfgoals.checks.base import Issue, ProjectRule
from perfgoals.checks.context import CheckContext, ProjectFacts
from perfgoals.checks.findings import Severity
from perfgoals.reading.money import format_money, format_wan


class ExecutedOverBudget(ProjectRule):
    """检查内容：绩效监控的 1-N月执行数超过全年预算数（项目的年度资金）是错误；全年预计执行数
    超过全年预算数是警告。两者按各自的单位换算后比较（执行数写成元、年度资金是万元也能比较），
    相差不到所填单位的 0.005 不算超出。

    为什么重要：执行超过预算，要么是执行数填错（常见的是元写成万元），要么是超预算支出，
    都必须在监控阶段查明；全年预计超预算意味着需要追加预算或压减支出。

    错误示例：年度资金 30 万元，1-7月执行数填“180000”而单位是万元（本应为 18 万元）。

    正确示例：1-7月执行数“180000元”或“18万元”，执行率 60%。
    """

    code = "PG605"
    severity = Severity.ERROR
    title = "执行数超过全年预算"

    def check_project(self, ctx: CheckContext, project: ProjectFacts) -> Iterator[Issue]:
        reading = ctx.monitoring.get(project.index)
        if reading is None:
            return
        monitoring = reading.monitoring
        budget = reading.budget.text
        if reading.executed_over_budget:
            yield Issue(
                f"{reading.months}执行数 {format_money(monitoring.executed, monitoring.unit)}"
                f"（{format_wan(reading.executed_wan)}）超过全年预算数 {budget}",
                hint="核对执行数及其单位（元/万元）；确属超预算支出的，说明原因并按规定调整预算。",
                field="monitoring.executed",
            )
        if reading.expected_over_budget:
            yield Issue(
                f"全年预计执行数 {format_money(monitoring.expected_executed, monitoring.unit)}"
                f"（{format_wan(reading.expected_executed_wan)}）超过全年预算数 {budget}",
                hint="核对预计执行数及其单位；需要追加预算的，按程序申请。",
                field="monitoring.expected_executed",
                severity=Severity.WARNING,
            )
