"""PG501: the same 三级指标 twice in one goal table."""

from __future__ import annotations

from collections.abc import Iterator

from perfgoals.checks.base import Issue, ProjectRule
from perfgoals.checks.context import CheckContext, ProjectFacts
from perfgoals.checks.findings import Severity


class DuplicateIndicator(ProjectRule):
    """检查内容：同一张目标表里，同一个三级指标出现两次（忽略空格和标点）。

    为什么重要：重复的指标多半是复制行后忘了改；同一指标两个目标值会互相矛盾，
    自评时还会重复计分。

    错误示例：第 1 行“活动开展次数 ≥20次”，第 3 行又是“活动开展次数 ≥10次”。

    正确示例：第 3 行改为另一个指标，如“参加人数 ≥500人次”。
    """

    code = "PG501"
    severity = Severity.WARNING
    title = "三级指标重复"

    def check_project(self, ctx: CheckContext, project: ProjectFacts) -> Iterator[Issue]:
        seen: dict[str, int] = {}
        for number, row in enumerate(project.rows, start=1):
            name = row.level3_clean
            if row.blank or not name:
                continue
            first = seen.setdefault(name, number)
            if first != number:
                yield Issue(
                    f"三级指标“{row.level3.strip()}”与第 {first} 行重复",
                    hint="删除重复的一行，或改成另一个指标。",
                    row=number,
                    field="level3",
                )
