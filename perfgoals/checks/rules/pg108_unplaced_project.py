"""PG108: a project not charged to any budget line."""

from __future__ import annotations

from collections.abc import Iterator

from perfgoals.checks.base import Issue, ProjectRule
from perfgoals.checks.context import CheckContext, ProjectFacts
from perfgoals.checks.findings import Severity


class ProjectWithoutLine(ProjectRule):
    """检查内容：部门有功能分类预算表，而项目没有挂接任何科目。

    为什么重要：不挂接科目，就无法核对项目金额与科目的项目支出（PG102），
    汇总导出时该项目也无处可放。

    错误示例：项目“科普活动”的功能科目一栏为空。

    正确示例：项目“科普活动”挂接 2060702 科普活动。
    """

    code = "PG108"
    severity = Severity.WARNING
    title = "项目未挂接功能科目"

    def check_project(self, ctx: CheckContext, project: ProjectFacts) -> Iterator[Issue]:
        if ctx.lines and not project.project.budget_line_code:
            yield Issue(
                "项目没有挂接功能分类科目，无法与预算表核对",
                hint="在项目信息中选择它列支的功能科目。",
                field="budget_line_code",
            )
