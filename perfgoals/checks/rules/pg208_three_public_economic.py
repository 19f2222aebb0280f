"""PG208: the 三公 table disagrees with the economic lines it repeats."""

from __future__ import annotations

from collections.abc import Iterator

from perfgoals.checks.arithmetic import Status, fmt
from perfgoals.checks.base import DepartmentRule, Issue
from perfgoals.checks.context import CheckContext
from perfgoals.checks.findings import Severity


class ThreePublicEconomic(DepartmentRule):
    """检查内容：三公经费表的各项与基本支出表中对应的经济科目一致：公务接待费 = 30217，
    公务用车运行维护费 = 30231，因公出国（境）费 = 30212，公务用车购置费 = 31013（表中有该科目时）。
    三公经费少于基本支出中的对应科目是错误；多于它时只作提示——差额可能列在项目支出中，应能说明。

    为什么重要：三公经费是公开和审计的重点，两张表口径不一，会被认定为“三公”经费公开不实。

    错误示例：三公经费表公务接待费 0.51 万元，基本支出表 30217 公务接待费 0.71 万元。

    正确示例：两表都是 0.71 万元；或三公表 1.20 万元，其中 0.49 万元在项目支出中安排。
    """

    code = "PG208"
    severity = Severity.ERROR
    title = "三公经费与经济科目不一致"

    def check_department(self, ctx: CheckContext) -> Iterator[Issue]:
        for comparison in ctx.ledger_for(self.code):
            if comparison.status is not Status.MISMATCH:
                continue
            # computed: the economic line; published: the 三公 figure.
            economic, three = comparison.computed, comparison.published
            unit = comparison.unit
            if three > economic:
                yield Issue(
                    f"{comparison.subject} {fmt(three, unit)} 高于基本支出表{comparison.relation} "
                    f"{fmt(economic, unit)}，差额 {fmt(three - economic, unit)} 应在项目支出中安排",
                    hint="确认差额确由项目支出安排；否则核对两张表。",
                    table=comparison.table,
                    severity=Severity.INFO,
                )
            else:
                yield Issue(
                    f"{comparison.subject} {fmt(three, unit)} 低于基本支出表{comparison.relation} "
                    f"{fmt(economic, unit)}，少 {fmt(economic - three, unit)}",
                    hint="三公经费至少包括基本支出中的对应科目；核对两张表。",
                    table=comparison.table,
                )
