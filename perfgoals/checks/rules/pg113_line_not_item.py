"""PG113: a project is charged to a 类 or 款 line instead of a 项 line."""

from __future__ import annotations

from collections.abc import Iterator

from perfgoals.checks.base import Issue, ProjectRule
from perfgoals.checks.context import CheckContext, ProjectFacts
from perfgoals.checks.findings import Severity


class LineNotItem(ProjectRule):
    """检查内容：项目挂接的功能分类科目是类（3 位）或款（5 位），而不是项（7 位）。

    为什么重要：项目支出按“项”级科目列支和批复；挂在类、款上，逐科目核对就分不清
    它属于哪一项，下级各项的项目支出也就对不上。

    错误示例：项目挂接 20607 科学技术普及。

    正确示例：项目挂接 2060702 科普活动。
    """

    code = "PG113"
    severity = Severity.ERROR
    title = "项目挂接的不是项级科目"

    def check_project(self, ctx: CheckContext, project: ProjectFacts) -> Iterator[Issue]:
        code = project.project.budget_line_code
        if not code or len(code) == 7:
            return
        line = ctx.lines.get(code)
        level = "类" if len(code) == 3 else "款"
        items = [other for other in ctx.lines if len(other) == 7 and other.startswith(code)]
        hint = "改为挂接它列支的项级（7 位）科目。"
        if items:
            hint = f"改为挂接它列支的项级科目（{code} 下有：{'、'.join(items[:6])}）。"
        yield Issue(
            f"项目挂接在{level}级科目 {code}{' ' + line.name if line else ''}，应挂接到项级（7 位）科目",
            hint=hint,
            field="budget_line_code",
            budget_line=code,
        )
