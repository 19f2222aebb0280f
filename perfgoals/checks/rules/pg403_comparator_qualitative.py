"""PG403: a comparator symbol in front of a qualitative value."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator

from perfgoals.checks.base import Issue, RowRule
from perfgoals.checks.context import RowEnv, RowFacts
from perfgoals.checks.findings import Severity
from perfgoals.values import ValueKind

_SYMBOLS = "≥≤<>=≧≦⩾⩽"


class ComparatorOnQualitative(RowRule):
    """检查内容：定性的指标值前面写了比较符号，如“≥内容丰富”“≤按期完成”。
    “达到预期效果”这类文字中的“达到”是自然的说法，不报告。

    为什么重要：比较符只对数值有意义；写在文字前说明是从数值模板复制来的，
    或数值被删掉了，考核时无从比较。

    错误示例：质量指标 活动开展效果 ≥内容丰富、形式多样。

    正确示例：活动开展效果 内容丰富、形式多样；或改为定量目标“≥90%”。
    """

    code = "PG403"
    severity = Severity.WARNING
    title = "定性指标值带比较符"

    def check_row(self, row: RowFacts, env: RowEnv) -> Iterator[Issue]:
        if row.parsed.kind is not ValueKind.QUALITATIVE:
            return
        text = unicodedata.normalize("NFKC", row.value).strip()
        if text[:1] in _SYMBOLS or text[:2] in (">=", "<="):
            yield Issue(
                f"{row.label()} 指标值“{row.value.strip()}”是定性表述，却带比较符“{text[:1]}”",
                hint="去掉比较符，或改写成可计量的数值目标。",
                field="value",
            )
