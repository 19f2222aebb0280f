"""PG402: a satisfaction target under 80 %, or not a percentage."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from perfgoals.checks.base import Issue, RowRule
from perfgoals.checks.context import RowEnv, RowFacts
from perfgoals.checks.findings import Severity
from perfgoals.checks.vocabulary import is_placeholder
from perfgoals.values import Comparator, ValueKind

THRESHOLD = Decimal(80)


class SatisfactionTarget(RowRule):
    """检查内容：满意度指标的目标值低于 80%，或不是百分比（如“满意”“较高”“≥4分”）。
    写成“≤”的满意度由 PG404 报告。

    为什么重要：满意度按问卷调查的百分比考核，常规要求不低于 80%（多为 85%–95%）；
    低于 80% 的目标偏低，不是百分比则年底无法与调查结果比较。

    错误示例：服务对象满意度 ≥70%；群众满意度“满意”。

    正确示例：服务对象满意度 ≥90%。
    """

    code = "PG402"
    severity = Severity.WARNING
    title = "满意度目标低于 80% 或不是百分比"

    def check_row(self, row: RowFacts, env: RowEnv) -> Iterator[Issue]:
        if not row.is_satisfaction or row.blank:
            return
        parsed = row.parsed
        if parsed.kind is ValueKind.EMPTY or is_placeholder(row.value):
            return  # PG305 / PG409
        if parsed.unit == "%" and parsed.number is not None:
            if parsed.comparator in (Comparator.LE, Comparator.LT):
                return  # PG404
            if parsed.number < THRESHOLD:
                yield Issue(
                    f"{row.label()} 目标“{row.value_text.strip()}”低于 80%",
                    hint="满意度目标一般不低于 80%；确有依据时请在依据中说明。",
                    field="value",
                )
            return
        yield Issue(
            f"{row.label()} 目标“{row.value_text.strip()}”不是百分比",
            hint="满意度写成百分比目标，如“≥90%”。",
            field="value",
        )
