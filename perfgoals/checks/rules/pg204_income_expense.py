"""PG204: a line's income total differs from its expense total."""

from __future__ import annotations

from collections.abc import Iterator

from perfgoals.checks.base import DepartmentRule, Issue
from perfgoals.checks.context import CheckContext
from perfgoals.checks.findings import Severity
from perfgoals.checks.rules._ledger import ledger_mismatches


class IncomeExpenseLine(DepartmentRule):
    """检查内容：同一功能科目在收入总表中的合计，等于它在支出总表中的合计。

    为什么重要：部门预算收支平衡到每个科目；两张表同一科目不等，至少有一张录错。

    错误示例：2060702 科普活动 收入总表合计 212.00，支出总表合计 210.00。

    正确示例：两张表都是 212.00。
    """

    code = "PG204"
    severity = Severity.ERROR
    title = "收入总表与支出总表的科目合计不一致"

    def check_department(self, ctx: CheckContext) -> Iterator[Issue]:
        yield from ledger_mismatches(ctx, self.code, "核对该科目在收入总表和支出总表中的合计。")
