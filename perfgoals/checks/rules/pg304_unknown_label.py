"""PG304: a 一级 or 二级 label the framework doesn't know."""

from __future__ import annotations

from collections.abc import Iterator

from perfgoals.checks.base import Issue, RowRule
from perfgoals.checks.context import RowEnv, RowFacts
from perfgoals.checks.findings import Severity
from perfgoals.framework import get_framework


class UnknownLabel(RowRule):
    """检查内容：一级或二级指标的名称不在部门所用的指标体系中（常见变体名称已自动识别，
    如“效果指标”“预算（或投资规模）控制指标”）。

    为什么重要：不在体系中的分类，完整性无法判断，汇总统计时也归不了类；多半是自拟名称或错别字。

    错误示例：一级指标“产出目标”，二级指标“数量目标”。

    正确示例：一级指标“产出指标”，二级指标“数量指标”。
    """

    code = "PG304"
    severity = Severity.WARNING
    title = "指标体系中没有的一级或二级名称"

    def check_row(self, row: RowFacts, env: RowEnv) -> Iterator[Issue]:
        if not (row.level1.strip() or row.level2.strip()):
            return
        try:
            framework = get_framework(env.framework)
        except KeyError:
            return  # PG301 reports an unknown framework once, at department level
        if row.level1.strip() and not row.l1_known:
            yield Issue(
                f"一级指标“{row.level1.strip()}”不在{framework.name}中（可选：{'、'.join(framework.level1_names())}）",
                hint="改用指标体系中的一级指标名称。",
                field="level1",
            )
        if row.level2.strip() and not row.l2_known:
            options = framework.level2_names(row.l1) if row.l1_known else []
            listed = f"（{row.l1}下可选：{'、'.join(options)}）" if options else ""
            yield Issue(
                f"二级指标“{row.level2.strip()}”不在指标体系中{listed}",
                hint="改用指标体系中的二级指标名称。",
                field="level2",
            )
