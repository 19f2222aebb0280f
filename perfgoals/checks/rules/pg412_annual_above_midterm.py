"""PG412: a year's target above the whole period's target."""

from __future__ import annotations

from collections.abc import Iterator

from perfgoals.checks.base import Issue, RowRule
from perfgoals.checks.context import RowEnv, RowFacts
from perfgoals.checks.findings import Severity
from perfgoals.reading.rows import read_value
from perfgoals.values import Comparator, ValueKind


class AnnualAboveMidTerm(RowRule):
    """检查内容：同时填了“实施期目标”和“年度目标”的表中，数量或金额类的年度目标大于整个实施期的目标
    （单位相同时比较；百分比可以相同，不比较）。

    为什么重要：年度目标是实施期目标的一部分，不会超过它；超过说明两栏填反了，或单位不一致。

    错误示例：实施期目标“≥20次”，年度目标“≥30次”；实施期成本“≤100万元”，年度“≤120万元”。

    正确示例：实施期目标“≥60次”，年度目标“≥20次”。
    """

    code = "PG412"
    severity = Severity.WARNING
    title = "年度目标超过实施期目标"

    def check_row(self, row: RowFacts, env: RowEnv) -> Iterator[Issue]:
        if not row.mid_term_value or row.blank:
            return
        annual, whole = row.parsed, read_value(row.mid_term_value, row.unit)  # with its unit column too
        if annual.kind is not whole.kind or annual.comparator is Comparator.LT:
            return
        if annual.kind is ValueKind.MONEY and annual.amount_wan is not None and whole.amount_wan is not None:
            above = annual.amount_wan > whole.amount_wan
        elif annual.kind is ValueKind.QUANTITY and annual.unit == whole.unit and annual.number is not None:
            above = whole.number is not None and annual.number > whole.number
        else:
            return
        if above:
            yield Issue(
                f"{row.label()} 年度目标“{row.value_text.strip()}”大于实施期目标“{row.mid_term_value.strip()}”",
                hint="年度目标是实施期目标的一部分；核对两栏是否填反。",
                field="value",
            )
