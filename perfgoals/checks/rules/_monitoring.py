"""Shared wording of the monitoring rules (PG6xx): where a monitored row is, how its figures read."""

from __future__ import annotations

from perfgoals.monitoring.figures import MonitoringReading, RowProgress, Signal, percent


def row_number(row: RowProgress) -> int | None:
    """The 1-based indicator row a finding about ``row`` points at (``None`` when the indicator is gone)."""
    if row.indicator is None:
        return None
    return (row.moved_to if row.moved_to is not None else row.row) + 1


def signal_text(reading: MonitoringReading, row: RowProgress, signal: Signal) -> str:
    """One off-course signal of ``row`` in words, with its figures."""
    target = (row.indicator.value if row.indicator is not None else "").strip()
    if signal is Signal.EXPECTED_SHORT:
        return f"全年预计“{row.entry.expected.strip()}”低于年度指标值“{target}”"
    if signal is Signal.EXPECTED_OVER:
        return f"全年预计“{row.entry.expected.strip()}”超出年度指标值“{target}”"
    if signal is Signal.BEHIND_TIME:
        return (
            f"{reading.months}执行“{row.entry.progress.strip()}”仅完成年度指标值“{target}”的 "
            f"{percent(row.progress_fraction)}，序时进度 {percent(reading.elapsed)}"
        )
    likelihood = row.entry.likelihood.value if row.entry.likelihood is not None else ""
    return f"完成目标可能性为“{likelihood}”"
