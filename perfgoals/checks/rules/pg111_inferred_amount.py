"""PG111: a project's amount was inferred by the program and nobody has confirmed it yet."""

from __future__ import annotations

from collections.abc import Iterator

from perfgoals.checks.base import Issue, ProjectRule
from perfgoals.checks.context import CheckContext, ProjectFacts
from perfgoals.checks.findings import Severity
from perfgoals.reading.amounts import INFERRED_LABELS


class InferredAmount(ProjectRule):
    """检查内容：项目的年度资金不是人填写或确认的，而是程序推断的：公开文件没有单列项目金额时，
    导入按成本指标的上限（与某个科目的项目支出对上之后）或政府采购表的“预算资金”推断；
    结转新年度时沿用上年的金额。推断的金额照样是核对成本指标和科目的依据，在确认之前标为“推断”。

    为什么重要：推断只是证据，不是批复。确认之后，成本指标再有改动就一定是目标表的问题，
    而不是金额推断错了。

    错误示例：（不是错误）“老科协工作经费”年度资金 7.29 万元，按成本指标推断，尚待确认。

    正确示例：项目负责人在项目信息（F3）中核对金额并勾选“金额已确认”。
    """

    code = "PG111"
    severity = Severity.INFO
    title = "项目金额为推断值，尚待确认"

    def check_project(self, ctx: CheckContext, project: ProjectFacts) -> Iterator[Issue]:
        money = project.money
        if money.inferred:
            how = INFERRED_LABELS.get(money.source, "推断")
            yield Issue(
                f"年度资金 {money.text} 是{how}的，尚待确认",
                hint="核对项目的批复金额后，在项目信息（F3）中确认或改正。",
                field="budget_amount",
            )
