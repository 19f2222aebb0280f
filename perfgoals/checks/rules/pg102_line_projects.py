"""PG102: the projects charged to a budget line don't add up to its 项目支出."""

from __future__ import annotations

from collections.abc import Iterator

from perfgoals.checks.arithmetic import Status, fmt
from perfgoals.checks.base import Issue, LineRule
from perfgoals.checks.context import CheckContext
from perfgoals.checks.findings import Severity
from perfgoals.models import Project
from perfgoals.reading.reconcile import LineReconciliation, suspects

#: How many project names a message lists before it says "等 N 个项目".
NAMED = 8


def project_names(projects: tuple[Project, ...] | list[Project]) -> str:
    names = "、".join(f"“{project.name}”" for project in projects[:NAMED])
    return names + (f"等 {len(projects)} 个项目" if len(projects) > NAMED else "")


def _explained(here: list[Project], elsewhere: list[Project]) -> str:
    """Which project's amount the difference is: the one that seems charged here by mistake, or
    charged elsewhere when it belongs here (several with the same amount are all named)."""
    if here and len(here) <= 3:
        if len(here) == 1:
            return f"；差额正是“{here[0].name}”的金额，它可能不属于该科目"
        return f"；差额与{project_names(here)}的金额相同，其中一个可能不属于该科目"
    if elsewhere and len(elsewhere) <= 3:
        places = "、".join(
            f"“{p.name}”（{'挂接在科目 ' + p.budget_line_code if p.budget_line_code else '未挂接科目'}）"
            for p in elsewhere
        )
        which = "它" if len(elsewhere) == 1 else "其中一个"
        return f"；差额正是{places}的金额，{which}可能应挂接在该科目"
    return ""


class LineProjectsMismatch(LineRule):
    """检查内容：挂接到同一功能分类科目（如 2060702 科普活动）的各项目年度资金之和，
    与该科目在支出总表中的“项目支出”不相等；已知资金来源时，结转项目之和还要等于该科目的
    “上年结转”。有项目支出却没有任何项目挂接的科目也报告（前提是所有项目都已挂接科目）。
    差额恰好等于某个项目的金额时，指明这个项目：它可能挂错了科目（多出来的），
    或者本该挂在这里（少了的）——把项目改挂到别的科目时，两个科目都会报告。
    差额在舍入误差（项目数 × 0.005 万元）以内时只作提示（PG200）。
    若差额恰好由某个项目的单位写错（相差一万倍）造成，改报 PG104。

    为什么重要：每一笔项目支出都应有绩效目标表，目标表的金额之和必须与预算表一致，
    否则要么有项目漏填了目标表，要么金额录错、挂错科目，要么预算表的科目金额改错了。

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
        for entry_sum in line.sums:
            if entry_sum.status is not Status.MISMATCH:
                continue
            if entry_sum.difference < 0 and ctx.unplaced:
                continue  # a project not yet placed on a line may be the missing money
            unit = entry_sum.unit
            members = line.carried if entry_sum.column == "上年结转" else line.projects
            hint = "核对各项目的年度资金与挂接的科目；有项目漏填或挂错科目时补齐、改正；科目金额改错时在功能科目（F7）中改正。"
            if not line.projects:
                message = f"{line.subject}有项目支出 {fmt(entry_sum.published, unit)}，但没有项目挂接到该科目"
                hint = "为这笔项目支出补充项目及其绩效目标表，或把已有项目挂接到该科目。"
            else:
                word = "多" if entry_sum.difference > 0 else "少"
                message = (
                    f"{line.subject}：{len(members)} 个{'结转' if entry_sum.column == '上年结转' else ''}项目合计 "
                    f"{fmt(entry_sum.computed, unit)}，{entry_sum.column} {fmt(entry_sum.published, unit)}，"
                    f"{word} {fmt(abs(entry_sum.difference), unit)}（{project_names(members)}）"
                )
            if entry_sum is line.total:
                message += _explained(*suspects(line, ctx.elsewhere(line)))
            yield Issue(message, hint=hint, budget_line=line.code, table="支出总表", field="project")
