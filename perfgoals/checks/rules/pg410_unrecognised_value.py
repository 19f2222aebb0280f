"""PG410: a value the tool cannot read."""

from __future__ import annotations

from collections.abc import Iterator

from perfgoals.checks.base import Issue, RowRule
from perfgoals.checks.context import RowEnv, RowFacts
from perfgoals.checks.findings import Severity
from perfgoals.checks.vocabulary import is_placeholder
from perfgoals.values import ValueKind


class UnrecognisedValue(RowRule):
    """检查内容：指标值既读不出数值、百分比、金额或时间，也不是一段定性文字
    （如“≥”“95%%”“20次/”），因此其他规则无法核对它。

    为什么重要：读不懂的值多半是录入错误；即使没错，方向、上限等核对也不会覆盖它。

    错误示例：指标值“≥”，或“9 5%”。

    正确示例：指标值“≥95%”。
    """

    code = "PG410"
    severity = Severity.INFO
    title = "无法识别的指标值"

    def check_row(self, row: RowFacts, env: RowEnv) -> Iterator[Issue]:
        if row.parsed.kind is ValueKind.UNRECOGNISED and not is_placeholder(row.value):
            yield Issue(
                f"{row.label()}的指标值“{row.value_text.strip()}”无法识别（{row.parsed.describe()}）",
                hint="写成“比较符 + 数值 + 单位”（如“≥20次”）、时间（如“2022.3-12月”）或一段定性文字。",
                field="value",
            )
