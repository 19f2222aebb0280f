"""Mid-year monitoring (绩效监控): the one place its figures are derived (:mod:`.figures`) and the
reading of what a person enters for it (:mod:`.entry`).

Nothing here knows of Textual, click or storage.
"""

from __future__ import annotations

from perfgoals.monitoring.figures import (
    MIN_ELAPSED,
    PROGRESS_BEHIND_RATIO,
    SPENDING_BEHIND_RATIO,
    SPENDING_PROGRESS_GAP,
    MonitoringReading,
    Pace,
    RowProgress,
    Sense,
    Signal,
    elapsed_fraction,
    months_label,
    percent,
    read_monitoring,
)

__all__ = [
    "MIN_ELAPSED",
    "PROGRESS_BEHIND_RATIO",
    "SPENDING_BEHIND_RATIO",
    "SPENDING_PROGRESS_GAP",
    "MonitoringReading",
    "Pace",
    "RowProgress",
    "Sense",
    "Signal",
    "elapsed_fraction",
    "months_label",
    "percent",
    "read_monitoring",
]
