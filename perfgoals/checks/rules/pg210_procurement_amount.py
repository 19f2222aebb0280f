"""PG210: quantity × unit price is not the procurement amount."""

from __future__ import annotations

from collections.abc import Iterator

from perfgoals.checks.base import DepartmentRule, Issue
from perfgoals.checks.context import CheckContext
from perfgoals.checks.findings import Severity
from perfgoals.checks.rules._ledger import ledger_mismatches


class ProcurementLineAmount(DepartmentRule):
    """检查内容：政府采购表每个品目：数量 × 单价 = 金额。单价是四舍五入后的数，
    允许（数量 + 1）× 0.005 的误差。

    为什么重要：采购金额是采购预算执行的依据，数量、单价录错会导致采购计划与预算不符。

    错误示例：台式计算机 3 台 × 0.45 万元 = 1.35 万元，表中金额写 1.53。

    正确示例：金额 1.35 万元。
    """

    code = "PG210"
    severity = Severity.ERROR
    title = "采购数量乘单价不等于金额"

    def check_department(self, ctx: CheckContext) -> Iterator[Issue]:
        yield from ledger_mismatches(ctx, self.code, "核对该品目的数量、单价和金额。")
