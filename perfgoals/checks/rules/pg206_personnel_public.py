"""PG206: 人员经费 + 公用经费 is not the 基本支出 total."""

from __future__ import annotations

from collections.abc import Iterator

from perfgoals.checks.base import DepartmentRule, Issue
from perfgoals.checks.context import CheckContext
from perfgoals.checks.findings import Severity
from perfgoals.checks.rules._ledger import ledger_mismatches


class PersonnelPublicSum(DepartmentRule):
    """检查内容：基本支出（经济分类）表每一行：合计 = 人员经费 + 公用经费（包括合计行）。

    为什么重要：人员经费与公用经费的划分是基本支出审核的重点，机关运行经费即由公用经费得来。

    错误示例：合计行 690.97 万元，人员经费 579.64，公用经费 101.33。

    正确示例：合计 690.97 = 人员经费 579.64 + 公用经费 111.33。
    """

    code = "PG206"
    severity = Severity.ERROR
    title = "人员经费加公用经费不等于合计"

    def check_department(self, ctx: CheckContext) -> Iterator[Issue]:
        yield from ledger_mismatches(ctx, self.code, "核对该行的合计、人员经费和公用经费。")
