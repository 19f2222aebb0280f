"""PG207: an economic class is not the sum of its items, or the table's total is not the 基本支出."""

from __future__ import annotations

from collections.abc import Iterator

from perfgoals.checks.base import DepartmentRule, Issue
from perfgoals.checks.context import CheckContext
from perfgoals.checks.findings import Severity
from perfgoals.checks.rules._ledger import ledger_mismatches


class EconomicTreeSum(DepartmentRule):
    """检查内容：基本支出表的经济分类：类（301、302、303…）= 各款之和，合计行 = 各类之和，逐栏核对
    合计、人员经费、公用经费；合计行还要等于部门的基本支出（有财政拨款支出表时取其一般公共预算基本支出）。
    差额在舍入误差以内只作提示（PG200）。

    为什么重要：经济分类说明基本支出花在哪里，是三公经费、机关运行经费的来源；不平说明漏行或录错。

    错误示例：302 商品和服务支出 111.33，各款相加 101.33。

    正确示例：各款相加 111.33；或 301 公布 513.48、各款相加 513.47，相差 0.01，属舍入。
    """

    code = "PG207"
    severity = Severity.ERROR
    title = "经济分类上下级不符"

    def check_department(self, ctx: CheckContext) -> Iterator[Issue]:
        yield from ledger_mismatches(ctx, self.code, "核对该经济科目及其各款的金额。")
