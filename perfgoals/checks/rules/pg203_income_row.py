"""PG203: income total is not 本年收入 + 上年结转."""

from __future__ import annotations

from collections.abc import Iterator

from perfgoals.checks.base import DepartmentRule, Issue
from perfgoals.checks.context import CheckContext
from perfgoals.checks.findings import Severity
from perfgoals.checks.rules._ledger import ledger_mismatches


class IncomeRowSum(DepartmentRule):
    """检查内容：收入总表每一行：合计 = 本年收入 + 上年结转；分来源列示时，本年收入 = 各来源之和。

    为什么重要：收入的来源结构决定资金性质（财政拨款、事业收入、结转），一行不平说明录错。

    错误示例：2060705 科技馆站 合计 219.12，本年收入 189.56，上年结转 19.56。

    正确示例：合计 219.12 = 本年收入 189.56 + 上年结转 29.56。
    """

    code = "PG203"
    severity = Severity.ERROR
    title = "收入合计不等于本年收入加上年结转"

    def check_department(self, ctx: CheckContext) -> Iterator[Issue]:
        yield from ledger_mismatches(ctx, self.code, "核对该行的收入合计、本年收入和上年结转。")
