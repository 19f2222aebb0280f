"""PG305: an indicator row with an empty cell."""

from __future__ import annotations

from collections.abc import Iterator

from perfgoals.checks.base import Issue, RowRule
from perfgoals.checks.context import CheckContext, ProjectFacts, RowEnv, RowFacts
from perfgoals.checks.findings import Severity

#: Cells every template has: empty in a started row means unfinished.
_REQUIRED = (
    ("level1", "一级指标"),
    ("level2", "二级指标"),
    ("level3", "三级指标"),
    ("value", "指标值"),
)
# 指标描述 and 指标值确定依据 are columns some templates leave out (the central template has neither):
# empty in a started row is unfinished only where the goal table uses the column on other rows.


class EmptyCell(RowRule):
    """检查内容：已开始填写的指标行中，一级、二级、三级指标或指标值为空；以及指标描述、指标值确定依据为空，
    而同一张表的其他行填写了这一栏。每个空单元格报告一次。只写了一级、二级而其余全空的行表示“不适用”
    （如没有经济效益的项目），不报告；必填的二级指标是否真正填写由 PG302 判断。整张表都没有指标描述或
    依据时，视为所用模板没有这一栏（如中央部门项目支出绩效目标表），不逐行报告。

    为什么重要：空着的指标值无法考核，空着的依据说明目标值没有来源，审核时都按不完整退回。

    错误示例：数量指标 / 活动开展次数 / 活动开展次数 / ≥20次 / （空），而其他行都写了依据。

    正确示例：数量指标 / 活动开展次数 / 活动开展次数 / ≥20次 / 年初工作计划。
    """

    code = "PG305"
    severity = Severity.ERROR
    title = "指标行有空单元格"

    def check_row(self, row: RowFacts, env: RowEnv) -> Iterator[Issue]:
        if row.blank:
            return
        for field, label in _REQUIRED:
            if not getattr(row, field).strip():
                yield Issue(f"{row.label()}的{label}为空", hint=f"填写{label}。", field=field)

    def check_project(self, ctx: CheckContext, project: ProjectFacts) -> Iterator[Issue]:
        filled = empty_description = empty_basis = 0
        for row in project.rows:
            if not row.blank:
                filled += 1
                empty_description += not row.description.strip()
                empty_basis += not row.basis.strip()
        # Usually every row has both: decided above without building anything.
        for field, label, empty in (("description", "指标描述", empty_description), ("basis", "指标值确定依据", empty_basis)):
            if not empty or empty == filled:
                continue  # every row has it, or the table has no such column
            for number, row in enumerate(project.rows, start=1):
                if not row.blank and not getattr(row, field).strip():
                    yield Issue(f"{row.label()}的{label}为空", hint=f"填写{label}。", row=number, field=field)
