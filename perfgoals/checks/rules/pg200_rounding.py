"""PG200: differences that publication rounding explains."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from perfgoals.checks.arithmetic import Comparison, Status, fmt
from perfgoals.checks.base import DepartmentRule, Issue
from perfgoals.checks.context import CheckContext
from perfgoals.checks.findings import Severity
from perfgoals.reading.reconcile import LineReconciliation


def _notes(comparisons: Iterable[Comparison]) -> Iterator[Issue]:
    """One note per place, however many of its figures differ by rounding."""
    grouped: dict[str, list[Comparison]] = {}
    for comparison in comparisons:
        if comparison.status is Status.ROUNDING:
            grouped.setdefault(comparison.key, []).append(comparison)
    for entries in grouped.values():
        first = entries[0]
        if len(entries) == 1:
            detail = first.describe()
        else:
            largest = max(abs(entry.difference) for entry in entries)
            columns = "、".join(dict.fromkeys(entry.column for entry in entries))
            detail = f"{len(entries)} 处合计与明细相差不超过 {fmt(largest, first.unit)}（{columns}）"
        yield Issue(
            f"{first.subject}：{detail}，在舍入误差以内",
            hint="公开数按 0.01 四舍五入，逐项相加会有这样的尾差；无需修改。",
            budget_line=first.budget_line,
            table=first.table,
            project=first.project,
        )


class RoundingDifference(DepartmentRule):
    """检查内容：预算表中某个合计与其明细之和不完全相等，但差额在公布数的舍入误差以内：
    n 个各自四舍五入到 0.01 的数相加，与合计最多相差 n × 0.005。适用于所有金额核对
    （PG102、PG103、PG201–PG211）；每个科目或表行只提示一次，列出有尾差的各栏。
    差额超出舍入误差时由相应规则报错。

    为什么重要：这类差异不是错误，但审核人员会问到；列出来、说明原因，
    就不会与真正的错误混在一起，也不会被误改。

    错误示例：（不是错误）经济科目 301 工资福利支出公布 513.48 万元，十个明细相加为 513.47 万元。

    正确示例：差额超过 n × 0.005 时不再是舍入，而是 PG201 等规则报告的错误。
    """

    code = "PG200"
    severity = Severity.INFO
    title = "舍入误差以内的差异"

    def check_line(self, ctx: CheckContext, line: LineReconciliation) -> Iterator[Issue]:
        if line.slip is None:
            yield from _notes(ctx.comparisons(line))

    def check_department(self, ctx: CheckContext) -> Iterator[Issue]:
        yield from _notes(ctx.ledger)
        total = ctx.department_reconciliation
        if total is not None and not ctx.fully_placed:
            yield from _notes([total])  # otherwise the lines' own notes cover it
