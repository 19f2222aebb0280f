"""PG102: the projects charged to a budget line don't add up to its 项目支出."""

from __future__ import annotations

from collections.abc import Iterator

from perfgoals.checks.arithmetic import Status, fmt
from perfgoals.checks.base import Issue, LineRule
from perfgoals.checks.context import CheckContext, LineReconciliation
from perfgoals.checks.findings import Severity


class LineProjectsMismatch(LineRule):
    """检查内容：挂接到同一功能分类科目（如 2060702 科普活动）的各项目金额之和，
    与该科目在支出总表中的“项目支出”不相等；已知资金来源时，结转项目之和还要等于该科目的
    “上年结转”。有项目支出却没有任何项目挂接的科目也报告（前提是所有项目都已挂接科目）。
    差额在舍入误差（项目数 × 0.005 万元）以内时只作提示（PG200）。
    若差额恰好由某个项目的单位写错（相差一万倍）造成，改报 PG104。

    为什么重要：每一笔项目支出都应有绩效目标表，目标表的金额之和必须与预算表一致，
    否则要么有项目漏填了目标表，要么金额录错、挂错科目。

    错误示例：科目 2060799 项目支出 21.95 万元，挂接的项目只有“乡村振兴经费 21.87 万元”。

    正确示例：再挂接结转项目“精准扶贫经费 755 元”：21.87 + 0.0755 = 21.9455，
    按两位小数公布为 21.95 万元，相符。
    """

    code = "PG102"
    severity = Severity.ERROR
    title = "科目下各项目合计与项目支出不符"

    def check_line(self, ctx: CheckContext, line: LineReconciliation) -> Iterator[Issue]:
        if line.slip is not None:
            return
        carried = [member for member in line.members if member.carryover]
        for comparison, members in ((line.total, line.members), (line.carryover, carried)):
            if comparison is None or comparison.status is not Status.MISMATCH:
                continue
            if comparison.difference < 0 and line.unplaced_elsewhere:
                continue  # a project not yet placed on a line may be the missing money
            unit = comparison.unit
            if not line.members:
                message = (
                    f"{line.subject}有项目支出 {fmt(comparison.published, unit)}，但没有项目挂接到该科目"
                )
                hint = "为这笔项目支出补充项目及其绩效目标表，或把已有项目挂接到该科目。"
            else:
                names = "、".join(f"“{member.project.name}”" for member in members[:3])
                more = f"等 {len(members)} 个项目" if len(members) > 3 else ""
                word = "多" if comparison.difference > 0 else "少"
                message = (
                    f"{line.subject}：{comparison.relation} {fmt(comparison.computed, unit)}，"
                    f"{comparison.column} {fmt(comparison.published, unit)}，"
                    f"{word} {fmt(abs(comparison.difference), unit)}（{names}{more}）"
                )
                hint = "核对各项目的金额与挂接的科目；有项目漏填或挂错科目时补齐、改正。"
            yield Issue(message, hint=hint, budget_line=line.code, table="支出总表", field="project")
