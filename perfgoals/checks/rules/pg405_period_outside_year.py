"""PG405: a 时效 period outside the budget year."""

from __future__ import annotations

from collections.abc import Iterator

from perfgoals.checks.base import Issue, RowRule
from perfgoals.checks.context import RowEnv, RowFacts
from perfgoals.checks.findings import Severity
from perfgoals.values import ValueKind


class PeriodOutsideYear(RowRule):
    """检查内容：时效指标写的时间（如“2021.3-12月”“2023年6月前”）不在预算年度之内。
    年度目标表的时效应落在本预算年度。上年结转的项目沿用上年时间的较常见，
    只作提示，提醒改为本年度内的实际完成时间。

    为什么重要：时间写成去年或明年，多半是套用旧表没改年份；按这个时间考核，
    目标在年初就已“过期”或年底还“未到期”。

    错误示例：2022 年预算，时效指标“活动开展时间 2021.3-12月”。

    正确示例：“活动开展时间 2022.3-12月”。
    """

    code = "PG405"
    severity = Severity.WARNING
    title = "时效超出预算年度"

    def check_row(self, row: RowFacts, env: RowEnv) -> Iterator[Issue]:
        parsed = row.parsed
        if not row.is_timeliness or parsed.kind is not ValueKind.PERIOD:
            return
        if parsed.period_start is None or parsed.period_end is None:
            return
        start, end = parsed.period_start.year, parsed.period_end.year
        if start == env.year and end == env.year:
            return
        earlier = end <= env.year and start < env.year
        if earlier and env.carryover:
            yield Issue(
                f"{row.label()} “{row.value_text.strip()}”早于预算年度 {env.year} 年；结转项目可能沿用了上年的时间",
                hint=f"改为结转资金在 {env.year} 年内的实际完成时间。",
                field="value",
                severity=Severity.INFO,
            )
            return
        where = "早于" if end < env.year else "晚于" if start > env.year else "超出"
        yield Issue(
            f"{row.label()} “{row.value_text.strip()}”{where}预算年度 {env.year} 年",
            hint=f"年度目标的时间应在 {env.year} 年内；跨年项目请写本年度要完成的部分。",
            field="value",
        )
