"""PG302: a required 二级指标 is missing."""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache

from perfgoals.checks.base import Issue, ProjectRule
from perfgoals.checks.context import CheckContext, ProjectFacts
from perfgoals.checks.findings import Severity
from perfgoals.framework import Level1, get_framework


@lru_cache(maxsize=16)
def _groups(framework_id: str) -> tuple[tuple[Level1, tuple[str, ...], frozenset[str], tuple[str, ...]], ...]:
    """Each 一级 of the framework with its 二级 names (in order, and as a set) and the required ones:
    read once, not per project."""
    return tuple(
        (
            level1,
            tuple(level2.name for level2 in level1.level2),
            frozenset(level2.name for level2 in level1.level2),
            tuple(level2.name for level2 in level1.level2 if level2.required),
        )
        for level1 in get_framework(framework_id).level1
    )


class MissingLevel2(ProjectRule):
    """检查内容：按部门的指标体系，目标表缺少必填的二级指标。对财预〔2015〕88号体系，产出指标下
    必须有数量、质量、时效、成本指标，满意度指标下必须有服务对象满意度指标；效益指标下至少要有一项
    （经济、社会、生态效益或可持续影响）。常见的变体名称（“数量指标（或建筑规模指标）”、
    “预算（或投资规模）控制指标”）按标准名称认定。只有一级、二级而三级以下全空的行不算填写。
    整个一级缺失时由 PG301 报告，这里不再逐个重复。

    为什么重要：每类二级指标回答审核的一个问题：做多少、做多好、何时完成、花多少钱、
    带来什么效益、对象是否满意；缺一类，目标就不完整。

    错误示例：产出指标下只有数量指标和质量指标，没有时效指标和成本指标。

    正确示例：补上“时效指标 / 活动开展时间 / 2022.3-12月”和“成本指标 / 预算总成本 / ≤21.87万元”。
    """

    code = "PG302"
    severity = Severity.ERROR
    title = "缺少必填的二级指标"

    def check_project(self, ctx: CheckContext, project: ProjectFacts) -> Iterator[Issue]:
        framework = ctx.framework
        if framework is None or not project.filled:
            return
        present_l1, present_l2 = project.present_level1, project.present_level2
        for level1, names, name_set, required in _groups(framework.id):
            if level1.name not in present_l1 and level1.required:
                continue  # PG301 reports the whole 一级
            for name in required:
                if name not in present_l2:
                    yield Issue(
                        f"{level1.name}下缺少二级指标“{name}”",
                        hint=f"补充“{name}”及其三级指标。",
                        field="level2",
                    )
            if level1.required and not required and level1.name in present_l1 and not present_l2 & name_set:
                yield Issue(
                    f"{level1.name}下没有填写任何二级指标（应至少有{'、'.join(names)}之一）",
                    hint="至少填写一项二级指标及其三级指标。",
                    field="level2",
                )
