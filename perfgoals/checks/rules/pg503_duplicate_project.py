"""PG503: two projects with the same name."""

from __future__ import annotations

from collections.abc import Iterator

from perfgoals.checks.base import Issue, ProjectRule
from perfgoals.checks.context import CheckContext, ProjectFacts
from perfgoals.checks.findings import Severity


class DuplicateProjectName(ProjectRule):
    """检查内容：同一部门年度中有两个项目名称相同（忽略空格和标点）。

    为什么重要：项目以名称对外公开、与采购表对应、接受问题时按名称指定；重名会让它们互相混淆，
    多半是重复录入了同一个项目。

    错误示例：两个项目都叫“科普活动”。

    正确示例：“科普活动”“科普活动（结转）”。
    """

    code = "PG503"
    severity = Severity.ERROR
    title = "项目名称重复"

    def check_project(self, ctx: CheckContext, project: ProjectFacts) -> Iterator[Issue]:
        first = ctx.first_by_name.get(project.name, project.index)
        if first < project.index:
            other = ctx.project_list[first]
            yield Issue(f"项目名称与第 {first + 1} 个项目“{other.name}”重复", hint="改名或删除重复的项目。", field="name")
