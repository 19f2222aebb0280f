"""What a rule is: a stable code, a default severity, a Chinese title, and its docstring as its manual.

Rules come in four scopes, so that each is run exactly where it is cheap:

- :class:`RowRule` looks at one indicator row.  It must be a pure function of the row's text and the
  :class:`RowEnv` (framework, year, carry-over), which lets the engine cache row results: goal tables
  are written from templates and repeat rows a lot.
- :class:`ProjectRule` looks at one project's goal table as a whole (and may glance at its siblings).
- :class:`LineRule` looks at one budget line and the projects charged to it.
- :class:`DepartmentRule` looks at the department's budget tables.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, ClassVar

from perfgoals.checks.findings import Severity

if TYPE_CHECKING:
    from perfgoals.checks.context import CheckContext, LineReconciliation, ProjectFacts, RowEnv, RowFacts


class Scope(StrEnum):
    ROW = "row"
    PROJECT = "project"
    LINE = "line"
    DEPARTMENT = "department"

    @property
    def label(self) -> str:
        return {"row": "指标行", "project": "项目", "line": "功能科目", "department": "部门预算表"}[self.value]


@dataclass(frozen=True, slots=True)
class Issue:
    """What a rule reports; the engine turns it into a :class:`~perfgoals.checks.findings.Finding`.

    ``project`` is the project's index in ``department.projects`` (``None`` for department-level
    issues); ``row`` the 1-based indicator row (row rules leave it to the engine); ``severity``
    overrides the rule's default for this one issue.
    """

    message: str
    hint: str = ""
    field: str | None = None
    row: int | None = None
    project: int | None = None
    budget_line: str | None = None
    table: str | None = None
    severity: Severity | None = None


_CODE = re.compile(r"^PG\d{3}$")


class Rule:
    """Base of every rule; subclasses set the class attributes, write the docstring, and override
    the hook(s) of their scope.  A rule may override more than one hook (PG200 reads both the line
    reconciliations and the budget tables)."""

    code: ClassVar[str]
    severity: ClassVar[Severity]
    title: ClassVar[str]
    scope: ClassVar[Scope]

    @classmethod
    def doc(cls) -> str:
        """The rule's documentation: its docstring, dedented."""
        return inspect.cleandoc(cls.__doc__ or "")

    def __init_subclass__(cls, **kwargs: object) -> None:
        super().__init_subclass__(**kwargs)
        code = cls.__dict__.get("code")
        if code is not None and not _CODE.match(code):
            raise ValueError(f"rule code {code!r} must look like PG123")

    def check_row(self, row: RowFacts, env: RowEnv) -> Iterable[Issue]:
        return ()

    def check_project(self, ctx: CheckContext, project: ProjectFacts) -> Iterable[Issue]:
        return ()

    def check_line(self, ctx: CheckContext, line: LineReconciliation) -> Iterable[Issue]:
        return ()

    def check_department(self, ctx: CheckContext) -> Iterable[Issue]:
        return ()

    @classmethod
    def hooks(cls) -> frozenset[str]:
        """The scopes this rule implements."""
        return _hooks(cls)


_HOOKS: dict[type[Rule], frozenset[str]] = {}


def _hooks(cls: type[Rule]) -> frozenset[str]:
    found = _HOOKS.get(cls)
    if found is None:
        found = _HOOKS[cls] = _find_hooks(cls)
    return found


def _find_hooks(cls: type[Rule]) -> frozenset[str]:
    return frozenset(
        name
        for name in ("check_row", "check_project", "check_line", "check_department")
        if getattr(cls, name) is not getattr(Rule, name)
    )


class RowRule(Rule):
    scope = Scope.ROW


class ProjectRule(Rule):
    scope = Scope.PROJECT


class LineRule(Rule):
    scope = Scope.LINE


class DepartmentRule(Rule):
    scope = Scope.DEPARTMENT
