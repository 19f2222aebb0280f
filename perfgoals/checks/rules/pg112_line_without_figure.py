"""PG112: projects are charged to a budget line that has no 项目支出 figure, so nothing can be reconciled."""

from __future__ import annotations

from collections.abc import Iterator

from perfgoals.checks.base import Issue, LineRule
from perfgoals.checks.context import CheckContext
from perfgoals.checks.findings import Severity
from perfgoals.checks.rules.pg102_line_projects import project_names
from perfgoals.reading.reconcile import LineReconciliation, Verdict


class LineWithoutFigure(LineRule):
    """检查内容：有项目挂接的功能分类科目没有“项目支出”金额。结转新年度后科目的金额全部清空，
    等新年度的预算编定后再填；在此之前，项目的年度资金和成本指标都无法与预算核对。

    为什么重要：核对目标表与预算的前提是科目金额。科目为空时检查不会发现任何金额问题，
    看起来“没有错误”，其实是无从核对。

    错误示例：结转到 2023 年后，科目 2060702 科普活动的项目支出为空，挂着 5 个项目。

    正确示例：在功能科目（F7）中填入 2023 年的项目支出 230.00 万元。
    """

    code = "PG112"
    severity = Severity.ERROR
    title = "科目未填项目支出，无法核对"

    def check_line(self, ctx: CheckContext, line: LineReconciliation) -> Iterator[Issue]:
        if line.verdict is Verdict.NO_FIGURE:
            yield Issue(
                f"{line.subject}没有填项目支出，挂接的 {len(line.projects)} 个项目（{project_names(line.projects)}）"
                "的年度资金和成本指标都无法与预算核对",
                hint="在功能科目（F7）中填入该科目本年度的项目支出（结转新年度后科目金额需重新填写）。",
                budget_line=line.code,
                field="project",
            )
