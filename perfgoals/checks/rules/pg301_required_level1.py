"""PG301: a required 一级指标 is missing (or the table has no rows at all)."""

from __future__ import annotations

from collections.abc import Iterator

from perfgoals.checks.base import Issue, ProjectRule
from perfgoals.checks.context import CheckContext, ProjectFacts
from perfgoals.checks.findings import Severity


class MissingLevel1(ProjectRule):
    """检查内容：按部门采用的指标体系，目标表缺少必填的一级指标。财预〔2015〕88号体系要求
    产出指标、效益指标、满意度指标；2021 年体系另加成本指标。只写了一级、二级而三级以下全空的行
    （表示“不适用”）不算填写。没有任何指标行的目标表也在此报告。部门的指标体系编号无法识别时，
    在部门层面报告一次。

    为什么重要：完整性是财政审核的第一项，缺少整类指标的目标表会被直接退回。

    错误示例：目标表只有产出指标和效益指标，没有满意度指标。

    正确示例：加上“满意度指标 / 服务对象满意度指标 / 服务对象满意度 / ≥95% / 满意度调查”。
    """

    code = "PG301"
    severity = Severity.ERROR
    title = "缺少必填的一级指标"

    def check_project(self, ctx: CheckContext, project: ProjectFacts) -> Iterator[Issue]:
        if ctx.framework is None:
            return
        if not project.filled:
            yield Issue("目标表没有填写任何指标行", hint="按指标体系填写产出、效益、满意度等指标。")
            return
        present = set(project.present_level1)
        present.update(row.parents[0] for row in project.filled if row.parents)
        for level1 in ctx.framework.level1:
            if level1.required and level1.name not in present:
                yield Issue(
                    f"缺少一级指标“{level1.name}”（{ctx.framework.name}）",
                    hint=f"补充“{level1.name}”及其下的二级、三级指标。",
                    field="level1",
                )

    def check_department(self, ctx: CheckContext) -> Iterator[Issue]:
        if ctx.framework is None:
            yield Issue(
                f"部门的指标体系“{ctx.department.framework}”无法识别，完整性无法核对",
                hint="在部门信息中选择指标体系（如 mof-2015、mof-2021）。",
                field="framework",
            )
