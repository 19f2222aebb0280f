"""PG109: a project's budget line was proposed by the tool and nobody has confirmed it."""

from __future__ import annotations

from collections.abc import Iterator

from perfgoals.checks.base import Issue, ProjectRule
from perfgoals.checks.context import CheckContext, ProjectFacts
from perfgoals.checks.findings import Severity
from perfgoals.models import LinkStatus


class SuggestedLink(ProjectRule):
    """检查内容：项目挂接的功能科目是导入时由程序推断的（公开文件没有写明），尚未经人确认。

    为什么重要：推断只能根据金额凑数：两个金额相同的项目可能互换了科目。
    在确认之前，逐科目核对的结论都以推断为前提。

    错误示例：两个都是 7.29 万元的项目，程序按名称把一个放在 2060701、另一个放在 2060702，标记为“建议”。

    正确示例：项目负责人核实后确认挂接，标记变为“已确认”。
    """

    code = "PG109"
    severity = Severity.INFO
    title = "科目挂接尚待确认"

    def check_project(self, ctx: CheckContext, project: ProjectFacts) -> Iterator[Issue]:
        link = project.project.line_link
        code = project.project.budget_line_code
        if code and link is not None and LinkStatus(link) is LinkStatus.SUGGESTED:
            line = ctx.lines.get(code)
            name = f" {line.name}" if line else ""
            yield Issue(
                f"挂接的功能科目“{code}{name}”是程序根据金额推断的，尚待确认",
                hint="核实项目实际列支的科目后确认挂接。",
                field="budget_line_code",
                budget_line=code,
            )
