"""PG307: the goal text (绩效目标) is empty."""

from __future__ import annotations

from collections.abc import Iterator

from perfgoals.checks.base import Issue, ProjectRule
from perfgoals.checks.context import CheckContext, ProjectFacts
from perfgoals.checks.findings import Severity
from perfgoals.checks.vocabulary import clean, is_placeholder


class EmptyGoalText(ProjectRule):
    """检查内容：目标表的“绩效目标”（年度总体目标的文字）为空，或只填了“无”“见说明”之类的占位文字。

    为什么重要：指标是对目标的分解；没有目标文字，指标是否相关、是否充分就无从判断（相关性审核）。

    错误示例：绩效目标：（空）。

    正确示例：绩效目标：1.开展科普活动不少于 20 次，提升公民科学素养。
    """

    code = "PG307"
    severity = Severity.ERROR
    title = "绩效目标为空"

    def check_project(self, ctx: CheckContext, project: ProjectFacts) -> Iterator[Issue]:
        text = project.project.goal.goal_text
        stripped = clean(text).lstrip("0123456789.、")
        if not stripped or is_placeholder(stripped):
            yield Issue("绩效目标（总体目标文字）为空", hint="用一两句话写明项目今年要达到的目标。", field="goal_text")
