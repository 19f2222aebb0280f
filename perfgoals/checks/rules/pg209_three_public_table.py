"""PG209: the 三公 table doesn't add up internally."""

from __future__ import annotations

from collections.abc import Iterator

from perfgoals.checks.base import DepartmentRule, Issue
from perfgoals.checks.context import CheckContext
from perfgoals.checks.findings import Severity
from perfgoals.checks.rules._ledger import ledger_mismatches


class ThreePublicTableSum(DepartmentRule):
    """检查内容：三公经费表内：合计 = 三公经费小计 = 因公出国（境）费 + 公务用车购置及运维费 + 公务接待费；
    公务用车购置及运维费 = 购置费 + 运行维护费；因公出国（境）费 = 其中各项之和。逐栏核对。

    为什么重要：三公经费是预算公开的必审内容，表内不平会被直接认定为公开质量问题。

    错误示例：小计 5.42，公务用车 4.71 + 公务接待 0.91 = 5.62。

    正确示例：小计 5.42 = 公务用车 4.71 + 公务接待 0.71。
    """

    code = "PG209"
    severity = Severity.ERROR
    title = "三公经费表内合计不符"

    def check_department(self, ctx: CheckContext) -> Iterator[Issue]:
        yield from ledger_mismatches(ctx, self.code, "核对三公经费表的合计与各项。")
