"""Running the rules: a whole department-year, or one project and its budget line.

Row rules are pure functions of a row's text and its :class:`~perfgoals.checks.context.RowEnv`, so
their results are cached per distinct row: goal tables are filled from templates, and a province's
150,000 rows hold far fewer distinct ones.  Selection (``select``/``ignore``) filters which rules run.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

from perfgoals.checks.base import Issue, Rule
from perfgoals.checks.context import CheckContext, ProjectFacts, RowEnv, RowFacts
from perfgoals.checks.findings import Finding, Location
from perfgoals.checks.registry import RULES, RULES_BY_CODE
from perfgoals.errors import PerfgoalsError
from perfgoals.models import Acceptance, Department, Project


class UnknownRuleError(PerfgoalsError):
    """``--select``/``--ignore`` named a code no rule has."""


def _tokens(codes: Iterable[str] | None) -> list[str]:
    if codes is None:
        return []
    if isinstance(codes, str):
        codes = [codes]
    return [token.strip().upper() for text in codes for token in text.split(",") if token.strip()]


def _matching(token: str) -> set[str]:
    if token == "ALL":
        return set(RULES_BY_CODE)
    found = {code for code in RULES_BY_CODE if code.startswith(token)}
    if not found:
        raise UnknownRuleError(f"没有规则“{token}”（可用规则编号或前缀，如 PG1、PG101；perfgoals rules 列出全部规则）")
    return found


def resolve_codes(select: Iterable[str] | None = None, ignore: Iterable[str] | None = None) -> frozenset[str]:
    """The codes to run: ``select`` (codes or prefixes such as ``PG4``; default all) minus ``ignore``.

    Raises :class:`UnknownRuleError` for a code or prefix that matches no rule.
    """
    return _resolve(tuple(_tokens(select)), tuple(_tokens(ignore)))


@lru_cache(maxsize=64)
def _resolve(tokens: tuple[str, ...], ignored: tuple[str, ...]) -> frozenset[str]:
    """:func:`resolve_codes` for normalised tokens: cached, as a whole-year check resolves them per department."""
    selected: set[str] = set()
    for token in tokens:
        selected |= _matching(token)
    if not tokens:
        selected = set(RULES_BY_CODE)
    for token in ignored:
        selected -= _matching(token)
    return frozenset(selected)


RowIssues = tuple[tuple[Rule, Issue], ...]


class RowResults:
    """Every row rule's issues for a row, by environment and row: equal rows share one
    :class:`RowFacts` (hashed by identity), so a row repeated across a province is checked once.

    Kept here, in the engine, rather than on the rows: the rows are the reading of the data, these
    are the engine's memo of what the rules said about them.  Emptied when it outgrows ``limit``
    (the row cache's limit), as that cache is.
    """

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.count = 0
        self._by_env: dict[RowEnv, dict[RowFacts, RowIssues]] = {}

    def for_env(self, env: RowEnv) -> dict[RowFacts, RowIssues]:
        """The results cached under ``env``, by row (everything is dropped first once full)."""
        if self.count >= self.limit:
            self.clear()
        cache = self._by_env.get(env)
        if cache is None:
            cache = self._by_env[env] = {}
        return cache

    def compute(self, cache: dict[RowFacts, RowIssues], row: RowFacts, env: RowEnv) -> RowIssues:
        """Run the row rules on ``row`` and remember the result in ``cache`` (from :meth:`for_env`)."""
        found = cache[row] = _row_issues(row, env)
        self.count += 1
        return found

    def clear(self) -> None:
        self._by_env.clear()
        self.count = 0


def _row_issues(row: RowFacts, env: RowEnv) -> RowIssues:
    """Every row rule's issues for one row, whatever the selection (filtered by the caller)."""
    found = [(rule, issue) for rule in _ROW_RULES for issue in rule.check_row(row, env)]
    return tuple(found) if found else ()  # most rows are clean: they share the one empty tuple


_ROW_RULES: tuple[Rule, ...] = tuple(rule for rule in RULES if "check_row" in rule.hooks())
ROW_RESULTS = RowResults(50_000)


@lru_cache(maxsize=64)
def _active(codes: frozenset[str]) -> tuple[list[Rule], list[Rule], list[Rule], bool]:
    """The selected rules by hook: project, line, department; and whether any row rule is selected."""

    def active(hook: str) -> list[Rule]:
        return [rule for rule in RULES if rule.code in codes and hook in rule.hooks()]

    return (
        active("check_project"),
        active("check_line"),
        active("check_department"),
        any(rule.code in codes for rule in _ROW_RULES),
    )


class _Run:
    """One check run: the context, the selected rules by hook, and the issues collected."""

    def __init__(self, ctx: CheckContext, codes: frozenset[str]) -> None:
        self.ctx = ctx
        self.codes = codes
        #: (rule, issue, project index, row): row rules' issues are shared between rows, so their
        #: place is kept beside them rather than in them.
        self.issues: list[tuple[Rule, Issue, int | None, int | None]] = []
        self.all_row_rules = all(rule.code in codes for rule in _ROW_RULES)

        self.project_rules, self.line_rules, self.department_rules, self.any_row_rule = _active(codes)

    def project(self, facts: ProjectFacts) -> None:
        ctx, codes, issues = self.ctx, self.codes, self.issues
        index = facts.index
        if self.any_row_rule:
            env = ctx.env(facts)
            everything = self.all_row_rules
            cache = ROW_RESULTS.for_env(env)
            for number, row in enumerate(facts.rows, start=1):
                found = cache.get(row)
                if found is None:
                    found = ROW_RESULTS.compute(cache, row, env)
                for rule, issue in found:
                    if everything or rule.code in codes:
                        issues.append((rule, issue, index, number))
        for rule in self.project_rules:
            for issue in rule.check_project(ctx, facts):
                issues.append((rule, issue, index, issue.row))

    def line(self, code: str) -> None:
        reconciliation = self.ctx.reconcile(code)
        for rule in self.line_rules:
            for issue in rule.check_line(self.ctx, reconciliation):
                self.issues.append((rule, issue, issue.project, issue.row))

    def department(self) -> None:
        for rule in self.department_rules:
            self.issues.extend((rule, issue, issue.project, issue.row) for issue in rule.check_department(self.ctx))

    def findings(self) -> list[Finding]:
        department = self.ctx.department
        projects = self.ctx.project_list
        accepted_department = _acceptances(department.acceptances)
        accepted_project: dict[int, dict[str, Acceptance]] = {}
        result: list[tuple[tuple[int, int, str], Finding]] = []
        for rule, issue, index, row in self.issues:
            project = projects[index] if index is not None else None
            if project is not None and index is not None:
                acceptances = accepted_project.get(index)
                if acceptances is None:
                    acceptances = _acceptances(project.acceptances)
                    accepted_project[index] = acceptances
            else:
                acceptances = accepted_department
            acceptance = acceptances.get(rule.code)
            finding = Finding(
                code=rule.code,
                severity=issue.severity or rule.severity,
                message=issue.message,
                location=Location(
                    department=department.code,
                    year=department.year,
                    project=project.name if project else None,
                    project_id=project.id if project else None,
                    row=row,
                    field=issue.field,
                    budget_line=issue.budget_line or (project.budget_line_code if project else None),
                    table=issue.table,
                ),
                hint=issue.hint,
                accepted=acceptance is not None,
                acceptance_reason=acceptance.reason if acceptance else None,
            )
            order = (-1 if index is None else index, row or 0, rule.code)
            result.append((order, finding))
        result.sort(key=lambda item: item[0])
        return [finding for _, finding in result]


def _acceptances(acceptances: list[Acceptance]) -> dict[str, Acceptance]:
    return {acceptance.code: acceptance for acceptance in acceptances}


def check_department(
    department: Department,
    *,
    select: Iterable[str] | None = None,
    ignore: Iterable[str] | None = None,
) -> list[Finding]:
    """Check a whole department-year: budget tables, every line, every project.

    Findings come sorted: department-level first, then by project order, row and code.  Findings
    whose code is accepted (on the project, or on the department for department-level findings)
    come back with ``accepted=True`` and the reason.
    """
    run = _Run(CheckContext(department), resolve_codes(select, ignore))
    for facts in run.ctx.projects():
        run.project(facts)
    for code in run.ctx.lines_to_reconcile():
        run.line(code)
    run.department()
    return run.findings()


def check_project(
    department: Department,
    project: Project,
    *,
    select: Iterable[str] | None = None,
    ignore: Iterable[str] | None = None,
    previous_line: str | None = None,
) -> list[Finding]:
    """Check one project and its budget line: cheap enough to run after every edit.

    ``project`` may be an edited copy of one of ``department.projects`` (matched by identity, then
    database id, then name): it is checked in place of the stored version, also when its line is
    reconciled.  When it has moved to another line, the line it left (``previous_line``, or the
    stored version's line) is reconciled too: a move breaks both.  Budget-table rules (PG2xx) and
    department-wide totals are not run here.
    """
    ctx = CheckContext(department, project=project)
    run = _Run(ctx, resolve_codes(select, ignore))
    assert ctx.focus is not None
    run.project(ctx.project(ctx.focus))
    lines = (project.budget_line_code, previous_line or ctx.previous_line)
    for code in dict.fromkeys(code for code in lines if code and code in ctx.lines):
        run.line(code)
    return run.findings()


def open_errors(findings: Iterable[Finding]) -> int:
    """How many findings are errors nobody has accepted."""
    return sum(1 for finding in findings if finding.severity.value == "error" and not finding.accepted)
