"""Findings: what a check reports, where, and whether someone accepted it."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def label(self) -> str:
        return {"error": "错误", "warning": "警告", "info": "提示"}[self.value]

    @property
    def glyph(self) -> str:
        return {"error": "✗", "warning": "⚠", "info": "ℹ"}[self.value]

    @property
    def rank(self) -> int:
        return {"error": 0, "warning": 1, "info": 2}[self.value]


@dataclass(frozen=True, slots=True)
class Location:
    """Where a finding is: a department-year, and within it a project, an indicator row, a field.

    ``row`` is the indicator row's 1-based position in its goal table (``None`` when the finding is
    not about a row); ``field`` names the model field (``value``, ``level2``, ``budget_amount``,
    ``goal_text`` …); ``budget_line`` and ``table`` place findings about the budget tables.
    """

    department: str
    year: int
    project: str | None = None
    project_id: int | None = None
    row: int | None = None
    field: str | None = None
    budget_line: str | None = None
    table: str | None = None


@dataclass(frozen=True, slots=True)
class Finding:
    code: str
    severity: Severity
    message: str
    location: Location
    hint: str = ""
    accepted: bool = False
    acceptance_reason: str | None = None
    extra: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    def to_json(self) -> dict[str, Any]:
        """The JSON shape of ``perfgoals check --format json``."""
        return {
            "code": self.code,
            "severity": self.severity.value,
            "department": self.location.department,
            "year": self.location.year,
            "project": self.location.project,
            "row": self.location.row,
            "field": self.location.field,
            "budget_line": self.location.budget_line,
            "table": self.location.table,
            "message": self.message,
            "hint": self.hint,
            "accepted": self.accepted,
            "acceptance_reason": self.acceptance_reason,
        }
