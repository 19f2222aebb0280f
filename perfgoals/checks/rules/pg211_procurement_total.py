"""PG211: the procurement total is not the sum of its items."""

from __future__ import annotations

from collections.abc import Iterator

from perfgoals.checks.base import DepartmentRule, Issue
from perfgoals.checks.context import CheckContext
from perfgoals.checks.findings import Severity
from perfgoals.checks.rules._ledger import ledger_mismatches


class ProcurementTotal(DepartmentRule):
    """检查内容：政府采购表的合计 = 各品目金额之和（小计行不重复计入）；分资金来源列示时，
    每个品目的金额 = 各资金来源之和。

    为什么重要：采购预算总额会写进公开说明（“安排政府采购预算 13.86 万元”），必须与明细一致。

    错误示例：合计 13.86 万元，七个品目相加 13.66 万元。

    正确示例：1.35 + 0.40 + 1.00 + 0.25 + 0.85 + 4.01 + 6.00 = 13.86 万元。
    """

    code = "PG211"
    severity = Severity.ERROR
    title = "政府采购合计不等于各项之和"

    def check_department(self, ctx: CheckContext) -> Iterator[Issue]:
        yield from ledger_mismatches(ctx, self.code, "核对采购表合计与各品目金额。")
