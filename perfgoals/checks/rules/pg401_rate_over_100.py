"""PG401: a rate that cannot exceed 100 % targeted above it."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from perfgoals.checks.base import Issue, RowRule
from perfgoals.checks.context import RowEnv, RowFacts
from perfgoals.checks.findings import Severity
from perfgoals.checks.vocabulary import CAPPED_RATE_WORDS, contains_any
from perfgoals.values import Comparator, ValueKind

HUNDRED = Decimal(100)


class RateOver100(RowRule):
    """检查内容：满意度、完好率、完成率、覆盖率、合格率、占比等不可能超过 100% 的比率，
    指标值却超过 100%（或写成“>100%”）。增长率、增幅等可以超过 100% 的不检查。

    为什么重要：不可能达到的目标要么是笔误（95% 写成 950%），要么是比较符写反，
    年底自评时无法打分。

    错误示例：展品完好率 ≥110%；服务对象满意度 >100%。

    正确示例：展品完好率 ≥90%；服务对象满意度 ≥95%。
    """

    code = "PG401"
    severity = Severity.ERROR
    title = "比率超过 100%"

    def check_row(self, row: RowFacts, env: RowEnv) -> Iterator[Issue]:
        parsed = row.parsed
        if parsed.unit != "%" or parsed.kind not in (ValueKind.PERCENT, ValueKind.RANGE):
            return
        if not contains_any(row.name_text, CAPPED_RATE_WORDS):
            return
        top = parsed.upper if parsed.kind is ValueKind.RANGE else parsed.number
        if top is None:
            return
        if top > HUNDRED or (top == HUNDRED and parsed.comparator is Comparator.GT):
            yield Issue(
                f"{row.label()} 指标值“{row.value_text.strip()}”超过 100%，这一比率不可能达到",
                hint="比率最高 100%；核对数值或比较符。",
                field="value",
            )
