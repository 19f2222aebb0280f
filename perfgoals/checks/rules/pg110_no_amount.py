"""PG110: a project with no budget amount at all."""

from __future__ import annotations

from collections.abc import Iterator

from perfgoals.checks.base import Issue, ProjectRule
from perfgoals.checks.context import CheckContext, ProjectFacts
from perfgoals.checks.findings import Severity


class ProjectWithoutAmount(ProjectRule):
    """检查内容：项目的预算金额为空（空白不等于零）。

    为什么重要：没有金额的项目既不能与成本指标比较，也使其所在科目、部门的项目合计无法核对
    （PG102、PG103 对含空白金额的科目不作判断）。

    错误示例：项目“科普活动”的预算金额一栏为空。

    正确示例：预算金额填 65.61（万元）；公开文件未单列金额时，可按成本指标上限填写。
    """

    code = "PG110"
    severity = Severity.WARNING
    title = "项目未填预算金额"

    def check_project(self, ctx: CheckContext, project: ProjectFacts) -> Iterator[Issue]:
        if project.amount is not None:
            return
        hint = "填写项目预算金额。"
        if project.ceiling is not None:
            hint = f"填写项目预算金额；成本指标写的是 {project.ceiling.written}。"
        yield Issue("项目没有预算金额，无法核对科目和部门的项目合计", hint=hint, field="budget_amount")
