"""PG415: a rate or an on-time indicator whose target is a count."""

from __future__ import annotations

import re
from collections.abc import Iterator

from perfgoals.checks.base import Issue, RowRule
from perfgoals.checks.context import RowEnv, RowFacts
from perfgoals.checks.findings import Severity
from perfgoals.values import ValueKind

#: Names of indicators measured as a share or as timeliness, not as a count.
RATE_ENDINGS: tuple[str, ...] = ("率", "满意度", "占比", "比例", "比重")
ON_TIME_WORDS: tuple[str, ...] = ("按时", "及时", "准时", "如期", "按期")
#: Units that still fit a rate: points of percentage, and scores (满意度 ≥90分).
RATE_UNITS: tuple[str, ...] = ("%", "个百分点", "百分点", "分", "‰")
#: A percentage's unit written as a word (``≥100百分比``): not a unit, the sign % is.
_PERCENT_WORD = re.compile(r"\d\s*(百分比|百分率)\s*$")
#: Units of time: a timeliness target may be a duration (开馆时间 ≥280天, 办结时限 ≤5个工作日).
TIME_UNITS: tuple[str, ...] = ("天", "日", "个工作日", "工作日", "小时", "分钟", "周", "个月", "月", "年", "季度")


class UnitMisfit(RowRule):
    """检查内容：指标名称说的是比率或时效（…率、满意度、占比、按时/及时…），指标值却是个数或金额
    （“按时发放 ≥1人/年”“及时率 ≥5次”）。百分比、百分点、分数、时间、时长（时效指标“≥280天”）
    和定性表述都相符，不报。百分数的单位写成“百分比”“百分率”（“≥100百分比”）的也报：应写“%”。

    为什么重要：单位与指标对不上，目标就无法考核：按时与否不是人数，比率不是次数。
    多半是把数量指标的值填进了时效或质量指标的行，或漏了“%”。

    错误示例：时效指标“补助按时发放”，指标值“≥1人/年”。

    正确示例：“补助按时发放率 100%”，或“补助发放时间 每季度末前”。
    """

    code = "PG415"
    severity = Severity.WARNING
    title = "指标值的单位与指标不符"

    def check_row(self, row: RowFacts, env: RowEnv) -> Iterator[Issue]:
        parsed = row.parsed
        if parsed.kind is ValueKind.PERCENT and (word := _PERCENT_WORD.search(row.value_text)):
            yield Issue(
                f"{row.label()} 的指标值“{row.value_text.strip()}”把单位写成了“{word.group(1)}”",
                hint="百分数的单位写“%”，如“≥100%”。",
                field="value",
            )
            return
        if row.blank or parsed.kind not in (ValueKind.QUANTITY, ValueKind.MONEY) or row.is_cost:
            return
        name = row.level3_clean or row.description_clean
        if not name:
            return
        rate = name.endswith(RATE_ENDINGS)
        on_time = any(word in name for word in ON_TIME_WORDS) or row.is_timeliness
        if not (rate or on_time):
            return
        if parsed.kind is ValueKind.QUANTITY and (parsed.unit is None or parsed.unit.startswith(RATE_UNITS)):
            return  # a bare number or a score: the table's own convention
        if not rate and parsed.kind is ValueKind.QUANTITY and parsed.unit in TIME_UNITS:
            return  # a duration is a fair timeliness target
        what = "比率" if rate else "时效"
        yield Issue(
            f"{row.label()} 是{what}类指标，指标值“{row.value_text.strip()}”却是{'金额' if parsed.kind is ValueKind.MONEY else '个数'}",
            hint="比率写成百分比（如“≥95%”），时效写成时间（如“6月底前”）或按时完成的比率。",
            field="value",
        )
