"""PG409: a placeholder where a value belongs."""

from __future__ import annotations

from collections.abc import Iterator

from perfgoals.checks.base import Issue, RowRule
from perfgoals.checks.context import RowEnv, RowFacts
from perfgoals.checks.findings import Severity
from perfgoals.checks.vocabulary import is_placeholder

_FIELDS = (("level3", "三级指标"), ("description", "指标描述"), ("value", "指标值"), ("basis", "指标值确定依据"))


class Placeholder(RowRule):
    """检查内容：三级指标、描述、指标值或依据只填了占位文字：无、-、/、XX、××、待定、略、见说明、见附件……

    为什么重要：占位文字让表格看起来填满了，实际上和空着一样，审核时按未填写处理。

    错误示例：质量指标 / 验收合格率 / 验收合格率 / XX / 见说明。

    正确示例：质量指标 / 验收合格率 / 验收合格率 / ≥95% / 行业标准。
    """

    code = "PG409"
    severity = Severity.ERROR
    title = "占位文字代替了内容"

    def check_row(self, row: RowFacts, env: RowEnv) -> Iterator[Issue]:
        if row.blank:
            return
        for field, label in _FIELDS:
            text = getattr(row, field)
            if is_placeholder(text):
                yield Issue(
                    f"{row.label()}的{label}只写了“{text.strip()}”",
                    hint=f"填写实际的{label}。",
                    field=field,
                )
