"""Consistency checks: find what doesn't add up before the finance office does.

Public API::

    from perfgoals.checks import check_department, check_project
    findings = check_department(department, select=["PG1"], ignore=["PG109"])
    findings = check_project(department, project)      # one project and its budget line

Rules live one per module in :mod:`perfgoals.checks.rules` and are listed in
:data:`perfgoals.checks.registry.RULES`; ``docs/rules.md`` is generated from them.
"""

from __future__ import annotations

from perfgoals.checks.engine import (
    UnknownRuleError,
    check_department,
    check_project,
    open_errors,
    resolve_codes,
)
from perfgoals.checks.findings import Finding, Location, Severity

__all__ = [
    "Finding",
    "Location",
    "Severity",
    "UnknownRuleError",
    "check_department",
    "check_project",
    "open_errors",
    "resolve_codes",
]
