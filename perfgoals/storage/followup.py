"""What follows a goal table, as stored: its review (comments and transitions), monitoring and 自评.

Each is one JSON column of the project row (revision 0007), written and read whole with the project, so
that every path that saves or loads a project (the TUI, ``load``/``dump``, imports, the workbook's embedded
dump) carries them without knowing about them.
"""

from __future__ import annotations

import json
from typing import Any

from perfgoals.models import Comment, Monitoring, Project, ReviewEvent, SelfEvaluation

#: The project columns added by revision 0007, in table order.
FOLLOWUP_COLUMNS = ("review", "monitoring", "evaluation")


def _decoded(value: Any) -> Any:
    """A ``JsonText`` cell, whether the driver's text or already decoded by the column type."""
    return value if value is None or isinstance(value, (dict, list)) else json.loads(value)


def followup_fields(review: Any, monitoring: Any, evaluation: Any) -> dict[str, Any]:
    """The :class:`Project` fields kept in the three columns (empty when a column is)."""
    review_data = _decoded(review) or {}
    monitoring_data = _decoded(monitoring)
    evaluation_data = _decoded(evaluation)
    return {
        "comments": [Comment.model_validate(item) for item in review_data.get("comments", [])],
        "reviews": [ReviewEvent.model_validate(item) for item in review_data.get("reviews", [])],
        "monitoring": None if monitoring_data is None else Monitoring.model_validate(monitoring_data),
        "evaluation": None if evaluation_data is None else SelfEvaluation.model_validate(evaluation_data),
    }


def followup_values(project: Project) -> dict[str, Any]:
    """The three columns of ``project``: ``None`` where there is nothing to keep."""
    review = project.model_dump(mode="json", include={"comments", "reviews"})
    return {
        "review": review if review["comments"] or review["reviews"] else None,
        "monitoring": None if project.monitoring is None else project.monitoring.model_dump(mode="json"),
        "evaluation": None if project.evaluation is None else project.evaluation.model_dump(mode="json"),
    }
