"""PG202: 合计 is not 基本支出 + 项目支出."""

from __future__ import annotations

from collections.abc import Iterator

from perfgoals.checks.base import DepartmentRule, Issue
from perfgoals.checks.context import CheckContext
from perfgoals.checks.findings import Severity
from perfgoals.checks.rules._ledger import ledger_mismatches


class ExpenseRowSum(DepartmentRule):
    """检查内容：支出总表（及财政拨款支出表）每一行：合计 = 基本支出 + 项目支出（+ 经营支出等其他支出栏）。
    合计空白时不核对；空白的分项按没有金额计。

    为什么重要：基本支出与项目支出的划分决定哪些钱要编绩效目标表；一行内不平说明分栏录错。

    错误示例：2060701 机构运行 合计 409.91，基本支出 324.62，项目支出 75.29。

    正确示例：合计 409.91 = 基本支出 324.62 + 项目支出 85.29。
    """

    code = "PG202"
    severity = Severity.ERROR
    title = "合计不等于基本支出加项目支出"

    def check_department(self, ctx: CheckContext) -> Iterator[Issue]:
        yield from ledger_mismatches(ctx, self.code, "核对该行的合计、基本支出和项目支出。")
