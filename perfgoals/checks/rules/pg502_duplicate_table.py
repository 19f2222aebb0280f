"""PG502: two projects' goal tables identical apart from the name."""

from __future__ import annotations

from collections.abc import Iterator

from perfgoals.checks.base import Issue, ProjectRule
from perfgoals.checks.context import CheckContext, ProjectFacts
from perfgoals.checks.findings import Severity


class DuplicateTable(ProjectRule):
    """检查内容：两个项目的目标表（绩效目标文字和全部指标行：一级、二级、三级、描述、指标值、依据）
    除项目名称外完全相同（忽略首尾空白）。

    为什么重要：不同的项目花不同的钱、做不同的事，目标表不会一字不差；
    完全相同说明是整表复制后没有按项目改写，目标与项目不相关（相关性审核的典型问题）。

    错误示例：“常设展览经费”和“科技馆免费开放补助”两张表逐行相同，连成本指标都是“≤64万元”。

    正确示例：按各自的资金和任务分别写产出、成本和效益。
    """

    code = "PG502"
    severity = Severity.WARNING
    title = "两个项目的目标表相同"

    def check_project(self, ctx: CheckContext, project: ProjectFacts) -> Iterator[Issue]:
        if not any(not row.blank for row in project.rows):
            return
        if ctx.focus is None:
            twins = [index for index in ctx.signatures.get(project.signature, []) if index != project.index]
        else:
            signature = project.signature
            twins = [
                other.index
                for other in ctx.projects()
                if other.index != project.index and any(not row.blank for row in other.rows)
                and other.signature == signature
            ]
        if twins:
            names = "、".join(f"“{ctx.project_list[index].name}”" for index in twins[:3])
            yield Issue(
                f"目标表与项目{names}的完全相同（项目名称除外）",
                hint="按本项目的资金和任务改写目标和指标。",
            )
