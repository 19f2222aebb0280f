"""PG107: a project charged to a budget line the department's tables don't have."""

from __future__ import annotations

from collections.abc import Iterator

from perfgoals.checks.base import Issue, ProjectRule
from perfgoals.checks.context import CheckContext, ProjectFacts
from perfgoals.checks.findings import Severity


class UnknownBudgetLine(ProjectRule):
    """检查内容：项目挂接的功能分类科目编码不在本部门的预算表中。

    为什么重要：项目支出必须列在某个功能科目下；挂到表中没有的科目，说明编码录错
    （如 2060702 写成 2060720）或预算表缺行，逐科目核对（PG102）也就无从进行。

    错误示例：预算表有 2060702 科普活动，项目挂接 2060720。

    正确示例：项目挂接 2060702。
    """

    code = "PG107"
    severity = Severity.ERROR
    title = "项目挂接的科目不在预算表中"

    def check_project(self, ctx: CheckContext, project: ProjectFacts) -> Iterator[Issue]:
        code = project.project.budget_line_code
        if not code or not ctx.lines or code in ctx.lines:
            return
        leaves = [line.code for line in ctx.lines.values() if line.code not in ctx.children and line.project]
        suggestion = f"；有项目支出的科目：{'、'.join(leaves[:6])}" if leaves else ""
        yield Issue(
            f"项目挂接的功能科目 {code} 不在本部门预算表中{suggestion}",
            hint="核对科目编码，或先补齐预算表。",
            field="budget_line_code",
            budget_line=code,
        )
