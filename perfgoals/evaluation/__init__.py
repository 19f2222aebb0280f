"""Year-end 绩效自评: points, scores, 执行率, 总分 and grade — derived here and nowhere else.

::

    from perfgoals.evaluation import evaluate
    summary = evaluate(project, department.framework)
    summary.total, summary.grade, [row.used for row in summary.rows]

See :mod:`.points` (how points are distributed), :mod:`.scoring` (the standard rules) and
:mod:`.summary` (a project's whole 自评).
"""

from __future__ import annotations

from perfgoals.evaluation.points import DEFAULT_LEVEL1_POINTS, DEFAULT_RATE_POINTS, level1_key, split
from perfgoals.evaluation.scoring import Band, Computed, Method, compute_score, grade_of, read_band, round2
from perfgoals.evaluation.summary import (
    EvaluationSummary,
    RateScore,
    RowScore,
    evaluate,
    rate_score,
    result_rows,
)

__all__ = [
    "DEFAULT_LEVEL1_POINTS",
    "DEFAULT_RATE_POINTS",
    "Band",
    "Computed",
    "EvaluationSummary",
    "Method",
    "RateScore",
    "RowScore",
    "compute_score",
    "evaluate",
    "grade_of",
    "level1_key",
    "rate_score",
    "read_band",
    "result_rows",
    "round2",
    "split",
]
