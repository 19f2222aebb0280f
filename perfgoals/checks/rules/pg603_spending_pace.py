"""PG603: budget execution out of step with the time elapsed or with the indicators' progress."""

from __future__ import annotations

from collections.abc import Iterator

from perfgoals.checks.base import Issue, ProjectRule
from perfgoals.checks.context import CheckContext, ProjectFacts
from perfgoals.checks.findings import Severity
from perfgoals.monitoring.figures import (
    MIN_ELAPSED,
    SPENDING_BEHIND_RATIO,
    SPENDING_PROGRESS_GAP,
    Pace,
    percent,
)


class SpendingOutOfStep(ProjectRule):
    """检查内容：绩效监控的预算执行与进度不同步（“双监控”：预算执行和绩效目标一起看）。
    执行率 = 1-N月执行数 ÷ 全年预算数（项目的年度资金，元与万元按各自单位换算）；序时进度按
    月计算，7月31日为 7/12（58.33%）。以下情形提示：（1）执行率低于序时进度的 50%
    （7月31日时低于 29.17%）：资金明显滞后；（2）执行率比指标完成进度低 40 个百分点以上：
    事情做了，钱没有支付（可能欠款或账务滞后）；（3）执行率比指标完成进度高 40 个百分点以上：
    钱花了，事情没做完。指标完成进度取各数量指标 1-N月完成量 ÷ 年度指标值的平均（每项最多计 100%）。
    监控日期在 3月底之前不作判断。

    为什么重要：执行慢的资金年底可能被收回或形成结转，执行快而产出少的项目可能超支或
    资金使用效益不高；两者都要在年中纠偏，而不是等到年终自评。

    错误示例：年度资金 30 万元，截至 7月31日执行 3 万元（执行率 10%），而活动已完成 18 次
    （年度指标值 ≥20 次，进度 90%）。

    正确示例：执行 16 万元（执行率 53.33%），活动完成 12 次（60%），与序时进度 58.33% 大体同步。
    """

    code = "PG603"
    severity = Severity.WARNING
    title = "预算执行与进度不同步"

    def check_project(self, ctx: CheckContext, project: ProjectFacts) -> Iterator[Issue]:
        reading = ctx.monitoring.get(project.index)
        if reading is None or reading.elapsed < MIN_ELAPSED:
            return
        pace = reading.pace
        if not pace:
            return
        rate, elapsed, progress = percent(reading.rate), percent(reading.elapsed), percent(reading.progress)
        head = f"截至 {reading.as_of:%Y-%m-%d}，{reading.months}预算执行率 {rate}"
        parts: list[str] = []
        if Pace.BEHIND_TIME in pace:
            parts.append(f"不到序时进度 {elapsed} 的 {percent(SPENDING_BEHIND_RATIO)}")
        if Pace.BEHIND_PROGRESS in pace:
            parts.append(f"比指标完成进度 {progress} 低 {percent(SPENDING_PROGRESS_GAP)} 以上")
        if Pace.AHEAD_OF_PROGRESS in pace:
            parts.append(f"比指标完成进度 {progress} 高 {percent(SPENDING_PROGRESS_GAP)} 以上")
        ahead = pace == (Pace.AHEAD_OF_PROGRESS,)
        yield Issue(
            f"{head}，{'；'.join(parts)}",
            hint=(
                "核实是否已支出而产出未完成，必要时调整支出计划或说明原因。"
                if ahead
                else "核实执行数是否漏记，分析资金滞后的原因并加快执行，或在偏差原因中说明。"
            ),
            field="monitoring.executed",
        )
