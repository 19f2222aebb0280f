"""PG406: a value that reads like an indicator name rather than a target."""

from __future__ import annotations

from collections.abc import Iterator

from perfgoals.checks.base import Issue, RowRule
from perfgoals.checks.context import RowEnv, RowFacts
from perfgoals.checks.findings import Severity
from perfgoals.checks.vocabulary import NAME_ENDINGS, TARGET_WORDS, clean, contains_any, is_placeholder
from perfgoals.values import ValueKind

_MAX_NAME_LENGTH = 12


class ValueLikeName(RowRule):
    """检查内容：指标值写的是一个指标名称而不是目标：与三级指标或指标描述相同，
    或是“工作效率”“完成情况”“活动次数”这样以名词结尾、没有任何程度或数值的短语。
    常见原因是各栏错位（描述写进了指标值，指标值写进了描述）。

    为什么重要：“工作效率”说的是考核什么，没说要达到多少；这样的指标无法考核。

    错误示例：三级指标“保障工作正常开展”，描述“进一步提高”，指标值“工作效率”。

    正确示例：三级指标“工作效率”，描述“办公条件改善后工作效率的变化”，指标值“进一步提高”。
    """

    code = "PG406"
    severity = Severity.WARNING
    title = "指标值像指标名称"

    def check_row(self, row: RowFacts, env: RowEnv) -> Iterator[Issue]:
        parsed = row.parsed
        if parsed.kind not in (ValueKind.QUALITATIVE, ValueKind.UNRECOGNISED) or parsed.comparator is not None:
            return
        value = clean(row.value)
        if not value or is_placeholder(value) or any(char.isdigit() for char in value):
            return
        if value in (clean(row.level3), clean(row.description)):
            which = "三级指标" if value == clean(row.level3) else "指标描述"
            yield Issue(
                f"{row.label()}的指标值“{row.value.strip()}”与{which}相同，没有写出目标",
                hint="指标值写要达到的程度或数值。",
                field="value",
            )
            return
        if len(value) <= _MAX_NAME_LENGTH and value.endswith(NAME_ENDINGS) and not contains_any(value, TARGET_WORDS):
            yield Issue(
                f"{row.label()}的指标值“{row.value.strip()}”像是指标名称，而不是目标",
                hint="检查各栏是否错位；指标值应写要达到的程度或数值。",
                field="value",
            )
