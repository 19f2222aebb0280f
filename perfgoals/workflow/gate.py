"""The submit gate: a table with an open error cannot be submitted.

The project is checked as ``perfgoals check -p PROJECT`` checks it (:func:`perfgoals.checks.check_project`:
the project and its budget line); the findings *about this project* count.  Every error must be fixed or
accepted with a reason (``perfgoals accept``, or ``submit --accept CODE=REASON``); warnings and hints do
not stop a submission.  A budget line's or the department's own findings (a line whose projects do not
add up) are the department's to settle and do not block one owner's table.

- :func:`project_findings` ``(department, project) -> list[Finding]``.
- :func:`open_errors` ``(findings) -> list[Finding]``; :func:`accepted_codes` ``(findings) -> list[str]``.
- :func:`blocked_message` ``(project, errors) -> str``: the refusal, naming every open error.
- :class:`SubmitBlocked`: the :class:`~perfgoals.workflow.machine.WorkflowError` a refused submission
  raises, carrying the open errors (``errors``) for a screen to list.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from perfgoals.checks import Finding, Severity, check_project
from perfgoals.models import Department, Project
from perfgoals.workflow.machine import WorkflowError


class SubmitBlocked(WorkflowError):
    """A submission refused for open errors: the message names each, ``errors`` holds them."""

    def __init__(self, project: Project, errors: Sequence[Finding]) -> None:
        super().__init__(blocked_message(project, errors))
        self.errors = list(errors)


def project_findings(department: Department, project: Project) -> list[Finding]:
    """The findings about ``project`` (checked in its department)."""
    findings = check_project(department, project)
    return [
        finding
        for finding in findings
        if (finding.location.project_id is not None and finding.location.project_id == project.id)
        or (finding.location.project_id is None and finding.location.project == project.name)
    ]


def open_errors(findings: Iterable[Finding]) -> list[Finding]:
    """The errors nobody has accepted."""
    return [finding for finding in findings if finding.severity is Severity.ERROR and not finding.accepted]


def accepted_codes(findings: Iterable[Finding]) -> list[str]:
    """The codes of the accepted findings, each once, in order: recorded with the submission."""
    return list(dict.fromkeys(finding.code for finding in findings if finding.accepted))


def describe(finding: Finding) -> str:
    """``PG401 第3行：…``."""
    row = f" 第{finding.location.row}行" if finding.location.row is not None else ""
    return f"{finding.code}{row}：{finding.message}"


def blocked_message(project: Project, errors: Sequence[Finding]) -> str:
    """Why ``project`` cannot be submitted: every open error (code, row, message)."""
    listed = "\n".join(f"  {describe(finding)}" for finding in errors)
    return (
        f"项目“{project.name}”有 {len(errors)} 个未处理的错误，不能提交：\n{listed}\n"
        "请改正，或写明理由接受（submit --accept 代码=理由，或 perfgoals accept 代码 -p 项目 --reason 理由）"
    )
