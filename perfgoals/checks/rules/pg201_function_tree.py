"""PG201: a parent function code is not the sum of its children."""

from __future__ import annotations

from collections.abc import Iterator

from perfgoals.checks.base import DepartmentRule, Issue
from perfgoals.checks.context import CheckContext
from perfgoals.checks.findings import Severity
from perfgoals.checks.rules._ledger import ledger_mismatches


class FunctionTreeSum(DepartmentRule):
    """检查内容：功能分类科目的上级等于下级之和：类 = 各款之和，款 = 各项之和，合计行 = 各类之和。
    逐栏核对：合计、基本支出、项目支出、收入总表的各栏、财政拨款支出表的各栏。
    空白的上级单元格不核对；差额在舍入误差（下级个数 × 0.005）以内只作提示（PG200）。

    为什么重要：功能分类表是预算的骨架，上下级不平说明某一行录错或漏行，
    所有依据这张表的核对（项目合计、收支平衡）都会跟着出错。

    错误示例：20607 科学技术普及 项目支出 444.13 万元，下列四项的项目支出相加为 454.13 万元。

    正确示例：2060701 85.29 + 2060702 212.00 + 2060705 124.90 + 2060799 21.95 = 444.14，
    与 444.13 相差 0.01，在 4 项的舍入误差 0.02 以内。
    """

    code = "PG201"
    severity = Severity.ERROR
    title = "上级科目不等于下级之和"

    def check_department(self, ctx: CheckContext) -> Iterator[Issue]:
        yield from ledger_mismatches(ctx, self.code, "核对该科目及其下级各行的金额，找出录错或漏掉的一行。")
