"""PG205: the 收支总表 doesn't balance or disagrees with the function tables."""

from __future__ import annotations

from collections.abc import Iterator

from perfgoals.checks.base import DepartmentRule, Issue
from perfgoals.checks.context import CheckContext
from perfgoals.checks.findings import Severity
from perfgoals.checks.rules._ledger import ledger_mismatches


class SummaryBalance(DepartmentRule):
    """检查内容：收支总表和财政拨款收支总表：收入总计 = 支出总计；本年收入合计 = 各收入项之和；
    本年支出合计 = 各支出功能类之和；总计 = 本年合计 + 结转；收支总表的本年支出合计、本年收入合计、
    上年结转与功能分类表合计行一致。

    为什么重要：“收支平衡”是部门预算的首要要求，总表与明细表不一致说明汇总或录入有误。

    错误示例：收入总计 1,135.10 万元，支出总计 1,153.10 万元。

    正确示例：收入总计 = 支出总计 = 1,135.10 万元；本年收入合计 1,105.37 + 上年结转 29.73 = 1,135.10。
    """

    code = "PG205"
    severity = Severity.ERROR
    title = "收支总表不平衡"

    def check_department(self, ctx: CheckContext) -> Iterator[Issue]:
        yield from ledger_mismatches(ctx, self.code, "核对收支总表的各合计行，以及它与收入、支出总表的对应关系。")
