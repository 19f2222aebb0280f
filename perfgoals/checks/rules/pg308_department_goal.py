"""PG308: the department's overall goal is empty."""

from __future__ import annotations

from collections.abc import Iterator

from perfgoals.checks.base import DepartmentRule, Issue
from perfgoals.checks.context import CheckContext
from perfgoals.checks.findings import Severity
from perfgoals.checks.vocabulary import clean


class EmptyDepartmentGoal(DepartmentRule):
    """检查内容：部门预算公开（有预算表和项目绩效目标表）中，“部门整体绩效目标”为空。
    单独报送的项目目标表不带部门整体目标，不检查。

    为什么重要：部门预算公开要求同时公开部门整体绩效目标；项目目标应服务于它。

    错误示例：部门整体绩效目标：（空），项目目标表 15 张。

    正确示例：填写部门年度总体绩效目标及分项目标。
    """

    code = "PG308"
    severity = Severity.WARNING
    title = "部门整体绩效目标为空"

    def check_department(self, ctx: CheckContext) -> Iterator[Issue]:
        # A stand-alone goal table comes without budget tables, and without the department's goals.
        if ctx.project_list and ctx.department.budget_lines and not clean(ctx.department.goals.overall):
            yield Issue("部门整体绩效目标为空", hint="填写部门年度总体绩效目标。", field="goals")
